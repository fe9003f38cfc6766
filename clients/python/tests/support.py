"""Shared helpers for the SDK tests: the hub under test, a pausable TCP proxy, script runs."""

import os
import socket
import subprocess
import sys
import tempfile
import threading
import urllib.parse

import mlops_hub
from mlops_hub.discovery import HubAddress

CLIENT_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPO_ROOT = os.path.dirname(os.path.dirname(CLIENT_ROOT))


def hub_env():
    """Return the environment that points at the hub under test (set by scripts/testPython.mjs)."""
    missing = [name for name in ("MLOPS_HUB_URL", "MLOPS_HUB_TOKEN", "MLOPS_HUB_HOME") if not os.environ.get(name)]
    if missing:
        raise RuntimeError(f"{', '.join(missing)} not set: run the SDK tests with `node scripts/testPython.mjs`")
    return {name: os.environ[name] for name in ("MLOPS_HUB_URL", "MLOPS_HUB_TOKEN", "MLOPS_HUB_HOME")}


def hub_port():
    """Return the TCP port of the hub under test."""
    return urllib.parse.urlsplit(hub_env()["MLOPS_HUB_URL"]).port


def make_client(port=None, **options):
    """Return a Client for the hub under test over TCP, through ``port`` when given (a proxy)."""
    address = HubAddress(host="127.0.0.1", port=port or hub_port(), token=hub_env()["MLOPS_HUB_TOKEN"])
    options.setdefault("flush_interval_s", 0.2)
    return mlops_hub.Client(address, **options)


def script_env(extra=None):
    """Return an environment for a child Python that imports this checkout's SDK and finds the hub."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("MLOPS_HUB_")}
    env.update(hub_env())
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [CLIENT_ROOT, os.environ.get("PYTHONPATH")]))
    env.update(extra or {})
    return env


def run_script(code, cwd=None, python=sys.executable, timeout_s=120, extra_env=None):
    """Run ``code`` in a child interpreter; return the CompletedProcess with text output."""
    with tempfile.TemporaryDirectory(prefix="mlops-hub-test-") as folder:
        script = os.path.join(cwd or folder, "script_under_test.py")
        with open(script, "w", encoding="utf-8") as file:
            file.write(code)
        try:
            return subprocess.run([python, script], cwd=cwd or folder, env=script_env(extra_env), capture_output=True,
                                  text=True, timeout=timeout_s, check=False)
        finally:
            os.remove(script)


class TcpProxy:
    """A loopback TCP proxy to the hub that can be stopped and restarted on the same port."""

    def __init__(self, target_port):
        self.target_port = target_port
        self.port = 0
        self._listener = None
        self._connections = []
        self._lock = threading.Lock()

    def start(self):
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        listener.settimeout(0.05)
        self.port = listener.getsockname()[1]
        self._listener = listener
        threading.Thread(target=self._accept_loop, args=(listener,), daemon=True).start()

    def stop(self):
        listener, self._listener = self._listener, None
        if listener is not None:
            listener.close()
        with self._lock:
            connections, self._connections = self._connections, []
        for connection in connections:
            connection.close()

    def _accept_loop(self, listener):
        while self._listener is listener:
            try:
                downstream, _ = listener.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.target_port))
            with self._lock:
                self._connections += [downstream, upstream]
            threading.Thread(target=_pipe, args=(downstream, upstream), daemon=True).start()
            threading.Thread(target=_pipe, args=(upstream, downstream), daemon=True).start()


def _pipe(source, target):
    try:
        while True:
            data = source.recv(65536)
            if not data:
                break
            target.sendall(data)
    except OSError:
        pass
    finally:
        for sock in (source, target):
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
