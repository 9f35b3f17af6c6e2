"""One worker process: load the model, tell the master it is ready, serve the shared socket until SIGTERM
(then finish in-flight requests and exit 0)."""
import ctypes
import logging
import os
import signal
import threading
import traceback

from clary_inference import cpus, http_server, logs
from clary_inference.errors import StartupError

logger = logging.getLogger("clary_inference")
PR_SET_PDEATHSIG = 1
EXIT_STARTUP_FAILED = 4


def _die_with_parent(master_pid):
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass
    if os.getppid() != master_pid:  # the master died before prctl took effect
        os._exit(1)


def make_handler(config, code):
    if config.framework == "xgboost-algorithm":
        from clary_inference.xgboost_algorithm.handler import AlgorithmHandler

        return AlgorithmHandler(config)
    from clary_inference.handler import Handler

    return Handler(config, code)


def run(config, sock, code, status_fd, master_pid):
    """The worker's whole life; never returns (os._exit)."""
    code_out = 1
    try:
        _die_with_parent(master_pid)
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        logs.setup(config.log_level)
        cpus.limit_threads(config.workers)
        try:
            app = make_handler(config, code)
            app.load()
        except StartupError as e:
            _report(status_fd, "F" + str(e))
            code_out = EXIT_STARTUP_FAILED
            return
        except BaseException as e:  # noqa: BLE001
            logger.error("Loading the model failed:\n%s", traceback.format_exc())
            _report(status_fd, "F%s: %s" % (type(e).__name__, e))
            code_out = EXIT_STARTUP_FAILED
            return
        sock.setblocking(False)  # a worker that loses the accept() race must not block in it
        server = http_server.InferenceServer(sock, app, config)
        drainer = []

        def on_term(signum, frame):
            if not drainer:
                t = threading.Thread(target=server.drain, args=(config.timeout_s,), daemon=True)
                drainer.append(t)
                t.start()

        signal.signal(signal.SIGTERM, on_term)
        threading.Thread(target=server.watchdog, args=(config.timeout_s,), daemon=True).start()
        _report(status_fd, "R")
        server.serve_forever(poll_interval=0.5)
        if server.expiring:  # the watchdog answers the late requests and ends the process
            threading.Event().wait()
        if drainer:
            drainer[0].join()
        code_out = 0
    except BaseException:  # noqa: BLE001
        traceback.print_exc()
    finally:
        logs.flush()
        os._exit(code_out)


def _report(fd, text):
    try:
        os.write(fd, text.encode("utf-8", "replace")[:60000])
        os.close(fd)
    except OSError:
        pass
