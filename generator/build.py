"""Build the outputs of a project into the build folder, replacing it only on success."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

from .errors import HandbookError
from .model import Project
from .outputs import regulation_paths
from .render import text as text_renderer


def build(project: Project, root: Path, out: Path) -> list[Path]:
    """Render every output into a fresh folder, then swap it in place of `out`.

    A failing build leaves the previous `out` untouched.
    """
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        written = _render_all(project, staging)
        _swap(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return [out / path.relative_to(staging) for path in written]


def _render_all(project: Project, staging: Path) -> list[Path]:
    written = []
    for regulation in project.regulations:
        path = regulation_paths(staging, regulation.id)["text"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text_renderer.render(project, regulation), encoding="utf-8")
        written.append(path)
    model_path = staging / "handbook.json"
    model_path.write_text(json.dumps(to_data(project), ensure_ascii=False, indent=1),
                          encoding="utf-8")
    written.append(model_path)
    return written


def _swap(staging: Path, out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise HandbookError(f"--out {out} exists and is not a folder")
    previous = out.with_name(f".{out.name}-previous")
    if previous.exists():
        shutil.rmtree(previous)
    if out.exists():
        out.rename(previous)
    staging.rename(out)
    if previous.exists():
        shutil.rmtree(previous)


def to_data(project: Project) -> dict[str, Any]:
    """The whole model as JSON-ready data (dates as ISO text, references as objects)."""

    def convert(value: Any) -> Any:
        if dataclasses.is_dataclass(value):
            data = {f.name: convert(getattr(value, f.name)) for f in dataclasses.fields(value)
                    if f.name != "warnings"}
            if type(value).__name__ == "Reference":
                data = {"ref": data}
            return data
        if isinstance(value, (tuple, list)):
            return [convert(v) for v in value]
        if isinstance(value, dt.date):
            return value.isoformat()
        return value

    return convert(project)
