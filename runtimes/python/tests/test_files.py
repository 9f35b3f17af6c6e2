"""Safe extraction, SigV4 signing, and the standard-library S3 GET (boto3-less fallback)."""
import datetime
import http.server
import io
import json
import os
import tarfile
import tempfile
import threading
import unittest
from unittest import mock

from clary_training import errors, files, s3


class SafeExtractTest(unittest.TestCase):
    def tar_with(self, member):
        fd, path = tempfile.mkstemp(suffix=".tar.gz")
        os.close(fd)
        self.addCleanup(os.remove, path)
        with tarfile.open(path, "w:gz") as tar:
            tar.addfile(member, io.BytesIO(b"x" * member.size) if member.isfile() else None)
        return path

    def test_symlink_out_of_the_directory_is_refused(self):
        link = tarfile.TarInfo("etc")
        link.type, link.linkname = tarfile.SYMTYPE, "/etc"
        with tempfile.TemporaryDirectory() as d, self.assertRaises(errors.UserConfigurationError):
            files.safe_extract(self.tar_with(link), d)

    def test_plain_member_is_extracted(self):
        m = tarfile.TarInfo("pkg/mod.py")
        m.size = 3
        with tempfile.TemporaryDirectory() as d:
            files.safe_extract(self.tar_with(m), d)
            with open(os.path.join(d, "pkg/mod.py")) as f:
                self.assertEqual(f.read(), "xxx")


class SigV4Test(unittest.TestCase):
    def test_aws_documented_s3_get_object_example(self):
        # "Example: GET Object" of the S3 SigV4 header-based authentication documentation.
        headers = s3.sign("GET", "https://examplebucket.s3.amazonaws.com/test.txt", {"Range": "bytes=0-9"},
                          ("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", None), "us-east-1",
                          datetime.datetime(2013, 5, 24, tzinfo=datetime.timezone.utc))
        self.assertEqual(headers["authorization"],
                         "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
                         "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
                         "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")


class _Handler(http.server.BaseHTTPRequestHandler):
    seen = []

    def do_GET(self):  # noqa: N802
        _Handler.seen.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
        if self.path == "/creds":
            body = json.dumps({"AccessKeyId": "AKID", "SecretAccessKey": "SECRET", "Token": "TOKEN"}).encode()
            if self.headers.get("Authorization") != "container-token":
                self.send_response(403)
                self.end_headers()
                return
        elif self.path == "/bucket/jobs/source/sourcedir.tar.gz":
            body = b"tarball-bytes"
        else:
            self.send_response(404)
            self.end_headers()
            self.wfile.write(b"<Error><Code>NoSuchKey</Code></Error>")
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class StdlibS3GetTest(unittest.TestCase):
    def setUp(self):
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.addCleanup(self.server.server_close)
        self.addCleanup(self.server.shutdown)
        self.url = "http://127.0.0.1:%d" % self.server.server_port
        _Handler.seen.clear()

    def env(self):
        return {"S3_ENDPOINT_URL": self.url, "AWS_REGION": "us-west-2",
                "AWS_CONTAINER_CREDENTIALS_FULL_URI": self.url + "/creds",
                "AWS_CONTAINER_AUTHORIZATION_TOKEN": "container-token"}

    def test_get_signed_with_container_credentials(self):
        with tempfile.TemporaryDirectory() as d, mock.patch.dict(os.environ, self.env(), clear=True):
            s3._stdlib_get("bucket", "jobs/source/sourcedir.tar.gz", os.path.join(d, "out"))
            with open(os.path.join(d, "out"), "rb") as f:
                self.assertEqual(f.read(), b"tarball-bytes")
        path, headers = _Handler.seen[-1]
        self.assertEqual(path, "/bucket/jobs/source/sourcedir.tar.gz")
        self.assertTrue(headers["authorization"].startswith(
            "AWS4-HMAC-SHA256 Credential=AKID/"), headers["authorization"])
        self.assertIn("/us-west-2/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date;"
                      "x-amz-security-token, Signature=", headers["authorization"])
        self.assertEqual(headers["x-amz-security-token"], "TOKEN")

    def test_missing_object_names_the_status(self):
        with tempfile.TemporaryDirectory() as d, mock.patch.dict(os.environ, self.env(), clear=True):
            with self.assertRaisesRegex(RuntimeError, "HTTP 404.*NoSuchKey"):
                s3._stdlib_get("bucket", "nope.tar.gz", os.path.join(d, "out"))


if __name__ == "__main__":
    unittest.main()
