"""How many CPUs this instance may use: the affinity mask, capped by the cgroup CPU quota Clary gives the
instance type (cgroup v1 cpu.cfs_quota_us / cpu.cfs_period_us, or v2 cpu.max, on the process's group and its
parents). OpenMP/BLAS/PyTorch would otherwise start a thread per host core inside a 2-vCPU instance."""
import math
import os

CGROUP_ROOT = "/sys/fs/cgroup"


def _read(path):
    try:
        with open(path) as f:
            return f.read().strip()
    except OSError:
        return None


def _quota(directory):
    """CPUs allowed by one cgroup directory, or None when unlimited/unknown."""
    v1_quota, v1_period = _read(os.path.join(directory, "cpu.cfs_quota_us")), _read(os.path.join(directory, "cpu.cfs_period_us"))
    if v1_quota and v1_period and v1_quota.lstrip("-").isdigit() and int(v1_quota) > 0 and int(v1_period) > 0:
        return int(v1_quota) / int(v1_period)
    v2 = _read(os.path.join(directory, "cpu.max"))
    if v2:
        quota, _, period = v2.partition(" ")
        if quota.isdigit() and period.isdigit() and int(period) > 0:
            return int(quota) / int(period)
    return None


def _groups(proc_cgroup, root):
    """The directories of this process's CPU cgroup and its parents (v1 'cpu' controller, else v2)."""
    text = _read(proc_cgroup) or ""
    for line in text.splitlines():
        _, controllers, path = line.split(":", 2)
        names = controllers.split(",")
        if "cpu" in names:
            bases = [os.path.join(root, controllers), os.path.join(root, "cpu")]
        elif controllers == "" and len(text.splitlines()) == 1:
            bases = [root]
        else:
            continue
        for base in bases:
            if os.path.isdir(base):
                parts = [p for p in path.split("/") if p]
                return [os.path.join(base, *parts[:i]) for i in range(len(parts), -1, -1)]
    return []


def available(proc_cgroup="/proc/self/cgroup", root=CGROUP_ROOT):
    try:
        n = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        n = os.cpu_count() or 1
    for directory in _groups(proc_cgroup, root):
        quota = _quota(directory)
        if quota is not None:
            n = min(n, max(1, math.ceil(quota)))
    return max(1, n)


def limit_threads(workers, env=os.environ):
    """OMP_NUM_THREADS (read by OpenMP, OpenBLAS, XGBoost and PyTorch at import) = CPUs / workers, unless
    the environment sets it. Called in a worker before the framework is imported."""
    if "OMP_NUM_THREADS" not in env:
        env["OMP_NUM_THREADS"] = str(max(1, available() // max(1, workers)))
    return int(env["OMP_NUM_THREADS"])
