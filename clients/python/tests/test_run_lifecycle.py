import math
import unittest
import uuid
import warnings

import mlops_hub
from mlops_hub import HubError

from support import make_client


def unique(name):
    return f"{name}-{uuid.uuid4().hex[:8]}"


class RunLifecycleTest(unittest.TestCase):
    def setUp(self):
        self.client = make_client()
        self.experiment = unique("lifecycle")

    def status_of(self, run):
        return self.client.get_run(run.run_id)["info"]["status"]

    def test_block_ends_finished(self):
        with self.client.start_run(experiment=self.experiment, project="sdk-tests") as run:
            run.log_metric("loss", 0.5, step=1)

        self.assertEqual(self.status_of(run), "FINISHED")
        self.assertEqual(run.status, "FINISHED")

    def test_exception_ends_failed_and_propagates(self):
        with self.assertRaises(ZeroDivisionError):
            with self.client.start_run(experiment=self.experiment) as run:
                run.log_metric("loss", 0.5)
                _ = 1 / 0

        self.assertEqual(self.status_of(run), "FAILED")

    def test_keyboard_interrupt_ends_killed(self):
        with self.assertRaises(KeyboardInterrupt):
            with self.client.start_run(experiment=self.experiment) as run:
                raise KeyboardInterrupt

        self.assertEqual(self.status_of(run), "KILLED")

    def test_system_exit_status_follows_code(self):
        for code, expected in ((0, "FINISHED"), (None, "FINISHED"), (2, "FAILED")):
            with self.subTest(code=code):
                with self.assertRaises(SystemExit):
                    with self.client.start_run(experiment=self.experiment) as run:
                        raise SystemExit(code)

                self.assertEqual(self.status_of(run), expected)

    def test_end_twice_keeps_first_status(self):
        run = self.client.start_run(experiment=self.experiment)
        run.end("FAILED")
        run.end("FINISHED")

        self.assertEqual(self.status_of(run), "FAILED")

    def test_experiment_created_with_project_tag(self):
        with self.client.start_run(experiment=self.experiment, project="sdk-tests") as first:
            pass
        with self.client.start_run(experiment=self.experiment, project="sdk-tests") as second:
            pass

        experiment = self.client.get_experiment_by_name(self.experiment)
        tags = {tag["key"]: tag["value"] for tag in experiment.get("tags", [])}
        self.assertEqual(tags.get("mlops_hub.project"), "sdk-tests")
        self.assertEqual(first.experiment_id, experiment["experiment_id"])
        self.assertEqual(second.experiment_id, experiment["experiment_id"])

    def test_params_and_tags_logged(self):
        with self.client.start_run(experiment=self.experiment, run_name="named", params={"alpha": 0.001, "loss": "hinge"},
                                   tags={"team": "vision"}) as run:
            run.set_tag("team", "audio")
            run.log_param("epochs", 20)

        data = self.client.get_run(run.run_id)["data"]
        params = {param["key"]: param["value"] for param in data.get("params", [])}
        tags = {tag["key"]: tag["value"] for tag in data.get("tags", [])}
        self.assertEqual(params, {"alpha": "0.001", "loss": "hinge", "epochs": "20"})
        self.assertEqual(tags["team"], "audio")
        self.assertEqual(tags["mlflow.runName"], "named")

    def test_changed_param_raises(self):
        with self.client.start_run(experiment=self.experiment, params={"alpha": 0.1}) as run:
            run.log_param("alpha", 0.1)
            with self.assertRaises(HubError) as caught:
                run.log_param("alpha", 0.2)

        self.assertEqual(caught.exception.error_code, "INVALID_PARAMETER_VALUE")
        self.assertEqual(caught.exception.status, 400)
        params = {param["key"]: param["value"] for param in self.client.get_run(run.run_id)["data"]["params"]}
        self.assertEqual(params["alpha"], "0.1")

    def test_metrics_round_trip_with_special_values(self):
        with self.client.start_run(experiment=self.experiment) as run:
            run.log_metrics({"accuracy": 0.25, "loss": float("nan")}, step=1)
            run.log_metric("loss", float("inf"), step=2, timestamp=1_700_000_000_000)
            run.log_metric("loss", float("-inf"), step=3)

        points = sorted(self.client.get_metric_history(run.run_id, "loss"), key=lambda point: point["step"])
        self.assertEqual([point["step"] for point in points], [1, 2, 3])
        self.assertEqual(points[0]["value"], "NaN")
        self.assertEqual(points[1]["value"], "Infinity")
        self.assertEqual(points[1]["timestamp"], 1_700_000_000_000)
        self.assertEqual(points[2]["value"], "-Infinity")
        accuracy = self.client.get_metric_history(run.run_id, "accuracy")
        self.assertTrue(math.isclose(accuracy[0]["value"], 0.25))

    def test_invalid_metric_rejected_locally(self):
        with self.client.start_run(experiment=self.experiment) as run:
            with self.assertRaises(TypeError):
                run.log_metric("loss", "high")
            with self.assertRaises(TypeError):
                run.log_metric("loss", True)
            with self.assertRaises(ValueError):
                run.log_metric("bad/../key", 1.0)
            with self.assertRaises(ValueError):
                run.log_metric("k" * 251, 1.0)

    def test_rejected_batch_warns_and_drops(self):
        run = self.client.start_run(experiment=self.experiment)
        self.client.transport.request("POST", "/api/2.0/mlflow/runs/delete", {"run_id": run.run_id})

        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            run.log_metric("loss", 1.0)
            self.assertTrue(run.flush(timeout_s=5))
            run.end()
        messages = [str(warning.message) for warning in caught]
        self.assertTrue(any("rejected 1 entries" in message for message in messages), messages)
        self.assertTrue(any("setting status FINISHED failed" in message for message in messages), messages)

    def test_rejected_batch_raises_when_strict(self):
        client = make_client(strict=True)
        run = client.start_run(experiment=self.experiment)
        client.transport.request("POST", "/api/2.0/mlflow/runs/delete", {"run_id": run.run_id})

        run.log_metric("loss", 1.0)
        with warnings.catch_warnings(), self.assertRaises(HubError) as caught:
            warnings.simplefilter("ignore")
            run.flush(timeout_s=5)
        self.assertEqual(caught.exception.status // 100, 4)
        with self.assertRaises(HubError):
            run.end()

    def test_module_functions_use_active_run(self):
        with mlops_hub.start_run(experiment=self.experiment, client=self.client) as run:
            self.assertIs(mlops_hub.active_run(), run)
            mlops_hub.log_param("seed", 7)
            mlops_hub.log_metric("loss", 1.5, step=4)
            mlops_hub.set_tag("stage", "smoke")

        self.assertIsNone(mlops_hub.active_run())
        data = self.client.get_run(run.run_id)["data"]
        self.assertIn({"key": "seed", "value": "7"}, data["params"])
        self.assertEqual(self.client.get_metric_history(run.run_id, "loss")[0]["step"], 4)
        with self.assertRaises(RuntimeError):
            mlops_hub.log_metric("loss", 1.0)


if __name__ == "__main__":
    unittest.main()
