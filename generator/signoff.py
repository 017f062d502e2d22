"""签收确认单: what each sign-off sheet holds, worked out from the model (the Word
renderer only lays it out)."""

from __future__ import annotations

from dataclasses import dataclass

from . import readers
from .model import Person, Project, Regulation

BLANK_ROWS_PER_DEPARTMENT = 10
"""Rows left blank for each department bound by a regulation when there is no roster."""

REGULATION_COLUMNS = ("序号", "工号", "姓名", "部门", "签字", "日期")
PERSON_COLUMNS = ("序号", "制度名称", "文号", "版本", "生效日期", "签字", "日期")
STATEMENT = "本人已阅读并理解上述制度的全部内容，承诺严格遵照执行。"
PERSON_STATEMENT = "本人已阅读并理解下列制度（以表中版本为准），承诺严格遵照执行。"


@dataclass(frozen=True)
class Sheet:
    """One sign-off sheet: title, facts printed above the table, the table's rows."""

    name: str
    """File name without suffix, e.g. travel-expense-v1.1."""
    title: str
    facts: tuple[tuple[str, str], ...]
    statement: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    footer: str
    identifier: str = ""


def file_name(regulation: Regulation) -> str:
    """The sheet's file name without suffix: one per regulation and version."""
    return f"{regulation.id}-v{regulation.version}"


def regulation_sheet(project: Project, regulation: Regulation) -> Sheet:
    """The sheet everyone bound by the regulation signs for its current version; without a
    roster, blank rows under each department it applies to."""
    revision = regulation.revisions[-1]
    facts = (("制度名称", f"《{regulation.title}》"), ("文号", regulation.number),
             ("版本", regulation.version), ("生效日期", regulation.effective.isoformat()),
             ("本版修订说明", f"{revision.summary}（{revision.date.isoformat()}）"),
             ("归口管理部门", project.department_index[regulation.department].name))
    if project.people:
        departments = project.department_index
        rows = tuple((str(number), person.id, person.name, departments[person.department].name,
                      "", "") for number, person in
                     enumerate(readers.readers(project, regulation), start=1))
    else:
        rows = tuple(("", "", "", project.department_index[department].name, "", "")
                     for department in readers.departments_bound(project, regulation)
                     for _ in range(BLANK_ROWS_PER_DEPARTMENT))
    return Sheet(file_name(regulation), "制度签收确认单", facts, STATEMENT, REGULATION_COLUMNS,
                 rows, f"{project.company.name}　{regulation.number}　版本 {regulation.version}",
                 regulation.id)


def person_sheet(project: Project, person: Person) -> Sheet:
    """The sheet a new hire signs: every regulation in force that applies to them."""
    role = project.role_index[person.role].name if person.role else "—"
    facts = (("工号", person.id), ("姓名", person.name),
             ("部门", project.department_index[person.department].name), ("岗位", role),
             ("入职日期", person.joined.isoformat() if person.joined else "—"))
    rows = tuple((str(number), f"《{r.title}》", r.number, r.version, r.effective.isoformat(),
                  "", "") for number, r in
                 enumerate(readers.for_person(project, person), start=1)) or \
        (("", "（没有适用于本人的现行制度）", "", "", "", "", ""),)
    return Sheet(f"person-{person.id}", "新员工制度签收确认单", facts, PERSON_STATEMENT,
                 PERSON_COLUMNS, rows, f"{project.company.name}　工号 {person.id}", person.id)
