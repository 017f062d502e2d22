"""`handbook revise ID --reviewed`: record a review (复审) that kept the text, in the
regulation's `reviews:` list; the version stays, the review cycle starts again."""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path

import yaml

from . import files
from .errors import HandbookError, NotFound
from .load import build_day, load_project


def record_review(root: Path, regulation_id: str, summary: str,
                  today: dt.date | None = None) -> dt.date | None:
    """Add a review dated today to the regulation; return its next review date."""
    project = load_project(root)
    if regulation_id not in project.regulation_index:
        raise NotFound(f"no regulation `{regulation_id}`")
    if not summary.strip():
        raise HandbookError('the review needs a summary (--summary "复审，无修改")')
    regulation = project.regulation(regulation_id)
    today = today or build_day()
    if today < regulation.last_reviewed:
        raise HandbookError(f"`{regulation_id}` was last reviewed or revised on "
                            f"{regulation.last_reviewed}, after {today}")
    path = Path(root) / regulation.file
    original = path.read_text(encoding="utf-8")
    with files.reported(path):
        files.write_text(path, add_review(original, today, summary.strip()))
    try:
        updated = load_project(root, today=today)
    except HandbookError:
        with files.reported(path):
            files.write_text(path, original)  # never leave an edit the loader refuses
        raise
    return updated.regulation(regulation_id).next_review


def add_review(text: str, date: dt.date, summary: str) -> str:
    """The regulation's YAML text with one more entry in `reviews:` (made after `revisions:`
    when there is none yet)."""
    quoted = yaml.safe_dump(summary, default_style='"', allow_unicode=True,
                            width=sys.maxsize).rstrip("\n")
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    start = _block("reviews", lines)
    if start is None:
        anchor = _block("revisions", lines)
        if anchor is None:
            raise HandbookError("cannot find the `revisions:` list (write it in block style)")
        end = _end(lines, anchor)
        entry = f"reviews:\n  - date: {date.isoformat()}\n    summary: {quoted}\n"
        return "".join(lines[:end]) + entry + "".join(lines[end:])
    end = _end(lines, start)
    indent = next((m.group(1) for line in lines[start + 1:end]
                   if (m := re.match(r"^(\s*)- ", line))), "  ")
    entry = f"{indent}- date: {date.isoformat()}\n{indent}  summary: {quoted}\n"
    return "".join(lines[:end]) + entry + "".join(lines[end:])


def _block(key: str, lines: list[str]) -> int | None:
    return next((i for i, line in enumerate(lines) if re.match(rf"^{key}:\s*$", line)), None)


def _end(lines: list[str], start: int) -> int:
    """The line after the block that starts at `start` (trailing blank lines left out)."""
    end = start + 1
    while end < len(lines) and (lines[end].startswith((" ", "-", "\t")) or
                                not lines[end].strip()):
        end += 1
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1
    return end
