"""What `handbook list` reports: regulations, forms and roles, with their built outputs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .model import STATUS_NAMES, Project
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
    }


def as_lines(project: Project) -> list[str]:
    """A plain table of the regulations, one line each."""
    header = ("id", "文号", "版本", "状态", "生效日期", "章", "条", "标题")
    rows = [header] + [
        (r.id, r.number, r.version, STATUS_NAMES[r.status], r.effective.isoformat(),
         str(len(r.chapters)), str(r.article_count), r.title)
        for r in project.regulations
    ]
    widths = [max(_width(row[i]) for row in rows) for i in range(len(header) - 1)]
    return ["  ".join(cell + " " * (widths[i] - _width(cell)) if i < len(widths) else cell
                      for i, cell in enumerate(row)).rstrip() for row in rows]


def _width(text: str) -> int:
    """Display width: CJK characters take two columns in a terminal."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)
