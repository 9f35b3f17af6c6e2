"""requirements.txt → `python -m pip install -r requirements.txt`, failing fast and clearly when
no package index is reachable (the usual case in a sandbox without network)."""
import os
import re
import sys

from clary_training import errors, process

DEFAULT_TIMEOUT_S = 120
_NETWORK_MARKERS = (
    "NewConnectionError", "Failed to establish a new connection", "Connection refused", "Network is unreachable",
    "Name or service not known", "Temporary failure in name resolution", "No route to host", "Max retries exceeded",
    "ConnectTimeoutError", "Read timed out", "ProxyError", "Could not fetch URL", "connection broken",
    "nodename nor servname", "Connection reset",
)


def _in_virtualenv():
    return sys.prefix != getattr(sys, "base_prefix", sys.prefix)


def install(code_dir, env):
    """Install code_dir/requirements.txt into the interpreter the user code runs with.

    Outside a virtualenv packages go to a per-job user base (PYTHONUSERBASE, default
    <base>/.clary/python-user), which `env` is updated to point at so the user code sees them.
    """
    from clary_training import paths

    req = os.path.join(code_dir, "requirements.txt")
    timeout = int(os.environ.get("CLARY_PIP_TIMEOUT_S", DEFAULT_TIMEOUT_S))
    cmd = [process.python_executable(), "-m", "pip", "install", "-r", "requirements.txt"]
    extra = ["--disable-pip-version-check", "--no-input", "--no-cache-dir", "--timeout", "10", "--retries", "1"]
    if not _in_virtualenv():
        env.setdefault("PYTHONUSERBASE", os.path.join(paths.base_dir(), ".clary", "python-user"))
        env["PIP_BREAK_SYSTEM_PACKAGES"] = "1"  # Debian marks its Python externally managed (PEP 668)
        extra.append("--user")
    display = " ".join(cmd)
    print("Installing dependencies from requirements.txt:\n%s" % display, flush=True)
    try:
        process.check_error(cmd + extra, errors.InstallRequirementsError, env=env, cwd=code_dir,
                            display=display, timeout=timeout)
    except process.ProcessTimeout as e:
        raise errors.InstallRequirementsError(
            cmd=display, return_code=124,
            output="pip did not finish within %d s (CLARY_PIP_TIMEOUT_S): no package index is reachable from "
                   "this training job. Bake the packages into the framework runtime or point PIP_INDEX_URL at a "
                   "reachable mirror. %s" % (timeout, process.error_message(e.stderr_tail)))
    except errors.InstallRequirementsError as e:
        tail = getattr(e, "stderr_tail", "")
        if any(m.lower() in tail.lower() for m in _NETWORK_MARKERS):
            e.output = ("No package index is reachable from this training job, so requirements.txt cannot be "
                        "installed (pip could not connect to %s). Bake the packages into the framework runtime or "
                        "point PIP_INDEX_URL at a reachable mirror. pip said: %s"
                        % (_index_named(env, tail), e.output))
        raise
    if "PYTHONUSERBASE" in env:
        site = _user_site(env["PYTHONUSERBASE"])
        env["PYTHONPATH"] = site + (":" + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")


def _index_named(env, tail):
    m = re.search(r"Looking in indexes: (\S+)", tail)
    return env.get("PIP_INDEX_URL") or (m.group(1).rstrip(",") if m else "the package index")


def _user_site(userbase):
    return os.path.join(userbase, "lib", "python%d.%d" % sys.version_info[:2], "site-packages")
