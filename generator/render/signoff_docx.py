"""签收确认单 as Word, on templates/form-reference.docx: the facts of the regulation (or the
person) above a table whose header row repeats on every page."""

from __future__ import annotations

from pathlib import Path

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Mm

from ..signoff import Sheet
from .forms_docx import Styles
from .ooxml import empty_document, field, repeat_header
from .word_template import save, style_names

ROW_HEIGHT_MM = 9
"""Room for a handwritten signature in each row."""
STATEMENT_SPACE_MM = 3
LONG_VALUE = 16
"""A fact longer than this (characters) gets a row of its own."""
WEIGHTS = {"序号": 0.8, "工号": 1.1, "姓名": 1.3, "部门": 1.8, "签字": 2.0, "日期": 1.4,
           "制度名称": 4.0, "文号": 1.8, "版本": 0.8, "生效日期": 1.5}
"""Relative column widths by heading."""


def render(sheet: Sheet, template: Path, target: Path) -> Path:
    """Write the sign-off sheet as .docx."""
    document = empty_document(template, style_names(Styles))
    section = document.sections[0]
    width = section.page_width - section.left_margin - section.right_margin
    _header_and_footer(document, section, sheet)
    document.add_paragraph(sheet.title, style=Styles.title)
    facts = document.add_table(rows=0, cols=4)
    facts.style = document.styles[Styles.grid]
    facts.alignment = WD_TABLE_ALIGNMENT.CENTER
    for line in _fact_rows(sheet.facts):
        row = facts.add_row()
        for offset, (label, value) in enumerate(line):
            _cell(row.cells[offset * 2], label, Styles.label)
            _cell(row.cells[offset * 2 + 1], value, Styles.text)
        if len(line) == 1:
            row.cells[1].merge(row.cells[3])
    _widths(facts, (0.16, 0.34, 0.16, 0.34), width)
    statement = document.add_paragraph(sheet.statement, style=Styles.clause)
    statement.paragraph_format.space_before = statement.paragraph_format.space_after = \
        Mm(STATEMENT_SPACE_MM)
    _signatures(document, sheet, width)
    document.core_properties.title = sheet.title
    document.core_properties.identifier = sheet.identifier
    save(document, target)
    return target


def _fact_rows(facts: tuple[tuple[str, str], ...]) -> list[list[tuple[str, str]]]:
    """Short facts two to a row; a long one (a title, a summary) takes a row of its own."""
    rows: list[list[tuple[str, str]]] = []
    half: list[tuple[str, str]] = []
    for label, value in facts:
        if len(value) > LONG_VALUE:
            rows.append([(label, value)])
            continue
        half.append((label, value))
        if len(half) == 2:
            rows.append(half)
            half = []
    return rows + ([half] if half else [])


def _header_and_footer(document, section, sheet: Sheet) -> None:
    header = section.header.paragraphs[0]
    header.text = sheet.footer
    header.style = document.styles[Styles.header]
    footer = section.footer.paragraphs[0]
    footer.style = document.styles[Styles.footnote]
    footer.add_run("第 ")
    field(footer, "PAGE", "1")
    footer.add_run(" 页　共 ")
    field(footer, "NUMPAGES", "1")
    footer.add_run(" 页")


def _signatures(document, sheet: Sheet, width: int) -> None:
    table = document.add_table(rows=1, cols=len(sheet.columns))
    table.style = document.styles[Styles.grid]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, heading in zip(table.rows[0].cells, sheet.columns, strict=True):
        _cell(cell, heading, Styles.label)
    for values in sheet.rows:
        row = table.add_row()
        _keep_whole(row)
        for cell, value in zip(row.cells, values, strict=True):
            _cell(cell, value, Styles.text)
    repeat_header(table)
    weights = [WEIGHTS.get(heading, 1.0) for heading in sheet.columns]
    total = sum(weights)
    _widths(table, tuple(weight / total for weight in weights), width)


def _widths(table, shares: tuple[float, ...], width: int) -> None:
    for grid_column, share in zip(table._tbl.tblGrid.gridCol_lst, shares, strict=True):
        grid_column.w = Emu(int(width * share))
    for row in table.rows:
        for index, cell in enumerate(row.cells):
            cell.width = Emu(int(width * shares[min(index, len(shares) - 1)]))


def _cell(cell, text: str, style: str) -> None:
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    paragraph = cell.paragraphs[0]
    paragraph.style = style
    paragraph.text = text


def _keep_whole(row) -> None:
    """A row at least ROW_HEIGHT_MM high (room to sign) that never breaks across pages."""
    properties = row._tr.get_or_add_trPr()
    cant_split = OxmlElement("w:cantSplit")
    properties.append(cant_split)
    height = OxmlElement("w:trHeight")
    height.set(qn("w:val"), str(Mm(ROW_HEIGHT_MM).twips))
    height.set(qn("w:hRule"), "atLeast")
    properties.append(height)
