"""Resource leases: ask the hub for memory, GPU, Neural Engine or CPU before heavy work.

    with client.lease(memory_gb=12, gpu=True, timeout=600) as lease:
        for step in range(steps):
            if lease.should_pause():
                save_checkpoint()
                with lease.paused():
                    lease.wait_for_resume()
            train_step()

Leases are cooperative: the hub requests that a holder pause (at heavy thermal pressure, or to let
a higher-priority job use the GPU) and the holder reports that it paused. Memory is in GB of
2**30 bytes. ``memory_limit_bytes`` is the value to pass to ``mlx.core.set_memory_limit``.
"""

import math
import numbers
import os
import re
import sys
import threading
import time
from contextlib import contextmanager

from .errors import HubError, HubUnavailableError
from .project import find_project_config, read_project_config

LEASES_PATH = "/api/hub/leases"
ENDED_STATES = ("released", "expired", "revoked")

# Argument of ``Lease`` for each resource field of the lease API, so that hub messages name what the caller passed.
_ARGUMENT_NAMES = {"memoryGb": "memory_gb", "gpuShare": "gpu", "neuralEngine": "neural_engine", "cpuCores": "cpu_cores"}
_RESOURCE_FIELD = re.compile(r"\b(?:resources\.)?(memoryGb|gpuShare|neuralEngine|cpuCores)\b")


class LeaseTimeoutError(HubError):
    """The lease stayed queued past its ``timeout``; the request was withdrawn."""

    def __init__(self, message):
        super().__init__(message, "TEMPORARILY_UNAVAILABLE", 503)


class Lease:
    """A lease request; use it as a context manager, which blocks while queued and releases on exit.

    ``memory_gb`` (GB), ``gpu`` (True for the whole GPU, or a share from 0 to 1), ``neural_engine``
    and ``cpu_cores`` are the amounts. ``priority`` is ``"high"``, ``"normal"`` or ``"low"`` (default:
    the project's). ``project`` defaults to ``MLOPS_HUB_PROJECT``, else ``name`` in the nearest ``mlops.yaml`` above
    the script or the current folder, else ``default``. ``timeout`` is the longest wait in the queue, in seconds (None waits without limit).
    ``preemptible=False`` makes the hub never request that this lease pause for priority or heavy thermal
    pressure. ``ttl_s`` is the heartbeat time-to-live in seconds. ``expected_duration_s`` is the expected
    run time in seconds, which the queue estimates of other requests use. Progress lines go to ``out``
    (default stderr).
    """

    def __init__(self, client, memory_gb=0, gpu=False, neural_engine=False, cpu_cores=0, priority=None,
                 project=None, timeout=None, preemptible=True, ttl_s=30, label="", expected_duration_s=None, out=None):
        self.client = client
        project, self.project_config = _resolve_project(project)
        self.request_body = _build_request(memory_gb, gpu, neural_engine, cpu_cores, priority, project,
                                           timeout, preemptible, ttl_s, label, expected_duration_s)
        self.timeout = timeout
        # Each long-poll must end well inside the transport's read timeout, and renew the lease three times per TTL.
        self.poll_s = max(0.5, min(10.0, ttl_s / 3, client.transport.timeout_s * 0.6))
        self.out = out if out is not None else sys.stderr
        self.view = None
        self._lock = threading.Lock()
        self._pause_callbacks = []
        self._resumed = threading.Event()
        self._stop = threading.Event()
        self._thread = None

    @property
    def lease_id(self):
        return self.view["leaseId"] if self.view else None

    @property
    def state(self):
        """``queued``, ``granted``, ``paused``, ``released``, ``expired`` or ``revoked``; None before the request."""
        return self.view["state"] if self.view else None

    @property
    def memory_limit_bytes(self):
        """Memory grant in bytes, the value for ``mlx.core.set_memory_limit`` (``mlx.core.metal.set_memory_limit`` before MLX deprecated it)."""
        return self.view["memoryLimitBytes"] if self.view else 0

    def __enter__(self):
        self.acquire()
        return self

    def __exit__(self, exc_type, exc, traceback):
        self.release()
        return False

    def acquire(self):
        """Request the lease and block until it is granted; raise LeaseTimeoutError after ``timeout`` seconds."""
        self.view = self._request()
        deadline = None if self.timeout is None else time.monotonic() + self.timeout
        printed = None
        while self.view["state"] == "queued":
            printed = self._print_queue(printed)
            if deadline is not None and time.monotonic() >= deadline:
                self._call("release", {"leaseId": self.lease_id, "pid": os.getpid()})
                raise LeaseTimeoutError(f"lease {self.lease_id} still queued after {self.timeout} s: {printed}")
            remaining_s = self.poll_s if deadline is None else max(0.0, min(self.poll_s, deadline - time.monotonic()))
            self._wait(remaining_s)
        if self.view["state"] == "expired" and "maximum" in (self.view.get("endReason") or ""):
            raise LeaseTimeoutError(f"lease {self.lease_id} still queued after {self.timeout} s: {printed}")
        if self.view["state"] != "granted":
            raise HubError(f"lease {self.lease_id} {self.view['state']} before it was granted: {self.view.get('endReason')}",
                           "INVALID_STATE", 400)
        if printed is not None:
            self.out.write(f"mlops_hub: lease {self.lease_id} granted\n")
        self._resumed.set()
        self._thread = threading.Thread(target=self._follow, name=f"mlops-hub-lease-{self.lease_id[:8]}", daemon=True)
        self._thread.start()
        return self

    def release(self):
        """Release the lease; safe to call twice and never raises, so that it can run in ``finally``."""
        self._stop.set()
        if self.view is None or self.view["state"] in ENDED_STATES:
            return
        try:
            self.view = self._call("release", {"leaseId": self.lease_id, "pid": os.getpid()})
        except HubError as error:
            self.out.write(f"mlops_hub: releasing lease {self.lease_id} failed: {error}; the hub frees it when this process exits\n")
        if self._thread is not None:
            self._thread.join(timeout=self.poll_s + 5)

    def should_pause(self):
        """Return True while the hub requests that this lease pause."""
        with self._lock:
            return bool(self.view and self.view.get("pauseRequested"))

    def pause_reason(self):
        """Return the hub's reason for the pause request, or None."""
        with self._lock:
            return self.view.get("pauseReason") if self.view else None

    def on_pause(self, callback):
        """Call ``callback(reason)`` from the heartbeat thread each time the hub requests that this lease pause."""
        self._pause_callbacks.append(callback)
        return callback

    @contextmanager
    def paused(self):
        """Report to the hub that work is paused for the body of the ``with``, and resumed after it.

        A failed report is written to ``out`` and never raises, so a training loop keeps going.
        """
        self._report_paused(True)
        try:
            yield self
        finally:
            self._report_paused(False)

    def _report_paused(self, paused):
        try:
            view = self._call("reportPaused", {"leaseId": self.lease_id, "paused": paused, "pid": os.getpid()})
        except HubError as error:
            self.out.write(f"mlops_hub: reporting lease {self.lease_id} {'paused' if paused else 'resumed'} failed: {error}\n")
            return
        with self._lock:
            self.view = view

    def wait_for_resume(self, timeout=None):
        """Block until the hub withdraws its pause request; return False if ``timeout`` seconds pass first."""
        return self._resumed.wait(timeout)

    def _follow(self):
        """Heartbeat thread: long-polls the lease, which renews it, and follows pause requests."""
        warned = False
        while not self._stop.is_set():
            try:
                self._wait(self.poll_s)
                warned = False
            except HubUnavailableError as error:
                if not warned:
                    self.out.write(f"mlops_hub: lease heartbeat failed: {error}; retrying\n")
                warned = True
                self._stop.wait(min(5.0, self.poll_s))
            except HubError as error:
                self.out.write(f"mlops_hub: lease {self.lease_id} heartbeat rejected: {error}\n")
                return
            if self.view["state"] in ENDED_STATES:
                if not self._stop.is_set():
                    self.out.write(f"mlops_hub: lease {self.lease_id} {self.view['state']}: {self.view.get('endReason')}\n")
                self._resumed.set()
                return

    def _wait(self, timeout_s):
        before = self.view
        view = self._call("wait", {"leaseId": self.lease_id, "afterVersion": before["version"],
                                   "timeoutMs": int(timeout_s * 1000)})
        with self._lock:
            self.view = view
        if view.get("pauseRequested") and not before.get("pauseRequested"):
            self._resumed.clear()
            for callback in list(self._pause_callbacks):
                # A failing callback must not stop the heartbeats, or the hub would expire the lease.
                try:
                    callback(view.get("pauseReason"))
                except Exception as error:  # noqa: BLE001 - any error from user code
                    self.out.write(f"mlops_hub: on_pause callback {callback!r} failed: {error!r}\n")
        elif not view.get("pauseRequested"):
            self._resumed.set()

    def _print_queue(self, printed):
        queue = self.view.get("queue") or {}
        estimate = queue.get("estimateMs")
        line = (f"queued at position {queue.get('position', '?')}: {queue.get('message', 'waiting')}"
                + ("" if estimate is None else f" (estimate {int(estimate / 1000)} s)"))
        if line != printed:
            self.out.write(f"mlops_hub: lease {line}\n")
            self.out.flush()
        return line

    def _request(self):
        """Send ``leases:request``; a rejection names this class's arguments (``memory_gb``) in place of API fields."""
        try:
            return self._call("request", self.request_body)
        except HubUnavailableError:
            raise
        except HubError as error:
            if self.project_config is not None and error.error_code == "RESOURCE_DOES_NOT_EXIST":
                return self._request_as_default()
            message = _RESOURCE_FIELD.sub(lambda match: _ARGUMENT_NAMES[match.group(1)], error.hub_message)
            raise HubError(message, error.error_code, error.status) from error

    def _request_as_default(self):
        """Request the lease for the ``default`` project after the hub rejected the unregistered mlops.yaml project."""
        folder = os.path.dirname(self.project_config)
        self.out.write(f"mlops_hub: project {self.request_body['project']} of {self.project_config} is not registered, so the "
                       f"lease uses project default; register it with `mlops-hub projects add {folder}`\n")
        self.request_body = {**self.request_body, "project": "default"}
        self.project_config = None
        return self._request()

    def _call(self, verb, body):
        return self.client.transport.request("POST", f"{LEASES_PATH}/{verb}", body)


def _resolve_project(project):
    """Return ``(project, config_path)``: the argument, else ``MLOPS_HUB_PROJECT``, else ``name`` in the nearest
    ``mlops.yaml`` (found as runs find it, with its path), else ``default``."""
    explicit = project or os.environ.get("MLOPS_HUB_PROJECT")
    if explicit:
        return explicit, None
    config_path = find_project_config()
    if config_path is None:
        return "default", None
    try:
        name = read_project_config(config_path).get("name")
    except (OSError, UnicodeDecodeError):
        name = None
    return (name, config_path) if name else ("default", None)


def _check_number(name, value, minimum=0.0, maximum=math.inf, optional=False):
    """Raise ValueError naming the argument unless ``value`` is a finite number from ``minimum`` to ``maximum``."""
    if optional and value is None:
        return
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value) \
            or not minimum <= value <= maximum:
        bounds = f"from {minimum:g} to {maximum:g}" if math.isfinite(maximum) else f"of at least {minimum:g}"
        raise ValueError(f"lease(): `{name}` must be a finite number {bounds}; got {value!r}")


def _build_request(memory_gb, gpu, neural_engine, cpu_cores, priority, project, timeout, preemptible, ttl_s, label,
                   expected_duration_s):
    _check_number("memory_gb", memory_gb)
    if gpu is not True and gpu is not False:
        _check_number("gpu", gpu, maximum=1.0, optional=True)
    _check_number("cpu_cores", cpu_cores)
    _check_number("timeout", timeout, optional=True)
    _check_number("ttl_s", ttl_s, minimum=1.0, maximum=3600.0)
    _check_number("expected_duration_s", expected_duration_s, optional=True)
    gpu_share = 1.0 if gpu is True else float(gpu or 0)
    body = {
        "project": project,
        "pid": os.getpid(),
        "resources": {"memoryGb": memory_gb, "gpuShare": gpu_share, "neuralEngine": bool(neural_engine),
                      "cpuCores": cpu_cores},
        "preemptible": bool(preemptible),
        "ttlMs": int(ttl_s * 1000),
        "label": label or " ".join(sys.argv)[:200],
    }
    if priority is not None:
        body["priority"] = priority
    if timeout is not None:
        body["maxWaitMs"] = int(timeout * 1000)
    if expected_duration_s is not None:
        body["expectedDurationMs"] = int(expected_duration_s * 1000)
    return body
