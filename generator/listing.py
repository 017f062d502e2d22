"""What `handbook list` reports: regulations, forms, roles and departments, with their
built outputs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .model import FORM_KIND_NAMES, Project
from .outputs import existing, form_paths, regulation_paths


def as_dict(project: Project, out: Path) -> dict[str, Any]:
    """The JSON shape of `handbook list --json`."""
    return {
        "regulations": [
            {
                "id": r.id, "title": r.title, "number": r.number, "category": r.category,
                "version": r.version, "status": r.status, "effective": r.effective.isoformat(),
                "chapters": len(r.chapters), "articles": r.article_count,
                "file": r.file, "outputs": existing(regulation_paths(out, r.id)),
            }
            for r in project.regulations
        ],
        "forms": [
            {
                "id": f.id, "title": f.title, "number": f.number, "kind": f.kind,
                "version": f.version, "approval": list(f.approval),
                "required_by": list(f.required_by), "file": f.file,
                "outputs": existing(form_paths(out, f.id)),
            }
            for f in project.forms
        ],
        "roles": [
            {"id": r.id, "name": r.name, "department": r.department, "reports_to": r.reports_to}
            for r in project.roles
        ],
        "departments": [
            {"id": d.id, "name": d.name, "parent": d.parent} for d in project.departments
        ],
    }


KINDS = ("regulations", "forms", "roles", "departments")
"""What `handbook list KIND` can list."""


def as_lines(project: Project, kind: str = "regulations") -> list[str]:
    """A plain table of one kind of thing, one line each, aligned for a terminal."""
    header, rows = _TABLES[kind](project)
    rows = [header] + rows
    widths = [max(_width(row[i]) for row in rows) for i in range(len(header) - 1)]
    return ["  ".join(cell + " " * (widths[i] - _width(cell)) if i < len(widths) else cell
                      for i, cell in enumerate(row)).rstrip() for row in rows]


def _regulations(project: Project) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    header = ("id", "文号", "类别", "版本", "状态", "生效日期", "章", "条", "网页", "标题")
    return header, [
        (r.id, r.number, r.category, r.version, project.status(r), r.effective.isoformat(),
         str(len(r.chapters)), str(r.article_count), f"generated/regulations/{r.id}/", r.title)
        for r in project.regulations]


def _forms(project: Project) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    names = project.role_index
    header = ("id", "编号", "种类", "版本", "审批", "网页", "名称")
    return header, [
        (f.id, f.number or "—", FORM_KIND_NAMES[f.kind], f.version,
         " → ".join(names[r].name if r in names else r for r in f.approval) or "—",
         f"generated/forms/{f.id}/", f.title)
        for f in project.forms]


def _roles(project: Project) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    departments, roles = project.department_index, project.role_index
    header = ("id", "部门", "上级", "职责", "网页", "名称")
    return header, [
        (r.id, departments[r.department].name if r.department in departments else "—",
         roles[r.reports_to].name if r.reports_to in roles else "—", str(len(r.duties)),
         f"generated/roles/{r.id}/", r.name)
        for r in project.roles]


def _departments(project: Project) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    departments = project.department_index
    header = ("id", "上级部门", "岗位", "名称")
    return header, [
        (d.id, departments[d.parent].name if d.parent in departments else "—",
         str(sum(1 for r in project.roles if r.department == d.id)), d.name)
        for d in project.departments]


_TABLES = {"regulations": _regulations, "forms": _forms, "roles": _roles,
           "departments": _departments}


def _width(text: str) -> int:
    """Display width: CJK characters take two columns in a terminal."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)
