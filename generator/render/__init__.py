"""Renderers: each turns the model into one output format and never reads YAML."""

from __future__ import annotations

import os
from pathlib import Path

RESOURCES = Path(__file__).resolve().parent.parent / "resources"


def template_path(root: Path, name: str) -> Path:
    """templates/<name> of the project, or the default of that name shipped with the tool."""
    from ..confine import check_file

    own = Path(root) / "templates" / name
    if os.path.lexists(own):
        check_file(root, own)  # a symlink out of the project is refused, not read
    return own if own.exists() else RESOURCES / name
