import assert from 'node:assert/strict';
import { cellAt, cellLanguage, isDatabricksSource, parseCells, stripMagic } from '../../../src/run/service/cells';

describe('run: cell parsing', () => {
  it('splits a file at "# %%" markers, with titles and 0-based line ranges', () => {
    const text = ['import os', '', '# %% Load data', 'x = 1', 'y = 2', '', '', '#%%', 'print(x + y)', ''].join('\n');
    const cells = parseCells(text);
    assert.equal(cells.length, 3);
    assert.deepEqual(
      cells.map((c) => [c.markerLine, c.startLine, c.endLine, c.title, c.code]),
      [
        [0, 0, 0, undefined, 'import os'],
        [2, 3, 4, 'Load data', 'x = 1\ny = 2'],
        [7, 8, 8, undefined, 'print(x + y)'],
      ],
    );
  });

  it('reads Databricks source notebooks (# COMMAND ----------), skipping the header', () => {
    const text = [
      '# Databricks notebook source',
      'a = 1',
      '',
      '# COMMAND ----------',
      '',
      'b = a + 1',
      '',
      '# COMMAND ----------',
      '# MAGIC %md',
      '# MAGIC # Title',
    ].join('\r\n');
    assert.ok(isDatabricksSource(text));
    const cells = parseCells(text);
    assert.equal(cells.length, 3);
    assert.equal(cells[0].code, 'a = 1');
    assert.equal(cells[0].startLine, 1);
    assert.match(cells[1].code, /^\s*b = a \+ 1$/);
    assert.equal(cellLanguage(cells[2].code), 'markdown');
    assert.equal(stripMagic(cells[2].code), '# Title');
  });

  it('a file without markers has no cells; a leading blank region is not a cell', () => {
    assert.deepEqual(parseCells('print(1)\nprint(2)\n'), []);
    const cells = parseCells('\n\n# %%\nx = 1\n');
    assert.equal(cells.length, 1);
    assert.equal(cells[0].code, 'x = 1');
  });

  it('does not take "# %%" inside other text or "# COMMAND" without dashes as markers', () => {
    const cells = parseCells('s = "# %%"\n# COMMAND\n# %%\nz = 3\n');
    assert.equal(cells.length, 2);
    assert.equal(cells[0].code, 's = "# %%"\n# COMMAND');
  });

  it('an empty cell has empty code and finds the cell of a line, marker included', () => {
    const cells = parseCells('# %%\n\n# %%\nq = 1\n');
    assert.equal(cells[0].code, '');
    assert.equal(cellAt(cells, 2)?.index, 1);
    assert.equal(cellAt(cells, 3)?.code, 'q = 1');
    assert.equal(cellAt(cells, 0)?.index, 0);
  });

  it('handles a byte order mark and magic cells for other languages', () => {
    assert.ok(isDatabricksSource('\uFEFF# Databricks notebook source\nx=1'));
    assert.equal(cellLanguage('# MAGIC %sql\n# MAGIC SELECT 1'), 'sql');
    assert.equal(cellLanguage('# MAGIC %scala\n# MAGIC 1'), 'other');
    assert.equal(cellLanguage('x = 1'), 'python');
    assert.equal(stripMagic('# MAGIC %python print(1)'), 'print(1)');
    // A cell after "# COMMAND ----------" usually starts with a blank line before its magic.
    assert.equal(stripMagic('\n# MAGIC %sql\n# MAGIC SELECT 1'), '\nSELECT 1');
  });
});
