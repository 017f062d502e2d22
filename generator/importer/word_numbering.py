"""The numbers Word shows before numbered paragraphs, computed from numbering.xml.

A paragraph is numbered by its own `w:numPr` or by its style's (following `basedOn`);
`w:num` names an `w:abstractNum` whose levels give the format (`numFmt`), the pattern
(`lvlText`, e.g. `第%1条`), the first number (`start`) and when a level starts again
(`lvlRestart`). Lists that share an abstractNum share their counters, as in Word, unless
a `w:lvlOverride/w:startOverride` starts the list again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from docx.oxml.ns import qn

from .. import zh

_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_HEAVENLY = "甲乙丙丁戊己庚辛壬癸"
_LEGAL = str.maketrans("一二三四五六七八九十百千", "壹贰叁肆伍陆柒捌玖拾佰仟")
_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
          (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
_SUFFIX = {"tab": " ", "space": " ", "nothing": ""}
MAX_SHOWN = 99_999
"""Beyond this a number is shown in digits (a damaged `w:start` must not make 第一亿条 or
a million letters)."""


def _val(element, tag: str, default: str | None = None) -> str | None:
    found = element.find(qn(tag)) if element is not None else None
    return found.get(qn("w:val"), default) if found is not None else default


def _roman(n: int) -> str:
    text = ""
    for value, letters in _ROMAN:
        while n >= value:
            text, n = text + letters, n - value
    return text


def _letters(n: int) -> str:
    """Word's letters: A … Z, AA … ZZ, AAA …"""
    return chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def format_number(n: int, fmt: str) -> str:
    """A number in one of Word's formats (decimal, chineseCounting, upperLetter …)."""
    if fmt in ("none", "bullet"):
        return ""
    if n <= 0 or n > MAX_SHOWN:
        return str(n)
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting",
               "taiwaneseCounting", "taiwaneseCountingThousand", "koreanCounting"):
        return zh.to_chinese(n)
    if fmt == "chineseLegalSimplified":
        return zh.to_chinese(n).translate(_LEGAL)
    if fmt in ("ideographDigital", "japaneseDigitalTenThousand"):
        return "".join("〇一二三四五六七八九"[int(d)] for d in str(n))
    if fmt in ("ideographTraditional",):
        return _HEAVENLY[(n - 1) % 10]
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and n <= 20:
        return _CIRCLED[n - 1]
    if fmt == "decimalEnclosedParen":
        return f"({n})"
    if fmt in ("upperLetter", "lowerLetter"):
        letters = _letters(n)
        return letters if fmt == "upperLetter" else letters.lower()
    if fmt in ("upperRoman", "lowerRoman"):
        return _roman(n) if fmt == "upperRoman" else _roman(n).lower()
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "decimalFullWidth":
        return str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    return str(n)  # decimal and anything unknown


@dataclass
class Level:
    """One level of an abstractNum."""

    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1
    restart: int | None = None  # lvlRestart: None = after any higher level, 0 = never
    legal: bool = False
    suffix: str = " "
    style: str | None = None


@dataclass
class _List:
    abstract: str
    overrides: dict[int, int] = field(default_factory=dict)
    levels: dict[int, Level] = field(default_factory=dict)  # w:lvlOverride/w:lvl


class Numbering:
    """A document's numbering definitions and the counters of its lists as it is read."""

    def __init__(self, numbering_element, styles_element) -> None:
        self.abstracts: dict[str, dict[int, Level]] = {}
        self.lists: dict[str, _List] = {}
        self.style_numbering: dict[str, tuple[str | None, int | None]] = {}
        self.style_based_on: dict[str, str] = {}
        self.counters: dict[str, dict[int, int]] = {}
        self.style_links: dict[str, str] = {}
        self._started: set[str] = set()
        if numbering_element is not None:
            self._read_numbering(numbering_element)
        if styles_element is not None:
            self._read_styles(styles_element)

    def _read_numbering(self, root) -> None:
        for abstract in root.findall(qn("w:abstractNum")):
            abstract_id = abstract.get(qn("w:abstractNumId"))
            self.abstracts[abstract_id] = {
                int(lvl.get(qn("w:ilvl"), "0")): _level(lvl)
                for lvl in abstract.findall(qn("w:lvl")) if lvl.get(qn("w:ilvl"), "0").isdigit()}
            link = _val(abstract, "w:numStyleLink")
            if link:  # the levels are those of a numbering style's list
                self.style_links[abstract_id] = link
        for num in root.findall(qn("w:num")):
            entry = _List(_val(num, "w:abstractNumId", "") or "")
            for override in num.findall(qn("w:lvlOverride")):
                if not override.get(qn("w:ilvl"), "0").isdigit():
                    continue  # damaged: Word ignores it too
                ilvl = int(override.get(qn("w:ilvl"), "0"))
                start = _val(override, "w:startOverride")
                if start is not None and start.lstrip("-").isdigit():
                    entry.overrides[ilvl] = int(start)
                lvl = override.find(qn("w:lvl"))
                if lvl is not None:
                    entry.levels[ilvl] = _level(lvl)
            self.lists[num.get(qn("w:numId"))] = entry

    def _read_styles(self, root) -> None:
        for style in root.findall(qn("w:style")):
            style_id = style.get(qn("w:styleId"))
            based = _val(style, "w:basedOn")
            if based:
                self.style_based_on[style_id] = based
            num_pr = style.find(qn("w:pPr") + "/" + qn("w:numPr"))
            if num_pr is not None:
                ilvl = _val(num_pr, "w:ilvl")
                self.style_numbering[style_id] = (_val(num_pr, "w:numId"),
                                                  int(ilvl) if ilvl and ilvl.isdigit() else None)

    def _of_style(self, style_id: str | None) -> tuple[str | None, int | None, str | None]:
        seen = set()
        while style_id and style_id not in seen:
            seen.add(style_id)
            if style_id in self.style_numbering:
                num_id, ilvl = self.style_numbering[style_id]
                return num_id, ilvl, style_id
            style_id = self.style_based_on.get(style_id)
        return None, None, None

    def _linked(self, abstract_id: str) -> str:
        """The abstractNum that holds the levels of one linked to a numbering style."""
        seen = set()
        while abstract_id in self.style_links and abstract_id not in seen:
            seen.add(abstract_id)
            num_id, _ilvl = self.style_numbering.get(self.style_links[abstract_id], (None, None))
            if num_id not in self.lists:
                break
            abstract_id = self.lists[num_id].abstract
        return abstract_id

    def label(self, paragraph) -> str:
        """The label Word shows before the paragraph (e.g. `第三条 `), '' when none;
        counts the paragraph in its list."""
        properties = paragraph.find(qn("w:pPr"))
        style_id = _val(properties, "w:pStyle")
        num_pr = properties.find(qn("w:numPr")) if properties is not None else None
        num_id, ilvl, numbered_style = self._of_style(style_id)
        if num_pr is not None:
            direct_num = _val(num_pr, "w:numId")
            direct_level = _val(num_pr, "w:ilvl")
            num_id = direct_num if direct_num is not None else num_id
            if direct_level is not None and direct_level.isdigit():
                ilvl = int(direct_level)
        if num_id is None or num_id == "0" or num_id not in self.lists:
            return ""
        entry = self.lists[num_id]
        linked = self._linked(entry.abstract)
        if linked != entry.abstract:
            entry = _List(linked, entry.overrides, entry.levels)
        levels = dict(self.abstracts.get(entry.abstract, {}))
        levels.update(entry.levels)
        if ilvl is None:  # numbered through its style: the level that names the style
            ilvl = next((i for i, lvl in levels.items() if lvl.style == numbered_style), 0)
        if ilvl not in levels:
            return ""
        return self._count(num_id, entry, levels, min(ilvl, 8))

    def _count(self, num_id: str, entry: _List, levels: dict[int, Level], ilvl: int) -> str:
        counters = self.counters.setdefault(entry.abstract, {})
        if entry.overrides and num_id not in self._started:
            self._started.add(num_id)  # a startOverride starts the list again, once
            for level_index, start in entry.overrides.items():
                counters[level_index] = start - 1
                for deeper in [k for k in counters if k > level_index]:
                    del counters[deeper]
        level = levels[ilvl]
        counters[ilvl] = counters[ilvl] + 1 if ilvl in counters else level.start
        for deeper in [k for k in counters if k > ilvl]:
            restart = levels[deeper].restart if deeper in levels else None
            if restart is None or (restart != 0 and ilvl < restart):
                del counters[deeper]
        if level.fmt == "bullet":
            return ""

        def number(match: re.Match[str]) -> str:
            index = int(match.group(1)) - 1
            shown = levels.get(index, Level())
            value = counters.get(index, shown.start)
            fmt = "decimal" if level.legal and shown.fmt != "none" else shown.fmt
            return format_number(value, fmt)

        text = re.sub(r"%([1-9])", number, level.text)
        return text + level.suffix if text else ""


def _level(lvl) -> Level:
    start = _val(lvl, "w:start", "1") or "1"
    restart = _val(lvl, "w:lvlRestart")
    legal = lvl.find(qn("w:isLgl"))
    return Level(fmt=_val(lvl, "w:numFmt", "decimal") or "decimal",
                 text=_val(lvl, "w:lvlText", "") or "",
                 start=int(start) if start.lstrip("-").isdigit() else 1,
                 restart=int(restart) if restart and restart.isdigit() else None,
                 legal=legal is not None and legal.get(qn("w:val"), "1") not in ("0", "false"),
                 suffix=_SUFFIX.get(_val(lvl, "w:suff", "tab") or "tab", " "),
                 style=_val(lvl, "w:pStyle"))
