import assert from 'node:assert/strict';
import { dedupe, parseDelimited, readCsvPreview, readTsvPreview } from '../../../src/aws/preview/csv';
import { readJsonLinesPreview } from '../../../src/aws/preview/jsonl';
import { inferTextType } from '../../../src/aws/preview/table';

async function* chunks(text: string, size: number): AsyncGenerator<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function records(text: string, size = 3): Promise<string[][]> {
  const out: string[][] = [];
  for await (const r of parseDelimited(chunks(text, size))) out.push(r);
  return out;
}

describe('preview readers', () => {
  it('parses RFC 4180 CSV across chunk boundaries: quotes, escaped quotes, newlines in quotes, CRLF, BOM, multi-byte', async () => {
    const text = '\uFEFFa,b,c\r\n1,"x, y","he said ""hi"""\r\n2,"multi\nline",日本\n3,,\n';
    assert.deepEqual(await records(text, 1), [
      ['a', 'b', 'c'],
      ['1', 'x, y', 'he said "hi"'],
      ['2', 'multi\nline', '日本'],
      ['3', '', ''],
    ]);
    assert.deepEqual(await records('a,b\n1,2'), [
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  it('stops after the window and stops reading the source', async () => {
    let pulled = 0;
    async function* endless(): AsyncGenerator<string> {
      yield 'n,sq\n';
      for (let i = 0; ; i++) {
        pulled++;
        yield `${i},${i * i}\n`;
      }
    }
    const table = await readCsvPreview(endless(), { maxRows: 50 });
    assert.equal(table.rows.length, 50);
    assert.equal(table.truncated, true);
    assert.ok(pulled <= 52, `pulled ${pulled} chunks`);
    assert.deepEqual(
      table.columns.map((c) => c.type),
      ['integer', 'integer'],
    );
    assert.deepEqual(table.rows[7], [7, 49]);
  });

  it('reads TSV, names missing headers and de-duplicates names', async () => {
    const t = await readTsvPreview(chunks('a\ta\t\n1\t2\t3\t4\n', 4));
    assert.deepEqual(
      t.columns.map((c) => c.name),
      ['a', 'a_2', 'column_3', 'column_4'],
    );
    assert.deepEqual(t.rows[0], [1, 2, 3, 4]);
    assert.deepEqual(dedupe(['x', 'x', 'x']), ['x', 'x_2', 'x_3']);
  });

  it('infers types conservatively', () => {
    assert.equal(inferTextType(['1', '2', '']), 'integer');
    assert.equal(inferTextType(['1', '2.5']), 'number');
    assert.equal(inferTextType(['true', 'FALSE']), 'boolean');
    assert.equal(inferTextType(['2024-01-02', '2024-12-31']), 'date');
    assert.equal(inferTextType(['2024-01-02 10:00:00', '2024-01-02T10:00Z']), 'timestamp');
    assert.equal(inferTextType(['1', 'x']), 'string');
    assert.equal(inferTextType(['007', '12']), 'integer');
    assert.equal(inferTextType([]), 'string');
  });

  it('reads JSON lines with the union of keys, nested values as JSON text, and a clear error for a bad line', async () => {
    const t = await readJsonLinesPreview(chunks('{"a":1}\n\n{"a":2.5,"b":[1,2]}\n{"b":null,"c":true}\n', 5));
    assert.deepEqual(
      t.columns.map((c) => [c.name, c.type]),
      [
        ['a', 'number'],
        ['b', 'json'],
        ['c', 'boolean'],
      ],
    );
    assert.deepEqual(t.rows, [
      [1, null, null],
      [2.5, '[1,2]', null],
      [null, null, true],
    ]);
    await assert.rejects(readJsonLinesPreview(chunks('{"a":1}\n{oops\n', 4)), /Line 2 is not valid JSON/);
  });
});
