"""End to end: the toolkit as a subprocess over a temporary /opt/ml tree."""
import io
import json
import os
import signal
import tarfile
import time
import unittest

from tests.support import PYTHON, JobTestCase, hp

DUMP = """import json, os, sys
with open(os.path.join(os.environ["SM_MODEL_DIR"], "seen.json"), "w") as f:
    json.dump({"argv": sys.argv, "env": dict(os.environ), "cwd": os.getcwd()}, f)
print("dumped")
"""


def make_tar(path, files):
    with tarfile.open(path, "w:gz") as tar:
        for name, text in files.items():
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


class ScriptModeTest(JobTestCase):
    def test_env_vars_and_args_seen_by_the_user_script(self):
        job = self.job(hyperparameters=hp(epochs=3, lr=0.1, **{"batch-size": 64, "use-gpu": False, "x": "y"},
                                          sagemaker_program="train.py", sagemaker_submit_directory="s3://b/k/sourcedir.tar.gz",
                                          sagemaker_region="eu-west-1", sagemaker_job_name="job-1",
                                          sagemaker_container_log_level=20, sagemaker_mpi_num_of_processes_per_host=1),
                       channels={"training": {"TrainingInputMode": "File"}, "testing": {}})
        job.write("code/train.py", DUMP)  # pre-placed code: the S3 URI is not fetched
        rc, out, err = job.run(TRAINING_JOB_NAME="job-1")
        self.assertEqual(rc, 0, err)
        self.assertIn("dumped", out)
        self.assertTrue(job.exists("output/success"))
        seen = json.loads(job.read("model/seen.json"))
        self.assertEqual(seen["argv"], ["train.py", "--batch-size", "64", "--epochs", "3", "--lr", "0.1",
                                        "--use-gpu", "False", "-x", "y"])
        env = seen["env"]
        self.assertEqual(os.path.realpath(seen["cwd"]), os.path.realpath(job.path("code")))
        expected = {
            "SM_MODEL_DIR": job.path("model"), "SM_CHANNELS": '["testing","training"]',
            "SM_CHANNEL_TRAINING": job.path("input/data/training"), "SM_CHANNEL_TESTING": job.path("input/data/testing"),
            "SM_HPS": '{"batch-size":64,"epochs":3,"lr":0.1,"use-gpu":false,"x":"y"}',
            "SM_HP_BATCH-SIZE": "64", "SM_HP_USE-GPU": "false", "SM_HP_X": "y",
            "SM_USER_ARGS": '["--batch-size","64","--epochs","3","--lr","0.1","--use-gpu","False","-x","y"]',
            "SM_HOSTS": '["algo-1"]', "SM_CURRENT_HOST": "algo-1", "SM_CURRENT_INSTANCE_TYPE": "ml.m5.large",
            "SM_CURRENT_INSTANCE_GROUP": "homogeneousCluster", "SM_CURRENT_INSTANCE_GROUP_HOSTS": '["algo-1"]',
            "SM_INSTANCE_GROUPS": '["homogeneousCluster"]', "SM_DISTRIBUTION_INSTANCE_GROUPS": "[]",
            "SM_IS_HETERO": "false", "SM_NETWORK_INTERFACE_NAME": "eth0", "SM_NUM_GPUS": "0", "SM_NUM_NEURONS": "0",
            "SM_LOG_LEVEL": "20", "SM_USER_ENTRY_POINT": "train.py", "SM_MODULE_NAME": "train",
            "SM_MODULE_DIR": "s3://b/k/sourcedir.tar.gz", "SM_FRAMEWORK_MODULE": "",
            "SM_FRAMEWORK_PARAMS": '{"sagemaker_mpi_num_of_processes_per_host":1}',
            "SM_INPUT_DIR": job.path("input"), "SM_INPUT_CONFIG_DIR": job.path("input/config"),
            "SM_OUTPUT_DIR": job.path("output"), "SM_OUTPUT_DATA_DIR": job.path("output/data"),
            "SM_OUTPUT_INTERMEDIATE_DIR": job.path("output/intermediate"),
            "CURRENT_HOST": "algo-1", "SAGEMAKER_JOB_NAME": "job-1", "SAGEMAKER_REGION": "eu-west-1",
            "TRAINING_JOB_NAME": "job-1", "PYTHONUNBUFFERED": "1",
        }
        for k, v in expected.items():
            self.assertEqual(env.get(k), v, k)
        self.assertEqual(env["SM_NUM_CPUS"], str(os.cpu_count()))
        self.assertEqual(json.loads(env["SM_INSTANCE_GROUPS_DICT"])["homogeneousCluster"]["hosts"], ["algo-1"])
        self.assertEqual(json.loads(env["SM_RESOURCE_CONFIG"])["current_host"], "algo-1")
        self.assertEqual(json.loads(env["SM_INPUT_DATA_CONFIG"])["training"], {"TrainingInputMode": "File"})
        training_env = json.loads(env["SM_TRAINING_ENV"])
        self.assertEqual(training_env["job_name"], "job-1")
        self.assertEqual(training_env["channel_input_dirs"]["training"], job.path("input/data/training"))
        self.assertEqual(training_env["hyperparameters"]["epochs"], 3)

    def test_local_sourcedir_tarball_is_extracted_and_run(self):
        job = self.job(hyperparameters=hp(sagemaker_program="train.py", sagemaker_submit_directory=""))
        tar = job.path("sourcedir.tar.gz")
        make_tar(tar, {"train.py": "import helper\nhelper.go()\n",
                       "helper.py": "import os\ndef go():\n    open(os.environ['SM_MODEL_DIR'] + '/ok', 'w').write('yes')\n"})
        job.write_config("hyperparameters.json", hp(sagemaker_program="train.py", sagemaker_submit_directory=tar))
        os.rmdir(job.path("code"))
        rc, out, err = job.run()
        self.assertEqual(rc, 0, err)
        self.assertEqual(job.read("model/ok"), "yes")
        self.assertTrue(job.exists("code/helper.py"))

    def test_tarball_with_path_traversal_is_refused(self):
        job = self.job()
        tar = job.path("evil.tar.gz")
        make_tar(tar, {"../escaped.py": "print(1)\n", "train.py": "print(1)\n"})
        job.write_config("hyperparameters.json", hp(sagemaker_program="train.py", sagemaker_submit_directory=tar))
        rc, _, _ = job.run()
        self.assertEqual(rc, 1)
        self.assertIn("Path Traversal", job.read("output/failure"))
        self.assertFalse(os.path.exists(os.path.join(job.base, "escaped.py")))

    def test_script_that_raises_writes_the_failure_file_and_exits_1(self):
        job = self.job(hyperparameters=hp(sagemaker_program="train.py", epochs=1))
        job.write("code/train.py", "import sys\nprint('starting')\nraise ValueError('boom went the model')\n")
        rc, out, err = job.run()
        self.assertEqual(rc, 1)
        self.assertIn("starting", out)
        self.assertIn("Traceback", err)  # stderr streamed through
        failure = job.read("output/failure")
        self.assertTrue(failure.startswith('ExecuteUserScriptError:\nExitCode 1\nErrorMessage "'), failure)
        self.assertIn("ValueError: boom went the model", failure)
        self.assertTrue(failure.endswith('"\nCommand "%s train.py --epochs 1"' % PYTHON), failure)
        self.assertFalse(job.exists("output/success"))

    def test_exit_code_of_the_script_is_reported_but_the_container_exits_1(self):
        job = self.job(hyperparameters=hp(sagemaker_program="train.py"))
        job.write("code/train.py", "import sys\nsys.exit(3)\n")
        rc, _, _ = job.run()
        self.assertEqual(rc, 1)
        self.assertIn("\nExitCode 3\n", job.read("output/failure"))

    def test_existing_failure_file_is_kept(self):
        job = self.job(hyperparameters=hp(sagemaker_program="train.py"))
        job.write("code/train.py", "import os\nopen(os.environ['SM_OUTPUT_DIR'] + '/failure', 'w').write('mine')\nraise SystemExit(2)\n")
        rc, _, _ = job.run()
        self.assertEqual(rc, 1)
        self.assertEqual(job.read("output/failure"), "mine")

    def test_shell_entry_point_is_chmodded_and_run_with_sh(self):
        job = self.job(hyperparameters=hp(sagemaker_program="train.sh", n=2))
        job.write("code/train.sh", "#!/bin/sh\necho \"args:$*\" > \"$SM_MODEL_DIR/args\"\n")
        rc, out, err = job.run()
        self.assertEqual(rc, 0, err)
        self.assertEqual(job.read("model/args").strip(), "args:-n 2")
        self.assertIn('/bin/sh -c "./train.sh -n 2"', out)

    def test_setup_py_package_runs_as_module(self):
        job = self.job(hyperparameters=hp(sagemaker_program="train.py"))
        job.write("code/setup.py", "from setuptools import setup\nsetup(name='x')\n")
        job.write("code/train.py", "import os, sys\nopen(os.environ['SM_MODEL_DIR'] + '/m', 'w').write(__name__)\n")
        rc, out, err = job.run()
        self.assertEqual(rc, 0, err)
        self.assertEqual(job.read("model/m"), "__main__")
        self.assertIn("%s -m train" % PYTHON, out)

    def test_framework_module_is_imported_and_called(self):
        job = self.job(hyperparameters=hp(a=1))
        job.write("code/myframework.py",
                  "import os\ndef main():\n    open(os.environ['SM_MODEL_DIR'] + '/fw', 'w').write(os.environ['SM_HP_A'])\n")
        rc, _, err = job.run(SAGEMAKER_TRAINING_MODULE="myframework:main")
        self.assertEqual(rc, 0, err)
        self.assertEqual(job.read("model/fw"), "1")

    def test_missing_entry_point_is_a_clear_client_error(self):
        job = self.job(hyperparameters=hp(epochs=1))
        rc, _, _ = job.run()
        self.assertEqual(rc, 1)
        self.assertIn("sagemaker_program", job.read("output/failure"))

    def test_framework_error_uses_errno_as_exit_code(self):
        job = self.job(hyperparameters=hp(sagemaker_program="train.py"))
        os.remove(job.path("input/config/resourceconfig.json"))
        rc, _, _ = job.run()
        self.assertEqual(rc, 2)  # FileNotFoundError.errno
        failure = job.read("output/failure")
        self.assertTrue(failure.startswith("Framework Error: \nTraceback"), failure)
        self.assertIn("resourceconfig.json", failure)

    def _sigterm_job(self, script):
        job = self.job(hyperparameters=hp(sagemaker_program="train.py"))
        job.write("code/train.py", script)
        proc = job.start()
        self.addCleanup(lambda: proc.poll() is None and proc.kill())
        deadline = time.monotonic() + 60
        while not job.exists("model/ready"):
            self.assertIsNone(proc.poll(), "toolkit exited before the script got ready")
            self.assertLess(time.monotonic(), deadline, "script never got ready")
            time.sleep(0.05)
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=60)
        return job, proc.returncode

    def test_sigterm_is_forwarded_so_the_script_can_save_a_checkpoint(self):
        job, rc = self._sigterm_job(
            "import os, signal, time\nd = os.environ['SM_MODEL_DIR']\n"
            "def stop(signum, frame):\n    open(d + '/checkpoint', 'w').write('saved on %d' % signum)\n    raise SystemExit(0)\n"
            "signal.signal(signal.SIGTERM, stop)\nopen(d + '/ready', 'w').close()\n"
            "while True:\n    time.sleep(0.1)\n")
        self.assertEqual(job.read("model/checkpoint"), "saved on %d" % signal.SIGTERM)
        self.assertEqual(rc, 0)

    def test_script_killed_by_sigterm_fails_with_exit_code_143(self):
        job, rc = self._sigterm_job(
            "import os, time\nopen(os.environ['SM_MODEL_DIR'] + '/ready', 'w').close()\ntime.sleep(120)\n")
        self.assertEqual(rc, 1)
        self.assertIn("\nExitCode 143\n", job.read("output/failure"))

    def test_requirements_without_a_reachable_index_fail_clearly(self):
        job = self.job(hyperparameters=hp(sagemaker_program="train.py"))
        job.write("code/train.py", "open('/dev/null').close()\n")
        job.write("code/requirements.txt", "clary-package-that-does-not-exist==1.0\n")
        rc, _, err = job.run(PIP_INDEX_URL="http://127.0.0.1:9/simple", PIP_EXTRA_INDEX_URL="", PIP_FIND_LINKS="",
                             PIP_CONFIG_FILE=os.devnull, PIP_NO_INPUT="1")
        self.assertEqual(rc, 1)
        failure = job.read("output/failure")
        self.assertTrue(failure.startswith("InstallRequirementsError:\nExitCode "), failure)
        self.assertIn("No package index is reachable", failure)
        self.assertIn("http://127.0.0.1:9/simple", failure)
        self.assertIn('Command "%s -m pip install -r requirements.txt"' % PYTHON, failure)
        self.assertFalse(job.exists("output/success"))


if __name__ == "__main__":
    unittest.main()
