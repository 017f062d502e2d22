"""The grid both form renderers draw: rows of cells, computed once from a Form.

A form prints as a four-column grid (label | value | label | value). Short fields
pair up on a row; long ones (textarea, choice, table) take the full width; each
approver of the approval chain gets an opinion / signature / date row. The Word
and PDF renderers only decide how a cell looks, never what is in it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from ..model import Company, Form, FormField, Project

COLUMNS = 4
ROW_MM = {"section": 6.5, "head": 8.0, "fields": 8.0, "table": 8.0, "approval": 20.0,
          "multiline": 20.0, "signature": 12.0, "signing": 25.0, "note": 0.0, "clause": 0.0}
"""Least height of a row by kind, in mm: a handwritten line needs 8 mm, a signature 12, an
opinion with its signature 20, a contract's signatures and seals 25."""
LABEL_FIT = 10
"""Characters of a label that fit on one line of the label column; longer ones wrap."""
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
    kind: str = "text"  # text, multiline, date, checkbox, choice, signature
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
            "checkbox": "checkbox", "choice": "choice",
            "signature": "signature"}.get(form_field.type, "text")


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
    signing = _signing_sections(form)
    for section in form.sections:
        if section not in signing:
            result.rows += _section_rows(section, values, company)
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
    for section in signing:  # a contract is signed and sealed after its last clause
        result.rows += [row if row.kind != "fields" else Row(row.cells, "signing", row.height)
                        for row in _section_rows(section, values, company)]
    approvers = _printed_approvers(form)
    if approvers:
        result.rows.append(Row((Cell("审批", COLUMNS, label=True),), "section"))
    for index, role_id in enumerate(approvers, start=1):
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


def least_height_mm(row: Row) -> float:
    """The height a row needs at least, in mm, before its text is counted."""
    kinds = {c.kind for c in row.cells if c.field}
    if row.kind == "fields" and kinds & {"multiline", "signature"}:
        return max(ROW_MM[kind] for kind in kinds & {"multiline", "signature"})
    return ROW_MM.get(row.kind, ROW_MM["fields"])


def label_share(grid: Layout, em_mm: float, width_mm: float) -> float:
    """The share of the width a label column takes so the form's labels fit on one line.

    em_mm is the width of one Chinese character of the label text; labels longer than
    LABEL_FIT characters wrap rather than widen the column.
    """
    longest = max((len(c.text) for row in grid.rows if row.kind in ("fields", "approval")
                   for c in row.cells if c.label), default=4)
    wanted = (min(longest, LABEL_FIT) + 1.2) * em_mm
    return min(max(wanted / width_mm, 0.15), 0.25)


def grid_weights(grid: Layout, em_mm: float, width_mm: float) -> tuple[float, ...]:
    """Widths of the four grid columns (label | value | label | value) as shares."""
    label = label_share(grid, em_mm, width_mm)
    return (label, 0.5 - label, label, 0.5 - label)


def _signing_sections(form: Form) -> list:
    """A contract's sections of signatures, seals and dates only: printed after its clauses."""
    if form.kind != "contract":
        return []
    return [s for s in form.sections
            if all(f.type in ("signature", "date") for f in s.fields)]


def _section_rows(section, values: dict[str, object], company: Company) -> list[Row]:
    """The rows of one titled group of fields: short fields paired, long ones full width."""
    rows: list[Row] = []
    if section.title:
        rows.append(Row((Cell(section.title, COLUMNS, label=True),), "section"))
    pending: list[Cell] = []
    for form_field in section.fields:
        value = values.get(form_field.name, _prefill(company, form_field.prefill))
        if form_field.type in SHORT_TYPES:
            pending += [Cell(form_field.label, label=True),
                        Cell(field=form_field.name, kind=_input_kind(form_field),
                             value=_text(value))]
            if len(pending) == COLUMNS:
                rows.append(Row(tuple(pending)))
                pending = []
            continue
        if pending:
            rows.append(Row(tuple(_fill_row(pending))))
            pending = []
        rows += _wide_rows(form_field, value, skip_title=form_field.label == section.title)
    if pending:
        rows.append(Row(tuple(_fill_row(pending))))
    return rows


def _printed_approvers(form: Form) -> tuple[str, ...]:
    """The approval chain printed on the form: none on a contract, which goes to the customer
    (its internal approval has its own 合同审批表)."""
    return () if form.kind == "contract" else tuple(form.approval)


def column_shares(head: Row) -> tuple[float, ...]:
    """Widths of a repeating table's columns as shares: by the length of their headings
    (between 2 and 8 characters' worth), so a long heading wraps less and 单位 stays narrow."""
    weights = [min(max(len(cell.text), 2), 8) for cell in head.cells]
    return tuple(weight / sum(weights) for weight in weights)


def approval_field_names(form: Form) -> list[str]:
    """Names of the inputs added for the approval chain."""
    names = []
    for index in range(1, len(_printed_approvers(form)) + 1):
        names += [f"approval-{index}-opinion", f"approval-{index}-signed"]
    return names


def footnote(project: Project, form: Form) -> str:
    """依据《制度》第X条 for every article that requires the form."""
    citations = [f"《{regulation.title}》{article.citation}"
                 for regulation, article in requiring_articles(project, form)]
    return ("依据" + "、".join(citations) + "设置。") if citations else ""


def requiring_articles(project: Project, form: Form) -> Iterator[tuple]:
    """(regulation, article) for each article in force that requires the form."""
    for target in form.required_by:
        regulation_id, _, key = target.partition("#")
        if regulation_id in project.regulation_index:  # else not in force on the day
            regulation = project.regulation(regulation_id)
            yield regulation, regulation.article_index[key]


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
            kinds[cell.field] = cell.kind
    return kinds
