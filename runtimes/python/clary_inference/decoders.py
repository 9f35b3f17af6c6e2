"""Request bodies → numpy arrays for the default input_fn (application/json, text/csv, application/x-npy),
as sagemaker_inference.decoder does."""
import io
import json

from clary_inference import media
from clary_inference.errors import BadRequest, UnsupportedMediaType

SUPPORTED = (media.JSON, media.CSV, media.NPY)


def _text(body):
    return body.decode("utf-8") if isinstance(body, (bytes, bytearray, memoryview)) else body


def json_to_numpy(body, dtype=None):
    import numpy as np

    return np.array(json.loads(_text(body)), dtype=dtype)


def csv_to_numpy(body, dtype=None):
    """One record per line, comma-separated, no header. Always 2-D (a single line is one record);
    numbers → float64 (empty fields → NaN), anything else → an array of strings."""
    import numpy as np

    text = _text(body)
    if not text.strip():
        raise BadRequest("text/csv body holds no records")
    try:  # numpy's C parser: the fast path for all-numeric records
        array = np.loadtxt(io.StringIO(text), delimiter=",", dtype=dtype or np.float64, ndmin=2, comments=None)
        if array.size:
            return array
    except ValueError:
        pass
    rows = [line.split(",") for line in text.splitlines() if line.strip()]
    if not rows:
        raise BadRequest("text/csv body holds no records")
    if len({len(r) for r in rows}) != 1:
        raise BadRequest("text/csv records do not all have the same number of fields")
    try:
        return np.array([[float(v) if v.strip() else np.nan for v in r] for r in rows], dtype=dtype or np.float64)
    except ValueError:
        return np.array([[v.strip() for v in r] for r in rows], dtype=str)


def npy_to_numpy(body, dtype=None):
    import numpy as np

    array = np.load(io.BytesIO(bytes(body)), allow_pickle=False)
    return array.astype(dtype) if dtype is not None else array


_DECODERS = {media.JSON: json_to_numpy, media.CSV: csv_to_numpy, media.NPY: npy_to_numpy}


def decode(body, content_type, dtype=None):
    """Decode `body` (bytes or str) of `content_type` into a numpy array; 415 for other types, 400 for a
    body that is not what its type says."""
    decoder = _DECODERS.get(media.base_type(content_type))
    if decoder is None:
        raise UnsupportedMediaType("Content type %s is not supported by the default input_fn; supported: %s. "
                                   "Provide an input_fn for other types." % (content_type, ", ".join(SUPPORTED)))
    try:
        return decoder(body, dtype)
    except (BadRequest, UnsupportedMediaType):
        raise
    except (ValueError, TypeError, UnicodeDecodeError, EOFError, OSError) as e:
        raise BadRequest("Could not decode the %s request body: %s" % (media.base_type(content_type), e))
