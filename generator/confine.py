"""Symlinks in the project's inputs: confined to the project, never out of it.

A symlink in site/ would publish whatever it points to (a key, /etc/shadow) on the
handbook site, and one in templates/ would read it into every document. The rule,
the same as for regulations/: a symlink whose target (followed to the end) is inside
the project folder is allowed; one that leads outside it, or to nothing, is refused
with an error naming the link. The build never writes into the project (its pages go
to a docs folder under --out), so no link can make it write elsewhere.
"""

from __future__ import annotations

import os
from pathlib import Path

from .errors import Location, Problem, ProjectInvalid, display_path


def check(root: Path, inputs: list[str | Path]) -> None:
    """Refuse symlinks under the inputs (paths relative to root, or absolute) that lead
    outside root or to nothing; raise ProjectInvalid naming every such link."""
    root = Path(os.path.realpath(root))
    problems: list[Problem] = []
    seen: set[str] = set()
    for name in inputs:
        path = Path(root, name)
        if os.path.lexists(path):
            _visit(root, str(path), problems, seen)
    if problems:
        raise ProjectInvalid(problems)


def _visit(root: Path, start: str, problems: list[Problem], seen: set[str]) -> None:
    """Walk start (following links that stay inside root, each real folder once)."""
    stack = [start]
    while stack:
        path = stack.pop()
        if os.path.islink(path) and not _allowed(root, path, problems):
            continue
        real = os.path.realpath(path)
        if not os.path.isdir(real) or real in seen:
            continue
        seen.add(real)
        try:
            entries = sorted(os.scandir(path), key=lambda e: e.name)
        except OSError as exc:
            problems.append(Problem(Location(display_path(Path(path), root)),
                                    f"cannot read the folder: {exc.strerror or exc}"))
            continue
        stack.extend(reversed([entry.path for entry in entries
                               if entry.is_symlink() or entry.is_dir(follow_symlinks=False)]))


def _allowed(root: Path, link: str, problems: list[Problem]) -> bool:
    """True when the symlink link may be followed; otherwise record why it may not."""
    shown = _shown(root, link)
    target = os.path.realpath(link)
    if not (target == str(root) or target.startswith(str(root) + os.sep)):
        problems.append(Problem(Location(shown), "refused: symlink to a place outside the "
                                f"project ({target})", "copy the file into the project "
                                "instead of linking to it"))
        return False
    if not os.path.exists(target):
        problems.append(Problem(Location(shown), f"broken symlink: {_shown(root, target)} "
                                "does not exist", "delete the link or create its target"))
        return False
    return True


def _shown(root: Path, path: str) -> str:
    """path relative to root without following its last link (display_path resolves)."""
    absolute = os.path.abspath(path)
    if absolute.startswith(str(root) + os.sep):
        return absolute[len(str(root)) + 1:].replace(os.sep, "/")
    return absolute


def check_file(root: Path, path: Path) -> None:
    """Refuse path (a file the build reads, e.g. templates/reference.docx) when it or a
    folder on the way to it is a symlink leading outside root."""
    root_real = os.path.realpath(root)
    real = os.path.realpath(path)
    if real == root_real or real.startswith(root_real + os.sep):
        return
    shown = _shown(Path(root_real), os.path.join(root_real, os.path.relpath(path, root)))
    raise ProjectInvalid([Problem(Location(shown), f"refused: symlink to a place outside the "
                                  f"project ({real})", "copy the file into the project "
                                  "instead of linking to it")])
