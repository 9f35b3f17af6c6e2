"""Errors with the HTTP status they answer with, and the start-up failure that ends the server."""
import http


class InferenceError(Exception):
    """An error a request answers with `status` and `message` (text/plain)."""

    status = http.HTTPStatus.INTERNAL_SERVER_ERROR

    def __init__(self, message, status=None):
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status


class BadRequest(InferenceError):
    status = http.HTTPStatus.BAD_REQUEST


class UnsupportedMediaType(InferenceError):
    status = http.HTTPStatus.UNSUPPORTED_MEDIA_TYPE


class NotAcceptable(InferenceError):
    status = http.HTTPStatus.NOT_ACCEPTABLE


class NoContent(InferenceError):
    status = http.HTTPStatus.NO_CONTENT

    def __init__(self):
        super().__init__("")


class StartupError(Exception):
    """The server cannot start (bad configuration, no model, model_fn raised). Its text is the last line of
    stderr, which the controller reports as the endpoint's FailureReason; the exit status is 1."""
