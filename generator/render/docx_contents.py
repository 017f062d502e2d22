"""The table of contents of our Word files, written filled in.

Word's TOC field shows its last result until the field is updated; we write that result
ourselves (one entry per heading, linked to a hidden `_Toc` bookmark on the heading), so
Word, WPS, phones and mail previews show the contents without a field update and Word
asks nothing on opening. Page numbers come from LibreOffice's layout when the PDF is
made (`fill_page_numbers`); a .docx built without LibreOffice lists its headings without
page numbers.
"""

from __future__ import annotations

import os
import tempfile
import zipfile
from pathlib import Path

from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph as DocxParagraph
from lxml import etree

from . import ooxml

BOOKMARK_PREFIX = "_Toc"
PLACEHOLDER = "（本文件没有可列入目录的标题）"
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


class Contents:
    """The headings of one document that its table of contents lists."""

    def __init__(self, levels: str) -> None:
        low, _, high = levels.partition("-")
        self.levels = range(int(low), int(high or low) + 1) if levels else range(0)
        self.instruction = f'TOC \\o "{levels}" \\h \\z \\u'
        self.entries: list[tuple[int, str, str]] = []  # (level, text, bookmark)
        self.placeholder = None

    def heading(self, paragraph: DocxParagraph, level: int, text: str) -> None:
        """Mark a heading of the given TOC level (1 = a regulation's title) for the TOC."""
        if level not in self.levels:
            return
        name = f"{BOOKMARK_PREFIX}{len(self.entries) + 1:05d}"
        ooxml.bookmark(paragraph, name)
        self.entries.append((level, text, name))

    def reserve(self, document: Document) -> None:
        """Put the table's place here (filled by `write` once every heading is known)."""
        self.placeholder = ooxml.add_paragraph(document)

    def write(self, document: Document, pages: list[str] | None = None) -> None:
        """Replace the reserved place with the TOC field and its entries; with `pages`
        (one per entry), the entries alone, each with its page number (no field for a
        program to update: the headings are in another document)."""
        if self.placeholder is None:
            return
        anchor = self.placeholder._p
        paragraphs = [self._entry(document, level, text, name)
                      for level, text, name in self.entries]
        if pages is not None:
            for paragraph, page in zip(paragraphs, pages, strict=True):
                _add_number(paragraph, page)
            for paragraph in paragraphs:
                anchor.addprevious(paragraph)
            anchor.getparent().remove(anchor)
            self.placeholder = None
            return
        if not paragraphs:
            paragraphs = [ooxml.styled("w:p", "w:pPr", "w:pStyle", None)]
            _text_run(paragraphs[0], PLACEHOLDER)
        first, last = paragraphs[0], paragraphs[-1]
        runs = [_field_char("begin"), _instruction(self.instruction), _field_char("separate")]
        position = 1 if first.find(qn("w:pPr")) is not None else 0
        for offset, run in enumerate(runs):
            first.insert(position + offset, run)
        last.append(_field_char("end"))
        for paragraph in paragraphs:
            anchor.addprevious(paragraph)
        if anchor.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is None:
            anchor.getparent().remove(anchor)
        # else the table ends its section: the break stays in a paragraph of its own (in
        # the field's last paragraph LibreOffice loses the page numbers of the footers)
        self.placeholder = None

    def _entry(self, document: Document, level: int, text: str, name: str):
        try:
            style_id = document.part.get_style_id(f"toc {level}", WD_STYLE_TYPE.PARAGRAPH)
        except KeyError:  # a template without that style
            style_id = None
        paragraph = ooxml.styled("w:p", "w:pPr", "w:pStyle", style_id)
        if not name:
            _text_run(paragraph, text)
            return paragraph
        link = OxmlElement("w:hyperlink")
        link.set(qn("w:anchor"), name)
        link.set(qn("w:history"), "1")
        _text_run(link, text)
        paragraph.append(link)
        return paragraph


def _text_run(parent, text: str) -> None:
    run = OxmlElement("w:r")
    element = OxmlElement("w:t")
    element.text = text
    element.set(qn("xml:space"), "preserve")
    run.append(element)
    parent.append(run)


def _field_char(kind: str):
    run = OxmlElement("w:r")
    element = OxmlElement("w:fldChar")
    element.set(qn("w:fldCharType"), kind)
    run.append(element)
    return run


def _instruction(text: str):
    run = OxmlElement("w:r")
    element = OxmlElement("w:instrText")
    element.set(qn("xml:space"), "preserve")
    element.text = f" {text} "
    run.append(element)
    return run


# ---------------------------------------------------------------- page numbers


def entry_texts(path: Path) -> list[str]:
    """The TOC entries of a .docx we wrote, in order (for tests and matching)."""
    with zipfile.ZipFile(path) as package:
        root = etree.fromstring(package.read("word/document.xml"))
    return ["".join(link.itertext()) for link in _links(root)]


def _links(root) -> list:
    return [link for link in root.iter(f"{{{_W}}}hyperlink")
            if link.get(f"{{{_W}}}anchor", "").startswith(BOOKMARK_PREFIX)]


def fill_page_numbers(path: Path, laid_out: list[str]) -> bool:
    """Write page numbers into the TOC entries of the .docx at path.

    `laid_out` are LibreOffice's TOC lines (`heading<TAB>page`), in order; each of our
    entries takes the page of the next line with the same heading. The file is replaced,
    not changed in place (it may be a hard link to a previous build's copy). Returns
    whether every entry got a page number.
    """
    pages = [line.rpartition("\t") for line in laid_out if "\t" in line]
    with zipfile.ZipFile(path) as package:
        items = [(info, package.read(info.filename)) for info in package.infolist()]
    document = next(data for info, data in items if info.filename == "word/document.xml")
    root = etree.fromstring(document)
    links = _links(root)
    found = 0
    position = 0
    for link in links:
        wanted = _same("".join(link.itertext()))
        for index in range(position, len(pages)):
            if _same(pages[index][0]) == wanted:
                _add_number(link, pages[index][2].strip())
                position, found = index + 1, found + 1
                break
    if found:
        data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        _rewrite(path, [(info, data if info.filename == "word/document.xml" else old)
                        for info, old in items])
    return found == len(links)


def _same(text: str) -> str:
    return "".join(text.split())


def _add_number(link, number: str) -> None:
    etree.SubElement(etree.SubElement(link, f"{{{_W}}}r"), f"{{{_W}}}tab")
    run = etree.SubElement(link, f"{{{_W}}}r")
    etree.SubElement(run, f"{{{_W}}}t").text = number


def _rewrite(path: Path, items: list) -> None:
    """Write a new zip at path with the same members (a new file, renamed over the old)."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".toc-", suffix=".docx")
    os.close(handle)
    try:
        with zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as package:
            for info, data in items:
                member = zipfile.ZipInfo(info.filename, info.date_time)
                member.compress_type = zipfile.ZIP_DEFLATED
                package.writestr(member, data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
