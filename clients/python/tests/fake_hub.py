"""A small stdlib stand-in for the hub's MLflow routes, for developing the client without Node."""

import json
import threading
import urllib.parse
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeHub:
    def __init__(self, token="test-token"):
        self.token = token
        self.experiments = {"0": {"experiment_id": "0", "name": "Default", "lifecycle_stage": "active", "tags": []}}
        self.runs = {}
        self.lock = threading.Lock()
        hub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                self._handle(dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(self.path).query)))

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                self._handle(json.loads(self.rfile.read(length) or b"{}"))

            def _handle(self, body):
                if self.headers.get("Authorization") != f"Bearer {hub.token}":
                    return self._reply(401, {"error_code": "UNAUTHENTICATED", "message": "bad token"})
                path = urllib.parse.urlsplit(self.path).path
                with hub.lock:
                    status, reply = hub.route(path, body)
                self._reply(status, reply)

            def _reply(self, status, reply):
                data = json.dumps(reply).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()

    def route(self, path, body):
        name = path.replace("/api/2.0/mlflow/", "")
        if name == "experiments/get-by-name":
            for experiment in self.experiments.values():
                if experiment["name"] == body["experiment_name"]:
                    return 200, {"experiment": experiment}
            return 404, {"error_code": "RESOURCE_DOES_NOT_EXIST", "message": "no such experiment"}
        if name == "experiments/create":
            experiment_id = str(len(self.experiments))
            self.experiments[experiment_id] = {"experiment_id": experiment_id, "name": body["name"],
                                               "lifecycle_stage": "active", "tags": body.get("tags", [])}
            return 200, {"experiment_id": experiment_id}
        if name == "runs/create":
            run_id = uuid.uuid4().hex
            info = {"run_id": run_id, "experiment_id": body["experiment_id"], "status": "RUNNING",
                    "run_name": body.get("run_name", "run")}
            self.runs[run_id] = {"info": info, "params": {}, "tags": {t["key"]: t["value"] for t in body["tags"]},
                                 "metrics": []}
            return 200, {"run": {"info": info, "data": {}}}
        run = self.runs.get(body.get("run_id"))
        if run is None:
            return 404, {"error_code": "RESOURCE_DOES_NOT_EXIST", "message": "no such run"}
        if name == "runs/update":
            run["info"]["status"] = body["status"]
            return 200, {"run_info": run["info"]}
        if name == "runs/log-batch":
            for param in body.get("params", []):
                if run["params"].get(param["key"], param["value"]) != param["value"]:
                    return 400, {"error_code": "INVALID_PARAMETER_VALUE", "message": "Changing param values is not allowed"}
                run["params"][param["key"]] = param["value"]
            run["tags"].update({tag["key"]: tag["value"] for tag in body.get("tags", [])})
            run["metrics"].extend(body.get("metrics", []))
            return 200, {}
        if name == "runs/get":
            data = {"params": [{"key": k, "value": v} for k, v in run["params"].items()],
                    "tags": [{"key": k, "value": v} for k, v in run["tags"].items()]}
            return 200, {"run": {"info": run["info"], "data": data}}
        if name == "metrics/get-history":
            return 200, {"metrics": [m for m in run["metrics"] if m["key"] == body["metric_key"]]}
        return 404, {"error_code": "ENDPOINT_NOT_FOUND", "message": path}


if __name__ == "__main__":
    hub = FakeHub()
    print(f"{hub.url}/?token={hub.token}", flush=True)
    threading.Event().wait()
