"""Build the outputs of a project into the build folder, replacing them only on success."""

from __future__ import annotations

import concurrent.futures
import dataclasses
import datetime as dt
import functools
import gc
import hashlib
import json
import multiprocessing
import os
import shutil
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import atomic, history
from .atomic import BuildBusy
from .errors import HandbookError, Location, Problem
from .memo import KeptByObject
from .model import Project
from .outputs import COMPENDIUM, code_version, form_paths, link_or_copy, link_tree, regulation_file
from .render import docx as docx_renderer
from .render import forms_docx, forms_pdf
from .render import pdf as pdf_renderer
from .render import text as text_renderer

TARGETS = ("text", "docx", "pdf", "forms", "site")
"""What `handbook build` can make; each lives in its own folder under --out."""


CACHE_FILE = ".handbook-cache.json"


class Progress:
    """Told of each step of a build; the CLI shows it as a progress bar. Does nothing here."""

    def start(self, total: int) -> None:
        """The build is about to take `total` steps."""

    def advance(self, label: str) -> None:
        """One step is done; label names it."""


@dataclass
class BuildResult:
    """Files written (at their final place), what was rebuilt and why, notices."""

    written: list[Path] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    rebuilt: dict[str, str] = field(default_factory=dict)
    reused: int = 0
    deferred: list[str] = field(default_factory=list)
    replaced: list[Path] = field(default_factory=list)
    """With `defer`: the previous outputs, moved aside for the caller to `discard`."""


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
        self.folders: set[Path] = set()  # made in staging already

    def reuse(self, relative: str, key: str,
              damage: Callable[[Path], str | None] | None = None) -> bool:
        """Link the previous output into staging when its key is unchanged (and `damage`
        finds nothing wrong with it)."""
        self.new[relative] = key
        same = self.old.get(relative) == key and (self.out / relative).exists()
        damaged = same and damage is not None and damage(self.out / relative) is not None
        if same and not damaged:
            self._link_previous(relative)
            self.result.reused += 1
            return True
        self.result.rebuilt[relative] = "forced" if self.force else "damaged" if damaged else \
            "new" if relative not in self.old else "changed"
        return False

    def carry(self, relative: str) -> bool:
        """Keep the previous output and its old key, to be brought up to date later."""
        if relative not in self.old or not (self.out / relative).exists():
            return False
        self.new[relative] = self.old[relative]
        self._link_previous(relative)
        return True

    def _link_previous(self, relative: str) -> None:
        """Hard-link the previous build's output into staging at the same place."""
        target = self.staging / relative
        if target.parent not in self.folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            self.folders.add(target.parent)
        link_or_copy(self.out / relative, target)

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
            "company": dataclasses.asdict(project.company),
            "statuses": {r.id: project.status(r) for r in project.regulations}}


def build(project: Project, root: Path, out: Path, targets: tuple[str, ...] = TARGETS,
          force: bool = False, progress: Progress | None = None,
          defer: bool = False) -> BuildResult:
    """Render the targets into a new generation, then make it `out` in one rename.

    Outputs whose inputs did not change since the last build are reused (`force`
    rebuilds all). A failing build (a failed PDF conversion, a full disk) leaves the
    previous `out` untouched; a second build into the same `out` while one runs is
    refused (BuildBusy). With `defer`, the outputs that gather every regulation
    (制度汇编, the site's search index, handbook.json) keep their last version when out
    of date and are listed in `deferred`, for a later build (the watcher's second pass)
    to bring up to date; the previous generation is then left in `replaced`.
    """
    out = atomic.own_path(out)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:  # a file where a folder goes, a read-only or forbidden place
        blocker = next((p for p in out.parents if p.exists() and not p.is_dir()), None)
        reason = f"{blocker} is a file, not a folder" if blocker else exc.strerror or exc
        raise HandbookError(f"cannot make the folder of --out {out}: {reason} (hint: "
                            "choose another --out, or move away what stands in its way)"
                            ) from None
    if out.exists() and not out.is_dir():
        raise HandbookError(f"--out {out} exists and is not a folder")
    if "site" in targets:  # the site offers every document and form for download
        targets = tuple(dict.fromkeys(targets + ("docx", "forms")))
    progress = progress or Progress()
    progress.start(_steps(project, targets))
    try:
        with atomic.terminate_as_exit(), atomic.lock(out):
            result, staging = _build_generation(project, root, out, targets, force, progress,
                                                defer)
    except OSError as exc:  # a full disk, a read-only or forbidden folder
        _let_go(exc)
        where = f" ({exc.filename})" if exc.filename else ""
        raise HandbookError(f"cannot write the build: {exc.strerror or exc}{where}; "
                            f"{out} is left as it was") from None
    result.written = [out / path.relative_to(staging) for path in result.written]
    if not defer:
        discard(result.replaced)
        result.replaced = []
    return result


def _build_generation(project: Project, root: Path, out: Path, targets: tuple[str, ...],
                      force: bool, progress: Progress,
                      defer: bool) -> tuple[BuildResult, Path]:
    """Build into a new generation and publish it (under the lock); return the result and
    the generation's folder."""
    previous = atomic.prepare(out)
    staging = atomic.new_staging(out)
    _move(previous, staging, ".cache")  # the caches go on with the new build
    try:
        result = BuildResult()
        cache = _Cache(out, staging, force, result)
        _render_all(project, root, staging, targets, cache, progress, defer)
        cache.save(targets)
        atomic.publish(staging, out, previous)
        result.replaced = [previous] if previous else []
    finally:
        if staging != atomic.current(out):
            _move(staging, previous, ".cache")
            shutil.rmtree(staging, ignore_errors=True)
    return result, staging


def _let_go(exc: BaseException) -> None:
    """Free what the failed build's frames held now, quietly: a half-written zip (a Word
    file) closed on a full disk fails again, and would print a traceback at exit."""
    hook = sys.unraisablehook
    sys.unraisablehook = lambda unraisable: None
    try:
        traceback.clear_frames(exc.__traceback__)
        gc.collect()
    finally:
        sys.unraisablehook = hook


def _move(source: Path | None, target: Path | None, name: str) -> None:
    """Move source/name to target/name, when both folders are there."""
    if source is not None and target is not None and (source / name).is_dir() \
            and target.is_dir() and not (target / name).exists():
        os.rename(source / name, target / name)


def prepare_next(out: Path) -> None:
    """Ready what the next incremental build into out starts from (a linked copy of the
    site), unless a build is running; `handbook watch` calls it between builds."""
    from .render import site_mkdocs

    out = atomic.own_path(out)
    try:
        with atomic.lock(out):
            if atomic.current(out) is not None:
                site_mkdocs.prepare_copy(out / "site", out / ".cache")
    except BuildBusy:
        pass


def discard(paths: list[Path]) -> None:
    """Delete the previous outputs a build moved aside."""
    for path in paths:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


def _steps(project: Project, targets: tuple[str, ...]) -> int:
    """How many progress steps a build of targets takes."""
    documents = len(project.regulations) + 1
    return (("text" in targets) + documents * ("docx" in targets or "pdf" in targets)
            + documents * ("pdf" in targets) + 2 * len(project.forms) * ("forms" in targets)
            + ("site" in targets))


def _render_all(project: Project, root: Path, staging: Path, targets: tuple[str, ...],
                cache: _Cache, progress: Progress, defer: bool = False) -> None:
    result = cache.result
    names = _names(project)
    digests = _digests(project)
    # what handbook.json and the search index are made from: when unchanged, they are too
    model_key = _hash(code_version(), names, digests, to_data(project.company),
                      [to_data(x) for x in project.departments + project.roles + project.forms],
                      project.synonyms)
    if "text" in targets:
        base = _hash(code_version(), names)
        for regulation in project.regulations:
            relative = regulation_file("text", regulation.id)
            path = staging / relative
            if not cache.reuse(relative, _hash(base, digests[regulation.id])):
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text_renderer.render(project, regulation), encoding="utf-8")
            result.written.append(path)
        progress.advance("text")
    documents: list[Path] = []
    to_render: list[Path] = []
    to_convert: list[Path] = []
    if "docx" in targets or "pdf" in targets:
        template = docx_renderer.template_for(root)
        base = (_hash(code_version(), template.read_bytes(), names),)
        fonts = root / "templates" / "fonts.conf"
        fonts_key = fonts.read_bytes() if fonts.exists() else b""
        keys = {regulation_file("docx", r.id): _hash(*base, digests[r.id])
                for r in project.regulations}
        keys[f"docx/{COMPENDIUM}"] = _hash(*base, [keys[regulation_file("docx", r.id)]
                                                   for r in _compendium_order(project)])
        compendium = staging / "docx" / COMPENDIUM
        for relative, key in keys.items():
            path = staging / relative
            documents.append(path)
            if path == compendium and defer and cache.old.get(relative) != key \
                    and cache.carry(relative):
                result.deferred.append(relative)
                progress.advance(path.name)
                continue
            if cache.reuse(relative, key):
                progress.advance(path.name)
            else:
                to_render.append(path)
            if "pdf" in targets:
                if cache.reuse(f"pdf/{path.stem}.pdf", _hash(key, fonts_key, "pdf"),
                               pdf_renderer.verify):
                    progress.advance(f"{path.stem}.pdf")
                else:
                    to_convert.append(path)
        _render_documents(project, template, to_render, compendium, progress)
        result.written += documents
    if "pdf" in targets:
        _convert_pdfs(to_convert, documents, root, staging, cache, progress)
    if "forms" in targets:
        _forms(project, root, staging, cache, names, progress)
    if "site" in targets:
        from .render import site

        if "pdf" not in targets and (cache.out / "pdf").is_dir():
            link_tree(cache.out / "pdf", staging / "pdf")  # offer the last PDFs built
        shell_key = "site/.shell"
        built = site.build(project, root, staging / "site", staging,
                           previous=None if cache.force else cache.out / "site",
                           previous_shell=cache.old.get(shell_key),
                           cache=staging / ".cache", search_key=model_key,
                           defer_search=defer, history=history.read(root, project))
        cache.new[shell_key] = built.shell
        result.deferred += built.deferred
        result.notices += built.notices
        result.written += [Path(folder, name) for folder, _, names in os.walk(staging / "site")
                           for name in names]
        progress.advance("site")
        if built.rendered:
            pages = f"{built.rendered} page" + ("s" if built.rendered > 1 else "")
            result.rebuilt["site"] = f"{pages} rendered" + (
                "" if cache.old.get(shell_key) == built.shell else
                " (navigation, theme or generator changed)")
    if "pdf" not in targets and (staging / "pdf").exists():
        shutil.rmtree(staging / "pdf")
    if "docx" not in targets and (staging / "docx").exists():
        shutil.rmtree(staging / "docx")
        result.written = [p for p in result.written if p.parent.name != "docx"]
    model_path = staging / "handbook.json"
    if not cache.reuse("handbook.json", model_key):
        if defer and cache.carry("handbook.json"):
            result.deferred.append("handbook.json")
            result.rebuilt.pop("handbook.json", None)
        else:
            write_model(project, model_path)
    result.written.append(model_path)


_digests_kept = KeptByObject()


def _convert_pdfs(to_convert: list[Path], documents: list[Path], root: Path, staging: Path,
                  cache: _Cache, progress: Progress) -> None:
    """Convert documents to PDF; any failed conversion fails the build, naming each file."""
    result = cache.result
    converted = pdf_renderer.convert(to_convert, staging / "pdf", root, progress.advance)
    result.notices += converted.notices
    if converted.failed:
        problems = tuple(Problem(Location(f"pdf/{source.stem}.pdf"),
                                 f"PDF conversion of {source.name} failed: {reason}")
                         for source, reason in converted.failed.items())
        count = len(problems)
        raise HandbookError(f"{count} PDF conversion{'s' * (count != 1)} failed; the previous "
                            "build is left as it was", problems)
    result.written += [staging / "pdf" / f"{d.stem}.pdf" for d in documents
                       if (staging / "pdf" / f"{d.stem}.pdf").exists()]
    for document in to_convert:  # not converted (no LibreOffice): not remembered as done
        if not (staging / "pdf" / f"{document.stem}.pdf").exists():
            cache.new.pop(f"pdf/{document.stem}.pdf", None)
            result.rebuilt.pop(f"pdf/{document.stem}.pdf", None)


def _digests(project: Project) -> dict[str, str]:
    """A content hash of each regulation's resolved data (kept by model object)."""
    _digests_kept.keep_only(project.regulations)
    return {r.id: _digests_kept.get(r, lambda r: _hash(to_data(r))) for r in project.regulations}


PARALLEL_FROM = 8
"""Documents to render before a second process is worth its start-up."""

_shared: tuple = ()  # what forked workers render from (inherited, never pickled)


def _render_documents(project: Project, template: Path, paths: list[Path], compendium: Path,
                      progress: Progress) -> None:
    """Render Word documents: on every core (at most two) when there are many."""
    global _shared
    paths = sorted(paths, key=lambda p: p != compendium)  # the longest one starts first
    workers = min(os.cpu_count() or 1, 2)
    if len(paths) < PARALLEL_FROM or workers < 2 or \
            "fork" not in multiprocessing.get_all_start_methods():
        for path in paths:
            progress.advance(_render_document(project, template, compendium, path))
        return
    _shared = (project, template, compendium)
    try:
        context = multiprocessing.get_context("fork")
        atomic.remember_parent()
        with concurrent.futures.ProcessPoolExecutor(workers, mp_context=context,
                                                    initializer=atomic.die_with_parent) as pool:
            jobs = [pool.submit(_render_shared, path) for path in paths]
            for job in concurrent.futures.as_completed(jobs):
                progress.advance(job.result())
    finally:
        _shared = ()


def _render_shared(path: Path) -> str:
    return _render_document(*_shared, path)


def _render_document(project: Project, template: Path, compendium: Path, path: Path) -> str:
    if path == compendium:
        docx_renderer.render_compendium(project, _compendium_order(project), template, path)
    else:
        docx_renderer.render(project, project.regulation(path.stem), template, path)
    return path.name


def _forms(project: Project, root: Path, staging: Path, cache: _Cache,
           names: dict[str, object], progress: Progress) -> None:
    from .render.form_layout import footnote

    result = cache.result
    template = forms_docx.template_for(root)
    base = _hash(code_version(), template.read_bytes(), names)
    pdf_ok = True
    for form in project.forms:
        paths = form_paths(staging, form.id)
        key = _hash(base, to_data(form), footnote(project, form))
        if not cache.reuse(f"forms/{form.id}.docx", key):
            forms_docx.render(project, form, template, paths["docx"])
        result.written.append(paths["docx"])
        progress.advance(paths["docx"].name)
        progress.advance(paths["pdf"].name)  # made next, or skipped without a font
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
            result.rebuilt.pop(f"forms/{form.id}.pdf", None)
            result.notices.append(str(exc))


def _compendium_order(project: Project):
    """Regulations in force and drafts (unless left out), by category then document number."""
    shown = ("active", "draft") if project.compendium_drafts else ("active",)
    return sorted((r for r in project.regulations if r.status in shown),
                  key=lambda r: (r.category, r.number))


def write_model(project: Project, target: Path) -> None:
    """Write handbook.json: to_data(project) as indented JSON, one regulation at a time
    (the whole model as data would double the build's memory at 1,000 regulations)."""
    data = {name: _ConvertedList(project.regulations) if name == "regulations"
            else _convert(getattr(project, name)) for name in _field_names(type(project))}
    with open(target, "w", encoding="utf-8") as stream:
        for chunk in json.JSONEncoder(ensure_ascii=False, indent=1).iterencode(data):
            stream.write(chunk)


class _ConvertedList(list):
    """Items converted only as the JSON encoder reaches them."""

    def __init__(self, items: tuple) -> None:
        super().__init__()
        self.items = items

    def __iter__(self):
        return (_convert(item) for item in self.items)

    def __len__(self) -> int:
        return len(self.items)


def to_data(project: Project) -> dict[str, Any]:
    """The whole model as JSON-ready data (dates as ISO text, references as objects)."""
    return _convert(project)


@functools.cache
def _field_names(cls: type) -> tuple[str, ...] | None:
    """Fields of a model dataclass (None when cls is not one); looked up once per class."""
    if not dataclasses.is_dataclass(cls):
        return None
    return tuple(f.name for f in dataclasses.fields(cls) if f.name not in ("warnings", "today",
                                                                "compendium_drafts"))


def _convert(value: Any) -> Any:
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (tuple, list)):
        return [_convert(v) for v in value]
    names = _field_names(type(value))
    if names is not None:
        data = {name: _convert(getattr(value, name)) for name in names}
        return {"ref": data} if type(value).__name__ == "Reference" else data
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
