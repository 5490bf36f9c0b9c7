// Stand-ins that a test process started in child processes are watched: one that exits without
// being stopped is reported at once — which stand-in, how it ended, its last stderr lines — by
// failing the test that is running (an uncaught error, which mocha pins on that test), and every
// later test fails before it runs (standInGuard.ts). Nothing carries on against a dead stand-in.
import type { ChildExit } from '../../sandbox/kernel';
import { describeExit } from '../../sandbox/kernel';

const dead: string[] = [];

export class StandInDiedError extends Error {}

export function watchStandIn(handle: { onUnexpectedExit(fn: (e: ChildExit) => void): void }): void {
  handle.onUnexpectedExit((exit) => {
    const report = describeExit(exit);
    dead.push(report);
    process.stderr.write(`\n===== ${report.split('\n')[0]} =====\n${report.split('\n').slice(1).join('\n')}\n=====\n`);
    setImmediate(() => {
      throw new StandInDiedError(report);
    });
  });
}

/** Reports of stand-ins that died in this process so far. */
export function deadStandIns(): string[] {
  return [...dead];
}
