"""Content rules that go beyond the file schema: weights, quoted form names, revisions.

Pure functions over values; :mod:`generator.load` calls them while it knows where
each value was written, so every finding carries a file:line:col.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

FORM_SUFFIXES = ("申请单", "审批单", "报销单", "处理单", "单", "表", "卡", "台账", "簿", "报告",
                 "记录", "纪要", "合同", "协议", "申请书", "报告单")
_QUOTED = re.compile(r"《([^《》]{1,40})》")


def weight_value(cell: str) -> Decimal | None:
    """Read a weight cell such as '60%', '60', '12.5 %' or '60％'; None if it is no number."""
    text = cell.strip().replace("％", "%").rstrip("%").strip()
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def weight_problem(cells: list[str]) -> str | None:
    """Explain why a weight column does not add up to 100, or return None when it does."""
    total = Decimal(0)
    for cell in cells:
        value = weight_value(cell)
        if value is None:
            return f"weight `{cell}` is not a percentage"
        total += value
    if total != 100:
        return f"weights add up to {total.normalize():f}%, not 100%"
    return None


def form_like_mentions(text: str) -> list[tuple[int, str]]:
    """Names quoted with 《》 that look like forms (…单, …表, …合同), with their offsets."""
    return [(m.start(), m.group(1)) for m in _QUOTED.finditer(text)
            if m.group(1).endswith(FORM_SUFFIXES)]


def version_key(version: str) -> tuple[int, ...]:
    """'1.10' → (1, 10), so versions compare as numbers."""
    return tuple(int(part) for part in version.split("."))


def supersede_circles(supersedes: dict[str, str | None]) -> dict[str, list[str]]:
    """For each regulation whose chain of `supersedes` comes back to it, the circle
    (a → b → a; a → a for one that supersedes itself)."""
    found = {}
    for start in supersedes:
        chain = [start]
        current = supersedes[start]
        while current in supersedes and current not in chain:
            chain.append(current)
            current = supersedes[current]
        if current == start:
            found[start] = chain + [start]
    return found



PAGE_ANCHORS = {"processes": "the anchor of the page's 流程 heading",
                "revisions": "the anchor of the page's 修订记录 heading"}
"""Anchors a regulation's page makes itself (templates/site/regulation.md.j2). The search
box's ids start with `hb-`; ids made by Graphviz or the theme hold a `_`, which ids cannot."""
_UNIQUE = "anchors on a regulation's page must be unique: choose another id"


def _page_anchors(data) -> list[tuple[str, bool, tuple, str, bool]]:
    """(key, given, path, what, is_article) of every chapter, section and article in page
    order; without an id, a key made from its place (chapter-2, article-7 ...)."""
    anchors: list[tuple[str, bool, tuple, str, bool]] = []
    ordinal = 0

    def articles(items, path: tuple) -> None:
        nonlocal ordinal
        for index, article in enumerate(items):
            ordinal += 1
            anchors.append((article.id or f"article-{ordinal}", bool(article.id),
                            path + ("articles", index), f"the anchor of article {ordinal}", True))

    articles(data.articles, ())
    for c_index, chapter in enumerate(data.chapters):
        c_path = ("chapters", c_index)
        anchors.append((chapter.id or f"chapter-{c_index + 1}", bool(chapter.id), c_path,
                        f"the anchor of chapter {c_index + 1}", False))
        articles(chapter.articles, c_path)
        for s_index, section in enumerate(chapter.sections):
            s_path = c_path + ("sections", s_index)
            anchors.append((section.id or f"chapter-{c_index + 1}-section-{s_index + 1}",
                            bool(section.id), s_path,
                            f"the anchor of section {s_index + 1} of chapter {c_index + 1}", False))
            articles(section.articles, s_path)
    return anchors


def anchor_collisions(data) -> list[tuple[tuple, str, str]]:
    """Ids of a regulation (a schema.Regulation) that repeat another anchor of its page, as
    (path of the id, message, hint). Repeats among articles only are the numbering's to
    report, not this."""
    taken: dict[str, tuple[str, bool, tuple, bool]] = {
        key: (what, False, (), False) for key, what in PAGE_ANCHORS.items()
        if key != "processes" or data.processes}  # the 流程 heading is there with processes
    for process in data.processes:
        taken[f"process-{process.id}"] = (f"the anchor of process `{process.id}`", False, (),
                                          False)
    found = []
    for key, given, path, what, is_article in _page_anchors(data):
        if given and key.startswith("hb-"):
            found.append((path + ("id",), f"id `{key}` starts like the search box's own ids "
                                          "(`hb-`)", "choose an id that does not start with hb-"))
        if key not in taken:
            taken[key] = (what, given, path, is_article)
            continue
        earlier_what, earlier_given, earlier_path, earlier_article = taken[key]
        if is_article and earlier_article:
            continue
        if given:
            found.append((path + ("id",), f"id `{key}` is also {earlier_what}", _UNIQUE))
        elif earlier_given:
            found.append((earlier_path + ("id",), f"id `{key}` is also {what}", _UNIQUE))
    return found
