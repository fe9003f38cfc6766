import os
import platform
import shutil
import subprocess
import tempfile
import unittest
import uuid

from mlops_hub.project import read_project_config
from mlops_hub.system import system_tags

from support import make_client, run_script


def run_tags(client, run_id):
    return {tag["key"]: tag["value"] for tag in client.get_run(run_id)["data"].get("tags", [])}


class PidTagTest(unittest.TestCase):
    def test_pid_tag_is_this_process(self):
        self.assertEqual(system_tags()["mlops_hub.pid"], str(os.getpid()))


class SystemTagsTest(unittest.TestCase):
    def setUp(self):
        self.client = make_client()
        self.folder = tempfile.mkdtemp(prefix="mlops-hub-test-")
        self.addCleanup(shutil.rmtree, self.folder, ignore_errors=True)

    def test_system_tags_at_start(self):
        with self.client.start_run(experiment=f"tags-{uuid.uuid4().hex[:8]}", run_name="tagged") as run:
            pass

        tags = run_tags(self.client, run.run_id)
        self.assertIn(platform.system(), tags["mlops_hub.system.os"])
        self.assertTrue(tags["mlops_hub.system.cpu"])
        self.assertGreater(int(tags["mlops_hub.system.memory_bytes"]), 0)
        self.assertEqual(tags["mlops_hub.system.python_version"], platform.python_version())
        self.assertTrue(tags["mlflow.user"])
        self.assertEqual(tags["mlflow.runName"], "tagged")
        self.assertEqual(tags["mlflow.source.type"], "LOCAL")

    def test_project_and_commit_from_script_folder(self):
        if shutil.which("git") is None:
            self.skipTest("git is not on PATH")
        with open(os.path.join(self.folder, "mlops.yaml"), "w", encoding="utf-8") as file:
            file.write("# test project\nname: tags-project  # slug\ndescription: x\ntracking:\n  experiment: 'tags-exp'\n")
        git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid"]
        for command in (["init", "-q"], ["add", "mlops.yaml"], ["commit", "-qm", "init"]):
            subprocess.run(git + command, cwd=self.folder, check=True, capture_output=True)
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=self.folder, check=True, capture_output=True,
                                text=True).stdout.strip()
        subfolder = os.path.join(self.folder, "src")
        os.mkdir(subfolder)

        code = "import mlops_hub\nwith mlops_hub.start_run() as run:\n    print(run.run_id)\n"
        result = run_script(code, cwd=subfolder)
        self.assertEqual(result.returncode, 0, result.stderr)

        run_id = result.stdout.strip()
        tags = run_tags(self.client, run_id)
        self.assertEqual(tags["mlflow.source.git.commit"], commit)
        self.assertEqual(tags["mlflow.source.name"], os.path.join(subfolder, "script_under_test.py"))
        experiment = self.client.get_experiment_by_name("tags-exp")
        self.assertEqual(self.client.get_run(run_id)["info"]["experiment_id"], experiment["experiment_id"])
        self.assertIn({"key": "mlops_hub.project", "value": "tags-project"}, experiment["tags"])

    def test_project_config_reader(self):
        path = os.path.join(self.folder, "mlops.yaml")
        with open(path, "w", encoding="utf-8") as file:
            file.write('name: "quoted-name" # comment\nresources:\n  name: nested\ntracking:\n  experiment: exp # c\n')

        self.assertEqual(read_project_config(path), {"name": "quoted-name", "experiment": "exp"})


if __name__ == "__main__":
    unittest.main()
