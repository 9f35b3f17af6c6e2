"""Helpers: a temporary /opt/ml tree (via SAGEMAKER_BASE_DIR) and the toolkit run as a subprocess."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

RUNTIME_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PYTHON = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable


def has_module(name):
    """Whether the toolkit's interpreter can import `name`."""
    return subprocess.run([PYTHON, "-c", "import %s" % name], stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL).returncode == 0


class JobTree:
    """A job's /opt/ml tree in a temp dir."""

    def __init__(self, hyperparameters=None, channels=None, resource_config=None):
        self.base = tempfile.mkdtemp(prefix="clary-ml-")
        for d in ("input/config", "input/data", "model", "output/data", "code"):
            os.makedirs(os.path.join(self.base, d))
        self.write_config("hyperparameters.json", {k: v for k, v in (hyperparameters or {}).items()})
        self.write_config("inputdataconfig.json", channels or {})
        self.write_config("resourceconfig.json", resource_config or {
            "current_host": "algo-1", "hosts": ["algo-1"], "network_interface_name": "eth0",
            "current_instance_type": "ml.m5.large", "current_group_name": "homogeneousCluster",
            "instance_groups": [{"instance_group_name": "homogeneousCluster", "instance_type": "ml.m5.large",
                                 "hosts": ["algo-1"]}]})
        for c in channels or {}:
            os.makedirs(self.path("input/data", c), exist_ok=True)

    def path(self, *parts):
        return os.path.join(self.base, *parts)

    def write_config(self, name, content):
        with open(self.path("input/config", name), "w") as f:
            json.dump(content, f)

    def write(self, rel, text, mode=0o644):
        p = self.path(rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "w") as f:
            f.write(text)
        os.chmod(p, mode)
        return p

    def read(self, rel):
        with open(self.path(rel)) as f:
            return f.read()

    def exists(self, rel):
        return os.path.exists(self.path(rel))

    def env(self, **extra):
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SM_", "SAGEMAKER_"))}
        env["SAGEMAKER_BASE_DIR"] = self.base
        env["PYTHONPATH"] = RUNTIME_DIR
        env.update(extra)
        return env

    def start(self, command="train", **extra_env):
        return subprocess.Popen([PYTHON, "-m", "clary_training", command], env=self.env(**extra_env),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=self.base)

    def run(self, command="train", timeout=120, **extra_env):
        p = self.start(command, **extra_env)
        try:
            out, err = p.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            p.kill()  # the user code dies with the toolkit (PR_SET_PDEATHSIG)
            p.communicate()
            raise
        return p.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace")

    def cleanup(self):
        shutil.rmtree(self.base, ignore_errors=True)


def hp(**values):
    """Hyperparameters the way the SDK sends them: every value json.dumps'ed."""
    return {k: json.dumps(v) for k, v in values.items()}


class JobTestCase(unittest.TestCase):
    def job(self, **kwargs):
        tree = JobTree(**kwargs)
        self.addCleanup(tree.cleanup)
        return tree
