"""Channel data → xgboost.DMatrix: text/csv (label first, no header) or libsvm, File mode."""
import csv
import os
import shutil
import tempfile

from clary_training.xgboost_algorithm.errors import UserError

CSV, LIBSVM = "csv", "libsvm"


def content_type(configured, files):
    """'text/csv; label_size=1' → csv; 'text/libsvm', 'text/x-libsvm', 'libsvm' → libsvm; no ContentType →
    by file extension, else libsvm (the real container's default)."""
    if configured:
        base, _, params = configured.lower().partition(";")
        base = base.strip()
        if base in ("csv", "text/csv"):
            if "label_size" in params and "label_size=1" not in params.replace(" ", ""):
                raise UserError("%s is not an accepted csv ContentType. Optional parameter label_size must be "
                                "equal to 1" % configured)
            return CSV
        if base in ("libsvm", "text/libsvm", "text/x-libsvm"):
            return LIBSVM
        raise UserError("%s is not an accepted ContentType: text/csv, text/libsvm, text/x-libsvm (Clary's built-in "
                        "XGBoost does not read parquet or recordio-protobuf)" % configured)
    exts = {os.path.splitext(f)[1].lower() for f in files}
    if exts and exts <= {".csv"}:
        return CSV
    return LIBSVM


def data_files(path):
    """Data files under a channel directory (recursively), skipping names starting with '.' or '_'."""
    if not os.path.exists(path):
        return []
    if os.path.isfile(path):
        return [path]
    found = []
    for root, dirs, names in os.walk(path):
        dirs[:] = sorted(d for d in dirs if not d.startswith((".", "_")))
        for n in sorted(names):
            full = os.path.join(root, n)
            if not n.startswith((".", "_")) and os.path.isfile(full) and os.path.getsize(full) > 0:
                found.append(full)
    return found


def _delimiter(line):
    try:
        return csv.Sniffer().sniff(line, delimiters=",\t; |").delimiter
    except csv.Error:
        if "," in line or len(line.split()) <= 1:
            return ","
        raise UserError("Could not determine delimiter on line %s" % line[:50])


def _csv_dmatrix(files, csv_weights):
    import numpy as np
    import xgboost as xgb

    with open(files[0], errors="ignore") as f:
        delimiter = _delimiter(f.readline())
    arrays = []
    for path in files:
        try:
            arr = np.genfromtxt(path, delimiter=delimiter, dtype=np.float64, ndmin=2)
        except ValueError as e:
            raise UserError("Failed to load csv data with exception:\n%s" % e)
        if arr.size:
            arrays.append(arr)
    data = np.vstack(arrays)
    if np.isnan(data[:, 0]).any():
        raise UserError("Failed to load csv data: the first column (label) has empty or non-numeric values; "
                        "text/csv input must have the label in the first column and no header row")
    if csv_weights == 1:
        return xgb.DMatrix(data[:, 2:], label=data[:, 0], weight=data[:, 1])
    return xgb.DMatrix(data[:, 1:], label=data[:, 0])


def _libsvm_dmatrix(files):
    import xgboost as xgb

    with tempfile.TemporaryDirectory() as tmp:
        path = files[0]
        if len(files) > 1:
            path = os.path.join(tmp, "combined.libsvm")
            with open(path, "wb") as out:
                for f in files:
                    with open(f, "rb") as src:
                        shutil.copyfileobj(src, out)
                    out.write(b"\n")
        try:
            return xgb.DMatrix("%s?format=libsvm" % path)
        except Exception as e:  # noqa: BLE001 — xgboost raises XGBoostError
            raise UserError("Failed to load libsvm data with exception:\n%s" % e)


def dmatrix(files, kind, csv_weights=0):
    return _csv_dmatrix(files, csv_weights) if kind == CSV else _libsvm_dmatrix(files)
