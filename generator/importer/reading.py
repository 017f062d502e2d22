"""Read an input file as text: .txt (UTF-8, GBK/GB18030, UTF-16), .md and .docx."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from .. import zh
from ..errors import HandbookError
from . import markers, package, word_body, word_numbering

TEXT_SUFFIXES = (".txt", ".text", ".md", ".markdown")
LEVEL_STYLES = {"项": markers.ITEM_HINT, "目": markers.SUB_ITEM_HINT}
"""Item paragraphs of our own files: their depth is known, whatever their label."""
BOLD_TITLE = re.compile(r"^(?:第[ 　]?[一二三四五六七八九十百\d]+[ 　]?条[ 　]*)?"
                        r"([\u4e00-\u9fff、与和及]{2,10})$")
"""A bold lead-in that is an article's title (with or without its typed label)."""
TOP_HEADINGS = {"Heading 1", "heading 1", "标题 1", "标题1"}
"""Styles of the top headings of a foreign Word file."""
CAPTION_STYLE = "表题"
TABLE_NOTE_STYLE = "表格文字"
SKIPPED_STYLES = {"目录标题", "信息栏", "Header", "Footer", "页码", "草案标记",
                  "TOC Heading"}
"""Paragraph styles of our own Word output that carry no regulation text (captions, TOC)."""
END_STYLES = {"附件标题"}
POSTSCRIPT_STYLE = "结束语"
TABLE_MARK = "⟦表{}⟧"
TITLE_ONLY = "⟦无正文⟧"
"""The line after an article heading of our own files that has no text of its own."""
"""The line that stands for a Word table in the text until the table is put back."""
CAPTION = re.compile(r"^\s*(?:附?表\s*[\d一二三四五六七八九十]*[：:．.\s]*)?"
                     r"[^。；;，,：:！？!?]{2,30}表\s*$")
ARTICLE_TITLE_STYLE = "条标题"


class ImportReadError(HandbookError):
    """The input file cannot be read."""


@dataclass
class Source:
    """What was read from an input file.

    metadata and article_heads are only filled for Word files this tool wrote: their
    document properties, front block, revision table and article bookmarks.
    """

    text: str
    encoding: str
    metadata: dict[str, object] = field(default_factory=dict)
    article_heads: list[tuple[str, str]] = field(default_factory=list)
    """(article id, the text of the paragraph carrying its bookmark), in reading order."""
    tables: list[word_body.WordTable] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)

    @property
    def article_ids(self) -> list[str]:
        """The article ids of the bookmarks, in reading order."""
        return [key for key, _line in self.article_heads]


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
        utf16 = _utf16_without_bom(raw)
        if utf16 is not None:
            return utf16
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


def _utf16_without_bom(raw: bytes) -> tuple[str, str] | None:
    """UTF-16 text saved without a byte-order mark: the byte order whose reading is
    (nearly) all Chinese, ASCII and punctuation, if one is."""
    if len(raw) % 2:
        return None
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        sample = text[:2000]
        plain = sum(1 for ch in sample if ch.isascii() and (ch.isprintable() or ch in "\r\n\t")
                    or "\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef")
        if sample and plain >= 0.95 * len(sample):
            return text, encoding
    return None


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
    """Paragraphs of a Word file, one per line, numbered as Word shows them; tables.

    A paragraph numbered by Word's numbering (directly or through its style) gets the
    label Word shows (第三条, （一）, 1. …), so the structure parser sees it; tracked
    changes are read as accepted; each table becomes a marker line (TABLE_MARK) and an
    entry of `tables`. Files written by `handbook build docx` also give back their
    metadata and article ids.
    """
    document, numbering = _open_docx(path)
    lines: list[str] = []
    source = Source("", "docx")
    postscript: list[str] = []
    styles = _Styles(document)
    remarks = word_body.comments(document)
    front = _front_tables(document)
    ours = bool(document.core_properties.identifier)
    headings: list[int] = []  # lines of unnumbered Heading 1 paragraphs
    caption = ""  # our own files: the 表题 above a table, the 表格文字 note below it
    after_table = False
    for element in word_body.blocks(document.element.body):
        if element.tag == qn("w:tbl"):
            if element not in front:
                _add_table(element, lines, source, caption)
            caption, after_table = "", element not in front
            continue
        paragraph = Paragraph(element, document.part)
        paragraph_style = styles.of_paragraph(paragraph)
        style = paragraph_style.name if paragraph_style is not None else ""
        if style == CAPTION_STYLE:
            caption = word_body.paragraph_text(element).strip()
            continue
        if style == TABLE_NOTE_STYLE and after_table and source.tables:
            source.tables[-1].note = word_body.paragraph_text(element).strip()
            continue
        after_table = False
        if style in SKIPPED_STYLES or style.lower().startswith("toc"):
            continue
        if style in END_STYLES:
            break  # what follows (our appendix of processes) is not regulation text
        label = numbering.label(element)
        text = word_body.paragraph_text(element).strip()
        source.comments += _comments(element, text, remarks)
        if not text:
            continue
        if style == POSTSCRIPT_STYLE:
            postscript.append(text)
            continue
        text = text if ours else _bold_title_apart(element, text, label)
        line = label + text if label and not text.startswith(label.strip()) else text
        if ours and style in LEVEL_STYLES:
            line = LEVEL_STYLES[style] + line
        if not ours and not label and style in TOP_HEADINGS and lines:
            headings.append(len(lines))
        _add_line(line, paragraph, styles, lines)
        source.article_heads += [(key, line) for key in _article_ids(element)]
    _number_headings(lines, headings)
    source.text = "\n".join(lines)
    source.metadata = _our_metadata(document) | ({"postscript": postscript} if postscript else {})
    return source


def _open_docx(path: Path):
    """The Word document (its package checked first) and its numbering definitions."""
    import docx  # python-docx

    package.check(path)
    try:
        document = docx.Document(str(path))
        return document, word_numbering.Numbering(_numbering_element(document),
                                                  document.styles.element)
    except Exception as exc:  # python-docx raises several types for a broken package
        raise ImportReadError(f"{path}: not a readable .docx ({exc})") from None


def _comments(element, text: str, remarks: dict) -> list[str]:
    """The Word comments anchored in a paragraph, as warnings naming author, the words
    they mark (the paragraph's start when they mark none) and their text."""
    found = []
    anchored = word_body.anchored_texts(element)
    for key in word_body.comment_ids(element):
        author, remark = remarks.get(key, ("", ""))
        if remark:
            words = anchored.get(key, "").strip() or text[:24]
            found.append(f"Word comment by {author or '?'} on “{words}”: {remark}")
    return found


def _bold_title_apart(element, text: str, label: str) -> str:
    """An article title set in bold before its text (**第一条 目的**为规范……) kept apart
    from the text by a full-width space."""
    lead = word_body.bold_lead(element)
    match = BOLD_TITLE.match(lead)
    if match and text.startswith(lead) and (label or lead.startswith("第")) \
            and lead.endswith(match.group(1)):
        return text[:len(lead)] + "　" + text[len(lead):].lstrip()
    return text


def _article_ids(element) -> list[str]:
    """Article ids from the bookmarks our own .docx puts on each article (a_<id>)."""
    ids = []
    for bookmark in element.findall(qn("w:bookmarkStart")):
        name = bookmark.get(qn("w:name"), "")
        if name.startswith("a_") and len(name) > 2:  # a_ alone marks the title
            ids.append(name[2:].replace("_", "-"))
    return ids


def _number_headings(lines: list[str], headings: list[int]) -> None:
    """Unnumbered Heading 1 paragraphs between 第X条 articles are the chapters: 第X章 is
    written before them (when no chapter is numbered anywhere)."""
    if len(headings) < 2 or any(_CHAPTER_LINE.match(line) for line in lines) or \
            not any(_ARTICLE_LINE.match(line) for line in lines):
        return
    candidates = [i for i in headings if len(lines[i]) <= 20 and
                  not re.search(r"[。；;，,：:]", lines[i]) and not _ARTICLE_LINE.match(lines[i])]
    if len(candidates) < 2:
        return
    for number, index in enumerate(candidates, start=1):
        lines[index] = f"第{zh.to_chinese(number)}章 {lines[index].strip()}"


_CHAPTER_LINE = re.compile(r"^\s*第[ 　]?[一二三四五六七八九十百\d]+[ 　]?章")
_ARTICLE_LINE = re.compile(r"^\s*第[ 　]?[一二三四五六七八九十百\d]+[ 　]?条")


def _front_tables(document) -> list:
    """The metadata and revision tables of a Word file this tool wrote (not regulation
    content)."""
    if not document.core_properties.identifier or not document.tables:
        return []
    return [table._tbl for index, table in enumerate(document.tables)
            if index == 0 or [c.text for c in table.rows[0].cells] == ["版本", "日期", "修订说明"]]


def _numbering_element(document):
    """numbering.xml's root, or None for a file without one."""
    part = document.part
    for rel in part.rels.values():
        if rel.reltype.endswith("/numbering") and not rel.is_external:
            return part.numbering_part.element
    return None


def _add_line(line: str, paragraph, styles, lines: list[str]) -> None:
    """Append a paragraph's line; our own files' 第三条　标题　正文 gets the heading apart."""
    heading = [r.text for r in paragraph.runs if styles.run_style_name(r) ==
               ARTICLE_TITLE_STYLE]
    if heading and heading[0] and heading[0] in line:
        cut = line.index(heading[0]) + len(heading[0])
        rest = line[cut:].strip("　 ")
        lines += [line[:cut], rest] if rest else [line, TITLE_ONLY]
    else:
        lines.append(line)


def _add_table(element, lines: list[str], source: Source, caption: str = "") -> None:
    """A table as a marker line; a caption (or a short 表 line just above) is its title."""
    table = word_body.read_table(element)
    if not table.header:
        return
    if caption:
        table.title = caption
    elif lines and CAPTION.match(lines[-1]):
        table.title = lines.pop().strip()
    source.tables.append(table)
    lines.append(TABLE_MARK.format(len(source.tables)))


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
