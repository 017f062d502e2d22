"""The 制度汇编 as Word: the whole compendium in one .docx, and its pieces for the PDF.

The PDF of the compendium is assembled from pieces converted one by one (see
pdf_compendium.py): a part per regulation (its section as it is in the compendium: title
and 文号 in the running header, page number in the footer) and the front matter (cover and
table of contents, the page numbers written in).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from docx.document import Document
from docx.oxml.ns import qn

from .. import walk
from ..model import Project, Regulation
from . import docx_sections as sections
from . import ooxml
from .docx import (
    Anchors,
    Styles,
    date_text,
    header_and_footer,
    new_document,
    regulation_body,
)
from .docx_contents import Contents
from .word_template import save as ooxml_save

TOC_LEVELS = "1-2"
"""What the compendium's table of contents lists: regulations and their chapters."""


def render_compendium(project: Project, regulations: Iterable[Regulation], template: Path,
                      target: Path) -> Path:
    """Write every regulation into one 制度汇编: a cover without header or page number
    (edition and date), the table of contents numbered on its own (I, II …), then one
    section per regulation, its title and 文号 in the running header, numbered from — 1 —."""
    regulations = list(regulations)
    document = new_document(template)
    contents = _front(document, project, regulations)
    anchors = Anchors({r.id: f"c{index}" for index, r in enumerate(regulations, start=1)},
                      contents)
    # python-docx finds the body's end by scanning it for every paragraph it adds, which
    # is quadratic in a long compendium: keep the body short and move the parts in at the end
    body = document.element.body
    sentinel = body.find(qn("w:sectPr"))
    parts: list = []
    for number, regulation in enumerate(regulations):
        sections.end_section(document)  # the part before this regulation ends its section
        parts += _take_children(body, keep=sentinel)
        _part_section(document, project, regulation, start=1 if number == 0 else None,
                      footer=False)
        regulation_body(document, project, regulation, anchors, mark_draft=True)
    parts += _take_children(body, keep=sentinel)
    body.remove(sentinel)
    body.extend(parts)
    body.append(sentinel)
    contents.write(document)
    ooxml_save(document, target)
    return target


def render_part(project: Project, regulations: list[Regulation], template: Path,
                target: Path) -> Path:
    """Write regulations as their sections of the 制度汇编 (a part of the compendium's
    PDF): each with the compendium's running header, pages numbered from — 1 —."""
    document = new_document(template)
    anchors = Anchors({r.id: f"c{index}" for index, r in enumerate(regulations, start=1)},
                      Contents(""))
    for number, regulation in enumerate(regulations):
        if number:
            sections.end_section(document)
        _part_section(document, project, regulation, start=None if number else 1,
                      footer=not number)
        regulation_body(document, project, regulation, anchors, mark_draft=True)
    ooxml_save(document, target)
    return target


def render_front(project: Project, regulations: Iterable[Regulation], template: Path,
                 target: Path, pages: list[int]) -> Path:
    """Write the 制度汇编's cover and table of contents, each entry (`headings`, in order)
    with its page number from `pages`."""
    regulations = list(regulations)
    document = new_document(template)
    contents = _front(document, project, regulations)
    for regulation in regulations:
        for level, text in headings(regulation):
            contents.entries.append((level, text, ""))
    contents.write(document, pages=[str(page) for page in pages])
    ooxml_save(document, target)
    return target


def headings(regulation: Regulation) -> list[tuple[int, str]]:
    """The entries (level, text) a regulation has in the compendium's table of contents:
    its title (1), its chapters and its processes appendix (2)."""
    title = regulation.title + "（草案）" * (regulation.status == "draft")
    found = [(1, title)]
    found += [(2, walk.heading_text(regulation.numbering, chapter.label, chapter.title))
              for chapter in regulation.chapters]
    if regulation.processes:
        found.append((2, "附：流程"))
    return found


def _front(document: Document, project: Project, regulations: list[Regulation]) -> Contents:
    """The cover, then the table of contents' section and title; its place is reserved."""
    _cover(document, project, regulations)
    sections.end_section(document)
    toc = document.sections[-1]
    header_and_footer(toc, project, f"{project.company.name}　　管理制度汇编", draft=False)
    sections.number_pages(toc, "upperRoman", start=1)
    contents = Contents(TOC_LEVELS)
    ooxml.add_paragraph(document, "目　录", style=Styles.toc_title)
    contents.reserve(document)
    document.core_properties.title = "管理制度汇编"
    return contents


def _part_section(document: Document, project: Project, regulation: Regulation,
                  start: int | None, footer: bool) -> None:
    """The last section as a regulation's: its title and 文号 in the header, decimal page
    numbers (from `start`, or on from the section before)."""
    section = document.sections[-1]
    sections.number_pages(section, "decimal", start=start)
    draft = regulation.status == "draft"
    header_and_footer(section, project, f"{regulation.title}{'（草案）' * draft}　　"
                      f"{regulation.number}", draft=draft, footer=footer)


def _cover(document: Document, project: Project, regulations: list[Regulation]) -> None:
    """管理制度汇编, the company, the edition and the date of the latest text it holds."""
    ooxml.add_paragraph(document, "管理制度汇编", style=Styles.cover)
    ooxml.add_paragraph(document, project.company.name, style=Styles.cover_company)
    dates = [revision.date for r in regulations for revision in r.revisions] + \
        [r.effective for r in regulations]
    if dates:
        latest = max(dates)
        ooxml.add_paragraph(document, f"{latest.year}年版", style=Styles.cover_company)
        ooxml.add_paragraph(document, f"截至{date_text(latest)}", style=Styles.cover_company)


def _take_children(body, keep) -> list:
    """Remove and return the body's children, all but `keep`."""
    children = [child for child in body if child is not keep]
    for child in children:
        body.remove(child)
    return children
