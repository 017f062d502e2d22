"""Versions over time: `handbook revise` and the comparison of each revision with the one before.

A substantive revision (实质性修订) raises the major version (1.2 → 2.0), an editorial one
(文字性修订) the minor version (1.2 → 1.3); the entry written says which. Regulations and
forms are revised alike. The YAML file is edited line by line, so its comments and layout
stay as the clerk wrote them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from . import diff as diffing
from . import files, zh_values
from .errors import HandbookError, NotFound
from .load import load_project
from .model import CHANGE_NAMES, Form, Project, Regulation, plain
from .yamlsource import YamlProblems, load_file

CHANGES = CHANGE_NAMES
"""The kinds of revision, as written in the record, and their Chinese names."""


@dataclass(frozen=True)
class Recorded:
    """What `handbook revise` wrote."""

    id: str
    kind: str  # regulation or form
    version: str
    date: dt.date
    change: str
    effective: dt.date | None


def date_option(name: str, value: str | None) -> dt.date | None:
    """A date typed on the command line in any common form (2026-03-01, 2026年3月1日)."""
    if value is None:
        return None
    try:
        return zh_values.read_date(value)
    except ValueError as exc:
        raise HandbookError(f"{name}: {exc} (hint: {zh_values.DATE_HINT})") from None


def fingerprint(regulation: Regulation) -> str:
    """A hash of the regulation's text (title, headings, articles, pre- and postscript)."""
    parts = [regulation.title] + [plain(t) for t in regulation.preamble]
    for chapter in regulation.chapters:
        parts.append(chapter.title)
        parts += [section.title for section in chapter.sections]
    parts += [diffing.article_text(a) for a in regulation.all_articles()]
    parts += [plain(t) for t in regulation.postscript]
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:16]


def form_fingerprint(form: Form) -> str:
    """A hash of what a form prints (its fields, clauses, notes), not of its version."""
    content = repr(dataclasses.replace(form, version="", file=""))
    return hashlib.sha256(content.encode("utf-8")).hexdigest()[:16]


def next_version(version: str, major: bool = False) -> str:
    """The version after `version`: minor 1.0 → 1.1, 1.9 → 1.10, 2 → 2.1, 1.0.1 → 1.1;
    major 1.3 → 2.0, 2 → 3.0."""
    parts = [int(part) for part in version.split(".")]
    if major:
        return f"{parts[0] + 1}.0"
    minor = parts[1] + 1 if len(parts) > 1 else 1
    return f"{parts[0]}.{minor}"


def unchanged_since_last(root: Path, regulation: Regulation) -> bool:
    """True when the text is the same as at the last recorded version."""
    last = regulation.revisions[-1]
    if last.fingerprint:
        return last.fingerprint == fingerprint(regulation)
    old = _at_last_commit(root)
    if old is None:
        return False  # no git history to compare with
    before = old.regulation_index.get(regulation.id)
    return before is not None and before.version == regulation.version and \
        not diffing.compare_regulation(before, regulation).rows


def revise(root: Path, target_id: str, summary: str, today: dt.date | None = None, *,
           major: bool = False, effective: dt.date | None = None) -> Recorded:
    """Record a revision of a regulation or form: bump the version (major for a substantive
    change, minor for an editorial one), record the date, kind and summary, and for a
    regulation set the effective date (given, or the revision date when that is later)."""
    project = load_project(root)
    if not summary.strip():
        raise HandbookError("the revision needs a summary (--summary \"…\")")
    today = today or dt.date.today()
    change = "substantive" if major else "editorial"
    if target_id in project.regulation_index:
        regulation = project.regulation(target_id)
        if unchanged_since_last(root, regulation):
            raise HandbookError(f"`{target_id}` has not changed since version "
                                f"{regulation.version}: edit the regulation first, then "
                                "revise it")
        if effective is None and today > regulation.effective:
            effective = today
        record = Recorded(target_id, "regulation", next_version(regulation.version, major),
                          today, change, effective)
        _write(root, regulation.file, record, summary.strip(), fingerprint(regulation))
        return record
    if target_id in project.form_index:
        form = project.form_index[target_id]
        if effective is not None:
            raise HandbookError("a form has no effective date: leave out --effective "
                                "(the regulations that require it say when it applies)")
        if _form_unchanged(root, form):
            raise HandbookError(f"`{target_id}` has not changed since version {form.version}: "
                                "edit the form first, then revise it")
        record = Recorded(target_id, "form", next_version(form.version, major), today, change,
                          None)
        _write(root, form.file, record, summary.strip(), form_fingerprint(form))
        return record
    raise NotFound(f"no regulation or form `{target_id}`"
                   + _did_you_mean(project, target_id))


def _did_you_mean(project: Project, target_id: str) -> str:
    import difflib

    close = difflib.get_close_matches(target_id, list(project.regulation_index)
                                      + list(project.form_index), n=1, cutoff=0.7)
    return f" (hint: did you mean `{close[0]}`?)" if close else ""


def _form_unchanged(root: Path, form: Form) -> bool:
    """True when the form is as at its last recorded revision (or, with none recorded, as
    in git's last commit)."""
    recorded = _last_form_fingerprint(root, form)
    if recorded:
        return recorded == form_fingerprint(form)
    old = _at_last_commit(root)
    if old is None:
        return False  # no git history to compare with
    before = old.form_index.get(form.id)
    return before is not None and before.version == form.version and \
        form_fingerprint(dataclasses.replace(before, file=form.file)) == form_fingerprint(form)


def _at_last_commit(root: Path) -> Project | None:
    """The project as in git's last commit (HEAD), or None without git history."""
    with tempfile.TemporaryDirectory(prefix="handbook-revise-") as scratch:
        try:
            return diffing.load_version(root, "HEAD", Path(scratch))
        except HandbookError:
            return None


def _last_form_fingerprint(root: Path, form: Form) -> str | None:
    """The fingerprint of the form's last recorded revision, if any."""
    try:
        data = load_file(Path(root) / form.file, form.file).data
    except YamlProblems:
        return None
    revisions = data.get("revisions") if isinstance(data, dict) else None
    if not isinstance(revisions, list) or not revisions or not isinstance(revisions[-1], dict):
        return None
    return revisions[-1].get("fingerprint")


def _write(root: Path, file: str, record: Recorded, summary: str, hashed: str) -> None:
    """Edit the file in place; restored when the loader refuses the result."""
    path = Path(root) / file
    original = path.read_text(encoding="utf-8")
    text = _set_top_level(original, "version", f'"{record.version}"', after=("number", "title"))
    if record.effective is not None:
        text = _set_top_level(text, "effective", record.effective.isoformat(),
                              after=("status",))
    text = _add_revision(text, record, summary, hashed)
    with files.reported(path):
        files.write_text(path, text)
    try:
        load_project(root)
    except HandbookError:
        with files.reported(path):
            files.write_text(path, original)  # never leave an edit the loader refuses
        raise


def _set_top_level(text: str, key: str, value: str, after: tuple[str, ...]) -> str:
    """Set a top-level `key: value` line, or add one after the first of `after` found."""
    updated, count = re.subn(rf'(?m)^{key}:[ \t]*[^#\n]*?([ \t]+#.*)?$',
                             lambda m: f"{key}: {value}{m.group(1) or ''}", text, count=1)
    if count == 1:
        return updated
    for anchor in after:
        match = re.search(rf"(?m)^{anchor}:.*\n", text)
        if match:
            return text[:match.end()] + f"{key}: {value}\n" + text[match.end():]
    raise HandbookError(f"cannot find the top-level `{key}:` line")


def _add_revision(text: str, record: Recorded, summary: str, hashed: str) -> str:
    """Append an entry to the `revisions:` list (a new list at the end when there is none)."""
    lines = text.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if re.match(r"^revisions:\s*$", line)), None)
    if start is None:
        if re.search(r"(?m)^revisions:", text):
            raise HandbookError("cannot add to the `revisions:` list (write it in block style)")
        if lines and not lines[-1].endswith("\n"):
            lines[-1] += "\n"
        lines.append("revisions:\n")
        start = len(lines) - 1
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
    entry = (f'{indent}- version: "{record.version}"\n'
             f'{indent}  date: {record.date.isoformat()}\n'
             f'{indent}  change: {record.change}\n'
             f'{indent}  summary: {quoted}\n{indent}  fingerprint: {hashed}\n')
    return "".join(lines[:end]) + entry + "".join(lines[end:])
