"""The /opt/ml tree, resolved at call time (SAGEMAKER_BASE_DIR points elsewhere, e.g. in tests)."""
import json
import os
import socket
import time

from clary_training import params

SAGEMAKER_BASE_PATH = "/opt/ml"


def _local_fallback():
    """Neither /opt/ml nor SAGEMAKER_BASE_DIR: ~/sagemaker_local/jobs/<ts>/opt/ml with empty configs."""
    base = os.path.join(os.path.expanduser("~"), "sagemaker_local", "jobs", str(time.time()), "opt", "ml")
    os.environ[params.BASE_PATH_ENV] = base
    os.makedirs(os.path.join(base, "model"))
    os.makedirs(os.path.join(base, "input", "config"))
    os.makedirs(os.path.join(base, "output", "data"))
    host = socket.gethostname()
    configs = {
        "hyperparameters.json": {},
        "inputdataconfig.json": {},
        "resourceconfig.json": {
            "current_host": host,
            "hosts": [host],
            "current_instance_group": "homogeneousCluster",
            "instance_groups": [
                {"instance_group_name": "homogeneousCluster", "instance_type": "local", "hosts": [host]}
            ],
        },
    }
    for name, content in configs.items():
        with open(os.path.join(base, "input", "config", name), "w") as f:
            json.dump(content, f)
    return base


def base_dir():
    if params.BASE_PATH_ENV in os.environ:
        return os.environ[params.BASE_PATH_ENV]
    if os.path.exists(SAGEMAKER_BASE_PATH):
        return SAGEMAKER_BASE_PATH
    return _local_fallback()


def code_dir():
    return os.path.join(base_dir(), "code")


def model_dir():
    return os.path.join(base_dir(), "model")


def input_dir():
    return os.path.join(base_dir(), "input")


def input_config_dir():
    return os.path.join(input_dir(), "config")


def input_data_dir():
    return os.path.join(input_dir(), "data")


def channel_path(channel):
    return os.path.join(input_data_dir(), channel)


def output_dir():
    return os.path.join(base_dir(), "output")


def output_data_dir():
    return os.path.join(output_dir(), "data")


def output_intermediate_dir():
    return os.path.join(output_dir(), "intermediate")


def config_file(name):
    return os.path.join(input_config_dir(), name)


def read_json(path, default=None):
    """A config file's JSON; `default` when the file is absent (None: the file is required)."""
    if default is not None and not os.path.exists(path):
        return default
    with open(path) as f:
        return json.load(f)
