"""Where each built file lives under the build folder (one place, used by every command)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

OUTPUT_KINDS = ("docx", "pdf", "page")
COMPENDIUM = "制度汇编.docx"


def regulation_paths(out: Path, regulation_id: str) -> dict[str, Path]:
    """Planned paths of a regulation's Word file, PDF and site page."""
    return {
        "docx": out / "docx" / f"{regulation_id}.docx",
        "pdf": out / "pdf" / f"{regulation_id}.pdf",
        "page": out / "site" / "generated" / "regulations" / regulation_id / "index.html",
        "text": out / "text" / f"{regulation_id}.txt",
    }


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


def link_or_copy(source: Path, destination: Path) -> None:
    """Make destination a hard link to source; a copy where the file system has no links."""
    try:
        os.link(source, destination)
    except OSError:
        shutil.copy2(source, destination)


def link_tree(source: Path, target: Path) -> None:
    """Hard-link (or copy) every file under source to the same place under target."""
    for folder, _, names in os.walk(source):
        destination = target / Path(folder).relative_to(source)
        destination.mkdir(parents=True, exist_ok=True)
        for name in names:
            link_or_copy(Path(folder) / name, destination / name)
