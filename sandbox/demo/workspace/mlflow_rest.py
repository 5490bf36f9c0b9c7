"""The few MLflow calls train.py makes, over MLflow's REST API, for clusters without the mlflow package.

On a real Databricks cluster ``import mlflow`` works and train.py uses the real package. The Ferry
sandbox's cluster cannot install mlflow (there is no PyPI here), so train.py falls back to this
module, which logs the same things through the workspace's MLflow REST API 2.0: an experiment, a
run with its params, per-epoch metrics and artifacts (uploaded through the signed URL that
``artifacts/credentials-for-write`` gives), and, when the run ends, the line MLflow itself prints
("View run ... at: <workspace>/ml/experiments/<id>/runs/<id>"), by which Ferry links the run.

It needs the workspace URL and a token in DATABRICKS_HOST and DATABRICKS_TOKEN (the sandbox's
cluster sets both). Only the standard library is used.
"""
import getpass
import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request


class MlflowRestError(RuntimeError):
    pass


def _now_ms():
    return int(time.time() * 1000)


class _Client:
    def __init__(self, host, token):
        self.host = host.rstrip("/")
        self.token = token

    def call(self, method, path, body=None, query=None):
        url = f"{self.host}/api/2.0/mlflow/{path}"
        if query:
            url += "?" + urllib.parse.urlencode(query)
        data = json.dumps(body).encode("utf-8") if body is not None else None
        req = urllib.request.Request(url, data=data, method=method, headers={"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"})
        for attempt in range(5):
            try:
                with urllib.request.urlopen(req, timeout=60) as res:
                    text = res.read().decode("utf-8")
                    return json.loads(text) if text.strip() else {}
            except urllib.error.HTTPError as e:
                text = e.read().decode("utf-8", "replace")
                if e.code == 429 and attempt < 4:
                    # The tracking API is rate limited: wait as the server asks.
                    time.sleep(float(e.headers.get("Retry-After") or 1))
                    continue
                try:
                    err = json.loads(text)
                except ValueError:
                    err = {"message": text}
                raise MlflowRestError(f"{method} {path}: HTTP {e.code} {err.get('error_code', '')} {err.get('message', '')}".strip()) from None
        raise MlflowRestError(f"{method} {path}: still throttled after 5 attempts")


class _Info:
    def __init__(self, run):
        info = run["info"]
        self.run_id = info["run_id"]
        self.experiment_id = info["experiment_id"]
        self.run_name = info.get("run_name", self.run_id)
        self.status = info.get("status")


class ActiveRun:
    def __init__(self, run, fluent):
        self.info = _Info(run)
        self._fluent = fluent

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        self._fluent.end_run("FINISHED" if exc_type is None else "FAILED")
        return False


class _Fluent:
    """The part of mlflow's fluent API that train.py uses: same names, same meaning."""

    def __init__(self, source=None):
        self._source = source
        host = os.environ.get("DATABRICKS_HOST")
        token = os.environ.get("DATABRICKS_TOKEN")
        if not host or not token:
            raise MlflowRestError("set DATABRICKS_HOST and DATABRICKS_TOKEN to log to MLflow without the mlflow package")
        self._client = _Client(host, token)
        self._experiment_id = None
        self._active = None
        self._last = None

    def set_experiment(self, name):
        try:
            exp = self._client.call("GET", "experiments/get-by-name", query={"experiment_name": name})["experiment"]
            self._experiment_id = exp["experiment_id"]
        except MlflowRestError as e:
            if "RESOURCE_DOES_NOT_EXIST" not in str(e):
                raise
            self._experiment_id = self._client.call("POST", "experiments/create", {"name": name})["experiment_id"]
        return self._experiment_id

    def start_run(self, run_name=None, tags=None):
        if self._experiment_id is None:
            raise MlflowRestError("call set_experiment() first")
        all_tags = {"mlflow.user": os.environ.get("USER") or getpass.getuser(), "mlflow.source.type": "LOCAL"}
        if self._source:
            # MLflow tags a run with the script it came from; so does this fallback.
            all_tags["mlflow.source.name"] = self._source
        all_tags.update(tags or {})
        body = {"experiment_id": self._experiment_id, "start_time": _now_ms(), "tags": [{"key": k, "value": str(v)} for k, v in all_tags.items()]}
        if run_name:
            body["run_name"] = run_name
        run = self._client.call("POST", "runs/create", body)["run"]
        self._active = ActiveRun(run, self)
        return self._active

    def _run_id(self):
        if self._active is None:
            raise MlflowRestError("no active run: call start_run() first")
        return self._active.info.run_id

    def log_params(self, params):
        items = [{"key": k, "value": str(v)} for k, v in params.items()]
        for i in range(0, len(items), 100):  # at most 100 params a batch
            self._client.call("POST", "runs/log-batch", {"run_id": self._run_id(), "params": items[i:i + 100]})

    def log_metric(self, key, value, step=0):
        value = float(value)
        wire = value if value == value and abs(value) != float("inf") else ("NaN" if value != value else ("Infinity" if value > 0 else "-Infinity"))
        self._client.call("POST", "runs/log-metric", {"run_id": self._run_id(), "key": key, "value": wire, "timestamp": _now_ms(), "step": int(step)})

    def set_tag(self, key, value):
        self._client.call("POST", "runs/set-tag", {"run_id": self._run_id(), "key": key, "value": str(value)})

    def log_artifact(self, local_path, artifact_path=None):
        name = os.path.basename(local_path)
        rel = f"{artifact_path.strip('/')}/{name}" if artifact_path else name
        cred = self._client.call("POST", "artifacts/credentials-for-write", {"run_id": self._run_id(), "path": [rel]})["credential_infos"][0]
        with open(local_path, "rb") as f:
            data = f.read()
        headers = {h["name"]: h["value"] for h in cred.get("headers", [])}
        req = urllib.request.Request(cred["signed_uri"], data=data, method="PUT", headers={**headers, "Content-Length": str(len(data))})
        with urllib.request.urlopen(req, timeout=120) as res:
            res.read()

    def end_run(self, status="FINISHED"):
        if self._active is None:
            return
        run = self._active
        self._client.call("POST", "runs/update", {"run_id": run.info.run_id, "status": status, "end_time": _now_ms()})
        # What MLflow prints when a run ends against a workspace (Ferry links the run from it).
        host = self._client.host
        print(f"\U0001f3c3 View run {run.info.run_name} at: {host}/ml/experiments/{run.info.experiment_id}/runs/{run.info.run_id}")
        print(f"\U0001f9ea View experiment at: {host}/ml/experiments/{run.info.experiment_id}")
        self._last = run
        self._active = None

    def last_active_run(self):
        return self._last


def connect(source=None):
    """An mlflow-like object for train.py (`source`: the script, for the run's tags); raises MlflowRestError without a workspace."""
    return _Fluent(source)
