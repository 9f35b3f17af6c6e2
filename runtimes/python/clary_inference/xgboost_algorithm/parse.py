"""Request bodies → xgboost.DMatrix: text/csv (features only, no label, no header, one record per line) and
text/libsvm / text/x-libsvm ('[label] index:value ...', any label ignored), as the built-in algorithm reads them."""
import io

from clary_inference import media


def _text(body):
    return (body.decode("utf-8") if isinstance(body, (bytes, bytearray, memoryview)) else body).strip()


def _delimiter(line):
    if "," in line:
        return ","
    for d in ("\t", ";", "|", " "):
        if d in line:
            return d
    return ","


def csv_array(body):
    import numpy as np

    text = _text(body)
    if not text:
        raise ValueError("no records")
    delimiter = _delimiter(text.split("\n", 1)[0])
    try:  # numpy's C parser: the fast path when no field is empty
        array = np.loadtxt(io.StringIO(text), delimiter=delimiter, dtype=np.float64, ndmin=2, comments=None)
        if array.size:
            return array
    except ValueError:
        pass
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        raise ValueError("no records")
    rows = [line.split(delimiter) for line in lines]
    widths = {len(r) for r in rows}
    if len(widths) != 1:
        raise ValueError("records have different numbers of features: %s" % sorted(widths))
    return np.array([[float(v) if v.strip() else np.nan for v in r] for r in rows], dtype=np.float64)


def libsvm_matrix(body):
    import numpy as np
    from scipy.sparse import csr_matrix

    rows, cols, values = [], [], []
    n = 0
    for n, line in enumerate(_text(body).splitlines()):
        for item in line.split():
            if ":" in item:
                index, _, value = item.partition(":")
                rows.append(n)
                cols.append(int(index))
                values.append(float(value))
    if not cols:
        raise ValueError("no index:value pairs")
    return csr_matrix((np.array(values), (np.array(rows), np.array(cols))), shape=(n + 1, max(cols) + 1))


def dmatrix(body, kind):
    """DMatrix of a text/csv or libsvm body; ValueError (with the reason) when it is not one."""
    import xgboost as xgb

    if kind == media.CSV:
        try:
            return xgb.DMatrix(csv_array(body))
        except (ValueError, UnicodeDecodeError) as e:
            raise ValueError("Loading csv data failed with Exception, please ensure data is in csv format: %s" % e)
    try:
        return xgb.DMatrix(libsvm_matrix(body))
    except (ValueError, UnicodeDecodeError) as e:
        raise ValueError("Loading libsvm data failed with Exception, please ensure data is in libsvm format: %s" % e)
