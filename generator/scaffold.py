"""`handbook new`: commented skeletons of a regulation, a form, a role or a department,
written so that `handbook check` passes on them as they are.

A regulation or form gets the next free 文号 of its kind (the prefix its category's
regulations use, the serial after the highest in use). Roles and departments are added to
the end of their list in regulations/org.yaml, leaving the rest of the file as it was.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from pathlib import Path

from . import files
from .errors import HandbookError, Location, Problem
from .model import Project
from .schema import ID_PATTERN

_SERIAL = re.compile(r"^(.*?)(\d+)$")


def next_number(numbers: list[str], prefix: str) -> str:
    """The number after the highest one with this prefix (YW-ZD-046 → YW-ZD-047), keeping
    the width of the serial; prefix + 001 when none is in use."""
    serials = [m[2] for m in map(_SERIAL.match, numbers) if m and m[1] == prefix]
    if not serials:
        return f"{prefix}001"
    width = max(len(s) for s in serials)
    return f"{prefix}{max(int(s) for s in serials) + 1:0{width}d}"


def regulation_prefix(project: Project, category: str) -> str | None:
    """The 文号 prefix the regulations of this category use most (YW-ZD-), or None."""
    prefixes = Counter(m[1] for r in project.regulations if r.category == category
                       for m in [_SERIAL.match(r.number or "")] if m)
    return prefixes.most_common(1)[0][0] if prefixes else None


def new_regulation(project: Project, root: Path, regulation_id: str, title: str,
                   category: str, department: str | None, number: str | None,
                   today: dt.date) -> tuple[Path, str]:
    """Write regulations/<id>.yaml; its path and 文号."""
    path = _new_file(root / "regulations" / f"{regulation_id}.yaml", regulation_id)
    if department is None:
        raise _error("which department keeps it? give --department",
                     "one of: " + ", ".join(d.id for d in project.departments))
    _known(department, [d.id for d in project.departments], "department")
    if number is None:
        prefix = regulation_prefix(project, category)
        if prefix is None:
            raise _error(f"no regulation of category {category!r} has a 文号 to follow",
                         "give one with --number (e.g. XZ-ZD-001), or use a category in "
                         "use: " + "、".join(sorted({r.category for r in project.regulations})))
        number = next_number([r.number or "" for r in project.regulations], prefix)
    approver = _top_role(project)
    files.write_text(path, _REGULATION.format(
        id=regulation_id, title=title, number=number, category=category, today=today,
        department=department, approver=approver))
    return path, number


def new_form(project: Project, root: Path, form_id: str, title: str,
             number: str | None) -> tuple[Path, str]:
    """Write regulations/forms/<id>.yaml; its path and number."""
    path = _new_file(root / "regulations" / "forms" / f"{form_id}.yaml", form_id)
    if number is None:
        numbers = [f.number or "" for f in project.forms]
        prefixes = Counter(m[1] for m in map(_SERIAL.match, numbers) if m)
        prefix = prefixes.most_common(1)[0][0] if prefixes else \
            f"{project.company.number_prefix or 'BD'}-BD-"
        number = next_number(numbers, prefix)
    files.write_text(path, _FORM.format(id=form_id, title=title, number=number))
    return path, number


def add_department(project: Project, root: Path, department_id: str, name: str) -> Path:
    """Append a department to regulations/org.yaml; the file's path."""
    _free(department_id, [d.id for d in project.departments], "department")
    entry = [f"- id: {department_id}", f"  name: {name}"]
    return _append(root, "departments", entry)


def add_role(project: Project, root: Path, role_id: str, name: str, department: str,
             reports_to: str | None) -> Path:
    """Append a role with a duty to fill in to regulations/org.yaml; the file's path."""
    _free(role_id, [r.id for r in project.roles], "role")
    _known(department, [d.id for d in project.departments], "department")
    if reports_to:
        _known(reports_to, [r.id for r in project.roles], "role")
    entry = [f"- id: {role_id}", f"  name: {name}", f"  department: {department}"]
    entry += [f"  reports_to: {reports_to}"] if reports_to else []
    entry += ["  duties:", "    - 请填写本岗位的职责（每项一行，以句号结尾）。"]
    return _append(root, "roles", entry)


def _append(root: Path, key: str, entry: list[str]) -> Path:
    """Add entry (lines of one list item) at the end of the top-level list `key`."""
    path = root / "regulations" / "org.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next((i for i, line in enumerate(lines) if line.rstrip() == f"{key}:"), None)
    if start is None:
        raise _error(f"{key}: not found as a top-level list", "add a line "
                     f"'{key}:' to the file first", path)
    end = next((i for i in range(start + 1, len(lines))
                if lines[i] and not lines[i][0].isspace() and not lines[i].startswith(("#", "-"))),
               len(lines))
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1
    item = next((line for line in lines[start + 1:end] if line.lstrip().startswith("- ")), "  - ")
    indent = item[:len(item) - len(item.lstrip())]
    lines[end:end] = [indent + line for line in entry]
    files.write_text(path, "\n".join(lines) + "\n")
    return path


def _valid_id(value: str, example: str) -> None:
    if not re.fullmatch(ID_PATTERN, value):
        raise _error(f"{value!r} is not a valid id", "use lower-case letters, digits and "
                     f"hyphens, e.g. {example}")


def _new_file(path: Path, new_id: str) -> Path:
    _valid_id(new_id, "vehicle-use")
    if path.exists():
        raise _error(f"{path.name} exists already", "choose another id, or edit the file",
                     path)
    return path


def _top_role(project: Project) -> str:
    """The role that approves new regulations by default: the top of the org chart."""
    tops = project.org_chart().get(None, [])
    if not tops:
        raise _error("no role to approve the regulation", "add a role to regulations/org.yaml")
    return next((r.id for r in tops if r.id == "general-manager"), tops[0].id)


def _known(value: str, choices: list[str], what: str) -> None:
    if value not in choices:
        raise _error(f"unknown {what} {value!r}", "one of: " + ", ".join(choices))


def _free(value: str, taken: list[str], what: str) -> None:
    _valid_id(value, "front-desk")
    if value in taken:
        raise _error(f"a {what} with id {value!r} exists already", "choose another id")


def _error(message: str, hint: str, path: Path | None = None) -> HandbookError:
    where = Location(str(path)) if path else Location("handbook new")
    return HandbookError(message, (Problem(where, message, hint),))


_REGULATION = """\
# yaml-language-server: $schema=schema.json
# {title}。章、条、项的序号由程序计算（第一章、第一条、（一）），不要手写序号。
# 引用写法：{{条:article-id}} 引用本制度的条，{{岗位:role-id}} 岗位，{{表:form-id}} 表单。
id: {id}
title: {title}
number: {number}          # 文号：同类别的下一个空闲号
category: {category}
version: "1.0"
status: draft             # draft 草案；定稿发布时改为 active（现行有效）
effective: {today}        # 生效日期
department: {department}  # 归口管理部门
approver: {approver}      # 批准人（岗位 id）
applies_to: [{department}]
revisions:
  - version: "1.0"
    date: {today}
    summary: 首次发布。
chapters:
  - title: 总则
    articles:
      - id: purpose
        text: 为规范本项工作，特制定本制度。
      - id: scope
        text: 本制度适用于公司各部门。
  - title: 附则
    articles:
      - id: interpretation
        text: 本制度由归口管理部门负责解释。
      - id: effective-date
        text: 本制度自发布之日起施行。
"""

_FORM = """\
# yaml-language-server: $schema=../schema.json
# 表单字段：id（英文，唯一）、label（中文标签）、type（text 文本、textarea 多行、number 数字、
# money 金额、date 日期、choice 单选、checkbox 多选、table 明细表）、required（必填）。
id: {id}
title: {title}
number: {number}
kind: requisition         # requisition 申请 · report 报告 · register 登记 · record 记录
version: "1.0"
description: 请用一句话说明何时、由谁填写本表。
sections:
  - title: 申请信息
    fields:
      - id: applicant
        label: 申请人
        required: true
      - id: department
        label: 所在部门
        required: true
      - id: date
        label: 申请日期
        type: date
        required: true
      - id: reason
        label: 事由
        type: textarea
        required: true
"""
