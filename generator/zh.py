"""Chinese numerals and the numbering labels of Chinese regulations.

Everything that turns a number into 第十二条, （三） or 一、 lives here, so that the
rules (十一 not 一十一, 一百零一, 一千零一十) are written and tested in one place.
"""

from __future__ import annotations

import functools
import re

DIGITS = "零一二三四五六七八九"
_SMALL_UNITS = ("", "十", "百", "千")
_BIG_UNITS = ("", "万", "亿")
MAX_NUMERAL = 10**12 - 1

_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def _four_digits(n: int, digits: str, units: tuple[str, ...]) -> str:
    """Write 0 < n < 10000 the long way, with 零 for inner gaps and a trailing 零 dropped."""
    text = ""
    zero_pending = False
    for power in (3, 2, 1, 0):
        digit = n // 10**power % 10
        if digit == 0:
            if text:
                zero_pending = True
            continue
        if zero_pending:
            text += "零"
            zero_pending = False
        text += digits[digit] + units[power]
    return text


def spell_number(n: int, digits: str = DIGITS, units: tuple[str, ...] = _SMALL_UNITS,
                 big_units: tuple[str, ...] = _BIG_UNITS) -> str:
    """n > 0 spelt out in groups of four digits (万, 亿 …), 零 wherever digits are skipped:
    10010 → 一万零一十, or in capitals with the capital digits and units (壹万零壹拾);
    '' for 0."""
    groups = []
    while n:
        groups.append(n % 10000)
        n //= 10000
    text = ""
    zero_needed = False
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            zero_needed = bool(text)
            continue
        if text and (zero_needed or group < 1000):
            text += "零"
        text += _four_digits(group, digits, units) + big_units[index]
        zero_needed = False
    return text


def to_chinese(n: int) -> str:
    """Return the Chinese numeral for a whole number, as used in 第X条.

    1 → 一, 10 → 十, 11 → 十一, 20 → 二十, 101 → 一百零一, 110 → 一百一十,
    1001 → 一千零一, 10010 → 一万零一十.

    Raises:
        ValueError: if n is negative or too large.
    """
    if not isinstance(n, int) or isinstance(n, bool):
        raise TypeError(f"expected an int, got {type(n).__name__}")
    if n < 0 or n > MAX_NUMERAL:
        raise ValueError(f"{n} is outside 0..{MAX_NUMERAL}")
    return _numeral(n)


@functools.lru_cache(maxsize=4096)
def _numeral(n: int) -> str:
    # kept: every load numbers tens of thousands of articles with the same few hundred labels
    if n == 0:
        return DIGITS[0]
    text = spell_number(n)
    # 一十 → 十 when the number starts with it (十一, 十万), the way regulations write it
    if text.startswith("一十"):
        text = text[1:]
    return text


_NUMERAL_VALUE = {ch: i for i, ch in enumerate(DIGITS)}
_NUMERAL_VALUE.update({"〇": 0, "两": 2, "壹": 1, "贰": 2, "叁": 3, "肆": 4, "伍": 5,
                       "陆": 6, "柒": 7, "捌": 8, "玖": 9})
_UNIT_VALUE = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_BIG_VALUE = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8}
NUMERAL_CHARS = "".join(_NUMERAL_VALUE) + "".join(_UNIT_VALUE) + "".join(_BIG_VALUE)


def from_chinese(text: str) -> int:
    """Parse a Chinese numeral (十一, 一百零一, 两千, 二〇二五 digit by digit) into an int.

    Raises:
        ValueError: if the text is not a Chinese numeral.
    """
    if not text or any(ch not in NUMERAL_CHARS for ch in text):
        raise ValueError(f"not a Chinese numeral: {text!r}")
    if all(ch in _NUMERAL_VALUE for ch in text) and len(text) > 1:
        # digit-by-digit style, e.g. 二〇二五
        return int("".join(str(_NUMERAL_VALUE[ch]) for ch in text))
    hundred_millions = 0
    ten_thousands = 0
    section = 0
    digit = None
    for ch in text:
        if ch in _NUMERAL_VALUE:
            if digit:
                raise ValueError(f"not a Chinese numeral: {text!r}")
            digit = _NUMERAL_VALUE[ch]
        elif ch in _UNIT_VALUE:
            section += (1 if digit is None else digit) * _UNIT_VALUE[ch]
            digit = None
        elif _BIG_VALUE[ch] == 10**4:
            ten_thousands = (section + (digit or 0)) * 10**4
            section, digit = 0, None
        else:
            hundred_millions = (hundred_millions + ten_thousands + section + (digit or 0)) * 10**8
            ten_thousands, section, digit = 0, 0, None
    return hundred_millions + ten_thousands + section + (digit or 0)


def chapter_label(n: int) -> str:
    """第n章."""
    return f"第{to_chinese(n)}章"


def section_label(n: int) -> str:
    """第n节."""
    return f"第{to_chinese(n)}节"


def article_label(n: int) -> str:
    """第n条."""
    return f"第{to_chinese(n)}条"


def _latin(n: int) -> str:
    letters = ""
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


# Label styles, named by what the label for 1 looks like: a clerk writes the style as it
# looks on paper. Keep in sync with schema.ListStyle.
LIST_STYLES = {
    "（一）": lambda n: f"（{to_chinese(n)}）",
    "一、": lambda n: f"{to_chinese(n)}、",
    "1.": lambda n: f"{n}.",
    "1、": lambda n: f"{n}、",
    "(1)": lambda n: f"({n})",
    "（1）": lambda n: f"（{n}）",
    "①": lambda n: _CIRCLED[n - 1] if n <= len(_CIRCLED) else f"({n})",
    "A.": lambda n: f"{_latin(n)}.",
    "a.": lambda n: f"{_latin(n).lower()}.",
}

ARTICLE_STYLE_LEVELS = ("（一）", "1.", "(1)", "①")
"""Items inside a 第X条 article: 项 （一）, then 目 1., then (1), then ①."""

OUTLINE_STYLE_LEVELS = ("一、", "（一）", "1.", "(1)", "①")
"""Regulations written as outlines: chapter 一、, section （一）, article 1., item (1), ①."""


def list_label(style: str, n: int) -> str:
    """Label of the n-th entry (1-based) of a list in a style: ('（一）', 3) → （三）."""
    if n < 1:
        raise ValueError("list numbers start at 1")
    try:
        return LIST_STYLES[style](n)
    except KeyError:
        raise ValueError(f"unknown list style {style!r}") from None


def next_style(style: str, levels: tuple[str, ...] = ARTICLE_STYLE_LEVELS) -> str:
    """The style one level deeper than `style` in a numbering scheme (（一） → 1. → (1) → ①)."""
    if style in levels:
        index = levels.index(style)
        return levels[min(index + 1, len(levels) - 1)]
    return levels[-1]


def outline_reference(chapter: int | None, section: int | None, article: int) -> str:
    """How text refers to an article of an outline-numbered regulation: 第二部分（一）第3点."""
    text = f"第{to_chinese(chapter)}部分" if chapter else ""
    if section:
        text += list_label("（一）", section)
    return text + f"第{article}点"


_ARTICLE_REF = re.compile(rf"第([{NUMERAL_CHARS}]+)条")


def parse_article_label(text: str) -> int | None:
    """If text starts with 第X条, return X as an int, else None."""
    match = _ARTICLE_REF.match(text)
    return from_chinese(match.group(1)) if match else None


# ---------------------------------------------------------------- punctuation

FULL_WIDTH = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！"}
"""The full-width mark Chinese text uses for each half-width one."""
_HAN = "\u3400-\u9fff\uf900-\ufaff"
_HALF_WIDTH = re.compile(f"(?<=[{_HAN}])([,:;?!])[ \t]*(?=[{_HAN}“‘（《]|$)", re.MULTILINE)


def half_width_marks(text: str) -> list[tuple[int, str]]:
    """(offset, mark) of each half-width , : ; ? ! written after a Chinese character and
    before another one (or at the end): the places Chinese typography wants ， ： ； ？ ！."""
    return [(match.start(1), match.group(1)) for match in _HALF_WIDTH.finditer(text)]


def full_width_marks(text: str) -> str:
    """text with those half-width marks made full-width (and the blanks after them gone)."""
    return _HALF_WIDTH.sub(lambda match: FULL_WIDTH[match.group(1)], text)


_TYPED_NUMBER = re.compile(
    r"^(?:第[零〇一二三四五六七八九十百千两\d]+条(?![的之中内所规以及和与至到没未、，。第])"
    # 第八条 本制度 (but not 第五条所列…, a text about that article; 第二章… is a chapter named)
    r"|[（(][一二三四五六七八九十\d]{1,3}[）)]"                 # （一）, (1)
    r"|[一二三四五六七八九十]{1,3}、"                          # 一、
    r"|\d{1,3}(?:[、．]|\.(?!\d))"                             # 1. 1、 (not 1.5)
    r"|[①-⑳])[ \t\u3000]*")
"""Numbering typed at the start of a text, with the blanks after it."""


def typed_number(text: str) -> str:
    """The numbering typed by hand at the start of text (第八条 , （一）, 1. , ① …) with the
    blanks after it; '' when the text starts with its words."""
    match = _TYPED_NUMBER.match(text)
    return match.group(0) if match and match.end() < len(text) else ""
