"""The framework handler: the user's model_fn / input_fn / predict_fn / output_fn / transform_fn over the
framework's defaults, as sagemaker_inference.transformer.Transformer runs them."""
import logging
import types

from clary_inference import encoders, media, user_code
from clary_inference.context import Context
from clary_inference.errors import InferenceError, NotAcceptable, StartupError
from clary_inference.frameworks import defaults_for
from clary_inference.functions import HandlerFunction
from clary_inference.response import Response

logger = logging.getLogger("clary_inference")
_CLASSIC_ARGS = {"model_fn": 1, "input_fn": 2, "predict_fn": 2, "output_fn": 2, "transform_fn": 4}


def _is_stream(value):
    return isinstance(value, types.GeneratorType) or (
        hasattr(value, "__next__") and hasattr(value, "__iter__")
        and not isinstance(value, (bytes, bytearray, str, dict, list, tuple)))


class Handler:
    def __init__(self, config, code=(None, None)):
        self.config = config
        self.code = code  # (code_dir, module name) from user_code.prepare, in the master
        self.defaults = defaults_for(config.framework)
        self.accept_default = config.default_accept or self.defaults.DEFAULT_ACCEPT
        self.module = None
        self.model = None
        self.fns = {}

    # ---- start-up
    def load(self):
        code_dir, name = self.code
        if name:
            self.module = user_code.import_module(code_dir, name)
            logger.info("Using handler functions from %s.py (%s)", name, ", ".join(
                f for f in list(_CLASSIC_ARGS) + ["execution_parameters_fn"] if hasattr(self.module, f)) or "none")
        user = {f: getattr(self.module, f) for f in _CLASSIC_ARGS if callable(getattr(self.module, f, None))}
        if "transform_fn" in user and set(user) & {"input_fn", "predict_fn", "output_fn"}:
            raise StartupError("Cannot use transform_fn implementation in conjunction with input_fn, predict_fn, "
                               "and/or output_fn implementation")
        for fn in _CLASSIC_ARGS:
            impl = user.get(fn) or getattr(self.defaults, "default_" + fn, None)
            if impl is not None:
                self.fns[fn] = HandlerFunction(impl, fn, _CLASSIC_ARGS[fn])
        self.user_output = "output_fn" in user
        context = Context(self.config.model_dir)
        try:
            self.model = self.fns["model_fn"](self.config.model_dir, context)
        except StartupError:
            raise
        except Exception as e:  # noqa: BLE001
            logger.exception("model_fn(%s) raised", self.config.model_dir)
            raise StartupError("model_fn(%s) raised %s: %s" % (self.config.model_dir, type(e).__name__, e))

    def execution_parameters(self):
        fn = getattr(self.module, "execution_parameters_fn", None)
        return fn() if callable(fn) else None

    # ---- per request
    def invoke(self, request):
        content_type = request.content_type or self.defaults.DEFAULT_CONTENT_TYPE
        accept = media.requested_accept(request.accept, self.accept_default)
        body = request.body
        if media.base_type(content_type) in media.UTF8_TYPES:
            try:
                body = body.decode("utf-8")
            except UnicodeDecodeError as e:
                raise InferenceError("The %s request body is not UTF-8: %s" % (content_type, e), 400)
        context = Context(self.config.model_dir, request.headers)
        fns = self.fns
        if "transform_fn" in fns:
            result = fns["transform_fn"](self.model, body, content_type, accept, context)
            return self._response(result, accept, context, user=True)
        data = fns["input_fn"](body, content_type, context)
        prediction = fns["predict_fn"](data, self.model, context)
        if _is_stream(prediction) and not self.user_output:
            return self._response(self._encode_stream(prediction, accept), accept, context, user=True)
        result = fns["output_fn"](prediction, accept, context)
        return self._response(result, accept, context, user=self.user_output)

    def _first(self, accept):
        candidates = media.accept_candidates(accept)
        return candidates[0] if candidates and candidates[0] != media.ANY else self.accept_default

    def _encode_stream(self, items, accept):
        """(chunks, content type) of a generator prediction: bytes/str items as they are, anything else
        encoded as the accept type (JSON items one per line)."""
        chosen = media.choose(accept, encoders.SUPPORTED, self.accept_default)
        if chosen is None:
            raise NotAcceptable("Accept type %s is not supported for a streamed prediction" % accept)
        encode = encoders.ENCODERS[chosen]

        def chunks():
            for item in items:
                if isinstance(item, (bytes, bytearray, str)):
                    yield item
                else:
                    yield encode(item) + b"\n" if chosen == media.JSON else encode(item)

        return chunks(), chosen

    def _response(self, result, accept, context, user):
        content_type = None
        if isinstance(result, tuple) and len(result) == 2:
            result, content_type = result
        if content_type is None:
            content_type = context.response_content_type or self._first(accept)
        elif context.response_content_type:
            content_type = context.response_content_type
        if result is None:
            body = b""
        elif isinstance(result, (bytes, bytearray, memoryview)):
            body = bytes(result)
        elif isinstance(result, str):
            body = result.encode("utf-8")
        elif _is_stream(result):
            body = result
        elif user:  # an output_fn / transform_fn that returned an array or a list
            body, content_type = encoders.encode(result, content_type)
        else:
            raise InferenceError("output_fn returned %s, not bytes or str" % type(result).__name__)
        return Response(200, body, content_type, context.response_headers)
