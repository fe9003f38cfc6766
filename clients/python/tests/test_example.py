import os
import re
import subprocess
import unittest

from support import REPO_ROOT, make_client, script_env

EXAMPLE = os.path.join(REPO_ROOT, "examples", "digits-classifier", "train.py")
SYSTEM_PYTHON = "/usr/bin/python3"
LINE = re.compile(r"^setting=(\d) run_id=([0-9a-f]+) final_val_accuracy=(\d\.\d{4})$")


def has_sklearn():
    if not os.path.exists(SYSTEM_PYTHON):
        return False
    probe = subprocess.run([SYSTEM_PYTHON, "-c", "import sklearn"], capture_output=True, check=False)
    return probe.returncode == 0


@unittest.skipUnless(has_sklearn(), "needs /usr/bin/python3 with scikit-learn (Debian: python3-sklearn)")
class DigitsExampleTest(unittest.TestCase):
    def test_three_settings_logged(self):
        result = subprocess.run([SYSTEM_PYTHON, EXAMPLE, "--epochs", "3"], cwd=os.path.dirname(EXAMPLE), env=script_env(),
                                capture_output=True, text=True, timeout=300, check=False)
        self.assertEqual(result.returncode, 0, result.stderr)

        lines = result.stdout.strip().splitlines()
        self.assertEqual(len(lines), 3, result.stdout)
        client = make_client()
        for number, line in enumerate(lines, start=1):
            match = LINE.match(line)
            self.assertIsNotNone(match, line)
            self.assertEqual(int(match.group(1)), number)

            run = client.get_run(match.group(2))
            self.assertEqual(run["info"]["status"], "FINISHED")
            val_accuracy = client.get_metric_history(match.group(2), "val_accuracy")
            self.assertEqual([point["step"] for point in val_accuracy], [1, 2, 3])
            self.assertEqual(f"{val_accuracy[-1]['value']:.4f}", match.group(3))
            for key in ("train_accuracy", "train_loss", "val_loss"):
                self.assertEqual(len(client.get_metric_history(match.group(2), key)), 3, key)
            self.assertGreater(client.get_metric_history(match.group(2), "model_size_bytes")[0]["value"], 1000)

        experiment = client.get_experiment_by_name("digits-classifier")
        self.assertIn({"key": "mlops_hub.project", "value": "digits-classifier"}, experiment["tags"])


if __name__ == "__main__":
    unittest.main()
