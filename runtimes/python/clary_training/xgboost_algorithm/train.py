"""`xgboost-train`: train the built-in XGBoost algorithm from the job's channels and hyperparameters,
print one metric line per round like the real container, save /opt/ml/model/xgboost-model."""
import logging
import os
import sys
import traceback

from clary_training import environment, files, paths
from clary_training.xgboost_algorithm import data, hyperparameters
from clary_training.xgboost_algorithm.errors import AlgorithmError, BaseToolkitError, UserError

MODEL_NAME = "xgboost-model"
logger = logging.getLogger("clary_training.xgboost")


def metric_line(iteration, evals_log):
    """'[3]\\ttrain-rmse:0.12345\\tvalidation-rmse:0.23456' — CloudWatch shows the tabs as #011."""
    parts = ["%s-%s:%.5f" % (data_name, metric, values[-1][0] if isinstance(values[-1], tuple) else values[-1])
             for data_name, metrics in evals_log.items() for metric, values in metrics.items()]
    return "[%d]\t%s" % (iteration, "\t".join(parts))


def _printer():
    import xgboost as xgb

    class PrintEvaluation(xgb.callback.TrainingCallback):
        def after_iteration(self, model, epoch, evals_log):
            if evals_log:
                sys.stdout.write(metric_line(epoch, evals_log) + "\n")
                sys.stdout.flush()
            return False

    return PrintEvaluation()


def load_channels(input_data_config, csv_weights):
    if "train" not in input_data_config:
        raise UserError("Missing required channel: train. The built-in XGBoost algorithm needs a 'train' "
                        "channel (and optionally 'validation')")
    train_path = paths.channel_path("train")
    train_files = data.data_files(train_path)
    if not train_files:
        raise UserError("No data in training channel path %s" % train_path)
    kind = data.content_type(input_data_config["train"].get("ContentType"), train_files)
    dtrain = data.dmatrix(train_files, kind, csv_weights)
    dval = None
    if "validation" in input_data_config:
        val_path = paths.channel_path("validation")
        val_files = data.data_files(val_path)
        if not val_files:
            raise UserError("No data in validation channel path %s" % val_path)
        val_kind = data.content_type(input_data_config["validation"].get("ContentType") or
                                     input_data_config["train"].get("ContentType"), val_files)
        dval = data.dmatrix(val_files, val_kind, csv_weights)
    return dtrain, dval


def train_job(cfg, dtrain, dval, model_dir):
    import xgboost as xgb

    cfg = dict(cfg)
    num_round = cfg.pop("num_round")
    early_stopping_rounds = cfg.pop("early_stopping_rounds", None)
    for internal in ("save_model_on_termination", "_tuning_objective_metric", "_kfold", "_num_cv_round",
                     "csv_weights"):
        cfg.pop(internal, None)
    if "eval_metric" in cfg and not cfg["eval_metric"]:
        cfg.pop("eval_metric")
    evals = [(dtrain, "train")] + ([(dval, "validation")] if dval is not None else [])
    logger.info("Train matrix has %d rows and %d columns", dtrain.num_row(), dtrain.num_col())
    if dval is not None:
        logger.info("Validation matrix has %d rows", dval.num_row())
    if early_stopping_rounds and dval is None:
        raise UserError("early_stopping_rounds needs a validation channel")
    try:
        bst = xgb.train(cfg, dtrain, num_boost_round=num_round, evals=evals, verbose_eval=False,
                        early_stopping_rounds=early_stopping_rounds, callbacks=[_printer()])
    except xgb.core.XGBoostError as e:
        raise UserError("XGB train call failed with exception:\n %s" % e)
    os.makedirs(model_dir, exist_ok=True)
    bst.save_model(os.path.join(model_dir, MODEL_NAME))


def main():
    logging.basicConfig(level=logging.INFO, stream=sys.stdout, format="[%(asctime)s:%(levelname)s] %(message)s")
    try:
        try:
            import xgboost  # noqa: F401
        except ImportError as e:
            raise AlgorithmError("the xgboost Python package is not installed in this runtime: %s" % e)
        raw = paths.read_json(paths.config_file("hyperparameters.json"), default={})
        cfg = hyperparameters.validate(raw)
        input_data_config = environment.read_input_data_config()
        dtrain, dval = load_channels(input_data_config, cfg.get("csv_weights", 0))
        hosts = paths.read_json(paths.config_file("resourceconfig.json"), default={"hosts": ["algo-1"]})["hosts"]
        if len(hosts) > 1:
            raise UserError("Clary's built-in XGBoost trains on one instance; InstanceCount is %d" % len(hosts))
        train_job(cfg, dtrain, dval, paths.model_dir())
        files.write_success_file()
        return 0
    except BaseToolkitError as e:
        files.write_failure_file(e.failure_text())
        logger.error(e.failure_text())
        return 1
    except Exception as e:  # noqa: BLE001
        text = "AlgorithmError: %s\n%s" % (e, traceback.format_exc())
        files.write_failure_file(text)
        logger.error(text)
        return 1
