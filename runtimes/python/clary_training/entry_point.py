"""Fetch the user's code, install its requirements, and run its entry point as the toolkit does:
setup.py → `python -m <module>`; *.py → `python <script>`; anything else → `/bin/sh -c "./<name> ..."`;
with sagemaker_torch_distributed_enabled → torchrun (`python -m clary_training.torchrun`, which is
torch.distributed.run with a fix for Debian's PyTorch 1.13 on Python 3.11) ... <script>."""
import os
import shlex
import sys

from clary_training import errors, files, params, paths, process, requirements

PYTHON_PACKAGE, PYTHON_PROGRAM, COMMAND = "PYTHON_PACKAGE", "PYTHON_PROGRAM", "COMMAND"


def entry_point_type(path, name):
    if os.path.exists(os.path.join(path, "setup.py")):
        return PYTHON_PACKAGE
    if name.endswith(".py"):
        return PYTHON_PROGRAM
    return COMMAND


def resolve_code_dir(env):
    """Where the code lives: /opt/ml/code, unless SAGEMAKER_SUBMIT_DIRECTORY (without a
    sagemaker_submit_directory hyperparameter) names a local directory: then the code runs there."""
    if env.submit_directory_source == "environment" and os.path.isdir(env.module_dir):
        return env.module_dir
    return paths.code_dir()


def fetch(env):
    """Put the code in place; no source given (or the code dir already filled) → use what is there."""
    code_dir = resolve_code_dir(env)
    if env.submit_directory_source is not None and code_dir != env.module_dir:
        files.download_and_extract(env.module_dir, code_dir)
    os.makedirs(code_dir, exist_ok=True)
    return code_dir


def torchrun_command(env, script, args):
    nproc = env.num_gpus if env.num_gpus > 0 else 1
    return [process.python_executable(), "-m", "clary_training.torchrun",
            "--nnodes", str(len(env.hosts)), "--nproc_per_node", str(nproc),
            "--node_rank", str(env.hosts.index(env.current_host)),
            "--master_addr", env.hosts[0], "--master_port", str(params.TORCHRUN_MASTER_PORT),
            script] + list(args)


def create_command(env, code_dir, name, args):
    """(argv, display string) for the entry point."""
    fw = env.additional_framework_parameters
    if fw.get(params.MPI_ENABLED) or fw.get(params.SMDATAPARALLEL_ENABLED):
        raise errors.UserConfigurationError(
            "Clary's training toolkit does not run MPI or smdistributed data-parallel jobs "
            "(sagemaker_mpi_enabled / sagemaker_distributed_dataparallel_enabled); use "
            "distribution={'torch_distributed': {'enabled': True}} (torchrun) instead")
    kind = entry_point_type(code_dir, name)
    if fw.get(params.TORCH_DISTRIBUTED_ENABLED):
        if kind == COMMAND:
            raise errors.UserConfigurationError("torch_distributed needs a Python entry point, got %r" % name)
        cmd = torchrun_command(env, name, args)
        return cmd, " ".join(cmd)
    if kind == PYTHON_PACKAGE:
        cmd = [process.python_executable(), "-m", name[:-3] if name.endswith(".py") else name] + list(args)
        return cmd, " ".join(cmd)
    if kind == PYTHON_PROGRAM:
        cmd = [process.python_executable(), name] + list(args)
        return cmd, " ".join(cmd)
    script = os.path.join(code_dir, name)
    if os.path.exists(script):
        os.chmod(script, 0o777)
    line = "./%s %s" % (name, " ".join(shlex.quote(a) for a in args))
    return ["/bin/sh", "-c", line], '/bin/sh -c "%s"' % line


def child_environment(env_vars, code_dir):
    """os.environ + SM_* + PYTHONPATH (the toolkit's sys.path with the code dir first), unbuffered."""
    if code_dir not in sys.path:
        sys.path.insert(0, code_dir)
    child = dict(os.environ)
    child.update(env_vars)
    child["PYTHONPATH"] = ":".join(p for p in sys.path if p)
    child["PYTHONUNBUFFERED"] = "1"
    return child


def run(env):
    """Fetch, install and run the user entry point; raises ClientError subclasses on failure."""
    name = env.user_entry_point
    if not name:
        raise errors.UserConfigurationError(
            "No entry point: set the hyperparameter sagemaker_program (script mode), the environment variable "
            "SAGEMAKER_PROGRAM, or SAGEMAKER_TRAINING_MODULE")
    code_dir = fetch(env)
    child_env = child_environment(env.to_env_vars(), code_dir)
    os.environ.update({k: v for k, v in child_env.items() if k.startswith("SM_")})
    if os.path.exists(os.path.join(code_dir, "requirements.txt")):
        requirements.install(code_dir, child_env)
    cmd, display = create_command(env, code_dir, name, env.to_cmd_args())
    print("Invoking user script\n\nCommand:\n%s\n" % display, flush=True)
    return process.check_error(cmd, errors.ExecuteUserScriptError, env=child_env, cwd=code_dir, display=display)
