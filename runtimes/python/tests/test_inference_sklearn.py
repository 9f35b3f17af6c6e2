"""scikit-learn endpoints with the default handlers: a joblib model served over JSON, CSV and NPY."""
import io
import json
import unittest

from tests.test_inference_helpers import PYTHON, InferenceTestCase, call, has_module

HAVE_SKLEARN = has_module("sklearn")


def train_linear(path):
    import joblib
    import numpy as np
    from sklearn.linear_model import LinearRegression

    X = np.array([[1, 2], [2, 1], [3, 3], [0, 1], [5, 2]], dtype=float)
    model = LinearRegression().fit(X, X @ np.array([1.0, 2.0]) + 0.5)
    joblib.dump(model, path)
    return model


@unittest.skipUnless(HAVE_SKLEARN, "python3-sklearn not installed for %s" % PYTHON)
class SklearnDefaultHandlersTest(InferenceTestCase):
    @classmethod
    def setUpClass(cls):
        from tests.test_inference_helpers import ModelDir, ServerProcess

        cls.dir = ModelDir()
        cls.model = train_linear(cls.dir.join("model.joblib"))
        cls.server = ServerProcess(cls.dir.path, "sklearn").wait_ready()

    @classmethod
    def tearDownClass(cls):
        cls.server.kill()
        cls.dir.cleanup()

    def setUp(self):
        self.conn = self.server.connection()
        self.addCleanup(self.conn.close)

    def expected(self, rows):
        import numpy as np

        return self.model.predict(np.array(rows, dtype=np.float32)).tolist()

    def test_json_in_json_out_on_one_keep_alive_connection(self):
        for rows in ([[1, 2], [3, 4]], [[0.5, 0.25]]):
            status, headers, body = call(self.conn, "POST", "/invocations", json.dumps(rows),
                                         {"Content-Type": "application/json", "Accept": "application/json"})
            self.assertEqual(status, 200, body)
            self.assertEqual(headers["content-type"], "application/json")
            self.assertEqual(int(headers["content-length"]), len(body))
            for got, want in zip(json.loads(body), self.expected(rows)):
                self.assertAlmostEqual(got, want, places=4)

    def test_csv_in_csv_out(self):
        status, headers, body = call(self.conn, "POST", "/invocations", "1,2\n3,4\n",
                                     {"Content-Type": "text/csv", "Accept": "text/csv"})
        self.assertEqual(status, 200, body)
        self.assertEqual(headers["content-type"], "text/csv")
        lines = body.decode().splitlines()
        self.assertEqual(len(lines), 2)
        for got, want in zip(lines, self.expected([[1, 2], [3, 4]])):
            self.assertAlmostEqual(float(got), want, places=4)

    def test_npy_in_npy_out(self):
        import numpy as np

        buf = io.BytesIO()
        np.save(buf, np.array([[2.0, 2.0]]))
        status, headers, body = call(self.conn, "POST", "/invocations", buf.getvalue(),
                                     {"Content-Type": "application/x-npy", "Accept": "application/x-npy"})
        self.assertEqual(status, 200, body)
        self.assertEqual(headers["content-type"], "application/x-npy")
        out = np.load(io.BytesIO(body))
        self.assertAlmostEqual(float(out[0]), self.model.predict(np.array([[2.0, 2.0]]))[0], places=6)

    def test_missing_or_wildcard_accept_is_json(self):
        for accept in (None, "*/*"):
            headers = {"Content-Type": "text/csv"}
            if accept:
                headers["Accept"] = accept
            status, h, body = call(self.conn, "POST", "/invocations", "1,2", headers)
            self.assertEqual(status, 200, body)
            self.assertEqual(h["content-type"], "application/json")
            self.assertEqual(len(json.loads(body)), 1)

    def test_first_supported_type_of_a_list_of_accepts_is_chosen(self):
        status, h, body = call(self.conn, "POST", "/invocations", "1,2",
                               {"Content-Type": "text/csv", "Accept": "application/xml, text/csv;q=0.9"})
        self.assertEqual((status, h["content-type"]), (200, "text/csv"), body)

    def test_unsupported_content_type_is_415(self):
        status, h, body = call(self.conn, "POST", "/invocations", "<x/>", {"Content-Type": "application/xml"})
        self.assertEqual(status, 415)
        self.assertIn(b"Content type application/xml is not supported", body)

    def test_unsupported_accept_is_406(self):
        status, _, body = call(self.conn, "POST", "/invocations", "[[1,2]]",
                               {"Content-Type": "application/json", "Accept": "application/xml"})
        self.assertEqual(status, 406)
        self.assertIn(b"Accept type application/xml is not supported", body)

    def test_malformed_body_is_400_and_a_model_error_is_500(self):
        status, _, body = call(self.conn, "POST", "/invocations", "[[1,2", {"Content-Type": "application/json"})
        self.assertEqual(status, 400, body)
        status, _, body = call(self.conn, "POST", "/invocations", "[[1,2,3]]", {"Content-Type": "application/json"})
        self.assertEqual(status, 500)
        self.assertIn(b"features", body)  # sklearn: X has 3 features, but LinearRegression is expecting 2
        self.server.wait_output("Invocation failed", 30, "stderr")
        # the connection is still usable
        status, _, _ = call(self.conn, "GET", "/ping")
        self.assertEqual(status, 200)

    def test_execution_parameters_and_unknown_paths(self):
        status, h, body = call(self.conn, "GET", "/execution-parameters")
        self.assertEqual(status, 200)
        self.assertEqual(h["content-type"], "application/json")
        self.assertEqual(json.loads(body), {"MaxConcurrentTransforms": 1, "BatchStrategy": "MULTI_RECORD",
                                            "MaxPayloadInMB": 6})
        self.assertEqual(call(self.conn, "GET", "/nope")[0], 404)
        self.assertEqual(call(self.conn, "GET", "/invocations")[0], 405)
        self.assertEqual(call(self.conn, "POST", "/ping", "ignored body")[0], 405)
        self.assertEqual(call(self.conn, "HEAD", "/ping")[0], 200)
        self.assertEqual(call(self.conn, "GET", "/ping")[0], 200)  # the 405's body did not poison the connection

    def test_chunked_request_body(self):
        self.conn.putrequest("POST", "/invocations")
        self.conn.putheader("Content-Type", "application/json")
        self.conn.putheader("Transfer-Encoding", "chunked")
        self.conn.endheaders()
        for part in (b"[[1,", b" 2]]"):
            self.conn.send(b"%X\r\n%s\r\n" % (len(part), part))
        self.conn.send(b"0\r\n\r\n")
        r = self.conn.getresponse()
        body = r.read()
        self.assertEqual(r.status, 200, body)
        self.assertAlmostEqual(json.loads(body)[0], self.expected([[1, 2]])[0], places=4)


if __name__ == "__main__":
    unittest.main()
