"""The grid both form renderers draw: rows of cells, computed once from a Form.

A form prints as a four-column grid (label | value | label | value). Short fields
pair up on a row; long ones (textarea, choice, table) take the full width; each
approver of the approval chain gets an opinion / signature / date row. The Word
and PDF renderers only decide how a cell looks, never what is in it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model import Company, Form, FormField, Project

COLUMNS = 4
SHORT_TYPES = ("text", "date", "datetime", "number", "money", "checkbox", "signature")
BOX = "☐"
CHECKED = "☑"


@dataclass(frozen=True)
class Cell:
    """One cell: static text, or an input (field name and kind) with optional printed value."""

    text: str = ""
    span: int = 1
    label: bool = False
    field: str | None = None
    kind: str = "text"  # text, multiline, date, checkbox, choice
    options: tuple[str, ...] = ()
    value: str = ""


@dataclass(frozen=True)
class Row:
    """A row of the grid; height is in text lines."""

    cells: tuple[Cell, ...]
    kind: str = "fields"  # title, section, fields, head, clause, approval, note
    height: int = 1


@dataclass
class Layout:
    """The whole form: header line, rows, footnote."""

    title: str
    header: str
    number_line: str
    rows: list[Row] = field(default_factory=list)
    footnote: str = ""
    one_page: bool = True


def _prefill(company: Company, key: str | None) -> str:
    if not key:
        return ""
    return str(getattr(company, key.removeprefix("company."), "") or "")


def _input_kind(form_field: FormField) -> str:
    return {"textarea": "multiline", "date": "date", "datetime": "date",
            "checkbox": "checkbox", "choice": "choice"}.get(form_field.type, "text")


def layout(project: Project, form: Form, values: dict[str, object] | None = None) -> Layout:
    """Lay a form out; `values` (field id → value) prints filled-in values instead of blanks."""
    values = values or {}
    company = project.company
    number = f"编号：{form.number}　" if form.number else ""
    result = Layout(
        title=form.title,
        header=f"{company.name}　{form.number or ''}　第{form.version}版".strip(),
        number_line=f"{number}版本：{form.version}",
        one_page=form.pages == 1,
    )
    for section in form.sections:
        if section.title:
            result.rows.append(Row((Cell(section.title, COLUMNS, label=True),), "section"))
        titled = section.title
        pending: list[Cell] = []
        for form_field in section.fields:
            value = values.get(form_field.name, _prefill(company, form_field.prefill))
            if form_field.type in SHORT_TYPES and form_field.type != "checkbox" or \
                    form_field.type == "checkbox":
                pending += [Cell(form_field.label, label=True),
                            Cell(field=form_field.name, kind=_input_kind(form_field),
                                 value=_text(value))]
                if len(pending) == COLUMNS:
                    result.rows.append(Row(tuple(pending)))
                    pending = []
                continue
            if pending:
                result.rows.append(Row(tuple(_fill_row(pending))))
                pending = []
            result.rows += _wide_rows(form_field, value, skip_title=form_field.label == titled)
        if pending:
            result.rows.append(Row(tuple(_fill_row(pending))))
    for regulation_id, table in form.reference_tables:
        source = project.regulation(regulation_id).title
        result.rows.append(Row((Cell(f"{table.title}（摘自《{source}》）", COLUMNS, label=True),),
                               "section"))
        result.rows.append(Row(tuple(Cell(c.title, label=True) for c in table.columns), "head"))
        for data in table.rows:
            result.rows.append(Row(tuple(Cell(value) for value in data), "table"))
    for clause in form.clauses:
        result.rows.append(Row((Cell(f"{clause.label}　{clause.title}　{clause.text}",
                                     COLUMNS),), "clause"))
    for index, role_id in enumerate(form.approval, start=1):
        role = project.role_index[role_id].name
        result.rows.append(Row((
            Cell(f"{role}意见", label=True),
            Cell(field=f"approval-{index}-opinion", kind="multiline",
                 value=_text(values.get(f"approval-{index}-opinion", ""))),
            Cell("签字／日期", label=True),
            Cell(field=f"approval-{index}-signed", kind="text",
                 value=_text(values.get(f"approval-{index}-signed", ""))),
        ), "approval", height=2))
    if form.notes:
        result.rows.append(Row((Cell("填表说明", COLUMNS, label=True),), "section"))
    for index, note in enumerate(form.notes, start=1):
        result.rows.append(Row((Cell(f"{index}. {note}", COLUMNS),), "note"))
    result.footnote = footnote(project, form)
    return result


def approval_field_names(form: Form) -> list[str]:
    """Names of the inputs added for the approval chain."""
    names = []
    for index in range(1, len(form.approval) + 1):
        names += [f"approval-{index}-opinion", f"approval-{index}-signed"]
    return names


def footnote(project: Project, form: Form) -> str:
    """依据《制度》第X条 for every article that requires the form."""
    citations = []
    for target in form.required_by:
        regulation_id, _, key = target.partition("#")
        if regulation_id not in project.regulation_index:
            continue  # not in force on the day the handbook is built for
        regulation = project.regulation(regulation_id)
        article = regulation.article_index[key]
        label = article.label if regulation.numbering == "article" else \
            outline_label(regulation, key)
        citations.append(f"《{regulation.title}》{label}")
    return ("依据" + "、".join(citations) + "设置。") if citations else ""


def outline_label(regulation, key: str) -> str:
    """How text cites an article of an outline-numbered regulation: 第二部分（一）第3点."""
    from .. import zh

    for c_index, chapter in enumerate(regulation.chapters, start=1):
        for article in chapter.articles:
            if article.key == key:
                return zh.outline_reference(c_index, None, article.number)
        for s_index, section in enumerate(chapter.sections, start=1):
            for article in section.articles:
                if article.key == key:
                    return zh.outline_reference(c_index, s_index, article.number)
    article = regulation.article_index[key]
    return zh.outline_reference(None, None, article.number)


def _fill_row(cells: list[Cell]) -> list[Cell]:
    """Stretch the last value cell of a short row across the empty columns."""
    if len(cells) == COLUMNS:
        return cells
    last = cells[-1]
    stretched = Cell(last.text, COLUMNS - len(cells) + 1, last.label, last.field, last.kind,
                     last.options, last.value)
    return cells[:-1] + [stretched]


def _wide_rows(form_field: FormField, value: object, skip_title: bool = False) -> list[Row]:
    if form_field.type == "choice":
        chosen = _text(value)
        return [Row((Cell(form_field.label, label=True),
                     Cell(field=form_field.name, kind="choice", span=COLUMNS - 1,
                          options=form_field.options, value=chosen)))]
    if form_field.type == "textarea":
        return [Row((Cell(form_field.label, label=True),
                     Cell(field=form_field.name, kind="multiline", span=COLUMNS - 1,
                          value=_text(value))), height=2)]
    # a repeating table: its own header row, then blank (or filled) rows
    columns = form_field.columns
    rows = [] if skip_title else [Row((Cell(form_field.label, COLUMNS, label=True),), "section")]
    rows.append(Row(tuple(Cell(c.label, label=True) for c in columns), "head"))
    filled = value if isinstance(value, list) else []
    for row_index in range(max(form_field.rows, len(filled))):
        data = filled[row_index] if row_index < len(filled) else []
        cells = []
        for column_index, column in enumerate(columns):
            if isinstance(data, dict):
                cell_value = data.get(column.label, "")
            else:
                cell_value = data[column_index] if column_index < len(data) else ""
            cells.append(Cell(field=f"{form_field.name}-r{row_index + 1}-c{column_index + 1}",
                              kind="date" if column.type == "date" else
                              "checkbox" if column.type == "checkbox" else "text",
                              value=_text(cell_value)))
        rows.append(Row(tuple(cells), "table"))
    return rows


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return CHECKED if value else ""
    return str(value)


def field_kinds(project: Project, form: Form) -> dict[str, str]:
    """Every input of the form by name, with its kind (for the PDF and for `handbook fill`)."""
    kinds: dict[str, str] = {}
    for row in layout(project, form).rows:
        for cell in row.cells:
            if cell.field is None:
                continue
            if cell.kind == "choice":
                for index in range(1, len(cell.options) + 1):
                    kinds[f"{cell.field}-{index}"] = "checkbox"
            else:
                kinds[cell.field] = cell.kind
    return kinds
