"""Scoring script for the churn model (sample for the Azure ML Model Data demo)."""
import json
import os

import joblib
import numpy as np


def init():
    global model
    model_path = os.path.join(os.getenv("AZUREML_MODEL_DIR", "."), "churn_model.pkl")
    model = joblib.load(model_path)


def run(raw_data):
    data = np.array(json.loads(raw_data)["data"])
    result = model.predict_proba(data)[:, 1]
    return result.tolist()
