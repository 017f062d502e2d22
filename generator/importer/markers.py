"""Find the numbering labels in regulation text: 第X章/节/条, 一、, （一）, 1., (1), ①, A.

Scraped regulations often lose their line breaks, so a label may sit in the middle
of a line (`第一章总则第一条为加强……第二条本制度……`). A label is accepted only where
a real one can stand: at a line start, after punctuation, or right after a short
heading — and, in the middle of a line, only when it continues its list's count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .. import zh

NUMERALS = "零一二三四五六七八九十百千两〇"

# style → rank: the canonical depth of each label style in Chinese regulations
ARTICLE_STYLES = ("chapter", "section", "article")
RANK = {"chapter": 0, "section": 1, "article": 2,
        "一、": 10, "（一）": 11, "1.": 12, "1、": 12, "(1)": 13, "1.1": 13, "①": 14, "A.": 15}

_PATTERN = re.compile(
    rf"(?P<chapter>第[ \t　]?(?P<chapter_n>[{NUMERALS}]+|\d{{1,4}})[ \t　]?章)"
    rf"|(?P<section>第[ \t　]?(?P<section_n>[{NUMERALS}]+|\d{{1,4}})[ \t　]?节)"
    rf"|(?P<article>第[ \t　]?(?P<article_n>[{NUMERALS}]+|\d{{1,4}})[ \t　]?条)"
    rf"|(?P<cn_comma>(?<!第)(?P<cn_comma_n>[一二三四五六七八九十]{{1,3}})、)"
    rf"|(?P<cn_paren>[（(](?P<cn_paren_n>[一二三四五六七八九十]{{1,3}})[）)])"
    r"|(?P<ar_paren>[（(](?P<ar_paren_n>\d{1,2})[）)])"
    r"|(?P<ar_sub>(?<!\d)\d{1,2}[.．](?P<ar_sub_n>\d{1,2})(?![\d%．.]))"
    r"|(?P<ar_dot>(?<![\d.．])(?P<ar_dot_n>\d{1,2})[.．](?![\d%]))"
    r"|(?P<ar_comma>(?<![\d])(?P<ar_comma_n>\d{1,2})、)"
    r"|(?P<circled>[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳])"
    r"|(?P<latin>(?<![A-Za-z])(?P<latin_n>[A-H])[.、．](?![A-Za-z0-9]))"
)

_STYLE_OF_GROUP = {"chapter": "chapter", "section": "section", "article": "article",
                   "cn_comma": "一、", "cn_paren": "（一）", "ar_paren": "(1)", "ar_sub": "1.1",
                   "ar_dot": "1.", "ar_comma": "1、", "circled": "①", "latin": "A."}

ITEM_HINT, SUB_ITEM_HINT = "\u2063", "\u2064"
"""Invisible marks before the label of a line that a Word file of ours styles 项 / 目."""
LEVEL_HINTS = ITEM_HINT + SUB_ITEM_HINT
PUNCTUATION_BEFORE = set("。；;：:！？!?）)\"”’…」』】 \t•·-–—.．")
SENTENCE_END = set("。；;！？!?")
HEADING_MAX = 24
"""A heading glued to the next label is at most this many characters (总则, 客户开发与维护)."""

_REFERENCE_AFTER = re.compile(
    r"^(?:规定|的规定|所(?:称|列|述|规定|指)|之|中|至|、|和|或|及|第|款|项)")


@dataclass
class Marker:
    """A numbering label accepted in the text."""

    start: int
    end: int
    style: str
    number: int
    at_line_start: bool
    warning: str = ""
    forced_rank: float | None = None

    @property
    def rank(self) -> float:
        """Canonical depth of the style (or the depth a Word style of ours gave it)."""
        return RANK[self.style] if self.forced_rank is None else self.forced_rank


@dataclass
class _Level:
    style: str
    count: int
    rank: float


@dataclass
class Scan:
    """The accepted markers of a text and what looked irregular."""

    markers: list[Marker] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    article_mode: bool = False
    outline_chapters: bool = False


def candidates(text: str):
    """Every label-like match in text: (start, end, style, number), before any judgement."""
    for match in _PATTERN.finditer(text):
        group = match.lastgroup
        if group is None:
            continue
        base = group.removesuffix("_n")
        style = _STYLE_OF_GROUP[base]
        raw = match.group(f"{base}_n") if f"{base}_n" in match.re.groupindex else None
        if style == "①":
            number = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳".index(match.group()) + 1
        elif style == "A.":
            number = ord(raw) - ord("A") + 1
        elif style in ("1.", "1、", "(1)", "1.1") or raw.isdigit():
            number = int(raw)
        else:
            try:
                number = zh.from_chinese(raw)
            except ValueError:
                continue
        yield match.start(), match.end(), style, number


def _line_start(text: str, position: int) -> bool:
    line_begin = text.rfind("\n", 0, position) + 1
    return text[line_begin:position].strip(" \t　•·" + LEVEL_HINTS) == ""


def _forced_rank(text: str, position: int, style: str) -> float | None:
    """The depth of a `1.` item that a Word file of ours marked as 项 or 目 (whose label
    would otherwise read as an article of an outline)."""
    if style not in ("1.", "1、") or not position:
        return None
    hint = text[position - 1]
    return {ITEM_HINT: 12.5, SUB_ITEM_HINT: 12.7}.get(hint)


def _after_punctuation(text: str, position: int) -> bool:
    return position == 0 or text[position - 1] in PUNCTUATION_BEFORE or text[position - 1] == "\n"


def _after_short_heading(text: str, position: int, last: Marker | None) -> bool:
    """True when a label follows a heading glued to the previous label (第一章总则第一条)."""
    if last is None or last.end > position:
        return False
    gap = text[last.end:position]
    return 0 < len(gap) <= HEADING_MAX and not any(ch in gap for ch in "。；;，,\n")


def _line_of(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1


def scan(text: str) -> Scan:
    """Find the accepted numbering labels of a regulation body, in order."""
    found = list(candidates(text))
    result = Scan()
    result.article_mode = _has_article_sequence(text, found)
    if result.article_mode and _outline_chapters(text, found):
        # 一、总则 第一条……: the 一、 headings are this regulation's chapters
        found = [(s, e, "chapter" if style == "一、" and _line_start(text, s) else style, n)
                 for s, e, style, n in found]
        result.outline_chapters = True
    inline_list = -1  # where a line began that holds an enumeration 一、…二、… (text)
    at_line_starts = {(style, n) for s, _e, style, n in found
                      if style in ARTICLE_STYLES and _line_start(text, s)}
    counters = {"chapter": 0, "section": 0, "article": 0}
    stack: list[_Level] = []
    last: Marker | None = None
    for start, end, style, number in found:
        if last is not None and start < last.end:
            continue
        if style == "article" and not result.article_mode:
            continue
        at_start = _line_start(text, start)
        line_begin = text.rfind("\n", 0, start) + 1
        if style == "一、" and not at_start and (line_begin == inline_list or (
                text[start - 1:start] in "：:" and number == 1 and
                any(level.style == "一、" and level.count for level in stack))):
            inline_list = line_begin
            continue  # 一、 headings stand on their own lines here: 好处：一、…；二、… is text
        context = at_start or _after_punctuation(text, start) or \
            (style != "一、" and _after_short_heading(text, start, last))
        if style in ARTICLE_STYLES and not at_start and (style, number) in at_line_starts:
            continue  # 违反第二条的: 第二条 stands at a line start further on
        marker = Marker(start, end, style, number, at_start,
                        forced_rank=_forced_rank(text, start, style))
        if style in ARTICLE_STYLES:
            if style == "article" and (_REFERENCE_AFTER.match(text[end:end + 3]) or
                                       text[start - 1:start] == "》"):
                continue  # 依照第三条规定, 《员工手册》第五条: references, not labels
            expected = counters[style] + 1
            first_of_text = number == 1 and counters[style] == 0 and not _REFERENCE_AFTER.match(
                text[end:end + 3])
            skipped_one = number == expected + 1 and start and text[start - 1] in SENTENCE_END
            if not (number == expected and (context or first_of_text)) and \
                    not (at_start and number > expected) and not skipped_one:
                continue
            if number != expected:
                marker.warning = (f"line {_line_of(text, start)}: {text[start:end]} follows "
                                  f"number {counters[style]}")
            counters[style] = number
            if style == "chapter":
                counters["section"] = 0
            stack.clear()
        else:
            if not _accept_list_marker(text, marker, stack, context, last):
                continue
        if marker.warning:
            result.warnings.append(marker.warning)
        result.markers.append(marker)
        last = marker
    return result


def _accept_list_marker(text: str, marker: Marker, stack: list[_Level], context: bool,
                        last: Marker | None) -> bool:
    """Place a list label on the stack of open lists, or reject it as ordinary text."""
    position = next((i for i, level in enumerate(stack)
                     if level.rank == marker.rank), None)
    line = _line_of(text, marker.start)
    written = text[marker.start:marker.end]
    if position is not None:
        level = stack[position]
        expected = level.count + 1
        glued = _glued_continuation(text, marker)
        previous = text[marker.start - 1] if marker.start else "\n"
        if marker.number == expected and (context or glued):
            pass
        elif marker.number == 1 and previous in ":：":
            marker.warning = f"line {line}: a new list {written} starts after a colon"
        elif marker.style in ("(1)", "（一）") and marker.number == expected + 1 and context:
            marker.warning = f"line {line}: {written} follows {level.count} in its list"
        elif marker.at_line_start and marker.number == 1:
            marker.warning = f"line {line}: {written} restarts a list without a new heading"
        elif marker.at_line_start:
            marker.warning = f"line {line}: {written} follows {level.count} in its list"
        else:
            return False
        del stack[position + 1:]
        level.count = marker.number
        level.style = marker.style
        return True
    glued_heading = marker.style != "一、" and _after_short_heading(text, marker.start, last)
    if not (marker.number == 1 and (context or glued_heading)):
        if not marker.at_line_start:
            return False
        marker.warning = f"line {line}: list starts at {written}"
    while stack and stack[-1].rank > marker.rank:
        stack.pop()
    stack.append(_Level(marker.style, marker.number, marker.rank))
    return True


def _glued_continuation(text: str, marker: Marker) -> bool:
    """`…签字生效2.特殊情况…`: the next number of a list glued to the previous item's text."""
    previous = text[marker.start - 1] if marker.start else "\n"
    if marker.style == "一、" and marker.number < 2:
        return False  # a chapter label may continue its count mid-line, never start one
    return "\u3400" <= previous <= "\u9fff"


_SENTENCE_IN_LINE = re.compile(r"[。；;，,：:！？!?]")


def _line_end(text: str, position: int) -> int:
    end = text.find("\n", position)
    return len(text) if end < 0 else end


def _outline_chapters(text: str, found) -> bool:
    """True when 一、 headings (not 第X章) group the 第X条 articles: 一、总则第一条…."""
    if any(style == "chapter" for _s, _e, style, _n in found):
        return False
    heads = [(s, e) for s, e, style, _n in found if style == "一、" and _line_start(text, s)]
    articles = [s for s, _e, style, _n in found if style == "article"]
    if articles and heads and heads[0][0] > articles[0] and all(
            _SENTENCE_IN_LINE.search(text[e:_line_end(text, e)]) for _s, e in heads):
        return False  # 第一条 …：一、考勤制度；二、…: items of an article, not chapters
    return len(heads) >= 2 and any(
        any(0 < a - e <= HEADING_MAX + 4 for a in articles) for _s, e in heads)


def _has_article_sequence(text: str, found) -> bool:
    """A text is numbered by articles when 第一条 and 第二条 both stand as labels."""
    seen = set()
    for start, _end, style, number in found:
        if style == "article" and (_after_punctuation(text, start) or _line_start(text, start)
                                   or number == 1):
            seen.add(number)
    return {1, 2} <= seen
