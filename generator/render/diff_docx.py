"""The 新旧条文对照表 as Word: deleted text struck through, added text underlined.

Uses the character styles 删除文字 and 新增文字 of templates/reference.docx.
"""

from __future__ import annotations

from pathlib import Path

from ..diff import RegulationDiff
from . import docx as regulation_docx
from . import ooxml
from .word_template import save


def render(diff: RegulationDiff, template: Path, target: Path) -> Path:
    """Write one regulation's comparison table as .docx."""
    document = regulation_docx.new_document(template, ("删除文字", "新增文字"))
    document.add_paragraph(f"《{diff.title}》新旧条文对照表", style=regulation_docx.Styles.title)
    document.add_paragraph(f"版本 {diff.old_version or '—'} → {diff.new_version or '—'}。"
                           f"{diff.summary()}", style=regulation_docx.Styles.info)
    table = document.add_table(rows=1, cols=4)
    table.style = document.styles[regulation_docx.Styles.grid]
    for cell, text in zip(table.rows[0].cells, ("序号", "修订前", "修订后", "说明"), strict=True):
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
    save(document, target)
    return target
