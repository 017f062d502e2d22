"""Word files with damaged or extreme parts, for the import's tests."""

from __future__ import annotations

from pathlib import Path

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

W = nsdecls("w")


def damaged_word_file(path: Path) -> Path:
    """A numbering part whose start is enormous and whose levels are not numbers, and a
    table of 25 columns."""
    document = docx.Document()
    numbering = document.part.numbering_part.element
    for child in list(numbering):
        numbering.remove(child)
    numbering.append(parse_xml(
        f'<w:abstractNum {W} w:abstractNumId="0"><w:lvl w:ilvl="0">'
        '<w:start w:val="999999999999999"/><w:numFmt w:val="upperLetter"/>'
        '<w:lvlText w:val="%1."/></w:lvl><w:lvl w:ilvl="x"><w:start w:val="y"/></w:lvl>'
        "</w:abstractNum>"))
    numbering.append(parse_xml(f'<w:num {W} w:numId="1"><w:abstractNumId w:val="0"/>'
                               '<w:lvlOverride w:ilvl="z"><w:startOverride w:val="q"/>'
                               "</w:lvlOverride></w:num>"))
    document.add_paragraph("员工守则")
    paragraph = document.add_paragraph("本规定适用于全体员工。")
    paragraph._p.get_or_add_pPr().append(parse_xml(
        f'<w:numPr {W}><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>'))
    table = document.add_table(rows=2, cols=25)
    for index, cell in enumerate(table.rows[0].cells):
        cell.text = f"列{index}"
    document.save(path)
    return path
