"""System information recorded as run tags when a run starts."""

import getpass
import os
import platform
import subprocess
import sys

from .project import git_commit, script_dir

# Tag keys under the hub's namespace; MLflow has no standard keys for these.
TAG_OS = "mlops_hub.system.os"
TAG_CPU = "mlops_hub.system.cpu"
TAG_MEMORY_BYTES = "mlops_hub.system.memory_bytes"
TAG_PYTHON_VERSION = "mlops_hub.system.python_version"
# The hub stops logging system metrics to a RUNNING run once this process is gone.
TAG_PID = "mlops_hub.pid"


def system_tags(project_dir=None):
    """Return the run tags that describe this machine, interpreter, user and source.

    Keys: the ``mlops_hub.system.*`` constants above (memory in bytes), ``mlops_hub.pid``
    (this script's process id), and MLflow's
    ``mlflow.user``, ``mlflow.source.name``, ``mlflow.source.type`` and, inside a git
    checkout, ``mlflow.source.git.commit``. Values that cannot be read are left out.
    """
    tags = {
        TAG_OS: f"{platform.system()} {platform.release()} ({platform.machine()})",
        TAG_CPU: cpu_name(),
        TAG_MEMORY_BYTES: memory_bytes(),
        TAG_PYTHON_VERSION: platform.python_version(),
        TAG_PID: os.getpid(),
        "mlflow.user": _user_name(),
        "mlflow.source.type": "LOCAL",
    }

    source = os.path.abspath(sys.argv[0]) if sys.argv and sys.argv[0] else None
    if source and os.path.isfile(source):
        tags["mlflow.source.name"] = source
    tags["mlflow.source.git.commit"] = git_commit(project_dir or script_dir() or os.getcwd())

    return {key: str(value) for key, value in tags.items() if value not in (None, "")}


def cpu_name():
    """Return the CPU or chip name (for example ``Apple M2 Pro``), or None when it cannot be read."""
    if sys.platform == "darwin":
        return _run_text(["sysctl", "-n", "machdep.cpu.brand_string"])

    try:
        with open("/proc/cpuinfo", encoding="utf-8") as file:
            for line in file:
                key, _, value = line.partition(":")
                if key.strip() in ("model name", "Model", "Hardware") and value.strip():
                    return value.strip()
    except OSError:
        pass

    return platform.processor() or None


def memory_bytes():
    """Return the physical memory size in bytes, or None when it cannot be read."""
    if sys.platform == "darwin":
        text = _run_text(["sysctl", "-n", "hw.memsize"])
        return int(text) if text and text.isdigit() else None

    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, OSError, ValueError):
        return None


def _user_name():
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return None


def _run_text(command):
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=5, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout.strip() or None if result.returncode == 0 else None
