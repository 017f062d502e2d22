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


# ---------------------------------------------------------------- page furniture

_FURNITURE_LINE = re.compile(
    r"^\s*(?:[•·\-–]\s*)?(?:\d+[、.．]\s*)?(?:"
    r"下[载載]本文[档檔]|文[档檔]简介|文[檔档]簡介|[温溫]馨提示|版[权權][说說]明.*|最新文[档檔]|"
    r"合集下[载載]|提交[评評][论論]|[评評][论論]|0/\d+|"
    r".*(?:本站|平台不提供|下[载載]文[档檔]前|下[载載]文件|仅部分预览|侵犯您的权益|侵权|上[传傳]用[户戶]|"
    r"[阅閱][读讀]\d+[页頁]|[继繼][续續]免[费費][阅閱][读讀]|人工客服|WinRAR|OFFICE2007|文库网|"
    r"权益所有人|盈利用途|用[户戶]提供并上[传傳]).*"
    r")\s*$")
PAGE_BREAK = "\f"
"""Put where furniture was removed: a new document often starts right after it."""
_PAGE_SUFFIX = re.compile(r"_第\d+[页頁]\s*$")
_HTML_REMNANT = re.compile(r"</?[a-z]{1,6}>|(?<=[\u3400-\u9fff])/[a-z]{1,6}>")


def strip_furniture(lines: list[str]) -> tuple[list[str], int]:
    """Blank out document-site furniture (download notices, page tabs, comment boxes).

    Returns as many lines as it was given (so line numbers stay those of the file) and
    how many were blanked: a furniture line becomes PAGE_BREAK, a page-tab title such
    as `XX制度_第2页` loses its suffix, and repeats of the same title become blank.
    """
    kept: list[str] = []
    dropped = 0
    previous = ""
    for line in lines:
        line = _HTML_REMNANT.sub("", line)
        if _FURNITURE_LINE.match(to_simplified(strip_pinyin(line))):
            dropped += 1
            kept.append(PAGE_BREAK)
            continue
        if _PAGE_SUFFIX.search(line):
            line = _PAGE_SUFFIX.sub("", line)
            if previous.strip() == line.strip():
                dropped += 1
                kept.append("")
                continue
        kept.append(line)
        if line.strip():
            previous = line
    return kept, dropped


# ---------------------------------------------------------------- GBK mojibake

_MOJIBAKE = re.compile(r"\?{1,2}([^\x00-\x7f?]{2,})([\x21-\x7e]?)")


def repair_mojibake(text: str) -> tuple[str, list[str]]:
    """Repair GBK text that was read one byte out of step, as in `確??蛻粜畔⒌臏蚀_性`.

    A `??` marks a lost character; the characters after it are byte pairs shifted by
    one. Re-reading them with each possible lead byte and keeping the reading that
    looks most like real words restores the text; the lost character itself cannot
    be known and is written as □. Returns the text and a description of each repair.
    """
    repairs: list[str] = []

    def fix(match: re.Match) -> str:
        shifted, tail = match.group(1), match.group(2)
        try:
            raw = shifted.encode("gb18030")
        except UnicodeEncodeError:
            return match.group(0)
        best, best_score = None, 0.0
        for lead in range(0x81, 0xFF):
            # the shifted run ends on a lead byte whose trail byte reads as the ASCII after it
            options = ([(tail.encode("ascii"), "")] if tail else []) + [(b"", tail)]
            for extra in options:
                try:
                    candidate = (bytes([lead]) + raw + extra[0]).decode("gb18030") + extra[1]
                except UnicodeDecodeError:
                    continue
                break
            else:
                continue
            score = _wordlikeness(candidate)
            if score > best_score:
                best, best_score = candidate, score
        if best is None or best_score < 2.0:
            return match.group(0)
        repaired = "□" + best
        repairs.append(f"{match.group(0)} → {repaired}")
        return repaired

    return _MOJIBAKE.sub(fix, text), repairs


def _wordlikeness(text: str) -> float:
    """How much the text reads like common words: frequency-weighted dictionary cover."""
    import math

    import jieba

    score = 0.0
    for word in jieba.lcut(to_simplified(text), HMM=False):
        frequency = jieba.dt.FREQ.get(word, 0)
        if len(word) >= 2 and frequency:
            score += len(word) * math.log(1 + frequency)
    return score / max(len(text), 1)
