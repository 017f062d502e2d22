"""Read an input file as text: .txt (UTF-8, GBK/GB18030, UTF-16), .md and .docx."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn

from ..errors import HandbookError
from . import package

TEXT_SUFFIXES = (".txt", ".text", ".md", ".markdown")
SKIPPED_STYLES = {"表题", "目录标题", "信息栏", "Header", "Footer", "页码", "草案标记",
                  "TOC Heading"}
"""Paragraph styles of our own Word output that carry no regulation text (captions, TOC)."""
END_STYLES = {"附件标题"}
POSTSCRIPT_STYLE = "结束语"
ARTICLE_TITLE_STYLE = "条标题"


class ImportReadError(HandbookError):
    """The input file cannot be read."""


@dataclass
class Source:
    """What was read from an input file.

    metadata and article_ids are only filled for Word files this tool wrote: their
    document properties, front block, revision table and article bookmarks.
    """

    text: str
    encoding: str
    metadata: dict[str, object] = field(default_factory=dict)
    article_ids: list[str] = field(default_factory=list)


def read_source(path: Path, encoding: str | None = None) -> Source:
    """Read an input file; .docx paragraphs become lines."""
    path = Path(path)
    if not path.is_file():
        raise ImportReadError(f"{path}: no such file")
    if path.suffix.lower() == ".docx":
        return read_docx(path)
    if path.suffix.lower() not in TEXT_SUFFIXES:
        raise ImportReadError(f"{path}: cannot import {path.suffix or 'files without suffix'} "
                              "(use .txt, .md or .docx)")
    raw = path.read_bytes()
    text, used = decode_text(raw, encoding, str(path))
    if path.suffix.lower() in (".md", ".markdown"):
        text = strip_markdown(text)
    return Source(text, used)


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


def read_docx(path: Path) -> Source:
    """Paragraphs of a Word file, one per line; Word's own list numbers are written out.

    Headings and list paragraphs whose number comes from Word's numbering (not typed)
    get the number their style implies, so the structure parser sees it. Files written
    by `handbook build docx` also give back their metadata and article ids.
    """
    import docx  # python-docx

    package.check(path)
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises several types for a broken package
        raise ImportReadError(f"{path}: not a readable .docx ({exc})") from None
    lines = []
    postscript: list[str] = []
    article_ids = []
    counters: dict[tuple[str, int], int] = {}
    styles = _Styles(document)
    tables_of_contents = set(document.element.body.xpath(
        "./w:p[.//w:instrText[contains(., 'TOC')]]"))
    for paragraph in document.paragraphs:
        text = paragraph.text.strip()
        paragraph_style = styles.of_paragraph(paragraph)
        style = paragraph_style.name if paragraph_style is not None else ""
        if style in SKIPPED_STYLES or style.lower().startswith("toc"):
            continue
        if style in END_STYLES:
            break  # what follows (our appendix of processes) is not regulation text
        if not text or paragraph._p in tables_of_contents:
            continue
        if style == POSTSCRIPT_STYLE:
            postscript.append(text)
            continue
        label = _numbering_label(paragraph, paragraph_style, counters)
        line = label + text if label and not text.startswith(label) else text
        heading = [r.text for r in paragraph.runs if styles.run_style_name(r) ==
                   ARTICLE_TITLE_STYLE]
        if heading and heading[0] in line:
            # our own files write 第三条　标题　正文 on one line: the heading gets its own
            cut = line.index(heading[0]) + len(heading[0])
            lines += [line[:cut], line[cut:].strip("　 ")] if line[cut:].strip("　 ") \
                else [line]
        else:
            lines.append(line)
        for bookmark in paragraph._p.findall(qn("w:bookmarkStart")):
            name = bookmark.get(qn("w:name"), "")
            if name.startswith("a_") and len(name) > 2:  # a_ alone marks the title
                article_ids.append(name[2:].replace("_", "-"))
    metadata = _our_metadata(document)
    if postscript:
        metadata["postscript"] = postscript
    return Source("\n".join(lines), "docx", metadata, article_ids)


_FRONT_LABELS = {"文号": "number", "版本": "version", "状态": "status_name",
                 "生效日期": "effective", "发布部门": "department_name", "批准": "approver_name",
                 "适用范围": "applies_to_names"}


def _our_metadata(document) -> dict[str, object]:
    """Metadata of a Word file written by `handbook build docx` (empty for other files)."""
    properties = document.core_properties
    if not properties.identifier or not document.tables:
        return {}
    metadata: dict[str, object] = {
        "id": properties.identifier, "title": properties.title, "number": properties.subject,
        "version": properties.version, "category": properties.category,
        "status": properties.content_status, "numbering": properties.keywords,
    }
    for row in document.tables[0].rows:
        cells = [cell.text for cell in row.cells]
        for label, value in zip(cells[::2], cells[1::2], strict=False):
            key = _FRONT_LABELS.get(re.sub(r"\s", "", label))
            if key:
                metadata[key] = value
    if len(document.tables) > 1 and [c.text for c in document.tables[1].rows[0].cells] == \
            ["版本", "日期", "修订说明"]:
        metadata["revisions"] = [[c.text for c in row.cells] for row in document.tables[1].rows[1:]]
    return metadata


class _Styles:
    """A document's styles, each looked up once: python-docx looks a paragraph's or run's
    style up anew on every access, scanning all the document's styles whenever the
    paragraph or run has none of its own (most of them), which made long files slow."""

    def __init__(self, document) -> None:
        self._styles = document.styles
        self._found: dict[tuple[str | None, WD_STYLE_TYPE], object] = {}

    def _get(self, style_id: str | None, kind: WD_STYLE_TYPE):
        key = (style_id, kind)
        if key not in self._found:
            self._found[key] = self._styles.get_by_id(style_id, kind)
        return self._found[key]

    def of_paragraph(self, paragraph):
        """The paragraph's style (the document's default when it names none), or None."""
        return self._get(paragraph._p.style, WD_STYLE_TYPE.PARAGRAPH)

    def run_style_name(self, run) -> str:
        """The name of the run's character style ('' when there is none)."""
        style = self._get(run._r.style, WD_STYLE_TYPE.CHARACTER)
        return style.name if style is not None else ""


def _numbering_label(paragraph, style, counters: dict[tuple[str, int], int]) -> str:
    """The written-out label of a paragraph numbered by Word (w:numPr), else ''."""
    numbering = None
    properties = paragraph._p.pPr  # python-docx exposes numbering only on the XML element
    if properties is not None and properties.numPr is not None:
        numbering = properties.numPr
    elif style is not None and style.element.pPr is not None:
        numbering = style.element.pPr.numPr  # numbered through its style
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
