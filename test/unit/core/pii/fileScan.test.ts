// The scan of a local data file before it is uploaded or pushed: the same preview readers as the
// S3 view, a bounded sample (rows and bytes), and the same verdicts as the result viewer's guard.
// The Parquet fixture was written once with DuckDB (see the comment by PARQUET below).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dataFormat, jsonRecords, scanDataFile, scanDataFiles } from '../../../../src/core/pii/fileScan';

/**
 * 50 rows: id, contact (e-mails), paid_with (test card numbers), city, signup_ip, amount. Made with
 * DuckDB: COPY (SELECT i AS id, 'user' || i || '@example.com' AS contact, CASE WHEN i % 2 = 0 THEN
 * '4242424242424242' ELSE '5555555555554444' END AS paid_with, ['Lisbon','Porto','Oslo'][1 + i % 3]
 * AS city, '203.0.113.' || (i % 200 + 1) AS signup_ip, i * 1.5 AS amount FROM range(50) t(i)) TO
 * 'customers.parquet' (FORMAT parquet).
 */
const PARQUET = path.resolve(__dirname, '..', '..', '..', '..', '..', 'test', 'unit', 'core', 'pii', 'fixtures', 'customers.parquet');

describe('PII scan of local data files', () => {
  let dir: string;
  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
  };
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-pii-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('knows the formats it reads', () => {
    assert.deepEqual(['a.csv', 'b.TSV', 'c.jsonl', 'd.ndjson', 'e.json', 'f.parquet', 'g.py', 'h.txt', 'noext'].map(dataFormat), [
      'csv',
      'tsv',
      'jsonl',
      'jsonl',
      'json',
      'parquet',
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('names the columns of a CSV with personal data, by value and by name', async () => {
    const file = write(
      'customers.csv',
      'id,contact,card,first_name,city\n1,ada@example.com,4242 4242 4242 4242,Ada,Lisbon\n2,grace@example.org,5555555555554444,Grace,Porto\n',
    );
    const v = await scanDataFile(file);
    assert.equal(v?.format, 'csv');
    assert.equal(v?.rowsScanned, 2);
    assert.deepEqual(v?.columns, [
      { name: 'contact', kinds: ['email'], byName: false },
      { name: 'card', kinds: ['card'], byName: false },
      { name: 'first_name', kinds: ['name'], byName: true },
    ]);
  });

  it('finds nothing in a file without personal data, and reads TSV', async () => {
    assert.deepEqual((await scanDataFile(write('metrics.csv', 'id,city,amount,day\n1,Lisbon,12.5,2025-01-01\n2,Porto,7,2025-01-02\n')))?.columns, []);
    const tsv = await scanDataFile(write('t.tsv', 'who\tphone\nx\t+44 20 7946 0958\n'));
    assert.deepEqual(tsv?.columns, [{ name: 'phone', kinds: ['phone'], byName: true }]);
  });

  it('reads JSON Lines and JSON arrays, even cut short by the byte budget', async () => {
    const jsonl = await scanDataFile(write('events.jsonl', '{"user":"ada@example.com","n":1}\n{"user":"bob@example.net","n":2}\n'));
    assert.deepEqual(
      jsonl?.columns.map((c) => c.name),
      ['user'],
    );
    const rows = Array.from({ length: 2_000 }, (_, i) => ({ id: i, note: 'ok', client_ip: `198.51.100.${i % 250}` }));
    const big = write('rows.json', JSON.stringify(rows));
    const cut = await scanDataFile(big, { maxBytes: 4_000 });
    assert.ok(cut && cut.rowsScanned > 10 && cut.rowsScanned < 2_000, `read ${cut?.rowsScanned} records of 2,000 within 4,000 bytes`);
    assert.deepEqual(
      cut?.columns.map((c) => c.name),
      ['client_ip'],
    );
    assert.deepEqual(
      jsonRecords('[{"a":"x}"},{"b":[1,{"c":2}]},{"d":', 10),
      [{ a: 'x}' }, { b: [1, { c: 2 }] }],
      'strings and nesting respected; the cut record dropped',
    );
    assert.deepEqual(jsonRecords('{"email":"a@b.co"}', 10), [{ email: 'a@b.co' }]);
  });

  it('reads a bounded sample: personal data after the first rows is not looked for', async () => {
    const lines = ['id,note'];
    for (let i = 0; i < 3_000; i++) lines.push(`${i},fine`);
    lines.push('3000,ada@example.com');
    const file = write('late.csv', lines.join('\n'));
    assert.deepEqual((await scanDataFile(file))?.columns, [], 'the first 1,000 rows hold none');
    assert.deepEqual(
      (await scanDataFile(file, { maxRows: 5_000 }))?.columns.map((c) => c.name),
      ['note'],
    );
  });

  it('reads Parquet through the range reader, and falls back to the column names over its budget', async () => {
    const v = await scanDataFile(PARQUET);
    assert.equal(v?.rowsScanned, 50);
    assert.deepEqual(v?.columns, [
      { name: 'contact', kinds: ['email'], byName: false },
      { name: 'paid_with', kinds: ['card'], byName: false },
      { name: 'signup_ip', kinds: ['ip'], byName: true },
    ]);
    const names = await scanDataFile(PARQUET, { parquetBytes: 600 });
    assert.equal(names?.namesOnly, true);
    assert.deepEqual(
      names?.columns.map((c) => c.name),
      ['signup_ip'],
      'only what the names say',
    );
  });

  it('scans the data files among many, and reports the ones it cannot read', async () => {
    const good = write('a.csv', 'email\nada@example.com\n');
    const bad = write('broken.jsonl', '{"email": "ada@example.com"\nnot json\n');
    const code = write('train.py', 'print("ada@example.com")\n');
    const clean = write('b.csv', 'x\n1\n');
    const seen: string[] = [];
    const r = await scanDataFiles([good, bad, code, clean], { onFile: (f) => seen.push(path.basename(f)) });
    assert.deepEqual(seen, ['a.csv', 'broken.jsonl', 'b.csv'], 'only data files are read');
    assert.deepEqual(
      r.flagged.map((f) => path.basename(f.file)),
      ['a.csv'],
    );
    assert.equal(r.scanned, 2);
    assert.equal(r.failed.length, 1);
    assert.match(r.failed[0].reason, /not valid JSON/);
    const capped = await scanDataFiles([good, clean, good], { maxFiles: 2 });
    assert.equal(capped.notScanned, 1);
  });
});
