"""The SDK sends a run's MLflow calls to the managed MLflow server when the hub reports it as the target.

A stub hub returns ``hub:status`` with the managed target set to the real hub under test, which
serves the MLflow REST API as the managed server would. Every other path on the stub is an error.
"""

import json
import os
import threading
import unittest
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from unittest import mock

import mlops_hub
from mlops_hub import HubConfigError, HubError
from mlops_hub.discovery import HubAddress, resolve_tracking_mode

from support import hub_env, make_client


class StubHub:
    """A loopback server that returns ``status`` for ``POST /api/hub/hub/status`` and 404 for any other path."""

    def __init__(self, status):
        self.status = status
        self.paths = []
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                self._reply()

            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                self._reply()

            def _reply(self):
                stub.paths.append(self.path.split("?")[0])
                found = self.path == "/api/hub/hub/status"
                body = stub.status if found else {"error_code": "ENDPOINT_NOT_FOUND", "message": f"stub has no {self.path}"}
                data = json.dumps(body).encode("utf-8")
                self.send_response(200 if found else 404)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def client(self, **options):
        return mlops_hub.Client(HubAddress(host="127.0.0.1", port=self.port, token="stub-token"), flush_interval_s=0.2, **options)

    def stop(self):
        self._server.shutdown()
        self._server.server_close()


def managed_status(url):
    return {"version": "stub", "activeRuns": 0, "trackingTarget": {"kind": "managed", "url": url}}


class TrackingTargetTest(unittest.TestCase):
    def setUp(self):
        self.stub = StubHub(managed_status(hub_env()["MLOPS_HUB_URL"]))
        self.addCleanup(self.stub.stop)
        self.experiment = f"managed-target-{uuid.uuid4().hex[:8]}"
        environment = mock.patch.dict(os.environ, {"MLFLOW_TRACKING_TOKEN": hub_env()["MLOPS_HUB_TOKEN"]})
        environment.start()
        self.addCleanup(environment.stop)

    def test_run_logs_to_managed_server(self):
        client = self.stub.client(tracking_mode="auto")

        with client.start_run(experiment=self.experiment, params={"lr": "0.1"}) as run:
            run.log_metric("loss", 0.5, step=1)

        stored = make_client().get_run(run.run_id)
        self.assertEqual(stored["info"]["status"], "FINISHED")
        self.assertEqual({param["key"]: param["value"] for param in stored["data"]["params"]}["lr"], "0.1")
        self.assertEqual([metric["value"] for metric in stored["data"]["metrics"] if metric["key"] == "loss"], [0.5])
        self.assertEqual(self.stub.paths, ["/api/hub/hub/status"])

    def test_configure_mlflow_uses_managed_server(self):
        with mock.patch.dict(os.environ, {"MLFLOW_TRACKING_URI": ""}):
            uri = mlops_hub.configure_mlflow(self.stub.client())

            self.assertEqual(uri, hub_env()["MLOPS_HUB_URL"])
            self.assertEqual(os.environ["MLFLOW_TRACKING_URI"], hub_env()["MLOPS_HUB_URL"])
            self.assertEqual(os.environ["MLFLOW_TRACKING_TOKEN"], hub_env()["MLOPS_HUB_TOKEN"])
        self.assertEqual(self.stub.paths, ["/api/hub/hub/status"])

    def test_embedded_mode_skips_status(self):
        with mock.patch.dict(os.environ, {"MLOPS_HUB_TRACKING": "embedded"}):
            client = self.stub.client()

        with self.assertRaises(HubError) as caught:
            client.start_run(experiment=self.experiment)

        self.assertEqual(caught.exception.error_code, "ENDPOINT_NOT_FOUND")
        self.assertNotIn("/api/hub/hub/status", self.stub.paths)
        self.assertTrue(all(path.startswith("/api/2.0/mlflow/") for path in self.stub.paths))

    def test_embedded_target_uses_hub(self):
        self.stub.status = {"version": "stub", "activeRuns": 0, "trackingTarget": {"kind": "embedded", "url": None}}
        client = self.stub.client()

        self.assertIs(client.for_tracking_target(), client)

    def test_non_loopback_target_rejected(self):
        self.stub.status = managed_status("http://192.0.2.10:5100")
        client = self.stub.client()

        with self.assertRaises(HubConfigError) as caught:
            client.for_tracking_target()

        self.assertIn("loopback", str(caught.exception))
        self.assertEqual(self.stub.paths, ["/api/hub/hub/status"])


class TrackingModeTest(unittest.TestCase):
    def test_default_is_auto(self):
        self.assertEqual(resolve_tracking_mode({}), "auto")
        self.assertEqual(resolve_tracking_mode({"MLOPS_HUB_TRACKING": " Embedded "}), "embedded")

    def test_unknown_mode_rejected(self):
        with self.assertRaises(HubConfigError) as caught:
            resolve_tracking_mode({"MLOPS_HUB_TRACKING": "remote"})

        self.assertIn("'auto' or 'embedded'", str(caught.exception))


if __name__ == "__main__":
    unittest.main()
