// Mocha root hooks for the integration run (.mocharc.integration.json requires this file): once a
// stand-in this process started has died (standInWatch.ts), every later test fails before its body
// runs, naming the stand-in, instead of timing out against a port nobody answers.
import { deadStandIns } from './standInWatch';

export const mochaHooks = {
  beforeEach(): void {
    const dead = deadStandIns();
    if (dead.length)
      throw new Error(
        `not run: ${dead[0].split('\n')[0].replace(/ while it was still needed.*/, '')} and died earlier in this run.\n${dead[0].split('\n').slice(1).join('\n')}`,
      );
  },
};
