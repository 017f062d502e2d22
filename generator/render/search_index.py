"""The handbook's own search index: one entry per article, Chinese split into characters
and character pairs, so a query matches however it is segmented.

site/assets/handbook-search.js reads the index and splits the query the same way: the
splitting patterns (TOKENIZER) are defined here once and shipped in the index. It first
cuts the query into words with the index's vocabulary (`words`: dictionary words whose
character pairs occur in the handbook, and the synonym list's words), drops question
words and particles (怎么, 吗, 的 …) whole, expands words with the synonym list of
regulations/synonyms.yaml and ranks with BM25.
Article entries carry their regulation title and chapter, so a query naming a role, a form
or a chapter finds the article too; numbers such as 第一条 are shown but not searched (a
query's 第一次 must not match every first article).
"""

from __future__ import annotations

import filecmp
import functools
import json
import math
import operator
import os
import re
import unicodedata
from array import array
from collections import Counter, deque
from collections.abc import Iterator
from itertools import repeat
from pathlib import Path

from .. import walk
from ..model import Project, plain

TOKENIZER = {"cjk": "[\u3400-\u9fff]+", "word": "[a-z0-9%]+"}
"""How text is split, defined once: runs of Chinese characters (cut into characters and
character pairs) and runs of Latin letters, digits and % (kept whole), after NFKC and
lower-casing. Shipped in the index, where site/assets/handbook-search.js reads it."""
_CJK = re.compile(TOKENIZER["cjk"])
_WORD = re.compile(TOKENIZER["word"])
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
        found += run
        found += map(operator.add, run, run[1:])  # run[i:i + 2], without a Python loop
    found += _WORD.findall(text)
    return found


def entries(project: Project) -> list[dict]:
    """The index's entries, in order: URL, label, title, context and body of each article,
    chapter or section text, role and form."""
    found = []
    for regulation in project.regulations:
        base = f"generated/regulations/{regulation.id}/"
        for block in walk.blocks(regulation):
            chapter = block.chapter.title if block.chapter else ""
            if block.kind == walk.ARTICLE:
                section = block.section.title if block.section else ""
                found.append(_article_entry(regulation, block.value, base, chapter, section))
            elif block.kind == walk.HEADING and (block.value.intro or block.value.table):
                found.append(_part_entry(regulation, block, base))  # text outside articles
    for role in project.roles:
        found.append({"url": f"generated/roles/{role.id}/", "label": "岗位：",
                      "title": role.name,
                      "context": " ".join(role.aliases),
                      "body": " ".join(role.duties + role.authorities)})
    for form in project.forms:
        found.append({"url": f"generated/forms/{form.id}/", "label": "表单：",
                      "title": f"《{form.title}》",
                      "context": form.description or "",
                      "body": " ".join(f.label for f in form.all_fields())})
    return found


def _part_entry(regulation, block: walk.Block, base: str) -> dict:
    """The entry of a chapter's or section's own text (intro and table)."""
    part = block.value
    body = " ".join(plain(t) for t in part.intro)
    if part.table:
        body += " " + " ".join(" ".join(r) for r in part.table.rows)
    context = f"{regulation.title} {block.chapter.title}" if block.section else regulation.title
    return {"url": f"{base}#{part.key}", "label": part.label, "title": part.title,
            "context": context, "body": body}


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


_REPEATS = tuple(int(w) for w in FIELD_WEIGHTS.values()) \
    if all(w > 0 and float(w).is_integer() for w in FIELD_WEIGHTS.values()) else None
"""With whole, positive weights, a field's tokens repeated `weight` times and counted give
the weights exactly: counted in C, not token by token in Python."""


def weighted_counts(title: str, context: str, body: str) -> dict[str, float]:
    """Token weights of one entry, tokens in the order they first occur."""
    if _REPEATS is not None:
        title_times, context_times, body_times = _REPEATS
        return Counter(tokens(title) * title_times + tokens(context) * context_times
                       + tokens(body) * body_times)
    counts: dict[str, float] = {}
    for text, weight in ((title, FIELD_WEIGHTS["title"]), (context, FIELD_WEIGHTS["context"]),
                         (body, FIELD_WEIGHTS["body"])):
        for token in tokens(text):
            counts[token] = counts.get(token, 0) + weight
    return counts


_INT_LIMIT = 2 ** 31
"""Entry numbers and weights below this fit an array("i") slot (4 bytes, not a Python
object and a pointer)."""


class _Postings:
    """Each token's entries and weights, interleaved, in the order they were added: a
    compact integer array per token (a list only for a weight that is not whole)."""

    def __init__(self) -> None:
        self.table: dict[str, array | list] = {}
        self.lengths: list[float] = []

    def add(self, index: int, title: str, context: str, body: str) -> None:
        """Count one entry's tokens (entries are added in index order)."""
        counts = weighted_counts(title, context, body)
        if _REPEATS is not None:  # whole weights, counted as ints
            values = list(counts.values())
            compact = index < _INT_LIMIT and max(values, default=0) < _INT_LIMIT
        else:  # weights are whole numbers in JSON where they can be
            values = [int(c) if c.is_integer() else round(c, 1) for c in counts.values()]
            compact = False
        self.lengths.append(round(sum(values), 1))
        table = self.table
        if compact:
            if not counts.keys() <= table.keys():  # new tokens, in the order they occur
                for token in counts:
                    if token not in table:
                        table[token] = array("i")
            # store.extend((index, value)) for each token, the loop run in C
            deque(map(array.extend, map(table.__getitem__, counts),
                      zip(repeat(index), values)), maxlen=0)
            return
        for token, value in zip(counts, values, strict=True):
            store = table.setdefault(token, [])
            if type(store) is array:
                store = table[token] = store.tolist()
            store += (index, value)


_DICTIONARY_WORDS = tuple(re.compile(rf"^[\u3400-\u9fff]{{{size}}}(?= )", re.MULTILINE)
                          for size in (2, 3, 4))
_LINE = re.compile("[^\n]+")


@functools.lru_cache(maxsize=1)
def _dictionary() -> tuple[str, str, str]:
    """Chinese words of two, three and four characters in jieba's dictionary, one string
    of words a line for each length (read once; three strings, not 330,000 of them:
    3 MiB instead of 48, and one length's words at a time while they are read)."""
    import jieba

    text = Path(jieba.__file__).with_name("dict.txt").read_text(encoding="utf-8")
    return tuple("\n".join(pattern.findall(text))  # type: ignore[return-value]
                 for pattern in _DICTIONARY_WORDS)


def vocabulary(postings: dict, synonyms) -> list[str]:
    """The words a query is cut into: dictionary words whose character pairs all occur in
    the index, and the words of the synonym list."""
    pairs = {token for token in postings if len(token) == 2}
    two, three, four = (map(operator.itemgetter(0), _LINE.finditer(part))  # a word at a time
                        for part in _dictionary())
    words = pairs.intersection(two)
    words.update(w for w in three if w[:2] in pairs and w[1:] in pairs)
    words.update(w for w in four if w[:2] in pairs and w[1:3] in pairs and w[2:] in pairs)
    for word, others in synonyms:
        words.update(w for w in (word, *others) if _CJK.fullmatch(w))
    return sorted(words)


def _dump(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def kind(url: str) -> str:
    """An entry's kind, from its URL: r (an article or section), f (a form), p (a role)."""
    return "r" if url.startswith("generated/regulations/") else \
        "f" if url.startswith("generated/forms/") else "p"


def collect(project: Project) -> tuple[list[str], _Postings, str]:
    """Each entry's shown row as JSON text, the postings of all entries, and each entry's
    kind (one letter an entry)."""
    rows: list[str] = []
    kinds: list[str] = []
    postings = _Postings()
    for index, entry in enumerate(entries(project)):
        postings.add(index, entry["title"], entry["context"], entry["body"])
        rows.append(row(entry))
        kinds.append(kind(entry["url"]))
    return rows, postings, "".join(kinds)


def row(entry: dict) -> str:
    """An entry's shown row as JSON text: URL, title, context and the start of its text."""
    return _dump([entry["url"], _shown_title(entry), entry["context"], entry["body"][:400]])


def counted_whole() -> bool:
    """Whether the field weights are whole numbers, so each token's weight is an int."""
    return _REPEATS is not None


def idf(count: int, entries: int) -> float:
    """A term's inverse document frequency, rounded as the index ships it: count entries in
    all, `entries` of them holding the term."""
    return round(math.log(1 + (count - entries / 2 + 0.5) / (entries / 2 + 0.5)), 4)


def runs(kinds: str) -> list[list]:
    """Entry kinds as runs, [kind, how many entries] (entries of a kind come together)."""
    found: list[list] = []
    for letter in kinds:
        if found and found[-1][0] == letter:
            found[-1][1] += 1
        else:
            found.append([letter, 1])
    return found


def shared(project: Project, table: dict, lengths: list, kinds: str,
           words: list[str] | None = None) -> str:
    """The members of the index every query needs, as JSON object members (no braces):
    entry lengths and kinds (as runs), how text is split, stop words, synonyms and
    vocabulary (`words`, when it was made already)."""
    if words is None:
        words = vocabulary(table, project.synonyms)
    average = round(sum(lengths) / max(len(lengths), 1), 2)
    return (f'"version":2,"count":{len(lengths)},"lengths":{_dump(lengths)},'
            f'"average":{_dump(average)},"kinds":{_dump(runs(kinds))},'
            f'"synonyms":{_dump({word: list(words) for word, words in project.synonyms})},'
            f'"stop":{_dump(list(STOP_WORDS))},"tokenizer":{_dump(TOKENIZER)},'
            f'"words":{_dump(words)}')


def chunks(project: Project) -> Iterator[str]:
    """The whole index as compact JSON, piece by piece (the same text as `render`); the
    site ships it in parts (search_shards)."""
    rows, postings, kinds = collect(project)
    table, count = postings.table, len(rows)
    yield "{" + shared(project, table, postings.lengths, kinds) + ',"docs":['
    for number, row in enumerate(rows):
        yield "," + row if number else row
    del rows
    yield '],"postings":{'
    for number, (token, store) in enumerate(table.items()):
        yield ("," if number else "") + _dump(token) + ":["
        yield ",".join(map(repr, store)) + "]"  # ints and floats as JSON writes them
    yield f'}},"idf":{_dump({t: idf(count, len(p) // 2) for t, p in table.items()})}}}'


def build(project: Project) -> dict:
    """The index as JSON-ready data."""
    return json.loads(render(project))


def render(project: Project) -> str:
    """The index as compact JSON text."""
    return "".join(chunks(project))


def write(project: Project, target: Path) -> bool:
    """Write the index to target, piece by piece (never the whole text in memory), unless
    the file there holds it already; return whether it was written."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    try:
        with open(partial, "w", encoding="utf-8") as stream:
            stream.writelines(chunks(project))
        if target.is_file() and filecmp.cmp(partial, target, shallow=False):
            return False
        os.replace(partial, target)
        return True
    finally:
        partial.unlink(missing_ok=True)
