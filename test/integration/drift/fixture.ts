// What the drift suites share: the S3 and Athena stand-ins (athena/fixture.ts), Ferry's Athena
// service on them, and customer files with a known shift written to S3 as CSV.
import { AthenaService } from '../../../src/aws/athena/service';
import { prng } from '../../../sandbox/kernel/prng';
import { AthenaFixture, athenaFixture } from '../athena/fixture';

export interface Customer {
  tenure: number;
  spend: number | null;
  plan: string;
  region: string;
}

/** Customers; `shift` moves tenure up and the plan mix towards pro (0 = the baseline). */
export function customers(n: number, seed: number, shift: number): Customer[] {
  const rand = prng(seed);
  const out: Customer[] = [];
  for (let i = 0; i < n; i++) {
    const r = rand();
    const plan = shift ? (r < 0.2 ? 'basic' : r < 0.5 ? 'plus' : 'pro') : r < 0.5 ? 'basic' : r < 0.8 ? 'plus' : 'pro';
    out.push({
      tenure: 1 + Math.floor(rand() * 72) + shift,
      spend: rand() < 0.05 ? null : Math.round((20 + rand() * 60) * 100) / 100,
      plan,
      region: ['north', 'south', 'east', 'west'][Math.floor(rand() * 4)],
    });
  }
  return out;
}

export function toCsv(rows: Customer[]): string {
  return `tenure,spend,plan,region\n${rows.map((c) => `${c.tenure},${c.spend ?? ''},${c.plan},${c.region}`).join('\n')}\n`;
}

export interface DriftFixture {
  fx: AthenaFixture;
  athena: AthenaService;
}

export async function driftFixture(): Promise<DriftFixture> {
  const fx = await athenaFixture();
  const athena = new AthenaService(
    () => ({ athena: fx.athenaClient, s3: async () => fx.s3Client }),
    () => ({ workGroup: 'primary', outputLocation: fx.output, catalog: 'AwsDataCatalog' }),
  );
  return { fx, athena };
}
