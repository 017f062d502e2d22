"""What the search box can answer directly, above its list of articles.

Some questions have an answer the model holds as data, not only as text: who approves a
form (its approval chain), what a role is responsible for (its duties), which row of a
table applies (the allowance of a 部门经理). site/assets/handbook-search.js reads this file
after the first query and shows a card when the question asks for one of these and names
(or its best hit names) the form, the role or the row.
"""

from __future__ import annotations

import json

from .. import walk
from ..model import Project

DUTIES_SHOWN = 5
"""Duties shown on a role card (the card links to the role's page for the rest)."""


def build(project: Project) -> dict:
    """The answers as JSON-ready data: forms with their approval chains, roles with their
    duties, and the tables of articles keyed by the article's search-result URL."""
    return {"version": 1, "forms": _forms(project), "roles": _roles(project),
            "tables": _tables(project)}


def render(project: Project) -> str:
    """The answers as compact JSON text."""
    return json.dumps(build(project), ensure_ascii=False, separators=(",", ":"))


def _forms(project: Project) -> list[dict]:
    names = project.role_index
    return [{"url": f"generated/forms/{form.id}/", "title": form.title,
             "approval": [names[r].name if r in names else project.party_name(r)
                          for r in form.approval]}
            for form in project.forms]


def _roles(project: Project) -> list[dict]:
    departments = project.department_index
    roles = project.role_index
    cards = []
    for role in project.roles:
        department = departments.get(role.department) if role.department else None
        boss = roles.get(role.reports_to) if role.reports_to else None
        cards.append({"url": f"generated/roles/{role.id}/", "name": role.name,
                      "aliases": list(role.aliases),
                      "department": department.name if department else "",
                      "reports_to": boss.name if boss else "",
                      "duties": list(role.duties[:DUTIES_SHOWN]),
                      "more": max(len(role.duties) - DUTIES_SHOWN, 0)})
    return cards


def _tables(project: Project) -> dict[str, dict]:
    tables = {}
    for regulation in project.regulations:
        base = f"generated/regulations/{regulation.id}/"
        for block in walk.blocks(regulation):
            if block.kind == walk.ARTICLE:
                holder, table = block.value, block.value.table
            elif block.kind == walk.TABLE:  # a chapter's or section's own table
                holder, table = block.section or block.chapter, block.value
            else:
                continue
            if table is None or not table.rows:
                continue
            tables[f"{base}#{holder.key}"] = {
                "title": table.title,
                "columns": [column.title for column in table.columns],
                "rows": [list(row) for row in table.rows]}
    return tables
