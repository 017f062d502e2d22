"""Blank (or pre-filled) forms as Word documents, on templates/form-reference.docx.

The grid comes from :mod:`form_layout`; this module turns it into Word tables and
applies the template's style names (表单标题, 表单标签, 表单文字 …) only.
"""

from __future__ import annotations

from pathlib import Path

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu

from ..model import Form, Project
from . import form_layout, template_path
from .docx import empty_document
from .form_layout import BOX, CHECKED, COLUMNS, Cell, Row

TEMPLATE_NAME = "form-reference.docx"
GRID_WEIGHTS = (0.19, 0.31, 0.19, 0.31)


class Styles:
    """Style names of templates/form-reference.docx."""

    title = "表单标题"
    number = "表单编号"
    label = "表单标签"
    text = "表单文字"
    section = "表单分节"
    clause = "表单条款"
    footnote = "表单脚注"
    header = "Header"
    grid = "Table Grid"


def template_for(root: Path) -> Path:
    """The project's form template, or the default shipped with the tool."""
    return template_path(root, TEMPLATE_NAME)


def render(project: Project, form: Form, template: Path, target: Path,
           values: dict[str, object] | None = None) -> Path:
    """Write a form (blank, or filled with `values`) as .docx."""
    grid = form_layout.layout(project, form, values)
    document = empty_document(template)
    section = document.sections[0]
    width = section.page_width - section.left_margin - section.right_margin
    header = section.header.paragraphs[0]
    header.text = grid.header
    header.style = document.styles[Styles.header]
    footer = section.footer.paragraphs[0]
    footer.text = grid.footnote
    footer.style = document.styles[Styles.footnote]
    document.add_paragraph(grid.title, style=Styles.title)
    document.add_paragraph(grid.number_line, style=Styles.number)
    for rows, is_grid in _groups(grid.rows):
        _table(document, rows, is_grid, width)
    document.core_properties.title = form.title
    document.core_properties.identifier = form.id
    target.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(target))
    return target


def _groups(rows: list[Row]):
    """Consecutive rows that share a column structure go into one Word table."""
    group: list[Row] = []
    grid = True
    for row in rows:
        is_grid = row.kind not in ("head", "table")
        if group and is_grid != grid:
            yield group, grid
            group = []
        group.append(row)
        grid = is_grid
    if group:
        yield group, grid


def _table(document, rows: list[Row], is_grid: bool, width: int) -> None:
    columns = COLUMNS if is_grid else len(rows[0].cells)
    table = document.add_table(rows=0, cols=columns)
    table.style = document.styles[Styles.grid]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    weights = GRID_WEIGHTS if is_grid else tuple(1 / columns for _ in range(columns))
    for row in rows:
        word_row = table.add_row()
        _height(word_row, row.height)
        position = 0
        for cell in row.cells:
            target = word_row.cells[position]
            if cell.span > 1:
                target = target.merge(word_row.cells[position + cell.span - 1])
            _fill(target, cell, row.kind)
            position += cell.span
    for index, column in enumerate(table.columns):
        for cell in column.cells:
            cell.width = Emu(int(width * weights[index]))
    if not is_grid:
        header = table.rows[0]._tr.get_or_add_trPr()
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        header.append(repeat)


def _height(row, lines: int) -> None:
    properties = row._tr.get_or_add_trPr()
    height = OxmlElement("w:trHeight")
    height.set(qn("w:val"), str(290 * lines))  # twips: one line of 10 pt text with padding
    height.set(qn("w:hRule"), "atLeast")
    properties.append(height)


def _fill(target, cell: Cell, row_kind: str) -> None:
    paragraph = target.paragraphs[0]
    if row_kind == "section":
        paragraph.style = Styles.section
    elif row_kind == "clause" or row_kind == "note":
        paragraph.style = Styles.clause
    elif cell.label:
        paragraph.style = Styles.label
    else:
        paragraph.style = Styles.text
    paragraph.text = _shown(cell, narrow=row_kind == "table")


def _shown(cell: Cell, narrow: bool = False) -> str:
    if cell.field is None:
        return cell.text
    if cell.kind == "choice":
        return "　".join(f"{CHECKED if option == cell.value else BOX} {option}"
                        for option in cell.options)
    if cell.kind == "checkbox":
        return cell.value or BOX
    if cell.kind == "date" and not cell.value and not narrow:
        return "　　年　　月　　日"
    return cell.value
