import assert from 'node:assert/strict';
import { isSqlMagic, sqlToPython, stripSqlMagic } from '../../../src/run/service/sqlCell';

describe('SQL cells → spark.sql', () => {
  it('runs every statement in order and displays the last one', () => {
    assert.equal(
      sqlToPython('CREATE TEMP VIEW v AS SELECT 1 AS x;\nSELECT x FROM v;'),
      ['# Ferry: a SQL cell, run with spark.sql', 'spark.sql("CREATE TEMP VIEW v AS SELECT 1 AS x")', 'display(spark.sql("SELECT x FROM v"))'].join('\n'),
    );
  });

  it('keeps quotes, backslashes, semicolons inside strings and unicode intact (JSON literals are Python literals)', () => {
    const sql = `SELECT 'it''s; fine' AS a, "col;name" AS b, '\\\\d+' AS c, '"""' AS d, 'naïve 日本' AS e -- a comment; with a semicolon\n`;
    const py = sqlToPython(sql);
    const literal = /display\(spark\.sql\((".*")\)\)$/.exec(py)?.[1];
    assert.ok(literal, py);
    assert.equal(JSON.parse(literal), sql.trim(), 'one statement, unchanged');
    assert.doesNotMatch(py, /\n(?!#|display|spark)/, 'no line of user SQL becomes Python code');
  });

  it('runs nothing for an empty or comment-only cell', () => {
    assert.equal(sqlToPython(''), 'pass  # an empty SQL cell');
    assert.equal(sqlToPython('-- only a comment\n'), 'pass  # an empty SQL cell');
  });

  it('recognizes and strips a %sql magic line', () => {
    assert.ok(isSqlMagic('%sql\nSELECT 1'));
    assert.ok(isSqlMagic('  %sql SELECT 1'));
    assert.ok(!isSqlMagic('%sqlx\nSELECT 1'));
    assert.ok(!isSqlMagic('print("%sql")'));
    assert.equal(stripSqlMagic('%sql\nSELECT 1'), 'SELECT 1');
    assert.equal(stripSqlMagic('%sql SELECT 1'), 'SELECT 1');
  });
});
