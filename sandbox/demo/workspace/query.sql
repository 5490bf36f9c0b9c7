-- Run with "Athena: Run Query" (or the Run link above the statement) once the table exists:
-- right-click s3://ferry-demo/predictions/ in the S3 view → "Create Athena Table from S3 Prefix…".
SELECT region, plan, count(*) AS customers, round(avg(churn_probability), 3) AS avg_churn
FROM ferry_demo.predictions
GROUP BY region, plan
ORDER BY avg_churn DESC;
