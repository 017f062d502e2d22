"""Blank (or pre-filled) forms as Word documents, on templates/form-reference.docx.

The grid comes from :mod:`form_layout`; this module turns it into Word tables and
applies the template's style names (表单标题, 表单标签, 表单文字 …) only.
"""

from __future__ import annotations

from pathlib import Path

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Mm, Pt

from ..model import Form, Project
from . import form_layout, template_path
from .form_layout import BOX, CHECKED, COLUMNS, Cell, Row
from .ooxml import empty_document, repeat_header
from .word_template import save, style_names

TEMPLATE_NAME = "form-reference.docx"
LABEL_EM_MM = Pt(10.5).mm  # a Chinese character of the label style (五号)
SIGNED_GUIDE = "签字：\n\n　　年　　月　　日"


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
    document = empty_document(template, style_names(Styles))
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
    weights = form_layout.grid_weights(grid, LABEL_EM_MM, Emu(width).mm)
    for rows, is_grid in _groups(grid.rows):
        _table(document, rows, weights if is_grid else form_layout.column_shares(rows[0]),
               width)
    document.core_properties.title = form.title
    document.core_properties.identifier = form.id
    save(document, target)
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


def _table(document, rows: list[Row], weights: tuple[float, ...], width: int) -> None:
    is_grid = rows[0].kind not in ("head", "table")
    columns = COLUMNS if is_grid else len(rows[0].cells)
    table = document.add_table(rows=0, cols=columns)
    table.style = document.styles[Styles.grid]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for grid_column, weight in zip(table._tbl.tblGrid.gridCol_lst, weights, strict=True):
        grid_column.w = Emu(int(width * weight))  # the grid Word and LibreOffice lay out by
    for row in rows:
        word_row = table.add_row()
        _height(word_row, row)
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
        repeat_header(table)


def _height(word_row, row: Row) -> None:
    """The row's least height (room to write by hand), in twips."""
    properties = word_row._tr.get_or_add_trPr()
    height = OxmlElement("w:trHeight")
    height.set(qn("w:val"), str(Mm(form_layout.least_height_mm(row)).twips))
    height.set(qn("w:hRule"), "atLeast")
    properties.append(height)


def _fill(target, cell: Cell, row_kind: str) -> None:
    target.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
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
    if row_kind == "approval" and cell.field and cell.kind == "text" and not cell.value:
        paragraph.text = SIGNED_GUIDE  # 签字／日期: where to sign, and the date


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
