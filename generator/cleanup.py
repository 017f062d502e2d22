"""Cleaning of scraped regulation text: pinyin annotations, traditional characters, width.

Used by the importer and by the fidelity test that compares bundled regulations
with their seed texts.
"""

from __future__ import annotations

import functools
import re

_PINYIN_LETTERS = "a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüêńňǹḿ"
_PINYIN_AFTER_HANZI = re.compile(
    rf"(?<=[\u3400-\u9fff])[(（]([{_PINYIN_LETTERS}]{{1,7}})[)）]")

_WIDTH_PAIRS = {
    "，": ",", "：": ":", "；": ";", "（": "(", "）": ")", "？": "?", "！": "!",
    "．": ".", "％": "%", "－": "-", "～": "~", "“": '"', "”": '"', "‘": "'", "’": "'",
    "　": " ",
}
_WIDTH_TABLE = str.maketrans(_WIDTH_PAIRS)
_SPACES = re.compile(r"\s+")


def strip_pinyin(text: str) -> str:
    """Remove pinyin written in brackets after characters: 業(yè)務(wù) → 業務."""
    return _PINYIN_AFTER_HANZI.sub("", text)


@functools.lru_cache(maxsize=1)
def _converter():
    import opencc  # imported lazily: building the converter takes a moment

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Convert traditional characters to simplified (OpenCC t2s)."""
    return _converter().convert(text)


def comparison_key(text: str) -> str:
    """Text reduced for fidelity comparison: punctuation width unified, whitespace removed."""
    return _SPACES.sub("", text.translate(_WIDTH_TABLE))
