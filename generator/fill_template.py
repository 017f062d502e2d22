"""`handbook fill FORM --template`: a values file to fill in, one commented line per field."""

from __future__ import annotations

from pathlib import Path

from . import files
from .errors import HandbookError
from .model import Form, FormField
from .render.form_layout import approval_field_names

KINDS = {
    "text": "文字",
    "textarea": "多行文字，多行时写在 | 之后",
    "date": "日期，如 2026-03-01 或 2026年3月1日",
    "datetime": "日期时间，如 2026-03-01 09:30",
    "number": "数字，如 3",
    "money": "金额（元），如 236.50；印出时附大写",
    "choice": "选项",
    "checkbox": "勾选：true 或 false",
    "signature": "签名：打印后手签，可留空",
    "table": "表格，每行一项",
}
"""What each kind of field takes, in the words of the person filling it in."""


def render(form: Form) -> str:
    """The values file of a form: every field with its label, kind, options and whether it
    is required, each as an empty `field-id:` line under its comment."""
    lines = [f"# {form.title}（{form.id}）的填写值：handbook fill {form.id} 本文件",
             "# 每个字段写在冒号之后；留空的字段在表单上印为空白。",
             "# 标有“必填”的字段必须填写（或以 --partial 生成留待手填的表单）。"]
    for section in form.sections:
        lines.append("")
        if section.title:
            lines.append(f"# ── {section.title}")
        for form_field in section.fields:
            lines += _field(form_field)
    approvals = approval_field_names(form)
    if approvals:
        lines += ["", "# ── 审批栏（可留空）"]
        for name in approvals:
            what = "审批意见" if name.endswith("opinion") else "签字"
            lines += [f"# 第{name.split('-')[1]}级{what} · type: text", f"{name}:"]
    return "\n".join(lines) + "\n"


def _field(form_field: FormField) -> list[str]:
    """The comment and the empty value line of one field."""
    kind = KINDS.get(form_field.type, form_field.type)
    parts = [form_field.label, f"type: {form_field.type}（{kind}）"]
    if form_field.required and form_field.type != "signature" and not form_field.prefill:
        parts.append("必填")
    else:
        parts.append("选填")
    if form_field.prefill:
        parts.append(f"默认取公司信息 {form_field.prefill}")
    lines = ["# " + " · ".join(parts)]
    if form_field.options:
        lines.append("#   选项：" + " / ".join(form_field.options))
    if form_field.type == "table":
        columns = [f"{c.label}（{c.type}）" if c.type != "text" else c.label
                   for c in form_field.columns]
        lines.append("#   列：" + ", ".join(columns))
        lines.append(f"#   每行：  - [{', '.join(c.label for c in form_field.columns)}]")
    lines.append(f"{form_field.name}:")
    return lines


def write(form: Form, values: Path | None) -> bool:
    """Write the values file of a form to a new file; False when there is none to write
    to (the caller prints it). An existing file is never overwritten."""
    if values is None:
        return False
    if values.exists():
        raise HandbookError(f"{values} exists: give a new file name, or delete it first")
    with files.reported(values):
        files.write_text(values, render(form))
    return True
