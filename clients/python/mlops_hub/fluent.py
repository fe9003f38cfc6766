"""Module-level API on one default client and the most recently started run."""

import atexit
import os
import sys
import threading
import warnings

from .client import Client
from .entries import tag_entry
from .project import detect_project
from .run import Run, active_runs, register_run, status_for_exception
from .system import system_tags

_state = {"client": None, "hooks_installed": False, "uncaught": None}
_state_lock = threading.Lock()


def get_client():
    """Return the default Client, created on first use from the environment (see ``resolve_hub``)."""
    with _state_lock:
        if _state["client"] is None:
            _state["client"] = Client()
        return _state["client"]


def start_run(experiment=None, run_name=None, params=None, tags=None, project=None, client=None):
    """Start a run and return it; use it as a context manager.

    ``project`` is the project slug: this argument, else ``name`` in the nearest ``mlops.yaml``
    above the script's folder or the current directory, else none. ``experiment`` is found or
    created by name, tagged ``mlops_hub.project=<project>``; it defaults to ``tracking.experiment``
    in ``mlops.yaml``, else the project name, else MLflow's ``Default``. ``params`` and ``tags``
    are dicts logged at start, next to system tags (OS, CPU, memory, Python, git commit).
    The run's MLflow calls go to the hub's tracking target (see ``Client.for_tracking_target``).
    """
    # Each run keeps the tracking target chosen here, even if the hub's target changes later.
    client = (client or get_client()).for_tracking_target()
    detected_project, detected_experiment, project_dir = detect_project()
    project = project or detected_project
    experiment = experiment or detected_experiment or project or "Default"

    run_tags = system_tags(project_dir)
    run_tags.update({key: str(value) for key, value in (tags or {}).items()})
    if run_name:
        run_tags["mlflow.runName"] = run_name
    for key, value in run_tags.items():
        tag_entry(key, value)

    experiment_id = client.get_or_create_experiment(experiment, project)
    run = Run(client, client.create_run(experiment_id, run_name, run_tags))
    register_run(run)
    _install_exit_hooks()
    if params:
        run.log_params(params)

    return run


def active_run():
    """Return the most recently started run that has not ended, or None."""
    runs = active_runs()
    return runs[-1] if runs else None


def log_param(key, value):
    """Log one param on the active run."""
    _require_run().log_param(key, value)


def log_params(params):
    """Log a dict of params on the active run."""
    _require_run().log_params(params)


def log_metric(key, value, step=None, timestamp=None):
    """Queue one metric point on the active run. ``timestamp`` is in ms since the epoch."""
    _require_run().log_metric(key, value, step, timestamp)


def log_metrics(metrics, step=None, timestamp=None):
    """Queue a dict of metric points on the active run at one ``step``."""
    _require_run().log_metrics(metrics, step, timestamp)


def set_tag(key, value):
    """Set one tag on the active run."""
    _require_run().set_tag(key, value)


def set_tags(tags):
    """Set a dict of tags on the active run."""
    _require_run().set_tags(tags)


def end_run(status="FINISHED"):
    """End the active run with ``status`` (FINISHED, FAILED or KILLED), if there is one."""
    run = active_run()
    if run is not None:
        run.end(status)


def tracking_uri(client=None):
    """Return the hub's HTTP URL for the stock mlflow client (``MLFLOW_TRACKING_URI``).

    mlflow must also send the hub token: set ``MLFLOW_TRACKING_TOKEN``, or call ``configure_mlflow()``.
    """
    return (client or get_client()).tracking_uri()


def configure_mlflow(client=None):
    """Set ``MLFLOW_TRACKING_URI`` and ``MLFLOW_TRACKING_TOKEN`` in ``os.environ`` for mlflow, and return the URI.

    While the hub's tracking target is the managed MLflow server (see ``Client.for_tracking_target``),
    the URI is that server's and ``MLFLOW_TRACKING_TOKEN`` is left as it is.
    """
    client = (client or get_client()).for_tracking_target()
    if client.tracking_transport is not client.transport:
        uri = client.tracking_transport.address.url
        os.environ["MLFLOW_TRACKING_URI"] = uri
        return uri

    uri = client.tracking_uri()
    os.environ["MLFLOW_TRACKING_URI"] = uri
    os.environ["MLFLOW_TRACKING_TOKEN"] = client.tracking_token()
    return uri


def _require_run():
    run = active_run()
    if run is None:
        raise RuntimeError("No active run: call mlops_hub.start_run() first")
    return run


def _install_exit_hooks():
    with _state_lock:
        if _state["hooks_installed"]:
            return
        _state["hooks_installed"] = True
    previous_hook = sys.excepthook

    def record_uncaught(exc_type, exc_value, traceback):
        _state["uncaught"] = exc_type
        previous_hook(exc_type, exc_value, traceback)

    sys.excepthook = record_uncaught
    atexit.register(_end_runs_at_exit)


def _end_runs_at_exit():
    # Runs left open end FINISHED, as in MLflow, unless an uncaught exception stopped the script.
    status = status_for_exception(_state["uncaught"])
    for run in reversed(active_runs()):
        try:
            run.end(status)
        except Exception as error:  # noqa: BLE001 (the other runs must still end)
            warnings.warn(f"mlops_hub: run {run.run_id}: ending at exit failed: {error}", RuntimeWarning)
