# Runs a workspace notebook (SOURCE format, cells split by '# COMMAND ----------') for the
# Databricks stand-in's notebook_task: a small dbutils (notebook.exit, widgets.get) and display()
# are defined; the exit value is written to the result file given as argv[2].
import json
import os
import sys

source_file, result_file = sys.argv[1], sys.argv[2]
widgets = json.loads(os.environ.get('FERRY_WIDGETS') or '{}')


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


def display(obj=None, *args, **kwargs):
    print(obj)


with open(source_file, encoding='utf-8') as f:
    lines = [line for line in f.read().split('\n') if not line.startswith('# MAGIC')]
code = '\n'.join(lines)
ns = {'__name__': '__main__', 'dbutils': _DBUtils(), 'display': display, 'getArgument': _Widgets().getArgument}
try:
    exec(compile(code, source_file, 'exec'), ns)
except _NotebookExit:
    pass
