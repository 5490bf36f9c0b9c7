# Runs a workspace notebook (SOURCE format, cells split by '# COMMAND ----------') for the
# Databricks stand-in's notebook_task, cell by cell in one namespace, with a small dbutils
# (notebook.exit, widgets) and display(). argv: the notebook's source file, the file for the exit
# value, and the file for the cells with their results (what runs/export shows). A failing cell
# stops the notebook: its traceback goes to stderr and the process exits 1.
import io
import json
import os
import sys
import traceback

source_file, result_file, cells_file = sys.argv[1], sys.argv[2], sys.argv[3]
widgets = json.loads(os.environ.get('FERRY_WIDGETS') or '{}')
SEPARATOR = '# COMMAND ----------'


class _NotebookExit(Exception):
    pass


class _Notebook:
    def exit(self, value):
        with open(result_file, 'w', encoding='utf-8') as f:
            f.write(str(value))
        raise _NotebookExit()


class _Widgets:
    def get(self, name):
        if name not in widgets:
            raise ValueError(f'InputWidgetNotDefined: No input widget named {name} is defined')
        return widgets[name]

    def text(self, name, default='', label=None):
        widgets.setdefault(name, default)

    def getArgument(self, name, default=None):
        return widgets.get(name, default)


class _DBUtils:
    notebook = _Notebook()
    widgets = _Widgets()


class _Cell:
    """What one cell printed and displayed, in order."""

    def __init__(self):
        self.parts = []
        self.text = io.StringIO()

    def flush_text(self):
        text = self.text.getvalue()
        if text:
            self.parts.append({'type': 'raw', 'data': text})
        self.text = io.StringIO()

    def results(self):
        self.flush_text()
        if not self.parts:
            return None
        return self.parts[0] if len(self.parts) == 1 else {'type': 'listResults', 'data': self.parts}


class _Tee:
    """Writes to the cell's capture and to the real stream (the task's log)."""

    def __init__(self, stream):
        self.stream = stream
        self.cell = None

    def write(self, s):
        if self.cell is not None:
            self.cell.text.write(s)
        return self.stream.write(s)

    def flush(self):
        self.stream.flush()


stdout, stderr = _Tee(sys.stdout), _Tee(sys.stderr)
sys.stdout, sys.stderr = stdout, stderr


def display(obj=None, *args, **kwargs):
    cell = stdout.cell
    if cell is not None and hasattr(obj, 'columns') and hasattr(obj, 'values'):
        cell.flush_text()
        rows = [[None if v is None else v if isinstance(v, (int, float, str, bool)) else str(v) for v in row] for row in obj.head(10000).values.tolist()]
        cell.parts.append({'type': 'table', 'data': rows, 'schema': [{'name': str(c), 'type': str(t)} for c, t in zip(obj.columns, obj.dtypes)]})
        return
    print(obj)


def split_cells(text):
    cells, current = [], []
    for line in text.split('\n'):
        if line.strip() == SEPARATOR:
            cells.append('\n'.join(current).strip('\n'))
            current = []
        else:
            current.append(line)
    cells.append('\n'.join(current).strip('\n'))
    return cells


with open(source_file, encoding='utf-8') as f:
    cell_sources = split_cells(f.read())

ns = {'__name__': '__main__', 'dbutils': _DBUtils(), 'display': display, 'getArgument': _Widgets().getArgument}
commands = [{'command': src, 'position': i + 1, 'results': None} for i, src in enumerate(cell_sources)]
failed = None
try:
    for i, src in enumerate(cell_sources):
        lines = src.split('\n')
        magic = [ln[len('# MAGIC'):].lstrip() for ln in lines if ln.startswith('# MAGIC')]
        code = '\n'.join(ln for ln in lines if not ln.startswith('# MAGIC'))
        if magic and not code.strip():
            # %md is text; other magics (%sql, %pip, %sh) are not run by the stand-in.
            if not magic[0].startswith('%md'):
                commands[i]['results'] = {'type': 'raw', 'data': f'({magic[0].split()[0]} cells are not run by the Ferry Databricks stand-in)\n'}
            continue
        cell = _Cell()
        stdout.cell = stderr.cell = cell
        try:
            exec(compile(code, f'<command-{i + 1}>', 'exec'), ns)
        except _NotebookExit:
            commands[i]['results'] = cell.results()
            break
        except BaseException as e:
            stdout.cell = stderr.cell = None
            trace = traceback.format_exc()
            cell.flush_text()
            summary = f'{type(e).__name__}: {e}'
            cell.parts.append({'type': 'error', 'data': trace, 'summary': summary, 'cause': trace})
            commands[i]['results'] = cell.results()
            failed = trace
            break
        finally:
            stdout.cell = stderr.cell = None
        commands[i]['results'] = cell.results()
finally:
    with open(cells_file, 'w', encoding='utf-8') as f:
        json.dump(commands, f)

if failed is not None:
    sys.stderr.write(failed)
    sys.exit(1)
