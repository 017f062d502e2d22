"""Versions over time: `handbook revise` and the handbook as it stood on a given day."""

from __future__ import annotations

import dataclasses
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
from .model import Project, Regulation, plain


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


def as_of(project: Project, day: dt.date) -> Project:
    """The handbook as it stood on `day`: later regulations left out, and a regulation
    superseded only after that day shown as still in force."""
    successors = {r.supersedes: r for r in project.regulations if r.supersedes}
    kept = []
    for regulation in project.regulations:
        if regulation.effective > day:
            continue
        successor = successors.get(regulation.id)
        if regulation.status == "superseded" and successor is not None and \
                successor.effective > day:
            regulation = dataclasses.replace(regulation, status="active")
        kept.append(regulation)
    return dataclasses.replace(project, regulations=tuple(kept))


def comparisons(root: Path, regulation: Regulation) -> dict[str, diffing.RegulationDiff]:
    """For each revision after the first, the comparison with the version before it.

    The texts of earlier versions come from git: the newest commit in which the file
    carried that version. Versions git does not know are skipped (no table, no link).
    """
    if len(regulation.revisions) < 2 or not regulation.file:
        return {}
    commits = _commits_by_version(Path(root), regulation.file)
    result: dict[str, diffing.RegulationDiff] = {}
    with tempfile.TemporaryDirectory(prefix="handbook-history-") as scratch:
        states: dict[str, Regulation | None] = {regulation.version: regulation}
        for revision in regulation.revisions:
            if revision.version in states or revision.version not in commits:
                continue
            try:
                project = diffing.load_version(root, commits[revision.version], Path(scratch))
            except HandbookError:
                continue
            states[revision.version] = project.regulation_index.get(regulation.id)
        for before, after in zip(regulation.revisions, regulation.revisions[1:], strict=False):
            old, new = states.get(before.version), states.get(after.version)
            if old is not None and new is not None:
                result[after.version] = diffing.compare_regulation(old, new)
    return result


def _commits_by_version(root: Path, file: str) -> dict[str, str]:
    """The newest commit for each version the file has had in git history."""
    import shutil
    import subprocess

    git = shutil.which("git")
    if git is None:
        return {}
    log = subprocess.run([git, "-C", str(root), "log", "--format=%H", "--", file],
                         capture_output=True, text=True, check=False)
    found: dict[str, str] = {}
    for commit in log.stdout.split():
        shown = subprocess.run([git, "-C", str(root), "show", f"{commit}:{file}"],
                               capture_output=True, text=True, check=False)
        match = re.search(r"(?m)^version:\s*['\"]?([\d.]+)", shown.stdout)
        if match:
            found.setdefault(match.group(1), commit)
    return found
