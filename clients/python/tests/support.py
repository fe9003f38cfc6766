"""Shared helpers for the SDK tests: the hub under test, a relay that can be stopped, script runs."""

import os
import http.client
import subprocess
import sys
import tempfile
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

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
    """Return a Client for the hub under test over TCP, through ``port`` when given (a relay)."""
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


class HttpRelay:
    """A loopback HTTP relay to the hub that can be stopped and restarted on the same port.

    It forwards each request with the hub's own Host header, because the hub rejects
    Host values that name another port.
    """

    def __init__(self, target_port):
        self.target_port = target_port
        self.port = 0
        self._server = None

    def start(self):
        target_port = self.target_port

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                self._forward(None)

            def do_POST(self):
                self._forward(self.rfile.read(int(self.headers.get("Content-Length") or 0)))

            def _forward(self, body):
                headers = {name: value for name, value in self.headers.items() if name.lower() in FORWARDED_HEADERS}
                upstream = http.client.HTTPConnection("127.0.0.1", target_port, timeout=30)
                try:
                    upstream.request(self.command, self.path, body=body, headers=headers)
                    response = upstream.getresponse()
                    data = response.read()
                finally:
                    upstream.close()
                self.send_response(response.status)
                self.send_header("Content-Type", response.getheader("Content-Type", "application/json"))
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        ThreadingHTTPServer.allow_reuse_address = True
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def stop(self):
        server, self._server = self._server, None
        if server is not None:
            server.shutdown()
            server.server_close()


FORWARDED_HEADERS = frozenset({"authorization", "content-type", "accept"})
