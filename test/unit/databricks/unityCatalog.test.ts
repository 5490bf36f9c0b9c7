// Pure parts of the Unity Catalog and Files API clients: volume paths (escaped a segment at a time,
// never climbing out), the defaults for fields a server leaves out, and the SQL written for tables.
import assert from 'node:assert/strict';
import { FerryError } from '../../../src/core/errors';
import { NO_WAREHOUSE_RUNNER } from '../../../src/databricks/sqlWarehouseRunner';
import { quoteUcIdent, ucPreviewSql, ucSelectSql } from '../../../src/databricks/ucSql';
import { toColumn, toTable } from '../../../src/databricks/unityCatalog';
import { encodeVolumePath, joinVolumePath, parentOf, volumeSegments } from '../../../src/databricks/volumeFiles';

describe('Unity Catalog and volume paths (pure)', () => {
  it('escapes each segment of a volume path and keeps the slashes', () => {
    assert.equal(encodeVolumePath('/Volumes/main/sales/raw/in #1/data ü%?.csv'), '/Volumes/main/sales/raw/in%20%231/data%20%C3%BC%25%3F.csv');
    assert.equal(encodeVolumePath('/Volumes/main/sales/raw/'), '/Volumes/main/sales/raw');
  });

  it('refuses paths that are not on a volume or that have dot segments', () => {
    assert.throws(() => volumeSegments('/Workspace/Users/x'), /not a volume path/);
    assert.throws(() => volumeSegments('/Volumes/main/sales'), /not a volume path/);
    assert.throws(() => volumeSegments('/Volumes/main/sales/raw/../../other/v'), /"\." or "\.\." segment/);
    assert.throws(() => volumeSegments('Volumes/main/sales/raw'), /not a volume path/);
  });

  it('joins and splits volume paths with "/" only', () => {
    assert.equal(joinVolumePath('/Volumes/a/b/c/', '/x/y.csv'), '/Volumes/a/b/c/x/y.csv');
    assert.equal(parentOf('/Volumes/a/b/c/x/y.csv'), '/Volumes/a/b/c/x');
    assert.equal(parentOf('/Volumes/a/b/c/x/'), '/Volumes/a/b/c');
  });

  it('defaults what a server leaves out of a column: position from the order, nullable true, type_name from type_text', () => {
    assert.deepEqual(toColumn({ name: 'id', type_text: 'bigint' }, 0), {
      name: 'id',
      typeText: 'bigint',
      typeName: 'BIGINT',
      position: 0,
      nullable: true,
      partitionIndex: undefined,
      comment: undefined,
    });
    assert.equal(toColumn({ name: 'p', type_text: 'date', partition_index: 0, position: 4, nullable: false }, 1).partitionIndex, 0);
    assert.equal(toColumn({ name: 'p', type_text: 'date', position: '2' }, 1).position, 2, 'numbers sent as strings are read too');
  });

  it('sorts columns by position and builds a full name when the server gave none', () => {
    const t = toTable({
      name: 't',
      catalog_name: 'c',
      schema_name: 's',
      columns: [
        { name: 'b', type_text: 'int', position: 1 },
        { name: 'a', type_text: 'int', position: 0 },
      ],
    });
    assert.equal(t.fullName, 'c.s.t');
    assert.equal(t.tableType, 'MANAGED');
    assert.deepEqual(
      t.columns?.map((c) => c.name),
      ['a', 'b'],
    );
    assert.equal(toTable({ name: 't', omitted: true }).columns, undefined, 'no columns key: not loaded, rather than none');
  });
});

describe('SQL for Unity Catalog tables (pure)', () => {
  it('quotes names with backticks only when needed, doubling a backtick inside', () => {
    assert.equal(quoteUcIdent('orders'), 'orders');
    assert.equal(quoteUcIdent('order items'), '`order items`');
    assert.equal(quoteUcIdent('we`ird'), '`we``ird`');
    assert.equal(quoteUcIdent('2024_sales'), '`2024_sales`');
  });

  it('writes the preview and a SELECT naming every column, partition keys marked', () => {
    const t = toTable({
      name: 'daily sales',
      catalog_name: 'main',
      schema_name: 'sales',
      columns: [
        { name: 'id', type_text: 'bigint' },
        { name: 'day', type_text: 'date', partition_index: 0 },
      ],
    });
    assert.equal(ucPreviewSql(t), 'SELECT * FROM main.sales.`daily sales` LIMIT 100');
    assert.equal(ucSelectSql(t), 'SELECT\n  id,\n  day -- partition key\nFROM main.sales.`daily sales`\nLIMIT 100;\n');
    const first = toTable({
      name: 't',
      catalog_name: 'c',
      schema_name: 's',
      columns: [
        { name: 'day', type_text: 'date', partition_index: 0 },
        { name: 'id', type_text: 'int' },
      ],
    });
    assert.equal(ucSelectSql(first), 'SELECT\n  day, -- partition key\n  id\nFROM c.s.t\nLIMIT 100;\n');
  });
});

describe('SQL on a warehouse before one is connected', () => {
  it('runs nothing and says to choose a SQL warehouse, offering the SQL in an editor instead', async () => {
    const sql = ucPreviewSql({ catalogName: 'main', schemaName: 'sales', name: 'orders' });
    await assert.rejects(NO_WAREHOUSE_RUNNER.runStatement({ sql, title: 'Preview main.sales.orders' }), (err: unknown) => {
      assert.ok(err instanceof FerryError);
      assert.equal(err.kind, 'config');
      assert.match(err.message, /Choose a SQL warehouse/);
      assert.equal(err.actions[0].command, 'ferry.catalog.generateSelect');
      assert.equal((err.actions[0].args?.[0] as { sql: string }).sql, 'SELECT * FROM main.sales.orders LIMIT 100');
      return true;
    });
  });
});
