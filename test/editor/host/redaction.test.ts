// Issue 14 hole 5, inside the real editor: notebook cell outputs (saved in the .ipynb) carry no
// secret. Text and error outputs are redacted; a table's cells are the user's data and stay.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { toNotebookOutputs } from '../../../src/run/notebookOutputs';

const PAT = 'dapi0123456789abcdef0123456789abcdef';
const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzcC0xMjMifQ.c2lnbmF0dXJlLWJ5dGVzLWhlcmU';

describe('notebook outputs are redacted (issue 14 hole 5)', () => {
  it('stdout and errors lose their secrets; the rest of the text stays', () => {
    const outputs = toNotebookOutputs([
      { kind: 'text', text: `connecting with token ${PAT}\ndone` },
      {
        kind: 'error',
        summary: `PermissionError: refused {"accessToken":"${JWT}"}`,
        traceback: `Traceback (most recent call last):\n  File "x.py", line 3\nPermissionError: Bearer ${JWT}`,
        frames: [],
      },
      { kind: 'table', columns: [{ name: 'note', type: 'string' }], rows: [['plain cell']] },
    ]);
    const decoded = outputs.flatMap((o) => o.items.map((i) => ({ mime: i.mime, text: Buffer.from(i.data).toString('utf8') })));
    const all = decoded.map((d) => d.text).join('\n');
    assert.ok(!all.includes(PAT) && !all.includes(JWT.split('.')[1]), all);
    const stdout = decoded.find((d) => d.mime === 'application/vnd.code.notebook.stdout');
    assert.match(stdout?.text ?? '', /connecting with token \*\*\*\ndone/);
    const error = decoded.find((d) => d.mime === 'application/vnd.code.notebook.error');
    const parsed = JSON.parse(error?.text ?? '{}') as { name: string; message: string; stack: string };
    assert.equal(parsed.name, 'PermissionError');
    assert.match(parsed.stack, /File "x\.py", line 3/);
    assert.ok(decoded.some((d) => d.mime === 'text/html' && d.text.includes('plain cell')));
    assert.ok(vscode.NotebookCellOutputItem, 'the real editor API');
  });
});
