"""sagemaker-scikit-learn-container defaults: input decoded to numpy (float32 for JSON/CSV), predict_fn =
model.predict, output encoded to the accept type. Unlike the real container, model_fn has a default:
joblib.load of model.joblib, else the first *.joblib, else the first *.pkl / *.pickle."""
from clary_inference import decoders, encoders, media
from clary_inference.errors import StartupError
from clary_inference.frameworks import model_files

DEFAULT_ACCEPT = media.JSON
DEFAULT_CONTENT_TYPE = media.JSON


def default_model_fn(model_dir):
    import joblib

    found = model_files.find(model_dir, ("model.joblib",), (".joblib",)) or \
        model_files.find(model_dir, (), (".pkl", ".pickle"))
    if not found:
        raise StartupError("No model_fn in the inference script and no model.joblib, *.joblib or *.pkl in %s: "
                           "save the model with joblib.dump(model, os.path.join(args.model_dir, 'model.joblib')) "
                           "or provide model_fn(model_dir)" % model_dir)
    return joblib.load(found[0])


def default_input_fn(input_data, content_type):
    import numpy as np

    array = decoders.decode(input_data, content_type)
    if media.base_type(content_type) in media.UTF8_TYPES and array.dtype.kind in "fiub":
        return array.astype(np.float32)
    return array


def default_predict_fn(input_data, model):
    return model.predict(input_data)


def default_output_fn(prediction, accept):
    return encoders.encode(prediction, accept)
