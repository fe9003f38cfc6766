"""Background delivery of metrics, and of params and tags deferred while the hub was unreachable."""

import collections
import itertools
import logging
import threading
import time
import warnings

from .errors import HubUnavailableError

# How many rejected keys a warning names before it only counts the rest.
MAX_KEYS_IN_WARNING = 10

logger = logging.getLogger("mlops_hub")

# MLflow's log-batch limits: at most 1000 metrics, 100 params, 100 tags and 1000 entries per request.
MAX_BATCH_ENTRIES = 1000
MAX_BATCH_PARAMS = 100
MAX_BATCH_TAGS = 100


class BatchSender:
    """Queues entries for one run and sends them in order with ``send_batch(batch_dict)``.

    A daemon thread sends every ``flush_interval_s`` seconds, or sooner once a full batch is
    waiting. Transient failures keep the entries queued and retry with exponential backoff
    (0.5 s doubling to 15 s), warning once per outage. When the hub rejects a batch of several
    entries with 400, the halves are resent until the rejected entries are isolated, so one bad
    entry does not cost the valid ones. Rejected entries are dropped with one warning per batch.
    With ``strict=True`` the first failure is raised by the next ``add`` or ``flush``.
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

    def pending_count(self, kinds=None):
        """Return the number of entries not yet accepted by the hub, counting only ``kinds`` when given."""
        with self._lock:
            if kinds is None:
                return len(self._queue)
            return sum(1 for kind, _ in self._queue if kind in kinds)

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
            items = self._take_items()
            if not items:
                return False
            progress = _Progress()
            try:
                self._deliver(items, progress)
            finally:
                # Entries already accepted or rejected leave the queue even when an outage interrupts
                # the batch, so that they are not sent twice.
                with self._lock:
                    for _ in range(progress.done):
                        self._queue.popleft()
                self._report_rejected(progress)

        if self._outage:
            logger.info("mlops_hub: %s: hub reachable again, delivering buffered entries", self._label)
        self._outage, self._backoff_s = False, 0.0
        return True

    def _deliver(self, items, progress):
        """Send ``items``. After a 400 for several entries, send each half on its own to isolate the rejected ones."""
        try:
            self._send_batch(as_batch(items))
        except HubUnavailableError:
            raise
        except Exception as error:  # noqa: BLE001 (includes HubError for a 4xx reply)
            if getattr(error, "status", None) == 400 and len(items) > 1:
                middle = len(items) // 2
                self._deliver(items[:middle], progress)
                self._deliver(items[middle:], progress)
                return
            # A rejected entry would be rejected again, so it is reported and dropped.
            progress.rejected.extend(items)
            progress.error = progress.error or error
        progress.done += len(items)

    def _report_rejected(self, progress):
        if not progress.rejected:
            return
        self._error = self._error or progress.error
        names = [f"{kind} {entry['key']!r}" for kind, entry in progress.rejected[:MAX_KEYS_IN_WARNING]]
        more = len(progress.rejected) - len(names)
        if more > 0:
            names.append(f"{more} more")
        warnings.warn(f"mlops_hub: {self._label}: the hub rejected {len(progress.rejected)} entries "
                      f"({', '.join(names)}): {progress.error}", RuntimeWarning)

    def _take_items(self):
        """Return the oldest queued ``(kind, entry)`` pairs that fit in one log-batch request."""
        items = []
        counts = {"param": 0, "tag": 0}
        param_keys = set()
        with self._lock:
            for kind, entry in itertools.islice(self._queue, MAX_BATCH_ENTRIES):
                if kind == "param" and (counts["param"] >= MAX_BATCH_PARAMS or entry["key"] in param_keys):
                    break
                if kind == "tag" and counts["tag"] >= MAX_BATCH_TAGS:
                    break
                if kind == "param":
                    param_keys.add(entry["key"])
                if kind in counts:
                    counts[kind] += 1
                items.append((kind, entry))

        return items

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


class _Progress:
    """Outcome of one batch so far: entries accepted or rejected, the rejected ones, and the first error."""

    def __init__(self):
        self.done = 0
        self.rejected = []
        self.error = None


def as_batch(items):
    """Return the log-batch fields for ``(kind, entry)`` pairs, leaving out empty lists."""
    batch = {"metrics": [], "params": [], "tags": []}
    for kind, entry in items:
        batch[f"{kind}s"].append(entry)
    return {name: entries for name, entries in batch.items() if entries}
