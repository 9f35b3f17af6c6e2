"""Units: hyperparameter decoding, CLI args, SM_* formatting, failure text."""
import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from clary_training import environment, errors, mapping, process  # noqa: E402
from tests.support import JobTestCase, hp  # noqa: E402


class ToCmdArgsTest(unittest.TestCase):
    def test_sorted_single_char_dash_and_str_values(self):
        args = mapping.to_cmd_args({"lr": 0.01, "batch-size": 256, "x": True, "d": {"b": 2, "a": "q"}})
        self.assertEqual(args, ["--batch-size", "256", "-d", "a=q,b=2", "--lr", "0.01", "-x", "True"])

    def test_reference_example(self):
        self.assertEqual(mapping.to_cmd_args({"batch-size": 256, "lr": 0.01}), ["--batch-size", "256", "--lr", "0.01"])


class ToEnvVarsTest(unittest.TestCase):
    def test_prefix_upper_dashes_kept_and_json_values(self):
        env = mapping.to_env_vars({"hp_learning-rate": 0.1, "model_dir": "/opt/ml/model", "none": None,
                                   "hosts": ["b", "a"], "d": {"z": 1, "a": [1, 2]}, "flag": False})
        self.assertEqual(env, {"SM_HP_LEARNING-RATE": "0.1", "SM_MODEL_DIR": "/opt/ml/model", "SM_NONE": "",
                               "SM_HOSTS": '["b","a"]', "SM_D": '{"a":[1,2],"z":1}', "SM_FLAG": "false"})


class EnvironmentTest(JobTestCase):
    def test_decodes_values_keeps_raw_strings_and_splits_reserved_keys(self):
        tree = self.job(hyperparameters=dict(hp(epochs=10, sagemaker_program="train.py", sagemaker_job_name="j1",
                                                sagemaker_torch_distributed_enabled=True, _tuning_objective_metric="m"),
                                             raw="not json", listy="[1, 2]"),
                        channels={"training": {}, "testing": {}})
        os.environ["SAGEMAKER_BASE_DIR"] = tree.base
        self.addCleanup(os.environ.pop, "SAGEMAKER_BASE_DIR")
        self.assertEqual(environment.read_hyperparameters()["raw"], "not json")
        env = environment.Environment()
        self.assertEqual(env.hyperparameters, {"epochs": 10, "raw": "not json", "listy": [1, 2]})
        self.assertEqual(env.additional_framework_parameters, {"sagemaker_torch_distributed_enabled": True})
        self.assertEqual(env.user_entry_point, "train.py")
        self.assertEqual(env.module_name, "train")
        sm = env.to_env_vars()
        self.assertEqual(sm["SM_CHANNELS"], '["testing","training"]')
        self.assertEqual(sm["SM_HP_LISTY"], "[1,2]")
        self.assertEqual(sm["SM_HP_RAW"], "not json")
        self.assertEqual(json.loads(sm["SM_USER_ARGS"]), ["--epochs", "10", "--listy", "[1, 2]", "--raw", "not json"])
        self.assertEqual(os.environ["SAGEMAKER_JOB_NAME"], "j1")


class FailureTextTest(unittest.TestCase):
    def test_execute_user_script_error_format(self):
        e = errors.ExecuteUserScriptError(cmd="/usr/bin/python3 train.py", return_code=3, output="boom")
        self.assertEqual(str(e), 'ExecuteUserScriptError:\nExitCode 3\nErrorMessage "boom"\nCommand "/usr/bin/python3 train.py"')

    def test_error_message_starts_at_the_exception_line(self):
        tail = 'noise\nTraceback (most recent call last):\n  File "t.py", line 1\nValueError: boom\n'
        self.assertEqual(process.error_message(tail), "ValueError: boom")
        self.assertEqual(process.error_message("just\nsome output\n"), "just\nsome output")


if __name__ == "__main__":
    unittest.main()
