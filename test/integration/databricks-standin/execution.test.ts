import assert from 'node:assert/strict';
import { uniqueSuffix } from '../standIns';
import { Api, connect, runningCluster, until } from './http';

interface Results {
  resultType: string;
  data?: unknown;
  schema?: Array<{ name: string; type: string; metadata: string }>;
  isJsonSchema?: boolean;
  truncated?: boolean;
  fileName?: string;
  fileNames?: string[];
  summary?: string;
  cause?: string;
}
interface CommandStatus {
  id: string;
  status: string;
  results?: Results;
}

describe('Databricks stand-in: Command Execution 1.2', function () {
  this.timeout(120_000);
  let api: Api;
  let cluster: string;
  let context: string;

  const execute = async (command: string): Promise<string> => {
    const r = await api.post<{ id: string }>('/api/1.2/commands/execute', { clusterId: cluster, contextId: context, language: 'python', command });
    assert.equal(r.status, 200, r.text);
    return r.body.id;
  };
  const status = async (commandId: string): Promise<CommandStatus> =>
    (await api.get<CommandStatus>('/api/1.2/commands/status', { clusterId: cluster, contextId: context, commandId })).body;
  const finished = (commandId: string): Promise<CommandStatus> =>
    until(async () => {
      const s = await status(commandId);
      return s.status === 'Finished' || s.status === 'Error' || s.status === 'Cancelled' ? s : undefined;
    });
  const run = async (command: string): Promise<Results> => {
    const s = await finished(await execute(command));
    assert.equal(s.status, 'Finished');
    return s.results!;
  };

  before(async () => {
    api = await connect();
    cluster = await runningCluster(api, `exec-${uniqueSuffix()}`);
    // Right after RUNNING a real driver answers ClusterNotReadyException for a moment; clients retry.
    const created = await until(async () => {
      const r = await api.post<{ id: string }>('/api/1.2/contexts/create', { clusterId: cluster, language: 'python' });
      if (r.status !== 200 && /ClusterNotReadyException/.test(r.text)) return undefined;
      return r;
    });
    assert.equal(created.status, 200, created.text);
    context = created.body.id;
    await until(async () => {
      const s = await api.get<{ status: string }>('/api/1.2/contexts/status', { clusterId: cluster, contextId: context });
      assert.notEqual(s.body.status, 'Error');
      return s.body.status === 'Running' ? true : undefined;
    });
  });
  after(async () => {
    if (cluster) await api.post('/api/2.1/clusters/permanent-delete', { cluster_id: cluster });
    await api?.db.stop();
  });

  it('keeps state between commands: x = 41, then x + 1 gives 42', async () => {
    assert.deepEqual(await run('x = 41'), { resultType: 'text', data: '' });
    assert.deepEqual(await run('x + 1'), { resultType: 'text', data: '42' });
  });

  it('returns stdout followed by the value of a last expression, like a notebook', async () => {
    assert.deepEqual(await run('print("hello")\nprint("world")\n"done"'), { resultType: 'text', data: "hello\nworld\n'done'" });
    assert.deepEqual(await run('y = 1\ny = None\ny'), { resultType: 'text', data: '' });
  });

  it('returns display(pandas.DataFrame) as a table with rows and a JSON schema', async () => {
    const r = await run('import pandas as pd\ndf = pd.DataFrame({"name": ["a", "b"], "n": [1, 2], "score": [0.5, None], "ok": [True, False]})\ndisplay(df)');
    assert.equal(r.resultType, 'table');
    assert.deepEqual(r.data, [
      ['a', 1, 0.5, true],
      ['b', 2, null, false],
    ]);
    assert.deepEqual(r.schema, [
      { name: 'name', type: '"string"', metadata: '{}' },
      { name: 'n', type: '"long"', metadata: '{}' },
      { name: 'score', type: '"double"', metadata: '{}' },
      { name: 'ok', type: '"boolean"', metadata: '{}' },
    ]);
    assert.equal(r.isJsonSchema, true);
    assert.equal(r.truncated, false);
    const big = await run('display(pd.DataFrame({"i": range(12000)}))');
    assert.equal((big.data as unknown[]).length, 10000, 'the service caps a table result at 10,000 rows');
    assert.equal(big.truncated, true);
  });

  it('returns a matplotlib figure as an image: a base64 PNG data URL', async () => {
    const r = await run('import matplotlib.pyplot as plt\nplt.plot([1, 2, 3], [2, 4, 1])\nplt.title("t")');
    assert.equal(r.resultType, 'image');
    const m = /^data:image\/png;base64,(.+)$/.exec(r.fileName ?? '');
    assert.ok(m, String(r.fileName).slice(0, 60));
    const png = Buffer.from(m[1], 'base64');
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const two = await run('fig1 = plt.figure(); plt.plot([1]); fig2 = plt.figure(); plt.plot([2])');
    assert.equal(two.resultType, 'images');
    assert.equal(two.fileNames?.length, 2);
    assert.deepEqual(await run('1 + 1'), { resultType: 'text', data: '2' }, 'figures do not leak into later commands');
  });

  it('reports an exception as status Finished with resultType error: HTML summary and ANSI traceback', async () => {
    const r = await run('def f(d):\n    return 1 / d\n\nf(0)');
    assert.equal(r.resultType, 'error');
    assert.equal(r.summary, "<span class='ansi-red-fg'>ZeroDivisionError</span>: division by zero");
    assert.ok(r.cause?.includes('\u001b[0;31m'), 'ANSI colours');
    assert.match(r.cause ?? '', /<command-\d+>:4/);
    assert.match(r.cause ?? '', /<command-\d+>:2/);
    assert.ok(r.cause?.endsWith('ZeroDivisionError\u001b[0m: division by zero'), r.cause);
    const syntax = await run('x = = 1');
    assert.equal(syntax.resultType, 'error');
    assert.ok(syntax.summary?.includes('>SyntaxError<'));
    assert.deepEqual(await run('x'), { resultType: 'text', data: '41' }, 'the context survives errors');
    const eof = await run('input("name? ")');
    assert.equal(eof.resultType, 'error', 'input() cannot read the command channel');
    assert.ok(eof.summary?.includes('EOFError'));
  });

  it('cancels running code: the command ends Finished with a CommandCancelledException error, and the context lives on', async () => {
    const id = await execute('import time\nfor i in range(600):\n    time.sleep(0.1)');
    await until(async () => ((await status(id)).status === 'Running' ? true : undefined));
    const queued = await execute('x * 2');
    assert.equal((await status(queued)).status, 'Queued');
    const c = await api.post('/api/1.2/commands/cancel', { clusterId: cluster, contextId: context, commandId: id });
    assert.equal(c.status, 200);
    const s = await finished(id);
    assert.equal(s.status, 'Finished');
    assert.equal(s.results?.resultType, 'error');
    assert.match(s.results?.cause ?? '', /CommandCancelledException/);
    assert.deepEqual((await finished(queued)).results, { resultType: 'text', data: '82' });
  });

  it('replaces the process when code swallows the interrupt, still ending the command as cancelled', async () => {
    const id = await execute('import time\nwhile True:\n    try:\n        time.sleep(0.05)\n    except KeyboardInterrupt:\n        pass');
    await until(async () => ((await status(id)).status === 'Running' ? true : undefined));
    await api.post('/api/1.2/commands/cancel', { clusterId: cluster, contextId: context, commandId: id });
    const s = await finished(id);
    assert.match(s.results?.cause ?? '', /CommandCancelledException/);
    const after = await run('"x" in globals()');
    assert.deepEqual(after, { resultType: 'text', data: 'False' }, 'a fresh process: variables are gone');
    await run('x = 41');
  });

  it('refuses a context on a cluster that is not running, and unknown ids, in the 1.2 error form', async () => {
    const list = await api.get<{ clusters: Array<{ cluster_id: string; state: string }> }>('/api/2.1/clusters/list');
    const terminated = list.body.clusters.find((c) => c.state === 'TERMINATED');
    assert.ok(terminated);
    const r = await api.post('/api/1.2/contexts/create', { clusterId: terminated.cluster_id, language: 'python' });
    assert.equal(r.status, 400);
    assert.match(String(r.body.error), /is not running \(state TERMINATED\)/);
    const unknownCluster = await api.post('/api/1.2/contexts/create', { clusterId: '0000-000000-nothere0', language: 'python' });
    assert.equal(unknownCluster.status, 400);
    const unknownContext = await api.get('/api/1.2/contexts/status', { clusterId: cluster, contextId: '123' });
    assert.equal(unknownContext.status, 400);
    assert.ok(unknownContext.body.error);
    const unknownCommand = await api.get('/api/1.2/commands/status', { clusterId: cluster, contextId: context, commandId: 'nope' });
    assert.equal(unknownCommand.status, 400);
  });

  it('destroys a context, after which it is gone', async () => {
    const created = await api.post<{ id: string }>('/api/1.2/contexts/create', { clusterId: cluster, language: 'python' });
    const id = created.body.id;
    const d = await api.post('/api/1.2/contexts/destroy', { clusterId: cluster, contextId: id });
    assert.equal(d.status, 200);
    assert.equal(d.body.id, id);
    assert.equal((await api.get('/api/1.2/contexts/status', { clusterId: cluster, contextId: id })).status, 400);
  });

  it('drops contexts when the cluster restarts', async () => {
    assert.equal((await api.post('/api/2.1/clusters/restart', { cluster_id: cluster })).status, 200);
    assert.equal((await api.get('/api/1.2/contexts/status', { clusterId: cluster, contextId: context })).status, 400);
  });
});
