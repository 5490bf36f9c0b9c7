"""Train a churn model on the raw customer data in S3 and write predictions back to S3.

Run it on a cluster with "Ferry: Run File on Cluster" (or as the scheduled job "Nightly churn
scoring"). It reads every CSV under s3://ferry-demo/raw/, fits a scikit-learn model and writes
one row per customer to s3://ferry-demo/predictions/churn_predictions.csv.

The S3 endpoint and keys come from the environment, as boto3 finds them anywhere. In the Ferry
sandbox the cluster's Python sees the sandbox's own S3 endpoint (AWS_ENDPOINT_URL) and keys; on
real AWS leave AWS_ENDPOINT_URL unset.
"""
import io
import os

import boto3
import pandas as pd
from botocore.config import Config
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split

BUCKET = os.environ.get("FERRY_DEMO_BUCKET", "ferry-demo")
RAW_PREFIX = "raw/"
OUTPUT_KEY = "predictions/churn_predictions.csv"
FEATURES = ["tenure_months", "monthly_spend", "support_calls", "plan_basic", "plan_plus", "plan_pro"]


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


def main():
    s3 = s3_client()
    df, keys = read_raw(s3)
    print(f"read {len(df)} customers from {len(keys)} file(s) under s3://{BUCKET}/{RAW_PREFIX}")

    x, y = features(df), df["churned"]
    x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=0.25, random_state=7, stratify=y)
    model = RandomForestClassifier(n_estimators=100, max_depth=6, random_state=7)
    model.fit(x_train, y_train)
    auc = roc_auc_score(y_test, model.predict_proba(x_test)[:, 1])
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
