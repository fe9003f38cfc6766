"""A run: the logging verbs, and ending it with the right status."""

import threading
import time
import warnings

from . import artifacts
from .batcher import MAX_BATCH_PARAMS, BatchSender
from .entries import metric_entry, param_entry, tag_entry
from .errors import HubError, HubUnavailableError

# Runs started in this process and not yet ended, oldest first.
_active_runs = []
_state_lock = threading.Lock()


class Run:
    """One RUNNING run. As a context manager it ends FINISHED, FAILED on an exception, or KILLED
    on KeyboardInterrupt, re-raising the exception. Runs left open end when the interpreter exits.
    """

    def __init__(self, client, info):
        self.client = client
        self.run_id = info["run_id"]
        self.experiment_id = info["experiment_id"]
        self.run_name = info.get("run_name")
        self.artifact_uri = info.get("artifact_uri") or f"{artifacts.PROXY_SCHEME}/{self.experiment_id}/{self.run_id}/artifacts"
        self.status = "RUNNING"
        self._sender = BatchSender(
            lambda batch: client.log_batch(self.run_id, **batch),
            flush_interval_s=client.flush_interval_s, strict=client.strict, label=f"run {self.run_id}",
        )

    def log_param(self, key, value):
        """Log one param. Raises HubError INVALID_PARAMETER_VALUE when ``key`` was logged with another value."""
        self.log_params({key: value})

    def log_params(self, params):
        """Log params from a dict. Values are converted with ``str`` and cannot change once logged."""
        self._send_now("param", [param_entry(key, value) for key, value in params.items()])

    def set_tag(self, key, value):
        """Set one run tag. Tags, unlike params, may be overwritten."""
        self.set_tags({key: value})

    def set_tags(self, tags):
        """Set run tags from a dict; values are converted with ``str``."""
        self._send_now("tag", [tag_entry(key, value) for key, value in tags.items()])

    def log_metric(self, key, value, step=None, timestamp=None):
        """Queue one metric point: ``step`` defaults to 0, ``timestamp`` is in ms since the epoch (default now)."""
        self._sender.add("metric", [metric_entry(key, value, step, timestamp)])

    def log_metrics(self, metrics, step=None, timestamp=None):
        """Queue one point per key of ``metrics`` at the same ``step`` and ``timestamp`` (ms)."""
        self._sender.add("metric", [metric_entry(key, value, step, timestamp) for key, value in metrics.items()])

    def log_artifact(self, local_path, artifact_path=None):
        """Upload a file, or every file below a folder, into ``artifact_path`` of the run's artifacts.

        Files stream from disk. Returns True when all arrived; on failure this issues a
        RuntimeWarning and returns False, or raises HubError if the client is strict.
        """
        delivered = True
        for source, artifact_file in artifacts.plan_uploads(local_path, artifact_path):
            delivered &= self._upload(artifact_file, local_path=source)
        return delivered

    def log_text(self, text, artifact_file):
        """Store ``text`` as the UTF-8 file ``artifact_file`` (such as ``notes/summary.txt``). Returns True when stored."""
        return self._upload(artifact_file, data=text.encode("utf-8"))

    def flush(self, timeout_s=30.0):
        """Send all queued entries now, waiting up to ``timeout_s`` seconds. Return True when none is left."""
        return self._sender.flush(timeout_s)

    def end(self, status="FINISHED", timeout_s=30.0):
        """Flush, then end the run with ``status`` (FINISHED, FAILED or KILLED). A second call does nothing.

        Waits up to ``timeout_s`` seconds for an unreachable hub. When the hub stays unreachable or
        rejects the update, this issues a RuntimeWarning, or raises HubError if the client is strict.
        """
        with _state_lock:
            if self.status != "RUNNING":
                return
            self.status = status
            if self in _active_runs:
                _active_runs.remove(self)

        deadline = time.monotonic() + timeout_s
        if not self._sender.close(timeout_s):
            warnings.warn(f"mlops_hub: run {self.run_id}: {self._sender.pending_count()} entries were not delivered",
                          RuntimeWarning)
        self._update_status(status, deadline)

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        self.end(status_for_exception(exc_type, exc_value))
        return False

    def _send_now(self, kind, entries):
        # Params and tags go out in their own request, so that a rejection raises here and no
        # queued metric shares its fate. Deferred params and tags (queued during an outage) go
        # first, so that an earlier value is not overtaken.
        for start in range(0, len(entries), MAX_BATCH_PARAMS):
            chunk = entries[start:start + MAX_BATCH_PARAMS]
            if self._sender.pending_count(kinds=("param", "tag")) and not self.client.strict:
                self._sender.add(kind, chunk)
                continue
            try:
                self.client.log_batch(self.run_id, **{f"{kind}s": chunk})
            except HubUnavailableError:
                if self.client.strict:
                    raise
                self._sender.add(kind, chunk)

    def _upload(self, artifact_file, local_path=None, data=None):
        transport = getattr(self.client, "tracking_transport", self.client.transport)
        return artifacts.deliver(lambda: artifacts.upload(transport, self.artifact_uri, artifact_file, local_path, data),
                                 f"artifact {artifact_file!r} of run {self.run_id}", self.client.strict)

    def _update_status(self, status, deadline):
        delay_s = 0.5
        while True:
            try:
                self.client.update_run(self.run_id, status)
                return
            except HubError as error:
                transient = isinstance(error, HubUnavailableError)
                if transient and time.monotonic() + delay_s <= deadline:
                    time.sleep(delay_s)
                    delay_s = min(delay_s * 2, 5.0)
                    continue
                if self.client.strict:
                    raise
                warnings.warn(f"mlops_hub: run {self.run_id}: setting status {status} failed: {error}", RuntimeWarning)
                return


def status_for_exception(exc_type, exc_value=None):
    """Return the run status for leaving a run by ``exc_type``: KILLED for KeyboardInterrupt, FAILED for
    other exceptions, FINISHED for none or for ``sys.exit()`` with code 0 or None.
    """
    if exc_type is None:
        return "FINISHED"
    if issubclass(exc_type, SystemExit):
        return "FINISHED" if getattr(exc_value, "code", None) in (None, 0) else "FAILED"
    return "KILLED" if issubclass(exc_type, KeyboardInterrupt) else "FAILED"


def register_run(run):
    """Add ``run`` to the runs that end at interpreter exit."""
    with _state_lock:
        _active_runs.append(run)


def active_runs():
    """Return the runs started in this process that have not ended, oldest first."""
    with _state_lock:
        return list(_active_runs)
