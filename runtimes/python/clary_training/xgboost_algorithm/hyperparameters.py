"""Built-in XGBoost hyperparameters: strings (or JSON-encoded strings) → typed values."""
import json

from clary_training.xgboost_algorithm.errors import UserError


def _int(v):
    try:
        return int(v)
    except ValueError:
        f = float(v)
        if not f.is_integer():
            raise
        return int(f)


def _float(v):
    return float(v)


def _str(v):
    return str(v)


def _list(v):
    if isinstance(v, list):
        return [str(x) for x in v]
    return [x.strip() for x in str(v).split(",") if x.strip()]


TYPES = {
    "num_round": _int, "objective": _str, "booster": _str, "max_depth": _int, "eta": _float, "gamma": _float,
    "min_child_weight": _float, "max_delta_step": _float, "subsample": _float, "colsample_bytree": _float,
    "colsample_bylevel": _float, "colsample_bynode": _float, "lambda": _float, "alpha": _float,
    "num_class": _int, "eval_metric": _list, "early_stopping_rounds": _int, "seed": _int, "tree_method": _str,
    "scale_pos_weight": _float, "base_score": _float, "max_leaves": _int, "max_bin": _int, "grow_policy": _str,
    "sketch_eps": _float, "verbosity": _int, "silent": _int, "nthread": _int, "csv_weights": _int,
    "num_parallel_tree": _int, "sample_type": _str, "normalize_type": _str, "rate_drop": _float,
    "one_drop": _int, "skip_drop": _float, "lambda_bias": _float, "tweedie_variance_power": _float,
    "updater": _list, "dsplit": _str, "process_type": _str, "refresh_leaf": _int, "prob_buffer_row": _float,
    "interaction_constraints": _str, "monotone_constraints": _str, "deterministic_histogram": _str,
    "single_precision_histogram": _str, "sampling_method": _str, "max_cat_to_onehot": _int,
    "save_model_on_termination": _str, "_tuning_objective_metric": _str, "_kfold": _int, "_num_cv_round": _int,
    "huber_slope": _float, "aft_loss_distribution": _str, "aft_loss_distribution_scale": _float,
}
DEFAULTS = {"objective": "reg:squarederror"}


def _decode(value):
    if isinstance(value, str):
        try:
            decoded = json.loads(value)
        except ValueError:
            return value
        return decoded if isinstance(decoded, str) else value
    return value


def validate(raw):
    """Typed hyperparameters; UserError naming the first bad or missing one."""
    out = dict(DEFAULTS)
    for name, value in raw.items():
        if name.startswith("sagemaker_"):
            continue
        if name not in TYPES:
            raise UserError("Hyperparameter Validation Error: Extraneous hyperparameter found: %s" % name)
        try:
            out[name] = TYPES[name](_decode(value))
        except (TypeError, ValueError):
            raise UserError("Hyperparameter Validation Error: %s: value %r is not a valid %s"
                            % (name, value, TYPES[name].__name__.lstrip("_")))
    if "num_round" not in out:
        raise UserError("Hyperparameter Validation Error: Missing required hyperparameter: num_round")
    if out["objective"].startswith("multi:") and "num_class" not in out:
        raise UserError("Hyperparameter Validation Error: Required hyperparameter num_class missing "
                        "for objective %s" % out["objective"])
    return out
