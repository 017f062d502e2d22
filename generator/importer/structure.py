"""Build the regulation tree (chapters → sections → articles → items) from labelled text.

The result is plain data in the shape of :class:`generator.schema.Regulation`'s body
(`chapters` or `articles`, plus `preamble`), with `_comment` keys where the importer
was unsure; :mod:`generator.importer.emit` writes it as YAML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .conventions import decimal_outline, split_title
from .markers import LEVEL_HINTS, RANK, Marker, candidates, scan

TITLE_ONLY = "⟦无正文⟧"
"""An article heading with no text of its own (a line that follows it in Word files this
tool wrote)."""

HEADING_WORDS = ("目的", "宗旨", "适用范围", "范围", "依据", "定义", "术语", "职责", "原则", "总则",
                 "附则", "其他", "说明", "组织架构", "绪论", "引言", "前言", "背景", "概述")
_HEADING_END = re.compile(r"^([\u4e00-\u9fff]{2,10}?)(?=为|是指|是|应|由|对|按|根据|在|将)")
_BULLET = re.compile(r"[•●▪◆–]\s*|^\s*-\s*(?=[\u4e00-\u9fff])", re.M)
"""Words a section heading often starts with when its text runs on (（一）目的为规范…)."""

_SENTENCE = re.compile(r"[。；;！？!?，,：:]")


@dataclass
class Node:
    """A label with its role in the tree and the text up to the next label."""

    marker: Marker | None
    role: str  # chapter, section, article, item
    text: str
    children: list[Node] = field(default_factory=list)
    depth: int = 0


@dataclass
class Parsed:
    """A parsed regulation body."""

    body: dict[str, Any]
    numbering: str
    warnings: list[str]
    counts: dict[str, int]


def _roles_for(scan_result, markers: list[Marker]) -> dict[int, str]:
    """Map each rank present to chapter / section / article / item."""
    if scan_result.article_mode:
        roles = {0: "chapter", 1: "section", 2: "article"}
        if scan_result.outline_chapters:
            roles[10] = "chapter"
        for rank in sorted({m.rank for m in markers if m.rank >= 10}):
            roles[rank] = "item"
        return roles
    ranks = sorted({m.rank for m in markers})
    structural = [r for r in ranks if r <= RANK["1."]]
    roles: dict[int, str] = {}
    names = {3: ("chapter", "section", "article"), 2: ("chapter", "article"), 1: ("article",),
             0: ()}[min(len(structural), 3)]
    if len(structural) > 3:
        structural = structural[:3]
    for rank, name in zip(structural, names, strict=False):
        roles[rank] = name
    if not structural and ranks:
        roles[ranks[0]] = "article"
    for rank in ranks:
        roles.setdefault(rank, "item")
    return roles


def _prepare(text: str) -> str:
    """Bullets become line breaks; lines wrapped mid-sentence are joined again."""
    text = _BULLET.sub("\n", text)
    lines = text.split("\n")
    joined: list[str] = []
    for line in lines:
        previous = joined[-1].rstrip() if joined else ""
        stripped = line.strip()
        if (len(previous) >= 20 and "\u4e00" <= previous[-1] <= "\u9fff" and stripped
                and "\u4e00" <= stripped[0] <= "\u9fff"
                and not any(True for _ in candidates(stripped[:6]))):
            joined[-1] = previous + stripped
        else:
            joined.append(line)
    return "\n".join(joined)


def parse(text: str) -> Parsed:
    """Parse a regulation body into schema-shaped data."""
    text, outline = decimal_outline(text)
    text = _prepare(text)
    text, dropped = _drop_table_of_contents(text)
    result = scan(text)
    markers = result.markers
    roles = _roles_for(result, markers)
    warnings = list(result.warnings) + ([outline] if outline else [])
    if dropped:
        warnings.append(f"dropped a table of contents: {dropped[:60]}…")
    preamble_text = text[:markers[0].start] if markers else text
    nodes = []
    for index, marker in enumerate(markers):
        end = markers[index + 1].start if index + 1 < len(markers) else len(text)
        nodes.append(Node(marker, roles[marker.rank], text[marker.end:end]))
    tree = _nest(nodes)
    body: dict[str, Any] = {}
    preamble = _paragraphs(preamble_text)
    if preamble:
        body["preamble"] = preamble
    chapters = [n for n in tree if n.role == "chapter"]
    loose = [n for n in tree if n.role != "chapter"]
    if chapters:
        if loose:
            body.setdefault("chapters", []).append(_loose_chapter(loose, body, warnings))
        for node in chapters:
            body.setdefault("chapters", []).append(_chapter(node, warnings))
    else:
        body["articles"] = [_article(n, warnings) for n in loose if n.role in ("article", "item")]
        if not body["articles"]:
            body["articles"] = [{"text": p} for p in body.pop("preamble", [])] or \
                [{"text": "（未识别到条文）"}]
            warnings.append("no numbered articles found: each paragraph became an article")
    counts = {
        "chapters": len(body.get("chapters", [])),
        "articles": sum(1 for _ in walk_articles(body)),
        "items": sum(_count_items(a) for a in walk_articles(body)),
    }
    return Parsed(body, "article" if result.article_mode else "outline", warnings, counts)


def _drop_table_of_contents(text: str) -> tuple[str, str]:
    """Remove a scraped table of contents: four or more bare headings run together in a line.

    `一、销售管理(一)业务员职责(二)销售工作流程二、销售工作制度…`: 一、/（一） labels each
    followed by at most a short heading and nothing else.
    """
    line_start = 0
    for line in text.split("\n"):
        labels = [(start, end) for start, end, style, _n in candidates(line)
                  if style in ("一、", "（一）")]
        run: list[tuple[int, int]] = []
        best: list[tuple[int, int]] = []
        for start, end in labels:
            if run and (start - run[-1][1] > _TOC_HEADING or
                        _TOC_BREAK.search(line[run[-1][1]:start])):
                run = []
            run.append((start, end))
            if len(run) > len(best):
                best = list(run)
        if len(best) >= 4:
            tail = line[best[-1][1]:]
            heading = re.match(rf"[^。；;：:，,\d(（]{{1,{_TOC_HEADING}}}?(?=[^\u4e00-\u9fff]|$)",
                               tail)
            end = best[-1][1] + (heading.end() if heading else 0)
            start = line_start + best[0][0]
            stop = line_start + end
            return text[:start] + "\n" + text[stop:], text[start:stop]
        line_start += len(line) + 1
    return text, ""


_TOC_HEADING = 20
_TOC_BREAK = re.compile(r"[。；;！？!?，,]")


def _nest(nodes: list[Node]) -> list[Node]:
    order = {"chapter": 0, "section": 1, "article": 2, "item": 3}
    roots: list[Node] = []
    stack: list[Node] = []
    for node in nodes:
        level = order[node.role]
        if node.role == "item":
            while stack and stack[-1].role == "item" and stack[-1].marker.rank >= node.marker.rank:
                stack.pop()
        else:
            while stack and order[stack[-1].role] >= level:
                stack.pop()
        if stack and (node.role == "item" or order[stack[-1].role] < level):
            stack[-1].children.append(node)
        else:
            roots.append(node)
        stack.append(node)
    return roots


def _paragraphs(text: str) -> list[str]:
    text = text.translate(_NO_HINTS)
    return [line.strip(" \t　•·") for line in text.split("\n") if line.strip(" \t　•·")]


_NO_HINTS = str.maketrans("", "", LEVEL_HINTS)


def _split_heading(text: str, has_children: bool) -> tuple[str, list[str], bool]:
    """Split a heading's text into (title, following paragraphs, sure?)."""
    paragraphs = _paragraphs(text)
    if not paragraphs:
        return "", [], False
    first = paragraphs[0]
    rest = paragraphs[1:]
    if len(first) <= 24 and not _SENTENCE.search(first.rstrip(":：")):
        return first.rstrip(":："), rest, True
    for word in HEADING_WORDS:
        if first.startswith(word) and len(first) > len(word):
            body = first[len(word):].lstrip(":：")
            return word, [body] + rest, True
    colon = re.match(r"^([^。；;！？!?，,：:]{2,16})[:：](.+)$", first)
    if colon:
        return colon.group(1), [colon.group(2)] + rest, True
    glued = _HEADING_END.match(first)
    if glued:  # 管理目标为提高…: a short heading run into its first sentence
        return glued.group(1), [first[glued.end():]] + rest, False
    return first[:12], paragraphs, False


def _headed(node: Node) -> dict[str, Any]:
    """A chapter or section: its title (marked when unsure) and intro paragraphs."""
    title, intro, sure = _split_heading(node.text, bool(node.children))
    heading: dict[str, Any] = {"title": title or "（无标题）"}
    if not sure:
        heading["_comment"] = "导入：标题由程序截取，请核对"
    if intro:
        heading["intro"] = intro
    return heading


def _chapter(node: Node, warnings: list[str]) -> dict[str, Any]:
    chapter = _headed(node)
    sections = [c for c in node.children if c.role == "section"]
    articles = [c for c in node.children if c.role in ("article", "item")]
    if sections and articles:
        sections.insert(0, Node(None, "section", "", articles))
        articles = []
        chapter["_comment"] = "导入：本章既有节又有不属于任何节的条文，已归入第一节，请核对"
    if sections:
        chapter["sections"] = [_section(s, warnings) for s in sections]
    elif articles:
        chapter["articles"] = [_article(a, warnings) for a in articles]
    return chapter


def _section(node: Node, warnings: list[str]) -> dict[str, Any]:
    section = _headed(node)
    articles = [c for c in node.children if c.role in ("article", "item")]
    if articles:
        section["articles"] = [_article(a, warnings) for a in articles]
    return section


def _loose_chapter(nodes: list[Node], body: dict[str, Any], warnings: list[str]
                   ) -> dict[str, Any]:
    """Articles before the first chapter: kept in an unnumbered-in-source first chapter."""
    preamble = body.get("preamble", [])
    title = "总则"
    if preamble and len(preamble[-1]) <= 12 and not _SENTENCE.search(preamble[-1].rstrip(":：")):
        title = preamble.pop().rstrip(":：") or title
        if not preamble:
            body.pop("preamble")
    warnings.append(f"articles before the first chapter were put in a chapter `{title}`")
    return {"title": title, "_comment": "导入：原文此部分没有章号，已作为第一章",
            "articles": [_article(n, warnings) for n in nodes]}


def _article(node: Node, warnings: list[str]) -> dict[str, Any]:
    article: dict[str, Any] = {}
    paragraphs = _paragraphs(node.text)
    items = [c for c in node.children if c.role == "item"]
    if (items and len(paragraphs) == 1 or len(paragraphs) > 1) and paragraphs and \
            len(paragraphs[0]) <= 24 and not _SENTENCE.search(paragraphs[0]) and \
            not re.search(r"[。.”]$", paragraphs[0]):
        # 第十二条客户开发与维护1. ……, or a heading line above the article's text (a
        # lead-in ending with a colon stays text)
        article["title"] = paragraphs.pop(0)
        paragraphs = [p for p in paragraphs if p != TITLE_ONLY]
    elif paragraphs and split_title(paragraphs[0]):  # 第 1 条 目的 为加强……
        article["title"], paragraphs[0] = split_title(paragraphs[0])
    if paragraphs:
        article["text"] = paragraphs[0]
    if items:
        article["items"] = [_item(i) for i in items]
        article["items_style"] = _output_style(items[0].marker.style)
    for extra in paragraphs[1:]:
        article.setdefault("paragraphs", []).append(extra)
    if not article:
        article["text"] = "（空）"
        article["_comment"] = "导入：原文此条没有内容"
    return article


def _item(node: Node) -> Any:
    paragraphs = _paragraphs(node.text)
    text = paragraphs[0] if paragraphs else "（空）"
    children = [c for c in node.children if c.role == "item"]
    if not children and len(paragraphs) <= 1:
        return text
    item: dict[str, Any] = {"text": text}
    if paragraphs[1:]:
        item["paragraphs"] = paragraphs[1:]
    if children:
        item["items"] = [_item(c) for c in children]
        item["items_style"] = _output_style(children[0].marker.style)
    return item


def _output_style(style: str) -> str:
    """Label styles the model knows; 3.1-style sub-numbers print as 1."""
    return "1." if style == "1.1" else style


def walk_articles(body: dict[str, Any]):
    """Every article mapping of a parsed body, in reading order."""
    yield from body.get("articles", [])
    for chapter in body.get("chapters", []):
        yield from chapter.get("articles", [])
        for section in chapter.get("sections", []):
            yield from section.get("articles", [])


def _count_items(node: Any) -> int:
    if isinstance(node, str):
        return 0
    return sum(1 + _count_items(i) for i in node.get("items", []))
