import threading
import unittest
import uuid
import warnings

from mlops_hub import HubUnavailableError
from mlops_hub.batcher import BatchSender
from mlops_hub.entries import metric_entry, param_entry, tag_entry

from support import make_client, run_script


class RecordingSender:
    def __init__(self):
        self.batches = []
        self.lock = threading.Lock()

    def __call__(self, batch):
        with self.lock:
            self.batches.append(batch)


class BatchSenderLimitsTest(unittest.TestCase):
    def test_metrics_split_at_1000(self):
        record = RecordingSender()
        sender = BatchSender(record, flush_interval_s=60)
        sender.add("metric", [metric_entry("loss", float(i), step=i) for i in range(2500)])

        self.assertTrue(sender.close(timeout_s=5))
        self.assertEqual([len(batch["metrics"]) for batch in record.batches], [1000, 1000, 500])
        steps = [point["step"] for batch in record.batches for point in batch["metrics"]]
        self.assertEqual(steps, list(range(2500)))

    def test_params_and_tags_split_at_100(self):
        record = RecordingSender()
        sender = BatchSender(record, flush_interval_s=60)
        sender.add("param", [param_entry(f"p{i}", i) for i in range(150)])
        sender.add("tag", [tag_entry(f"t{i}", i) for i in range(120)])

        self.assertTrue(sender.close(timeout_s=5))
        sizes = [(len(batch.get("params", [])), len(batch.get("tags", []))) for batch in record.batches]
        self.assertEqual(sizes, [(100, 0), (50, 100), (0, 20)])

    def test_repeated_param_key_starts_new_batch(self):
        record = RecordingSender()
        sender = BatchSender(record, flush_interval_s=60)
        sender.add("param", [param_entry("alpha", 1), param_entry("alpha", 1)])

        self.assertTrue(sender.close(timeout_s=5))
        self.assertEqual(len(record.batches), 2)

    def test_background_thread_sends_without_flush(self):
        record = RecordingSender()
        sender = BatchSender(record, flush_interval_s=0.05)
        sender.add("metric", [metric_entry("loss", 1.0)])

        for _ in range(200):
            if sender.pending_count() == 0:
                break
            threading.Event().wait(0.05)
        self.assertEqual(sender.pending_count(), 0)
        self.assertEqual(len(record.batches), 1)
        sender.close(timeout_s=1)


    def test_full_buffer_drops_oldest(self):
        def unreachable(batch):
            raise HubUnavailableError("hub down")

        sender = BatchSender(unreachable, flush_interval_s=60, max_entries=10)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            sender.add("metric", [metric_entry("loss", float(i), step=i) for i in range(15)])
            self.assertFalse(sender.close(timeout_s=0.1))

        self.assertEqual(sender.pending_count(), 10)
        self.assertEqual(sender._queue[0][1]["step"], 5)
        self.assertTrue(any("dropped the 5 oldest" in str(warning.message) for warning in caught))


class FlushAtExitTest(unittest.TestCase):
    def test_5000_points_arrive_after_plain_exit(self):
        experiment = f"exit-flush-{uuid.uuid4().hex[:8]}"
        code = (
            "import mlops_hub\n"
            f"run = mlops_hub.start_run(experiment={experiment!r}, project='sdk-tests')\n"
            "for step in range(5000):\n"
            "    run.log_metric('loss', 1.0 / (step + 1), step=step)\n"
            "print(run.run_id)\n"
        )
        result = run_script(code)
        self.assertEqual(result.returncode, 0, result.stderr)

        client = make_client()
        run_id = result.stdout.strip()
        points = client.get_metric_history(run_id, "loss")
        self.assertEqual(len(points), 5000)
        self.assertEqual(sorted(point["step"] for point in points), list(range(5000)))
        self.assertEqual(client.get_run(run_id)["info"]["status"], "FINISHED")

    def test_uncaught_exception_ends_failed(self):
        code = (
            "import mlops_hub\n"
            "run = mlops_hub.start_run(experiment='exit-status', project='sdk-tests')\n"
            "run.log_metric('loss', 2.0)\n"
            "print(run.run_id, flush=True)\n"
            "raise SystemError('boom')\n"
        )
        result = run_script(code)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("SystemError: boom", result.stderr)

        client = make_client()
        run_id = result.stdout.strip()
        self.assertEqual(client.get_run(run_id)["info"]["status"], "FAILED")
        self.assertEqual(len(client.get_metric_history(run_id, "loss")), 1)

    def test_uncaught_interrupt_ends_killed(self):
        code = (
            "import mlops_hub\n"
            "run = mlops_hub.start_run(experiment='exit-status', project='sdk-tests')\n"
            "print(run.run_id, flush=True)\n"
            "raise KeyboardInterrupt\n"
        )
        result = run_script(code)
        self.assertNotEqual(result.returncode, 0)

        run_id = result.stdout.strip()
        self.assertEqual(make_client().get_run(run_id)["info"]["status"], "KILLED")


if __name__ == "__main__":
    unittest.main()
