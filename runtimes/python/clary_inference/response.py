"""What a handler answers: a status, a body (bytes, or an iterator of chunks to stream), its content type
and extra headers."""


class Response:
    __slots__ = ("status", "body", "content_type", "headers")

    def __init__(self, status=200, body=b"", content_type="text/plain; charset=utf-8", headers=None):
        self.status = status
        self.body = body
        self.content_type = content_type
        self.headers = headers or {}

    @property
    def streaming(self):
        return not isinstance(self.body, (bytes, bytearray))


class Request:
    __slots__ = ("body", "content_type", "accept", "headers")

    def __init__(self, body, content_type, accept, headers):
        self.body = body
        self.content_type = content_type  # raw header value or None
        self.accept = accept  # raw header value or None
        self.headers = headers  # lower-case names → values
