// Linux-only: the expected PSI comes from numpy in Debian's python3, which the Windows layer lacks.
// The numeric PSI of Compare Datasets against an independent computation. Athena's deciles are
// approximate (approx_percentile), so numpy checks both: the bins and the formula exactly, by
// counting the raw rows into the edges Athena returned; and the edges themselves, against
// numpy's exact deciles (within a month of tenure), with the PSI over the exact deciles close by.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { compareDatasets } from '../../../src/aws/drift/compare';
import { scratchDir } from '../standIns';
import { customers, driftFixture, DriftFixture, toCsv } from './fixture';

const PYTHON = process.env.FERRY_PYTHON || '/usr/bin/python3';

const SCRIPT = `
import json, sys
import numpy as np
a = np.array(json.loads(open(sys.argv[1]).read()), dtype=float)
b = np.array(json.loads(open(sys.argv[2]).read()), dtype=float)
athena_edges = np.array(json.loads(sys.argv[3]), dtype=float)
eps = 1e-4
def psi(edges):
    # bin i holds the values below edge i (numpy: edges at or below the value), nulls have their own bin
    ca = np.bincount(np.searchsorted(edges, a[~np.isnan(a)], side='right'), minlength=len(edges) + 1).tolist() + [int(np.isnan(a).sum())]
    cb = np.bincount(np.searchsorted(edges, b[~np.isnan(b)], side='right'), minlength=len(edges) + 1).tolist() + [int(np.isnan(b).sum())]
    pa, pb = np.array(ca) / len(a), np.array(cb) / len(b)
    keep = (np.array(ca) + np.array(cb)) > 0
    pa, pb = np.maximum(pa[keep], eps), np.maximum(pb[keep], eps)
    return float(np.sum((pb - pa) * np.log(pb / pa)))
deciles = np.quantile(a[~np.isnan(a)], [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9])
print(json.dumps({"psi_athena_edges": psi(athena_edges), "psi_exact": psi(deciles), "deciles": deciles.tolist()}))
`;

describe('Compare Datasets: numeric PSI against numpy', function () {
  this.timeout(180_000);
  let d: DriftFixture;
  const tmp = scratchDir('drift-numpy');
  const base = customers(5000, 21, 0);
  const newer = customers(4000, 22, 9);

  before(async () => {
    d = await driftFixture();
    await d.fx.put('numpy/base.csv', toCsv(base));
    await d.fx.put('numpy/new/new.csv', toCsv(newer));
  });
  after(async () => {
    await d?.fx.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  for (const column of ['tenure', 'spend'] as const) {
    it(`${column}: the PSI over Athena's deciles equals numpy's, and the deciles are close to numpy's exact ones`, async () => {
      const result = await compareDatasets(
        { athena: d.athena, s3: async () => d.fx.s3Client, database: d.fx.database, catalog: 'AwsDataCatalog' },
        { kind: 's3', bucket: d.fx.bucket, key: 'numpy/base.csv' },
        { kind: 's3', bucket: d.fx.bucket, key: 'numpy/new/' },
        { threshold: 0.2 },
      );
      const spec = result.specs[column];
      assert.equal(spec?.kind, 'numeric');
      const edges = (spec as { edges: number[] }).edges;
      const values = (rows: typeof base) => rows.map((c) => (c[column] === null ? null : Number(c[column])));
      const fa = path.join(tmp, `${column}-a.json`);
      const fb = path.join(tmp, `${column}-b.json`);
      fs.writeFileSync(fa, JSON.stringify(values(base).map((v) => v ?? NaN)).replace(/null/g, 'NaN'));
      fs.writeFileSync(fb, JSON.stringify(values(newer).map((v) => v ?? NaN)).replace(/null/g, 'NaN'));
      const out = JSON.parse(execFileSync(PYTHON, ['-c', SCRIPT, fa, fb, JSON.stringify(edges)], { encoding: 'utf8' })) as {
        psi_athena_edges: number;
        psi_exact: number;
        deciles: number[];
      };
      const ferry = result.report.columns.find((c) => c.name === column)!;
      console.log(
        `      ${column}: Ferry PSI ${ferry.psi?.toFixed(6)}, numpy over the same edges ${out.psi_athena_edges.toFixed(6)}, over exact deciles ${out.psi_exact.toFixed(6)}`,
      );
      assert.ok(Math.abs(ferry.psi! - out.psi_athena_edges) < 1e-9, 'same bins, same formula');
      const unit = column === 'tenure' ? 1 : 1.5;
      edges.forEach((e, i) => assert.ok(Math.abs(e - out.deciles[i]) <= unit, `decile ${i + 1}: ${e} vs numpy ${out.deciles[i]}`));
      assert.ok(Math.abs(ferry.psi! - out.psi_exact) <= Math.max(0.02, out.psi_exact * 0.15), `PSI ${ferry.psi} vs ${out.psi_exact} over exact deciles`);
      if (column === 'tenure') assert.ok(ferry.drifted, 'tenure moved by 9 months');
      else assert.equal(ferry.drifted, false, 'spend did not move');
    });
  }
});
