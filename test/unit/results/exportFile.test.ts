// Exports are written whole or not at all (src/core/atomicFile.ts through src/results/exportFile.ts):
// a row source that fails midway, or a cancel, leaves no file, the previous file unchanged, and no
// temporary file beside it.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeFileAtomically } from '../../../src/core/atomicFile';
import type { ResultCell } from '../../../src/results/model';
import { exportTableToFile } from '../../../src/results/exportFile';

const columns = [
  { name: 'id', type: 'integer' as const },
  { name: 'note', type: 'string' as const },
];

function table(opts: { failAfter?: number; onChunk?: (i: number) => void } = {}) {
  return {
    columns,
    async *allRows(): AsyncIterable<ResultCell[][]> {
      for (let i = 0; i < 5; i++) {
        if (opts.failAfter !== undefined && i === opts.failAfter) throw new Error('the S3 stream was reset');
        opts.onChunk?.(i);
        yield Array.from({ length: 1000 }, (_, j): ResultCell[] => [i * 1000 + j, j % 2 ? null : 'a,"b"']);
      }
    },
  };
}

describe('results: atomic export', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry export é '));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes the whole table and leaves only the target', async () => {
    const target = path.join(dir, 'out.csv');
    assert.equal(await exportTableToFile(table(), 'csv', target), 5000);
    const lines = fs.readFileSync(target, 'utf8').split('\r\n');
    assert.equal(lines[0], '\ufeffid,note');
    assert.equal(lines[1], '0,"a,""b"""');
    assert.equal(lines.length, 5002);
    const json = path.join(dir, 'out.json');
    await exportTableToFile(table(), 'json', json);
    assert.equal((JSON.parse(fs.readFileSync(json, 'utf8')) as unknown[]).length, 5000);
    assert.deepEqual(fs.readdirSync(dir).sort(), ['out.csv', 'out.json']);
  });

  it('a source that fails midway leaves no file and an existing file unchanged', async () => {
    for (const format of ['csv', 'json'] as const) {
      const fresh = path.join(dir, `fresh.${format}`);
      await assert.rejects(exportTableToFile(table({ failAfter: 3 }), format, fresh), /stream was reset/);
      assert.ok(!fs.existsSync(fresh));
      const old = path.join(dir, `old.${format}`);
      fs.writeFileSync(old, 'previous\n');
      await assert.rejects(exportTableToFile(table({ failAfter: 3 }), format, old), /stream was reset/);
      assert.equal(fs.readFileSync(old, 'utf8'), 'previous\n');
    }
    assert.deepEqual(fs.readdirSync(dir).sort(), ['old.csv', 'old.json'], 'no temporary file is left');
  });

  it('a cancel midway removes the temporary file and keeps the previous file', async () => {
    const target = path.join(dir, 'cancelled.csv');
    fs.writeFileSync(target, 'previous\n');
    const ac = new AbortController();
    await assert.rejects(exportTableToFile(table({ onChunk: (i) => i === 2 && ac.abort() }), 'csv', target, ac.signal), { name: 'AbortError' });
    assert.equal(fs.readFileSync(target, 'utf8'), 'previous\n');
    assert.deepEqual(fs.readdirSync(dir), ['cancelled.csv']);
  });

  it('a target folder that does not exist fails before writing anything', async () => {
    await assert.rejects(
      writeFileAtomically(
        path.join(dir, 'missing', 'x.csv'),
        (async function* () {
          yield 'a';
        })(),
      ),
      { code: 'ENOENT' },
    );
    assert.deepEqual(fs.readdirSync(dir), []);
  });
});
