"""The revision history of every regulation, read from git once per build.

For each regulation that records two or more revisions, the site shows what each
revision changed (a 新旧条文对照表 per version). The texts of earlier versions come from
git: the newest commit in which the regulation's file carried that version. One
`git log` lists the file's versions (blob ids) for all regulations, one `git cat-file`
process reads the blobs, and each earlier version is loaded on its own, beside the
current company, organisation and forms, not as a whole old project.

Renderers receive the result as data (`History`); they never run git.
"""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from . import diff as diffing
from .errors import HandbookError
from .load import load_project
from .memo import KeptByObject
from .model import Project, Regulation
from .session import BuildSession

_VERSION = re.compile(rb"(?m)^version:\s*['\"]?([\d.]+)")
_MENTIONED = re.compile(r"\{(?:制度|条):([a-z0-9][a-z0-9-]*)|^supersedes:\s*['\"]?([a-z0-9-]+)",
                        re.MULTILINE)


@dataclass(frozen=True)
class History:
    """Comparisons by regulation id, then by version: what that version changed."""

    comparisons: dict[str, dict[str, diffing.RegulationDiff]]

    def of(self, regulation_id: str) -> dict[str, diffing.RegulationDiff]:
        """The comparisons of one regulation (empty when it has none)."""
        return self.comparisons.get(regulation_id, {})


NO_HISTORY = History({})


def read(root: Path, project: Project, kept: KeptByObject | None = None) -> History:
    """The comparisons of every regulation with recorded revisions that git knows; with
    `kept` (a session's), a regulation's are made again only when its model or the texts
    of its earlier versions changed."""
    wanted = {r.file: r for r in project.regulations
              if len(r.revisions) >= 2 and r.file}
    git = shutil.which("git")
    if not wanted or git is None:
        return NO_HISTORY
    blobs = _blobs_by_file(git, root, set(wanted))
    contents = _read_blobs(git, root, {b for found in blobs.values() for b in found})
    kept = kept if kept is not None else KeptByObject()
    kept.keep_only(wanted.values())
    result = {}
    with tempfile.TemporaryDirectory(prefix="handbook-history-") as scratch:
        context = functools.cache(lambda: _Context(root, project, Path(scratch)))
        for file, regulation in wanted.items():
            versions = _versions(blobs.get(file, []), contents)
            compared = kept.get(regulation, lambda r, v=versions: _compare(context(), r, v),
                                depends_on=versions)
            if compared:
                result[regulation.id] = compared
    return History(result)


def _blobs_by_file(git: str, root: Path, files: set[str]) -> dict[str, list[str]]:
    """For each file, the blob ids it has had in the history of HEAD, newest first."""
    log = subprocess.run([git, "-C", str(root), "log", "--format=%x00%H", "--raw",
                          "--no-abbrev", "--no-renames", "--", "regulations"],
                         capture_output=True, text=True, check=False)
    found: dict[str, list[str]] = {}
    for line in log.stdout.splitlines():
        if not line.startswith(":"):
            continue
        fields, _, path = line.partition("\t")
        blob = fields.split()[3]
        if path in files and set(blob) != {"0"}:
            found.setdefault(path, []).append(blob)
    return found


def _read_blobs(git: str, root: Path, blobs: set[str]) -> dict[str, bytes]:
    """The contents of the blobs, read by one `git cat-file --batch`."""
    if not blobs:
        return {}
    order = sorted(blobs)
    batch = subprocess.run([git, "-C", str(root), "cat-file", "--batch"],
                           input="".join(f"{b}\n" for b in order).encode(),
                           capture_output=True, check=False)
    contents, data = {}, batch.stdout
    for blob in order:
        header, _, data = data.partition(b"\n")
        parts = header.split()
        if len(parts) != 3 or parts[1] != b"blob":
            continue  # missing: `<id> missing`
        size = int(parts[2])
        contents[blob], data = data[:size], data[size + 1:]
    return contents


def _versions(blobs: list[str], contents: dict[str, bytes]) -> dict[str, bytes]:
    """The text of each version: the newest blob that carried it."""
    found: dict[str, bytes] = {}
    for blob in blobs:
        match = _VERSION.search(contents.get(blob, b""))
        if match:
            found.setdefault(match.group(1).decode(), contents[blob])
    return found


def _compare(context: _Context, regulation: Regulation,
             versions: dict[str, bytes]) -> dict[str, diffing.RegulationDiff]:
    """What each recorded revision of regulation changed, where both texts are known."""
    states: dict[str, Regulation | None] = {regulation.version: regulation}
    for revision in regulation.revisions:
        if revision.version not in states and revision.version in versions:
            states[revision.version] = context.load(regulation, versions[revision.version])
    result = {}
    for before, after in zip(regulation.revisions, regulation.revisions[1:], strict=False):
        old, new = states.get(before.version), states.get(after.version)
        if old is not None and new is not None:
            result[after.version] = diffing.compare_regulation(old, new)
    return result


class _Context:
    """A scratch project holding today's company, organisation and form titles, parsed
    once, into which each earlier text is put alone (with the regulations it mentions)."""

    def __init__(self, root: Path, project: Project, scratch: Path) -> None:
        self.root, self.project, self.folder = root, project, scratch / "regulations"
        self.session = BuildSession()  # org and forms are parsed once
        (self.folder / "forms").mkdir(parents=True)
        for name in ("company.yaml", "org.yaml"):
            shutil.copyfile(root / "regulations" / name, self.folder / name)
        for form in project.forms:  # what a text may cite of a form: its id and title
            stub = {"id": form.id, "title": form.title, "kind": form.kind,
                    "fields": [{"id": "stub", "label": form.title}]}
            (self.folder / "forms" / f"{form.id}.yaml").write_text(
                yaml.safe_dump(stub, allow_unicode=True), encoding="utf-8")

    def load(self, regulation: Regulation, text: bytes) -> Regulation | None:
        """The regulation as text has it; None when that text does not load any more."""
        for old in self.folder.glob("*.yaml"):
            if old.name not in ("company.yaml", "org.yaml"):
                old.unlink()
                self.session.parses.forget(old, "Regulation")
        mentioned = {name for pair in _MENTIONED.findall(text.decode("utf-8", "replace"))
                     for name in pair if name} - {regulation.id}
        for other in self.project.regulations:
            if other.id in mentioned and other.file:
                shutil.copyfile(self.root / other.file, self.folder / Path(other.file).name)
        (self.folder / Path(regulation.file).name).write_bytes(text)
        try:
            return load_project(self.folder.parent, self.session).regulation_index.get(
                regulation.id)
        except HandbookError:
            return None
