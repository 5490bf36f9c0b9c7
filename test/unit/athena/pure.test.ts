// Pure pieces of the Athena area: statement splitting, the result CSV parser, cost and facts,
// value conversion, DDL rendering and inference helpers, and the stand-in's DDL parser.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { estimateCostUsd, formatBytes, formatUsd, queryFacts } from '../../../src/aws/athena/cost';
import { athenaCsvRecords } from '../../../src/aws/athena/resultCsv';
import { firstRowIsHeader, parseS3Location } from '../../../src/aws/athena/rowSource';
import { executableText, splitStatements, statementAt } from '../../../src/aws/athena/statements';
import {
  athenaColumnName,
  createTableDdl,
  ddlFromMetadata,
  formatOfKey,
  generateSelectSql,
  partitionKeysOf,
  previewSql,
  quoteIdent,
} from '../../../src/aws/athena/tableDdl';
import { columnTypeOf, convertRow, resultColumns } from '../../../src/aws/athena/values';
import { Catalog } from '../../../sandbox/athena/catalog';
import { athenaType, DdlError, duckType, parseStatement, statementType } from '../../../sandbox/athena/ddl';

describe('athena: statements', () => {
  it('splits on semicolons outside quotes and comments, with offsets', () => {
    const sql = 'SELECT \';\' AS a; -- c; d\nSELECT "x;y" FROM t;\n/* ; */ SELECT 3';
    const parts = splitStatements(sql);
    assert.deepEqual(
      parts.map((p) => p.text),
      ["SELECT ';' AS a", '-- c; d\nSELECT "x;y" FROM t', '/* ; */ SELECT 3'],
    );
    for (const p of parts) assert.equal(sql.slice(p.start, p.end), p.text);
    assert.equal(executableText(parts[1].text), 'SELECT "x;y" FROM t');
  });
  it('finds the statement under the cursor', () => {
    const sql = 'SELECT 1;\n\nSELECT 2;\n';
    assert.equal(statementAt(sql, 2)?.text, 'SELECT 1');
    assert.equal(statementAt(sql, sql.indexOf('2'))?.text, 'SELECT 2');
    assert.equal(statementAt(sql, sql.length)?.text, 'SELECT 2');
  });
  it('ignores a file of only comments', () => {
    assert.deepEqual(splitStatements('-- nothing here;\n/* no */'), []);
  });
});

describe('athena: result CSV parser', () => {
  async function records(text: string, size: number): Promise<unknown[][]> {
    async function* chunks(): AsyncGenerator<Uint8Array> {
      const bytes = new TextEncoder().encode(text);
      for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
    }
    const rows: unknown[][] = [];
    for await (const batch of athenaCsvRecords(chunks())) rows.push(...batch);
    return rows;
  }
  it('tells NULL (empty unquoted) from the empty string (""), across chunk borders', async () => {
    const text = '"a","b","c"\n"1",,""\n"x ""q""","multi\nline","3"\n';
    for (const size of [1, 3, 1000])
      assert.deepEqual(
        await records(text, size),
        [
          ['a', 'b', 'c'],
          ['1', null, ''],
          ['x "q"', 'multi\nline', '3'],
        ],
        `chunks of ${size}`,
      );
  });
  it('ends a last record without a newline', async () => {
    assert.deepEqual(await records('"1","2"', 2), [['1', '2']]);
  });
  it('reads an empty line as a row whose one column is NULL, and multi-byte text split across chunks', async () => {
    assert.deepEqual(await records('"n"\n\n"日本"\n""\n', 1), [['n'], [null], ['日本'], ['']]);
  });
});

describe('athena: values, cost and facts', () => {
  it('maps Athena types and converts strings, keeping NULLs, big integers and decimals exact', () => {
    const cols = resultColumns([
      { Name: 'i', Type: 'bigint' },
      { Name: 'd', Type: 'double' },
      { Name: 'm', Type: 'decimal' },
      { Name: 'b', Type: 'boolean' },
      { Name: 's', Type: 'varchar' },
    ]);
    assert.deepEqual(
      cols.map((c) => c.type),
      ['integer', 'number', 'number', 'boolean', 'string'],
    );
    assert.deepEqual(convertRow(['9007199254740993', '1.5', '10.10', 'true', null], cols), ['9007199254740993', 1.5, '10.10', true, null]);
    assert.equal(columnTypeOf('timestamp with time zone'), 'timestamp');
    assert.equal(columnTypeOf('array(integer)'), 'json');
  });
  it('estimates cost with the minimum billed per query', () => {
    const s = { costPerTerabyteUsd: 5, minimumBilledMegabytes: 10 };
    assert.equal(estimateCostUsd(0, s), 0);
    assert.equal(estimateCostUsd(1, s), estimateCostUsd(10 * 1024 * 1024, s));
    assert.equal(estimateCostUsd(1024 ** 4, s), 5);
    assert.equal(formatUsd(5), '$5.00');
    assert.equal(formatBytes(1536), '1.50 KB');
    const facts = queryFacts({ Status: { State: 'SUCCEEDED' }, Statistics: { DataScannedInBytes: 2 * 1024 ** 4, EngineExecutionTimeInMillis: 1500 } }, s);
    assert.deepEqual(facts.slice(0, 4), [
      { label: 'State', value: 'SUCCEEDED' },
      { label: 'Data scanned', value: '2.00 TB' },
      { label: 'Cost estimate', value: '$10.00' },
      { label: 'Engine time', value: '1.5 s' },
    ]);
  });
  it('skips a header row only for DML results', () => {
    assert.equal(firstRowIsHeader('DML'), true);
    assert.equal(firstRowIsHeader('DDL'), false);
    assert.equal(firstRowIsHeader('UTILITY'), false);
    assert.deepEqual(parseS3Location('s3://b/results/x.csv'), { bucket: 'b', key: 'results/x.csv' });
    assert.throws(() => parseS3Location('https://b/x'));
  });
});

describe('athena: names and DDL', () => {
  it('quotes identifiers only when needed, and escapes quotes', () => {
    assert.equal(quoteIdent('sales'), 'sales');
    assert.equal(quoteIdent('Order Date'), '"Order Date"');
    assert.equal(quoteIdent('a"b'), '"a""b"');
    assert.equal(previewSql('db', 'my-table'), 'SELECT * FROM db."my-table" LIMIT 100');
    assert.match(
      generateSelectSql('db', { Name: 't', Columns: [{ Name: 'a' }], PartitionKeys: [{ Name: 'dt' }] }),
      /SELECT\n {2}a,\n {2}dt\nFROM db\.t\nLIMIT 100;/,
    );
  });
  it('rebuilds DDL from table metadata, partitions included, without injection through comments', () => {
    const ddl = ddlFromMetadata('db', {
      Name: 't',
      Columns: [{ Name: 'a', Type: 'bigint', Comment: "it's" }],
      PartitionKeys: [{ Name: 'dt', Type: 'string' }],
      Parameters: { location: 's3://b/t/', 'field.delim': ',', classification: 'csv', 'skip.header.line.count': '1' },
    });
    assert.match(ddl, /CREATE EXTERNAL TABLE `db`\.`t` \(\n {2}`a` bigint COMMENT 'it\\'s'\n\)/);
    assert.match(ddl, /PARTITIONED BY \(\n {2}`dt` string\n\)/);
    assert.match(ddl, /LOCATION 's3:\/\/b\/t\/'/);
    assert.match(ddl, /'skip.header.line.count'='1'/);
  });
  it('infers names, formats and partition keys for Create Table from S3 Prefix', () => {
    assert.equal(athenaColumnName('Order ID', 0), 'order_id');
    assert.equal(athenaColumnName('2nd', 1), '_2nd');
    assert.equal(athenaColumnName('***', 2), 'col_3');
    assert.equal(formatOfKey('a/b.PARQUET'), 'parquet');
    assert.equal(formatOfKey('a/b.jsonl'), 'json');
    assert.equal(formatOfKey('a/b.bin'), undefined);
    assert.deepEqual(partitionKeysOf('p/', 'p/year=2024/month=01/x.csv'), ['year', 'month']);
    assert.deepEqual(partitionKeysOf('p/', 'p/plain/x.csv'), []);
    const ddl = createTableDdl({
      database: 'db',
      table: 'sales',
      location: "s3://b/p'/",
      format: 'json',
      columns: [
        { name: 'n', type: 'integer' },
        { name: 'when', type: 'timestamp' },
      ],
      partitionKeys: ['year'],
    });
    assert.match(ddl, /`n` bigint,\n {2}`when` timestamp/);
    assert.match(ddl, /JsonSerDe/);
    assert.match(ddl, /LOCATION 's3:\/\/b\/p\\'\/'/);
    assert.match(ddl, /MSCK REPAIR TABLE db\.sales;/);
    const pq = createTableDdl({
      database: 'db',
      table: 't',
      location: 's3://b/',
      format: 'parquet',
      columns: [{ name: 'x', type: 'integer', sourceType: 'INT32' }],
      partitionKeys: [],
    });
    assert.match(pq, /`x` int\n\)\nSTORED AS PARQUET/);
  });
});

describe('athena stand-in: DDL parser', () => {
  it('parses CREATE EXTERNAL TABLE with partitions, serde, location and properties', () => {
    const s = parseStatement(`CREATE EXTERNAL TABLE IF NOT EXISTS \`db\`.\`T\` (
      id bigint COMMENT 'the id', tags array<struct<a:int,b:string>>, price decimal(10,2)
    ) PARTITIONED BY (dt string)
    ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.OpenCSVSerde' WITH SERDEPROPERTIES ('separatorChar' = ';')
    LOCATION 's3://bucket/prefix/' TBLPROPERTIES ('skip.header.line.count'='1');`);
    assert.equal(s.kind, 'createTable');
    if (s.kind !== 'createTable') return;
    assert.equal(s.table.database, 'db');
    assert.equal(s.table.name, 't');
    assert.deepEqual(
      s.table.columns.map((c) => c.type),
      ['bigint', 'array<struct<a:int,b:string>>', 'decimal(10,2)'],
    );
    assert.equal(s.table.columns[0].comment, 'the id');
    assert.deepEqual(
      s.table.partitionKeys.map((c) => c.name),
      ['dt'],
    );
    assert.equal(s.table.format, 'csv');
    assert.equal(s.table.delimiter, ';');
    assert.equal(s.table.tableProperties['skip.header.line.count'], '1');
    assert.equal(statementType(s), 'DDL');
  });
  it('reads delimiters with escapes and Parquet', () => {
    const t = parseStatement("CREATE EXTERNAL TABLE t (a int) ROW FORMAT DELIMITED FIELDS TERMINATED BY '\\t' LOCATION 's3://b/p/'");
    assert.ok(t.kind === 'createTable' && t.table.delimiter === '\t' && t.table.format === 'text');
    const p = parseStatement("CREATE EXTERNAL TABLE t (a int) STORED AS PARQUET LOCATION 's3://b/p/'");
    assert.ok(p.kind === 'createTable' && p.table.format === 'parquet');
  });
  it('classifies SHOW/DESCRIBE as UTILITY and SELECT as DML, and rejects bad input clearly', () => {
    assert.equal(statementType(parseStatement('SHOW TABLES IN db')), 'UTILITY');
    assert.equal(statementType(parseStatement('DESCRIBE db.t')), 'UTILITY');
    assert.equal(statementType(parseStatement('WITH a AS (SELECT 1) SELECT * FROM a')), 'DML');
    assert.throws(() => parseStatement("CREATE EXTERNAL TABLE t (a int) LOCATION 'http://x/'"), DdlError);
    assert.throws(() => parseStatement('CREATE EXTERNAL TABLE t (a int)'), /LOCATION/);
    assert.throws(() => parseStatement("CREATE EXTERNAL TABLE t (a int, a string) LOCATION 's3://b/'"), /more than once/);
    assert.throws(() => parseStatement('INSERT INTO t VALUES (1)'), /not supported/);
    assert.throws(() => parseStatement("CREATE EXTERNAL TABLE t (a int) LOCATION 's3://b/"), /unterminated/);
  });
  it('maps types both ways', () => {
    assert.equal(duckType('varchar(10)'), 'VARCHAR');
    assert.equal(duckType('decimal(10,2)'), 'DECIMAL(10,2)');
    assert.equal(duckType('map<string,int>'), 'VARCHAR');
    assert.deepEqual(athenaType('DECIMAL(10,2)'), { type: 'decimal', precision: 10, scale: 2 });
    assert.equal(athenaType('INTEGER').type, 'integer');
  });
});

describe('athena stand-in: catalog persistence', () => {
  it('keeps databases and tables in the data directory across restarts', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-athena-catalog-'));
    try {
      const one = new Catalog(dir);
      one.createDatabase('kept');
      const parsed = parseStatement("CREATE EXTERNAL TABLE t (a int) PARTITIONED BY (dt string) LOCATION 's3://b/p/'");
      assert.ok(parsed.kind === 'createTable');
      one.putTable('kept', { ...parsed.table, createTime: 1 });
      const two = new Catalog(dir);
      assert.deepEqual(
        two.databases().map((d) => d.name),
        ['default', 'kept'],
      );
      assert.deepEqual(
        two.table('kept', 'T')?.partitionKeys.map((k) => k.name),
        ['dt'],
      );
      assert.deepEqual(
        two.referencedTables('select * from "kept"."t"').map((r) => r.table.name),
        ['t'],
      );
      assert.deepEqual(two.referencedTables('select tt from x'), []);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
