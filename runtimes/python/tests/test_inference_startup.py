"""Start-up failures: the server exits 1 and the last line of stderr says why (the controller's
FailureReason) — missing or corrupt model, model_fn raising, bad configuration, a port in use."""
import socket
import unittest

from tests.test_inference_helpers import PYTHON, InferenceTestCase, has_module


def last_line(text):
    lines = text.strip().splitlines()
    return lines[-1] if lines else ""


class StartupFailureTest(InferenceTestCase):
    def test_missing_model_directory(self):
        rc, err, _ = self.start_failure("/nonexistent/clary-model", "sklearn")
        self.assertEqual(rc, 1)
        self.assertEqual(last_line(err), "The model directory /nonexistent/clary-model does not exist "
                                         "(SM_MODEL_DIR; was model.tar.gz extracted?)")

    def test_unknown_framework(self):
        d = self.model_dir()
        rc, err, _ = self.start_failure(d, "tensorflow")
        self.assertEqual(rc, 1)
        self.assertIn("CLARY_INFERENCE_FRAMEWORK='tensorflow': expected one of sklearn, pytorch, xgboost, "
                      "xgboost-algorithm", last_line(err))

    @unittest.skipUnless(has_module("sklearn"), "python3-sklearn not installed for %s" % PYTHON)
    def test_corrupt_joblib_model(self):
        d = self.model_dir()
        d.file("model.joblib", "this is not a pickle")
        rc, err, _ = self.start_failure(d, "sklearn")
        self.assertEqual(rc, 1)
        self.assertRegex(last_line(err), r"^model_fn\(.*\) raised \w+Error: ")

    def test_model_fn_that_raises_and_a_missing_program(self):
        d = self.model_dir()
        d.file("code/inference.py", "def model_fn(model_dir):\n    raise FileNotFoundError('weights.bin is gone')\n")
        rc, err, _ = self.start_failure(d, "pytorch")
        self.assertEqual(rc, 1)
        self.assertEqual(last_line(err), "model_fn(%s) raised FileNotFoundError: weights.bin is gone" % d.path)
        self.assertIn("Traceback", err)  # the traceback is logged before the reason
        rc, err, _ = self.start_failure(d, "pytorch", SAGEMAKER_PROGRAM="serve.py")
        self.assertEqual(rc, 1)
        self.assertEqual(last_line(err), "SAGEMAKER_PROGRAM=serve.py: no such file in %s" % d.join("code"))

    def test_script_that_fails_to_import_and_transform_fn_mixed_with_input_fn(self):
        d = self.model_dir()
        d.file("code/inference.py", "import no_such_module_here\n")
        rc, err, _ = self.start_failure(d, "sklearn")
        self.assertEqual(rc, 1)
        self.assertIn("Could not import the inference script inference.py", last_line(err))
        self.assertIn("No module named 'no_such_module_here'", last_line(err))
        d.file("code/inference.py", "def model_fn(d): return 1\ndef input_fn(b, c): return b\n"
                                    "def transform_fn(m, b, c, a): return b\n")
        rc, err, _ = self.start_failure(d, "sklearn")
        self.assertEqual(rc, 1)
        self.assertIn("Cannot use transform_fn implementation in conjunction with input_fn", last_line(err))

    def test_missing_builtin_xgboost_model_and_busy_port(self):
        d = self.model_dir()
        rc, err, _ = self.start_failure(d, "xgboost-algorithm")
        self.assertEqual(rc, 1)
        self.assertIn("No model in %s" % d.path, last_line(err))
        busy = socket.socket()
        self.addCleanup(busy.close)
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        rc, err, _ = self.start_failure(d, "xgboost-algorithm", SAGEMAKER_BIND_TO_PORT=busy.getsockname()[1])
        self.assertEqual(rc, 1)
        self.assertIn("Cannot listen on 127.0.0.1:%d" % busy.getsockname()[1], last_line(err))


if __name__ == "__main__":
    unittest.main()
