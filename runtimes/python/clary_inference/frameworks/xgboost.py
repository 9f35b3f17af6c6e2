"""sagemaker-xgboost-container script-mode defaults. model_fn (a Clary default; the real container needs the
user's): xgboost-model (Booster file, or a pickled Booster/XGBModel), else the first *.json / *.ubj / *.bst.
Input: text/csv, text/libsvm, application/json, application/x-npy → DMatrix. Predict: Booster.predict
(validate_features=False). Output: text/csv like the real container (one line comma-joined, or one value per
line with SAGEMAKER_BATCH=true; 2-D predictions one row per line), application/json, application/x-npy."""
import os
import pickle

from clary_inference import decoders, encoders, media
from clary_inference.config import truthy
from clary_inference.errors import NotAcceptable, StartupError, UnsupportedMediaType
from clary_inference.frameworks import model_files

DEFAULT_ACCEPT = media.JSON
DEFAULT_CONTENT_TYPE = media.CSV
SUPPORTED_ACCEPTS = (media.CSV, media.JSON, media.NPY)


def load_booster(path):
    """An xgboost Booster from a model file (binary, JSON or UBJSON), or a pickled model."""
    import xgboost as xgb

    try:
        booster = xgb.Booster()
        booster.load_model(path)
        return booster
    except Exception as xgb_error:  # noqa: BLE001 — XGBoostError
        try:
            with open(path, "rb") as f:
                return pickle.load(f)
        except Exception:  # noqa: BLE001
            raise StartupError("Model file %s cannot be loaded by xgboost: %s"
                               % (path, str(xgb_error).strip().splitlines()[-1] if str(xgb_error).strip() else
                                  type(xgb_error).__name__))


def default_model_fn(model_dir):
    found = model_files.find(model_dir, ("xgboost-model",), (".json", ".ubj", ".bst"))
    if not found:
        raise StartupError("No model_fn in the inference script and no xgboost-model, *.json, *.ubj or *.bst in "
                           "%s: provide model_fn(model_dir)" % model_dir)
    return load_booster(found[0])


def default_input_fn(input_data, content_type):
    import xgboost as xgb
    from clary_inference.xgboost_algorithm import parse

    kind = media.base_type(content_type)
    if kind in (media.CSV, media.LIBSVM, media.X_LIBSVM):
        return parse.dmatrix(input_data, kind)
    if kind in (media.JSON, media.NPY):
        array = decoders.decode(input_data, content_type)
        return xgb.DMatrix(array.reshape(1, -1) if array.ndim == 1 else array)
    raise UnsupportedMediaType("Content type %s is not supported by the default input_fn; supported: text/csv, "
                               "text/libsvm, application/json, application/x-npy" % content_type)


def default_predict_fn(input_data, model):
    import xgboost as xgb

    booster = model if isinstance(model, xgb.Booster) else model.get_booster()
    return booster.predict(input_data, validate_features=False)


def csv_lines(prediction, batch):
    """The real container's CSV: 1-D predictions comma-joined on one line (one per line in batch transform);
    2-D (multi:softprob) one row per line, classes comma-separated."""
    values = encoders.to_plain(prediction)
    if not isinstance(values, list):
        values = [values]
    if values and isinstance(values[0], list):
        return "\n".join(",".join(map(str, row)) for row in values) + "\n"
    if batch:
        return "\n".join(map(str, values)) + "\n"
    return ",".join(map(str, values))


def default_output_fn(prediction, accept):
    chosen = media.choose(accept, SUPPORTED_ACCEPTS, DEFAULT_ACCEPT)
    if chosen == media.CSV:
        return csv_lines(prediction, truthy(os.environ.get("SAGEMAKER_BATCH"))).encode("utf-8"), chosen
    if chosen is None:
        raise NotAcceptable("%s is not an accepted Accept type; supported: %s" % (accept, ", ".join(SUPPORTED_ACCEPTS)))
    return encoders.encode(prediction, chosen)
