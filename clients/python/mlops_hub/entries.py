"""Checks and MLflow wire encoding for metric, param and tag entries."""

import math
import numbers
import re
import time

MAX_KEY_LENGTH = 250
MAX_PARAM_VALUE_LENGTH = 6000
MAX_TAG_VALUE_LENGTH = 8000
# MLflow's key rule: letters, digits, underscores, dashes, periods, spaces, colons and slashes.
_KEY_PATTERN = re.compile(r"^[/\w.\- :]*$")


def check_key(key, kind):
    """Raise ValueError unless ``key`` is a valid MLflow metric, param or tag key."""
    if not isinstance(key, str) or not key:
        raise ValueError(f"Expected the {kind} key to be a non-empty string, got {key!r}")
    if len(key) > MAX_KEY_LENGTH:
        raise ValueError(f"{kind} key {key[:40]!r}... is {len(key)} characters long; the maximum is {MAX_KEY_LENGTH}")
    if not _KEY_PATTERN.match(key) or ".." in key.split("/") or key.startswith("/") or "//" in key:
        raise ValueError(
            f"Invalid {kind} key {key!r}: use letters, digits, underscores, dashes, periods, spaces, colons and slashes"
        )


def encode_float(value):
    """Return ``value`` as a JSON number, or as MLflow's "NaN", "Infinity" and "-Infinity" strings."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return value


def metric_entry(key, value, step=None, timestamp_ms=None):
    """Build a log-batch metric: ``step`` defaults to 0 and ``timestamp_ms`` (ms since the epoch) to now."""
    check_key(key, "metric")
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"Expected metric {key!r} to be a number, got {value!r} ({type(value).__name__})")
    if step is not None and (isinstance(step, bool) or not isinstance(step, numbers.Integral)):
        raise TypeError(f"Expected the step of metric {key!r} to be an integer, got {step!r}")
    if timestamp_ms is not None and (isinstance(timestamp_ms, bool) or not isinstance(timestamp_ms, numbers.Integral)):
        raise TypeError(f"Expected the timestamp of metric {key!r} to be an integer in ms, got {timestamp_ms!r}")

    return {
        "key": key,
        "value": encode_float(float(value)),
        "timestamp": int(timestamp_ms) if timestamp_ms is not None else int(time.time() * 1000),
        "step": int(step) if step is not None else 0,
    }


def param_entry(key, value):
    """Build a log-batch param; the value is converted with ``str`` and may be at most 6000 characters."""
    check_key(key, "param")
    text = str(value)
    if len(text) > MAX_PARAM_VALUE_LENGTH:
        raise ValueError(f"param {key!r} value is {len(text)} characters long; the maximum is {MAX_PARAM_VALUE_LENGTH}")
    return {"key": key, "value": text}


def tag_entry(key, value):
    """Build a log-batch tag; the value is converted with ``str`` and may be at most 8000 characters."""
    check_key(key, "tag")
    text = str(value)
    if len(text) > MAX_TAG_VALUE_LENGTH:
        raise ValueError(f"tag {key!r} value is {len(text)} characters long; the maximum is {MAX_TAG_VALUE_LENGTH}")
    return {"key": key, "value": text}
