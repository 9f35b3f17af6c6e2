"""The built-in XGBoost algorithm (the sagemaker-xgboost image used without sagemaker_program)."""
