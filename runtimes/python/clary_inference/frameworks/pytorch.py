"""sagemaker-pytorch-inference-toolkit defaults: model_fn loads model.pt / model.pth (or the one *.pt/*.pth)
as TorchScript; input decoded to a float tensor (JSON/CSV) or from numpy (NPY); predict_fn runs the model in
eval mode under no_grad; output: tensors → lists → the accept type's encoding."""
from clary_inference import decoders, encoders, media
from clary_inference.errors import StartupError
from clary_inference.frameworks import model_files

DEFAULT_ACCEPT = media.JSON
DEFAULT_CONTENT_TYPE = media.JSON


def device():
    import torch

    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def default_model_fn(model_dir):
    import torch

    found = model_files.find(model_dir, ("model.pt", "model.pth"), (".pt", ".pth"))
    if len(found) != 1:
        raise StartupError("No model_fn in the inference script, and the default model_fn needs model.pt, or "
                           "exactly one .pt/.pth file, in %s (found: %s). Provide model_fn(model_dir) or save a "
                           "TorchScript model (torch.jit.save) as model.pt"
                           % (model_dir, ", ".join(f.rsplit("/", 1)[-1] for f in found) or "none"))
    try:
        model = torch.jit.load(found[0], map_location=device())
    except Exception as e:  # noqa: BLE001 — RuntimeError for an eager-mode pickle, others for junk
        raise StartupError("Failed to load %s: %s. The default model_fn loads TorchScript only (torch.jit.save); "
                           "for other models provide model_fn(model_dir)" % (found[0], str(e).splitlines()[0]))
    model.eval()
    return model


def default_input_fn(input_data, content_type):
    import torch

    array = decoders.decode(input_data, content_type)
    if media.base_type(content_type) in media.UTF8_TYPES:
        return torch.FloatTensor(array)
    return torch.from_numpy(array)


def default_predict_fn(data, model):
    import torch

    model.eval()
    with torch.no_grad():
        return model(data.to(device()))


def default_output_fn(prediction, accept):
    return encoders.encode(prediction, accept)
