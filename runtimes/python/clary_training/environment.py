"""The training environment: config files → hyperparameters, channels, hosts → SM_* variables."""
import json
import logging
import os

from clary_training import hardware, mapping, params, paths

logger = logging.getLogger("clary_training")


def read_hyperparameters():
    """hyperparameters.json with json.loads applied to every value; the raw string when that fails."""
    raw = paths.read_json(paths.config_file("hyperparameters.json"), default={})
    decoded = {}
    for k, v in raw.items():
        try:
            v = json.loads(v)
        except (ValueError, TypeError):
            logger.info("Failed to parse hyperparameter %s value %s to Json.\nReturning the value itself", k, v)
        decoded[k] = v
    return decoded


def read_resource_config():
    return paths.read_json(paths.config_file("resourceconfig.json"))


def read_input_data_config():
    return paths.read_json(paths.config_file("inputdataconfig.json"), default={})


def _region_default():
    return os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")


class Environment:
    """A read-only snapshot of the job's environment, with the toolkit's property names."""

    def __init__(self, resource_config=None, input_data_config=None, hyperparameters=None):
        rc = resource_config or read_resource_config()
        idc = input_data_config if input_data_config is not None else read_input_data_config()
        all_hps = hyperparameters if hyperparameters is not None else read_hyperparameters()

        sm_hps, user_hps = mapping.split_by_criteria(
            all_hps, keys=params.SAGEMAKER_HYPERPARAMETERS, prefix=params.SAGEMAKER_PREFIX)
        self.additional_framework_parameters = {
            k: v for k, v in sm_hps.items() if k not in params.SAGEMAKER_HYPERPARAMETERS}
        self.hyperparameters = user_hps
        self.resource_config = rc
        self.input_data_config = idc
        self.hosts = rc["hosts"]
        self.current_host = rc["current_host"]
        self.current_instance_type = rc.get("current_instance_type", "local")
        self.current_instance_group = rc.get("current_group_name", "homogeneousCluster")
        self.network_interface_name = rc.get("network_interface_name", "eth0")

        region = sm_hps.get(params.REGION_NAME_PARAM, _region_default())
        os.environ[params.JOB_NAME_ENV] = str(sm_hps.get(params.JOB_NAME_PARAM, ""))
        os.environ[params.CURRENT_HOST_ENV] = self.current_host
        os.environ[params.REGION_NAME_ENV] = region or ""

        program = os.environ.get(params.USER_PROGRAM_ENV) or sm_hps.get(params.USER_PROGRAM_PARAM)
        self.user_entry_point = program
        self.module_name = program[:-3] if program and program.endswith(".py") else program
        submit = sm_hps.get(params.SUBMIT_DIR_PARAM, os.environ.get(params.SUBMIT_DIR_ENV))
        self.submit_directory_source = (
            "hyperparameter" if params.SUBMIT_DIR_PARAM in sm_hps
            else "environment" if os.environ.get(params.SUBMIT_DIR_ENV) else None)
        self.module_dir = str(submit) if submit is not None else paths.code_dir()
        self.log_level = sm_hps.get(params.LOG_LEVEL_PARAM, logging.INFO)
        self.sagemaker_s3_output = sm_hps.get(params.S3_OUTPUT_LOCATION_PARAM)
        self.framework_module = os.environ.get(params.FRAMEWORK_TRAINING_MODULE_ENV)
        self.job_name = os.environ.get(params.TRAINING_JOB_ENV)

        self.model_dir = paths.model_dir()
        self.input_dir = paths.input_dir()
        self.input_config_dir = paths.input_config_dir()
        self.output_dir = paths.output_dir()
        self.output_data_dir = paths.output_data_dir()
        self.output_intermediate_dir = paths.output_intermediate_dir()
        self.channel_input_dirs = {c: paths.channel_path(c) for c in idc}

        self.num_gpus = hardware.num_gpus()
        self.num_cpus = hardware.num_cpus()
        self.num_neurons = hardware.num_neurons(self.current_instance_type)

        groups = rc.get("instance_groups", [])
        self.instance_groups = [g["instance_group_name"] for g in groups]
        self.instance_groups_dict = {g["instance_group_name"]: g for g in groups}
        self.current_instance_group_hosts = next(
            (g["hosts"] for g in groups if g["instance_group_name"] == self.current_instance_group), [])
        default_dist = [self.current_instance_group] if any(
            self.additional_framework_parameters.get(flag, False) for flag in params.DISTRIBUTION_FLAGS) else []
        self.distribution_instance_groups = self.additional_framework_parameters.get(
            params.DISTRIBUTION_INSTANCE_GROUPS, default_dist)
        if groups:
            self.distribution_hosts = [
                h for g in groups if g["instance_group_name"] in self.distribution_instance_groups for h in g["hosts"]]
        else:
            self.distribution_hosts = list(self.hosts)
        self.is_hetero = len(self.instance_groups) > 1
        self.master_hostname = (self.distribution_hosts or self.hosts)[0]
        self.is_master = self.current_host == self.master_hostname
        mp = os.environ.get("SM_HP_MP_PARAMETERS")
        self.is_modelparallel_enabled = bool(mp and mp != "{}")

    def to_cmd_args(self):
        return mapping.to_cmd_args(self.hyperparameters)

    def properties(self):
        """What dict(Environment) holds in the toolkit: every public property (SM_TRAINING_ENV)."""
        names = (
            "additional_framework_parameters", "channel_input_dirs", "current_host", "current_instance_group",
            "current_instance_group_hosts", "current_instance_type", "distribution_hosts",
            "distribution_instance_groups", "framework_module", "hosts", "hyperparameters", "input_config_dir",
            "input_data_config", "input_dir", "instance_groups", "instance_groups_dict", "is_hetero", "is_master",
            "is_modelparallel_enabled", "job_name", "log_level", "master_hostname", "model_dir", "module_dir",
            "module_name", "network_interface_name", "num_cpus", "num_gpus", "num_neurons", "output_data_dir",
            "output_dir", "output_intermediate_dir", "resource_config", "user_entry_point",
        )
        props = {n: getattr(self, n) for n in names}
        props["is_smddpmprun_installed"] = False
        props["is_smddprun_installed"] = False
        return props

    def to_env_vars(self):
        env = {
            "hosts": self.hosts,
            "network_interface_name": self.network_interface_name,
            "hps": self.hyperparameters,
            "user_entry_point": self.user_entry_point,
            "framework_params": self.additional_framework_parameters,
            "resource_config": self.resource_config,
            "input_data_config": self.input_data_config,
            "output_data_dir": self.output_data_dir,
            "channels": sorted(self.channel_input_dirs.keys()),
            "current_host": self.current_host,
            "current_instance_type": self.current_instance_type,
            "current_instance_group": self.current_instance_group,
            "current_instance_group_hosts": self.current_instance_group_hosts,
            "instance_groups": self.instance_groups,
            "instance_groups_dict": self.instance_groups_dict,
            "distribution_instance_groups": self.distribution_instance_groups,
            "is_hetero": self.is_hetero,
            "module_name": self.module_name,
            "log_level": self.log_level,
            "framework_module": self.framework_module,
            "input_dir": self.input_dir,
            "input_config_dir": self.input_config_dir,
            "output_dir": self.output_dir,
            "num_cpus": self.num_cpus,
            "num_gpus": self.num_gpus,
            "num_neurons": self.num_neurons,
            "model_dir": self.model_dir,
            "module_dir": self.module_dir,
            "training_env": self.properties(),
            "user_args": self.to_cmd_args(),
            "output_intermediate_dir": self.output_intermediate_dir,
        }
        for name, path in self.channel_input_dirs.items():
            env["channel_%s" % name] = path
        for key, value in self.hyperparameters.items():
            env["hp_%s" % key] = value
        return mapping.to_env_vars(env)
