// Issue 14 hole 5: every way a message leaves the extension goes through the one redaction
// (src/core/redact.ts). One test per exit that plain Node can reach; the notebook outputs are
// also checked inside the real editor (test/editor/host/redaction.test.ts).
import assert from 'node:assert/strict';
import { reportError } from '../../../src/core/commandWrapper';
import { classifyError, FerryError } from '../../../src/core/errors';
import { memoryLogger } from '../../../src/core/logger';
import { createMessages, MessageWindow } from '../../../src/editor/messageGuard';
import type { HostMessage } from '../../../src/results/protocol';
import { redactHostMessage } from '../../../src/results/redactMessage';
import { encodeColumn } from '../../../src/results/wire';

const REFRESH = 'dsrtUmVmcmVzaC10b2tlbi1zZWNyZXQtOTg3';
const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzcC0xMjMifQ.c2lnbmF0dXJlLWJ5dGVzLWhlcmU';
const SECRETS = [REFRESH, JWT.split('.')[1], 'dose0123456789abcdef0123456789abcdef'];
const hostile = (): Error => new Error(`token request failed: {"refreshToken":"${REFRESH}"} id ${JWT} client_secret dose0123456789abcdef0123456789abcdef`);

function clean(text: string, where: string): void {
  for (const s of SECRETS) assert.ok(!text.includes(s), `${where} carried a secret: ${text}`);
}

describe('every exit is redacted (issue 14 hole 5)', () => {
  it('the log', () => {
    const log = memoryLogger();
    log.error('failed', hostile());
    log.info(`plain ${hostile().message}`);
    clean(log.lines.join('\n'), 'the log');
  });
  it('classifyError, which tree error nodes, notebook error cells and toasts show', () => {
    clean(classifyError(hostile()).message, 'classifyError (plain Error)');
    clean(classifyError(new FerryError('auth', hostile().message)).message, 'classifyError (FerryError)');
  });
  it('the command error wrapper', async () => {
    const shown: string[] = [];
    await reportError('ferry.x', new FerryError('auth', hostile().message), memoryLogger(), {
      showError: async (m) => void shown.push(m),
      executeCommand: async () => undefined,
    });
    assert.equal(shown.length, 1);
    clean(shown[0], 'the error toast');
  });

  describe('toasts and quick picks (src/editor/messages.ts)', () => {
    function fakeWindow(answer?: (items: unknown[]) => unknown): { win: MessageWindow; seen: unknown[][] } {
      const seen: unknown[][] = [];
      const record = (...args: unknown[]) => {
        seen.push(args);
        return Promise.resolve(typeof args[1] === 'string' ? args[1] : undefined);
      };
      const win = {
        showInformationMessage: record,
        showWarningMessage: record,
        showErrorMessage: record,
        showQuickPick: (items: unknown[], ...rest: unknown[]) => {
          seen.push([items, ...rest]);
          return Promise.resolve(answer?.(items));
        },
      } as unknown as MessageWindow;
      return { win, seen };
    }
    it('info, warn and error redact the message and a modal detail, and keep the buttons', async () => {
      const { win, seen } = fakeWindow();
      const ui = createMessages(win);
      assert.equal(await ui.info(hostile().message, 'Retry'), 'Retry');
      await ui.warn(hostile().message, { modal: true, detail: hostile().message }, 'Go');
      await ui.error(hostile().message);
      assert.equal(seen.length, 3);
      clean(JSON.stringify(seen), 'a toast');
      assert.deepEqual(seen[1].slice(2), ['Go']);
    });
    it("a quick pick shows redacted items and answers with the caller's own item", async () => {
      const { win, seen } = fakeWindow((items) => items[1]);
      const ui = createMessages(win);
      const items = [
        { label: 'ok', apply: 1 },
        { label: 'broken profile', detail: hostile().message, description: `token ${JWT}`, apply: 2 },
      ];
      const picked = await ui.pick(items, { placeHolder: 'pick dose0123456789abcdef0123456789abcdef', title: JWT });
      assert.equal(picked, items[1], 'the original item, with its own fields');
      clean(JSON.stringify(seen), 'a quick pick');
      assert.equal(items[1].detail, hostile().message, "the caller's items are not changed");
      assert.deepEqual(await createMessages(fakeWindow((i) => i[0]).win).pick([`line ${JWT}`, 'plain']), `line ${JWT}`);
    });
  });

  it('the result viewer: state and notices are redacted, table rows and images are data', () => {
    const state = redactHostMessage({
      type: 'state',
      view: {
        source: 'x',
        runs: [
          {
            id: 'r',
            title: `run ${JWT}`,
            startedAt: 0,
            state: 'failed',
            facts: {},
            cancellable: false,
            outputs: [
              { kind: 'error', id: 'e', summary: hostile().message, traceback: [{ text: `Traceback ${JWT}`, classes: [] }], frames: [] },
              { kind: 'text', id: 't', segments: [{ text: hostile().message, classes: ['fg-red'] }] },
              { kind: 'image', id: 'i', mime: 'image/png', base64: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzcC0xMjMifQ.c2lnbmF0dXJlLWJ5dGVzLWhlcmU' },
            ],
          },
        ],
      },
    } as never);
    const text = JSON.stringify(state);
    for (const s of [REFRESH, 'dose0123456789abcdef0123456789abcdef']) assert.ok(!text.includes(s), text);
    assert.ok(!text.includes(`Traceback ${JWT}`));
    assert.ok(text.includes('"base64":"eyJhbGciOiJSUzI1NiJ9'), 'image bytes untouched');
    clean(JSON.stringify(redactHostMessage({ type: 'notice', level: 'error', message: hostile().message })), 'a notice');
    const rows: HostMessage = {
      type: 'rows',
      requestId: 1,
      outputId: 'o',
      version: 1,
      mask: 0,
      start: 0,
      count: 1,
      columns: [encodeColumn(['password hunter2-Secret!'])],
      rowCount: 1,
    };
    assert.equal(redactHostMessage(rows), rows, 'table cells are the user data, shown as they are');
  });
});
