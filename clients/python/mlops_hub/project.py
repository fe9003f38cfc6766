"""Project detection: the ``mlops.yaml`` above the script, and the git commit of its folder."""

import os
import subprocess
import sys

CONFIG_FILE_NAME = "mlops.yaml"


def script_dir():
    """Return the folder of the running script (``sys.argv[0]``), or None in an interactive session."""
    main_file = getattr(sys.modules.get("__main__"), "__file__", None) or (sys.argv[0] if sys.argv else "")
    return os.path.dirname(os.path.abspath(main_file)) if main_file else None


def find_project_config(start_dirs=None):
    """Return the path of the nearest ``mlops.yaml`` in the given folders or their parents, or None.

    By default the search starts at the script's folder, then at the current directory.
    """
    if start_dirs is None:
        start_dirs = [script_dir(), os.getcwd()]

    for start in filter(None, start_dirs):
        folder = os.path.abspath(start)
        while True:
            candidate = os.path.join(folder, CONFIG_FILE_NAME)
            if os.path.isfile(candidate):
                return candidate
            parent = os.path.dirname(folder)
            if parent == folder:
                break
            folder = parent

    return None


def read_project_config(path):
    """Read the top-level ``name`` and ``tracking.experiment`` scalars of an ``mlops.yaml``.

    This is a small reader for plain ``key: value`` lines, not a YAML parser: the hub
    validates the whole file when the project is registered. Returns a dict with the keys found.
    """
    found = {}
    section = None
    with open(path, encoding="utf-8") as file:
        for line in file:
            content = line.split(" #", 1)[0].rstrip()
            if not content.strip() or content.lstrip().startswith("#") or ":" not in content:
                continue
            indented = content[0] in " \t"
            key, _, value = content.strip().partition(":")
            value = value.strip().strip("'\"")
            if not indented:
                section = key if not value else None
                if key == "name" and value:
                    found["name"] = value
            elif section == "tracking" and key == "experiment" and value:
                found["experiment"] = value

    return found


def detect_project(start_dirs=None):
    """Return ``(name, experiment, folder)`` from the nearest ``mlops.yaml``; missing parts are None."""
    path = find_project_config(start_dirs)
    if path is None:
        return None, None, None

    try:
        config = read_project_config(path)
    except (OSError, UnicodeDecodeError):
        config = {}
    folder = os.path.dirname(path)

    return config.get("name") or os.path.basename(folder), config.get("experiment"), folder


def git_commit(folder):
    """Return the HEAD commit hash of the git checkout containing ``folder``, or None."""
    if not folder:
        return None
    try:
        result = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=folder, capture_output=True, text=True, timeout=5, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    commit = result.stdout.strip()
    return commit if result.returncode == 0 and len(commit) >= 40 else None
