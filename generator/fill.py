"""`handbook fill`: a form pre-filled from a YAML file of values (a contract for a customer).

Values are checked by the kind of their field (a number in digits, a date in any common
written form, one of a choice's options, rows of a table) and printed as offices write
them: dates as 2026年3月1日, money with 元 and in capitals (人民币大写).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from pathlib import Path

from . import zh_values
from .errors import Location, Problem, ProjectInvalid
from .model import Form, FormColumn, FormField, Project
from .render.form_layout import approval_field_names
from .sourcemap import SourceMap
from .yamlsource import YamlProblems, load_file

_ONE_VALUE = "write the value on one line, or several lines as a block after `|`"
SIGNED_BY_HAND = ("signature",)
"""Kinds left blank on a filled form even when required: they are signed on paper."""


def read_values(project: Project, form: Form, path: Path, display: str,
                partial: bool = False) -> dict[str, object]:
    """Read and check field values for a form, normalised for printing; every problem is
    reported with its line. Required fields must be given unless `partial`."""
    try:
        document = load_file(path, display)
    except YamlProblems as exc:
        raise ProjectInvalid(exc.problems) from None
    data = document.data
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ProjectInvalid([Problem(document.source.value(()),
                                      "expected `field-id: value` lines",
                                      "write one `field-id: value` per line")])
    fields = {f.name: f for f in form.all_fields()}
    allowed = list(fields) + approval_field_names(form)
    problems: list[Problem] = []
    result: dict[str, object] = {}
    for key, value in data.items():
        if key in allowed and _blank(value):
            continue  # left blank: printed blank (or with the company's prefilled value)
        if key not in allowed:
            close = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.5)
            problems.append(Problem(document.source.key((key,)),
                                    f"form `{form.id}` has no field `{key}`",
                                    f"did you mean `{close[0]}`?" if close else
                                    "fields: " + ", ".join(allowed)))
        elif key in fields and fields[key].type == "table":
            found, result[key] = _table(fields[key], key, value, document.source)
            problems += found
        else:
            found, result[key] = _value(fields.get(key), key, value,
                                        document.source.value((key,)))
            problems += found
    if not partial:
        problems += _missing(form, data, _end_of(document.source, path))
    if problems:
        raise ProjectInvalid(problems)
    return result


def _end_of(source: SourceMap, path: Path) -> Location:
    """The line after the last one of the values file, where a missing field would go."""
    try:
        lines = path.read_text(encoding="utf-8").count("\n")
    except (OSError, UnicodeDecodeError):
        lines = 0
    return Location(source.file, lines + 1, 1)


def _missing(form: Form, values: dict[str, object], where: Location) -> list[Problem]:
    """A problem for each required field left out or empty."""
    problems = []
    for form_field in form.all_fields():
        if not form_field.required or form_field.type in SIGNED_BY_HAND or form_field.prefill:
            continue
        value = values.get(form_field.name)
        if _blank(value) or value == []:
            problems.append(Problem(where, f"required field `{form_field.name}` "
                                           f"({form_field.label}) has no value",
                                    f"add `{form_field.name}: …`, or fill with --partial "
                                    "to complete it by hand"))
    return problems


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _value(form_field: FormField | None, key: str, value: object, location: Location
           ) -> tuple[list[Problem], object]:
    """The problems with the value of a field that is not a table (an approval box when
    form_field is None), and the value as printed."""
    if isinstance(value, (list, dict)):
        return [Problem(location, f"`{key}` takes one value, not a "
                                  f"{'list' if isinstance(value, list) else 'mapping'}",
                        _ONE_VALUE)], None
    if form_field is None or _blank(value):
        return [], value
    if form_field.type == "choice" and str(value) not in form_field.options:
        return [Problem(location, f"`{value}` is not an option of `{key}`",
                        "use one of: " + "、".join(form_field.options))], None
    if form_field.type == "checkbox" and not isinstance(value, bool):
        return [Problem(location, f"`{key}` is a checkbox", "write true or false")], None
    reader = _READERS.get(form_field.type)
    if reader is None:
        return [], value
    try:
        return [], reader(value)
    except ValueError as exc:
        return [Problem(location, f"`{key}` ({form_field.label}): {exc}",
                        _HINTS[form_field.type])], None


def _date(value: object) -> str:
    return zh_values.date_display(zh_values.read_date(value))


def _datetime(value: object) -> str:
    day, clock = zh_values.read_datetime(value)
    return f"{zh_values.date_display(day)} {clock}".strip()


def _cell_money(value: object) -> str:
    return f"{zh_values.read_money(value):.2f}"


_READERS: dict[str, Callable[[object], object]] = {
    "number": zh_values.read_number,
    "money": zh_values.money_display,
    "date": _date,
    "datetime": _datetime,
}
_CELL_READERS: dict[str, Callable[[object], object]] = {
    **_READERS, "money": _cell_money}
_HINTS = {
    "number": "write the number in digits, e.g. 3",
    "money": "write the amount in yuan with at most two decimals, e.g. 236.50",
    "date": zh_values.DATE_HINT,
    "datetime": zh_values.DATE_HINT + ", and a time as 09:30",
    "checkbox": "write true or false",
}


def _cell(column: FormColumn, where: str, value: object, location: Location
          ) -> tuple[list[Problem], object]:
    """The problems with one cell of a table, and the cell as printed."""
    if isinstance(value, (list, dict)):
        return [Problem(location, f"a cell of {where} takes one value, not a "
                        f"{'list' if isinstance(value, list) else 'mapping'}", _ONE_VALUE)], None
    reader = _CELL_READERS.get(column.type)
    if reader is None or _blank(value):
        return [], value
    try:
        return [], reader(value)
    except ValueError as exc:
        return [Problem(location, f"{where}, {column.label}: {exc}", _HINTS[column.type])], None


def _table(form_field: FormField, key: str, rows: object, source: SourceMap
           ) -> tuple[list[Problem], object]:
    """The problems with the rows given for a table field, and the rows as printed."""
    hint = "each row a list of cells or a mapping column → value"
    if _blank(rows):
        return [], []
    if not isinstance(rows, list):
        return [Problem(source.value((key,)), f"`{key}` is a table: give a list of rows",
                        hint)], None
    columns = {column.label: column for column in form_field.columns}
    labels = list(columns)
    problems: list[Problem] = []
    printed: list[object] = []
    for index, row in enumerate(rows):
        where = f"row {index + 1} of `{key}`"
        if isinstance(row, list):
            if len(row) > len(labels):
                problems.append(Problem(source.value((key, index)), f"{where} has {len(row)} "
                                        f"cells, the table has {len(labels)} columns",
                                        "columns: " + "、".join(labels)))
                continue
            cells = [((key, index, n), form_field.columns[n], cell) for n, cell in enumerate(row)]
        elif isinstance(row, dict):
            problems += [Problem(source.key((key, index, name)), f"{where}: the table has no "
                                 f"column `{name}`", "columns: " + "、".join(labels))
                         for name in row if name not in columns]
            cells = [((key, index, name), columns[name], cell) for name, cell in row.items()
                     if name in columns]
        else:
            problems.append(Problem(source.value((key, index)), f"{where} is `{row}`, not a row",
                                    hint))
            continue
        values = []
        for path, column, cell in cells:
            found, shown = _cell(column, where, cell, source.value(path))
            problems += found
            values.append((path[-1], shown))
        printed.append(dict(values) if isinstance(row, dict) else [v for _, v in values])
    return problems, printed
