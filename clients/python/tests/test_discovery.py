import json
import os
import shutil
import subprocess
import tempfile
import unittest

from mlops_hub import Client, HubConfigError, HubError, HubUnavailableError
from mlops_hub.discovery import default_socket_path, resolve_data_dir, resolve_hub

from support import REPO_ROOT, hub_env

NODE_PATHS_SCRIPT = """
import { resolveDataDir, resolveHubPaths } from './src/main/core/paths.ts';
const cases = JSON.parse(process.env.PATH_CASES);
const results = cases.map(({ env, platform }) => {
  // os.homedir() and os.tmpdir() read the real environment, so replace its keys one by one.
  for (const key of Object.keys(process.env)) delete process.env[key];
  Object.assign(process.env, env);
  return resolveHubPaths(resolveDataDir(env, platform)).socketPath;
});
console.log(JSON.stringify(results));
"""


class DiscoveryTest(unittest.TestCase):
    def setUp(self):
        self.home = tempfile.mkdtemp(prefix="mlops-hub-test-")
        self.addCleanup(shutil.rmtree, self.home, ignore_errors=True)

    def test_url_with_token_variable(self):
        address = resolve_hub({"MLOPS_HUB_URL": "http://127.0.0.1:5180", "MLOPS_HUB_TOKEN": "abc", "MLOPS_HUB_HOME": self.home})

        self.assertEqual(address.url, "http://127.0.0.1:5180")
        self.assertEqual(address.token, "abc")
        self.assertIsNone(address.socket_path)

    def test_url_with_token_query(self):
        address = resolve_hub({"MLOPS_HUB_URL": "http://localhost:5180/?token=xyz", "MLOPS_HUB_HOME": self.home})

        self.assertEqual(address.url, "http://127.0.0.1:5180")
        self.assertEqual(address.token, "xyz")

    def test_url_with_token_file(self):
        with open(os.path.join(self.home, "token"), "w", encoding="utf-8") as file:
            file.write("from-file\n")

        address = resolve_hub({"MLOPS_HUB_URL": "http://[::1]:5180", "MLOPS_HUB_HOME": self.home})

        self.assertEqual(address.token, "from-file")
        self.assertEqual(address.url, "http://[::1]:5180")

    def test_url_without_token_rejected(self):
        with self.assertRaises(HubConfigError) as caught:
            resolve_hub({"MLOPS_HUB_URL": "http://127.0.0.1:5180", "MLOPS_HUB_HOME": self.home})

        self.assertIn("MLOPS_HUB_TOKEN", str(caught.exception))

    def test_non_loopback_url_rejected(self):
        for url in ("http://192.168.1.20:5180", "http://example.com:5180", "http://0.0.0.0:5180", "https://127.0.0.1:5180",
                    "127.0.0.1:5180"):
            with self.subTest(url=url):
                with self.assertRaises(HubConfigError):
                    resolve_hub({"MLOPS_HUB_URL": url, "MLOPS_HUB_TOKEN": "abc", "MLOPS_HUB_HOME": self.home})

    def test_precedence_url_socket_default(self):
        both = {"MLOPS_HUB_URL": "http://127.0.0.1:1", "MLOPS_HUB_TOKEN": "t", "MLOPS_HUB_SOCKET": "/tmp/x.sock"}
        self.assertEqual(resolve_hub(both).port, 1)
        self.assertEqual(resolve_hub({"MLOPS_HUB_SOCKET": "/tmp/x.sock"}).socket_path, "/tmp/x.sock")
        self.assertEqual(resolve_hub({"MLOPS_HUB_HOME": self.home}).socket_path, os.path.join(self.home, "run", "hub.sock"))

    def test_platform_data_folders(self):
        linux = resolve_data_dir({"HOME": "/home/ada"}, "linux")
        xdg = resolve_data_dir({"HOME": "/home/ada", "XDG_DATA_HOME": "/data"}, "linux")
        relative_xdg = resolve_data_dir({"HOME": "/home/ada", "XDG_DATA_HOME": "data"}, "linux")
        mac = resolve_data_dir({"HOME": "/Users/ada", "XDG_DATA_HOME": "/data"}, "darwin")

        self.assertEqual(linux, "/home/ada/.local/share/mlops-hub")
        self.assertEqual(xdg, "/data/mlops-hub")
        self.assertEqual(relative_xdg, "/home/ada/.local/share/mlops-hub")
        self.assertEqual(mac, "/Users/ada/Library/Application Support/MLOps Hub")

    def test_long_data_folder_uses_temp_socket(self):
        data_dir = "/" + "d" * 120
        socket_path = default_socket_path(data_dir, {"TMPDIR": "/var/tmp/"})

        self.assertTrue(socket_path.startswith(f"/var/tmp/mlops-hub-{os.getuid()}-"), socket_path)
        self.assertLessEqual(len(socket_path.encode()), 103)

    def test_socket_paths_match_hub(self):
        if shutil.which("node") is None:
            self.skipTest("node is not on PATH")
        cases = [
            {"env": {"HOME": "/home/ada"}, "platform": "linux"},
            {"env": {"HOME": "/home/ada", "XDG_DATA_HOME": "/xdg"}, "platform": "linux"},
            {"env": {"HOME": "/home/ada", "XDG_DATA_HOME": "relative"}, "platform": "linux"},
            {"env": {"HOME": "/Users/ada"}, "platform": "darwin"},
            {"env": {"MLOPS_HUB_HOME": "relative/home//x/"}, "platform": "linux"},
            {"env": {"MLOPS_HUB_HOME": "/tmp/" + "long-folder-" * 9, "TMPDIR": "/var/tmp/"}, "platform": "darwin"},
            {"env": {"HOME": "/Users/" + "é" * 40}, "platform": "darwin"},
        ]
        env = {"PATH": os.environ["PATH"], "PATH_CASES": json.dumps(cases)}
        result = subprocess.run(["node", "--import", "tsx", "--input-type=module", "-e", NODE_PATHS_SCRIPT], cwd=REPO_ROOT,
                                env=env, capture_output=True, text=True, timeout=60, check=False)
        self.assertEqual(result.returncode, 0, result.stderr)

        expected = json.loads(result.stdout)
        for case, node_path in zip(cases, expected):
            with self.subTest(case=case):
                previous = os.getcwd()
                os.chdir(REPO_ROOT)
                try:
                    self.assertEqual(resolve_hub(case["env"], case["platform"]).socket_path, node_path)
                finally:
                    os.chdir(previous)

    def test_wrong_token_rejected(self):
        address = resolve_hub({"MLOPS_HUB_URL": hub_env()["MLOPS_HUB_URL"], "MLOPS_HUB_TOKEN": "wrong-token"})

        with self.assertRaises(HubError) as caught:
            Client(address, timeout_s=5).get_experiment_by_name("Default")
        self.assertEqual(caught.exception.status, 401)
        self.assertNotIsInstance(caught.exception, HubUnavailableError)

    def test_token_file_of_running_hub(self):
        env = hub_env()
        address = resolve_hub({"MLOPS_HUB_URL": env["MLOPS_HUB_URL"], "MLOPS_HUB_HOME": env["MLOPS_HUB_HOME"]})

        self.assertEqual(address.token, env["MLOPS_HUB_TOKEN"])
        self.assertEqual(Client(address, timeout_s=5).get_experiment_by_name("Default")["name"], "Default")

    def test_socket_variable_reaches_hub(self):
        socket_path = Client(resolve_hub({"MLOPS_HUB_HOME": hub_env()["MLOPS_HUB_HOME"]})).hub_status()["socketPath"]
        address = resolve_hub({"MLOPS_HUB_SOCKET": socket_path, "MLOPS_HUB_HOME": self.home})

        self.assertEqual(address.socket_path, socket_path)
        self.assertEqual(Client(address, timeout_s=5).get_experiment_by_name("Default")["experiment_id"], "0")

    def test_default_socket_reaches_hub(self):
        client = Client(resolve_hub({"MLOPS_HUB_HOME": hub_env()["MLOPS_HUB_HOME"]}), timeout_s=5)

        self.assertIsNotNone(client.address.socket_path)
        self.assertEqual(client.get_experiment_by_name("Default")["experiment_id"], "0")


if __name__ == "__main__":
    unittest.main()
