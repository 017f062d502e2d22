"""Low-level Office Open XML pieces shared by the Word renderers (regulations, forms,
新旧条文对照表): an empty document on a style template, fields, bookmarks, internal
links, and paragraphs and runs added without python-docx's slow paths. Nothing here
knows about regulations."""

from __future__ import annotations

import copy
import itertools
import unicodedata
import weakref
from collections.abc import Iterable
from pathlib import Path

from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_ALIGN_VERTICAL
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Twips
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph
from docx.text.run import Run

from .word_template import open_template

CELL_MARGIN = 108
"""Word's default left and right cell margin, in twips (1.9 mm)."""

AFTER_UPDATE_FIELDS = (
    "w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat", "w:docVars", "w:rsids",
    "m:mathPr", "w:attachedSchema", "w:themeFontLang", "w:clrSchemeMapping",
    "w:doNotIncludeSubdocsInStats", "w:doNotAutoCompressPictures", "w:forceUpgrade",
    "w:captions", "w:readModeInkLockDown", "w:smartTagType", "sl:schemaLibrary",
    "w:shapeDefaults", "w:doNotEmbedSmartTags", "w:decimalSymbol", "w:listSeparator",
)
"""The elements that follow w:updateFields in settings.xml (Word rejects them out of order)."""


def empty_document(template: Path, needed: Iterable[str] = ()) -> Document:
    """The template with its sample content removed (styles, page setup and section kept);
    an error names the template when it is damaged or lacks one of the needed styles."""
    document = open_template(template, needed)
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    remember_style_ids(document, template)
    return document


_STYLE_IDS: dict[tuple[str, int, int], dict[tuple, str | None]] = {}


def remember_style_ids(document: Document, template: Path) -> None:
    """Answer each style lookup once per template.

    python-docx finds a style's id by scanning every style of the template, for every
    paragraph and run; a 30-article regulation spent 70 % of its time there. The ids
    are the template's, so documents made from the same template file share them.
    Relies on python-docx's DocumentPart.get_style_id being the one lookup behind
    `paragraph.style = …` and `run.style = …` (checked in tests/test_adapters.py).
    """
    part = document.part
    lookup = part.get_style_id
    stat = Path(template).stat()
    known = _STYLE_IDS.setdefault((str(template), stat.st_mtime_ns, stat.st_size), {})

    def get_style_id(style, style_type):
        key = (style if isinstance(style, str) or style is None
               else (style.style_id, style.type), style_type)
        if key not in known:
            known[key] = lookup(style, style_type)
        return known[key]

    part.get_style_id = get_style_id


def field(paragraph: DocxParagraph, instruction: str, shown: str) -> None:
    """Append a complex field (PAGE, TOC …) with a cached result to a paragraph."""
    def char(kind: str):
        run = paragraph.add_run()
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        if kind == "begin":
            element.set(qn("w:dirty"), "true")
        run._r.append(element)

    char("begin")
    run = paragraph.add_run()
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    run._r.append(text)
    char("separate")
    paragraph.add_run(shown)
    char("end")


def page_break(document: Document) -> None:
    paragraph = document.add_paragraph()
    run = paragraph.add_run()
    element = OxmlElement("w:br")
    element.set(qn("w:type"), "page")
    run._r.append(element)


def add_paragraph(document: Document, text: str = "", style: str | None = None
                   ) -> DocxParagraph:
    """document.add_paragraph, without python-docx's scan of the body for its end."""
    style_id = document.part.get_style_id(style, WD_STYLE_TYPE.PARAGRAPH) if style else None
    element = styled("w:p", "w:pPr", "w:pStyle", style_id)
    body = document.element.body
    last = body[-1] if len(body) else None
    if last is not None and last.tag == qn("w:sectPr"):
        last.addprevious(element)
    else:
        body.append(element)
    paragraph = DocxParagraph(element, document._body)
    if text:
        add_run(paragraph, text)
    return paragraph


def add_run(paragraph: DocxParagraph, text: str = "", style: str | None = None) -> Run:
    """paragraph.add_run, writing plain text directly (python-docx adds it a character
    at a time)."""
    style_id = paragraph.part.get_style_id(style, WD_STYLE_TYPE.CHARACTER) if style else None
    element = styled("w:r", "w:rPr", "w:rStyle", style_id)
    paragraph._p.append(element)
    if text and not any(c in text for c in "\t\n\r"):
        run_text = OxmlElement("w:t")
        run_text.text = text
        if text != text.strip():
            run_text.set(qn("xml:space"), "preserve")
        element.append(run_text)
    elif text:
        element.text = text  # python-docx turns tabs and line breaks into w:tab / w:br
    return Run(element, paragraph)


def styled(tag: str, properties_tag: str, style_tag: str, style_id: str | None):
    """A new w:p or w:r element, carrying its style (when not the default) in its properties."""
    element = OxmlElement(tag)
    if style_id:
        properties = OxmlElement(properties_tag)
        style = OxmlElement(style_tag)
        style.set(qn("w:val"), style_id)
        properties.append(style)
        element.append(properties)
    return element


def cell(cell, text: str, style: str) -> None:
    """Put text in the cell's (empty) first paragraph, in style."""
    paragraph = cell.paragraphs[0]
    paragraph.style = style
    if text:
        add_run(paragraph, text)


def outline_level(paragraph: DocxParagraph, level: int) -> None:
    paragraph._p.get_or_add_pPr().get_or_add_outlineLvl().val = level  # in schema order


def repeat_header(table: DocxTable) -> None:
    """Repeat the table's first row at the top of every page it runs onto."""
    properties = table.rows[0]._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:tblHeader"))  # on; Word takes no val="true" here


_AFTER_CANT_SPLIT = ("w:trHeight", "w:tblHeader", "w:tblCellSpacing", "w:jc", "w:hidden",
                     "w:ins", "w:del", "w:trPrChange")
"""What Word writes after w:cantSplit in a row's w:trPr (w:ins, w:del and w:trPrChange
must follow it; the others follow it by Word's habit)."""


def keep_rows_whole(table: DocxTable) -> None:
    """Never break one of the table's rows across two pages (a short row moves whole to
    the next page; one taller than a page still breaks)."""
    for row in table.rows:
        properties = row._tr.get_or_add_trPr()
        if properties.find(qn("w:cantSplit")) is None:
            properties.insert_element_before(OxmlElement("w:cantSplit"), *_AFTER_CANT_SPLIT)


_bookmark_ids: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
"""A counter per document: the same document gets the same ids in any process."""


def bookmark(paragraph: DocxParagraph, name: str | None) -> None:
    if not name:
        return
    start = OxmlElement("w:bookmarkStart")
    counter = _bookmark_ids.setdefault(paragraph.part, itertools.count(1))
    identifier = str(next(counter))
    start.set(qn("w:id"), identifier)
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), identifier)
    properties = paragraph._p.pPr
    position = 1 if properties is not None else 0  # w:pPr must stay the first child
    paragraph._p.insert(position, start)
    paragraph._p.append(end)


def internal_link(paragraph: DocxParagraph, anchor: str, text: str) -> None:
    link = OxmlElement("w:hyperlink")
    link.set(qn("w:anchor"), anchor)
    run = add_run(paragraph, text)
    link.append(copy.deepcopy(run._r))
    run._r.getparent().replace(run._r, link)


def _needed_width(text: str) -> float:
    """How wide text is, in Chinese characters (Latin letters and digits count half)."""
    return sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.55 for c in text)


def size_columns(document: Document, table: DocxTable) -> None:
    """Give the table the text block's width, each column a share by what its cells hold
    (a 级别 column narrow, a description wide), centre the cells vertically, and put
    the table's borders on the text margins."""
    section = document.sections[-1]
    width = (section.page_width - section.left_margin - section.right_margin) // 635  # twips
    columns = list(zip(*[[cell.text for cell in row.cells] for row in table.rows],
                       strict=False))
    needs = [min(24.0, max(2.0, *(_needed_width(text) for text in column)))
             for column in columns]
    widths = [int(width * need / sum(needs)) for need in needs]
    table.autofit = False
    for column, share in zip(table._tbl.tblGrid.gridCol_lst, widths, strict=False):
        column.w = Twips(share)
    for row in table.rows:
        for cell, share in zip(row.cells, widths, strict=False):
            cell.width = Twips(share)
            cell.vertical_alignment = WD_ALIGN_VERTICAL.CENTER
    properties = table._tbl.tblPr
    indent = properties.find(qn("w:tblInd"))
    if indent is None:
        indent = OxmlElement("w:tblInd")
        properties.insert_element_before(indent, "w:tblBorders", "w:shd", "w:tblLayout",
                                         "w:tblCellMar", "w:tblLook", "w:tblCaption",
                                         "w:tblDescription")
    indent.set(qn("w:w"), str(CELL_MARGIN))  # text in cells lines up; borders on the margin
    indent.set(qn("w:type"), "dxa")
