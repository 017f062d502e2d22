"""Opening a Word style template (templates/reference.docx, form-reference.docx): a
damaged file, or one without a style the renderer applies, is an error naming the file."""

from __future__ import annotations

import io
from collections.abc import Iterable
from pathlib import Path

import docx
from docx.document import Document

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


def open_template(template: Path, needed: Iterable[str]) -> Document:
    """The template as a python-docx Document, checked to hold every needed style."""
    try:
        document = docx.Document(str(template))
    except Exception as exc:  # python-docx raises several types for a broken package
        raise TemplateBroken(f"{template}: not a readable Word template ({exc}) "
                             f"(hint: {_HINT})") from None
    stat = Path(template).stat()
    checked = (str(template), stat.st_mtime_ns, stat.st_size, tuple(needed))
    if checked in _CHECKED:  # this file was found whole before (forms open it once each)
        return document
    missing = [name for name in checked[3] if name not in document.styles]
    if missing:
        raise TemplateBroken(f"{template}: the Word template has no style named "
                             f"{'、'.join(missing)} (hint: add the missing styles in Word, or "
                             "delete the file to use the template shipped with handbook)")
    _CHECKED.add(checked)
    return document


def save(document: Document, target: Path) -> None:
    """Write the document to target, made in memory first: a full disk then fails one
    plain write, instead of leaving python-docx's zip file open and failing again later."""
    buffer = io.BytesIO()
    document.save(buffer)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(buffer.getvalue())
