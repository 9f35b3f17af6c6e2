"""Calling handler functions with or without the trailing `context` argument, as the toolkit does: a
function that takes one more positional parameter than the classic form gets the Context."""
import inspect

from clary_inference.errors import StartupError

_POSITIONAL = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)


class HandlerFunction:
    """`fn` bound to how many arguments it takes: n (classic) or n + 1 (with context)."""

    __slots__ = ("fn", "with_context", "name")

    def __init__(self, fn, name, classic_args):
        self.fn = fn
        self.name = name
        self.with_context = _takes_context(fn, name, classic_args)

    def __call__(self, *args_and_context):
        if self.with_context:
            return self.fn(*args_and_context)
        return self.fn(*args_and_context[:-1])


def _takes_context(fn, name, n):
    try:
        params = list(inspect.signature(fn).parameters.values())
    except (TypeError, ValueError):
        return False
    if any(p.kind == inspect.Parameter.VAR_POSITIONAL for p in params):
        return False
    positional = [p for p in params if p.kind in _POSITIONAL]
    required = [p for p in positional if p.default is inspect.Parameter.empty]
    if len(positional) >= n + 1 and len(required) <= n + 1:
        return True
    if len(required) <= n <= len(positional):
        return False
    raise StartupError("%s must take %d arguments, or %d with a trailing context; it takes %d"
                       % (name, n, n + 1, len(positional)))
