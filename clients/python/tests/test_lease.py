"""Resource leases against the real hub: grant, queue, pause for priority, timeout and bad input."""

import io
import os
import subprocess
import sys
import tempfile
import threading
import unittest

from mlops_hub import HubError
from mlops_hub.lease import LeaseTimeoutError

from support import make_client, run_script, script_env

CHILD_SCRIPT = """
import os, mlops_hub
from mlops_hub.discovery import HubAddress
address = HubAddress(host="127.0.0.1", port=int(os.environ["MLOPS_HUB_URL"].rsplit(":", 1)[1]), token=os.environ["MLOPS_HUB_TOKEN"])
with mlops_hub.Client(address).lease(memory_gb=1, timeout=60, label="queued child") as lease:
    print("GRANTED", lease.state, lease.memory_limit_bytes, flush=True)
"""


def capacity_gb(client):
    return client.transport.request("POST", "/api/hub/leases/list", {})["capacity"]["memoryGb"]


class LeaseTest(unittest.TestCase):
    def setUp(self):
        self.client = make_client()
        self.out = io.StringIO()

    def test_lease_grants_and_releases(self):
        with self.client.lease(memory_gb=1, cpu_cores=1, out=self.out) as lease:
            self.assertEqual(lease.state, "granted")
            self.assertEqual(lease.memory_limit_bytes, 2 ** 30)
            self.assertFalse(lease.should_pause())
        self.assertEqual(lease.state, "released")

    def test_lease_rejects_negative_memory(self):
        with self.assertRaises(ValueError) as caught:
            self.client.lease(memory_gb=-1, out=self.out).acquire()
        self.assertIn("`memory_gb` must be a finite number of at least 0; got -1", str(caught.exception))

    def test_lease_rejects_nan_memory(self):
        with self.assertRaises(ValueError) as caught:
            self.client.lease(memory_gb=float("nan"), out=self.out)
        self.assertIn("`memory_gb` must be a finite number of at least 0; got nan", str(caught.exception))

    def test_lease_rejects_gpu_share_above_one(self):
        with self.assertRaises(ValueError) as caught:
            self.client.lease(gpu=1.5, out=self.out)
        self.assertIn("`gpu` must be a finite number from 0 to 1; got 1.5", str(caught.exception))

    def test_lease_names_cpu_cores_when_too_many(self):
        cores = int(self.client.transport.request("POST", "/api/hub/leases/list", {})["capacity"]["cpuCores"]) + 1
        with self.assertRaises(HubError) as caught:
            self.client.lease(cpu_cores=cores, out=self.out).acquire()
        self.assertIn(f"requests {cores} CPU cores", str(caught.exception))
        self.assertIn("set `cpu_cores` to at most", str(caught.exception))
        self.assertNotIn("cpuCores", str(caught.exception))
        self.assertNotIn("memory", str(caught.exception))

    def test_lease_rejects_more_than_machine(self):
        with self.assertRaises(HubError) as caught:
            self.client.lease(memory_gb=capacity_gb(self.client) + 1, out=self.out).acquire()
        self.assertIn("can never fit", str(caught.exception))

    def test_lease_uses_project_of_mlops_yaml(self):
        with tempfile.TemporaryDirectory(prefix="mlops-hub-test-") as folder:
            with open(os.path.join(folder, "mlops.yaml"), "w", encoding="utf-8") as file:
                file.write("name: leasing-project\n")
            os.mkdir(os.path.join(folder, "scripts"))
            self.client.transport.request("POST", "/api/hub/projects/add", {"path": folder})
            self.addCleanup(self.client.transport.request, "POST", "/api/hub/projects/remove", {"name": "leasing-project"})

            code = "import mlops_hub\nwith mlops_hub.Client().lease(cpu_cores=1) as lease:\n    print(lease.view['project'])\n"
            result = run_script(code, cwd=os.path.join(folder, "scripts"))

        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout.strip(), "leasing-project")

    def test_lease_falls_back_to_default_for_unregistered_project(self):
        with tempfile.TemporaryDirectory(prefix="mlops-hub-test-") as folder:
            with open(os.path.join(folder, "mlops.yaml"), "w", encoding="utf-8") as file:
                file.write("name: unregistered-project\n")

            code = "import mlops_hub\nwith mlops_hub.Client().lease(cpu_cores=1) as lease:\n    print(lease.view['project'])\n"
            result = run_script(code, cwd=folder)

        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout.strip(), "default")
        self.assertIn("project unregistered-project of", result.stderr)
        self.assertIn("is not registered, so the lease uses project default", result.stderr)

    def test_lease_blocks_while_queued(self):
        with self.client.lease(memory_gb=capacity_gb(self.client), out=self.out) as holder:
            child = subprocess.Popen([sys.executable, "-c", CHILD_SCRIPT], env=script_env(), stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True)
            self.addCleanup(child.kill)
            first_line = child.stderr.readline()
            self.assertIn("queued at position 1", first_line)
            self.assertIn(holder.lease_id, first_line)
        stdout, stderr = child.communicate(timeout=60)
        self.assertEqual(child.returncode, 0, stderr)
        self.assertEqual(stdout.split(), ["GRANTED", "granted", str(2 ** 30)])
        self.assertIn("granted", stderr)

    def test_lease_times_out_in_queue(self):
        with self.client.lease(memory_gb=capacity_gb(self.client), out=self.out):
            waiting = self.client.lease(memory_gb=1, timeout=1, out=self.out)
            with self.assertRaises(LeaseTimeoutError):
                waiting.acquire()
        self.assertIn("queued at position 1", self.out.getvalue())

    def test_lease_pauses_for_higher_priority(self):
        pause_reasons = []
        low = self.client.lease(gpu=True, priority="low", out=self.out)
        low.on_pause(pause_reasons.append)
        with low:
            high = self.client.lease(gpu=True, priority="high", out=self.out)
            acquired = threading.Thread(target=high.acquire)
            acquired.start()
            self.addCleanup(high.release)
            self.assertTrue(_wait_until(low.should_pause))
            with low.paused():
                acquired.join(timeout=30)
                self.assertEqual(high.state, "granted")
                high.release()
                self.assertTrue(low.wait_for_resume(timeout=30))
            self.assertFalse(low.should_pause())
        self.assertEqual(len(pause_reasons), 1)
        self.assertIn("higher-priority", pause_reasons[0])


def _wait_until(condition, timeout_s=30.0):
    done = threading.Event()
    deadline = threading.Timer(timeout_s, done.set)
    deadline.start()
    try:
        while not done.is_set():
            if condition():
                return True
            done.wait(0.05)
        return False
    finally:
        deadline.cancel()


if __name__ == "__main__":
    unittest.main()
