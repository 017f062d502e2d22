"""Numbering: the labels of a regulation's chapters, sections and articles (第一章, 第三条,
（二）…), and the citation text of each article for {条:…} references to it."""

from __future__ import annotations

from collections.abc import Iterator

from . import checks, model, schema, zh
from .discovery import Parsed
from .errors import ProblemSink
from .resolve_text import TextBuilder


def walk(data: schema.Regulation) -> Iterator[tuple]:
    """Yield (article, path, chapter_index, section_index, number_in_parent) in order."""
    for a_index, article in enumerate(data.articles):
        yield article, ("articles", a_index), None, None, a_index + 1
    for c_index, chapter in enumerate(data.chapters):
        for a_index, article in enumerate(chapter.articles):
            yield (article, ("chapters", c_index, "articles", a_index), c_index, None,
                   a_index + 1)
        for s_index, section in enumerate(chapter.sections):
            for a_index, article in enumerate(section.articles):
                yield (article, ("chapters", c_index, "sections", s_index, "articles",
                                 a_index), c_index, s_index, a_index + 1)


def article_labels(parsed: Parsed, sink: ProblemSink) -> dict[tuple[str, str], str]:
    """The citation text of each article, by (regulation id, article key); duplicate ids
    and anchors are reported to sink."""
    data: schema.Regulation = parsed.data
    labels: dict[tuple[str, str], str] = {}
    seen: dict[str, tuple] = {}
    for ordinal, (article, path, c_index, s_index, local) in enumerate(walk(data), start=1):
        key = article.id or f"article-{ordinal}"
        if key in seen:
            sink.error(parsed.source.value(path + ("id",)),
                       f"duplicate article id `{key}` in this regulation",
                       "article ids must be unique within a regulation")
            continue
        seen[key] = path
        labels[(data.id, key)] = citation(data.numbering == "article", ordinal, c_index,
                                          s_index, local)
    for path, message, hint in checks.anchor_collisions(data):  # duplicate HTML anchors
        sink.error(parsed.source.value(path), message, hint)
    return labels


def citation(by_article: bool, ordinal: int, c_index: int | None, s_index: int | None,
             local: int) -> str:
    """How text cites an article: 第七条, or 第二部分（一）第3点 in an outline-numbered
    regulation (chapter and section indexes count from 0; None when outside one)."""
    if by_article:
        return zh.article_label(ordinal)
    return zh.outline_reference(
        None if c_index is None else c_index + 1,
        None if s_index is None else s_index + 1, local)


class Structure:
    """A regulation's articles and chapters, numbered and labelled as they are built."""

    def __init__(self, data: schema.Regulation, builder: TextBuilder) -> None:
        self.data, self.builder = data, builder
        self.by_article = data.numbering == "article"
        self.levels = zh.ARTICLE_STYLE_LEVELS if self.by_article \
            else zh.OUTLINE_STYLE_LEVELS[3:]
        self.ordinal = 0
        self.articles = tuple(self._article(a, ("articles", i), i + 1, None, None)
                              for i, a in enumerate(data.articles))
        """The articles outside any chapter."""
        self.chapters = tuple(self._chapter(index, chapter)
                              for index, chapter in enumerate(data.chapters))

    def _article(self, item: schema.Article, path: tuple, local: int, c_index: int | None,
                 s_index: int | None) -> model.Article:
        self.ordinal += 1
        number = self.ordinal if self.by_article else local
        label = zh.article_label(number) if self.by_article \
            else zh.list_label(zh.OUTLINE_STYLE_LEVELS[2], number)
        cited = citation(self.by_article, self.ordinal, c_index, s_index, local)
        return self.builder.article(item, path, numbering=(self.ordinal, number, label, cited),
                                    levels=self.levels)

    def _chapter(self, c_index: int, chapter: schema.Chapter) -> model.Chapter:
        builder = self.builder
        c_path = ("chapters", c_index)
        c_label = zh.chapter_label(c_index + 1) if self.by_article \
            else zh.list_label(zh.OUTLINE_STYLE_LEVELS[0], c_index + 1)
        chapter_articles = tuple(self._article(a, c_path + ("articles", i), i + 1, c_index,
                                               None)
                                 for i, a in enumerate(chapter.articles))
        sections = tuple(self._section(c_index, s_index, section)
                         for s_index, section in enumerate(chapter.sections))
        return model.Chapter(
            key=chapter.id or f"chapter-{c_index + 1}", number=c_index + 1, label=c_label,
            title=chapter.title, intro=builder.texts(chapter.intro, c_path + ("intro",)),
            sections=sections, articles=chapter_articles,
            table=builder.table(chapter.table, c_path + ("table",)))

    def _section(self, c_index: int, s_index: int, section: schema.Section) -> model.Section:
        builder = self.builder
        s_path = ("chapters", c_index, "sections", s_index)
        s_label = zh.section_label(s_index + 1) if self.by_article \
            else zh.list_label(zh.OUTLINE_STYLE_LEVELS[1], s_index + 1)
        return model.Section(
            key=section.id or f"chapter-{c_index + 1}-section-{s_index + 1}",
            number=s_index + 1, label=s_label, title=section.title,
            intro=builder.texts(section.intro, s_path + ("intro",)),
            articles=tuple(self._article(a, s_path + ("articles", i), i + 1, c_index, s_index)
                           for i, a in enumerate(section.articles)),
            table=builder.table(section.table, s_path + ("table",)))
