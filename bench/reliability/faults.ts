// `npm run bench -- reliability/faults [operations=10000] [seed=14]`: the fault suite
// (test/integration/reliability) at full size. Prints the table that bench/README.md records and
// exits 1 if anything was lost, duplicated, orphaned or leaked, or a failure said nothing clear.
import { failures, runFaultSuite } from '../../test/integration/reliability/faultRun';

async function main(): Promise<void> {
  const operations = Number(process.argv[2] ?? 10_000);
  const seed = Number(process.argv[3] ?? 14);
  const report = await runFaultSuite({ operations, seed, progress: (l) => process.stdout.write(`${l}\n`) });
  process.stdout.write(
    `\n${report.table}\n\nfaults injected: ${JSON.stringify(report.faults)}\nlog lines checked for secrets: ${report.logLines}\nper operation: ${JSON.stringify(report.perKind)}\n`,
  );
  for (const m of report.messages.slice(0, 20)) process.stdout.write(`told ${m.count}× (${m.kind}): ${m.message.slice(0, 300)}\n`);
  for (const f of report.findings) process.stdout.write(`${f}\n`);
  const bad = failures(report);
  if (bad.length) {
    process.stdout.write(`\nFAILED: ${bad[0]}\n`);
    process.exit(1);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
