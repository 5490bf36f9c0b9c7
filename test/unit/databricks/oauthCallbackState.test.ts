// Issue 14 hole 1: the loopback callback must ignore any request whose state is not the one this
// sign-in sent, without using up the one answer, and must never show text a caller chose.
import assert from 'node:assert/strict';
import { DatabricksError } from '../../../src/databricks/errors';
import { startCallbackServer } from '../../../src/databricks/oauth';

async function visit(url: string): Promise<{ status: number; text: string }> {
  const r = await fetch(url);
  return { status: r.status, text: await r.text() };
}

describe('OAuth callback: answers with a foreign state are ignored (issue 14 hole 1)', () => {
  it('a forged error answer (wrong state, as from an <img> tag) neither ends the sign-in nor reaches the message', async () => {
    const server = await startCallbackServer([0]);
    const waiting = server.waitForCode('the-real-state');
    waiting.catch(() => undefined);
    const forged = await visit(
      `http://127.0.0.1:${server.port}/?error=access_denied&error_description=${encodeURIComponent('Call 555-0100 to restore access')}&state=guess`,
    );
    assert.equal(forged.status, 400);
    assert.doesNotMatch(forged.text, /555-0100/);
    const forgedNoState = await visit(`http://127.0.0.1:${server.port}/?error=server_error`);
    assert.equal(forgedNoState.status, 400);
    const real = await visit(`http://127.0.0.1:${server.port}/?code=the-code&state=the-real-state`);
    assert.equal(real.status, 200);
    assert.equal(await waiting, 'the-code');
  });

  it('a forged code with a wrong state does not use up the answer', async () => {
    const server = await startCallbackServer([0]);
    const waiting = server.waitForCode('s-expected');
    waiting.catch(() => undefined);
    assert.equal((await visit(`http://127.0.0.1:${server.port}/?code=attacker-code&state=forged`)).status, 400);
    assert.equal((await visit(`http://127.0.0.1:${server.port}/?code=good-code&state=s-expected`)).status, 200);
    assert.equal(await waiting, 'good-code');
  });

  it('an answer that arrives before the sign-in waits for one is ignored too', async () => {
    const server = await startCallbackServer([0]);
    assert.equal((await visit(`http://127.0.0.1:${server.port}/?code=early&state=anything`)).status, 400);
    const waiting = server.waitForCode('late-state');
    assert.equal((await visit(`http://127.0.0.1:${server.port}/?code=right&state=late-state`)).status, 200);
    assert.equal(await waiting, 'right');
  });

  it("with the right state, an error answer shows Ferry's own words for a known code and nothing of an unknown one", async () => {
    const server = await startCallbackServer([0]);
    const waiting = server.waitForCode('s');
    waiting.catch(() => undefined);
    const page = await visit(
      `http://127.0.0.1:${server.port}/?error=${encodeURIComponent('visit evil.example now')}&error_description=${encodeURIComponent('<b>evil</b> text')}&state=s`,
    );
    assert.equal(page.status, 400);
    assert.doesNotMatch(page.text, /evil/);
    await assert.rejects(
      waiting,
      (e: unknown) => e instanceof DatabricksError && !/evil/.test(e.message) && !/evil/.test(e.errorCode) && /refused the sign-in/.test(e.message),
    );

    const second = await startCallbackServer([0]);
    const denied = second.waitForCode('t');
    denied.catch(() => undefined);
    await visit(`http://127.0.0.1:${second.port}/?error=access_denied&error_description=${encodeURIComponent('Phone 555-0199')}&state=t`);
    await assert.rejects(
      denied,
      (e: unknown) => e instanceof DatabricksError && e.errorCode === 'access_denied' && /access_denied/.test(e.message) && !/555-0199/.test(e.message),
    );
  });
});
