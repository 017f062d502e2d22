"""A Word document joined from parts as text: the 制度汇编 from its front matter and each
regulation's section, without building the whole document as one XML tree.

A section is cut from a document of its own (`cut`): its body XML exactly as the joined
document holds it, once ending its Word section (the w:sectPr in its last paragraph's
properties) and once ending the document (the w:sectPr closing the body), and the header
and footer parts its w:sectPr refers to. `join` writes the front matter's package with the
sections' XML appended to its body, renumbering what must be unique in one package:
bookmark ids, `_Toc` bookmark names (numbered through the document), drawing ids, header
and footer part names and their relationship ids. A section refers to no other part (no
images, no numbering instances of its own): `cut` refuses one that does.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from docx.document import Document
from docx.opc.oxml import serialize_part_xml

from .word_template import ZIP_TIME

_BODY, _SECTION, _BODY_END = b"<w:body>", b"<w:sectPr", b"</w:body>"
_NUMBERED = re.compile(rb'<(w:bookmarkStart|w:bookmarkEnd|wp:docPr) (?:w:)?id="(\d+)"'
                       rb'(?: w:name="_Toc(\d+)")?')
_REFERENCE = re.compile(rb'<[^<>]* r:(?:id|embed|link)="(rId\d+)"')
"""A relationship id in a tag (text has its < and > escaped: a regulation cannot forge one)."""
_PAGE_NUMBERS = b'<w:pgNumType w:fmt="decimal"/>'
_FIRST_PAGE_NUMBERS = b'<w:pgNumType w:fmt="decimal" w:start="1"/>'


class JoinError(Exception):
    """A section that cannot be joined as text (it refers to parts the join leaves out)."""


@dataclass
class Related:
    """A part a section's w:sectPr refers to (a header or footer), as it is in its package."""

    rid: str
    reltype: str
    content_type: str
    kind: str
    """header or footer: the start of its part's name."""
    blob: bytes = b""


@dataclass
class Section:
    """A regulation's section of the compendium as XML text, with what it refers to."""

    head: bytes
    """The body up to its last paragraph (or all of it when ending adds a paragraph)."""
    open_tail: bytes
    """The rest, as when the section ends the document."""
    closed_tail: bytes
    """The rest, as when another section follows (the w:sectPr in a paragraph's pPr)."""
    properties: bytes
    """The section's w:sectPr, closing the body when it is the document's last."""
    related: list[Related]
    root: str
    """A hash of the document's opening (namespaces): the same as the front matter's."""
    bookmarks: int = 0
    drawings: int = 0
    toc: int = 0
    links: dict[str, str | None] = field(default_factory=dict)
    """Other regulations whose anchors it looked up, and the anchor prefix it found."""


def cut(document: Document, close: Callable[[], None], toc: int,
        links: dict[str, str | None]) -> Section:
    """The section that is the document's body; `close` ends the body's section (as
    another section following it would), after which the document is not used again."""
    opened = serialize_part_xml(document.element)
    start = opened.index(_BODY) + len(_BODY)
    end = opened.rindex(_SECTION)
    body, properties = opened[start:end], opened[end:opened.rindex(_BODY_END)]
    related = _related(document, properties)
    close()
    closed = serialize_part_xml(document.element)
    closed_body = closed[start:closed.rindex(_SECTION)]
    if closed_body.startswith(body):  # ending it added a paragraph
        last = len(body)
    else:  # ending it put the w:sectPr in the last paragraph
        last = max(body.rfind(b"<w:p>"), body.rfind(b"<w:p "), body.rfind(b"<w:p/>"))
        if last < 0 or not closed_body.startswith(body[:last]):
            raise JoinError("the section's end is not its last paragraph")
    head = body[:last]
    if _REFERENCE.search(body):
        raise JoinError("the section's body refers to parts of its package")
    return Section(head, body[last:], closed_body[last:], properties, related,
                   hashlib.sha256(opened[:start]).hexdigest(),
                   bookmarks=body.count(b"<w:bookmarkStart "),
                   drawings=body.count(b"<wp:docPr "), toc=toc, links=links)


def _related(document: Document, properties: bytes) -> list[Related]:
    """The headers and footers the section's w:sectPr refers to."""
    found = []
    for rid in _REFERENCE.findall(properties):
        rid = rid.decode()
        relationship = document.part.rels[rid]
        part = relationship.target_part
        kind = re.fullmatch(r"/word/([a-z]+)\d*\.xml", str(part.partname))
        if kind is None or kind.group(1) not in ("header", "footer") or len(part.rels):
            raise JoinError(f"the section refers to {part.partname}, which is not a plain "
                            "header or footer")
        found.append(Related(rid, relationship.reltype, part.content_type, kind.group(1),
                             part.blob))
    return found


# ---------------------------------------------------------------- sections on disk


def write(section: Section, path: Path) -> None:
    """Keep the section in a file: a line of JSON (what it is), then its parts' XML."""
    blobs = [r.blob for r in section.related] + [section.properties, section.closed_tail,
                                                 section.open_tail, section.head]
    meta = {"root": section.root, "bookmarks": section.bookmarks,
            "drawings": section.drawings, "toc": section.toc, "links": section.links,
            "related": [[r.rid, r.reltype, r.content_type, r.kind] for r in section.related],
            "sizes": [len(blob) for blob in blobs]}
    temporary = path.with_name(f".{path.name}.tmp")
    with open(temporary, "wb") as stream:
        stream.write(json.dumps(meta, ensure_ascii=False, sort_keys=True).encode() + b"\n")
        for blob in blobs:
            stream.write(blob)
    os.replace(temporary, path)


def read_meta(path: Path) -> dict | None:
    """What a kept section is (its first line), None when the file is missing or damaged."""
    try:
        with open(path, "rb") as stream:
            meta = json.loads(stream.readline())
        return meta if isinstance(meta, dict) and "sizes" in meta else None
    except (OSError, ValueError):
        return None


def read(path: Path, body: bool = True) -> Section:
    """A kept section (without `body`: only what it is and its headers and footers)."""
    with open(path, "rb") as stream:
        meta = json.loads(stream.readline())
        sizes = meta["sizes"]
        related = [Related(*entry, blob=stream.read(size))
                   for entry, size in zip(meta["related"], sizes, strict=False)]
        rest = [stream.read(size) for size in sizes[len(related):]] if body else \
            [b""] * 4
    properties, closed_tail, open_tail, head = rest
    if body and sum(map(len, rest)) != sum(sizes[len(related):]):
        raise JoinError(f"{path.name}: the kept section is cut short")
    return Section(head, open_tail, closed_tail, properties, related, meta["root"],
                   meta["bookmarks"], meta["drawings"], meta["toc"], meta["links"])


# ---------------------------------------------------------------- joining


def join(front: Path, sections: list[Path], target: Path) -> Path:
    """Write target: the package of `front` (a .docx whose body's last section is the
    front matter's), the sections appended to its body in order, the first numbered from
    page 1 and the last closing the body."""
    with zipfile.ZipFile(front) as package:
        files = {info.filename: package.read(info.filename) for info in package.infolist()}
    document = files["word/document.xml"]
    start = document.index(_BODY) + len(_BODY)
    root = hashlib.sha256(document[:start]).hexdigest()
    front_body = document[start:document.rindex(_SECTION)]
    numbers = _Numbers(front_body)
    kept = [read(path, body=False) for path in sections]
    names = _Names(files["[Content_Types].xml"], files["word/_rels/document.xml.rels"])
    renamed = [names.add(section.related) for section in kept]
    files["[Content_Types].xml"], files["word/_rels/document.xml.rels"] = names.finish()
    temporary = target.with_name(f".{target.name}.tmp")
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as package:
            for name in files:
                if name != "word/document.xml":
                    package.writestr(_member(name), files[name])
                    continue
                with package.open(_member(name), "w") as stream:
                    stream.write(document[:start] + front_body)
                    for index, path in enumerate(sections):
                        stream.write(_section_xml(read(path), root, numbers, renamed[index],
                                                  first=index == 0,
                                                  last=index == len(sections) - 1))
                    if not sections:
                        stream.write(document[document.rindex(_SECTION):
                                              document.rindex(_BODY_END)])
                    stream.write(document[document.rindex(_BODY_END):])
            for name, blob in names.parts:
                package.writestr(_member(name), blob)
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return target


def _member(name: str) -> zipfile.ZipInfo:
    member = zipfile.ZipInfo(name, ZIP_TIME)
    member.compress_type = zipfile.ZIP_DEFLATED
    return member


def _section_xml(section: Section, root: str, numbers: _Numbers, rids: dict[bytes, bytes],
                 first: bool, last: bool) -> bytes:
    """The section's XML as it stands in the joined body, its numbers moved on."""
    if section.root != root:
        raise JoinError("a kept section was made on another template")
    tail = section.open_tail + section.properties if last else section.closed_tail
    tail = _REFERENCE.sub(lambda m: m.group(0)[:m.start(1) - m.start(0)] + rids[m.group(1)]
                          + m.group(0)[m.end(1) - m.start(0):], tail)
    if first:
        if tail.count(_PAGE_NUMBERS) != 1:
            raise JoinError("the first section's page numbering is not where expected")
        tail = tail.replace(_PAGE_NUMBERS, _FIRST_PAGE_NUMBERS)
    xml = numbers.renumber(section.head + tail)
    numbers.advance(section)
    return xml


class _Numbers:
    """Bookmark ids, drawing ids and `_Toc` numbers used so far in the joined body."""

    def __init__(self, front_body: bytes) -> None:
        self.bookmarks = front_body.count(b"<w:bookmarkStart ")
        self.drawings = front_body.count(b"<wp:docPr ")
        self.toc = 0

    def renumber(self, xml: bytes) -> bytes:
        """The section's numbers (each from 1 in its own document) after those before it."""
        def moved(match: re.Match) -> bytes:
            tag, number, toc = match.groups()
            offset = self.drawings if tag == b"wp:docPr" else self.bookmarks
            text = match.group(0).replace(b'"%s"' % number, b'"%d"' % (int(number) + offset), 1)
            if toc is not None:
                text = text[:-len(toc) - 1] + b"%05d\"" % (int(toc) + self.toc)
            return text

        return _NUMBERED.sub(moved, xml)

    def advance(self, section: Section) -> None:
        """Count the section's numbers as used."""
        self.bookmarks += section.bookmarks
        self.drawings += section.drawings
        self.toc += section.toc


class _Names:
    """The joined package's header and footer parts: new names, relationship ids, types."""

    def __init__(self, content_types: bytes, relationships: bytes) -> None:
        self.content_types, self.relationships = content_types, relationships
        self.used = {kind: max([0, *map(int, re.findall(rb"/word/%s(\d+)\.xml" % kind.encode(),
                                                         content_types))])
                     for kind in ("header", "footer")}
        self.rid = max([0, *map(int, re.findall(rb'Id="rId(\d+)"', relationships))])
        self.parts: list[tuple[str, bytes]] = []
        self._types: list[bytes] = []
        self._relations: list[bytes] = []

    def add(self, related: list[Related]) -> dict[bytes, bytes]:
        """Name a section's headers and footers in the package; its rIds → the new ones."""
        renamed = {}
        for part in related:
            self.used[part.kind] += 1
            self.rid += 1
            name = f"{part.kind}{self.used[part.kind]}.xml"
            self.parts.append((f"word/{name}", part.blob))
            self._types.append(f'<Override PartName="/word/{name}" ContentType='
                               f'"{part.content_type}"/>'.encode())
            self._relations.append(f'<Relationship Id="rId{self.rid}" Type="{part.reltype}" '
                                   f'Target="{name}"/>'.encode())
            renamed[part.rid.encode()] = b"rId%d" % self.rid
        return renamed

    def finish(self) -> tuple[bytes, bytes]:
        """[Content_Types].xml (its overrides by part name, as python-docx writes them)
        and document.xml.rels, with the parts added."""
        overrides = _OVERRIDE.findall(self.content_types) + self._types
        overrides.sort(key=lambda entry: _OVERRIDE_NAME.search(entry).group(1))
        types = _OVERRIDE.sub(b"", self.content_types)
        return (_append(types, b"</Types>", overrides),
                _append(self.relationships, b"</Relationships>", self._relations))


_OVERRIDE = re.compile(rb"<Override [^>]*/>")
_OVERRIDE_NAME = re.compile(rb'PartName="([^"]*)"')


def _append(xml: bytes, closing: bytes, entries: list[bytes]) -> bytes:
    at = xml.rindex(closing)
    return xml[:at] + b"".join(entries) + xml[at:]
