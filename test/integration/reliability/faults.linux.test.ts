// Linux-only: it starts its own three stand-ins and kills (SIGKILL) and restarts the S3 stand-in mid-run; the Windows run's stand-ins are shared and external.
//
// The fault suite: a seeded run of mixed operations through Ferry's service layers with faults
// injected at random on all three stand-ins, then an audit of the stand-ins' own state. Size by
// FERRY_FAULT_OPERATIONS (default 1,000), FERRY_FAULT_SEED (default 14), FERRY_FAULT_LANES
// (operations in flight, default 3; 1 repeats the faults request by request) and
// FERRY_FAULT_RATE_SCALE (the fault rates times this); the 10,000-operation run is
// `npm run bench -- reliability/faults`.
import assert from 'node:assert/strict';
import { failures, runFaultSuite } from './faultRun';

describe('fault suite: nothing lost, nothing twice, nothing leaked under random faults', function () {
  const operations = Number(process.env.FERRY_FAULT_OPERATIONS ?? 1000);
  const seed = Number(process.env.FERRY_FAULT_SEED ?? 14);
  this.timeout(Math.max(300_000, operations * 1000));

  it(`${operations} operations (seed ${seed}): every claim matches the stand-ins' state`, async () => {
    const report = await runFaultSuite({ operations, seed, lanes: Number(process.env.FERRY_FAULT_LANES ?? 3) });
    console.log(`\n${report.table}\n`);
    console.log(`      faults injected: ${JSON.stringify(report.faults)}`);
    console.log(`      log lines checked for secrets: ${report.logLines}`);
    console.log(`      per operation: ${JSON.stringify(report.perKind)}`);
    for (const m of report.messages.slice(0, 12)) console.log(`      told ${m.count}× (${m.kind}): ${m.message.slice(0, 240)}`);
    for (const f of report.findings.slice(0, 30)) console.log(`      ${f}`);
    assert.equal(report.figures.operations, operations);
    assert.equal(report.restarts, 2, 'the S3 stand-in was crashed and restarted twice');
    const injected = Object.values(report.faults).reduce(
      (n, s) =>
        n +
        Object.entries(s)
          .filter(([k]) => k !== 'requests' && k !== 'latency')
          .reduce((m, [, v]) => m + v, 0),
      0,
    );
    assert.ok(injected >= operations / 20, `only ${injected} faults were injected`);
    assert.ok(report.logLines > operations / 10, `only ${report.logLines} log lines: the leak check read little`);
    assert.ok(report.figures.completed > operations / 2, `only ${report.figures.completed} of ${operations} operations completed: the run measured little`);
    assert.deepEqual(failures(report), []);
  });
});
