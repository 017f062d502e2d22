"""The body of a Word file in reading order: paragraphs (tracked changes accepted) and
tables (merged cells flattened), content controls opened, tables of contents left out;
and the file's comments."""

from __future__ import annotations

from dataclasses import dataclass, field

from docx.oxml import parse_xml
from docx.oxml.ns import qn

_SKIPPED_ANCESTORS = {qn("w:del"), qn("w:moveFrom"), qn("w:txbxContent"),
                      "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"}
_TEXT = {qn("w:t"): None, qn("w:tab"): "\t", qn("w:br"): "\n", qn("w:cr"): "\n",
         qn("w:noBreakHyphen"): "-"}
COMMENTS_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"


@dataclass
class WordTable:
    """A table: the header (one title per column) and the body rows, flattened."""

    header: list[str]
    rows: list[list[str]]
    notes: list[str] = field(default_factory=list)
    """What flattening merged cells did, for the import's warnings."""
    title: str = ""
    """The caption above the table, when it has one."""
    note: str = ""
    """A note under the table (Word files this tool wrote)."""


def paragraph_text(p) -> str:
    """The text Word shows with every tracked change accepted (insertions kept, deletions
    dropped); tabs and line breaks kept as \\t and \\n."""
    parts = []
    for element in p.iter(*_TEXT):
        ancestor = element.getparent()
        skipped = False
        while ancestor is not None and ancestor is not p:
            if ancestor.tag in _SKIPPED_ANCESTORS:
                skipped = True
                break
            ancestor = ancestor.getparent()
        if skipped:
            continue
        fixed = _TEXT[element.tag]
        parts.append(element.text or "" if fixed is None else fixed)
    return "".join(parts)


def _is_toc_control(sdt) -> bool:
    gallery = sdt.find(qn("w:sdtPr") + "/" + qn("w:docPartObj") + "/" + qn("w:docPartGallery"))
    return gallery is not None and "content" in (gallery.get(qn("w:val")) or "").lower()


def blocks(body):
    """Paragraph and table elements of the body in reading order (content controls
    opened; a table-of-contents control and a TOC field's paragraphs left out)."""
    depth = 0  # fields open inside a TOC field
    for element in _flat(body):
        if element.tag == qn("w:tbl"):
            yield element
            continue
        instructions = "".join(t.text or "" for t in element.iter(qn("w:instrText")))
        if depth == 0 and "TOC" in instructions:
            depth = 0
            for char in element.iter(qn("w:fldChar")):
                kind = char.get(qn("w:fldCharType"))
                depth += 1 if kind == "begin" else -1 if kind == "end" else 0
            continue
        if depth > 0:
            for char in element.iter(qn("w:fldChar")):
                kind = char.get(qn("w:fldCharType"))
                depth += 1 if kind == "begin" else -1 if kind == "end" else 0
            continue
        yield element


def _flat(container):
    for child in container:
        if child.tag in (qn("w:p"), qn("w:tbl")):
            yield child
        elif child.tag == qn("w:sdt"):
            if _is_toc_control(child):
                continue
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from _flat(content)
        elif child.tag in (qn("w:customXml"), qn("w:ins")):
            yield from _flat(child)


def _cell_text(tc) -> str:
    return "\n".join(t for t in (paragraph_text(p).strip() for p in tc.iter(qn("w:p"))) if t)


def _grid(tbl) -> tuple[list[list[str]], list[list[str]], list[str]]:
    """Each row as its cells across the grid, with the kind of each: '' own cell, 'h'
    covered by a horizontal merge, 'v' by a vertical merge."""
    texts: list[list[str]] = []
    kinds: list[list[str]] = []
    for tr in tbl.findall(qn("w:tr")):
        row: list[str] = []
        kind: list[str] = []
        for tc in tr.findall(qn("w:tc")):
            properties = tc.find(qn("w:tcPr"))
            span = 1
            vertical = None
            if properties is not None:
                grid_span = properties.find(qn("w:gridSpan"))
                if grid_span is not None and (grid_span.get(qn("w:val")) or "").isdigit():
                    span = max(1, min(int(grid_span.get(qn("w:val"))), 63))
                merge = properties.find(qn("w:vMerge"))
                if merge is not None:
                    vertical = merge.get(qn("w:val")) or "continue"
            column = len(row)
            if vertical == "continue" and texts and column < len(texts[-1]):
                text, first = texts[-1][column], "v"
            else:
                text, first = _cell_text(tc), ""
            row += [text] * span
            kind += [first] + ["h"] * (span - 1)
        texts.append(row)
        kinds.append(kind)
    width = max((len(r) for r in texts), default=0)
    for row, kind in zip(texts, kinds, strict=True):
        row += [""] * (width - len(row))
        kind += [""] * (width - len(kind))
    return texts, kinds, []


def read_table(tbl) -> WordTable:
    """The table with a one-row header; a header of two rows joined by merged cells
    (a title over two columns, a title over two rows) becomes one row."""
    texts, kinds, notes = _grid(tbl)
    if not texts:
        return WordTable([], [], [])
    header_rows = 1
    if len(texts) > 2 and ("h" in kinds[0] or "v" in kinds[1]):
        header_rows = 2
    if header_rows == 2:
        header = [top if top == bottom or not bottom else (bottom if not top else top + bottom)
                  for top, bottom in zip(texts[0], texts[1], strict=True)]
        notes.append("a header of two rows with merged cells was joined into one: "
                     + "、".join(header))
    else:
        header = list(texts[0])
        if "h" in kinds[0]:
            notes.append("merged header cells were repeated in each column")
    rows = []
    for number, (row, kind) in enumerate(zip(texts[header_rows:], kinds[header_rows:],
                                             strict=True), start=header_rows + 1):
        if "h" in kind:
            row = [text if k != "h" else "" for text, k in zip(row, kind, strict=True)]
            notes.append(f"row {number}: a cell merged across columns kept its text in the "
                         "first column only")
        if "v" in kind:
            notes.append(f"row {number}: a cell merged down from the row above repeats "
                         "its text")
        rows.append(row)
    header = [h or f"列{i + 1}" for i, h in enumerate(header)]
    return WordTable(header, rows or [[""] * len(header)], notes)


def comments(document) -> dict[str, tuple[str, str]]:
    """The file's comments by id: (author, text)."""
    found: dict[str, tuple[str, str]] = {}
    for rel in document.part.rels.values():
        if rel.reltype != COMMENTS_TYPE or rel.is_external:
            continue
        try:
            root = parse_xml(rel.target_part.blob)
        except Exception:  # a damaged comments part loses the comments, not the text
            continue
        for comment in root.findall(qn("w:comment")):
            text = "".join(paragraph_text(p) for p in comment.iter(qn("w:p"))).strip()
            found[comment.get(qn("w:id"), "")] = (comment.get(qn("w:author"), ""), text)
    return found


def comment_ids(p) -> list[str]:
    """Ids of the comments anchored in the paragraph."""
    return [ref.get(qn("w:id"), "") for ref in p.iter(qn("w:commentReference"))]


def anchored_texts(p) -> dict[str, str]:
    """The words each comment marks inside the paragraph (between its range start and
    end, tracked changes accepted), by comment id."""
    start, end = qn("w:commentRangeStart"), qn("w:commentRangeEnd")
    open_ranges: list[str] = []
    found: dict[str, str] = {}
    for element in p.iter(start, end, *_TEXT):
        key = element.get(qn("w:id"), "")
        if element.tag == start:
            open_ranges.append(key)
            found.setdefault(key, "")
        elif element.tag == end:
            if key in open_ranges:
                open_ranges.remove(key)
        elif open_ranges and not any(a.tag in _SKIPPED_ANCESTORS
                                     for a in element.iterancestors()):
            fixed = _TEXT[element.tag]
            for key in open_ranges:
                found[key] += element.text or "" if fixed is None else fixed
    return found


def _bold(run) -> bool:
    bold = run.find(qn("w:rPr") + "/" + qn("w:b"))
    return bold is not None and bold.get(qn("w:val"), "true") not in ("0", "false", "off")


def bold_lead(p) -> str:
    """The bold words a paragraph starts with when plain text follows them (an article's
    title set in bold: **目的**为规范……), else ''."""
    lead, rest = "", ""
    for run in p.iter(qn("w:r")):
        if any(a.tag in _SKIPPED_ANCESTORS for a in run.iterancestors()):
            continue
        text = "".join(t.text or "" for t in run.iter(qn("w:t")))
        if not text:
            continue
        if not rest and _bold(run):
            lead += text
        else:
            rest += text
            break
    return lead.strip() if rest.strip() and lead.strip() else ""
