import socket
import unittest
import uuid
import warnings

from mlops_hub import HubUnavailableError
from mlops_hub.discovery import HubAddress
import mlops_hub

from support import HttpRelay, hub_port, make_client


class UnreachableHubTest(unittest.TestCase):
    def setUp(self):
        self.relay = HttpRelay(hub_port())
        self.relay.start()
        self.addCleanup(self.relay.stop)
        self.experiment = f"unreachable-{uuid.uuid4().hex[:8]}"
        self.direct = make_client()

    def test_points_buffered_then_delivered(self):
        client = make_client(self.relay.port, timeout_s=2)
        run = client.start_run(experiment=self.experiment)
        run.log_metric("loss", 1.0, step=0)
        self.assertTrue(run.flush(timeout_s=5))

        self.relay.stop()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            for step in range(1, 301):
                run.log_metric("loss", 1.0 / step, step=step)
            run.log_param("late_param", "kept")
            run.set_tag("late_tag", "kept")
            self.assertFalse(run.flush(timeout_s=1))
        self.assertGreaterEqual(run._sender.pending_count(), 300)
        outage_warnings = [w for w in caught if "unreachable" in str(w.message)]
        self.assertEqual(len(outage_warnings), 1)

        self.relay.start()
        run.end()
        points = self.direct.get_metric_history(run.run_id, "loss")
        self.assertEqual(sorted(point["step"] for point in points), list(range(301)))
        data = self.direct.get_run(run.run_id)["data"]
        self.assertIn({"key": "late_param", "value": "kept"}, data["params"])
        self.assertIn({"key": "late_tag", "value": "kept"}, data["tags"])
        self.assertEqual(self.direct.get_run(run.run_id)["info"]["status"], "FINISHED")

    def test_strict_client_raises(self):
        client = make_client(self.relay.port, timeout_s=2, strict=True)
        run = client.start_run(experiment=self.experiment)
        self.relay.stop()

        with self.assertRaises(HubUnavailableError):
            run.log_param("alpha", 1)
        run.log_metric("loss", 1.0)
        with warnings.catch_warnings(), self.assertRaises(HubUnavailableError):
            warnings.simplefilter("ignore")
            run.flush(timeout_s=0.5)

        self.relay.start()
        run.end()
        self.assertEqual(len(self.direct.get_metric_history(run.run_id, "loss")), 1)

    def test_start_run_raises_without_hub(self):
        self.relay.stop()
        client = make_client(self.relay.port, timeout_s=2)

        with self.assertRaises(HubUnavailableError):
            client.start_run(experiment=self.experiment)

    def test_silent_hub_times_out(self):
        silent = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        self.addCleanup(silent.close)
        address = HubAddress(host="127.0.0.1", port=silent.getsockname()[1], token="unused")
        client = mlops_hub.Client(address, timeout_s=0.3)

        with self.assertRaises(HubUnavailableError) as caught:
            client.get_experiment_by_name("Default")
        self.assertIn("timed out", str(caught.exception))

    def test_timeout_must_be_positive(self):
        with self.assertRaises(ValueError):
            make_client(timeout_s=0)


if __name__ == "__main__":
    unittest.main()
