"""`handbook fill`: a form pre-filled from a YAML file of values (a contract for a customer)."""

from __future__ import annotations

import difflib
from pathlib import Path

from .errors import Problem, ProjectInvalid
from .model import Form, FormField, Project
from .render.form_layout import approval_field_names
from .sourcemap import SourceMap
from .yamlsource import YamlProblems, load_file

_ONE_VALUE = "write the value on one line, or several lines as a block after `|`"


def read_values(project: Project, form: Form, path: Path, display: str) -> dict[str, object]:
    """Read and check field values for a form; every problem is reported with its line."""
    try:
        document = load_file(path, display)
    except YamlProblems as exc:
        raise ProjectInvalid(exc.problems) from None
    data = document.data
    if not isinstance(data, dict):
        raise ProjectInvalid([Problem(document.source.value(()),
                                      "expected `field-id: value` lines",
                                      "write one `field-id: value` per line")])
    fields = {f.name: f for f in form.all_fields()}
    allowed = list(fields) + approval_field_names(form)
    problems = []
    for key, value in data.items():
        if key not in allowed:
            close = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.5)
            problems.append(Problem(document.source.key((key,)),
                                    f"form `{form.id}` has no field `{key}`",
                                    f"did you mean `{close[0]}`?" if close else
                                    "fields: " + ", ".join(allowed)))
        elif key in fields and fields[key].type == "table":
            problems += _table_problems(fields[key], key, value, document.source)
        else:
            problems += _value_problems(fields.get(key), key, value,
                                        document.source.value((key,)))
    if problems:
        raise ProjectInvalid(problems)
    return dict(data)


def _value_problems(form_field: FormField | None, key: str, value: object, location
                    ) -> list[Problem]:
    """What is wrong with the value of a field that is not a table (an approval box when
    form_field is None)."""
    if isinstance(value, (list, dict)):
        return [Problem(location, f"`{key}` takes one value, not a "
                                  f"{'list' if isinstance(value, list) else 'mapping'}",
                        _ONE_VALUE)]
    if form_field is None:
        return []
    if form_field.type == "choice" and str(value) not in form_field.options:
        return [Problem(location, f"`{value}` is not an option of `{key}`",
                        "use one of: " + "、".join(form_field.options))]
    if form_field.type == "checkbox" and not isinstance(value, bool):
        return [Problem(location, f"`{key}` is a checkbox", "write true or false")]
    return []


def _table_problems(form_field: FormField, key: str, rows: object, source: SourceMap
                    ) -> list[Problem]:
    """What is wrong with the rows given for a table field."""
    hint = "each row a list of cells or a mapping column → value"
    if not isinstance(rows, list):
        return [Problem(source.value((key,)), f"`{key}` is a table: give a list of rows", hint)]
    labels = [column.label for column in form_field.columns]
    problems = []
    for index, row in enumerate(rows):
        where = f"row {index + 1} of `{key}`"
        location = source.value((key, index))
        if isinstance(row, list):
            if len(row) > len(labels):
                problems.append(Problem(location, f"{where} has {len(row)} cells, the table has "
                                        f"{len(labels)} columns", "columns: " + "、".join(labels)))
            cells = [((key, index, n), cell) for n, cell in enumerate(row)]
        elif isinstance(row, dict):
            problems += [Problem(source.key((key, index, name)), f"{where}: the table has no "
                                 f"column `{name}`", "columns: " + "、".join(labels))
                         for name in row if name not in labels]
            cells = [((key, index, name), cell) for name, cell in row.items()]
        else:
            problems.append(Problem(location, f"{where} is `{row}`, not a row", hint))
            continue
        problems += [Problem(source.value(path), f"a cell of {where} takes one value, not a "
                             f"{'list' if isinstance(cell, list) else 'mapping'}", _ONE_VALUE)
                     for path, cell in cells if isinstance(cell, (list, dict))]
    return problems
