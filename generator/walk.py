"""One walk over a regulation's body in reading order — preamble, articles outside any
chapter, each chapter (heading, intro, table, articles, then its sections the same way),
postscript — shared by every output that prints or indexes a regulation (plain text, Word,
the site, search), so none of them re-states the order."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from .model import Article, Chapter, RichText, Section, Table

PREAMBLE, HEADING, INTRO, TABLE, ARTICLE, POSTSCRIPT = (
    "preamble", "heading", "intro", "table", "article", "postscript")
"""The kinds of block a regulation's body is made of."""


@dataclass(frozen=True)
class Block:
    """One piece of a regulation's body, with the chapter and section it stands in."""

    kind: str
    """PREAMBLE, HEADING (value is the Chapter or Section), INTRO, TABLE, ARTICLE or
    POSTSCRIPT."""
    value: RichText | Chapter | Section | Table | Article
    chapter: Chapter | None = None
    section: Section | None = None

    @property
    def depth(self) -> int:
        """0 outside any chapter, 1 in a chapter, 2 in a section."""
        return 0 if self.chapter is None else 1 if self.section is None else 2


def blocks(regulation) -> Iterator[Block]:
    """Every block of the regulation's body in reading order."""
    for text in regulation.preamble:
        yield Block(PREAMBLE, text)
    for article in regulation.articles:
        yield Block(ARTICLE, article)
    for chapter in regulation.chapters:
        yield from _part(chapter, chapter, None)
        for section in chapter.sections:
            yield from _part(section, chapter, section)
    for text in regulation.postscript:
        yield Block(POSTSCRIPT, text)


def _part(part: Chapter | Section, chapter: Chapter, section: Section | None
          ) -> Iterator[Block]:
    """A chapter's or section's own blocks: heading, intro, table, articles."""
    yield Block(HEADING, part, chapter, section)
    for text in part.intro:
        yield Block(INTRO, text, chapter, section)
    if part.table:
        yield Block(TABLE, part.table, chapter, section)
    for article in part.articles:
        yield Block(ARTICLE, article, chapter, section)


def heading_text(numbering: str, label: str, title: str) -> str:
    """A chapter's or section's heading as printed: 第一章　总则, or 一、总则 in an outline."""
    return f"{label}　{title}" if numbering == "article" else f"{label}{title}"
