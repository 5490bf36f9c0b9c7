import assert from 'node:assert/strict';
import { wrapCommand } from '../../../src/core/commandWrapper';
import { CancelledError, FerryError } from '../../../src/core/errors';
import { memoryLogger } from '../../../src/core/logger';

function fakeUi(choice?: string) {
  const shown: Array<{ message: string; actions: string[] }> = [];
  const executed: string[] = [];
  return {
    shown,
    executed,
    ui: {
      showError: async (message: string, actions: string[]) => {
        shown.push({ message, actions });
        return choice;
      },
      executeCommand: async (command: string) => {
        executed.push(command);
      },
    },
  };
}

describe('the command error wrapper', () => {
  it('is silent on cancellation', async () => {
    const f = fakeUi();
    await wrapCommand(
      'ferry.x',
      () => {
        throw new CancelledError();
      },
      memoryLogger(),
      f.ui,
    )();
    assert.equal(f.shown.length, 0);
  });
  it('offers the known way forward and runs it when chosen', async () => {
    const f = fakeUi('Sign In');
    const err = new FerryError('auth', 'The Databricks token has expired.', [{ title: 'Sign In', command: 'ferry.databricks.signIn' }]);
    await wrapCommand(
      'ferry.x',
      () => {
        throw err;
      },
      memoryLogger(),
      f.ui,
    )();
    assert.deepEqual(f.shown, [{ message: 'The Databricks token has expired.', actions: ['Sign In'] }]);
    assert.deepEqual(f.executed, ['ferry.databricks.signIn']);
  });
  it('shows one line for anything else, with the detail in the log and no secret anywhere', async () => {
    const f = fakeUi();
    const log = memoryLogger();
    await wrapCommand(
      'ferry.x',
      () => {
        throw new Error('boom with Bearer dapiabcdef0123456789abcdef01\nstack line');
      },
      log,
      f.ui,
    )();
    assert.equal(f.shown.length, 1);
    assert.doesNotMatch(f.shown[0].message, /stack line|dapiabcdef/);
    assert.deepEqual(f.shown[0].actions, ['Open Log']);
    assert.ok(log.lines.some((l) => l.includes('ferry.x failed')));
    assert.ok(!log.lines.join('\n').includes('dapiabcdef0123456789'));
  });
  it('classifies network and AWS credential failures', async () => {
    const f = fakeUi();
    const net = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    await wrapCommand(
      'ferry.x',
      () => {
        throw net;
      },
      memoryLogger(),
      f.ui,
    )();
    assert.match(f.shown[0].message, /Network error/);
    const expired = Object.assign(new Error('The provided token has expired.'), { name: 'ExpiredToken' });
    await wrapCommand(
      'ferry.x',
      () => {
        throw expired;
      },
      memoryLogger(),
      f.ui,
    )();
    assert.match(f.shown[1].message, /rejected the credentials/);
    assert.deepEqual(f.shown[1].actions, ['Choose Profile']);
  });
});
