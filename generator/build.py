"""Build the outputs of a project into the build folder, replacing them only on success."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import HandbookError
from .model import Project
from .outputs import COMPENDIUM, form_paths, regulation_paths
from .render import docx as docx_renderer
from .render import forms_docx, forms_pdf
from .render import pdf as pdf_renderer
from .render import text as text_renderer

TARGETS = ("text", "docx", "pdf", "forms", "site")
"""What `handbook build` can make; each lives in its own folder under --out."""


@dataclass
class BuildResult:
    """Files written (at their final place) and notices for the user."""

    written: list[Path] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


def build(project: Project, root: Path, out: Path, targets: tuple[str, ...] = TARGETS
          ) -> BuildResult:
    """Render the targets into a fresh folder, then swap each into `out`.

    A failing build leaves the previous `out` untouched.
    """
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.exists() and not out.is_dir():
        raise HandbookError(f"--out {out} exists and is not a folder")
    if "site" in targets:  # the site offers every document and form for download
        targets = tuple(dict.fromkeys(targets + ("docx", "pdf", "forms")))
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        result = _render_all(project, root, staging, targets)
        folders = [t for t in targets if (staging / t).exists()]
        _swap(staging, out, folders + ["handbook.json"])
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    result.written = [out / path.relative_to(staging) for path in result.written]
    return result


def _render_all(project: Project, root: Path, staging: Path, targets: tuple[str, ...]
                ) -> BuildResult:
    result = BuildResult()
    if "text" in targets:
        for regulation in project.regulations:
            path = regulation_paths(staging, regulation.id)["text"]
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text_renderer.render(project, regulation), encoding="utf-8")
            result.written.append(path)
    documents: list[Path] = []
    if "docx" in targets or "pdf" in targets:
        template = docx_renderer.template_for(root)
        for regulation in project.regulations:
            path = regulation_paths(staging, regulation.id)["docx"]
            documents.append(docx_renderer.render(project, regulation, template, path))
        compendium = staging / "docx" / COMPENDIUM
        documents.append(docx_renderer.render_compendium(
            project, _compendium_order(project), template, compendium))
        result.written += documents
    if "pdf" in targets:
        converted = pdf_renderer.convert(documents, staging / "pdf", root)
        result.written += converted.written
        result.notices += converted.notices
    if "forms" in targets:
        _forms(project, root, staging, result)
    if "site" in targets:
        from .render import site

        built = site.build(project, root, staging / "site", staging)
        result.notices += built.notices
        result.written += [p for p in (staging / "site").rglob("*") if p.is_file()]
    if "docx" not in targets and (staging / "docx").exists():
        shutil.rmtree(staging / "docx")
        result.written = [p for p in result.written if p.parent.name != "docx"]
    model_path = staging / "handbook.json"
    model_path.write_text(json.dumps(to_data(project), ensure_ascii=False, indent=1),
                          encoding="utf-8")
    result.written.append(model_path)
    return result


def _forms(project: Project, root: Path, staging: Path, result: BuildResult) -> None:
    template = forms_docx.template_for(root)
    pdf_ok = True
    for form in project.forms:
        paths = form_paths(staging, form.id)
        result.written.append(forms_docx.render(project, form, template, paths["docx"]))
        if not pdf_ok:
            continue
        try:
            result.written.append(forms_pdf.render(project, form, paths["pdf"]))
        except forms_pdf.FontMissing as exc:
            pdf_ok = False
            result.notices.append(str(exc))


def _compendium_order(project: Project):
    """Regulations in force, by category then document number."""
    return sorted((r for r in project.regulations if r.status in ("active", "draft")),
                  key=lambda r: (r.category, r.number))


def _swap(staging: Path, out: Path, names: list[str]) -> None:
    """Move each named entry of staging into out, replacing the old one."""
    out.mkdir(parents=True, exist_ok=True)
    for name in names:
        source = staging / name
        if not source.exists():
            continue
        target = out / name
        previous = out / f".{name}-previous"
        if previous.exists():
            shutil.rmtree(previous) if previous.is_dir() else previous.unlink()
        if target.exists():
            target.rename(previous)
        source.rename(target)
        if previous.exists():
            shutil.rmtree(previous) if previous.is_dir() else previous.unlink()


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
