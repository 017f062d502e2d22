"""Acknowledgements (签收记录): the register of signed sheets, its import, and who has not yet
confirmed the version in force.

The register is `regulations/acknowledgements.csv` with the columns 工号, 制度, 版本, 日期. A
new major version (1.x → 2.0) is substantive and must be confirmed again by everyone; a minor
one (1.0 → 1.1) is editorial and an earlier confirmation of the same major version stands.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from . import files, readers
from .checks import version_key
from .discovery import REGULATIONS_DIR
from .errors import HandbookError, Location, ProblemSink, ProjectInvalid, display_path, suggest
from .model import Person, Project, Regulation
from .roster import Record, parse_date, table_records

REGISTER = "acknowledgements.csv"
COLUMNS = {"工号": "person", "制度": "regulation", "版本": "version", "日期": "date",
           "签收日期": "date", "person": "person", "regulation": "regulation",
           "version": "version", "date": "date"}
REQUIRED = ("person", "regulation", "version", "date")
HEADER = "工号,制度,版本,日期\n"


@dataclass(frozen=True)
class Ack:
    """One confirmation: this person signed this version of this regulation on this day."""

    person: str
    regulation: str
    version: str
    date: dt.date


@dataclass(frozen=True)
class Status:
    """Who must still confirm a regulation's version in force."""

    regulation: Regulation
    since: str
    """The version whose confirmation counts (the last substantive one)."""
    readers: tuple[Person, ...]
    missing: tuple[Person, ...]

    def as_dict(self) -> dict:
        """Plain data for --json."""
        return {"id": self.regulation.id, "version": self.regulation.version,
                "confirm_since": self.since, "readers": len(self.readers),
                "confirmed": len(self.readers) - len(self.missing),
                "missing": [{"id": p.id, "name": p.name, "department": p.department}
                            for p in self.missing]}


def register_path(root: Path) -> Path:
    """Where the project keeps its register."""
    return Path(root) / REGULATIONS_DIR / REGISTER


def read(project: Project, path: Path, root: Path, sink: ProblemSink,
         known: dict[tuple[str, str, str], Location] | None = None) -> list[Ack]:
    """The confirmations of a CSV or XLSX table, each checked against the roster and the
    regulations; problems (with their places) go to sink. `known` holds the confirmations
    already taken (a repeated one is refused) and is extended."""
    known = {} if known is None else known
    shown = display_path(path, root)
    if not path.is_file():
        sink.error(Location(shown), "no such file", "give the path of a .csv or .xlsx table")
        return []
    numbers = {r.number: r.id for r in project.regulations}
    people = {p.id: p for p in project.people}
    result = []
    for record in table_records(path, shown, sink, COLUMNS, REQUIRED):
        ack = _ack(project, record, numbers, people, sink)
        if ack is None:
            continue
        where = record["person"][1]
        key = (ack.person, ack.regulation, ack.version)
        if key in known:
            sink.error(where, f"{ack.person} already confirmed {ack.regulation} version "
                              f"{ack.version} (at {known[key]})", "each confirmation once")
            continue
        known[key] = where
        result.append(ack)
    return result


def _ack(project: Project, record: Record, numbers: dict[str, str],
         people: dict[str, Person], sink: ProblemSink) -> Ack | None:
    missing = [key for key in REQUIRED if key not in record]
    if missing:
        where = next(iter(record.values()))[1]
        sink.error(Location(where.file, where.line, 1), "missing " + "、".join(missing),
                   "every row needs 工号, 制度, 版本 and 日期")
        return None
    person, where = record["person"]
    if person not in people:
        sink.error(where, f"unknown person `{person}` (工号)",
                   suggest(person, list(people)) or "add them to the roster first")
        return None
    written, where = record["regulation"]
    regulation_id = numbers.get(written, written)
    if regulation_id not in project.regulation_index:
        sink.error(where, f"unknown regulation `{written}`",
                   suggest(written, list(project.regulation_index) + list(numbers))
                   or "write the regulation's id or 文号")
        return None
    regulation = project.regulation(regulation_id)
    version, where = record["version"]
    version = version.removeprefix("v").removeprefix("V")
    versions = [r.version for r in regulation.revisions]
    if version not in versions:
        sink.error(where, f"{regulation_id} has no version `{version}`",
                   "versions: " + ", ".join(versions))
        return None
    date = parse_date(record["date"], sink, "日期")
    return Ack(person, regulation_id, version, date) if date else None


def load_register(project: Project, root: Path) -> list[Ack]:
    """The project's register (empty when there is none); raises ProjectInvalid on mistakes."""
    path = register_path(root)
    if not path.exists():
        return []
    sink = ProblemSink()
    acks = read(project, path, root, sink)
    if sink.has_errors:
        raise ProjectInvalid(sink.problems)
    return acks


def import_file(project: Project, root: Path, source: Path) -> tuple[int, Path]:
    """Add the confirmations of `source` to the register; all or nothing. Returns how many
    were added and the register's path."""
    if not project.people:
        raise HandbookError("the project has no roster: add regulations/people.yaml "
                            "(or people.csv / people.xlsx) first")
    register = register_path(root)
    sink = ProblemSink()
    known: dict[tuple[str, str, str], Location] = {}
    if register.exists():
        read(project, register, root, sink, known)
        if sink.has_errors:
            raise ProjectInvalid(sink.problems)
    new = read(project, Path(source), root, sink, known)
    if sink.has_errors:
        raise ProjectInvalid(sink.problems)
    text = register.read_text(encoding="utf-8-sig") if register.exists() else HEADER
    if not text.endswith("\n"):
        text += "\n"
    text += "".join(f"{a.person},{a.regulation},{a.version},{a.date.isoformat()}\n"
                    for a in new)
    with files.reported(register):
        files.write_text(register, text)
    return len(new), register


def status(project: Project, acks: list[Ack], regulation: Regulation) -> Status:
    """Who of the regulation's readers has not confirmed its last substantive version or a
    later one."""
    since = regulation.last_substantive.version
    floor = version_key(since)
    confirmed = {a.person for a in acks if a.regulation == regulation.id and
                 version_key(a.version) >= floor}
    bound = tuple(readers.readers(project, regulation))
    return Status(regulation, since, bound, tuple(p for p in bound if p.id not in confirmed))


def statuses(project: Project, acks: list[Ack], regulation_id: str | None = None
             ) -> list[Status]:
    """Status of one regulation, or of every regulation in force."""
    if regulation_id is not None:
        return [status(project, acks, project.regulation(regulation_id))]
    return [status(project, acks, r) for r in readers.in_force(project)]
