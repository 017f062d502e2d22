"""The 制度汇编 as Word: its sections and front matter, the whole compendium in one go,
and the pieces of its PDF.

The .docx is joined from each regulation's section (`render_section`, one a regulation,
kept between builds) behind the cover and table of contents (`render_word_front`); see
docx_join.py. `render_compendium` makes the same document in one python-docx tree (the
reference the joined file is tested against). The PDF of the compendium is assembled from
pieces converted one by one (see pdf_compendium.py): parts of several regulations (their
sections with the page number in the footer) and the front matter (cover and table of
contents, the page numbers written in).
"""

from __future__ import annotations

import hashlib
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
from .docx_contents import BOOKMARK_PREFIX, Contents
from .docx_join import Section, cut
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
    anchors = Anchors(anchor_prefixes(regulations), contents)
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


def anchor_prefixes(regulations: Iterable[Regulation]) -> dict[str, str]:
    """Each regulation's bookmark prefix in the 制度汇编, made from its id alone (not its
    place): c and 8 hex digits of a hash; of ids whose digits coincide, those after the
    first (by id) take 16."""
    prefixes: dict[str, str] = {}
    taken: set[str] = set()
    for regulation_id in sorted(r.id for r in regulations):
        digest = hashlib.sha256(regulation_id.encode()).hexdigest()
        prefix = next(f"c{digest[:length]}" for length in (8, 16, 32, 64)
                      if f"c{digest[:length]}" not in taken)
        taken.add(prefix)
        prefixes[regulation_id] = prefix
    return prefixes


class _Recorded(Anchors):
    """Anchors that note each other regulation a section looks up, and what it found."""

    def __init__(self, prefixes: dict[str, str], contents: Contents, own: str) -> None:
        super().__init__(prefixes, contents)
        self.own, self.read = own, {}

    def regulation(self, regulation_id: str) -> str | None:
        """Bookmark of a regulation's title, None when it is not in the compendium."""
        self._note(regulation_id)
        return super().regulation(regulation_id)

    def article(self, regulation_id: str, key: str) -> str | None:
        """Bookmark of an article, None when its regulation is not in the compendium."""
        self._note(regulation_id)
        return super().article(regulation_id, key)

    def _note(self, regulation_id: str) -> None:
        if regulation_id != self.own:
            self.read[regulation_id] = self.prefixes.get(regulation_id)


def render_section(project: Project, regulation: Regulation, prefixes: dict[str, str],
                   template: Path) -> Section:
    """A regulation's section of the Word 制度汇编, as the compendium holds it: its body
    (bookmarks named by `prefixes`, the compendium's anchors), its running header, the
    page numbers going on from the section before, and which other regulations' anchors
    it links to."""
    document = new_document(template)
    sections.unlink(document.sections[-1]._sectPr)
    _part_section(document, project, regulation, start=None, footer=False)
    anchors = _Recorded(prefixes, Contents(TOC_LEVELS), regulation.id)
    regulation_body(document, project, regulation, anchors, mark_draft=True)
    return cut(document, lambda: sections.end_section(document),
               toc=len(anchors.contents.entries), links=anchors.read)


def render_word_front(project: Project, regulations: list[Regulation], template: Path,
                      target: Path) -> Path:
    """The Word 制度汇编's cover and table of contents (its entries linked to the headings'
    `_Toc` bookmarks, numbered through the sections in order), the contents' section
    ended: the sections follow it."""
    document = new_document(template)
    contents = _front(document, project, regulations)
    if regulations:  # else the contents' section is the document's last
        sections.end_section(document)
    for regulation in regulations:
        for level, text in headings(regulation):
            name = f"{BOOKMARK_PREFIX}{len(contents.entries) + 1:05d}"
            contents.entries.append((level, text, name))
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


def cover_lines(project: Project, regulations: list[Regulation]) -> list[tuple[str, str]]:
    """The cover's lines (text, style): 管理制度汇编, the company, the edition and the date
    of the latest text the compendium holds."""
    lines = [("管理制度汇编", Styles.cover), (project.company.name, Styles.cover_company)]
    dates = [revision.date for r in regulations for revision in r.revisions] + \
        [r.effective for r in regulations]
    if dates:
        latest = max(dates)
        lines += [(f"{latest.year}年版", Styles.cover_company),
                  (f"截至{date_text(latest)}", Styles.cover_company)]
    return lines


def _cover(document: Document, project: Project, regulations: list[Regulation]) -> None:
    for text, style in cover_lines(project, regulations):
        ooxml.add_paragraph(document, text, style=style)


def _take_children(body, keep) -> list:
    """Remove and return the body's children, all but `keep`."""
    children = [child for child in body if child is not keep]
    for child in children:
        body.remove(child)
    return children
