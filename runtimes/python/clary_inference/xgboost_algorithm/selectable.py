"""Selectable inference output of the built-in XGBoost algorithm (SAGEMAKER_INFERENCE_OUTPUT, e.g.
'predicted_label,probabilities'), as sagemaker-xgboost-container's serve_utils computes and encodes it.
A key the model's objective cannot give is present with NaN (and logged once), as there."""
import json
import logging
import math

from clary_inference import media

logger = logging.getLogger("clary_inference")

PREDICTED_LABEL, LABELS, PROBABILITY, PROBABILITIES = "predicted_label", "labels", "probability", "probabilities"
RAW_SCORE, RAW_SCORES, PREDICTED_SCORE = "raw_score", "raw_scores", "predicted_score"
_CLASSIFY = [PREDICTED_LABEL, LABELS, RAW_SCORE, RAW_SCORES]
VALID_KEYS = {
    "reg:squarederror": [PREDICTED_SCORE], "reg:logistic": [PREDICTED_SCORE], "reg:gamma": [PREDICTED_SCORE],
    "reg:tweedie": [PREDICTED_SCORE],
    "binary:logistic": _CLASSIFY + [PROBABILITY, PROBABILITIES], "binary:logitraw": _CLASSIFY,
    "binary:hinge": _CLASSIFY, "multi:softmax": _CLASSIFY, "multi:softprob": _CLASSIFY + [PROBABILITY, PROBABILITIES],
}
ACCEPTS = (media.JSON, media.JSONLINES, media.CSV)


def keys(setting):
    return [k for k in setting.replace(" ", "").lower().split(",") if k]


def _one(key, objective, p, num_class):
    """The value of `key` for one raw prediction `p` (a float, or a list for multi:softprob)."""
    if key == PREDICTED_SCORE:
        return p
    if key == LABELS:
        if objective.startswith("binary:"):
            return [0, 1]
        return list(range(int(num_class))) if objective.startswith("multi:") and num_class else math.nan
    if key == PREDICTED_LABEL:
        if objective in ("binary:hinge", "multi:softmax"):
            return p
        if objective == "binary:logistic":
            return int(p > 0.5)
        if objective == "binary:logitraw":
            return int(p > 0)
        return p.index(max(p))  # multi:softprob
    if key in (PROBABILITY, RAW_SCORE):
        return max(p) if isinstance(p, list) else p
    if key in (PROBABILITIES, RAW_SCORES):
        return p if isinstance(p, list) else [1.0 - p, p]
    return math.nan


def select(predictions, wanted, objective, num_class):
    """[{key: value, …}, …] for each prediction, keys in the order asked."""
    if objective not in VALID_KEYS:
        raise ValueError("Objective `%s` unsupported for selectable inference predictions." % objective)
    valid = VALID_KEYS[objective]
    invalid = [k for k in wanted if k not in valid]
    if invalid:
        logger.warning("Selected key(s) %s incompatible for objective '%s'. Please use list of compatible "
                       "selectable inference predictions: %s", invalid, objective, valid)
    return [{k: (_one(k, objective, p, num_class) if k in valid else math.nan) for k in wanted}
            for p in predictions.tolist()]


def encode(selected, wanted, accept, batch):
    if accept == media.JSON:
        return json.dumps({"predictions": selected}).encode("utf-8")
    if accept == media.JSONLINES:
        return "".join(json.dumps(s) + "\n" for s in selected).encode("utf-8")
    lines = "\n".join(",".join('"%s"' % s[k] if isinstance(s[k], list) else str(s[k]) for k in wanted)
                      for s in selected)
    return (lines + ("\n" if batch else "")).encode("utf-8")
