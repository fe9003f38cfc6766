import json
import os
import unittest
import urllib.request
from unittest import mock

import mlops_hub
from mlops_hub import Client
from mlops_hub.discovery import resolve_hub

from support import hub_env, make_client


class TrackingUriTest(unittest.TestCase):
    def test_tcp_client_returns_its_url(self):
        client = make_client()

        self.assertEqual(client.tracking_uri(), hub_env()["MLOPS_HUB_URL"])
        self.assertEqual(client.tracking_token(), hub_env()["MLOPS_HUB_TOKEN"])

    def test_socket_client_asks_hub(self):
        client = Client(resolve_hub({"MLOPS_HUB_HOME": hub_env()["MLOPS_HUB_HOME"]}))

        self.assertEqual(client.tracking_uri(), hub_env()["MLOPS_HUB_URL"])
        self.assertEqual(client.tracking_token(), hub_env()["MLOPS_HUB_TOKEN"])

    def test_configure_mlflow_sets_environment(self):
        with mock.patch.dict(os.environ, {}, clear=False):
            uri = mlops_hub.configure_mlflow(make_client())

            self.assertEqual(os.environ["MLFLOW_TRACKING_URI"], uri)
            token = os.environ["MLFLOW_TRACKING_TOKEN"]
            request = urllib.request.Request(f"{uri}/api/2.0/mlflow/experiments/get?experiment_id=0",
                                             headers={"Authorization": f"Bearer {token}"})
            with urllib.request.urlopen(request, timeout=10) as response:
                body = json.load(response)

        self.assertEqual(body["experiment"]["name"], "Default")


if __name__ == "__main__":
    unittest.main()
