"""Download one S3 object: with boto3 when it is importable, else a small standard-library SigV4 GET.

Endpoint: S3_ENDPOINT_URL, AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL (path-style addressing);
region: AWS_REGION, SAGEMAKER_REGION or AWS_DEFAULT_REGION. Credentials for the fallback:
AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/AWS_SESSION_TOKEN, else the container-credentials endpoint
(AWS_CONTAINER_CREDENTIALS_FULL_URI or _RELATIVE_URI with AWS_CONTAINER_AUTHORIZATION_TOKEN[_FILE]).
"""
import datetime
import hashlib
import hmac
import json
import os
import shutil
import urllib.error
import urllib.parse
import urllib.request

EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()


def endpoint_url():
    for name in ("S3_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"):
        if os.environ.get(name):
            return os.environ[name]
    return None


def region():
    return (os.environ.get("AWS_REGION") or os.environ.get("SAGEMAKER_REGION")
            or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1")


def parse_s3_uri(uri):
    url = urllib.parse.urlparse(uri)
    if url.scheme != "s3":
        raise ValueError("Expecting 's3' scheme, got: %s in %s" % (url.scheme, uri))
    return url.netloc, url.path.lstrip("/")


def download(uri, dst):
    bucket, key = parse_s3_uri(uri)
    try:
        import boto3  # noqa: F401  (Debian's python3-boto3 where present)
    except ImportError:
        boto3 = None
    if boto3 is not None:
        client = boto3.client("s3", region_name=region(), endpoint_url=endpoint_url())
        client.download_file(bucket, key, dst)
        return
    _stdlib_get(bucket, key, dst)


def credentials():
    """(access_key, secret_key, session_token) or None (then the request goes unsigned)."""
    if os.environ.get("AWS_ACCESS_KEY_ID") and os.environ.get("AWS_SECRET_ACCESS_KEY"):
        return os.environ["AWS_ACCESS_KEY_ID"], os.environ["AWS_SECRET_ACCESS_KEY"], os.environ.get("AWS_SESSION_TOKEN")
    url = os.environ.get("AWS_CONTAINER_CREDENTIALS_FULL_URI")
    if not url and os.environ.get("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"):
        url = "http://169.254.170.2" + os.environ["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"]
    if not url:
        return None
    token = os.environ.get("AWS_CONTAINER_AUTHORIZATION_TOKEN")
    token_file = os.environ.get("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE")
    if not token and token_file:
        with open(token_file) as f:
            token = f.read().strip()
    req = urllib.request.Request(url, headers={"Authorization": token} if token else {})
    with urllib.request.urlopen(req, timeout=10) as resp:
        body = json.loads(resp.read().decode("utf-8"))
    return body["AccessKeyId"], body["SecretAccessKey"], body.get("Token")


def _hmac(key, msg):
    return hmac.new(key, msg.encode("utf-8"), hashlib.sha256).digest()


def sign(method, url, headers, creds, region_name, now, payload_hash=EMPTY_SHA256, service="s3"):
    """SigV4-sign a request: returns the headers to send (host, x-amz-date, x-amz-content-sha256,
    x-amz-security-token when there is a session token, Authorization)."""
    access_key, secret_key, token = creds
    parsed = urllib.parse.urlsplit(url)
    amz_date = now.strftime("%Y%m%dT%H%M%SZ")
    datestamp = now.strftime("%Y%m%d")
    out = {k.lower(): v for k, v in headers.items()}
    out["host"] = parsed.netloc
    out["x-amz-date"] = amz_date
    out["x-amz-content-sha256"] = payload_hash
    if token:
        out["x-amz-security-token"] = token
    signed = sorted(out)
    canonical_headers = "".join("%s:%s\n" % (k, " ".join(str(out[k]).split())) for k in signed)
    query = urllib.parse.parse_qsl(parsed.query, keep_blank_values=True)
    canonical_query = "&".join(
        "%s=%s" % (urllib.parse.quote(k, safe="-_.~"), urllib.parse.quote(v, safe="-_.~")) for k, v in sorted(query))
    canonical_request = "\n".join([
        method, parsed.path or "/", canonical_query, canonical_headers, ";".join(signed), payload_hash])
    scope = "%s/%s/%s/aws4_request" % (datestamp, region_name, service)
    string_to_sign = "\n".join([
        "AWS4-HMAC-SHA256", amz_date, scope, hashlib.sha256(canonical_request.encode("utf-8")).hexdigest()])
    key = _hmac(_hmac(_hmac(_hmac(("AWS4" + secret_key).encode("utf-8"), datestamp), region_name), service), "aws4_request")
    signature = hmac.new(key, string_to_sign.encode("utf-8"), hashlib.sha256).hexdigest()
    out["authorization"] = "AWS4-HMAC-SHA256 Credential=%s/%s, SignedHeaders=%s, Signature=%s" % (
        access_key, scope, ";".join(signed), signature)
    return out


def _stdlib_get(bucket, key, dst):
    reg = region()
    base = endpoint_url() or "https://s3.%s.amazonaws.com" % reg
    url = "%s/%s/%s" % (base.rstrip("/"), urllib.parse.quote(bucket, safe=""), urllib.parse.quote(key, safe="/-_.~"))
    creds = credentials()
    headers = {}
    if creds:
        headers = sign("GET", url, {}, creds, reg, datetime.datetime.now(datetime.timezone.utc))
        headers.pop("host")
    req = urllib.request.Request(url, headers=headers, method="GET")
    try:
        with urllib.request.urlopen(req, timeout=60) as resp, open(dst, "wb") as out:
            shutil.copyfileobj(resp, out)
    except urllib.error.HTTPError as e:
        detail = e.read()[:500].decode("utf-8", "replace")
        raise RuntimeError("S3 GET s3://%s/%s failed: HTTP %s %s" % (bucket, key, e.code, detail)) from e
