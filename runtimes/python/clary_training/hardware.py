"""GPU, CPU and Neuron core counts the way the toolkit measures them."""
import json
import multiprocessing
import subprocess


def num_gpus():
    """Lines of `nvidia-smi --list-gpus` that start with 'GPU ' (0 without nvidia-smi)."""
    try:
        out = subprocess.check_output(["nvidia-smi", "--list-gpus"], stderr=subprocess.DEVNULL, timeout=30)
        return sum(1 for line in out.decode("utf-8", "replace").split("\n") if line.startswith("GPU "))
    except (OSError, subprocess.SubprocessError):
        return 0


def num_cpus():
    return multiprocessing.cpu_count()


def num_neurons(instance_type=None):
    """Sum of nc_count from `neuron-ls -j` (trn2.48xlarge: 64); 0 without Neuron devices."""
    if instance_type and instance_type.endswith("trn2.48xlarge"):
        return 64
    try:
        out = subprocess.check_output(["neuron-ls", "-j"], stderr=subprocess.DEVNULL, timeout=30)
        return sum(int(d.get("nc_count", 0)) for d in json.loads(out.decode("utf-8")))
    except (OSError, subprocess.SubprocessError, ValueError, TypeError, AttributeError):
        return 0
