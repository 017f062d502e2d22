"""Opening a Word style template (templates/reference.docx, form-reference.docx): a
damaged file, or one without a style the renderer applies, is an error naming the file."""

from __future__ import annotations

import copy
import io
import zipfile
import zlib
from collections.abc import Iterable
from pathlib import Path

import docx
from docx.document import Document
from docx.opc.oxml import serialize_part_xml
from docx.opc.pkgwriter import PackageWriter
from docx.parts.styles import StylesPart

from ..errors import HandbookError

_HINT = "save it again from Word, or delete it to use the template shipped with handbook"


class TemplateBroken(HandbookError):
    """A Word template that cannot be read, or lacks a style the outputs use."""


def style_names(styles: type) -> tuple[str, ...]:
    """The style names listed as the attributes of a Styles class."""
    return tuple(value for key, value in vars(styles).items()
                 if not key.startswith("_") and isinstance(value, str))


_CHECKED: set[tuple] = set()
"""Templates (path, modification time, size, styles) found to hold every needed style."""

_PARSED: dict[tuple, Document] = {}
"""Each template read (by path, modification time and size), never handed out: documents
are copies of it."""

ZIP_TIME = (1980, 1, 1, 0, 0, 0)
"""The time every member of a .docx carries: a fixed one (the earliest a zip holds), so
that the same document is the same bytes whenever it is built."""

COMPRESSION = 6
"""zlib level of the parts written into a .docx (zipfile's default). The template's styles,
the largest part, are compressed once per template (see _SharedStyles)."""


def open_template(template: Path, needed: Iterable[str]) -> Document:
    """A new document that is a copy of the template, checked to hold every needed style.

    The template is read once per process; each document copies its parts except the
    styles, which all documents of that template share (renderers only apply styles)."""
    stat = Path(template).stat()
    key = (str(template), stat.st_mtime_ns, stat.st_size)
    parsed = _PARSED.get(key)
    if parsed is None:
        parsed = _parse(template)
        if len(_PARSED) >= 4:  # a watcher whose template keeps being saved again
            _PARSED.clear()
        _PARSED[key] = parsed
    checked = (*key, tuple(needed))
    if checked not in _CHECKED:  # this file was found whole before (forms open it once each)
        missing = [name for name in checked[3] if name not in parsed.styles]
        if missing:
            raise TemplateBroken(f"{template}: the Word template has no style named "
                                 f"{'、'.join(missing)} (hint: add the missing styles in Word, "
                                 "or delete the file to use the template shipped with handbook)")
        _CHECKED.add(checked)
    styles = parsed.part._styles_part
    return copy.deepcopy(parsed, {id(styles): styles})


def _parse(template: Path) -> Document:
    """The template as python-docx reads it, its styles part shared by every copy."""
    try:
        document = docx.Document(str(template))
    except Exception as exc:  # python-docx raises several types for a broken package
        raise TemplateBroken(f"{template}: not a readable Word template ({exc}) "
                             f"(hint: {_HINT})") from None
    styles = document.part._styles_part
    styles.__class__ = _SharedStyles
    styles.frozen = serialize_part_xml(styles.element)
    packer = zlib.compressobj(COMPRESSION, zlib.DEFLATED, -15)  # as zipfile compresses
    styles.deflated = packer.compress(styles.frozen) + packer.flush()
    return document


class _SharedStyles(StylesPart):
    """A template's styles part shared by its documents: serialised and compressed once."""

    frozen = b""
    deflated = b""

    @property
    def blob(self) -> bytes:
        """The part's XML as read from the template."""
        return self.frozen


def save(document: Document, target: Path) -> None:
    """Write the document to target (python-docx's package writer, zlib level COMPRESSION),
    made in memory first: a full disk then fails one plain write, instead of leaving a zip
    file open and failing again later."""
    package = document.part.package
    parts = list(package.parts)
    for part in parts:
        part.before_marshal()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=COMPRESSION) as zipf:
        writer = _Members(zipf, {part.blob: part.deflated for part in parts
                                 if isinstance(part, _SharedStyles)})
        PackageWriter._write_content_types_stream(writer, parts)
        PackageWriter._write_pkg_rels(writer, package.rels)
        PackageWriter._write_parts(writer, parts)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(buffer.getvalue())


class _Members:
    """What python-docx's PackageWriter writes a part through, on an open ZipFile; a
    part compressed before is written as it was compressed then (the same bytes)."""

    def __init__(self, zipf: zipfile.ZipFile, deflated: dict[bytes, bytes]) -> None:
        self.zipf, self.deflated = zipf, deflated

    def write(self, pack_uri, blob: bytes) -> None:
        """Add one member."""
        member = zipfile.ZipInfo(pack_uri.membername, ZIP_TIME)
        member.compress_type = zipfile.ZIP_DEFLATED
        member.external_attr = 0o600 << 16
        deflated = self.deflated.get(blob)
        if deflated is None:
            self.zipf.writestr(member, blob, compresslevel=COMPRESSION)
            return
        with self.zipf.open(member, "w") as stream:
            stream._compressor = _Done(deflated)  # zipfile counts the CRC and sizes
            stream.write(blob)


class _Done:
    """A compressor whose output is known: all of it when flushed."""

    def __init__(self, deflated: bytes) -> None:
        self.deflated = deflated

    def compress(self, data: bytes) -> bytes:
        """Nothing yet."""
        return b""

    def flush(self) -> bytes:
        """The compressed part."""
        return self.deflated
