"""The hub client: MLflow REST calls over the hub's local API."""

import copy
import os
import time

from .discovery import managed_server_address, read_token_file, resolve_hub, resolve_tracking_mode
from .errors import HubConfigError, HubError, HubUnavailableError
from .transport import Transport

API_PREFIX = "/api/2.0/mlflow"
PROJECT_TAG = "mlops_hub.project"


class Client:
    """A connection to one hub.

    ``address`` is a HubAddress (default: ``resolve_hub()`` from the environment).
    ``timeout_s`` bounds each request, in seconds. ``flush_interval_s`` is how often runs send
    buffered metrics, in seconds. With ``strict=True`` an unreachable hub raises instead of
    being retried in the background. ``tracking_mode`` is ``auto`` or ``embedded``
    (default: ``MLOPS_HUB_TRACKING``, else ``auto``; see ``resolve_tracking_mode``).
    """

    def __init__(self, address=None, timeout_s=10.0, strict=False, flush_interval_s=1.0, tracking_mode=None):
        self.address = address if address is not None else resolve_hub()
        self.transport = Transport(self.address, timeout_s)
        # MLflow REST calls go here: the hub, or the managed MLflow server (see for_tracking_target).
        self.tracking_transport = self.transport
        self.tracking_mode = tracking_mode or resolve_tracking_mode()
        self.strict = strict
        self.flush_interval_s = flush_interval_s

    def start_run(self, experiment=None, run_name=None, params=None, tags=None, project=None):
        """Start a run and return it; see ``mlops_hub.start_run`` for the arguments."""
        from .fluent import start_run

        return start_run(experiment, run_name, params, tags, project, client=self)

    def for_tracking_target(self):
        """Return a client whose MLflow calls go to the hub's tracking target, read from ``hub:status`` now.

        In ``auto`` mode, when the hub reports the managed MLflow server, the returned copy sends
        MLflow calls to that server (loopback only, bearer token from ``MLFLOW_TRACKING_TOKEN``).
        Hub methods such as leases still go to the hub. Otherwise, and when the hub is unreachable,
        this client is returned unchanged. Raises HubConfigError for a non-loopback target URL.
        """
        if self.tracking_mode == "embedded":
            return self
        try:
            target = self.hub_status().get("trackingTarget") or {}
        except HubUnavailableError:
            return self
        if target.get("kind") != "managed" or not target.get("url"):
            return self

        address = managed_server_address(target["url"], os.environ.get("MLFLOW_TRACKING_TOKEN"))
        view = copy.copy(self)
        view.tracking_transport = Transport(address, self.transport.timeout_s)
        return view

    def get_experiment_by_name(self, name):
        """Return the experiment dict named ``name``, or None when none exists."""
        try:
            return self._get("experiments/get-by-name", {"experiment_name": name})["experiment"]
        except HubError as error:
            if error.error_code == "RESOURCE_DOES_NOT_EXIST":
                return None
            raise

    def get_or_create_experiment(self, name, project=None):
        """Return the id of the active experiment ``name``, creating it in ``project`` (a slug) when missing."""
        experiment = self.get_experiment_by_name(name)
        if experiment is None:
            tags = [{"key": PROJECT_TAG, "value": project}] if project else []
            try:
                return self._post("experiments/create", {"name": name, "tags": tags})["experiment_id"]
            except HubError as error:
                # Another script created it between the lookup and the create.
                if error.error_code != "RESOURCE_ALREADY_EXISTS":
                    raise
                experiment = self.get_experiment_by_name(name)

        if experiment["lifecycle_stage"] != "active":
            raise HubError(f"experiment {name!r} is deleted; restore it in the hub or choose another name",
                           "INVALID_PARAMETER_VALUE", 400)
        return experiment["experiment_id"]

    def create_run(self, experiment_id, run_name=None, tags=None, start_time_ms=None):
        """Create a RUNNING run and return its ``info`` dict (run_id, experiment_id, status, ...)."""
        body = {
            "experiment_id": str(experiment_id),
            "start_time": start_time_ms if start_time_ms is not None else now_ms(),
            "tags": [{"key": key, "value": value} for key, value in (tags or {}).items()],
        }
        if run_name:
            body["run_name"] = run_name
        if tags and "mlflow.user" in tags:
            body["user_id"] = tags["mlflow.user"]

        return self._post("runs/create", body)["run"]["info"]

    def update_run(self, run_id, status, end_time_ms=None):
        """Set the run's status (RUNNING, FINISHED, FAILED or KILLED) and end time in ms since the epoch."""
        body = {"run_id": run_id, "status": status}
        if status != "RUNNING":
            body["end_time"] = end_time_ms if end_time_ms is not None else now_ms()
        return self._post("runs/update", body)["run_info"]

    def log_batch(self, run_id, metrics=(), params=(), tags=()):
        """Send one log-batch request: at most 1000 metrics, 100 params and 100 tags."""
        body = {"run_id": run_id, "metrics": list(metrics), "params": list(params), "tags": list(tags)}
        self._post("runs/log-batch", body)

    def get_run(self, run_id):
        """Return the run dict ``{info, data}``; raises HubError RESOURCE_DOES_NOT_EXIST for an unknown id."""
        return self._get("runs/get", {"run_id": run_id})["run"]

    def get_metric_history(self, run_id, key):
        """Return every point of one metric as dicts with key, value, timestamp (ms) and step."""
        points, query = [], {"run_id": run_id, "metric_key": key, "max_results": 25000}
        while True:
            page = self._get("metrics/get-history", query)
            points.extend(page.get("metrics", []))
            if not page.get("next_page_token"):
                return points
            query["page_token"] = page["next_page_token"]

    def lease(self, memory_gb=0, gpu=False, neural_engine=False, cpu_cores=0, **options):
        """Return a resource Lease to use with ``with``; see ``mlops_hub.lease.Lease`` for the arguments."""
        from .lease import Lease

        return Lease(self, memory_gb, gpu, neural_engine, cpu_cores, **options)

    def hub_status(self):
        """Return the hub's ``hub:status`` reply (version, dataDir, dashboardUrl, socketPath, activeRuns)."""
        return self.transport.request("POST", "/api/hub/hub/status", {})

    def tracking_uri(self):
        """Return the hub's HTTP base URL for ``MLFLOW_TRACKING_URI``, such as ``http://127.0.0.1:5180``.

        The stock mlflow client also needs ``MLFLOW_TRACKING_TOKEN`` set to the hub token
        (see ``tracking_token`` and ``configure_mlflow``). Raises HubConfigError when the
        hub has no TCP listener.
        """
        if self.address.url is not None:
            return self.address.url
        dashboard_url = self.hub_status().get("dashboardUrl")
        if not dashboard_url:
            raise HubConfigError("the hub serves no HTTP port; start it with `mlops-hub serve` or the desktop app")
        return dashboard_url.rstrip("/")

    def tracking_token(self):
        """Return the bearer token for the hub's TCP port, from the address or the data folder's token file."""
        if self.address.token:
            return self.address.token
        data_dir = self.hub_status().get("dataDir") or self.address.data_dir
        token = read_token_file(data_dir)
        if token is None:
            raise HubConfigError(f"no hub token in {os.path.join(data_dir, 'token')}; is the hub running?")
        return token

    def _get(self, path, query):
        return self.tracking_transport.request("GET", f"{API_PREFIX}/{path}", query=query)

    def _post(self, path, body):
        return self.tracking_transport.request("POST", f"{API_PREFIX}/{path}", body)


def now_ms():
    """Return the current time in milliseconds since the Unix epoch."""
    return int(time.time() * 1000)
