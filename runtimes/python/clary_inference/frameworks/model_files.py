"""Finding a model file in the model directory by name or extension."""
import os


def find(model_dir, names=(), extensions=()):
    """The first of `names` that exists, else the files with one of `extensions` (sorted); [] when none."""
    for name in names:
        path = os.path.join(model_dir, name)
        if os.path.isfile(path):
            return [path]
    try:
        entries = sorted(os.listdir(model_dir))
    except OSError:
        return []
    return [os.path.join(model_dir, e) for e in entries
            if e.lower().endswith(tuple(extensions)) and os.path.isfile(os.path.join(model_dir, e))]
