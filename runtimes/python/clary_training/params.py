"""Hyperparameter and environment variable names of the sagemaker-training-toolkit contract."""

SAGEMAKER_PREFIX = "sagemaker_"
CURRENT_HOST_ENV = "CURRENT_HOST"
USER_PROGRAM_PARAM = "sagemaker_program"
USER_PROGRAM_ENV = "SAGEMAKER_PROGRAM"
SUBMIT_DIR_PARAM = "sagemaker_submit_directory"
SUBMIT_DIR_ENV = "SAGEMAKER_SUBMIT_DIRECTORY"
ENABLE_METRICS_PARAM = "sagemaker_enable_cloudwatch_metrics"
REGION_NAME_PARAM = "sagemaker_region"
REGION_NAME_ENV = "SAGEMAKER_REGION"
LOG_LEVEL_PARAM = "sagemaker_container_log_level"
JOB_NAME_PARAM = "sagemaker_job_name"
JOB_NAME_ENV = "SAGEMAKER_JOB_NAME"
DEFAULT_MODULE_NAME_PARAM = "default_user_module_name"
TUNING_METRIC_PARAM = "_tuning_objective_metric"
S3_OUTPUT_LOCATION_PARAM = "sagemaker_s3_output"
TRAINING_JOB_ENV = "TRAINING_JOB_NAME"
FRAMEWORK_TRAINING_MODULE_ENV = "SAGEMAKER_TRAINING_MODULE"
BASE_PATH_ENV = "SAGEMAKER_BASE_DIR"

# Reserved keys: split off and never passed to the user script (params.py SAGEMAKER_HYPERPARAMETERS).
SAGEMAKER_HYPERPARAMETERS = (
    USER_PROGRAM_PARAM,
    SUBMIT_DIR_PARAM,
    ENABLE_METRICS_PARAM,
    REGION_NAME_PARAM,
    LOG_LEVEL_PARAM,
    JOB_NAME_PARAM,
    DEFAULT_MODULE_NAME_PARAM,
    TUNING_METRIC_PARAM,
    S3_OUTPUT_LOCATION_PARAM,
)

MPI_ENABLED = "sagemaker_mpi_enabled"
SMDATAPARALLEL_ENABLED = "sagemaker_distributed_dataparallel_enabled"
TORCH_DISTRIBUTED_ENABLED = "sagemaker_torch_distributed_enabled"
DISTRIBUTION_INSTANCE_GROUPS = "sagemaker_distribution_instance_groups"

# Framework params that turn distribution on for the current instance group (environment.py).
DISTRIBUTION_FLAGS = (
    MPI_ENABLED,
    "sagemaker_parameter_server_enabled",
    SMDATAPARALLEL_ENABLED,
    "sagemaker_pytorch_ddp_enabled",
    "sagemaker_pytorch_xla_multi_worker_enabled",
    "sagemaker_multi_worker_mirrored_strategy_enabled",
)

TORCHRUN_MASTER_PORT = 7777
