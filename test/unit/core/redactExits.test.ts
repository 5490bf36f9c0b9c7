// Issue 14 hole 5: every way a message leaves the extension goes through the one redaction
// (src/core/redact.ts). One test per exit that plain Node can reach; the notebook outputs are
// also checked inside the real editor (test/editor/host/redaction.test.ts).
import assert from 'node:assert/strict';
import { reportError } from '../../../src/core/commandWrapper';
import { classifyError, FerryError } from '../../../src/core/errors';
import { memoryLogger } from '../../../src/core/logger';

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
    await reportError('ferry.x', new FerryError('auth', hostile().message), memoryLogger(), { showError: async (m) => void shown.push(m), executeCommand: async () => undefined });
    assert.equal(shown.length, 1);
    clean(shown[0], 'the error toast');
  });
});
