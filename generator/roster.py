"""The roster (花名册): people.yaml, or people.csv / people.xlsx as an HR system exports
them (工号, 姓名, 部门, 岗位, 入职日期), read and checked with located errors."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from . import model, schema
from .discovery import REGULATIONS_DIR
from .discovery import parse as parse_file
from .errors import Location, ProblemSink, display_path, suggest
from .roster_xlsx import XlsxProblem, excel_date, read_rows
from .session import ParseStore

COLUMNS = {"工号": "id", "姓名": "name", "部门": "department", "岗位": "role",
           "入职日期": "joined", "id": "id", "name": "name", "department": "department",
           "role": "role", "joined": "joined"}
"""Column headings (Chinese as exported, or the YAML keys) → field."""
REQUIRED = ("id", "name", "department")
HEADINGS = {"id": "工号", "name": "姓名", "department": "部门", "role": "岗位",
            "joined": "入职日期"}
TABLE_NAMES = ("people.csv", "people.xlsx")
MAX_PEOPLE = 100_000

Record = dict[str, tuple[str, Location]]
"""One person as written: field → (text, where it was written)."""


def load(root: Path, yaml_path: Path | None, project: model.Project, sink: ProblemSink,
         parses: ParseStore | None = None) -> tuple[tuple[model.Person, ...], str | None]:
    """The roster's people (department and role resolved to ids) and its file, or ((), None)
    without one; every mistake goes to sink with its place."""
    folder = root / REGULATIONS_DIR
    tables = [folder / name for name in TABLE_NAMES if (folder / name).is_file()]
    found = ([yaml_path] if yaml_path else []) + tables
    if not found:
        return (), None
    shown = display_path(found[0], root)
    if len(found) > 1:
        sink.error(Location(display_path(found[1], root)), f"a second roster beside {shown}",
                   "keep one of people.yaml, people.csv and people.xlsx")
        return (), shown
    path = found[0]
    if path.suffix in (".yaml", ".yml"):
        records = _yaml_records(path, root, sink, parses)
    else:
        records = table_records(path, shown, sink, COLUMNS, REQUIRED)
    return _people(records, project, sink), shown


def _yaml_records(path: Path, root: Path, sink: ProblemSink, parses: ParseStore | None
                  ) -> list[Record]:
    parsed = parse_file(path, schema.People, root, sink, parses)
    if parsed is None:
        return []
    records = []
    for index, person in enumerate(parsed.data.people):
        record: Record = {}
        for key in HEADINGS:
            value = getattr(person, key)
            if value is not None:
                record[key] = (str(value), parsed.source.value(("people", index, key)))
        records.append(record)
    return records


def table_records(path: Path, shown: str, sink: ProblemSink, columns: dict[str, str],
                  required: tuple[str, ...]) -> list[Record]:
    """Rows of a CSV or XLSX table as records, its first row naming the columns (heading →
    field in `columns`; the first heading of each field is the one hints name)."""
    names = {}
    for heading, key in columns.items():
        names.setdefault(key, heading)
    expected = ", ".join(names.values())
    try:
        rows = read_rows(path) if path.suffix == ".xlsx" else _csv_rows(path)
    except XlsxProblem as exc:
        sink.error(Location(shown), str(exc), "save it again from Excel, or export CSV")
        return []
    except (OSError, UnicodeDecodeError) as exc:
        sink.error(Location(shown), f"cannot read the table: {exc}",
                   "export it as CSV (UTF-8 or GB18030) or XLSX")
        return []
    if not rows:
        sink.error(Location(shown), "the table is empty",
                   f"the first row names the columns: {expected}")
        return []
    line, heading = rows[0]
    fields: dict[int, str] = {}
    for position, (column, text) in enumerate(heading):
        key = columns.get(text.strip())
        if key is None and text.strip():
            hint = suggest(text.strip(), list(columns)) or f"columns: {expected}"
            sink.error(Location(shown, line, column), f"unknown column `{text.strip()}`", hint)
        elif key:
            fields[position] = key
    missing = [names[key] for key in required if key not in fields.values()]
    if missing:
        sink.error(Location(shown, line, 1), "missing column " + "、".join(missing),
                   f"the first row names the columns: {expected}")
        return []
    records = []
    for line, cells in rows[1:MAX_PEOPLE + 1]:
        record = {fields[i]: (_cell(fields[i], text), Location(shown, line, column))
                  for i, (column, text) in enumerate(cells) if i in fields and text.strip()}
        if record:
            records.append(record)
    return records


def _cell(key: str, text: str) -> str:
    return excel_date(text.strip()) if key in ("joined", "date") else text.strip()


def _csv_rows(path: Path) -> list[tuple[int, list[tuple[int, str]]]]:
    """(line, [(column, text)]) of each CSV row; UTF-8 (with or without BOM) or GB18030."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("gb18030")
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            rows.append((number, _split(line)))
    return rows


def _split(line: str) -> list[tuple[int, str]]:
    """The cells of one CSV line with the column each starts at ("" quotes a quote)."""
    cells, position = [], 0
    while True:
        start, text = position, []
        if line[position:position + 1] == '"':
            position += 1
            while position < len(line):
                if line[position] == '"' and line[position + 1:position + 2] == '"':
                    text.append('"')
                    position += 2
                elif line[position] == '"':
                    position += 1
                    break
                else:
                    text.append(line[position])
                    position += 1
        end = line.find(",", position)
        end = len(line) if end < 0 else end
        text.append(line[position:end])
        cells.append((start + 1, "".join(text)))
        if end >= len(line):
            return cells
        position = end + 1


def _people(records: list[Record], project: model.Project, sink: ProblemSink
            ) -> tuple[model.Person, ...]:
    departments = _names(project.departments)
    roles = _names(project.roles)
    people: dict[str, model.Person] = {}
    first: dict[str, Location] = {}
    for record in records:
        missing = [HEADINGS[key] for key in REQUIRED if key not in record]
        if missing:
            where = next(iter(record.values()))[1]
            sink.error(Location(where.file, where.line, 1), "missing " + "、".join(missing),
                       "every person needs 工号, 姓名 and 部门")
            continue
        person_id, where = record["id"]
        if person_id in first:
            sink.error(where, f"工号 `{person_id}` appears twice (first at {first[person_id]})",
                       "each person is listed once")
            continue
        first[person_id] = where
        department = _resolve(record["department"], departments, "department", sink)
        role = _resolve(record["role"], roles, "role", sink) if "role" in record else None
        joined = parse_date(record["joined"], sink) if "joined" in record else None
        if department:
            people[person_id] = model.Person(person_id, record["name"][0], department, role,
                                             joined)
    return tuple(people.values())


def _names(items) -> dict[str, str]:
    """Every id, name and alias of departments or roles → id."""
    names: dict[str, str] = {}
    for item in items:
        for name in (item.id, item.name, *item.aliases):
            names.setdefault(name, item.id)
    return names


def _resolve(written: tuple[str, Location], names: dict[str, str], kind: str,
             sink: ProblemSink) -> str | None:
    text, where = written
    if text in names:
        return names[text]
    word = "部门" if kind == "department" else "岗位"
    sink.error(where, f"unknown {kind} `{text}` ({word})",
               suggest(text, list(names)) or f"use a {kind} id or name from regulations/org.yaml")
    return None


_DATE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]00:00(?::00)?)?$")


def parse_date(written: tuple[str, Location], sink: ProblemSink, label: str = "入职日期"
          ) -> dt.date | None:
    """A date as written in a roster (2026-03-01, 2026/3/1, 2026年3月1日 …); a located
    error in sink and None when it is not one."""
    text, where = written
    match = _DATE.match(text)
    try:
        if match:
            return dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        pass
    sink.error(where, f"{label} `{text}` is not a date", "write YYYY-MM-DD, e.g. 2024-03-01")
    return None
