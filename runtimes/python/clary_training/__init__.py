"""Clary's training toolkit: the sagemaker-training-toolkit ("script mode") contract on the
standard library alone. `python3 -m clary_training train` is what an image's `train` runs."""

__version__ = "0.1.0"


def training_env():
    """The training environment of this job (like sagemaker_training.environment.Environment())."""
    from clary_training.environment import Environment

    return Environment()
