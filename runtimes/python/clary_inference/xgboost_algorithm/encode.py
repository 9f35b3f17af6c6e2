"""Predictions → the built-in algorithm's response formats: text/csv, application/json
({"predictions": [{"score": …}, …]}) and application/jsonlines ({"score": …} per line)."""
import json

from clary_inference import media
from clary_inference.frameworks.xgboost import csv_lines

ACCEPTS = (media.CSV, media.JSON, media.JSONLINES)


def encode(predictions, accept, batch):
    values = predictions.tolist()
    if accept == media.CSV:
        return csv_lines(values, batch).encode("utf-8")
    records = [{"score": v} for v in values]
    if accept == media.JSON:
        return json.dumps({"predictions": records}).encode("utf-8")
    return "".join(json.dumps(r) + "\n" for r in records).encode("utf-8")
