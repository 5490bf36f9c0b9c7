// The demo's raw data: customers of a made-up subscription service, and whether they left (churned).
// Generated, not stored, so the repository stays small; a fixed seed makes every sandbox identical,
// and the label follows the features (with noise) so the training script learns something real.
import { prng } from '../kernel/prng';

export { prng };

export const DEMO_BUCKET = 'ferry-demo';
export const RAW_PREFIX = 'raw/';
export const PREDICTIONS_PREFIX = 'predictions/';
export const RAW_FILE = 'customers.csv';
export const RAW_KEY = `${RAW_PREFIX}${RAW_FILE}`;
/** This month's new customers, shifted on purpose, for the Compare Datasets walkthrough (outside raw/: train.py reads every CSV there). */
export const INCOMING_KEY = 'incoming/customers_2026_11.csv';
export const ATHENA_DATABASE = 'ferry_demo';
/** What "Create Athena Table from S3 Prefix" names a table over predictions/: the prefix's last segment. */
export const PREDICTIONS_TABLE = 'predictions';
export const RAW_COLUMNS = ['customer_id', 'region', 'plan', 'tenure_months', 'monthly_spend', 'support_calls', 'churned'] as const;

const REGIONS = ['north', 'south', 'east', 'west'];
const PLANS = ['basic', 'plus', 'pro'];

export interface Customer {
  customer_id: string;
  region: string;
  plan: string;
  tenure_months: number;
  monthly_spend: number;
  support_calls: number;
  churned: 0 | 1;
}

export function generateCustomers(count = 1200, seed = 42): Customer[] {
  const rand = prng(seed);
  const out: Customer[] = [];
  for (let i = 1; i <= count; i++) {
    const plan = PLANS[Math.floor(rand() * PLANS.length)];
    const tenure = 1 + Math.floor(rand() * 72);
    const spend = Math.round((15 + PLANS.indexOf(plan) * 20 + rand() * 25) * 100) / 100;
    const calls = Math.floor(rand() * rand() * 10);
    // Short tenure and many support calls make leaving likely; a pro plan makes it less likely.
    const score = 1.2 - tenure / 30 + calls * 0.45 - PLANS.indexOf(plan) * 0.4 + (rand() - 0.5) * 1.5;
    const probability = 1 / (1 + Math.exp(-score));
    out.push({
      customer_id: `C${String(i).padStart(5, '0')}`,
      region: REGIONS[Math.floor(rand() * REGIONS.length)],
      plan,
      tenure_months: tenure,
      monthly_spend: spend,
      support_calls: calls,
      churned: rand() < probability ? 1 : 0,
    });
  }
  return out;
}

/** CSV with a header row and '\n' line endings (what Athena and pandas both expect). */
export function customersCsv(customers: Customer[] = generateCustomers()): string {
  const lines = [RAW_COLUMNS.join(',')];
  for (const c of customers) lines.push(RAW_COLUMNS.map((k) => String(c[k])).join(','));
  return lines.join('\n') + '\n';
}

/**
 * Next month's customers, drawn like generateCustomers' but with a real shift: a sign-up campaign
 * brought many new customers (tenure cut to about 40%), mostly on the basic plan, calling support
 * more; regions, spend for a plan and the churn rule stay as they were. Compare Datasets of
 * raw/customers.csv against it flags tenure_months, plan and support_calls.
 */
export function generateShiftedCustomers(count = 1200, seed = 2026): Customer[] {
  const rand = prng(seed ^ 0x5bd1e995);
  return generateCustomers(count, seed).map((c, i) => {
    const r = rand();
    const plan = r < 0.6 ? 'basic' : r < 0.85 ? 'plus' : 'pro';
    const spend = Math.round((15 + PLANS.indexOf(plan) * 20 + rand() * 25) * 100) / 100;
    const tenure = Math.max(1, Math.round(c.tenure_months * 0.4));
    const calls = Math.min(9, c.support_calls + (rand() < 0.6 ? 2 : 0));
    return { ...c, customer_id: `N${String(i + 1).padStart(5, '0')}`, plan, monthly_spend: spend, tenure_months: tenure, support_calls: calls };
  });
}
