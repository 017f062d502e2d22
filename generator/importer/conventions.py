"""Article conventions that are written out before the structure parser runs.

A decimal outline (`1 总则` / `1.1 …` / `1.1.1 …`, as in standards and many company
rules) is rewritten as 第X章 / 第X条 / （X）, which the parser reads; an article whose
title stands before its text on the same line (`第 1 条 目的 为加强……`) is split by
:func:`split_title`.
"""

from __future__ import annotations

import re

from .. import zh

_CHAPTER = re.compile(r"^[ \t　]*(\d{1,2})(?:[.．、]|[ \t　]+)[ \t　]*"
                      r"([^\s\d。，,；;：:！？!?()（）]{2,20})[ \t　]*$")
_ARTICLE = re.compile(r"^[ \t　]*(\d{1,2})[.．](\d{1,2})(?![.．]?\d)[.．]?[ \t　]*(?=\S)")
_ITEM = re.compile(r"^[ \t　]*(\d{1,2})[.．](\d{1,2})[.．](\d{1,2})(?![.．]?\d)[.．]?[ \t　]*"
                   r"(?=\S)")
_TITLED = re.compile(r"^([\u4e00-\u9fff、与和及]{2,10})[ \t　]+(?=\S)(.*[。；;：:].*)$")


def decimal_outline(text: str) -> tuple[str, str]:
    """The text with a decimal outline rewritten as chapters, articles and items, and a
    note saying so; the text unchanged and '' when it is not such an outline."""
    lines = text.split("\n")
    chapters = {int(m.group(1)) for m in map(_CHAPTER.match, lines) if m}
    articles = [m for m in map(_ARTICLE.match, lines) if m]
    if len(chapters) < 2 or len(articles) < 3 or \
            sum(int(m.group(1)) in chapters for m in articles) < len(articles) * 0.8:
        return text, ""
    if any(re.match(r"^\s*第[\s　]?[一二三四五六七八九十\d]+[\s　]?条", line) for line in lines):
        return text, ""
    out = []
    article = 0
    for line in lines:
        chapter = _CHAPTER.match(line)
        item = _ITEM.match(line)
        numbered = _ARTICLE.match(line)
        if chapter and int(chapter.group(1)) in chapters:
            out.append(f"{zh.chapter_label(int(chapter.group(1)))} {chapter.group(2)}")
        elif item:
            out.append(f"（{zh.to_chinese(int(item.group(3)))}）{line[item.end():]}")
        elif numbered:
            article += 1
            out.append(f"{zh.article_label(article)} {line[numbered.end():]}")
        else:
            out.append(line)
    return "\n".join(out), ("a decimal outline (1 / 1.1 / 1.1.1) was read as chapters, "
                            "articles and items")


def split_title(paragraph: str) -> tuple[str, str] | None:
    """(title, text) of `目的 为加强……。`: a short heading, a space, then a sentence."""
    match = _TITLED.match(paragraph)
    if not match:
        return None
    return match.group(1), match.group(2).strip()
