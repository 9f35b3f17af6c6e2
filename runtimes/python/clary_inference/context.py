"""The `context` handler functions may take as their last argument (newer sagemaker-inference-toolkit
releases pass the model server's Context). Clary's holds the request headers, the custom attributes
(X-Amzn-SageMaker-Custom-Attributes) and the response headers a handler sets."""

CUSTOM_ATTRIBUTES = "X-Amzn-SageMaker-Custom-Attributes"


class Context:
    def __init__(self, model_dir, request_headers=None):
        self.system_properties = {"model_dir": model_dir, "gpu_id": None}
        self.request_headers = request_headers or {}  # lower-case names
        self.response_headers = {}
        self.response_content_type = None

    # The custom attributes, both ways.
    @property
    def custom_attributes(self):
        return self.request_headers.get(CUSTOM_ATTRIBUTES.lower())

    @property
    def response_custom_attributes(self):
        return self.response_headers.get(CUSTOM_ATTRIBUTES)

    @response_custom_attributes.setter
    def response_custom_attributes(self, value):
        self.response_headers[CUSTOM_ATTRIBUTES] = value

    # The Multi Model Server Context methods handler code calls (the batch index is always 0 here).
    def get_request_header(self, idx, key):
        return self.request_headers.get(key.lower())

    def get_all_request_header(self, idx):
        return dict(self.request_headers)

    def set_response_header(self, idx, key, value):
        name = CUSTOM_ATTRIBUTES if key.lower() == CUSTOM_ATTRIBUTES.lower() else key
        self.response_headers[name] = str(value)

    def set_response_content_type(self, idx, value):
        self.response_content_type = value
