"""Framework runs on Debian's packages: scikit-learn script mode, built-in XGBoost, torchrun."""
import json
import os
import random
import re
import subprocess
import unittest

from tests.support import PYTHON, JobTestCase, has_module, hp

# The regex SageMaker's built-in XGBoost MetricDefinitions use; CloudWatch shows a tab as #011.
VALIDATION_RMSE = re.compile(r".*\[[0-9]+\].*#011validation-rmse:([-+]?[0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?).*")


def write_regression_csv(path, n, seed):
    rnd = random.Random(seed)
    with open(path, "w") as f:
        for _ in range(n):
            x1, x2 = rnd.random(), rnd.random()
            f.write("%.6f,%.6f,%.6f\n" % (3 * x1 + x2, x1, x2))


SKLEARN_SCRIPT = """import argparse, os
import joblib, pandas as pd
from sklearn.tree import DecisionTreeRegressor
p = argparse.ArgumentParser()
p.add_argument("--max_depth", type=int)
p.add_argument("--model-dir", default=os.environ["SM_MODEL_DIR"])
p.add_argument("--train", default=os.environ["SM_CHANNEL_TRAIN"])
a = p.parse_args()
df = pd.read_csv(os.path.join(a.train, "train.csv"), header=None)
m = DecisionTreeRegressor(max_depth=a.max_depth).fit(df.iloc[:, 1:], df.iloc[:, 0])
print("train_r2=%.4f;" % m.score(df.iloc[:, 1:], df.iloc[:, 0]))
joblib.dump(m, os.path.join(a.model_dir, "model.joblib"))
"""


class SklearnScriptModeTest(JobTestCase):
    @unittest.skipUnless(has_module("sklearn") and has_module("pandas"),
                         "python3-sklearn / python3-pandas not installed for %s" % PYTHON)
    def test_sklearn_training_run_saves_a_model(self):
        job = self.job(hyperparameters=hp(sagemaker_program="train.py", max_depth=3), channels={"train": {}})
        job.write("code/train.py", SKLEARN_SCRIPT)
        write_regression_csv(job.path("input/data/train/train.csv"), 60, 1)
        rc, out, err = job.run()
        self.assertEqual(rc, 0, err)
        self.assertRegex(out, r"train_r2=0\.\d+;")
        check = subprocess.run([PYTHON, "-c", "import joblib,sys; m=joblib.load(sys.argv[1]); print(m.get_depth())",
                                job.path("model/model.joblib")], capture_output=True, text=True)
        self.assertEqual(check.stdout.strip(), "3", check.stderr)


@unittest.skipUnless(has_module("xgboost"), "python3-xgboost not installed for %s" % PYTHON)
class BuiltinXGBoostTest(JobTestCase):
    def xgb_job(self, **hps):
        job = self.job(hyperparameters={k: str(v) for k, v in hps.items()},
                       channels={"train": {"ContentType": "text/csv"}, "validation": {"ContentType": "text/csv"}})
        return job

    def test_trains_on_csv_with_validation_prints_metrics_and_saves_the_model(self):
        job = self.xgb_job(num_round=6, max_depth=3, eta=0.5, objective="reg:squarederror", seed=7)
        write_regression_csv(job.path("input/data/train/train.csv"), 100, 1)
        write_regression_csv(job.path("input/data/validation/validation.csv"), 30, 2)
        rc, out, err = job.run("xgboost-train")
        self.assertEqual(rc, 0, out + err)
        lines = [l for l in out.splitlines() if l.startswith("[")and "train-rmse" in l]
        self.assertEqual(len(lines), 6, out)
        self.assertRegex(lines[0], r"^\[0\]\ttrain-rmse:\d+\.\d{5}\tvalidation-rmse:\d+\.\d{5}$")
        values = [float(VALIDATION_RMSE.match(l.replace("\t", "#011")).group(1)) for l in lines]
        self.assertLess(values[-1], values[0])
        self.assertTrue(job.exists("output/success"))
        check = subprocess.run([PYTHON, "-c", "import xgboost as x,sys; b=x.Booster(model_file=sys.argv[1]); "
                                "print(b.num_boosted_rounds())", job.path("model/xgboost-model")],
                               capture_output=True, text=True)
        self.assertEqual(check.stdout.strip(), "6", check.stderr)

    def test_empty_train_channel_fails_with_a_clear_reason(self):
        job = self.xgb_job(num_round=2)
        write_regression_csv(job.path("input/data/validation/v.csv"), 10, 2)
        rc, _, _ = job.run("xgboost-train")
        self.assertEqual(rc, 1)
        self.assertEqual(job.read("output/failure"),
                         "ClientError: No data in training channel path %s" % job.path("input/data/train"))

    def test_missing_num_round_is_a_client_error(self):
        job = self.xgb_job(max_depth=2)
        write_regression_csv(job.path("input/data/train/t.csv"), 10, 1)
        rc, _, _ = job.run("xgboost-train")
        self.assertEqual(rc, 1)
        self.assertIn("ClientError: Hyperparameter Validation Error: Missing required hyperparameter: num_round",
                      job.read("output/failure"))

    def test_libsvm_inferred_from_extension_and_multiclass(self):
        job = self.job(hyperparameters={"num_round": "3", "objective": "multi:softmax", "num_class": "3"},
                       channels={"train": {}})
        rnd = random.Random(3)
        with open(job.path("input/data/train/data.libsvm"), "w") as f:
            for _ in range(60):
                label = rnd.randrange(3)
                f.write("%d 1:%.3f 2:%.3f\n" % (label, label + rnd.random() / 2, rnd.random()))
        rc, out, err = job.run("xgboost-train")
        self.assertEqual(rc, 0, out + err)
        self.assertIn("[2]\ttrain-mlogloss:", out)


@unittest.skipUnless(has_module("torch.distributed.run"), "python3-torch not installed for %s" % PYTHON)
class TorchDistributedTest(JobTestCase):
    def test_torch_distributed_launches_torchrun(self):
        # One node named localhost, so the rendezvous address resolves on any machine.
        job = self.job(hyperparameters=hp(sagemaker_program="train.py", sagemaker_torch_distributed_enabled=True, k=1),
                       resource_config={"current_host": "localhost", "hosts": ["localhost"]})
        job.write("code/train.py", "import json, os, sys\n"
                  "json.dump({k: os.environ.get(k) for k in ('RANK', 'WORLD_SIZE', 'MASTER_ADDR', 'MASTER_PORT')} | "
                  "{'argv': sys.argv[1:]}, open(os.environ['SM_MODEL_DIR'] + '/dist.json', 'w'))\n")
        rc, out, err = job.run(timeout=120)
        self.assertEqual(rc, 0, out + err)
        self.assertIn("-m clary_training.torchrun --nnodes 1 --nproc_per_node 1 --node_rank 0 "
                      "--master_addr localhost --master_port 7777 train.py -k 1", out)
        seen = json.loads(job.read("model/dist.json"))
        self.assertEqual(seen, {"RANK": "0", "WORLD_SIZE": "1", "MASTER_ADDR": "localhost", "MASTER_PORT": "7777",
                                "argv": ["-k", "1"]})


if __name__ == "__main__":
    unittest.main()
