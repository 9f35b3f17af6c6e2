"""Content-Type and Accept headers: base types, and the accept type a request asks for."""

JSON = "application/json"
CSV = "text/csv"
NPY = "application/x-npy"
JSONLINES = "application/jsonlines"
LIBSVM = "text/libsvm"
X_LIBSVM = "text/x-libsvm"
OCTET_STREAM = "application/octet-stream"
ANY = "*/*"
UTF8_TYPES = (JSON, CSV)


def base_type(header):
    """'text/csv; charset=utf-8' → 'text/csv' (lower case, no parameters); None/'' → ''."""
    if not header:
        return ""
    return header.split(";", 1)[0].strip().lower()


def requested_accept(header, default):
    """The Accept a handler sees: the header, or `default` when it is missing or */* (as the toolkit does)."""
    if not header or header.strip() == ANY:
        return default
    return header.strip()


def accept_candidates(accept):
    """'application/json, text/csv;q=0.5' → ['application/json', 'text/csv'] (in the order given)."""
    return [t for t in (base_type(part) for part in accept.split(",")) if t]


def choose(accept, supported, default):
    """The first type in `accept` that is in `supported` (*/* → default); None when there is none."""
    for candidate in accept_candidates(accept):
        if candidate == ANY:
            return default
        if candidate in supported:
            return candidate
    return None
