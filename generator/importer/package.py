"""Bounds on a .docx package, checked from its zip directory before anything is unpacked.

A .docx is a zip archive. A small one can hold gigabytes (a *zip bomb*); unpacking it
would take the machine's memory or hours. The sizes the archive's directory declares
are checked first; then every file is unpacked a little at a time and counted, so an
archive whose directory understates its sizes fails before it has unpacked more than
it declared.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from ..errors import HandbookError

MAX_ENTRIES = 2_000
"""Files a .docx may hold (Word writes 10 to 30, plus one per picture)."""
MAX_TOTAL_BYTES = 256 * 1024 * 1024
"""What all files of a .docx may unpack to together (pictures included)."""
MAX_XML_BYTES = 32 * 1024 * 1024
"""What the XML of a .docx (its text, styles, numbering …) may unpack to together."""
MAX_RATIO = 200
"""How many times its stored size a file of more than RATIO_FLOOR may unpack to
(Word's XML: 5 to 50 times; a zip bomb: about 1,000)."""
RATIO_FLOOR = 1024 * 1024
WORD_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
"""The compression methods Word writes (others can unpack further in one step)."""

_HINT = ("open it in Word and save a copy without embedded pictures or objects, or save it "
         "as .txt and import that")


class PackageRefused(HandbookError):
    """A .docx that would unpack to more than the import accepts, or that is damaged."""


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:,.0f} MB"


def check(path: Path) -> None:
    """Refuse a .docx that holds too many files, unpacks to too much data, or is packed
    as only a zip bomb is; then unpack each file once, counting, to prove the sizes true.
    What is not a zip archive at all is left to the reader to report."""
    if path.stat().st_size > MAX_TOTAL_BYTES:
        raise PackageRefused(f"{path}: the .docx is {_megabytes(path.stat().st_size)}, more "
                             f"than the limit of {_megabytes(MAX_TOTAL_BYTES)} (hint: {_HINT})")
    try:
        with path.open("rb") as stream:
            declared = zipfile._EndRecData(stream)  # the end record, before the directory
    except OSError:
        return
    if declared is None:
        return  # not a zip archive: python-docx says it is not a readable .docx
    _refuse_count(path, declared[zipfile._ECD_ENTRIES_TOTAL])
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            _refuse_count(path, len(members))
            _check_directory(path, members)
            for member in members:
                _unpack_counting(archive, member)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, ValueError,
            EOFError, OSError) as exc:
        raise PackageRefused(f"{path}: not a readable .docx ({exc}) (hint: open it in Word "
                             "and save it again)") from None


def _refuse_count(path: Path, count: int) -> None:
    if count > MAX_ENTRIES:
        raise PackageRefused(f"{path}: the .docx holds {count:,} files, more than the limit "
                             f"of {MAX_ENTRIES:,} (hint: {_HINT})")


def _check_directory(path: Path, members: list[zipfile.ZipInfo]) -> None:
    """Refuse what the directory declares: sizes, compression ratios and methods."""
    total = sum(member.file_size for member in members)
    if total > MAX_TOTAL_BYTES:
        raise PackageRefused(f"{path}: the .docx unpacks to {_megabytes(total)}, more than "
                             f"the limit of {_megabytes(MAX_TOTAL_BYTES)} (hint: {_HINT})")
    xml = sum(member.file_size for member in members
              if member.filename.lower().endswith((".xml", ".rels")))
    if xml > MAX_XML_BYTES:
        raise PackageRefused(f"{path}: the text of the .docx unpacks to {_megabytes(xml)} of "
                             f"XML, more than the limit of {_megabytes(MAX_XML_BYTES)} "
                             "(hint: split the document into several files, or save it as "
                             ".txt and import that)")
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > RATIO_FLOOR and ratio > MAX_RATIO:
            raise PackageRefused(f"{path}: {member.filename} in the .docx unpacks to "
                                 f"{ratio:,.0f} times its stored size, more than the limit of "
                                 f"{MAX_RATIO} times, as only a zip bomb does (hint: {_HINT})")
        if member.compress_type not in WORD_METHODS:
            raise PackageRefused(f"{path}: {member.filename} in the .docx is compressed with "
                                 f"method {member.compress_type}, which Word does not use "
                                 "(hint: open it in Word and save it again)")


def _unpack_counting(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> None:
    """Unpack one file in small steps; zipfile stops at the declared size and fails the
    checksum when the data goes on (a directory that understates the size)."""
    with archive.open(member) as stream:
        while stream.read(1 << 16):
            pass
