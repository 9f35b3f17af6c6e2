"""Helpers for the inference-server tests (no tests here): the real server as a subprocess on a free
loopback port, with SM_MODEL_DIR at a temporary model directory, and an HTTP/1.1 keep-alive client."""
import functools
import http.client
import importlib.util
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import unittest

from tests import support
from tests.support import PYTHON, RUNTIME_DIR

START_TIMEOUT_S = 60


@functools.lru_cache(maxsize=None)
def has_module(name):
    """Whether the server's interpreter can import `name`: looked up without importing when the tests run
    on that interpreter (an import of torch costs seconds), else asked once of it."""
    if os.path.realpath(sys.executable) == os.path.realpath(PYTHON):
        try:
            return importlib.util.find_spec(name) is not None
        except ImportError:
            return False
    return support.has_module(name)


class ModelDir:
    """A temporary /opt/ml/model."""

    def __init__(self):
        self.path = tempfile.mkdtemp(prefix="clary-model-")

    def file(self, rel, text="", mode="w"):
        p = os.path.join(self.path, rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, mode) as f:
            f.write(text)
        return p

    def join(self, *parts):
        return os.path.join(self.path, *parts)

    def cleanup(self):
        shutil.rmtree(self.path, ignore_errors=True)


def server_env(model_dir, framework, **extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SM_", "SAGEMAKER_", "CLARY_"))}
    env.update(PYTHONPATH=RUNTIME_DIR, SM_MODEL_DIR=model_dir, CLARY_INFERENCE_FRAMEWORK=framework,
               SAGEMAKER_BIND_HOST="127.0.0.1", SAGEMAKER_BIND_TO_PORT="0", PIP_INDEX_URL="http://127.0.0.1:9/simple")
    env.update({k: str(v) for k, v in extra.items()})
    return env


class ServerProcess:
    """`python3 -m clary_inference serve` with its output collected; `port` once it listens."""

    def __init__(self, model_dir, framework, **env):
        self.proc = subprocess.Popen([PYTHON, "-m", "clary_inference", "serve"], cwd=RUNTIME_DIR,
                                     env=server_env(model_dir, framework, **env),
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.out, self.err = [], []
        self.port = None
        self.listening = threading.Event()
        self._readers = [threading.Thread(target=self._read, args=(self.proc.stdout, self.out), daemon=True),
                         threading.Thread(target=self._read, args=(self.proc.stderr, self.err), daemon=True)]
        for t in self._readers:
            t.start()

    def _read(self, stream, sink):
        for raw in iter(stream.readline, b""):
            line = raw.decode("utf-8", "replace")
            sink.append(line)
            if self.port is None and "Listening on http://" in line:
                self.port = int(line.split("Listening on http://", 1)[1].split()[0].rsplit(":", 1)[1])
                self.listening.set()
        self.listening.set()

    @property
    def stdout(self):
        return "".join(self.out)

    @property
    def stderr(self):
        return "".join(self.err)

    def wait_ready(self):
        """Wait until GET /ping answers 200; fail with the server's output if it exits or never does."""
        deadline = time.monotonic() + START_TIMEOUT_S
        self.listening.wait(START_TIMEOUT_S)
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError("server exited %s\n%s%s" % (self.proc.returncode, self.stdout, self.stderr))
            if self.port:
                c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                try:
                    c.request("GET", "/ping")
                    if c.getresponse().status == 200:
                        return self
                except OSError:
                    pass
                finally:
                    c.close()
            time.sleep(0.1)
        raise AssertionError("server never answered /ping\n%s%s" % (self.stdout, self.stderr))

    def wait_output(self, text, timeout=START_TIMEOUT_S, stream="stdout"):
        """Wait until stdout (or stderr) holds `text` (e.g. 'Ready:', logged once every worker has loaded the
        model); the readers are threads, so a line the server wrote may not be here yet."""
        deadline = time.monotonic() + timeout
        while text not in getattr(self, stream):
            if time.monotonic() > deadline or self.proc.poll() is not None:
                raise AssertionError("no %r in the server's output\n%s%s" % (text, self.stdout, self.stderr))
            time.sleep(0.05)

    def connection(self, timeout=30):
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)

    def wait_exit(self, timeout=30):
        try:
            rc = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise AssertionError("server did not exit\n%s%s" % (self.stdout, self.stderr))
        self._close()
        return rc

    def _close(self):
        for t in self._readers:
            t.join(5)
        for stream in (self.proc.stdout, self.proc.stderr):
            stream.close()

    def terminate(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        if not self.proc.stdout.closed:
            self._close()


def call(conn, method, path, body=None, headers=None):
    """(status, headers dict with lower-case names, body bytes) over a kept-alive connection."""
    conn.request(method, path, body=body, headers=headers or {})
    r = conn.getresponse()
    data = r.read()
    return r.status, {k.lower(): v for k, v in r.getheaders()}, data


class InferenceTestCase(unittest.TestCase):
    def model_dir(self):
        d = ModelDir()
        self.addCleanup(d.cleanup)
        return d

    def serve(self, model_dir, framework, **env):
        """A started server (ready), stopped at the end of the test; and a keep-alive connection to it."""
        server = ServerProcess(model_dir.path if isinstance(model_dir, ModelDir) else model_dir, framework, **env)
        self.addCleanup(server.kill)
        server.wait_ready()
        conn = server.connection()
        self.addCleanup(conn.close)
        return server, conn

    def start_failure(self, model_dir, framework, **env):
        """(exit code, stderr) of a server that is expected to exit during start-up."""
        server = ServerProcess(model_dir.path if isinstance(model_dir, ModelDir) else model_dir, framework, **env)
        self.addCleanup(server.kill)
        rc = server.wait_exit(START_TIMEOUT_S)
        return rc, server.stderr, server.stdout
