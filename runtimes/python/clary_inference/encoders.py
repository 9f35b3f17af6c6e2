"""Predictions → response bodies for the default output_fn (application/json, text/csv, application/x-npy),
as sagemaker_inference.encoder does. numpy arrays and scalars, lists and torch tensors are accepted."""
import io
import json

from clary_inference import media
from clary_inference.errors import NotAcceptable

SUPPORTED = (media.JSON, media.CSV, media.NPY)


def to_plain(obj):
    """numpy arrays/scalars and torch tensors → Python lists/numbers; anything else unchanged."""
    module = type(obj).__module__
    if module.startswith("torch"):
        obj = obj.detach().cpu().numpy()
        module = "numpy"
    if module == "numpy":
        return obj.tolist()
    return obj


def _json_default(obj):
    plain = to_plain(obj)
    if plain is obj:
        raise TypeError("Object of type %s is not JSON serializable" % type(obj).__name__)
    return plain


def to_json(prediction):
    return json.dumps(to_plain(prediction), default=_json_default).encode("utf-8")


def _as_array(prediction):
    import numpy as np

    if type(prediction).__module__.startswith("torch"):
        prediction = prediction.detach().cpu().numpy()
    return np.asarray(prediction)


def _cells(values):
    """str() of each value as np.savetxt(fmt='%s') writes it; float64/int/bool values print the same as
    Python's, so those go through tolist() (fast); float32/float16 keep numpy's shorter text."""
    if values.dtype.kind in "iub" or values.dtype == "float64":
        return map(str, values.tolist())
    return map(str, values)


def to_csv(prediction):
    """A 1-D array → one value per line; 2-D → one row per line, comma-separated (np.savetxt fmt='%s')."""
    array = _as_array(prediction)
    if array.ndim == 0:
        array = array.reshape(1)
    if array.ndim == 1:
        lines = _cells(array)
    elif array.ndim == 2:
        lines = (",".join(_cells(row)) for row in array)
    else:
        raise ValueError("text/csv holds 1-D or 2-D predictions; this one has shape %s" % (array.shape,))
    return ("\n".join(lines) + "\n").encode("utf-8")


def to_npy(prediction):
    import numpy as np

    stream = io.BytesIO()
    np.save(stream, _as_array(prediction), allow_pickle=False)
    return stream.getvalue()


ENCODERS = {media.JSON: to_json, media.CSV: to_csv, media.NPY: to_npy}


def encode(prediction, accept):
    """(body, content_type) for the first type of `accept` the default encoders support; 406 otherwise."""
    chosen = media.choose(accept, SUPPORTED, media.JSON)
    if chosen is None:
        raise NotAcceptable("Accept type %s is not supported by the default output_fn; supported: %s. "
                            "Provide an output_fn for other types." % (accept, ", ".join(SUPPORTED)))
    return ENCODERS[chosen](prediction), chosen
