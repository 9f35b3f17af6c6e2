"""The default handler functions of each framework container (what runs when the user script does not
define one): `sklearn`, `pytorch`, `xgboost` (script mode). Each module defines DEFAULT_ACCEPT,
DEFAULT_CONTENT_TYPE and default_model_fn / default_input_fn / default_predict_fn / default_output_fn."""
import importlib


def defaults_for(framework):
    return importlib.import_module("clary_inference.frameworks.%s" % framework)
