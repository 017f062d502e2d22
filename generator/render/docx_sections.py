"""Word sections of the 制度汇编: where one ends, and how its pages are numbered.

A Word document's last section is described by the body's closing `w:sectPr`; every
earlier section by a `w:sectPr` in the properties of its last paragraph.
"""

from __future__ import annotations

import copy

from docx.document import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from . import ooxml

_AFTER_PAGE_NUMBERS = ("w:cols", "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg",
                       "w:textDirection", "w:bidi", "w:rtlGutter", "w:docGrid",
                       "w:printerSettings", "w:sectPrChange")
"""What follows w:pgNumType in a w:sectPr (Word rejects it out of schema order)."""


def end_section(document: Document) -> None:
    """End the section at the body's end here; what is added next starts a new section
    on a new page, with the same page setup, that shows the previous section's header
    and footer until it is given its own."""
    body = document.element.body
    sentinel = body.find(qn("w:sectPr"))
    last = sentinel.getprevious()
    if last is None or last.tag != qn("w:p") or last.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") \
            is not None:
        last = ooxml.add_paragraph(document)._p
    last.set_sectPr(copy.deepcopy(sentinel))
    unlink(sentinel)


def unlink(properties) -> None:
    """Take a section's own header, footer and title page from its w:sectPr: it shows
    the previous section's until given its own."""
    for element in properties.findall(qn("w:headerReference")) + \
            properties.findall(qn("w:footerReference")) + properties.findall(qn("w:titlePg")):
        properties.remove(element)


def number_pages(section, style: str, start: int | None) -> None:
    """Number the section's pages in `style` (decimal, upperRoman …), from `start`, or
    on from the previous section when start is None."""
    properties = section._sectPr
    numbering = properties.find(qn("w:pgNumType"))
    if numbering is None:
        numbering = OxmlElement("w:pgNumType")
        properties.insert_element_before(numbering, *_AFTER_PAGE_NUMBERS)
    numbering.attrib.clear()
    numbering.set(qn("w:fmt"), style)
    if start is not None:
        numbering.set(qn("w:start"), str(start))
