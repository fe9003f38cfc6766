"""Background delivery of metrics, and of params and tags deferred while the hub was unreachable."""

import collections
import itertools
import logging
import threading
import time
import warnings

from .errors import HubUnavailableError

logger = logging.getLogger("mlops_hub")

# MLflow's log-batch limits: at most 1000 metrics, 100 params, 100 tags and 1000 entries per request.
MAX_BATCH_ENTRIES = 1000
MAX_BATCH_PARAMS = 100
MAX_BATCH_TAGS = 100


class BatchSender:
    """Queues entries for one run and sends them in order with ``send_batch(batch_dict)``.

    A daemon thread sends every ``flush_interval_s`` seconds, or sooner once a full batch is
    waiting. Transient failures keep the entries queued and retry with exponential backoff
    (0.5 s doubling to 15 s), warning once per outage. A rejected batch (4xx) is dropped with a
    warning. With ``strict=True`` the first failure is raised by the next ``add`` or ``flush``.
    At most ``max_entries`` stay queued; beyond that the oldest are dropped with a warning.
    """

    def __init__(self, send_batch, flush_interval_s=1.0, strict=False, max_entries=1_000_000, label="run"):
        self._send_batch = send_batch
        self._flush_interval_s = flush_interval_s
        self._strict = strict
        self._max_entries = max_entries
        self._label = label
        self._queue = collections.deque()
        self._lock = threading.Lock()
        self._send_lock = threading.Lock()
        self._wake = threading.Event()
        self._closed = False
        self._error = None
        self._outage = False
        self._backoff_s = 0.0
        self._thread = threading.Thread(target=self._run_loop, name=f"mlops-hub-sender-{label}", daemon=True)
        self._thread.start()

    def add(self, kind, entries):
        """Queue ``entries`` (dicts with key, value and for metrics timestamp and step) of kind metric, param or tag."""
        self.raise_pending_error()

        with self._lock:
            self._queue.extend((kind, entry) for entry in entries)
            overflow = len(self._queue) - self._max_entries
            for _ in range(max(overflow, 0)):
                self._queue.popleft()
            full = len(self._queue) >= MAX_BATCH_ENTRIES

        if overflow > 0:
            warnings.warn(f"mlops_hub: {self._label}: buffer full, dropped the {overflow} oldest entries", RuntimeWarning)
        if full:
            self._wake.set()

    def pending_count(self):
        """Return the number of entries not yet accepted by the hub."""
        with self._lock:
            return len(self._queue)

    def flush(self, timeout_s=30.0):
        """Send everything queued, retrying until ``timeout_s`` seconds pass. Return True when the queue is empty."""
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                if not self._send_next():
                    break
            except HubUnavailableError as error:
                self._note_outage(error)
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                time.sleep(min(self._backoff_s, remaining))

        self.raise_pending_error()
        return self.pending_count() == 0

    def close(self, timeout_s=30.0):
        """Flush, then stop the background thread. Return True when nothing is left unsent."""
        try:
            return self.flush(timeout_s)
        finally:
            self._closed = True
            self._wake.set()

    def raise_pending_error(self):
        """In strict mode, raise (once) the first delivery failure seen since the last call."""
        if self._strict and self._error is not None:
            error, self._error = self._error, None
            raise error

    def _run_loop(self):
        while not self._closed:
            self._wake.wait(self._backoff_s or self._flush_interval_s)
            self._wake.clear()
            try:
                while not self._closed and self._send_next():
                    pass
            except HubUnavailableError as error:
                self._note_outage(error)
            except Exception:  # noqa: BLE001 (the sender thread must survive any bug to keep delivering)
                logger.exception("mlops_hub: %s: unexpected error in the sender thread", self._label)

    def _send_next(self):
        """Send the oldest batch, or return False when the queue is empty. Raises HubUnavailableError."""
        with self._send_lock:
            batch, count = self._take_batch()
            if count == 0:
                return False
            try:
                self._send_batch(batch)
            except HubUnavailableError:
                raise
            except Exception as error:  # noqa: BLE001 (includes HubError for a 4xx reply)
                # A rejected batch would be rejected again, so it is reported and dropped.
                self._error = self._error or error
                warnings.warn(f"mlops_hub: {self._label}: the hub rejected {count} entries: {error}", RuntimeWarning)
            with self._lock:
                for _ in range(count):
                    self._queue.popleft()

        if self._outage:
            logger.info("mlops_hub: %s: hub reachable again, delivering buffered entries", self._label)
        self._outage, self._backoff_s = False, 0.0
        return True

    def _take_batch(self):
        batch = {"metrics": [], "params": [], "tags": []}
        param_keys = set()
        count = 0
        with self._lock:
            for kind, entry in itertools.islice(self._queue, MAX_BATCH_ENTRIES):
                if kind == "param" and (len(batch["params"]) >= MAX_BATCH_PARAMS or entry["key"] in param_keys):
                    break
                if kind == "tag" and len(batch["tags"]) >= MAX_BATCH_TAGS:
                    break
                if kind == "param":
                    param_keys.add(entry["key"])
                batch[f"{kind}s"].append(entry)
                count += 1

        return {name: items for name, items in batch.items() if items}, count

    def _note_outage(self, error):
        if self._strict and self._error is None:
            self._error = error
        if not self._outage:
            warnings.warn(
                f"mlops_hub: {self._label}: hub unreachable ({error}); keeping {self.pending_count()} entries and retrying",
                RuntimeWarning,
            )
        self._outage = True
        self._backoff_s = min(max(self._backoff_s * 2, 0.5), 15.0)
