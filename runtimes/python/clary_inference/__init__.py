"""Clary's inference toolkit: the model server every endpoint and batch-transform instance runs.

`python3 -m clary_inference serve` answers SageMaker's container contract (GET /ping, POST /invocations,
GET /execution-parameters) with the sagemaker-inference-toolkit handler semantics (model_fn, input_fn,
predict_fn, output_fn, transform_fn) for scikit-learn, PyTorch and XGBoost script mode, and the built-in
XGBoost algorithm's server. Standard library only at the top level; framework packages are imported by
the worker processes that need them. See docs/inference-toolkit.md.
"""

__version__ = "0.1.0"
