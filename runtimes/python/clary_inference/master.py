"""`serve`: read the configuration, locate the code, bind the socket once, then pre-fork
SAGEMAKER_MODEL_SERVER_WORKERS workers that load the model and accept() on the shared socket.

The first worker loads alone; if it fails, the server exits 1 with the reason as the last line of stderr
(the endpoint's FailureReason). Once it is ready the others start. A worker that dies later is replaced.
SIGTERM/SIGINT: forwarded to the workers as SIGTERM (they finish in-flight requests), exit 0 when they
have exited (SIGKILL after SAGEMAKER_MODEL_SERVER_TIMEOUT + 10 s)."""
import errno
import logging
import os
import select
import signal
import socket
import time

from clary_inference import config as config_mod
from clary_inference import logs, user_code, worker
from clary_inference.errors import StartupError

logger = logging.getLogger("clary_inference")


def bind(cfg):
    family = socket.AF_INET6 if ":" in cfg.host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((cfg.host, cfg.port))
    except OSError as e:
        sock.close()
        raise StartupError("Cannot listen on %s:%d (SAGEMAKER_BIND_HOST, SAGEMAKER_BIND_TO_PORT): %s"
                           % (cfg.host, cfg.port, e.strerror or e))
    sock.listen(1024)
    return sock


class _Worker:
    def __init__(self, index, fd):
        self.index = index
        self.fd = fd
        self.report = b""
        self.ready = False


class Master:
    def __init__(self, cfg, sock, code):
        self.cfg = cfg
        self.sock = sock
        self.code = code
        self.workers = {}
        self.stopping = False
        self.forwarded_at = None
        self.announced = False

    def spawn(self, index):
        logs.flush()
        r, w = os.pipe()
        master_pid = os.getpid()
        pid = os.fork()
        if pid == 0:
            os.close(r)
            worker.run(self.cfg, self.sock, self.code, w, master_pid)  # never returns
        os.close(w)
        self.workers[pid] = _Worker(index, r)

    def _on_signal(self, signum, frame):
        if signum in (signal.SIGTERM, signal.SIGINT):
            self.stopping = True

    def _read_reports(self, readable):
        for w in self.workers.values():
            if w.fd is not None and w.fd in readable:
                data = os.read(w.fd, 65536)
                if data:
                    w.report += data
                    continue
                os.close(w.fd)
                w.fd = None
                w.ready = w.report == b"R"

    def _fail(self, w, status):
        text = w.report[1:].decode("utf-8", "replace") if w.report.startswith(b"F") else ""
        if not text:
            how = ("signal %d" % os.WTERMSIG(status)) if os.WIFSIGNALED(status) else \
                ("exit code %d" % os.WEXITSTATUS(status))
            text = "The model server worker died while loading the model (%s)%s" % (
                how, "; killed for memory?" if os.WIFSIGNALED(status) and os.WTERMSIG(status) == 9 else "")
        self._signal_all(signal.SIGKILL)
        self._wait_all()
        logs.fatal(text)
        return 1

    def _signal_all(self, sig):
        for pid in list(self.workers):
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass

    def _wait_all(self):
        for pid in list(self.workers):
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass
            self.workers.pop(pid, None)

    def run(self):
        wake_r, wake_w = os.pipe()
        os.set_blocking(wake_r, False)
        os.set_blocking(wake_w, False)
        signal.set_wakeup_fd(wake_w)
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGCHLD):
            signal.signal(sig, self._on_signal)
        self.spawn(0)
        started_rest = False
        while True:
            fds = [wake_r] + [w.fd for w in self.workers.values() if w.fd is not None]
            try:
                readable, _, _ = select.select(fds, [], [], 1.0)
            except OSError as e:
                if e.errno != errno.EINTR:
                    raise
                readable = []
            if wake_r in readable:
                try:
                    while os.read(wake_r, 512):
                        pass
                except BlockingIOError:
                    pass
            self._read_reports(readable)
            code = self._reap()
            if code is not None:
                return code
            if self.stopping:
                if self.forwarded_at is None:
                    logger.info("Stopping: forwarding SIGTERM to %d worker(s)", len(self.workers))
                    self._signal_all(signal.SIGTERM)
                    self.sock.close()
                    self.forwarded_at = time.monotonic()
                if not self.workers:
                    return 0
                if time.monotonic() - self.forwarded_at > self.cfg.timeout_s + 10:
                    logger.warning("Workers did not stop in time: killing them")
                    self._signal_all(signal.SIGKILL)
                    self._wait_all()
                    return 0
                continue
            ready = sum(1 for w in self.workers.values() if w.ready)
            if not started_rest and ready >= 1:
                started_rest = True
                for i in range(1, self.cfg.workers):
                    self.spawn(i)
            if not self.announced and ready == self.cfg.workers:
                self.announced = True
                logger.info("Ready: %s model from %s, %d worker(s), http://%s:%d", self.cfg.framework,
                            self.cfg.model_dir, self.cfg.workers, *self.sock.getsockname()[:2])

    def _reap(self):
        while self.workers:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return None
            if pid == 0:
                return None
            w = self.workers.pop(pid, None)
            if w is None:
                continue
            if w.fd is not None:  # collect what it reported before dying
                try:
                    while True:
                        data = os.read(w.fd, 65536)
                        if not data:
                            break
                        w.report += data
                finally:
                    os.close(w.fd)
                    w.fd = None
                w.ready = w.report == b"R"
            if self.stopping:
                continue
            if not w.ready:
                return self._fail(w, status)
            how = ("signal %d" % os.WTERMSIG(status)) if os.WIFSIGNALED(status) else \
                ("exit code %d" % os.WEXITSTATUS(status))
            logger.warning("Worker %d (pid %d) died (%s); starting a new one", w.index, pid, how)
            self.spawn(w.index)
        return None


def serve():
    try:
        cfg = config_mod.from_env()
    except StartupError as e:
        logs.setup()
        logs.fatal(str(e))
        return 1
    logs.setup(cfg.log_level)
    try:
        if not os.path.isdir(cfg.model_dir):
            raise StartupError("The model directory %s does not exist (SM_MODEL_DIR; was model.tar.gz extracted?)"
                               % cfg.model_dir)
        code = user_code.prepare(cfg)
        sock = bind(cfg)
    except StartupError as e:
        logs.fatal(str(e))
        return 1
    host, port = sock.getsockname()[:2]
    logger.info("Listening on http://%s:%d (%s, %d worker(s))", host, port, cfg.framework, cfg.workers)
    logs.flush()
    return Master(cfg, sock, code).run()
