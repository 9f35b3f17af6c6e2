"""code/requirements.txt: installed with pip when a package index answers, else skipped with a log line
(an endpoint sandbox usually has no route to PyPI; the runtime's packages are what the model gets)."""
import logging
import os
import subprocess
import sys
import tempfile
import threading
import urllib.parse

logger = logging.getLogger("clary_inference")
DEFAULT_INDEX = "https://pypi.org/simple"


def _index_reachable(url, timeout=3.0):
    import socket

    parsed = urllib.parse.urlsplit(url)
    host, port = parsed.hostname, parsed.port or (443 if parsed.scheme == "https" else 80)
    result = []

    def probe():
        try:
            socket.create_connection((host, port), timeout=timeout).close()
            result.append(True)
        except OSError:
            pass

    t = threading.Thread(target=probe, daemon=True)  # getaddrinfo is not bounded by the socket timeout
    t.start()
    t.join(timeout + 0.5)
    return bool(result)


def install(code_dir):
    """Install code_dir/requirements.txt into a temporary target put first on sys.path. Returns the
    path added to sys.path, or None when nothing was installed."""
    req = os.path.join(code_dir, "requirements.txt")
    if not os.path.isfile(req):
        return None
    index = os.environ.get("PIP_INDEX_URL") or DEFAULT_INDEX
    if not _index_reachable(index):
        logger.info("Not installing %s: no package index is reachable (%s); the runtime's packages are used",
                    req, index)
        return None
    target = tempfile.mkdtemp(prefix="clary-inference-pip-")
    cmd = [sys.executable, "-m", "pip", "install", "--disable-pip-version-check", "--no-input",
           "--target", target, "-r", req]
    logger.info("Installing dependencies from requirements.txt: %s", " ".join(cmd))
    timeout = int(os.environ.get("CLARY_PIP_TIMEOUT_S", "120"))
    done = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=timeout)
    if done.returncode != 0:
        from clary_inference.errors import StartupError

        raise StartupError("pip install -r requirements.txt failed (exit %d): %s"
                           % (done.returncode, done.stdout.decode("utf-8", "replace")[-2000:]))
    sys.path.insert(0, target)
    return target
