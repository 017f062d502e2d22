"""The handbook's own search index: one entry per article, Chinese split into characters
and character pairs, so a query matches however it is segmented.

site/assets/handbook-search.js reads the index and splits the query the same way
(`tokens` here and `tokens` there must agree). It first cuts the query into words with the
index's vocabulary (`words`: dictionary words whose character pairs occur in the handbook,
and the synonym list's words), drops question words and particles (怎么, 吗, 的 …) whole,
expands words with the synonym list of regulations/synonyms.yaml and ranks with BM25.
Article entries carry their regulation title and chapter, so a query naming a role, a form
or a chapter finds the article too; numbers such as 第一条 are shown but not searched (a
query's 第一次 must not match every first article).
"""

from __future__ import annotations

import functools
import json
import math
import re
import unicodedata
from collections import Counter
from pathlib import Path

from ..model import Project, plain

_CJK = re.compile(r"[\u3400-\u9fff]+")
_WORD = re.compile(r"[a-z0-9%]+")
STOP_WORDS = ("怎么办", "怎么样", "怎么", "怎样", "如何", "什么", "多少", "哪些", "哪个", "哪里",
              "是否", "可以", "能不能", "能否", "要不要", "需不需要", "有没有", "是不是", "应该",
              "多长", "多久", "吗", "呢", "吧", "啊", "谁", "得",
              # particles, pronouns and helpers of spoken questions
              "的", "了", "着", "过", "呀", "嘛", "么", "哦", "啦", "咋", "啥", "哪", "哪儿",
              "我", "我们", "你", "你们", "他", "她", "它", "他们", "咱", "咱们", "自己",
              "这", "那", "这个", "那个", "这些", "那些", "这样", "那样", "一下", "一些",
              "还", "就", "都", "也", "又", "才", "再", "会", "能", "要", "想", "该",
              "在", "是", "有", "和", "跟", "与", "给", "把", "被", "让", "对", "个", "些",
              "请问", "到底", "一般", "需要", "必须", "能够", "可不可以", "行不行", "行吗",
              "几", "几个", "几天", "多长时间", "什么时候", "啥时候", "为什么", "干嘛", "干啥",
              "去", "来")
"""Question words and particles a query may hold (dropped whole: the query is cut into
words first, so 会 goes but 会议 stays)."""

FIELD_WEIGHTS = {"title": 3.0, "context": 1.0, "body": 1.0}


def tokens(text: str) -> list[str]:
    """Characters and character pairs of each Chinese run; words and numbers otherwise."""
    text = unicodedata.normalize("NFKC", text).lower()
    found: list[str] = []
    for run in _CJK.findall(text):
        found += list(run)
        found += [run[i:i + 2] for i in range(len(run) - 1)]
    found += _WORD.findall(text)
    return found


def _entries(project: Project) -> list[dict]:
    entries = []
    for regulation in project.regulations:
        base = f"generated/regulations/{regulation.id}/"
        for chapter in regulation.chapters:
            for article in chapter.articles:
                entries.append(_article_entry(regulation, article, base, chapter.title, ""))
            for section in chapter.sections:
                for article in section.articles:
                    entries.append(_article_entry(regulation, article, base, chapter.title,
                                                  section.title))
                if section.intro or section.table:  # text outside articles is searchable too
                    body = " ".join(plain(t) for t in section.intro)
                    if section.table:
                        body += " " + " ".join(" ".join(r) for r in section.table.rows)
                    entries.append({"url": f"{base}#{section.key}",
                                    "label": section.label, "title": section.title,
                                    "context": f"{regulation.title} {chapter.title}",
                                    "body": body})
            if chapter.intro or chapter.table:
                body = " ".join(plain(t) for t in chapter.intro)
                if chapter.table:
                    body += " " + " ".join(" ".join(r) for r in chapter.table.rows)
                entries.append({"url": f"{base}#{chapter.key}",
                                "label": chapter.label, "title": chapter.title,
                                "context": regulation.title, "body": body})
        for article in regulation.articles:
            entries.append(_article_entry(regulation, article, base, "", ""))
    for role in project.roles:
        entries.append({"url": f"generated/roles/{role.id}/", "label": "岗位：",
                        "title": role.name,
                        "context": " ".join(role.aliases),
                        "body": " ".join(role.duties + role.authorities)})
    for form in project.forms:
        entries.append({"url": f"generated/forms/{form.id}/", "label": "表单：",
                        "title": f"《{form.title}》",
                        "context": form.description or "",
                        "body": " ".join(f.label for f in form.all_fields())})
    return entries


def _shown_title(entry: dict) -> str:
    """A hit's title: its label and title, or, for an article without a title, its label
    and first words (a bare 第三条 or 3. says nothing in a list of results)."""
    if entry["title"]:
        return entry["label"] + entry["title"]
    words = entry["body"].strip()
    gist = words[:18] + ("…" if len(words) > 18 else "")
    return f"{entry['label']}　{gist}" if entry["label"] else gist


def _article_entry(regulation, article, base: str, chapter: str, section: str) -> dict:
    body = " ".join(plain(t) for t in article.texts())
    if article.table:
        body += " " + article.table.title + " " + " ".join(" ".join(r) for r in
                                                            article.table.rows)
    return {"url": f"{base}#{article.key}", "label": article.label, "title": article.title or "",
            "context": f"{regulation.title}{'（草案）' if regulation.status == 'draft' else ''} "
                       f"{chapter} {section}".strip(), "body": body}


@functools.lru_cache(maxsize=100_000)
def _weighted_counts(title: str, context: str, body: str) -> tuple[tuple[str, float], ...]:
    """Token weights of one entry; remembered, so a long-running watcher re-tokenizes
    only the entries that changed."""
    counts: Counter[str] = Counter()
    for text, weight in ((title, FIELD_WEIGHTS["title"]), (context, FIELD_WEIGHTS["context"]),
                         (body, FIELD_WEIGHTS["body"])):
        for token in tokens(text):
            counts[token] += weight
    # weights are whole numbers: ints keep the index small in memory and in JSON
    return tuple((token, int(count) if count.is_integer() else round(count, 1))
                 for token, count in counts.items())


_DICTIONARY_WORD = re.compile(r"^([\u3400-\u9fff]{2,4}) ", re.MULTILINE)


@functools.lru_cache(maxsize=1)
def _dictionary() -> tuple[str, ...]:
    """Chinese words of two to four characters in jieba's dictionary (read once)."""
    import jieba

    text = Path(jieba.__file__).with_name("dict.txt").read_text(encoding="utf-8")
    return tuple(_DICTIONARY_WORD.findall(text))


def vocabulary(postings: dict, synonyms) -> list[str]:
    """The words a query is cut into: dictionary words whose character pairs all occur in
    the index, and the words of the synonym list."""
    pairs = {token for token in postings if len(token) == 2}
    words = {word for word in _dictionary()
             if all(word[i:i + 2] in pairs for i in range(len(word) - 1))}
    for word, others in synonyms:
        words.update(w for w in (word, *others) if _CJK.fullmatch(w))
    return sorted(words)


def build(project: Project) -> dict:
    """The index as JSON-ready data."""
    entries = _entries(project)
    postings: dict[str, list[float]] = {}
    lengths = []
    for index, entry in enumerate(entries):
        counts = _weighted_counts(entry["title"], entry["context"], entry["body"])
        lengths.append(round(sum(count for _, count in counts), 1))
        for token, count in counts:
            postings.setdefault(token, []).extend([index, count])
    documents = [[e["url"], _shown_title(e), e["context"], e["body"][:400]] for e in entries]
    return {
        "version": 1,
        "docs": documents,
        "lengths": lengths,
        "average": round(sum(lengths) / max(len(lengths), 1), 2),
        "postings": postings,
        "idf": {t: round(math.log(1 + (len(entries) - len(p) / 2 + 0.5) / (len(p) / 2 + 0.5)), 4)
                for t, p in postings.items()},
        "synonyms": {word: list(words) for word, words in project.synonyms},
        "stop": list(STOP_WORDS),
        "words": vocabulary(postings, project.synonyms),
    }


def render(project: Project) -> str:
    """The index as compact JSON text."""
    return json.dumps(build(project), ensure_ascii=False, separators=(",", ":"))
