"""Write imported data as clean, commented YAML in the bundled files' style."""

from __future__ import annotations

import re
from typing import Any

import yaml

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

COMMENT = "_comment"
KEY_ORDER = ("id", "title", "number", "category", "version", "status", "effective",
             "department", "approver", "applies_to", "numbering", "revisions", "source", "note",
             "preamble", "chapters", "sections", "articles", "intro", "text", "items",
             "items_style", "paragraphs", "table", "columns", "rows", "postscript")


def scalar(value: Any) -> str:
    """One YAML scalar, quoted only where YAML needs it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if _DATE.match(value):
        return value
    dumped = yaml.safe_dump(value, allow_unicode=True, width=10**9, default_style=None)
    return dumped.removesuffix("\n").removesuffix("\n...").strip()


def _ordered(mapping: dict[str, Any]) -> list[tuple[str, Any]]:
    keys = [k for k in KEY_ORDER if k in mapping]
    keys += [k for k in mapping if k not in keys and k != COMMENT]
    return [(k, mapping[k]) for k in keys]


def emit(data: dict[str, Any], header: list[str]) -> str:
    """The whole document: header comment lines, then the mapping."""
    lines = [f"# {line}" if line else "#" for line in header]
    lines += _mapping(data, 0)
    return "\n".join(lines) + "\n"


def _mapping(mapping: dict[str, Any], indent: int) -> list[str]:
    pad = " " * indent
    lines = []
    if COMMENT in mapping:
        lines.append(f"{pad}# {mapping[COMMENT]}")
    for key, value in _ordered(mapping):
        comment = ""
        if isinstance(value, tuple):  # (value, comment) for metadata the importer guessed
            value, comment = value
            comment = f"  # {comment}"
        if isinstance(value, dict):
            lines.append(f"{pad}{key}:{comment}")
            lines += _mapping(value, indent + 2)
        elif isinstance(value, list):
            if value and all(isinstance(v, str) and len(v) <= 30 and "{" not in v
                             for v in value) and key in ("applies_to",):
                lines.append(f"{pad}{key}: [{', '.join(scalar(v) for v in value)}]{comment}")
            else:
                lines.append(f"{pad}{key}:{comment}")
                lines += _sequence(value, indent + 2)
        else:
            lines.append(f"{pad}{key}: {scalar(value)}{comment}")
    return lines


def _sequence(values: list[Any], indent: int) -> list[str]:
    pad = " " * indent
    lines = []
    for value in values:
        if isinstance(value, dict):
            inner = _mapping(value, indent + 2)
            if inner and inner[0].lstrip().startswith("#"):
                lines.append(f"{pad}{inner[0].lstrip()}")
                inner = inner[1:]
            first = inner[0].lstrip()
            lines.append(f"{pad}- {first}")
            lines += inner[1:]
        elif isinstance(value, list):  # a table row
            lines.append(f"{pad}- [{', '.join(_cell(v) for v in value)}]")
        else:
            lines.append(f"{pad}- {scalar(value)}")
    return lines


def _cell(value: Any) -> str:
    """A table cell inside a flow sequence: quoted when YAML would read it otherwise."""
    if value is None or value == "":
        return "''"
    text = scalar(value)
    if any(mark in text for mark in ",[]{}#&*!|>%@`") or text != str(value) \
            or _DATE.match(str(value)):
        return yaml.safe_dump(str(value), allow_unicode=True, default_style='"',
                              width=10**9).strip().removesuffix("...").strip()
    return text
