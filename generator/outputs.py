"""Where each built file lives under the build folder (one place, used by every command)."""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
from pathlib import Path

OUTPUT_KINDS = ("docx", "pdf", "page")
COMPENDIUM = "制度汇编.docx"


_REGULATION_FILES = {
    "docx": "docx/{id}.docx",
    "pdf": "pdf/{id}.pdf",
    "page": "site/generated/regulations/{id}/index.html",
    "text": "text/{id}.txt",
}


def regulation_file(kind: str, regulation_id: str) -> str:
    """A regulation's docx, pdf, page or text file, relative to the build folder."""
    return _REGULATION_FILES[kind].format(id=regulation_id)


def regulation_paths(out: Path, regulation_id: str) -> dict[str, Path]:
    """Planned paths of a regulation's Word file, PDF, site page and text."""
    return {kind: out / regulation_file(kind, regulation_id) for kind in _REGULATION_FILES}


def form_paths(out: Path, form_id: str) -> dict[str, Path]:
    """Planned paths of a form's Word file, fillable PDF and site page."""
    return {
        "docx": out / "forms" / f"{form_id}.docx",
        "pdf": out / "forms" / f"{form_id}.pdf",
        "page": out / "site" / "generated" / "forms" / form_id / "index.html",
    }


def existing(paths: dict[str, Path]) -> dict[str, str | None]:
    """The docx/pdf/page paths that have been built, None for those not (yet) built."""
    return {kind: (paths[kind].as_posix() if paths[kind].exists() else None)
            for kind in OUTPUT_KINDS}


def link_or_copy(source: str | Path, destination: str | Path) -> None:
    """Make destination a hard link to source; a copy where the file system has no links."""
    try:
        os.link(source, destination)
    except OSError:
        shutil.copy2(source, destination)


def link_if_changed(source: str | Path, destination: str | Path) -> None:
    """Make destination the same file as source (a hard link, or a copy keeping the
    modification time), leaving it alone when it already is."""
    try:
        there, here = os.stat(destination), os.stat(source)
    except FileNotFoundError:
        there = None
    if there is not None:
        if os.path.samestat(there, here) or \
                (there.st_size, there.st_mtime_ns) == (here.st_size, here.st_mtime_ns):
            return
        os.unlink(destination)
    os.makedirs(os.path.dirname(destination), exist_ok=True)
    link_or_copy(source, destination)


def link_tree(source: Path, target: Path) -> None:
    """Hard-link (or copy) every file under source to the same place under target."""
    # plain strings, not Path objects: a site at 1,000 regulations has thousands of files
    source, target = os.fspath(source), os.fspath(target)
    for folder, _, names in os.walk(source):
        destination = target + folder[len(source):]
        os.makedirs(destination, exist_ok=True)
        for name in names:
            link_or_copy(os.path.join(folder, name), os.path.join(destination, name))


@functools.lru_cache(maxsize=1)
def code_version() -> str:
    """A hash of the generator's own source (its files' names and contents): a code change
    rebuilds everything, and what the caches kept from other code is not used."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
