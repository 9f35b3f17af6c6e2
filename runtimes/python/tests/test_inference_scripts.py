"""User inference scripts: model_fn/input_fn/predict_fn/output_fn, transform_fn, the context argument and
custom attributes, streaming generators, execution_parameters_fn, code found in model/code or in
SAGEMAKER_SUBMIT_DIRECTORY."""
import json
import os
import unittest

from tests.test_inference_helpers import PYTHON, InferenceTestCase, ModelDir, ServerProcess, call, has_module
from tests.test_inference_sklearn import train_linear

FOUR_FUNCTIONS = '''
import json, os
import joblib
import numpy as np

def model_fn(model_dir):
    return {"model": joblib.load(os.path.join(model_dir, "weights.joblib")), "loaded_from": model_dir}

class Rejected(Exception):  # like sagemaker_inference.errors.GenericInferenceToolkitError
    def __init__(self, status_code, message):
        super().__init__(message)
        self.status_code, self.message = status_code, message

def input_fn(request_body, content_type, context):
    assert isinstance(request_body, str), type(request_body)  # application/json arrives decoded
    payload = json.loads(request_body)
    if payload.get("explode"):
        raise ValueError("asked to explode")
    if "instances" not in payload:
        raise Rejected(422, "instances missing")
    context.set_response_header(0, "X-Amzn-SageMaker-Custom-Attributes", "echo=" + (context.custom_attributes or ""))
    return np.array(payload["instances"], dtype=float)

def predict_fn(data, model):
    return model["model"].predict(data)

def output_fn(prediction, accept):
    if accept == "application/x-custom":
        return "custom:" + ";".join("%.3f" % p for p in prediction), "application/x-custom"
    return json.dumps({"predictions": prediction.tolist()})

def execution_parameters_fn():
    return {"MaxConcurrentTransforms": 3, "BatchStrategy": "SINGLE_RECORD", "MaxPayloadInMB": 2}
'''

TRANSFORM_FN = '''
import json
import numpy as np
from helper import scale  # a sibling module of the code directory

def model_fn(model_dir):
    return scale

def transform_fn(model, request_body, content_type, accept):
    values = [model(float(v)) for v in request_body.decode().split()]
    if accept == "application/jsonlines":
        return (json.dumps({"value": v}) + "\\n" for v in values)  # a generator: streamed, chunked
    return json.dumps(values), "application/json"
'''

STREAM_PREDICT = '''
def model_fn(model_dir):
    return None

def input_fn(body, content_type):
    return int(body)

def predict_fn(n, model):
    for i in range(n):
        yield {"token": i}
    if n == 3:
        raise RuntimeError("stream broke")
'''


HAVE_SKLEARN = has_module("sklearn")
SERVERS = {}


def setUpModule():
    """Write the three scripts and start their servers together (they load in parallel)."""
    if HAVE_SKLEARN:
        four = ModelDir()
        SERVERS["model"] = train_linear(four.join("weights.joblib"))
        four.file("code/inference.py", FOUR_FUNCTIONS)
        four.file("code/requirements.txt", "leftpad==1.0\n")
        SERVERS["four"] = (four, ServerProcess(four.path, "sklearn", SAGEMAKER_PROGRAM="inference.py"))
    # transform_fn: the code comes from SAGEMAKER_SUBMIT_DIRECTORY (a local directory), not from model/code
    transform = ModelDir()
    transform.file("src/serve_me.py", TRANSFORM_FN)
    transform.file("src/helper.py", "def scale(x):\n    return 10 * x\n")
    os.makedirs(transform.join("model"))
    SERVERS["transform"] = (transform, ServerProcess(transform.join("model"), "pytorch", SAGEMAKER_PROGRAM="serve_me.py",
                                                     SAGEMAKER_SUBMIT_DIRECTORY=transform.join("src")))
    stream = ModelDir()
    stream.file("code/inference.py", STREAM_PREDICT)
    SERVERS["stream"] = (stream, ServerProcess(stream.path, "sklearn"))


def tearDownModule():
    for name in ("four", "transform", "stream"):
        if name in SERVERS:
            SERVERS[name][1].kill()
            SERVERS[name][0].cleanup()


def _connection(test, name):
    conn = SERVERS[name][1].wait_ready().connection()
    test.addCleanup(conn.close)
    return SERVERS[name][1], conn


@unittest.skipUnless(HAVE_SKLEARN, "python3-sklearn not installed for %s" % PYTHON)
class FourFunctionsTest(InferenceTestCase):
    def setUp(self):
        self.model = SERVERS["model"]
        self.server, self.conn = _connection(self, "four")

    def test_user_functions_custom_attributes_and_custom_accept(self):
        status, h, body = call(self.conn, "POST", "/invocations", json.dumps({"instances": [[1, 2]]}),
                               {"Content-Type": "application/json", "X-Amzn-SageMaker-Custom-Attributes": "trace=7"})
        self.assertEqual(status, 200, body)
        self.assertEqual(h["content-type"], "application/json")
        self.assertAlmostEqual(json.loads(body)["predictions"][0], self.model.predict([[1, 2]])[0], places=6)
        self.assertEqual(h["x-amzn-sagemaker-custom-attributes"], "echo=trace=7")
        status, h, body = call(self.conn, "POST", "/invocations", json.dumps({"instances": [[1, 1]]}),
                               {"Content-Type": "application/json", "Accept": "application/x-custom"})
        self.assertEqual((status, h["content-type"]), (200, "application/x-custom"), body)
        self.assertEqual(body.decode(), "custom:%.3f" % self.model.predict([[1, 1]])[0])

    def test_handler_exception_is_500_with_its_message_and_a_logged_traceback(self):
        status, _, body = call(self.conn, "POST", "/invocations", json.dumps({"explode": True}),
                               {"Content-Type": "application/json"})
        self.assertEqual(status, 500)
        self.assertTrue(body.startswith(b"asked to explode\n"), body)
        self.server.wait_output("ValueError: asked to explode", 30, "stderr")
        self.assertIn('in input_fn', self.server.stderr)

    def test_an_exception_with_a_status_code_answers_with_it(self):
        status, _, body = call(self.conn, "POST", "/invocations", "{}", {"Content-Type": "application/json"})
        self.assertEqual(status, 422)
        self.assertTrue(body.startswith(b"instances missing\n"), body)

    def test_execution_parameters_fn_and_requirements_skipped_without_an_index(self):
        status, _, body = call(self.conn, "GET", "/execution-parameters")
        self.assertEqual(json.loads(body), {"MaxConcurrentTransforms": 3, "BatchStrategy": "SINGLE_RECORD",
                                            "MaxPayloadInMB": 2})
        self.server.wait_output("requirements.txt: no package index is reachable", 30)


class TransformFnTest(InferenceTestCase):
    def setUp(self):
        self.server, self.conn = _connection(self, "transform")

    def test_transform_fn_returns_body_and_content_type(self):
        status, h, body = call(self.conn, "POST", "/invocations", "1 2.5", {"Content-Type": "text/plain"})
        self.assertEqual((status, h["content-type"]), (200, "application/json"), body)
        self.assertEqual(json.loads(body), [10.0, 25.0])

    def test_a_generator_is_streamed_chunked(self):
        status, h, body = call(self.conn, "POST", "/invocations", "1 2 3",
                               {"Content-Type": "text/plain", "Accept": "application/jsonlines"})
        self.assertEqual(status, 200, body)
        self.assertEqual(h.get("transfer-encoding"), "chunked")
        self.assertNotIn("content-length", h)
        self.assertEqual([json.loads(l)["value"] for l in body.decode().splitlines()], [10.0, 20.0, 30.0])
        status, _, _ = call(self.conn, "GET", "/ping")  # keep-alive survives a chunked response
        self.assertEqual(status, 200)


class StreamingPredictTest(InferenceTestCase):
    def test_generator_prediction_is_encoded_item_by_item_and_a_broken_stream_is_cut(self):
        server, conn = _connection(self, "stream")
        status, h, body = call(conn, "POST", "/invocations", "2", {"Content-Type": "text/plain"})
        self.assertEqual((status, h["content-type"], h.get("transfer-encoding")), (200, "application/json", "chunked"))
        self.assertEqual([json.loads(l) for l in body.decode().splitlines()], [{"token": 0}, {"token": 1}])
        status, _, body = call(conn, "POST", "/invocations", "2", {"Content-Type": "text/plain",
                                                                   "Accept": "application/xml"})
        self.assertEqual(status, 406, body)  # decided before the first chunk
        import http.client

        conn2 = server.connection()
        self.addCleanup(conn2.close)
        conn2.request("POST", "/invocations", "3", {"Content-Type": "text/plain"})
        r = conn2.getresponse()
        self.assertEqual(r.status, 200)  # headers went out before the generator failed
        with self.assertRaises(http.client.IncompleteRead):
            r.read()
        server.wait_output("RuntimeError: stream broke", 30, "stderr")


if __name__ == "__main__":
    unittest.main()
