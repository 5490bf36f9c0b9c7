"""Train a churn model on the raw customer data in S3 and write predictions back to S3.

Run it on a cluster with "Ferry: Run File on Cluster" (or as the scheduled job "Nightly churn
scoring"). It reads every CSV under s3://ferry-demo/raw/, fits a scikit-learn model and writes
one row per customer to s3://ferry-demo/predictions/churn_predictions.csv.

The S3 endpoint and keys come from the environment, as boto3 finds them anywhere. In the Ferry
sandbox the cluster's Python sees the sandbox's own S3 endpoint (AWS_ENDPOINT_URL) and keys; on
real AWS leave AWS_ENDPOINT_URL unset.

The training is tracked in MLflow (experiment /Shared/ferry-demo-churn, or FERRY_DEMO_EXPERIMENT):
its params, the test AUC and log loss after every epoch (the forest grows by 20 trees an epoch),
and the model, its feature importances and a ROC curve as artifacts. Ferry's Experiments view shows
the run, and the result of "Run File on Cluster" links to it. On a real Databricks cluster the
mlflow package is installed and is used. The sandbox's cluster cannot install mlflow (no PyPI
here), so when ``import mlflow`` fails the demo logs through MLflow's REST API instead
(mlflow_rest.py, next to this file), with the workspace URL and token the sandbox's cluster puts in
DATABRICKS_HOST and DATABRICKS_TOKEN. Without either, the script still trains and says it did not log.
"""
import io
import os
import pickle
import tempfile
import time

import boto3
import pandas as pd
from botocore.config import Config
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import log_loss, roc_auc_score, roc_curve
from sklearn.model_selection import train_test_split

try:
    import mlflow
except ImportError:  # the Ferry sandbox's cluster: MLflow's REST API instead of the package
    try:
        import mlflow_rest
        mlflow = mlflow_rest.connect(source=globals().get("__file__"))
    except Exception as e:  # noqa: BLE001 - no workspace to log to: train anyway
        print(f"MLflow: not logging this run ({e})")
        mlflow = None

BUCKET = os.environ.get("FERRY_DEMO_BUCKET", "ferry-demo")
RAW_PREFIX = "raw/"
OUTPUT_KEY = "predictions/churn_predictions.csv"
FEATURES = ["tenure_months", "monthly_spend", "support_calls", "plan_basic", "plan_plus", "plan_pro"]
EXPERIMENT = os.environ.get("FERRY_DEMO_EXPERIMENT", "/Shared/ferry-demo-churn")
EPOCHS = 5
TREES_PER_EPOCH = 20
MAX_DEPTH = 6


def s3_client():
    # boto3 older than 1.28 ignores AWS_ENDPOINT_URL by itself, so pass it explicitly.
    endpoint = os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ.get("AWS_ENDPOINT_URL") or None
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1",
        config=Config(s3={"addressing_style": "path"} if endpoint else {}),
    )


def read_raw(s3):
    listing = s3.list_objects_v2(Bucket=BUCKET, Prefix=RAW_PREFIX)
    keys = [o["Key"] for o in listing.get("Contents", []) if o["Key"].endswith(".csv")]
    if not keys:
        raise RuntimeError(f"No CSV files under s3://{BUCKET}/{RAW_PREFIX}: upload the raw data first")
    frames = [pd.read_csv(io.BytesIO(s3.get_object(Bucket=BUCKET, Key=k)["Body"].read())) for k in keys]
    return pd.concat(frames, ignore_index=True), keys


def features(df):
    x = df[["tenure_months", "monthly_spend", "support_calls"]].copy()
    for plan in ["basic", "plus", "pro"]:
        x[f"plan_{plan}"] = (df["plan"] == plan).astype(int)
    return x[FEATURES]


def log_artifacts(model, x_test, y_test):
    """The model, its feature importances and a ROC curve, as run artifacts."""
    with tempfile.TemporaryDirectory() as tmp:
        with open(os.path.join(tmp, "model.pkl"), "wb") as f:
            pickle.dump(model, f)
        with open(os.path.join(tmp, "MLmodel"), "w") as f:
            f.write("flavors:\n  sklearn:\n    pickled_model: model.pkl\n    serialization_format: pickle\n")
        mlflow.log_artifact(os.path.join(tmp, "model.pkl"), "model")
        mlflow.log_artifact(os.path.join(tmp, "MLmodel"), "model")
        importances = pd.DataFrame({"feature": FEATURES, "importance": model.feature_importances_}).sort_values("importance", ascending=False)
        importances.to_csv(os.path.join(tmp, "feature_importance.csv"), index=False)
        mlflow.log_artifact(os.path.join(tmp, "feature_importance.csv"))
        try:
            import matplotlib
            matplotlib.use("Agg")
            import matplotlib.pyplot as plt
            fpr, tpr, _ = roc_curve(y_test, model.predict_proba(x_test)[:, 1])
            fig, ax = plt.subplots(figsize=(4, 4))
            ax.plot(fpr, tpr)
            ax.plot([0, 1], [0, 1], linestyle="--")
            ax.set_xlabel("false positive rate")
            ax.set_ylabel("true positive rate")
            ax.set_title("ROC curve")
            fig.savefig(os.path.join(tmp, "roc.png"), dpi=80)
            plt.close(fig)
            mlflow.log_artifact(os.path.join(tmp, "roc.png"), "plots")
        except ImportError:
            pass


def train(x_train, y_train, x_test, y_test, rows):
    """Grows the forest an epoch at a time, logging the test AUC and log loss after each."""
    model = RandomForestClassifier(n_estimators=TREES_PER_EPOCH, max_depth=MAX_DEPTH, random_state=7, warm_start=True)
    run = None
    if mlflow is not None:
        mlflow.set_experiment(EXPERIMENT)
        run = mlflow.start_run(run_name=f"churn-rf-{int(time.time())}")
        mlflow.log_params({"model": "RandomForestClassifier", "max_depth": MAX_DEPTH, "trees_per_epoch": TREES_PER_EPOCH, "epochs": EPOCHS, "rows": rows, "features": ",".join(FEATURES)})
    auc = 0.0
    try:
        for epoch in range(1, EPOCHS + 1):
            model.n_estimators = epoch * TREES_PER_EPOCH
            model.fit(x_train, y_train)
            proba = model.predict_proba(x_test)[:, 1]
            auc = roc_auc_score(y_test, proba)
            loss = log_loss(y_test, proba)
            print(f"epoch {epoch}: {model.n_estimators} trees, test AUC {auc:.3f}, log loss {loss:.3f}")
            if run is not None:
                mlflow.log_metric("auc", auc, step=epoch)
                mlflow.log_metric("log_loss", loss, step=epoch)
        if run is not None:
            log_artifacts(model, x_test, y_test)
    except BaseException:
        if run is not None:
            mlflow.end_run("FAILED")
        raise
    if run is not None:
        mlflow.end_run()
    return model, auc


def main():
    s3 = s3_client()
    df, keys = read_raw(s3)
    print(f"read {len(df)} customers from {len(keys)} file(s) under s3://{BUCKET}/{RAW_PREFIX}")

    x, y = features(df), df["churned"]
    x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=0.25, random_state=7, stratify=y)
    model, auc = train(x_train, y_train, x_test, y_test, rows=len(df))
    print(f"test ROC AUC: {auc:.3f}")

    out = pd.DataFrame({
        "customer_id": df["customer_id"],
        "region": df["region"],
        "plan": df["plan"],
        "churn_probability": model.predict_proba(x)[:, 1].round(4),
    })
    out["predicted_churn"] = (out["churn_probability"] >= 0.5).astype(int)
    body = out.to_csv(index=False).encode("utf-8")
    s3.put_object(Bucket=BUCKET, Key=OUTPUT_KEY, Body=body, ContentType="text/csv")
    print(f"wrote {len(out)} predictions to s3://{BUCKET}/{OUTPUT_KEY}")
    return out


predictions = main()
predictions.head(10)
