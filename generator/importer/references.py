"""Stable ids for imported articles, and textual cross-references made into references.

Each article without an id gets one derived from its title or first words (`purpose`,
`scope`, `effective-date` for the usual opening and closing articles; pinyin of the
first words otherwise), unique in the regulation. Then `本办法第七条` / `第七条第二款`
become `{条:id}` (the number then follows the article when articles move), and
`《XX制度》第五条` / `《XX制度》` of a regulation in the project `{条:xx#id}` /
`{制度:xx}`; what cannot be resolved stays text with a warning naming where it is.
"""

from __future__ import annotations

import re
from typing import Any

from .. import zh
from . import structure

_USUAL = (
    (re.compile(r"^(?:为了?|为进一步).{2,60}?(?:制定|特制定|制订)本"), "purpose"),
    (re.compile(r"^本(?:办法|制度|规定|细则|规则|规范|条例|守则|准则)适用于"), "scope"),
    (re.compile(r"^本(?:办法|制度|规定|细则|规则|规范|条例|守则|准则)由.{1,30}负责解释"),
     "interpretation"),
    (re.compile(r"^本(?:办法|制度|规定|细则|规则|规范|条例|守则|准则)自.{1,30}起"
                r"(?:施行|执行|实施|生效|试行)"), "effective-date"),
)
_STOP = {"为", "为了", "对", "在", "的", "是", "应", "应当", "由", "本", "公司", "和", "及", "与",
         "或", "各", "凡", "根据", "按照", "依照", "有", "下列", "以下", "其", "将", "并", "等"}
_REFERENCE = re.compile(r"(?P<own>本(?:办法|制度|规定|细则|规则|规范|条例|守则|准则))?"
                        r"第(?P<n>[一二三四五六七八九十百零\d]{1,6})条")
_NUMBER = r"[一二三四五六七八九十百零\d]{1,6}"
_OTHER = re.compile(r"《(?P<title>[^《》]{2,40})》(?:第(?P<n>" + _NUMBER + r")条)?")
_PIECES = re.compile(r"(\{[^{}]*\}|《[^《》]{2,40}》(?:第" + _NUMBER + r"条)?)")
_CHAPTER = re.compile(r"本(?:办法|制度|规定|细则|规则|规范)第[一二三四五六七八九十\d]{1,4}[章节]")


def _pinyin_slug(text: str, words: int = 3) -> str:
    import jieba
    from pypinyin import lazy_pinyin

    kept = [w for w in jieba.lcut(re.sub(r"[^\u4e00-\u9fffA-Za-z0-9]", "", text))
            if w and w not in _STOP][:words]
    slug = "-".join("".join(lazy_pinyin(w)).lower() for w in kept)
    return re.sub(r"[^a-z0-9]+", "-", slug).strip("-")[:40].strip("-")


def article_slug(article: dict[str, Any]) -> str:
    """A readable id for an article: from its title, its usual role, or its first words."""
    if article.get("title"):
        slug = _pinyin_slug(str(article["title"]), 4)
        if slug:
            return slug
    text = str(article.get("text") or "")
    for pattern, name in _USUAL:
        if pattern.search(text):
            return name
    text = re.sub(r"\{[^{}]*\}|第[一二三四五六七八九十百零\d]{1,6}[章节条款项]", "", text)
    first = re.split(r"[，。；：,;:]", text, maxsplit=1)[0]
    return _pinyin_slug(first) or "article"


def assign_ids(body: dict[str, Any], reserved: frozenset[str] = frozenset()) -> None:
    """Give every article without an id one, unique in the regulation and not one of
    `reserved` (ids the regulation had before)."""
    articles = list(structure.walk_articles(body))
    taken = {a["id"] for a in articles if a.get("id")} | set(reserved)
    for article in articles:
        if article.get("id"):
            continue
        slug = article_slug(article) or "article"
        candidate, number = slug, 2
        while candidate in taken:
            candidate = f"{slug}-{number}"
            number += 1
        taken.add(candidate)
        article["id"] = candidate


def _number(text: str) -> int | None:
    try:
        return int(text) if text.isdigit() else zh.from_chinese(text)
    except ValueError:
        return None


class _Linker:
    """Rewrites one regulation's texts; remembers what it left as text."""

    def __init__(self, ids: list[str], project) -> None:
        self.ids = ids
        self.regulations = {r.title: r for r in project.regulations} if project else {}
        self.warnings: list[str] = []
        self.where = ""

    def _own(self, match: re.Match[str]) -> str:
        if not self.ids:
            return match.group()
        number = _number(match.group("n"))
        if number is None or not 1 <= number <= len(self.ids):
            self.warnings.append(f"{self.where}: `{match.group()}` names an article this "
                                 f"regulation does not have ({len(self.ids)} articles): "
                                 "kept as text")
            return match.group()
        return f"{match.group('own') or ''}{{条:{self.ids[number - 1]}}}"

    def _other(self, match: re.Match[str]) -> str:
        regulation = self.regulations.get(match.group("title"))
        if regulation is None:
            if match.group("n"):
                self.warnings.append(f"{self.where}: `{match.group()}` refers to a regulation "
                                     "not in the project: kept as text")
            return match.group()
        if not match.group("n"):
            return f"{{制度:{regulation.id}}}"
        number = _number(match.group("n"))
        articles = list(regulation.all_articles())
        if number is None or not 1 <= number <= len(articles) or \
                not articles[number - 1].has_stable_id:
            self.warnings.append(f"{self.where}: `{match.group()}` cannot be linked to a "
                                 "stable article id: kept as text")
            return match.group()
        return f"{{条:{regulation.id}#{articles[number - 1].key}}}"

    def text(self, value: str) -> str:
        """One text with its references made."""
        parts = _PIECES.split(value)
        out = []
        for part in parts:
            if part.startswith("{"):  # a reference already made (a form, a role)
                out.append(part)
            elif part.startswith("《"):
                out.append(_OTHER.sub(self._other, part))
            else:
                out.append(_REFERENCE.sub(self._own, part))
        for match in _CHAPTER.finditer(value):
            self.warnings.append(f"{self.where}: `{match.group()}` kept as text (chapters "
                                 "and sections are not referenced by id)")
        return "".join(out)


def _rewrite(node: Any, linker: _Linker) -> Any:
    if isinstance(node, str):
        return linker.text(node)
    if isinstance(node, list):
        return [_rewrite(v, linker) for v in node]
    if isinstance(node, dict):
        return {k: (v if k in ("id", "title", "_comment", "items_style", "table")
                    else _rewrite(v, linker)) for k, v in node.items()}
    return node


def link(body: dict[str, Any], project, numbering: str, warnings: list[str]) -> None:
    """Make the regulation's textual cross-references into references, in place."""
    articles = list(structure.walk_articles(body))
    linker = _Linker([a["id"] for a in articles], project)
    if numbering != "article":
        linker.ids = []  # 第七条 means nothing in an outline: only 《…》 names are linked
    for index, article in enumerate(articles, start=1):
        linker.where = zh.article_label(index) if numbering == "article" else \
            f"article {index}"
        for key, value in list(article.items()):
            if key not in ("id", "title", "_comment", "items_style", "table"):
                article[key] = _rewrite(value, linker)
    warnings += linker.warnings
