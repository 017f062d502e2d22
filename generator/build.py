"""Build the outputs of a project into the build folder, replacing them only on success."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import json
import os
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


CACHE_FILE = ".handbook-cache.json"


@dataclass
class BuildResult:
    """Files written (at their final place), what was rebuilt and why, notices."""

    written: list[Path] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    rebuilt: dict[str, str] = field(default_factory=dict)
    reused: int = 0


@functools.lru_cache(maxsize=1)
def code_version() -> str:
    """A hash of the generator's own source: a code change rebuilds everything."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).resolve().parent.rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _hash(*parts: object) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part if isinstance(part, bytes) else
                      json.dumps(part, ensure_ascii=False, sort_keys=True, default=str).encode())
    return digest.hexdigest()[:24]


class _Cache:
    """Content keys of the last build's outputs, so unchanged ones are reused, not rebuilt."""

    def __init__(self, out: Path, staging: Path, force: bool, result: BuildResult) -> None:
        self.out, self.staging, self.force, self.result = out, staging, force, result
        self.old: dict[str, str] = {}
        cache = out / CACHE_FILE
        if cache.exists() and not force:
            try:
                self.old = json.loads(cache.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                self.old = {}
        self.new: dict[str, str] = {}

    def reuse(self, relative: str, key: str) -> bool:
        """Link the previous output into staging when its key is unchanged."""
        self.new[relative] = key
        previous = self.out / relative
        if self.old.get(relative) == key and previous.exists():
            target = self.staging / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(previous, target)
            except OSError:
                shutil.copy2(previous, target)
            self.result.reused += 1
            return True
        self.result.rebuilt[relative] = "forced" if self.force else \
            "new" if relative not in self.old else "changed"
        return False

    def save(self, built: tuple[str, ...]) -> None:
        """Keep the keys of targets not built this time; write the cache into staging."""
        merged = {k: v for k, v in self.old.items() if k.split("/", 1)[0] not in built}
        merged.update(self.new)
        (self.staging / CACHE_FILE).write_text(json.dumps(merged, indent=0), encoding="utf-8")


def _names(project: Project) -> dict[str, object]:
    """Everything besides a document's own data that its rendering reads."""
    return {"roles": {r.id: r.name for r in project.roles},
            "departments": {d.id: d.name for d in project.departments},
            "forms": {f.id: f.title for f in project.forms},
            "regulations": {r.id: r.title for r in project.regulations},
            "company": dataclasses.asdict(project.company), "day": dt.date.today().isoformat()}


def build(project: Project, root: Path, out: Path, targets: tuple[str, ...] = TARGETS,
          force: bool = False) -> BuildResult:
    """Render the targets into a fresh folder, then swap each into `out`.

    Outputs whose inputs did not change since the last build are reused (`force`
    rebuilds all). A failing build leaves the previous `out` untouched.
    """
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.exists() and not out.is_dir():
        raise HandbookError(f"--out {out} exists and is not a folder")
    if "site" in targets:  # the site offers every document and form for download
        targets = tuple(dict.fromkeys(targets + ("docx", "pdf", "forms")))
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        result = BuildResult()
        cache = _Cache(out, staging, force, result)
        _render_all(project, root, staging, targets, cache)
        cache.save(targets)
        folders = [t for t in targets if (staging / t).exists()]
        _swap(staging, out, folders + ["handbook.json", CACHE_FILE])
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    result.written = [out / path.relative_to(staging) for path in result.written]
    return result


def _render_all(project: Project, root: Path, staging: Path, targets: tuple[str, ...],
                cache: _Cache) -> None:
    result = cache.result
    names = _names(project)
    if "text" in targets:
        for regulation in project.regulations:
            path = regulation_paths(staging, regulation.id)["text"]
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text_renderer.render(project, regulation), encoding="utf-8")
            result.written.append(path)
    documents: list[Path] = []
    to_convert: list[Path] = []
    if "docx" in targets or "pdf" in targets:
        template = docx_renderer.template_for(root)
        base = (code_version(), template.read_bytes(), names)
        fonts = root / "templates" / "fonts.conf"
        fonts_key = fonts.read_bytes() if fonts.exists() else b""
        keys = {}
        for regulation in project.regulations:
            path = regulation_paths(staging, regulation.id)["docx"]
            keys[path] = _hash(*base, to_data(regulation))
        compendium = staging / "docx" / COMPENDIUM
        keys[compendium] = _hash(*base, [keys[regulation_paths(staging, r.id)["docx"]]
                                         for r in _compendium_order(project)])
        for path, key in keys.items():
            documents.append(path)
            if not cache.reuse(path.relative_to(staging).as_posix(), key):
                if path == compendium:
                    docx_renderer.render_compendium(project, _compendium_order(project),
                                                    template, compendium)
                else:
                    regulation = project.regulation(path.stem)
                    docx_renderer.render(project, regulation, template, path)
            if "pdf" in targets and not cache.reuse(f"pdf/{path.stem}.pdf",
                                                    _hash(key, fonts_key, "pdf")):
                to_convert.append(path)
        result.written += documents
    if "pdf" in targets:
        converted = pdf_renderer.convert(to_convert, staging / "pdf", root)
        result.written += [staging / "pdf" / f"{d.stem}.pdf" for d in documents
                           if (staging / "pdf" / f"{d.stem}.pdf").exists()]
        result.notices += converted.notices
        for document in to_convert:  # a failed conversion is not remembered as done
            if not (staging / "pdf" / f"{document.stem}.pdf").exists():
                cache.new.pop(f"pdf/{document.stem}.pdf", None)
    if "forms" in targets:
        _forms(project, root, staging, cache, names)
    if "site" in targets:
        from .render import site

        built = site.build(project, root, staging / "site", staging)
        result.notices += built.notices
        result.written += [p for p in (staging / "site").rglob("*") if p.is_file()]
        result.rebuilt["site"] = "always rebuilt"
    if "docx" not in targets and (staging / "docx").exists():
        shutil.rmtree(staging / "docx")
        result.written = [p for p in result.written if p.parent.name != "docx"]
    model_path = staging / "handbook.json"
    model_path.write_text(json.dumps(to_data(project), ensure_ascii=False, indent=1),
                          encoding="utf-8")
    result.written.append(model_path)


def _forms(project: Project, root: Path, staging: Path, cache: _Cache,
           names: dict[str, object]) -> None:
    from .render.form_layout import footnote

    result = cache.result
    template = forms_docx.template_for(root)
    template_bytes = template.read_bytes()
    pdf_ok = True
    for form in project.forms:
        paths = form_paths(staging, form.id)
        key = _hash(code_version(), template_bytes, names, to_data(form),
                    footnote(project, form))
        if not cache.reuse(f"forms/{form.id}.docx", key):
            forms_docx.render(project, form, template, paths["docx"])
        result.written.append(paths["docx"])
        if not pdf_ok:
            continue
        if cache.reuse(f"forms/{form.id}.pdf", _hash(key, "pdf")):
            result.written.append(paths["pdf"])
            continue
        try:
            result.written.append(forms_pdf.render(project, form, paths["pdf"]))
        except forms_pdf.FontMissing as exc:
            pdf_ok = False
            cache.new.pop(f"forms/{form.id}.pdf", None)
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
