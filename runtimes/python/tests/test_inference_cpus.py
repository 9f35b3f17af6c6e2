"""The CPU count a worker sizes OpenMP/BLAS/PyTorch thread pools by: the cgroup quota Clary gives the
instance (v1 and v2 layouts, parents included), never more than the affinity mask."""
import os
import shutil
import tempfile
import unittest


class CpusTest(unittest.TestCase):
    def setUp(self):
        self.root = tempfile.mkdtemp(prefix="clary-cgroup-")
        self.addCleanup(shutil.rmtree, self.root, True)

    def write(self, rel, text):
        path = os.path.join(self.root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)
        return path

    def test_cgroup_v1_quota_and_a_tighter_parent(self):
        from clary_inference import cpus

        proc = self.write("proc-cgroup", "2:cpuacct:/clary/ep-1\n1:cpu:/clary/ep-1\n0::/\n")
        self.write("cpu/clary/ep-1/cpu.cfs_quota_us", "50000\n")
        self.write("cpu/clary/ep-1/cpu.cfs_period_us", "100000\n")
        self.assertEqual(cpus.available(proc, self.root), 1)  # half a CPU rounds up to one
        self.write("cpu/clary/ep-1/cpu.cfs_quota_us", "-1\n")
        affinity = len(os.sched_getaffinity(0))
        self.assertEqual(cpus.available(proc, self.root), affinity)  # no quota anywhere
        self.write("cpu/clary/cpu.cfs_quota_us", "100000\n")
        self.write("cpu/clary/cpu.cfs_period_us", "100000\n")
        self.assertEqual(cpus.available(proc, self.root), 1)  # the parent's quota binds too

    def test_cgroup_v2_cpu_max(self):
        from clary_inference import cpus

        proc = self.write("proc-cgroup", "0::/clary/ep-2\n")
        self.write("clary/ep-2/cpu.max", "100000 100000\n")
        self.assertEqual(cpus.available(proc, self.root), 1)
        self.write("clary/ep-2/cpu.max", "max 100000\n")
        self.assertEqual(cpus.available(proc, self.root), len(os.sched_getaffinity(0)))

    def test_omp_threads_split_between_workers_unless_set(self):
        from clary_inference import cpus

        env = {}
        self.assertEqual(cpus.limit_threads(64, env), 1)
        self.assertEqual(env["OMP_NUM_THREADS"], "1")
        env = {"OMP_NUM_THREADS": "3"}
        self.assertEqual(cpus.limit_threads(1, env), 3)


if __name__ == "__main__":
    unittest.main()
