"""Run a child process: stream its stdout/stderr through as they come, forward SIGTERM (and other
stop signals) to it, keep a bounded tail of stderr for the failure text, and wait."""
import collections
import ctypes
import os
import re
import signal
import subprocess
import sys
import threading



STDERR_TAIL_BYTES = 64 * 1024
ERROR_MESSAGE_MAX_CHARS = 2000
FORWARDED_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGUSR1, signal.SIGUSR2)
_ERROR_LINE = re.compile(r"^\s*[A-Za-z_][\w.]*(Error|Exception|Exit|Interrupt)\b")
_PR_SET_PDEATHSIG = 1


def python_executable():
    if not sys.executable:
        raise RuntimeError("Failed to retrieve the real path for the Python executable binary")
    return sys.executable


def _die_with_parent():
    """In the child before exec: SIGKILL when the toolkit dies, as its own process group would not."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass


class ProcessTimeout(Exception):
    def __init__(self, cmd, timeout, stderr_tail):
        super().__init__("%s did not finish within %s s" % (cmd, timeout))
        self.cmd, self.timeout, self.stderr_tail = cmd, timeout, stderr_tail


class _Pump(threading.Thread):
    """Copy one pipe to one of our file descriptors chunk by chunk; optionally keep its tail."""

    def __init__(self, src, dst_fd, keep_tail):
        super().__init__(daemon=True)
        self.src, self.dst_fd = src, dst_fd
        self.tail = collections.deque() if keep_tail else None
        self.tail_size = 0

    def run(self):
        fd = self.src.fileno()
        ends_line = True
        while True:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            ends_line = chunk.endswith(b"\n")
            try:
                os.write(self.dst_fd, chunk)
            except OSError:
                pass
            if self.tail is not None:
                self.tail.append(chunk)
                self.tail_size += len(chunk)
                while self.tail_size > STDERR_TAIL_BYTES and len(self.tail) > 1:
                    self.tail_size -= len(self.tail.popleft())
        # The child's unterminated last line ends here, not glued to whatever we print next.
        if not ends_line:
            try:
                os.write(self.dst_fd, b"\n")
            except OSError:
                pass

    def text(self):
        return b"".join(self.tail or []).decode("utf-8", "replace")


def error_message(stderr_tail):
    """What goes into ErrorMessage: from the first exception line (e.g. 'ValueError: boom') on,
    else the last lines of stderr; duplicate lines removed, bounded."""
    lines = [l.rstrip() for l in stderr_tail.splitlines() if l.strip()]
    start = next((i for i, l in enumerate(lines) if _ERROR_LINE.match(l)), None)
    chosen = lines[start:] if start is not None else lines[-20:]
    text = "\n".join(dict.fromkeys(chosen)).strip()
    return text[-ERROR_MESSAGE_MAX_CHARS:]


class _Forwarder:
    """Signal handlers that pass stop signals on to the running child."""

    def __init__(self):
        self.child = None
        self.previous = {}

    def _handle(self, signum, _frame):
        if self.child is not None and self.child.poll() is None:
            self.child.send_signal(signum)
        elif self.child is None:
            os._exit(128 + signum)

    def __enter__(self):
        for s in FORWARDED_SIGNALS:
            self.previous[s] = signal.signal(s, self._handle)
        return self

    def __exit__(self, *exc):
        for s, h in self.previous.items():
            signal.signal(s, h)


def display_command(cmd):
    return " ".join(cmd)


def check_error(cmd, error_class, env=None, cwd=None, display=None, timeout=None):
    """Run cmd to completion; raise error_class(cmd, return_code, stderr message) on non-zero exit.
    Returns the exit code (0)."""
    sys.stdout.flush()
    sys.stderr.flush()
    with _Forwarder() as fwd:
        try:
            child = subprocess.Popen(cmd, env=env, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, preexec_fn=_die_with_parent, process_group=0)
        except OSError as e:
            raise error_class(cmd=display or display_command(cmd), return_code=getattr(e, "errno", 1) or 1,
                              output=str(e))
        fwd.child = child
        out, err = _Pump(child.stdout, 1, False), _Pump(child.stderr, 2, True)
        out.start()
        err.start()
        try:
            rc = child.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
            out.join(5)
            err.join(5)
            raise ProcessTimeout(display or display_command(cmd), timeout, err.text())
        out.join(30)
        err.join(30)
    if rc < 0:
        rc = 128 - rc  # killed by signal N: the shell's 128+N (137 for SIGKILL)
    if rc:
        info = "OutOfMemory: Process killed by SIGKILL (signal 9)" if rc == 137 else None
        e = error_class(cmd=display or display_command(cmd), return_code=rc,
                        output=error_message(err.text()), info=info)
        e.stderr_tail = err.text()
        raise e
    return rc


