import os
import tempfile
import unittest
import uuid
import warnings

import mlops_hub
from mlops_hub import HubError
from mlops_hub.artifacts import PROXY_PREFIX

from support import hub_env, make_client


def unique(name):
    return f"{name}-{uuid.uuid4().hex[:8]}"


class ArtifactsTest(unittest.TestCase):
    def setUp(self):
        self.client = make_client()
        folder = tempfile.TemporaryDirectory(prefix="mlops-hub-test-")
        self.addCleanup(folder.cleanup)
        self.folder = folder.name

    def listing(self, client, run, path=""):
        query = {"run_id": run.run_id, "path": path}
        return client.transport.request("GET", "/api/2.0/mlflow/artifacts/list", query=query).get("files", [])

    def download(self, client, run, artifact_file):
        connection = client.transport._connect()
        headers = {"Authorization": f"Bearer {client.address.token}"} if client.address.token else {}
        run_path = run.artifact_uri[len("mlflow-artifacts:"):].strip("/")
        try:
            connection.request("GET", f"{PROXY_PREFIX}/{run_path}/{artifact_file}", headers=headers)
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    def write_file(self, relative, data):
        path = os.path.join(self.folder, relative)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as file:
            file.write(data)
        return path

    def test_log_artifact_file_over_tcp(self):
        payload = bytes(range(256)) * 4096
        local = self.write_file("weights.bin", payload)

        with self.client.start_run(experiment=unique("artifacts")) as run:
            self.assertTrue(run.log_artifact(local, artifact_path="model"))

        self.assertEqual(self.listing(self.client, run, "model"),
                         [{"path": "model/weights.bin", "is_dir": False, "file_size": len(payload)}])
        self.assertEqual(self.download(self.client, run, "model/weights.bin"), (200, payload))

    def test_log_artifact_folder(self):
        self.write_file("plots/loss.csv", b"step,loss\n")
        self.write_file("plots/deep/acc.csv", b"step,acc\n")

        with self.client.start_run(experiment=unique("artifacts")) as run:
            self.assertTrue(run.log_artifact(os.path.join(self.folder, "plots")))

        self.assertEqual(self.listing(self.client, run), [
            {"path": "deep", "is_dir": True},
            {"path": "loss.csv", "is_dir": False, "file_size": 10},
        ])
        self.assertEqual(self.download(self.client, run, "deep/acc.csv"), (200, b"step,acc\n"))

    def test_log_text_over_unix_socket(self):
        address = mlops_hub.resolve_hub(env={"MLOPS_HUB_HOME": hub_env()["MLOPS_HUB_HOME"]})
        self.assertIsNotNone(address.socket_path)
        client = mlops_hub.Client(address, flush_interval_s=0.2)

        with client.start_run(experiment=unique("artifacts")) as run:
            self.assertTrue(run.log_text("accuracy 0.97 ✓\n", "notes/summary.txt"))

        self.assertEqual(self.download(client, run, "notes/summary.txt"), (200, "accuracy 0.97 ✓\n".encode("utf-8")))

    def test_deleted_run_strict_raises(self):
        client = make_client(strict=True)
        run = client.start_run(experiment=unique("artifacts"))
        run.end()
        client.transport.request("POST", "/api/2.0/mlflow/runs/delete", {"run_id": run.run_id})

        with self.assertRaises(HubError) as caught:
            run.log_text("late", "late.txt")
        self.assertEqual(caught.exception.error_code, "INVALID_PARAMETER_VALUE")

    def test_deleted_run_warns_and_returns_false(self):
        run = self.client.start_run(experiment=unique("artifacts"))
        run.end()
        self.client.transport.request("POST", "/api/2.0/mlflow/runs/delete", {"run_id": run.run_id})

        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            self.assertFalse(run.log_text("late", "late.txt"))
        self.assertEqual(len(caught), 1)
        self.assertIn("active", str(caught[0].message))

    def test_rejects_bad_paths_before_sending(self):
        with self.client.start_run(experiment=unique("artifacts")) as run:
            with self.assertRaises(ValueError):
                run.log_text("x", "../escape.txt")
            with self.assertRaises(FileNotFoundError):
                run.log_artifact(os.path.join(self.folder, "missing.bin"))


if __name__ == "__main__":
    unittest.main()
