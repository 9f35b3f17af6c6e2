"""Logging: INFO and below to stdout, WARNING and above to stderr; no access log."""
import logging
import sys

FORMAT = "%(asctime)s [%(process)d] %(levelname)s %(name)s: %(message)s"


class _Below(logging.Filter):
    def __init__(self, level):
        super().__init__()
        self.level = level

    def filter(self, record):
        return record.levelno < self.level


def setup(level=logging.INFO):
    for stream in (sys.stdout, sys.stderr):  # handler code's print() reaches the log at once
        try:
            stream.reconfigure(line_buffering=True)
        except (AttributeError, ValueError):
            pass
    root = logging.getLogger()
    for h in list(root.handlers):
        root.removeHandler(h)
    out = logging.StreamHandler(sys.stdout)
    out.addFilter(_Below(logging.WARNING))
    err = logging.StreamHandler(sys.stderr)
    err.setLevel(logging.WARNING)
    for h in (out, err):
        h.setFormatter(logging.Formatter(FORMAT))
        root.addHandler(h)
    root.setLevel(level)


def fatal(text):
    """The start-up failure text as the last line(s) of stderr (the controller's FailureReason)."""
    sys.stdout.flush()
    sys.stderr.write(text.rstrip("\n") + "\n")
    sys.stderr.flush()


def flush():
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
