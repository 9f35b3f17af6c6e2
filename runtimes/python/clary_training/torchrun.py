"""`python -m clary_training.torchrun ARGS` = `python -m torch.distributed.run ARGS`, with one fix:
PyTorch 1.13 (Debian 12's python3-torch) on Python 3.11 parses its default `--redirects 0` / `--tee 0`
to None (3.11's IntFlag iteration skips the zero member) and crashes before starting any worker.
Where that bug is present, Std.from_str is replaced by a correct one; otherwise nothing changes."""
import re
import sys


def _patch():
    from torch.distributed.elastic.multiprocessing import api

    if api.Std.from_str("0") is not None:
        return

    def from_str(cls, vm):
        if re.match(api._VALUE_REGEX, vm):
            return cls(int(vm))
        if re.match(api._MAPPING_REGEX, vm):
            return {int(i): cls(int(v)) for i, v in (m.split(":") for m in vm.split(","))}
        raise ValueError("%s does not match: <%s> or <%s>" % (vm, api._VALUE_REGEX, api._MAPPING_REGEX))

    api.Std.from_str = classmethod(from_str)


if __name__ == "__main__":
    _patch()
    from torch.distributed import run

    sys.argv[0] = "torchrun"
    run.main()
