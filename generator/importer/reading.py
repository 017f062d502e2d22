"""Read an input file as text: .txt (UTF-8, GBK/GB18030, UTF-16), .md and .docx."""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import HandbookError

TEXT_SUFFIXES = (".txt", ".text", ".md", ".markdown")


class ImportReadError(HandbookError):
    """The input file cannot be read."""


def read_source(path: Path, encoding: str | None = None) -> tuple[str, str]:
    """Return (text, encoding used) of an input file; .docx paragraphs become lines."""
    path = Path(path)
    if not path.is_file():
        raise ImportReadError(f"{path}: no such file")
    if path.suffix.lower() == ".docx":
        return read_docx(path), "docx"
    if path.suffix.lower() not in TEXT_SUFFIXES:
        raise ImportReadError(f"{path}: cannot import {path.suffix or 'files without suffix'} "
                              "(use .txt, .md or .docx)")
    raw = path.read_bytes()
    text, used = decode_text(raw, encoding, str(path))
    if path.suffix.lower() in (".md", ".markdown"):
        text = strip_markdown(text)
    return text, used


def decode_text(raw: bytes, encoding: str | None, name: str) -> tuple[str, str]:
    """Decode bytes as the given encoding, or detect UTF-8 (BOM), UTF-16 or GB18030."""
    if encoding:
        try:
            return raw.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError) as exc:
            raise ImportReadError(f"{name}: cannot decode as {encoding}: {exc}") from None
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16"), "utf-16"
    if b"\x00" in raw[:4096]:
        raise ImportReadError(f"{name}: binary file, not text (hint: export it as .txt or .docx)")
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        raise ImportReadError(f"{name}: neither UTF-8 nor GBK/GB18030 text "
                              "(hint: pass --encoding)") from None


_MD_MARKUP = [
    (re.compile(r"^\s{0,3}#{1,6}\s*", re.M), ""),       # headings
    (re.compile(r"^\s{0,3}>\s?", re.M), ""),            # quotes
    (re.compile(r"\*\*(.+?)\*\*|__(.+?)__"), r"\1\2"),  # bold
    (re.compile(r"^\s*[-*+]\s+(?=\S)", re.M), "• "),    # bullets (kept as bullets)
    (re.compile(r"^\s*[-*_]{3,}\s*$", re.M), ""),       # rules
]


def strip_markdown(text: str) -> str:
    """Drop Markdown markup that is not part of the regulation's words."""
    for pattern, replacement in _MD_MARKUP:
        text = pattern.sub(replacement, text)
    return text


def read_docx(path: Path) -> str:
    """Paragraphs of a Word file, one per line; Word's own list numbers are written out.

    Headings and list paragraphs whose number comes from Word's numbering (not typed)
    get the number their style implies, so the structure parser sees it.
    """
    import docx  # python-docx

    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises several types for a broken package
        raise ImportReadError(f"{path}: not a readable .docx ({exc})") from None
    lines = []
    counters: dict[tuple[str, int], int] = {}
    for paragraph in document.paragraphs:
        text = paragraph.text.strip()
        if not text:
            continue
        label = _numbering_label(paragraph, counters)
        lines.append(label + text if label and not text.startswith(label) else text)
    return "\n".join(lines)


def _numbering_label(paragraph, counters: dict[tuple[str, int], int]) -> str:
    """The written-out label of a paragraph numbered by Word (w:numPr), else ''."""
    numbering = None
    properties = paragraph._p.pPr  # python-docx exposes numbering only on the XML element
    if properties is not None and properties.numPr is not None:
        numbering = properties.numPr
    elif paragraph.style is not None and paragraph.style.element.pPr is not None:
        numbering = paragraph.style.element.pPr.numPr  # numbered through its style
    if numbering is None:
        return ""
    num_id = numbering.numId
    level = numbering.ilvl
    key = (str(num_id.val) if num_id is not None else "0",
           int(level.val) if level is not None else 0)
    for other in list(counters):
        if other[0] == key[0] and other[1] > key[1]:
            del counters[other]
    counters[key] = counters.get(key, 0) + 1
    from .. import zh

    number = counters[key]
    return [zh.list_label("一、", number), zh.list_label("（一）", number), f"{number}.",
            f"({number})"][min(key[1], 3)]
