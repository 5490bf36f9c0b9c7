# The Databricks stand-in's execution-context driver: one persistent Python process per 1.2
# context. Commands arrive as JSON lines on stdin; results leave as JSON lines on fd 3 (so user
# code printing to stdout cannot corrupt the protocol). Results follow the 1.2 `results` shape:
# text (captured stdout/stderr plus the repr of a last expression), table (display(df)), image /
# images (matplotlib figures as data URLs) and error (HTML summary, ANSI traceback in cause).
# SIGINT interrupts a running command (KeyboardInterrupt) and is reported as "cancelled".
import ast
import base64
import html
import io
import json
import linecache
import math
import os
import sys
import traceback

RESULT = os.fdopen(3, 'w', encoding='utf-8')
# Commands come on the real stdin; user code sees an empty one (input() raises EOFError instead
# of swallowing the next command).
COMMANDS = sys.stdin
sys.stdin = io.StringIO('')
# A real cluster caps table results at 10,000 rows or 2 MB (the stand-in's outputCaps.ts applies both).
ROW_LIMIT = 10000
RED = '\x1b[0;31m'
GREEN = '\x1b[0;32m'
CYAN = '\x1b[0;36m'
BOLD_GREEN = '\x1b[1;32m'
RESET = '\x1b[0m'

ns = {'__name__': '__main__', '__builtins__': __builtins__}
pending = {'table': None, 'images': []}


def _spark_type(dtype):
    kind = getattr(dtype, 'kind', 'O')
    name = str(dtype)
    if kind == 'b':
        return 'boolean'
    if kind in 'iu':
        return 'integer' if name in ('int8', 'int16', 'int32', 'uint8', 'uint16') else 'long'
    if kind == 'f':
        return 'float' if name == 'float32' else 'double'
    if kind == 'M':
        return 'timestamp'
    if kind == 'm':
        return 'string'
    return 'string'


def _cell(v):
    if v is None:
        return None
    if hasattr(v, 'item') and not isinstance(v, (str, bytes)):
        try:
            v = v.item()
        except Exception:
            pass
    if isinstance(v, float) and (math.isnan(v) or math.isinf(v)):
        return None
    if isinstance(v, (bool, int, float, str)):
        return v
    if hasattr(v, 'isoformat'):
        try:
            if v != v:  # NaT
                return None
        except Exception:
            pass
        return v.isoformat()
    return str(v)


def _is_pandas(obj, cls):
    t = type(obj)
    return t.__module__.startswith('pandas') and any(c.__name__ == cls for c in t.__mro__)


def _figure_png(fig):
    buf = io.BytesIO()
    fig.savefig(buf, format='png', bbox_inches='tight')
    return 'data:image/png;base64,' + base64.b64encode(buf.getvalue()).decode('ascii')


def display(obj=None, *args, **kwargs):
    """Databricks' display(): a pandas DataFrame/Series becomes a table result, a figure an image."""
    if isinstance(obj, _StandInDataFrame):
        obj = obj.toPandas()
    if _is_pandas(obj, 'Series'):
        obj = obj.to_frame()
    if _is_pandas(obj, 'DataFrame'):
        head = obj.head(ROW_LIMIT)
        schema = [{'name': str(c), 'type': json.dumps(_spark_type(t)), 'metadata': '{}'} for c, t in zip(head.columns, head.dtypes)]
        rows = [[_cell(v) for v in row] for row in head.itertuples(index=False, name=None)]
        pending['table'] = {'resultType': 'table', 'data': rows, 'schema': schema, 'isJsonSchema': True, 'truncated': len(obj) > ROW_LIMIT}
        return
    if type(obj).__name__ == 'Figure' and hasattr(obj, 'savefig'):
        pending['images'].append(_figure_png(obj))
        try:
            import matplotlib.pyplot as plt
            plt.close(obj)
        except Exception:
            pass
        return
    print(repr(obj))


def displayHTML(h):
    print(h)


ns['display'] = display
ns['displayHTML'] = displayHTML


# A stand-in for the `spark` session a Databricks notebook has, for the SQL that notebooks run
# (%sql cells go through spark.sql). This is NOT Spark: it runs SQL with SQLite over the tables
# that user code registered with createOrReplaceTempView, and hands back pandas data. It has the
# few calls that SQL cells and simple notebooks make: sql, table, createDataFrame, and a
# DataFrame with toPandas, limit, count, columns, show and createOrReplaceTempView.
class _StandInDataFrame:
    # How many times rows were read (toPandas, count, show): tests check that listing a session's
    # variables reads none, as listing a real Spark DataFrame must not run a job.
    evaluations = 0

    def __init__(self, session, pdf):
        self._session = session
        self._pdf = pdf

    @property
    def columns(self):
        return [str(c) for c in self._pdf.columns]

    @property
    def dtypes(self):
        '''Spark's (name, type) pairs, from the schema alone.'''
        return [(str(c), _spark_type(t).replace('long', 'bigint').replace('integer', 'int')) for c, t in zip(self._pdf.columns, self._pdf.dtypes)]

    def toPandas(self):
        _StandInDataFrame.evaluations += 1
        return self._pdf.copy()

    def limit(self, n):
        return _StandInDataFrame(self._session, self._pdf.head(n))

    def count(self):
        _StandInDataFrame.evaluations += 1
        return len(self._pdf)

    def createOrReplaceTempView(self, name):
        self._session._register(name, self._pdf)

    def show(self, n=20, truncate=True):
        _StandInDataFrame.evaluations += 1
        print(self._pdf.head(n).to_string(index=False))

    def __repr__(self):
        return 'DataFrame[' + ', '.join(f'{c}: {t}' for c, t in zip(self._pdf.columns, self._pdf.dtypes)) + ']'


class _StandInSpark:
    '''The stand-in's `spark`: SQL over SQLite (see above).'''

    def __init__(self):
        self._conn = None

    def _db(self):
        if self._conn is None:
            import sqlite3
            self._conn = sqlite3.connect(':memory:')
        return self._conn

    def _register(self, name, pdf):
        pdf.to_sql(str(name), self._db(), if_exists='replace', index=False)

    def createDataFrame(self, data, schema=None):
        import pandas as pd
        pdf = data if _is_pandas(data, 'DataFrame') else pd.DataFrame(data, columns=schema)
        return _StandInDataFrame(self, pdf)

    def sql(self, query):
        import pandas as pd
        cur = self._db().execute(query)
        if cur.description is None:
            self._db().commit()
            return _StandInDataFrame(self, pd.DataFrame())
        names = [d[0] for d in cur.description]
        return _StandInDataFrame(self, pd.DataFrame(cur.fetchall(), columns=names))

    def table(self, name):
        return self.sql('SELECT * FROM "' + str(name).replace('"', '""') + '"')


ns['spark'] = _StandInSpark()


def _open_figures():
    plt = sys.modules.get('matplotlib.pyplot')
    if plt is None:
        return []
    out = []
    for num in plt.get_fignums():
        out.append(_figure_png(plt.figure(num)))
    plt.close('all')
    return out


def _frame_text(filename, lineno, name):
    where = f'File {GREEN}{filename}:{lineno}{RESET}'
    if name != '<module>':
        where += f', in {CYAN}{name}{RESET}()'
    lines = [where]
    src = linecache.getlines(filename)
    for n in range(max(1, lineno - 2), min(len(src), lineno + 1) + 1):
        text = src[n - 1].rstrip('\n')
        if n == lineno:
            lines.append(f'{GREEN}----> {n}{RESET} {text}')
        else:
            lines.append(f'{BOLD_GREEN}{n:>7}{RESET} {text}')
    return '\n'.join(lines)


def _error_result(exc):
    name = type(exc).__name__
    message = str(exc)
    summary = f"<span class='ansi-red-fg'>{html.escape(name)}</span>: {html.escape(message)}"
    if isinstance(exc, SyntaxError):
        cause = ''.join(traceback.format_exception_only(type(exc), exc))
        cause = cause.replace(f'{name}:', f'{RED}{name}{RESET}:', 1)
        return {'resultType': 'error', 'summary': summary, 'cause': cause}
    frames = traceback.extract_tb(exc.__traceback__)
    # Drop the driver's own frames; keep user code and the libraries it called.
    frames = [f for f in frames if f.filename != __file__]
    parts = [f'{RED}---------------------------------------------------------------------------{RESET}',
             f'{RED}{name}{RESET}                         Traceback (most recent call last)']
    body = [_frame_text(f.filename, f.lineno or 0, f.name) for f in frames]
    text = '\n'.join(parts) + '\n' + '\n\n'.join(body) + f'\n\n{RED}{name}{RESET}: {message}'
    return {'resultType': 'error', 'summary': summary, 'cause': text}


def run(cmd):
    code = cmd['code']
    filename = cmd.get('file') or '<command>'
    linecache.cache[filename] = (len(code), None, [line + '\n' for line in code.split('\n')], filename)
    pending['table'] = None
    pending['images'] = []
    captured = io.StringIO()
    old_out, old_err = sys.stdout, sys.stderr
    sys.stdout = sys.stderr = captured
    value = None
    try:
        try:
            tree = ast.parse(code, filename=filename, mode='exec')
            last = tree.body[-1] if tree.body and isinstance(tree.body[-1], ast.Expr) else None
            if last is not None:
                tree.body = tree.body[:-1]
            exec(compile(tree, filename, 'exec'), ns)
            if last is not None:
                value = eval(compile(ast.Expression(last.value), filename, 'eval'), ns)
                if value is not None:
                    ns['_'] = value
        finally:
            sys.stdout, sys.stderr = old_out, old_err
    except KeyboardInterrupt:
        _open_figures()
        return {'type': 'cancelled'}
    except BaseException as exc:  # noqa: BLE001 - user code may raise anything, SystemExit included
        _open_figures()
        return {'type': 'result', 'results': _error_result(exc)}
    images = _open_figures()
    images = pending['images'] + images
    if pending['table'] is not None:
        return {'type': 'result', 'results': pending['table']}
    if len(images) == 1:
        return {'type': 'result', 'results': {'resultType': 'image', 'fileName': images[0]}}
    if images:
        return {'type': 'result', 'results': {'resultType': 'images', 'fileNames': images}}
    text = captured.getvalue()
    if value is not None:
        text += repr(value)
    return {'type': 'result', 'results': {'resultType': 'text', 'data': text}}


def main():
    RESULT.write(json.dumps({'type': 'ready', 'python': sys.version.split()[0]}) + '\n')
    RESULT.flush()
    while True:
        try:
            line = COMMANDS.readline()
        except KeyboardInterrupt:
            continue
        if not line:
            return
        try:
            cmd = json.loads(line)
        except ValueError:
            continue
        try:
            out = run(cmd)
        except KeyboardInterrupt:
            out = {'type': 'cancelled'}
        out['id'] = cmd.get('id')
        while True:
            try:
                RESULT.write(json.dumps(out) + '\n')
                RESULT.flush()
                break
            except KeyboardInterrupt:
                continue


if __name__ == '__main__':
    main()
