#!/usr/bin/python3
"""Train scikit-learn's SGDClassifier on the bundled digits data and log each run to MLOps Hub.

Runs three hyperparameter settings (or one with ``--setting N``) for ``--epochs`` passes of
``partial_fit`` each, logging params, per-epoch train and validation accuracy and loss, and the
pickled model size in bytes. Prints one line per setting:
``setting=1 run_id=<id> final_val_accuracy=0.9444``.

Needs scikit-learn (Debian: ``apt-get install python3-sklearn``, then run with /usr/bin/python3)
and a running hub (``mlops-hub serve`` or the desktop app).
"""

import argparse
import os
import pickle
import sys

import numpy as np
from sklearn.datasets import load_digits
from sklearn.linear_model import SGDClassifier
from sklearn.metrics import accuracy_score, hinge_loss, log_loss
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

try:
    import mlops_hub
except ImportError:
    # Not installed with pip: use the SDK from this checkout.
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "clients", "python"))
    import mlops_hub

SEED = 0

# Three losses: log_loss and modified_huber give probabilities, hinge gives only margins.
SETTINGS = {
    1: {"loss": "log_loss", "alpha": 1e-4, "learning_rate": "optimal", "eta0": 0.0},
    2: {"loss": "hinge", "alpha": 1e-3, "learning_rate": "constant", "eta0": 0.01},
    3: {"loss": "modified_huber", "alpha": 1e-5, "learning_rate": "invscaling", "eta0": 0.05},
}


def load_data():
    """Split the 1,797 digits 80/20 (stratified) and standardize the 64 pixel features."""
    digits = load_digits()
    x_train, x_val, y_train, y_val = train_test_split(
        digits.data, digits.target, test_size=0.2, stratify=digits.target, random_state=SEED
    )
    scaler = StandardScaler().fit(x_train)
    return scaler.transform(x_train), scaler.transform(x_val), y_train, y_val


def evaluate(model, x, y, classes):
    """Return (accuracy, loss): log loss when the model gives probabilities, else multiclass hinge loss."""
    accuracy = accuracy_score(y, model.predict(x))
    if model.loss in ("log_loss", "modified_huber"):
        return accuracy, log_loss(y, model.predict_proba(x), labels=classes)
    return accuracy, hinge_loss(y, model.decision_function(x), labels=classes)


def train_setting(number, epochs, data, experiment):
    """Train one setting for ``epochs`` passes in a new run. Return the run id and the final validation accuracy."""
    setting = SETTINGS[number]
    x_train, x_val, y_train, y_val = data
    classes = np.unique(y_train)
    model = SGDClassifier(random_state=SEED, **setting)
    shuffler = np.random.RandomState(SEED + number)
    params = {**setting, "setting": number, "epochs": epochs, "train_samples": len(y_train), "val_samples": len(y_val),
              "loss_metric": "log_loss" if setting["loss"] != "hinge" else "hinge_loss"}

    with mlops_hub.start_run(experiment=experiment, run_name=f"setting-{number}-{setting['loss']}", params=params) as run:
        for epoch in range(1, epochs + 1):
            order = shuffler.permutation(len(y_train))
            model.partial_fit(x_train[order], y_train[order], classes=classes)

            train_accuracy, train_loss = evaluate(model, x_train, y_train, classes)
            val_accuracy, val_loss = evaluate(model, x_val, y_val, classes)
            run.log_metrics(
                {"train_accuracy": train_accuracy, "train_loss": train_loss, "val_accuracy": val_accuracy, "val_loss": val_loss},
                step=epoch,
            )

        run.log_metric("model_size_bytes", len(pickle.dumps(model)), step=epochs)

    return run.run_id, val_accuracy


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--setting", type=int, choices=sorted(SETTINGS), help="train only this setting (default: all three)")
    parser.add_argument("--epochs", type=int, default=20, help="passes of partial_fit over the training split (default: 20)")
    parser.add_argument("--experiment", help="experiment name (default: the project name from mlops.yaml)")
    args = parser.parse_args()
    if args.epochs < 1:
        parser.error(f"--epochs must be at least 1, got {args.epochs}")

    data = load_data()
    for number in [args.setting] if args.setting else sorted(SETTINGS):
        run_id, val_accuracy = train_setting(number, args.epochs, data, args.experiment)
        print(f"setting={number} run_id={run_id} final_val_accuracy={val_accuracy:.4f}", flush=True)


if __name__ == "__main__":
    main()
