import time
import unittest
import uuid
import warnings

from mlops_hub import HubError
from mlops_hub.batcher import BatchSender
from mlops_hub.entries import metric_entry, param_entry

from support import make_client


def unique(name):
    return f"{name}-{uuid.uuid4().hex[:8]}"


def runtime_warnings(caught):
    return [str(warning.message) for warning in caught if issubclass(warning.category, RuntimeWarning)]


class RejectionTest(unittest.TestCase):
    def setUp(self):
        self.client = make_client(flush_interval_s=60)
        self.experiment = unique("rejections")

    def metric_keys(self, run):
        return {metric["key"] for metric in self.client.get_run(run.run_id)["data"].get("metrics", [])}

    def test_changed_param_raises_and_keeps_metric(self):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            with self.client.start_run(experiment=self.experiment, params={"lr": 0.1}) as run:
                run.log_metrics({"a": 1}, step=0)
                with self.assertRaises(HubError) as raised:
                    run.log_params({"lr": 0.3})

        self.assertEqual(raised.exception.error_code, "INVALID_PARAMETER_VALUE")
        self.assertEqual(runtime_warnings(caught), [])
        self.assertIn("a", self.metric_keys(run))
        params = {param["key"]: param["value"] for param in self.client.get_run(run.run_id)["data"]["params"]}
        self.assertEqual(params["lr"], "0.1")

    def test_tag_on_deleted_run_raises_at_call(self):
        run = self.client.start_run(experiment=self.experiment)
        run.log_metric("loss", 0.5)
        self.client._post("runs/delete", {"run_id": run.run_id})

        with self.assertRaises(HubError) as raised:
            run.set_tags({"team": "vision"})

        self.assertEqual(raised.exception.error_code, "INVALID_PARAMETER_VALUE")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            run.end()

    def test_bad_metric_spares_valid_ones(self):
        run = self.client.start_run(experiment=self.experiment)
        timestamp_ms = int(time.time() * 1000)
        bad = {"key": "bad key!", "value": 1.0, "timestamp": timestamp_ms, "step": 0}
        good = [metric_entry(f"good_{i}", float(i), step=0) for i in range(9)]
        # The bad entry bypasses metric_entry's checks, as a key that only the hub rejects would.
        run._sender.add("metric", good[:4] + [bad] + good[4:])

        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            self.assertTrue(run.flush(timeout_s=10))
        run.end()

        messages = runtime_warnings(caught)
        self.assertEqual(len(messages), 1)
        self.assertIn("rejected 1 entries", messages[0])
        self.assertIn("'bad key!'", messages[0])
        self.assertEqual(self.metric_keys(run), {f"good_{i}" for i in range(9)})

    def test_deferred_param_rejection_warns(self):
        run = self.client.start_run(experiment=self.experiment, params={"lr": 0.1})
        # A param deferred during an outage goes out later in the background, next to metrics.
        run._sender.add("metric", [metric_entry("loss", 0.5, step=0)])
        run._sender.add("param", [param_entry("lr", 0.3)])
        run._sender.add("metric", [metric_entry("loss", 0.4, step=1)])

        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            self.assertTrue(run.flush(timeout_s=10))
        run.end()

        messages = runtime_warnings(caught)
        self.assertEqual(len(messages), 1)
        self.assertIn("param 'lr'", messages[0])
        self.assertIn("INVALID_PARAMETER_VALUE", messages[0])
        steps = [point["step"] for point in self.client.get_metric_history(run.run_id, "loss")]
        self.assertEqual(sorted(steps), [0, 1])


class RejectedBatchSplitTest(unittest.TestCase):
    def test_404_batch_not_split(self):
        calls = []

        def reject(batch):
            calls.append(batch)
            raise HubError("run not found", "RESOURCE_DOES_NOT_EXIST", 404)

        sender = BatchSender(reject, flush_interval_s=60)
        sender.add("metric", [metric_entry(f"m{i}", 1.0) for i in range(8)])
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            self.assertTrue(sender.close(timeout_s=5))

        self.assertEqual(len(calls), 1)
        self.assertEqual(len(runtime_warnings(caught)), 1)
        self.assertIn("rejected 8 entries", runtime_warnings(caught)[0])

    def test_400_batch_isolates_each_bad_entry(self):
        calls = []

        def reject_odd(batch):
            calls.append(batch)
            bad = [entry["key"] for entry in batch["metrics"] if int(entry["key"][1:]) % 2]
            if bad:
                raise HubError(f"invalid metric {bad[0]!r}", "INVALID_PARAMETER_VALUE", 400)

        sender = BatchSender(reject_odd, flush_interval_s=60)
        sender.add("metric", [metric_entry(f"m{i}", 1.0) for i in range(8)])
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            self.assertTrue(sender.close(timeout_s=5))

        messages = runtime_warnings(caught)
        self.assertEqual(len(messages), 1)
        for key in ("m1", "m3", "m5", "m7"):
            self.assertIn(f"metric '{key}'", messages[0])
        accepted = [entry["key"] for batch in calls for entry in batch["metrics"] if len(batch["metrics"]) == 1
                    and int(entry["key"][1:]) % 2 == 0]
        self.assertEqual(accepted, ["m0", "m2", "m4", "m6"])


if __name__ == "__main__":
    unittest.main()
