"""Loading the built-in algorithm's model: /opt/ml/model/xgboost-model, the file clary_training's
xgboost-train (and SageMaker's container) writes — an XGBoost model file or a pickled Booster. Without it,
every other file of the directory is loaded and their predictions averaged (the real container's ensemble)."""
import os

from clary_inference.errors import StartupError
from clary_inference.frameworks.xgboost import load_booster

MODEL_NAME = "xgboost-model"


def model_paths(model_dir):
    if not os.path.isdir(model_dir):
        raise StartupError("The model directory %s does not exist (was model.tar.gz extracted?)" % model_dir)
    main = os.path.join(model_dir, MODEL_NAME)
    if os.path.isfile(main):
        return [main]
    paths = [os.path.join(model_dir, n) for n in sorted(os.listdir(model_dir))
             if not n.startswith(".") and os.path.isfile(os.path.join(model_dir, n))]
    if not paths:
        raise StartupError("No model in %s: the built-in XGBoost algorithm loads %s (what training writes)"
                           % (model_dir, MODEL_NAME))
    return paths


def load(model_dir):
    """[Booster, ...] with predictions to average when there are several."""
    import xgboost as xgb

    boosters = []
    for path in model_paths(model_dir):
        model = load_booster(path)
        if not isinstance(model, xgb.Booster):
            model = model.get_booster() if hasattr(model, "get_booster") else None
        if model is None:
            raise StartupError("%s does not hold an XGBoost model" % path)
        boosters.append(model)
    return boosters


def objective(booster):
    """(objective name, num_class as str) from the booster's saved configuration."""
    import json

    learner = json.loads(booster.save_config())["learner"]
    return learner["objective"]["name"], learner["learner_model_param"].get("num_class", "")
