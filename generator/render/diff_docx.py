"""The 新旧条文对照表 as Word: deleted text struck through, added text underlined.

Uses the character styles 删除文字 and 新增文字 of templates/reference.docx. The table is
set on a landscape page: narrow 序号 and 说明 columns, the two text columns sharing the rest.
"""

from __future__ import annotations

from pathlib import Path

from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_ALIGN_VERTICAL
from docx.shared import Mm, Twips

from ..diff import SHIFTED, RegulationDiff
from . import docx as regulation_docx
from . import ooxml
from .word_template import save

NARROW_COLUMNS_MM = (14, 34)
"""Widths of the 序号 and 说明 columns; 修订前 and 修订后 share what is left."""
HEADINGS = ("序号", "修订前", "修订后", "说明")


def render(diff: RegulationDiff, template: Path, target: Path) -> Path:
    """Write one regulation's comparison table as .docx."""
    document = regulation_docx.new_document(template, ("删除文字", "新增文字"))
    widths = _landscape(document)
    document.add_paragraph(f"《{diff.title}》新旧条文对照表", style=regulation_docx.Styles.title)
    document.add_paragraph(f"版本 {diff.old_version or '—'} → {diff.new_version or '—'}。"
                           f"{diff.summary()}", style=regulation_docx.Styles.info)
    table = document.add_table(rows=1, cols=4)
    table.style = document.styles[regulation_docx.Styles.grid]
    for cell, text in zip(table.rows[0].cells, HEADINGS, strict=True):
        ooxml.cell(cell, text, regulation_docx.Styles.table_head)
    ooxml.repeat_header(table)
    for row in diff.rows:
        cells = table.add_row().cells
        ooxml.cell(cells[0], str(row.number), regulation_docx.Styles.table_text)
        for cell, label, keep, style in ((cells[1], row.old_label, "delete", "删除文字"),
                                         (cells[2], row.new_label, "insert", "新增文字")):
            paragraph = cell.paragraphs[0]
            paragraph.style = document.styles[regulation_docx.Styles.table_text]
            if not label:
                continue
            paragraph.add_run(label + "　", style=regulation_docx.Styles.article_number)
            for piece in row.pieces:
                if piece.kind == "equal":
                    paragraph.add_run(piece.text)
                elif piece.kind == keep:
                    paragraph.add_run(piece.text, style=style)
        ooxml.cell(cells[3], row.note, regulation_docx.Styles.table_text)
    if diff.shifted:
        cells = table.add_row().cells
        merged = cells[0].merge(cells[3])
        ooxml.cell(merged, SHIFTED, regulation_docx.Styles.table_text)
    _set_widths(table, widths)
    save(document, target)
    return target


def _landscape(document: Document) -> list[int]:
    """Turn the page to landscape; the column widths in twips for the text block."""
    section = document.sections[0]
    if section.page_width < section.page_height:
        top, bottom, right = section.top_margin, section.bottom_margin, section.right_margin
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
        # the long edge now runs across: the binding margin stays on the left
        section.top_margin, section.bottom_margin = right, right
        section.left_margin, section.right_margin = top, bottom
    text_width = (section.page_width - section.left_margin - section.right_margin) // 635
    number, note = (int(Mm(mm)) // 635 for mm in NARROW_COLUMNS_MM)
    side = (text_width - number - note) // 2
    return [number, side, side, note]


def _set_widths(table, widths: list[int]) -> None:
    """Fixed column widths: Word and LibreOffice both keep them."""
    table.autofit = False  # w:tblLayout fixed
    for column, width in zip(table._tbl.tblGrid.gridCol_lst, widths, strict=True):
        column.w = Twips(width)
    for row in table.rows:
        for cell in row.cells:
            cell.vertical_alignment = WD_ALIGN_VERTICAL.TOP
        for index, cell in enumerate(row.cells):
            if cell._tc.grid_span == 1:
                cell.width = Twips(widths[min(index, len(widths) - 1)])
