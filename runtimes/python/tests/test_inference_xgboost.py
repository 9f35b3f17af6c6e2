"""XGBoost: the built-in algorithm's server on the model clary_training's xgboost-train writes (CSV and
libsvm in; CSV, JSON and JSON Lines out; 204/415/406/400), multi:softprob in batch transform, and the
XGBoost framework's script-mode defaults."""
import contextlib
import io
import json
import random
import unittest

from tests.support import JobTree
from tests.test_inference_helpers import PYTHON, InferenceTestCase, call, has_module

HAVE_XGB = has_module("xgboost")


def _rows(n, seed):
    rnd = random.Random(seed)
    return [(rnd.random(), rnd.random()) for _ in range(n)]


SERVERS = {}


def setUpModule():
    """Train the three models in this process and start their servers together (they load in parallel)."""
    if not HAVE_XGB:
        return
    import numpy as np
    import xgboost as xgb
    from clary_training.xgboost_algorithm import train
    from tests.test_inference_helpers import ModelDir, ServerProcess

    # the built-in algorithm's own training code writes model/xgboost-model
    job = JobTree(hyperparameters={"num_round": "8", "max_depth": "3", "eta": "0.5", "seed": "1"})
    rows = np.array(_rows(80, 1))
    with contextlib.redirect_stdout(io.StringIO()):  # its per-round metric lines
        train.train_job({"num_round": 8, "max_depth": 3, "eta": 0.5, "seed": 1, "objective": "reg:squarederror"},
                        xgb.DMatrix(rows, label=3 * rows[:, 0] + rows[:, 1]), None, job.path("model"))
    SERVERS["algorithm"] = (job, ServerProcess(job.path("model"), "xgboost-algorithm"))

    softprob = ModelDir()
    X = np.array([[i % 3 + random.Random(i).random() / 3] for i in range(60)])
    bst = xgb.train({"objective": "multi:softprob", "num_class": 3, "max_depth": 2},
                    xgb.DMatrix(X, label=np.array([i % 3 for i in range(60)])), 5)
    bst.save_model(softprob.join("xgboost-model"))
    SERVERS["softprob"] = (softprob, ServerProcess(softprob.path, "xgboost-algorithm", SAGEMAKER_BATCH="true"))

    selectable = ModelDir()
    X = np.array(_rows(60, 5))
    bst = xgb.train({"objective": "binary:logistic", "max_depth": 2}, xgb.DMatrix(X, label=X[:, 0] > 0.5), 6)
    bst.save_model(selectable.join("xgboost-model"))
    SERVERS["selectable"] = (selectable, ServerProcess(selectable.path, "xgboost-algorithm",
                                                       SAGEMAKER_INFERENCE_OUTPUT="predicted_label, probabilities,"
                                                                                  "predicted_score"), bst)

    framework = ModelDir()
    X = np.array(_rows(50, 3))
    bst = xgb.train({"max_depth": 2}, xgb.DMatrix(X, label=X[:, 0] * 2), 4)
    bst.save_model(framework.join("model.json"))
    SERVERS["framework"] = (framework, ServerProcess(framework.path, "xgboost"), bst)


def tearDownModule():
    for entry in SERVERS.values():
        entry[1].kill()
        entry[0].cleanup()


def _server(name):
    return SERVERS[name][1].wait_ready()


@unittest.skipUnless(HAVE_XGB, "python3-xgboost not installed for %s" % PYTHON)
class BuiltinAlgorithmTest(InferenceTestCase):
    @classmethod
    def setUpClass(cls):
        cls.job = SERVERS["algorithm"][0]
        cls.server = _server("algorithm")

    def setUp(self):
        self.conn = self.server.connection()
        self.addCleanup(self.conn.close)

    def expected(self, rows):
        import numpy as np
        import xgboost as xgb

        booster = xgb.Booster(model_file=self.job.path("model/xgboost-model"))
        return booster.predict(xgb.DMatrix(np.array(rows, dtype=float))).tolist()

    def test_csv_in_csv_out_is_one_comma_joined_line_like_the_real_container(self):
        rows = [(0.1, 0.2), (0.9, 0.5), (0.4, 0.4)]
        status, h, body = call(self.conn, "POST", "/invocations", "\n".join("%s,%s" % r for r in rows),
                               {"Content-Type": "text/csv"})
        self.assertEqual((status, h["content-type"]), (200, "text/csv"), body)
        self.assertEqual(body.decode(), ",".join(map(str, self.expected(rows))))
        scores = [float(v) for v in body.decode().split(",")]
        self.assertLess(scores[0], scores[1])  # 3*x1 + x2 is learnt

    def test_libsvm_in_json_and_jsonlines_out(self):
        rows = [(0.1, 0.2), (0.9, 0.5)]
        for content_type in ("text/libsvm", "text/x-libsvm"):
            body = "0 0:0.1 1:0.2\n0:0.9 1:0.5"
            status, h, out = call(self.conn, "POST", "/invocations", body,
                                  {"Content-Type": content_type, "Accept": "application/json"})
            self.assertEqual((status, h["content-type"]), (200, "application/json"), out)
            self.assertEqual(json.loads(out), {"predictions": [{"score": s} for s in self.expected(rows)]})
        status, h, out = call(self.conn, "POST", "/invocations", "0.1,0.2\n0.9,0.5",
                              {"Content-Type": "text/csv", "Accept": "application/jsonlines"})
        self.assertEqual((status, h["content-type"]), (200, "application/jsonlines"), out)
        self.assertEqual([json.loads(l) for l in out.decode().splitlines()], [{"score": s} for s in self.expected(rows)])

    def test_error_answers(self):
        status, h, body = call(self.conn, "POST", "/invocations", b"", {"Content-Type": "text/csv"})
        self.assertEqual((status, body), (204, b""))
        self.assertNotIn("content-length", h)
        status, _, body = call(self.conn, "POST", "/invocations", "[[1,2]]", {"Content-Type": "application/json"})
        self.assertEqual(status, 415)
        self.assertIn(b"Content-type application/json not supported", body)
        status, _, body = call(self.conn, "POST", "/invocations", "a,b", {"Content-Type": "text/csv"})
        self.assertEqual(status, 415)
        self.assertIn(b"Loading csv data failed", body)
        status, _, body = call(self.conn, "POST", "/invocations", "1,2", {"Content-Type": "text/csv",
                                                                          "Accept": "application/x-npy"})
        self.assertEqual(status, 406)
        status, _, body = call(self.conn, "POST", "/invocations", "1,2,3,4,5", {"Content-Type": "text/csv"})
        self.assertEqual(status, 400)
        self.assertIn(b"Unable to evaluate payload provided", body)

    def test_execution_parameters(self):
        status, _, body = call(self.conn, "GET", "/execution-parameters")
        self.assertEqual((status, json.loads(body)["BatchStrategy"]), (200, "MULTI_RECORD"))


@unittest.skipUnless(HAVE_XGB, "python3-xgboost not installed for %s" % PYTHON)
class SoftprobBatchTest(InferenceTestCase):
    def test_multiclass_probabilities_one_row_per_line_in_batch_transform(self):
        conn = _server("softprob").connection()
        self.addCleanup(conn.close)
        status, _, body = call(conn, "POST", "/invocations", "0.1\n1.1\n2.1", {"Content-Type": "text/csv"})
        self.assertEqual(status, 200, body)
        lines = body.decode().splitlines()
        self.assertEqual(len(lines), 3)
        probs = [[float(v) for v in line.split(",")] for line in lines]
        self.assertEqual([p.index(max(p)) for p in probs], [0, 1, 2])
        for p in probs:
            self.assertAlmostEqual(sum(p), 1.0, places=5)


@unittest.skipUnless(HAVE_XGB, "python3-xgboost not installed for %s" % PYTHON)
class SelectableOutputTest(InferenceTestCase):
    def test_sagemaker_inference_output_keys_in_json_and_csv(self):
        import math

        import numpy as np
        import xgboost as xgb

        conn = _server("selectable").connection()
        self.addCleanup(conn.close)
        p = SERVERS["selectable"][2].predict(xgb.DMatrix(np.array([[0.9, 0.1], [0.1, 0.9]]))).tolist()
        status, h, body = call(conn, "POST", "/invocations", "0.9,0.1\n0.1,0.9",
                               {"Content-Type": "text/csv", "Accept": "application/json"})
        self.assertEqual((status, h["content-type"]), (200, "application/json"), body)
        got = json.loads(body)["predictions"]
        self.assertEqual([(g["predicted_label"], g["probabilities"]) for g in got],
                         [(int(v > 0.5), [1.0 - v, v]) for v in p])
        self.assertEqual(got[0]["predicted_label"], 1)
        self.assertTrue(math.isnan(got[0]["predicted_score"]))  # not a key binary:logistic gives
        status, h, body = call(conn, "POST", "/invocations", "0.9,0.1", {"Content-Type": "text/csv"})
        self.assertEqual((status, h["content-type"]), (200, "text/csv"), body)
        self.assertEqual(body.decode(), '1,"%s",nan' % [1.0 - p[0], p[0]])
        self.assertEqual(call(conn, "POST", "/invocations", "0.9,0.1",
                              {"Content-Type": "text/csv", "Accept": "application/x-npy"})[0], 406)


@unittest.skipUnless(HAVE_XGB, "python3-xgboost not installed for %s" % PYTHON)
class XGBoostFrameworkDefaultsTest(InferenceTestCase):
    def test_script_mode_default_handlers_load_a_json_model(self):
        import numpy as np
        import xgboost as xgb

        bst = SERVERS["framework"][2]
        conn = _server("framework").connection()
        self.addCleanup(conn.close)
        want = bst.predict(xgb.DMatrix(np.array([[0.2, 0.3], [0.8, 0.1]]))).tolist()
        status, h, body = call(conn, "POST", "/invocations", "0.2,0.3\n0.8,0.1", {"Content-Type": "text/csv"})
        self.assertEqual((status, h["content-type"]), (200, "application/json"), body)
        np.testing.assert_allclose(json.loads(body), want, rtol=1e-6)
        status, h, body = call(conn, "POST", "/invocations", "[[0.2,0.3],[0.8,0.1]]",
                               {"Content-Type": "application/json", "Accept": "text/csv"})
        self.assertEqual((status, h["content-type"]), (200, "text/csv"), body)
        np.testing.assert_allclose([float(v) for v in body.decode().split(",")], want, rtol=1e-6)


if __name__ == "__main__":
    unittest.main()
