"""The inline reference syntax used inside regulation text.

``{条:contract-review}``, ``{岗位:salesperson|部门经理}``, ``{表:vehicle-request}`` …
This module only finds and splits them; :mod:`generator.load` resolves them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

KINDS = {
    "条": "article", "article": "article",
    "岗位": "role", "role": "role",
    "表": "form", "form": "form",
    "制度": "regulation", "regulation": "regulation",
    "部门": "department", "department": "department",
}

# {kind:target} or {kind:target|shown words}; full-width colon and bar accepted too
_PATTERN = re.compile(r"\{\s*([^{}:：|｜\s]+)\s*[:：]\s*([^{}|｜\s]*)\s*(?:[|｜]([^{}]*))?\}")
_LOOSE_BRACE = re.compile(r"\{[^{}]*[:：][^{}]*\}")


@dataclass(frozen=True)
class RawReference:
    """A reference as written: kind word, target id, optional display words, offset in text."""

    kind_word: str
    target: str
    display: str | None
    offset: int
    written: str

    @property
    def kind(self) -> str | None:
        """Canonical kind (article, role, form, regulation, department), None if unknown."""
        return KINDS.get(self.kind_word)


def split(text: str) -> list[str | RawReference]:
    """Split text into plain strings and RawReference pieces, in order."""
    pieces: list[str | RawReference] = []
    position = 0
    for match in _PATTERN.finditer(text):
        if match.start() > position:
            pieces.append(text[position:match.start()])
        display = match.group(3)
        pieces.append(RawReference(match.group(1), match.group(2),
                                   display.strip() if display is not None else None,
                                   match.start(), match.group(0)))
        position = match.end()
    if position < len(text):
        pieces.append(text[position:])
    return pieces


def kind_names() -> str:
    """The kind words a user may write, for hints."""
    return "条, 岗位, 表, 制度, 部门"
