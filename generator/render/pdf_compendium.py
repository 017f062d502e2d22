"""The 制度汇编's PDF, assembled from parts instead of converting the whole compendium.

The compendium's sections are written as parts of a few regulations each (render_part),
converted by one LibreOffice one after another: before a part is converted its first page
number is set to follow the pages of the parts before it, so the footers read on from
— 1 — as in one document. Then the front matter (cover and table of contents, with the
page numbers the parts showed) is converted, and pypdf joins them, adding an outline
(each regulation, its chapters) and page labels (the cover, I, II … for the contents,
1, 2 … for the regulations).

A part whose content and first page are those of the last build is not converted again:
its PDF, page count and headings' pages are kept under the build's cache folder.
"""

from __future__ import annotations

import json
import threading
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

PAGE_START = b'w:fmt="decimal" w:start="1"/>'
"""How the part's page numbering is written in its document.xml (render_part: from 1)."""

MANIFEST = "parts.json"
FRONT = "_front"
"""The front matter's file name (no regulation id starts with "_")."""


@dataclass
class Part:
    """One regulation's section of the compendium: its .docx (numbered from 1), the key of
    what it is made from, and its table-of-contents entries (level, text)."""

    name: str
    docx: Path
    key: str
    headings: list[tuple[int, str]]
    first_page: int = 0
    pages: int = 0
    offsets: list[int] = field(default_factory=list)
    """Page of each heading within the part (0 = its first page)."""


class Sequence:
    """The parts to convert in order, then the front matter: what one converter is fed
    before it takes any other file (see pdf.convert)."""

    def __init__(self, parts: list[Part], folder: Path, fonts_key: bytes, force: bool,
                 make_front: Callable[[list[int]], Path]) -> None:
        self.parts, self.folder, self.fonts_key = parts, folder, fonts_key
        self.make_front = make_front
        self.pdf_dir, self.feed_dir = folder / "pdf", folder / "feed"
        self.pdf_dir.mkdir(parents=True, exist_ok=True)
        self.feed_dir.mkdir(parents=True, exist_ok=True)
        self.old: dict[str, list] = {} if force else _read_manifest(folder / MANIFEST)
        self.index = 0
        self.next_page = 1
        self.waiting: Part | None = None
        self.front: Path | None = None
        self.front_done = False
        self.failed: str | None = None
        self.converted = 0
        self.started = False
        """Whether a converter has asked for a file (without LibreOffice none does)."""
        self.lock = threading.Lock()

    def out_dir(self, source: Path) -> Path:
        """Where the converter writes source's PDF."""
        return self.pdf_dir

    def take(self) -> Path | None:
        """The next file to convert (a part renumbered to follow the one before, or the
        front matter once every part is done), None when all are done or one failed."""
        with self.lock:
            self.started = True
            if self.failed or self.waiting is not None:
                return None
            while self.index < len(self.parts):
                part = self.parts[self.index]
                part.first_page = self.next_page
                old = self.old.get(part.name)
                pdf = self.pdf_dir / f"{part.name}.pdf"
                if old and old[0] == self._key(part) and pdf.exists():
                    part.pages, part.offsets = old[1], old[2]
                    self._advance(part)
                    continue
                self.waiting = part
                return _renumbered(part.docx, self.feed_dir / part.docx.name, part.first_page)
            if self.front is None:
                pages = [part.first_page + offset for part in self.parts
                         for offset in part.offsets]
                self.front = self.make_front(pages)
                return self.front
            return None

    def give_back(self, source: Path) -> None:
        """A file the converter could not be given: it fails the compendium."""
        self.finished(source, False, "LibreOffice stopped")

    def finished(self, source: Path, ok: bool, reason: str = "") -> None:
        """The converter has answered for source."""
        with self.lock:
            part, self.waiting = self.waiting, None
            pdf = self.pdf_dir / f"{source.stem}.pdf"
            if not ok or not pdf.exists():
                self.failed = reason or "no PDF was written"
                return
            if part is None:
                self.front_done = True
                return
            self.converted += 1
            part.pages, part.offsets = _layout(pdf, part.headings)
            self._advance(part)

    def _advance(self, part: Part) -> None:
        self.old[part.name] = [self._key(part), part.pages, part.offsets]
        self.next_page += part.pages
        self.index += 1

    def _key(self, part: Part) -> str:
        from ..build_cache import content_key

        return content_key(part.key, self.fonts_key, part.first_page)

    @property
    def complete(self) -> bool:
        """Every part and the front matter are converted."""
        return self.failed is None and self.front_done and self.index == len(self.parts)

    def save(self) -> None:
        """Remember the parts of this compendium (and forget the files of any other)."""
        names = {part.name for part in self.parts}
        manifest = {name: value for name, value in self.old.items() if name in names}
        (self.folder / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
        for path in self.pdf_dir.glob("*.pdf"):
            if path.stem not in names and path.stem != FRONT:
                path.unlink(missing_ok=True)
        for path in self.feed_dir.glob("*.docx"):  # the renumbered copies, converted
            path.unlink(missing_ok=True)

    def toc_lines(self) -> list[str]:
        """The table of contents as `heading<TAB>page` lines (as LibreOffice lays it out)."""
        return [f"{text}\t{part.first_page + offset}" for part in self.parts
                for (_, text), offset in zip(part.headings, part.offsets, strict=True)]


def _read_manifest(path: Path) -> dict[str, list]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _renumbered(source: Path, target: Path, first_page: int) -> Path:
    """A copy of the part's .docx whose pages are numbered from first_page."""
    if first_page == 1:
        target.unlink(missing_ok=True)
        target.write_bytes(source.read_bytes())
        return target
    with zipfile.ZipFile(source) as package:
        items = [(info, package.read(info.filename)) for info in package.infolist()]
    with zipfile.ZipFile(target, "w") as package:
        for info, data in items:
            if info.filename == "word/document.xml":
                if PAGE_START not in data:
                    raise ValueError(f"{source.name}: no page numbering to start at {first_page}")
                data = data.replace(PAGE_START, f'w:fmt="decimal" w:start="{first_page}"/>'
                                    .encode())
            package.writestr(info, data, compress_type=info.compress_type)
    return target


def _layout(pdf: Path, headings: list[tuple[int, str]]) -> tuple[int, list[int]]:
    """The part's page count and the page (from 0) of each heading, read from the outline
    LibreOffice wrote (a heading not found there takes the page of the one before)."""
    import pypdf

    reader = pypdf.PdfReader(pdf)
    found: list[tuple[str, int]] = []

    def walk(items) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                found.append((_same(str(item.title)), reader.get_destination_page_number(item)))

    walk(reader.outline)
    offsets, position, page = [], 0, 0
    for _, text in headings:
        wanted = _same(text)
        for index in range(position, len(found)):
            if found[index][0] == wanted:
                page, position = found[index][1], index + 1
                break
        offsets.append(page)
    return len(reader.pages), offsets


def _same(text: str) -> str:
    return "".join(text.split())


def merge(sequence: Sequence, target: Path) -> int:
    """Join the front matter and the parts into target, with an outline entry for each
    regulation and its chapters, and page labels; return the number of pages."""
    import pypdf

    writer = pypdf.PdfWriter()
    front_reader = pypdf.PdfReader(sequence.pdf_dir / f"{FRONT}.pdf")
    writer.append(front_reader, import_outline=False)
    front_pages = len(writer.pages)
    for part in sequence.parts:
        first = len(writer.pages)
        writer.append(pypdf.PdfReader(sequence.pdf_dir / f"{part.name}.pdf"),
                      import_outline=False)
        parent = None
        for (level, text), offset in zip(part.headings, part.offsets, strict=True):
            item = writer.add_outline_item(title=text, page_number=first + offset,
                                           parent=parent if level > 1 else None,
                                           is_open=False)
            if level == 1:
                parent = item
    total = len(writer.pages)
    targets = [(text, front_pages + part.first_page - 1 + offset) for part in sequence.parts
               for (_, text), offset in zip(part.headings, part.offsets, strict=True)]
    _link_contents(writer, front_pages, targets)
    writer.set_page_label(0, 0, prefix="封面")
    if front_pages > 1:
        writer.set_page_label(1, front_pages - 1, style="/R", start=1)
    if total > front_pages:
        writer.set_page_label(front_pages, total - 1, style="/D", start=1)
    if front_reader.metadata:
        writer.add_metadata({key: value for key, value in front_reader.metadata.items()})
    writer.page_mode = "/UseOutlines"
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "wb") as stream:
        writer.write(stream)
    return total


def _link_contents(writer, front_pages: int, targets: list[tuple[str, int]]) -> None:
    """Make each line of the table of contents (on the front pages after the cover) a link
    to its heading's page, as LibreOffice does for a contents it lays out itself."""
    from pypdf.annotations import Link

    position = 0
    for page_index in range(1, front_pages):
        for left, bottom, right, top, text in _lines(writer.pages[page_index]):
            if position < len(targets) and text and _same(targets[position][0]).startswith(text):
                writer.add_annotation(page_index, Link(rect=(left, bottom, right, top),
                                                       target_page_index=targets[position][1],
                                                       border=[0, 0, 0]))
                position += 1


def _lines(page) -> list[tuple[float, float, float, float, str]]:
    """The page's lines of text, top to bottom: their box and their text up to the leader
    dots (whitespace removed)."""
    rows: dict[float, list[tuple[float, float, str]]] = {}

    def seen(text, matrix, text_matrix, font, size) -> None:
        if text.strip():
            rows.setdefault(round(text_matrix[5], 1), []).append((text_matrix[4], size, text))

    page.extract_text(visitor_text=seen)
    lines = []
    for baseline in sorted(rows, reverse=True):
        pieces = sorted(rows[baseline])
        size = max(piece[1] for piece in pieces)
        text = _same("".join(piece[2] for piece in pieces)).split("..")[0]
        right = pieces[-1][0] + size * len(pieces[-1][2].strip())
        lines.append((pieces[0][0], baseline - size * 0.3, right, baseline + size, text))
    return lines
