// Never twice: once commands/execute has answered with an id, no code path sends that command
// again. The stand-in's request log counts the executes of each command text, and the user code
// itself appends a line to a file each time it starts, so a second run would show twice.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import path from 'node:path';
import { RunOutcome } from '../../../src/run/service/runService';
import { evictContext, executionLog, makeProject, makeRunService, RunFixture, startCluster, startRunFixture } from './fixture';

const sha = (s: string) => crypto.createHash('sha256').update(s).digest('hex');

/**
 * Python that records that it started (a line appended to a file beside the pushed code, in the
 * workspace: read back through the Workspace API, so this works when the tests run under Windows
 * Node and the cluster is the Linux stand-in), prints, and then works for `seconds`.
 */
function sideEffectCode(marker: string, seconds: number): string {
  return [
    'import os, time',
    `with open(os.path.join(os.path.dirname(__file__), ${JSON.stringify(marker)}), "a") as f:`,
    '    f.write("ran\\n")',
    'print("started", flush=True)',
    `time.sleep(${seconds})`,
    'print("finished")',
  ].join('\n');
}

/** How many times the side-effect code started: lines of its marker file in the workspace. */
async function starts(fx: RunFixture, remoteRoot: string, marker: string): Promise<number> {
  try {
    const r = await fx.client.request<{ content?: string }>('GET', '/api/2.0/workspace/export', { query: { path: `${remoteRoot}/${marker}`, format: 'AUTO' } });
    return Buffer.from(r.content ?? '', 'base64')
      .toString('utf8')
      .split('\n')
      .filter(Boolean).length;
  } catch (err) {
    if ((err as { status?: number }).status === 404) return 0;
    throw err;
  }
}

/** How many commands/execute the stand-in saw whose text holds the user code's marker path. */
async function executesOf(fx: RunFixture, commandTexts: string[]): Promise<number> {
  const log = await executionLog(fx);
  const wanted = new Set(commandTexts.map(sha));
  return log.executes.filter((e) => wanted.has(e.sha256)).length;
}

function lostMessage(outcome: RunOutcome): string {
  return outcome.lost ?? '';
}

describe('never twice: a command that may have started is not sent again', function () {
  this.timeout(120_000);
  let fx: RunFixture;

  before(async () => {
    fx = await startRunFixture();
  });
  after(async () => {
    await fx?.stop();
  });
  afterEach(async () => {
    await fx.setFaults({});
  });

  /** Runs the side-effect code and, once it has started on the cluster, does `interfere`. */
  async function runAndInterfere(clusterId: string, interfere: (contextId: string) => Promise<void>, opts: { pollFailureLimit?: number } = {}) {
    const p = makeProject(fx.userName, { 'job.py': '' });
    const { service, sessions } = makeRunService(fx, { pollFailureLimit: opts.pollFailureLimit });
    const marker = `ran-${crypto.randomUUID()}.txt`;
    const target = { clusterId, folder: p.folder, mapper: p.mapper };
    const commands: string[] = [];
    const api = service.sessions.api;
    const realExecute = api.execute.bind(api);
    // Observe (not change) the texts sent, to find them in the stand-in's log.
    api.execute = (c, ctx, command, o) => {
      commands.push(command);
      return realExecute(c, ctx, command, o);
    };
    await fx.resetCounts();
    let interfered: Promise<void> | undefined;
    const outcome = await service.run({
      target,
      kind: 'file',
      code: sideEffectCode(marker, 4),
      localFile: path.join(p.dir, 'job.py'),
      push: [path.join(p.dir, 'job.py')],
      onText: (chunk) => {
        if (!interfered && chunk.includes('started')) {
          interfered = (async () => interfere((await sessions.current({ clusterId, folder: p.folder }))!))();
        }
      },
    });
    await interfered;
    const mainCommand = commands.find((c) => c.includes("['ferry_runtime'].run(")) ?? '';
    assert.ok(mainCommand, 'the run command was sent');
    return { outcome, marker, mainCommand, service, target, p };
  }

  it('a context evicted mid-command: reported as may-have-partly-run, sent once, and the next run gets a new session', async () => {
    const { outcome, marker, mainCommand, service, target, p } = await runAndInterfere(fx.runningCluster, async (contextId) => {
      assert.ok(await evictContext(fx, contextId), 'the stand-in tore the context down');
    });
    assert.equal(outcome.state, 'failed');
    assert.match(lostMessage(outcome), /the session was lost while the command was running; it may have partly run/i);
    assert.match(JSON.stringify(outcome.outputs), /started/, 'what it printed before is shown');
    assert.equal(await executesOf(fx, [mainCommand]), 1, 'commands/execute was sent once for the command');
    assert.equal(await starts(fx, p.mapper.remoteRoot, marker), 1, 'the code started once');
    const next = await service.run({ target, kind: 'selection', code: 'print("again")', localFile: path.join(p.dir, 'job.py') });
    assert.equal(next.state, 'succeeded');
    assert.equal(next.newSession, true);
  });

  it('a cluster terminated mid-command: reported, sent once', async () => {
    const clusterId = await startCluster(fx, { cluster_name: `ferry-terminate-${Date.now()}`, spark_version: '14.3.x-scala2.12' });
    const { outcome, marker, mainCommand, p } = await runAndInterfere(clusterId, async () => {
      await fx.client.request('POST', '/api/2.1/clusters/delete', { body: { cluster_id: clusterId } });
    });
    assert.equal(outcome.state, 'failed');
    assert.match(lostMessage(outcome), /may have partly run/);
    assert.equal(await executesOf(fx, [mainCommand]), 1);
    assert.equal(await starts(fx, p.mapper.remoteRoot, marker), 1);
  });

  it('status checks that keep failing (a proxy answering 502): one cancel, said whether accepted, sent once', async () => {
    const { outcome, marker, mainCommand, p } = await runAndInterfere(
      fx.runningCluster,
      async () => {
        await fx.setFaults({
          failNext: { count: 1000, status: 502, match: 'GET /api/1.2/commands/status', message: '<html><body><h1>502 Bad Gateway</h1></body></html>' },
        });
      },
      { pollFailureLimit: 4 },
    );
    assert.equal(outcome.state, 'failed');
    assert.match(lostMessage(outcome), /could not check on the running command \(4 status checks in a row failed/);
    assert.match(lostMessage(outcome), /sent a cancel, and the cluster accepted it/);
    assert.match(lostMessage(outcome), /may have partly run/);
    const counts = await fx.counts();
    assert.equal(counts['POST /api/1.2/commands/cancel'], 1, 'one cancel');
    assert.equal(await executesOf(fx, [mainCommand]), 1);
    assert.equal(await starts(fx, p.mapper.remoteRoot, marker), 1);
  });

  it('an execute request that was carried out but whose answer was lost is not sent again', async () => {
    const p = makeProject(fx.userName, { 'r.py': '' });
    const { service } = makeRunService(fx);
    const target = { clusterId: fx.runningCluster, folder: p.folder, mapper: p.mapper };
    await service.run({ target, kind: 'selection', code: 'x = 1', localFile: path.join(p.dir, 'r.py'), push: [path.join(p.dir, 'r.py')] });
    const marker = `ran-${crypto.randomUUID()}.txt`;
    const sent: string[] = [];
    const api = service.sessions.api;
    const realExecute = api.execute.bind(api);
    api.execute = (c, ctx, command, o) => {
      sent.push(command);
      return realExecute(c, ctx, command, o);
    };
    await fx.setFaults({ failNext: { count: 1, status: 0, after: true, match: 'POST /api/1.2/commands/execute' } });
    const outcome = await service.run({ target, kind: 'selection', code: sideEffectCode(marker, 0), localFile: path.join(p.dir, 'r.py') });
    assert.equal(outcome.state, 'failed');
    assert.match(lostMessage(outcome), /may have started on the cluster; it was not sent again/);
    const runCommands = sent.filter((c) => c.includes("['ferry_runtime'].run("));
    assert.equal(runCommands.length, 1, 'the client sent the run command once');
    assert.equal(await executesOf(fx, runCommands), 1, 'the stand-in carried it out once');
    for (let i = 0; i < 50 && (await starts(fx, p.mapper.remoteRoot, marker)) === 0; i++) await new Promise((r) => setTimeout(r, 50));
    assert.equal(await starts(fx, p.mapper.remoteRoot, marker), 1, 'the code ran, once');
  });

  it('an execute the cluster refused because the context was gone is sent again to a new session (it never started)', async () => {
    const p = makeProject(fx.userName, { 'g.py': '' });
    const { service, sessions } = makeRunService(fx);
    const target = { clusterId: fx.runningCluster, folder: p.folder, mapper: p.mapper };
    const localFile = path.join(p.dir, 'g.py');
    await service.run({ target, kind: 'selection', code: 'y = 5', localFile, push: [localFile] });
    assert.ok(await evictContext(fx, (await sessions.current({ clusterId: fx.runningCluster, folder: p.folder }))!));
    await fx.resetCounts();
    const marker = `ran-${crypto.randomUUID()}.txt`;
    const outcome = await service.run({ target, kind: 'selection', code: sideEffectCode(marker, 0), localFile });
    assert.equal(outcome.state, 'succeeded', JSON.stringify(outcome.outputs));
    assert.equal(outcome.sessionLost, true, 'the user hears that earlier variables are gone');
    assert.equal(await starts(fx, p.mapper.remoteRoot, marker), 1);
  });

  it('ClusterNotReadyException from contexts/create right after a start is retried, and the run succeeds', async () => {
    const clusterId = await startCluster(fx, { cluster_name: `ferry-not-ready-${Date.now()}`, spark_version: '15.4.x-scala2.12' });
    await fx.resetCounts();
    const p = makeProject(fx.userName, { 'n.py': '' });
    const { service } = makeRunService(fx, { liveOutput: false });
    const outcome = await service.run({
      target: { clusterId, folder: p.folder, mapper: p.mapper },
      kind: 'selection',
      code: 'print("ready")',
      localFile: path.join(p.dir, 'n.py'),
    });
    assert.equal(outcome.state, 'succeeded', JSON.stringify(outcome.outputs));
    const creates = (await fx.counts())['POST /api/1.2/contexts/create'];
    assert.ok(creates >= 2, `contexts/create was tried ${creates} times (the first answered ClusterNotReadyException)`);
  });
});
