"""Python client for MLOps Hub: log runs, params and metrics to the hub on this machine.

Standard library only. The hub speaks MLflow's tracking REST API, so the stock
``mlflow`` client works too (see ``tracking_uri`` and ``configure_mlflow``).
"""

from .client import Client
from .discovery import HubAddress, resolve_hub
from .errors import HubConfigError, HubError, HubUnavailableError
from .fluent import (
    active_run,
    configure_mlflow,
    end_run,
    get_client,
    log_metric,
    log_metrics,
    log_param,
    log_params,
    set_tag,
    set_tags,
    start_run,
    tracking_uri,
)
from .run import Run

__version__ = "0.1.0"

__all__ = [
    "Client",
    "HubAddress",
    "HubConfigError",
    "HubError",
    "HubUnavailableError",
    "Run",
    "active_run",
    "configure_mlflow",
    "end_run",
    "get_client",
    "log_metric",
    "log_metrics",
    "log_param",
    "log_params",
    "resolve_hub",
    "set_tag",
    "set_tags",
    "start_run",
    "tracking_uri",
]
