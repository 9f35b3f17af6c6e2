"""The server's configuration, read once from the environment at start-up and then frozen."""
import dataclasses
import logging
import os

from clary_inference.errors import StartupError

FRAMEWORKS = ("sklearn", "pytorch", "xgboost", "xgboost-algorithm")
DEFAULT_MODEL_DIR = "/opt/ml/model"


@dataclasses.dataclass(frozen=True)
class Config:
    framework: str
    host: str
    port: int
    workers: int
    timeout_s: float
    keepalive_s: float
    default_accept: str  # '' → the framework's default
    program: str  # '' → none named (inference.py is looked for)
    submit_directory: str
    model_dir: str
    log_level: int
    batch: bool
    inference_output: str  # SAGEMAKER_INFERENCE_OUTPUT (built-in XGBoost selectable output), '' → off
    handler_concurrency: int  # CLARY_INFERENCE_WORKER_CONCURRENCY: requests a worker runs at once, 0 → no limit

    @property
    def code_dir(self):
        return os.path.join(self.model_dir, "code")


def _int(env, name, default, minimum):
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(float(raw))
    except ValueError:
        raise StartupError("%s=%r is not a number" % (name, raw))
    if value < minimum:
        raise StartupError("%s=%r must be at least %d" % (name, raw, minimum))
    return value


def _log_level(raw):
    raw = (raw or "").strip()
    if not raw:
        return logging.INFO
    if raw.lstrip("-").isdigit():
        return int(raw)
    level = logging.getLevelName(raw.upper())
    return level if isinstance(level, int) else logging.INFO


def truthy(raw):
    return (raw or "").strip().lower() in ("1", "true", "yes", "on")


def from_env(env=None):
    env = os.environ if env is None else env
    framework = env.get("CLARY_INFERENCE_FRAMEWORK", "").strip().lower()
    if framework not in FRAMEWORKS:
        raise StartupError("CLARY_INFERENCE_FRAMEWORK=%r: expected one of %s"
                           % (env.get("CLARY_INFERENCE_FRAMEWORK", ""), ", ".join(FRAMEWORKS)))
    if truthy(env.get("SAGEMAKER_MULTI_MODEL")):
        raise StartupError("SAGEMAKER_MULTI_MODEL=true: Clary's inference toolkit serves single-model endpoints only")
    timeout = env.get("SAGEMAKER_MODEL_SERVER_TIMEOUT_SECONDS") and "SAGEMAKER_MODEL_SERVER_TIMEOUT_SECONDS" \
        or "SAGEMAKER_MODEL_SERVER_TIMEOUT"
    return Config(
        framework=framework,
        host=env.get("SAGEMAKER_BIND_HOST", "").strip() or "0.0.0.0",
        port=_int(env, "SAGEMAKER_BIND_TO_PORT", 8080, 0),
        workers=_int(env, "SAGEMAKER_MODEL_SERVER_WORKERS", 1, 1),
        timeout_s=_int(env, timeout, 60, 1),
        keepalive_s=_int(env, "CLARY_INFERENCE_KEEPALIVE_S", 300, 1),
        default_accept=env.get("SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT", "").strip(),
        program=env.get("SAGEMAKER_PROGRAM", "").strip(),
        submit_directory=env.get("SAGEMAKER_SUBMIT_DIRECTORY", "").strip(),
        model_dir=env.get("SM_MODEL_DIR", "").strip() or DEFAULT_MODEL_DIR,
        log_level=_log_level(env.get("SAGEMAKER_CONTAINER_LOG_LEVEL")),
        batch=truthy(env.get("SAGEMAKER_BATCH")),
        inference_output=env.get("SAGEMAKER_INFERENCE_OUTPUT", "").strip(),
        handler_concurrency=_int(env, "CLARY_INFERENCE_WORKER_CONCURRENCY", 0, 0),
    )
