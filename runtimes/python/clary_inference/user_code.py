"""Finding and importing the user's inference script, as the toolkits do: SAGEMAKER_SUBMIT_DIRECTORY +
SAGEMAKER_PROGRAM, else <model dir>/code/<SAGEMAKER_PROGRAM or inference.py>."""
import importlib
import logging
import os
import sys
import tempfile

from clary_inference.errors import StartupError

logger = logging.getLogger("clary_inference")
DEFAULT_PROGRAM = "inference.py"


def _fetch_s3(uri):
    """sourcedir.tar.gz from S3 into a temporary directory (the controller normally stages it locally)."""
    try:
        import boto3  # noqa: F401
    except ImportError:
        raise StartupError("SAGEMAKER_SUBMIT_DIRECTORY=%s is an S3 URI and boto3 is not installed in this runtime; "
                           "stage the code to a local directory (or repack it into model.tar.gz under code/)" % uri)
    from clary_training import files, s3  # the training toolkit's download and safe tar extraction

    dest = tempfile.mkdtemp(prefix="clary-inference-code-")
    archive = os.path.join(dest, ".sourcedir.tar.gz")
    try:
        s3.download(uri, archive)
        files.safe_extract(archive, dest)
    except Exception as e:  # noqa: BLE001
        raise StartupError("Could not fetch the inference code from SAGEMAKER_SUBMIT_DIRECTORY=%s: %s" % (uri, e))
    finally:
        if os.path.exists(archive):
            os.remove(archive)
    return dest


def locate(config):
    """(code_dir, module_name) of the user script, or (code_dir or None, None) when there is none."""
    program = config.program
    submit = config.submit_directory
    in_model = os.path.join(config.code_dir, program or DEFAULT_PROGRAM)
    if submit and not submit.startswith("s3://"):
        if not os.path.isdir(submit):
            raise StartupError("SAGEMAKER_SUBMIT_DIRECTORY=%s is not a directory" % submit)
        code_dir = submit
    elif submit:
        code_dir = config.code_dir if os.path.isfile(in_model) else _fetch_s3(submit)
    else:
        code_dir = config.code_dir
    if not program:
        program = DEFAULT_PROGRAM
        if not os.path.isfile(os.path.join(code_dir, program)):
            return (code_dir if os.path.isdir(code_dir) else None), None
    script = os.path.join(code_dir, program)
    if not os.path.isfile(script):
        raise StartupError("SAGEMAKER_PROGRAM=%s: no such file in %s" % (program, code_dir))
    name, ext = os.path.splitext(program)
    if ext != ".py":
        raise StartupError("SAGEMAKER_PROGRAM=%s: the inference entry point must be a .py module" % program)
    return code_dir, name.replace(os.sep, ".")


def import_module(code_dir, name):
    """Import the user module with its directory first on sys.path (so its sibling modules import too)."""
    sys.path.insert(0, code_dir)
    try:
        return importlib.import_module(name)
    except Exception as e:  # noqa: BLE001 — any import-time error is the user's
        logger.exception("Importing %s from %s failed", name, code_dir)
        raise StartupError("Could not import the inference script %s.py from %s: %s: %s"
                           % (name, code_dir, type(e).__name__, e))


def prepare(config):
    """Locate the code and install its requirements.txt (once, in the master, before the workers fork)."""
    if config.framework == "xgboost-algorithm":
        return None, None
    code_dir, name = locate(config)
    if code_dir:
        from clary_inference import requirements

        requirements.install(code_dir)
    return code_dir, name
