"""JSON over HTTP to the hub, on a Unix socket or a loopback TCP port."""

import http.client
import json
import socket
import urllib.parse

from .errors import HubError, HubUnavailableError

# Statuses that MLflow's own client retries: the request may succeed later.
TRANSIENT_STATUSES = frozenset({408, 429, 500, 502, 503, 504})


class UnixHTTPConnection(http.client.HTTPConnection):
    """An HTTPConnection that connects to a Unix domain socket instead of a TCP port."""

    def __init__(self, socket_path, timeout):
        super().__init__("localhost", timeout=timeout)
        self.socket_path = socket_path

    def connect(self):
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(self.timeout)
        try:
            sock.connect(self.socket_path)
        except OSError:
            sock.close()
            raise
        self.sock = sock


class Transport:
    """Sends one JSON request per connection to the hub at ``address`` (a HubAddress).

    ``timeout_s`` bounds the connect and each socket read, in seconds.
    """

    def __init__(self, address, timeout_s=10.0):
        if not isinstance(timeout_s, (int, float)) or timeout_s <= 0:
            raise ValueError(f"Expected `timeout_s` to be a positive number of seconds, got {timeout_s!r}")
        self.address = address
        self.timeout_s = float(timeout_s)

    def request(self, method, path, body=None, query=None):
        """Send ``body`` (a dict, as JSON) to ``path`` and return the decoded JSON object.

        Raises HubUnavailableError when the hub is unreachable, times out or returns
        a transient status, and HubError for any other error status.
        """
        if query:
            path = f"{path}?{urllib.parse.urlencode(query, doseq=True)}"
        payload = None if body is None else json.dumps(body, allow_nan=False).encode("utf-8")
        headers = {"Accept": "application/json"}
        if payload is not None:
            headers["Content-Type"] = "application/json"
        if self.address.token:
            headers["Authorization"] = f"Bearer {self.address.token}"

        connection = self._connect()
        try:
            connection.request(method, path, body=payload, headers=headers)
            response = connection.getresponse()
            status, text = response.status, response.read()
        except (OSError, http.client.HTTPException) as error:
            where = self.address.socket_path or self.address.url
            raise HubUnavailableError(f"{method} {path} to {where} failed: {error}; is the hub running?",
                                      cause=error) from error
        finally:
            connection.close()

        return _decode_response(method, path, status, text)

    def _connect(self):
        if self.address.socket_path is not None:
            return UnixHTTPConnection(self.address.socket_path, self.timeout_s)
        return http.client.HTTPConnection(self.address.host, self.address.port, timeout=self.timeout_s)


def _decode_response(method, path, status, text):
    try:
        data = json.loads(text.decode("utf-8")) if text else {}
    except (UnicodeDecodeError, ValueError):
        data = None

    if 200 <= status < 300:
        if not isinstance(data, dict):
            raise HubError(f"{method} {path} returned a body that is not a JSON object", "INTERNAL_ERROR", status)
        return data

    error_code = data.get("error_code") if isinstance(data, dict) else None
    message = data.get("message") if isinstance(data, dict) else None
    message = message or text.decode("utf-8", "replace")[:200] or f"HTTP {status}"
    if status in TRANSIENT_STATUSES:
        raise HubUnavailableError(f"{method} {path}: {message}", status=status)
    raise HubError(f"{method} {path}: {message}", error_code or "BAD_REQUEST", status)
