"""Find the hub: environment variables first, then the default Unix socket.

The default paths mirror the hub's own rules so that a script finds a hub
started with the same environment without any configuration.
"""

import hashlib
import ipaddress
import os
import sys
import urllib.parse

from .errors import HubConfigError

# macOS limits sun_path to 104 bytes including the NUL (Linux: 108).
MAX_SOCKET_PATH_BYTES = 103

TRACKING_MODES = ("auto", "embedded")


class HubAddress:
    """Address of one hub: a Unix socket path, or a loopback host and port with a bearer token."""

    def __init__(self, socket_path=None, host=None, port=None, token=None, data_dir=None):
        self.socket_path = socket_path
        self.host = host
        self.port = port
        self.token = token
        self.data_dir = data_dir

    @property
    def url(self):
        """The ``http://host:port`` base URL, or None for a Unix socket address."""
        if self.socket_path is not None:
            return None
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def __repr__(self):
        where = self.socket_path if self.socket_path is not None else self.url
        return f"HubAddress({where!r})"


def resolve_hub(env=None, platform=None):
    """Resolve the hub address from the environment, in this order.

    1. ``MLOPS_HUB_URL`` (``http://127.0.0.1:PORT``; loopback only) with the token
       from ``MLOPS_HUB_TOKEN``, a ``?token=`` query, or the ``token`` file in the data folder.
    2. ``MLOPS_HUB_SOCKET``: path of the hub's Unix socket.
    3. The default socket path under the data folder (``MLOPS_HUB_HOME``, else the platform default).

    Raises HubConfigError for a non-loopback or malformed URL, or a URL without any token.
    """
    env = os.environ if env is None else env
    platform = sys.platform if platform is None else platform
    data_dir = resolve_data_dir(env, platform)

    url = env.get("MLOPS_HUB_URL")
    if url:
        return _parse_hub_url(url, env.get("MLOPS_HUB_TOKEN"), data_dir)

    socket_path = env.get("MLOPS_HUB_SOCKET")
    if socket_path:
        return HubAddress(socket_path=socket_path, data_dir=data_dir)

    return HubAddress(socket_path=default_socket_path(data_dir, env), data_dir=data_dir)


def resolve_data_dir(env, platform):
    """Return the hub data folder: ``MLOPS_HUB_HOME``, else the platform's application-data folder."""
    override = env.get("MLOPS_HUB_HOME")
    if override:
        return _resolve_like_node(override)

    home = env.get("HOME") or os.path.expanduser("~")
    if platform == "darwin":
        return os.path.join(home, "Library", "Application Support", "MLOps Hub")

    xdg = env.get("XDG_DATA_HOME")
    base = xdg if xdg and os.path.isabs(xdg) else os.path.join(home, ".local", "share")
    return os.path.join(base, "mlops-hub")


def default_socket_path(data_dir, env):
    """Return the hub socket path. A path over 103 bytes moves to a short per-user temp folder."""
    socket_path = os.path.join(data_dir, "run", "hub.sock")
    if len(socket_path.encode("utf-8")) <= MAX_SOCKET_PATH_BYTES:
        return socket_path

    uid = os.getuid() if hasattr(os, "getuid") else 0
    digest = hashlib.sha256(data_dir.encode("utf-8")).hexdigest()[:12]
    return os.path.join(_node_tmpdir(env), f"mlops-hub-{uid}-{digest}", "hub.sock")


def read_token_file(data_dir):
    """Return the token stored in ``<data_dir>/token``, or None when the file does not exist."""
    try:
        with open(os.path.join(data_dir, "token"), encoding="utf-8") as file:
            return file.read().strip() or None
    except FileNotFoundError:
        return None


def _parse_hub_url(url, token, data_dir):
    host, port = _parse_loopback_url(url, "MLOPS_HUB_URL", "the hub listens on this machine only")

    query_token = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query).get("token", [None])[0]
    token = token or query_token or read_token_file(data_dir)
    if not token:
        raise HubConfigError(
            f"MLOPS_HUB_URL is set but no token was found: set MLOPS_HUB_TOKEN or create {os.path.join(data_dir, 'token')}"
        )

    return HubAddress(host=host, port=port, token=token, data_dir=data_dir)


def resolve_tracking_mode(env=None):
    """Return ``MLOPS_HUB_TRACKING``: ``auto`` (the default) or ``embedded``.

    ``auto`` sends a run's MLflow calls to the hub's tracking target, which is the managed
    MLflow server while the user chose it and it runs. ``embedded`` always sends them to the hub.
    Raises HubConfigError for any other value.
    """
    env = os.environ if env is None else env
    mode = (env.get("MLOPS_HUB_TRACKING") or "auto").strip().lower()
    if mode not in TRACKING_MODES:
        raise HubConfigError(f"MLOPS_HUB_TRACKING must be 'auto' or 'embedded', got {mode!r}")
    return mode


def managed_server_address(url, token=None):
    """Return the address of the managed MLflow server at ``url`` as ``hub:status`` reports it.

    ``token`` is sent as a bearer token when set (``MLFLOW_TRACKING_TOKEN``, as MLflow's client does).
    Raises HubConfigError for a non-loopback or malformed URL.
    """
    host, port = _parse_loopback_url(url, "the hub's tracking target", "the SDK sends runs only to this machine")
    return HubAddress(host=host, port=port, token=token or None)


def _parse_loopback_url(url, what, reason):
    parts = urllib.parse.urlsplit(url)
    if parts.scheme != "http" or not parts.hostname:
        raise HubConfigError(f"{what} must look like http://127.0.0.1:PORT, got {url!r}")

    host = "127.0.0.1" if parts.hostname == "localhost" else parts.hostname
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise HubConfigError(
            f"{what} must point at a loopback address (127.0.0.1, ::1 or localhost), got host {parts.hostname!r}; {reason}"
        )

    return host, parts.port or 80


def _resolve_like_node(path):
    # Node's path.resolve collapses a leading "//", which os.path.abspath keeps on POSIX.
    resolved = os.path.abspath(path)
    return "/" + resolved.lstrip("/") if resolved.startswith("//") else resolved


def _node_tmpdir(env):
    # Same order as Node's os.tmpdir() on POSIX, which the hub uses.
    path = env.get("TMPDIR") or env.get("TMP") or env.get("TEMP") or "/tmp"
    return path[:-1] if len(path) > 1 and path.endswith("/") else path
