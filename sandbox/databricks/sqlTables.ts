// The tables the stand-in's SQL warehouse holds, as Unity Catalog names them
// (catalog.schema.table). `customers` is the sandbox's own demo data: the very rows seeded into
// s3://ferry-demo/raw/customers.csv (sandbox/demo/data.ts), so Athena, the cluster and the
// warehouse show the same customers. `events` is a generated 1,000,000-row table (one row per
// event of those customers), big enough to need EXTERNAL_LINKS chunks. A Unity Catalog stand-in
// can list these definitions as its tables.
import { generateCustomers } from '../demo/data';

/** The default catalog of a workspace created since 2024 is named `workspace`. */
export const SQL_CATALOG = 'workspace';
export const SQL_SCHEMA = 'ferry_demo';
export const EVENTS_ROWS = 1_000_000;

export interface SqlTableColumn {
  name: string;
  /** Databricks type text (BIGINT, STRING, DECIMAL(10,2), TIMESTAMP). */
  type: string;
  comment?: string;
  /** Its place in the partition key (0-based), for a partition column (what Unity Catalog lists). */
  partitionIndex?: number;
}

export interface SqlTable {
  catalog: string;
  schema: string;
  name: string;
  comment: string;
  columns: SqlTableColumn[];
  /** How Unity Catalog lists it: MANAGED (default), EXTERNAL or VIEW, and its format (DELTA by default). */
  tableType?: 'MANAGED' | 'EXTERNAL' | 'VIEW';
  format?: string;
  storageLocation?: string;
  viewDefinition?: string;
}

export const SQL_TABLES: SqlTable[] = [
  {
    catalog: SQL_CATALOG,
    schema: SQL_SCHEMA,
    name: 'customers',
    comment: 'Customers of the demo subscription service (the rows of s3://ferry-demo/raw/customers.csv)',
    columns: [
      { name: 'customer_id', type: 'STRING', comment: 'C00001 …' },
      { name: 'region', type: 'STRING' },
      { name: 'plan', type: 'STRING', comment: 'basic, plus or pro' },
      { name: 'tenure_months', type: 'INT' },
      { name: 'monthly_spend', type: 'DOUBLE' },
      { name: 'support_calls', type: 'INT' },
      { name: 'churned', type: 'INT', comment: '1 when the customer left' },
    ],
  },
  {
    catalog: SQL_CATALOG,
    schema: SQL_SCHEMA,
    name: 'events',
    comment: `${EVENTS_ROWS.toLocaleString('en-US')} generated events of the demo customers`,
    columns: [
      { name: 'event_id', type: 'BIGINT' },
      { name: 'customer_id', type: 'STRING' },
      { name: 'ts', type: 'TIMESTAMP' },
      { name: 'kind', type: 'STRING', comment: 'view, click or purchase' },
      { name: 'amount', type: 'DECIMAL(10,2)' },
      { name: 'note', type: 'STRING', comment: 'NULL for every 97th event' },
    ],
  },
  {
    catalog: SQL_CATALOG,
    schema: SQL_SCHEMA,
    name: 'predictions',
    comment: 'Churn probabilities of the demo customers, partitioned by the day they were scored',
    tableType: 'EXTERNAL',
    format: 'PARQUET',
    storageLocation: 's3://ferry-demo/predictions/',
    columns: [
      { name: 'customer_id', type: 'STRING' },
      { name: 'churn_probability', type: 'DOUBLE', comment: 'Between 0 and 1' },
      { name: 'predicted', type: 'INT', comment: '1 when the model expects the customer to leave' },
      { name: 'scored_date', type: 'DATE', comment: 'Day of the scoring run', partitionIndex: 0 },
    ],
  },
  {
    catalog: SQL_CATALOG,
    schema: SQL_SCHEMA,
    name: 'churn_by_region',
    comment: 'Share of customers who left, per region',
    tableType: 'VIEW',
    viewDefinition: `SELECT region, avg(churned) AS churn_rate FROM ${SQL_CATALOG}.${SQL_SCHEMA}.customers GROUP BY region`,
    columns: [
      { name: 'region', type: 'STRING' },
      { name: 'churn_rate', type: 'DOUBLE' },
    ],
  },
];

function lit(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** DuckDB statements that create the tables above (run once when the engine starts). */
export function seedStatements(): string[] {
  const customers = generateCustomers();
  const values = customers
    .map((c) => `(${lit(c.customer_id)}, ${lit(c.region)}, ${lit(c.plan)}, ${c.tenure_months}, ${c.monthly_spend}, ${c.support_calls}, ${c.churned})`)
    .join(',\n');
  const q = `${SQL_CATALOG}.${SQL_SCHEMA}`;
  return [
    `ATTACH ':memory:' AS ${SQL_CATALOG}`,
    `CREATE SCHEMA ${SQL_CATALOG}.default`,
    `CREATE SCHEMA ${q}`,
    `CREATE TABLE ${q}.customers (customer_id VARCHAR, region VARCHAR, plan VARCHAR, tenure_months INTEGER, monthly_spend DOUBLE, support_calls INTEGER, churned INTEGER)`,
    `INSERT INTO ${q}.customers VALUES\n${values}`,
    // A table, not a view: every read sees the same rows in the same order, and reading is cheap.
    `CREATE TABLE ${q}.events AS SELECT i AS event_id, 'C' || lpad(((i % ${customers.length}) + 1)::VARCHAR, 5, '0') AS customer_id,
       TIMESTAMP '2026-01-01 00:00:00' + to_seconds(i * 7) AS ts, ['view', 'click', 'purchase'][(i % 3) + 1] AS kind,
       (((i * 7919) % 100000) / 100.0)::DECIMAL(10,2) AS amount, CASE WHEN i % 97 = 0 THEN NULL ELSE 'note ' || i END AS note
       FROM range(${EVENTS_ROWS}) t(i) ORDER BY i`,
    // A made-up but stable score per customer: enough to browse, preview and partition.
    `CREATE TABLE ${q}.predictions AS SELECT customer_id, round(((hash(customer_id) % 1000) + 1000) % 1000 / 1000.0, 3) AS churn_probability,
       CASE WHEN ((hash(customer_id) % 1000) + 1000) % 1000 >= 500 THEN 1 ELSE 0 END AS predicted, DATE '2026-11-30' AS scored_date
       FROM ${q}.customers ORDER BY customer_id`,
    `CREATE VIEW ${q}.churn_by_region AS ${SQL_TABLES.find((t) => t.name === 'churn_by_region')?.viewDefinition ?? ''}`,
  ];
}
