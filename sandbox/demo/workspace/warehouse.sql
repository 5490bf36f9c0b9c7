-- Databricks notebook source
-- Runs on the Databricks SQL warehouse shown in the status bar: "Databricks: Run SQL on Warehouse"
-- (or the Run link above the statement). The first line makes this a Databricks SQL file, so
-- "Athena: Run Query" leaves it alone. The customers are those in s3://ferry-demo/raw/customers.csv.
SELECT plan, region, count(*) AS customers, round(avg(monthly_spend), 2) AS avg_spend, round(avg(churned), 3) AS churn_rate
FROM workspace.ferry_demo.customers
GROUP BY plan, region
ORDER BY churn_rate DESC;
