"""The built-in XGBoost algorithm's inference server (the sagemaker-xgboost image used without a script)."""
