"""Dictionaries → SM_* environment variables and → command-line arguments (mapping.py)."""
import json


def _format_value(value):
    if isinstance(value, bytes):
        return value.decode("latin1")
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def to_env_vars(mapping):
    """{'model_dir': '/opt/ml/model', 'hps': {...}} → {'SM_MODEL_DIR': '/opt/ml/model', 'SM_HPS': '{...}'}.

    Keys get the prefix SM_ and are upper-cased (dashes kept); strings pass as-is, None becomes "",
    anything else is compact JSON with sorted keys.
    """
    return {("SM_%s" % str(k).upper() if k else ""): _format_value(v) for k, v in mapping.items()}


def _decode(obj):
    if obj is None:
        return ""
    if isinstance(obj, bytes):
        return obj.decode("latin1")
    return str(obj)


def to_cmd_args(mapping):
    """Sorted keys; '-k' for a one-character key, '--key' otherwise; values through str();
    a dict value becomes 'k1=v1,k2=v2'."""
    args = []
    for key in sorted(mapping.keys()):
        name = _decode(key)
        args.append(("--%s" % name if len(name) > 1 else "-%s" % name) if name else "")
        value = mapping[key]
        if hasattr(value, "items"):
            args.append(",".join("%s=%s" % (k, v) for k, v in sorted(value.items())))
        else:
            args.append(_decode(value))
    return args


def split_by_criteria(dictionary, keys=(), prefix=None):
    """Split a dict in (included, excluded): included are the keys in `keys` or starting with `prefix`."""
    keys = set(keys)
    included = {k: v for k, v in dictionary.items() if k in keys or (prefix and k.startswith(prefix))}
    excluded = {k: v for k, v in dictionary.items() if k not in included}
    return included, excluded
