"""`train`: the toolkit's trainer.train() with its success/failure semantics."""
import importlib
import logging
import os
import sys
import traceback

from clary_training import entry_point, environment, errors, files, paths

SUCCESS_CODE = 0
DEFAULT_FAILURE_CODE = 1

logger = logging.getLogger("clary_training")


def _valid_exit_code(code):
    try:
        return int(code)
    except (ValueError, TypeError):
        return DEFAULT_FAILURE_CODE


def configure_logging(level):
    try:
        level = int(level)
    except (ValueError, TypeError):
        level = logging.INFO
    logging.basicConfig(level=level, stream=sys.stdout, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    logger.setLevel(level)


def _run_framework_module(env):
    """SAGEMAKER_TRAINING_MODULE='package.module:function': import it and call it."""
    module_name, _, function_name = env.framework_module.partition(":")
    code_dir = entry_point.fetch(env) if env.submit_directory_source else paths.code_dir()
    if os.path.isdir(code_dir) and code_dir not in sys.path:
        sys.path.insert(0, code_dir)
    os.environ.update(env.to_env_vars())
    try:
        framework = importlib.import_module(module_name)
    except ImportError as e:
        raise errors.ImportModuleError("SAGEMAKER_TRAINING_MODULE %s: %s" % (env.framework_module, e)) from e
    configure_logging(env.log_level)
    logger.info("Imported framework %s", module_name)
    getattr(framework, function_name or "main")()


def train():
    """Run the job; write output/success or output/failure; return the container's exit code."""
    exit_code = SUCCESS_CODE
    try:
        os.makedirs(paths.output_dir(), exist_ok=True)
        os.makedirs(paths.model_dir(), exist_ok=True)
        os.makedirs(paths.output_data_dir(), exist_ok=True)
        env = environment.Environment()
        if env.framework_module:
            _run_framework_module(env)
        else:
            configure_logging(env.log_level)
            entry_point.run(env)
        logger.info("Reporting training SUCCESS")
        files.write_success_file()
    except errors.ClientError as e:
        message = str(e)
        files.write_failure_file(message)
        logger.error(message)
        exit_code = DEFAULT_FAILURE_CODE
    except Exception as e:  # noqa: BLE001 — anything else is the framework's fault
        message = "Framework Error: \n%s\n%s" % (traceback.format_exc(), str(e))
        files.write_failure_file(message)
        logger.error("Reporting training FAILURE")
        logger.error(message)
        exit_code = _valid_exit_code(getattr(e, "errno", DEFAULT_FAILURE_CODE))
    return exit_code
