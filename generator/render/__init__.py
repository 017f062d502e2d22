"""Renderers: each turns the model into one output format and never reads YAML."""

from __future__ import annotations

from pathlib import Path

RESOURCES = Path(__file__).resolve().parent.parent / "resources"


def template_path(root: Path, name: str) -> Path:
    """templates/<name> of the project, or the default of that name shipped with the tool."""
    own = Path(root) / "templates" / name
    return own if own.exists() else RESOURCES / name
