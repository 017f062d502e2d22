"""Blank (or pre-filled) forms as Word documents, on templates/form-reference.docx.

The grid comes from :mod:`form_layout`; this module turns it into Word tables and
applies the template's style names (表单标题, 表单标签, 表单文字 …) only.
"""

from __future__ import annotations

from pathlib import Path

from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Mm, Pt
from lxml.etree import SubElement

from ..model import Form, Project
from . import form_layout, template_path
from .form_layout import BOX, CHECKED, COLUMNS, Cell, Row
from .ooxml import empty_document, repeat_header
from .word_template import save, style_names

TEMPLATE_NAME = "form-reference.docx"
LABEL_EM_MM = Pt(10.5).mm  # a Chinese character of the label style (五号)
SIGNED_GUIDE = "签字：\n\n　　年　　月　　日"
_W_TRPR, _W_TRHEIGHT, _W_TC, _W_TCPR, _W_TCW, _W_GRIDSPAN, _W_VALIGN, _W_P, _W_PPR, \
    _W_PSTYLE = (qn(f"w:{tag}") for tag in (
        "trPr", "trHeight", "tc", "tcPr", "tcW", "gridSpan", "vAlign", "p", "pPr", "pStyle"))
_W_VAL, _W_HRULE, _W_TYPE, _W_W = (qn(f"w:{name}") for name in ("val", "hRule", "type", "w"))


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
    """One Word table; its rows are built as XML directly (python-docx's cell objects
    cost a search of the table per cell)."""
    is_grid = rows[0].kind not in ("head", "table")
    columns = COLUMNS if is_grid else len(rows[0].cells)
    table = document.add_table(rows=0, cols=columns)
    table.style = document.styles[Styles.grid]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths = [Emu(int(width * weight)) for weight in weights]
    for grid_column, column_width in zip(table._tbl.tblGrid.gridCol_lst, widths, strict=True):
        grid_column.w = column_width  # the grid Word and LibreOffice lay out by
    twips = [str(column_width.twips) for column_width in widths]
    style_ids = _style_ids(document)
    for row in rows:
        table._tbl.append(_row(row, twips, style_ids))
    if not is_grid:
        repeat_header(table)


def _style_ids(document) -> dict[str, str | None]:
    """The paragraph style ids of the cell styles in this document's template."""
    lookup = document.part.get_style_id
    return {name: lookup(name, WD_STYLE_TYPE.PARAGRAPH)
            for name in (Styles.section, Styles.clause, Styles.label, Styles.text)}


def _row(row: Row, twips: list[str], style_ids: dict[str, str | None]):
    """A w:tr: its least height (room to write by hand), then one w:tc per cell, as wide
    as the last grid column it spans and centred vertically."""
    tr = OxmlElement("w:tr")
    height = SubElement(SubElement(tr, _W_TRPR), _W_TRHEIGHT)
    height.set(_W_VAL, str(Mm(form_layout.least_height_mm(row)).twips))
    height.set(_W_HRULE, "atLeast")
    position = 0
    for cell in row.cells:
        tc = SubElement(tr, _W_TC)
        properties = SubElement(tc, _W_TCPR)
        cell_width = SubElement(properties, _W_TCW)
        cell_width.set(_W_TYPE, "dxa")
        cell_width.set(_W_W, twips[position + cell.span - 1])
        if cell.span > 1:
            SubElement(properties, _W_GRIDSPAN).set(_W_VAL, str(cell.span))
        SubElement(properties, _W_VALIGN).set(_W_VAL, "center")
        paragraph = SubElement(tc, _W_P)
        style_id = style_ids[_style(cell, row.kind)]
        paragraph_properties = SubElement(paragraph, _W_PPR)
        if style_id is not None:
            SubElement(paragraph_properties, _W_PSTYLE).set(_W_VAL, style_id)
        run = OxmlElement("w:r")
        paragraph.append(run)
        text = _text(cell, row.kind)
        if text:
            run.text = text  # python-docx's run text: w:t, w:br for line breaks, w:tab
        position += cell.span
    return tr


def _style(cell: Cell, row_kind: str) -> str:
    if row_kind == "section":
        return Styles.section
    if row_kind == "clause" or row_kind == "note":
        return Styles.clause
    return Styles.label if cell.label else Styles.text


def _text(cell: Cell, row_kind: str) -> str:
    if row_kind == "approval" and cell.field and cell.kind == "text" and not cell.value:
        return SIGNED_GUIDE  # 签字／日期: where to sign, and the date
    return _shown(cell, narrow=row_kind == "table")


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
