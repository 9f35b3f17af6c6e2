"""The built-in XGBoost algorithm's /invocations: text/csv or libsvm in, predictions out as text/csv (the
default), application/json or application/jsonlines. Status codes as the real server gives them: an empty
body → 204, a body that does not parse or an unsupported Content-Type → 415, an unsupported Accept → 406,
a prediction that fails (e.g. more features than the model has) → 400. With SAGEMAKER_INFERENCE_OUTPUT the
selected keys are answered instead (selectable.py)."""
import logging

from clary_inference import media
from clary_inference.errors import BadRequest, NoContent, NotAcceptable, StartupError, UnsupportedMediaType
from clary_inference.response import Response
from clary_inference.xgboost_algorithm import encode, model, parse, selectable

logger = logging.getLogger("clary_inference")
CONTENT_TYPES = (media.CSV, media.LIBSVM, media.X_LIBSVM)


class AlgorithmHandler:
    default_accept = media.CSV

    def __init__(self, config):
        self.config = config
        self.accept_default = config.default_accept or media.CSV
        self.boosters = None
        self.objective = None
        self.selected = selectable.keys(config.inference_output)
        self.accepts = selectable.ACCEPTS if self.selected else encode.ACCEPTS

    def load(self):
        self.boosters = model.load(self.config.model_dir)
        self.objective = model.objective(self.boosters[0])
        logger.info("Loaded the built-in XGBoost model (%d booster(s), objective %s)",
                    len(self.boosters), self.objective[0])
        if self.selected and self.objective[0] not in selectable.VALID_KEYS:
            raise StartupError("SAGEMAKER_INFERENCE_OUTPUT=%s: objective `%s` unsupported for selectable inference "
                               "predictions" % (self.config.inference_output, self.objective[0]))

    def execution_parameters(self):
        return None

    def predict(self, dtest):
        import numpy as np

        preds = [b.predict(dtest, validate_features=False) for b in self.boosters]
        return preds[0] if len(preds) == 1 else np.mean(preds, axis=0)

    def invoke(self, request):
        if not request.body:
            raise NoContent()
        kind = media.base_type(request.content_type) or media.CSV
        if kind not in CONTENT_TYPES:
            raise UnsupportedMediaType("Content-type %s not supported. Supported content-type is text/csv, "
                                       "text/libsvm, text/x-libsvm" % request.content_type)
        accept = media.choose(media.requested_accept(request.accept, self.accept_default), self.accepts,
                              self.accept_default)
        if accept is None:
            raise NotAcceptable("Accept type %s is not supported. Please use supported accept types: %s."
                                % (request.accept, ", ".join(self.accepts)))
        try:
            dtest = parse.dmatrix(request.body, kind)
        except ValueError as e:
            raise UnsupportedMediaType(str(e))
        try:
            preds = self.predict(dtest)
        except Exception as e:  # noqa: BLE001 — xgboost's feature-shape errors are the caller's
            raise BadRequest("Unable to evaluate payload provided: %s" % str(e).strip().splitlines()[0])
        if self.selected:
            objective, num_class = self.objective
            chosen = selectable.select(preds, self.selected, objective, num_class)
            return Response(200, selectable.encode(chosen, self.selected, accept, self.config.batch), accept)
        return Response(200, encode.encode(preds, accept, self.config.batch), accept)
