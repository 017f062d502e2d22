"""Versions over time: `handbook revise` and the comparison of each revision with the one before."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import sys
import tempfile
from pathlib import Path

import yaml

from . import diff as diffing
from . import files
from .errors import HandbookError, NotFound
from .load import load_project
from .model import Regulation, plain


def fingerprint(regulation: Regulation) -> str:
    """A hash of the regulation's text (title, headings, articles, pre- and postscript)."""
    parts = [regulation.title] + [plain(t) for t in regulation.preamble]
    for chapter in regulation.chapters:
        parts.append(chapter.title)
        parts += [section.title for section in chapter.sections]
    parts += [diffing.article_text(a) for a in regulation.all_articles()]
    parts += [plain(t) for t in regulation.postscript]
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:16]


def next_version(version: str) -> str:
    """1.0 → 1.1, 1.9 → 1.10, 2 → 2.1."""
    parts = version.split(".")
    if len(parts) == 1:
        return f"{version}.1"
    parts[-1] = str(int(parts[-1]) + 1)
    return ".".join(parts)


def unchanged_since_last(root: Path, regulation: Regulation) -> bool:
    """True when the text is the same as at the last recorded version."""
    last = regulation.revisions[-1]
    if last.fingerprint:
        return last.fingerprint == fingerprint(regulation)
    with tempfile.TemporaryDirectory(prefix="handbook-revise-") as scratch:
        try:
            old = diffing.load_version(root, "HEAD", Path(scratch))
        except HandbookError:
            return False  # no git history to compare with
    before = old.regulation_index.get(regulation.id)
    return before is not None and before.version == regulation.version and \
        not diffing.compare_regulation(before, regulation).rows


def revise(root: Path, regulation_id: str, summary: str, today: dt.date | None = None) -> str:
    """Bump the version, record today's date and the summary; return the new version."""
    project = load_project(root)
    if regulation_id not in project.regulation_index:
        raise NotFound(f"no regulation `{regulation_id}`")
    regulation = project.regulation(regulation_id)
    if not summary.strip():
        raise HandbookError("the revision needs a summary (--summary \"…\")")
    if unchanged_since_last(root, regulation):
        raise HandbookError(f"`{regulation_id}` has not changed since version "
                            f"{regulation.version}: edit the regulation first, then revise it")
    version = next_version(regulation.version)
    today = today or dt.date.today()
    path = Path(root) / regulation.file
    original = path.read_text(encoding="utf-8")
    text = _set_version(original, version)
    text = _add_revision(text, version, today, summary.strip(), fingerprint(regulation))
    with files.reported(path):
        files.write_text(path, text)
    try:
        load_project(root)
    except HandbookError:
        with files.reported(path):
            files.write_text(path, original)  # never leave an edit the loader refuses
        raise
    return version


def _set_version(text: str, version: str) -> str:
    updated, count = re.subn(r'(?m)^version:[ \t]*.*$', f'version: "{version}"', text, count=1)
    if count != 1:
        raise HandbookError("cannot find the top-level `version:` line")
    return updated


def _add_revision(text: str, version: str, date: dt.date, summary: str, hashed: str) -> str:
    lines = text.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if re.match(r"^revisions:\s*$", line)), None)
    if start is None:
        raise HandbookError("cannot find the `revisions:` list (write it in block style)")
    end = start + 1
    indent = "  "
    while end < len(lines) and (lines[end].startswith((" ", "-", "\t")) or not lines[end].strip()):
        match = re.match(r"^(\s*)- ", lines[end])
        if match:
            indent = match.group(1)
        end += 1
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1
    # a double-quoted YAML scalar with every escape written by the YAML emitter: the
    # summary is stored as typed (a backslash stays a backslash), on one line
    quoted = yaml.safe_dump(summary, default_style='"', allow_unicode=True,
                            width=sys.maxsize).rstrip("\n")
    entry = (f'{indent}- version: "{version}"\n{indent}  date: {date.isoformat()}\n'
             f'{indent}  summary: {quoted}\n{indent}  fingerprint: {hashed}\n')
    return "".join(lines[:end]) + entry + "".join(lines[end:])
