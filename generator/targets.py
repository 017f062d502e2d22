"""The outputs of a build, one class each: what it is made from (its content key) and
how it is rendered into the build's staging folder.

A build makes the targets of TARGET_CLASSES in that order, each when `wanted`; adding an
output format is adding a class here (and its renderer under render/).
"""

from __future__ import annotations

import functools
import os
import shutil
from pathlib import Path

from . import compendium_build, history
from .build_cache import content_key
from .build_job import Job
from .compendium_build import CompendiumPdf, compendium_order
from .compendium_word import CompendiumWord
from .errors import HandbookError, Location, Problem
from .export import write_model
from .model import Project, Regulation
from .outputs import COMPENDIUM, code_version, link_tree, regulation_file
from .render import docx as docx_renderer
from .render import pdf as pdf_renderer
from .render import text as text_renderer
from .target import Target
from .target_forms import FormsTarget
from .word_pool import render_documents


class TextTarget(Target):
    """text/<id>.txt: each regulation as numbered plain text."""

    name = "text"

    @classmethod
    def steps(cls, project: Project) -> int:
        """One step for all the text files."""
        return 1

    @functools.cached_property
    def _base(self) -> str:
        return content_key(code_version(), self.job.company)

    def key(self, regulation: Regulation) -> str:
        """What the regulation's text is made from: the code, the names it shows, its data."""
        return content_key(self._base, self.job.regulation_names[regulation.id],
                           self.job.digests[regulation.id])

    def render(self) -> None:
        """Write the text of each regulation whose key changed."""
        job, result = self.job, self.job.result
        for regulation in job.project.regulations:
            relative = regulation_file("text", regulation.id)
            path = job.staging / relative
            if not job.cache.reuse(relative, self.key(regulation)):
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text_renderer.render(job.project, regulation),
                                encoding="utf-8")
            result.written.append(path)
        job.progress.advance("text")


class DocxTarget(Target):
    """docx/<id>.docx and the 制度汇编; made for the PDF target too."""

    name = "docx"

    def __init__(self, job: Job) -> None:
        super().__init__(job)
        self.documents: list[Path] = []
        self.pdf: PdfTarget | None = None
        """Told of each document as it is planned (the PDF target converts them)."""

    @classmethod
    def wanted(cls, targets: tuple[str, ...]) -> bool:
        """Word files are made for themselves and to be converted to PDF."""
        return "docx" in targets or "pdf" in targets

    @classmethod
    def steps(cls, project: Project) -> int:
        """One step per regulation, one for the 制度汇编."""
        return len(project.regulations) + 1

    def keys(self, template: Path) -> dict[str, str]:
        """The content key of each Word file, by its place in the build."""
        job = self.job
        base = (content_key(code_version(), template.read_bytes(), job.company),)
        keys = {regulation_file("docx", r.id): content_key(
                    *base, job.regulation_names[r.id], job.digests[r.id])
                for r in job.project.regulations}
        keys[f"docx/{COMPENDIUM}"] = content_key(
            *base, [keys[regulation_file("docx", r.id)] for r in compendium_order(job.project)])
        return keys

    def render(self) -> None:
        """Render the Word files whose keys changed (with `defer`, the 制度汇编 waits)."""
        job, result = self.job, self.job.result
        template = docx_renderer.template_for(job.root)
        compendium = job.staging / "docx" / COMPENDIUM
        to_render: list[Path] = []
        keys = self.keys(template)
        for relative, key in keys.items():
            path = job.staging / relative
            if path == compendium and "docx" not in job.targets:
                job.progress.advance(path.name)
                continue  # its PDF is assembled from parts
            self.documents.append(path)
            if path == compendium and job.defer and job.cache.old.get(relative) != key \
                    and job.cache.carry(relative):
                result.deferred.append(relative)
                job.progress.advance(path.name)
                continue
            if job.cache.reuse(relative, key):
                job.progress.advance(path.name)
            else:
                to_render.append(path)
            if self.pdf is not None and path != compendium:
                self.pdf.plan(path, key)
        if self.pdf is not None:
            to_render += self.pdf.plan_compendium(template, keys)
        word = None
        if compendium in to_render:  # joined from its sections, those that changed rendered
            word = CompendiumWord(job.project, template, {r.id: keys[regulation_file(
                "docx", r.id)] for r in job.project.regulations}, job.staging, job.cache.force)
            to_render = [p for p in to_render if p != compendium] + word.to_render()
        render_documents(job.project, template, to_render, job.progress)
        if word is not None:
            word.assemble(compendium)
            job.progress.advance(compendium.name)
        result.written += self.documents
        if self.pdf is not None:
            self.pdf.compendium_word = word


class PdfTarget(Target):
    """pdf/<id>.pdf: the Word files converted by LibreOffice."""

    name = "pdf"

    def __init__(self, job: Job) -> None:
        super().__init__(job)
        self.word: DocxTarget = job.made["docx"]  # type: ignore[assignment]
        self.word.pdf = self
        self.to_convert: list[Path] = []
        self.compendium: CompendiumPdf | None = None
        self.compendium_word: CompendiumWord | None = None
        """The Word 制度汇编 when made by this build (its contents get the PDF's pages)."""
        self.running: pdf_renderer.Background | None = None
        self.pending: dict[str, list[str]] = {}
        """The PDFs being made, by kind (the site links to them before they are done)."""

    @classmethod
    def steps(cls, project: Project) -> int:
        """One step per regulation, one for the 制度汇编."""
        return len(project.regulations) + 1

    @functools.cached_property
    def fonts_key(self) -> bytes:
        """The font configuration LibreOffice converts with."""
        fonts = self.job.root / "templates" / "fonts.conf"
        return fonts.read_bytes() if fonts.exists() else b""

    def key(self, docx_key: str) -> str:
        """What a PDF is made from: its Word file and the font configuration."""
        return content_key(docx_key, self.fonts_key, "pdf")

    def plan(self, document: Path, docx_key: str) -> None:
        """Reuse the document's PDF when it is current, else mark it to be converted."""
        job = self.job
        if job.cache.reuse(f"pdf/{document.stem}.pdf", self.key(docx_key),
                           pdf_renderer.verify):
            job.progress.advance(f"{document.stem}.pdf")
        else:
            self.to_convert.append(document)

    def plan_compendium(self, template: Path, docx_keys: dict[str, str]) -> list[Path]:
        """Reuse the 制度汇编's PDF when current, else plan its assembly; return the parts
        to render as Word files for it."""
        job = self.job
        relative = f"pdf/{Path(COMPENDIUM).stem}.pdf"
        key = content_key(docx_keys[f"docx/{COMPENDIUM}"], self.fonts_key, "assembled")
        if job.defer and job.cache.old.get(relative) != key and job.cache.carry(relative):
            job.result.deferred.append(relative)
            job.progress.advance(Path(relative).name)
            return []
        if job.cache.reuse(relative, key, pdf_renderer.verify):
            job.progress.advance(Path(relative).name)
            return []
        self.compendium = CompendiumPdf(
            job.project, list(compendium_order(job.project)), job.staging, template,
            {r.id: docx_keys[regulation_file("docx", r.id)] for r in job.project.regulations},
            job.cache.force)
        return self.compendium.parts_to_render()

    def render(self) -> None:
        """Start converting the documents to PDF and assembling the 制度汇编's: LibreOffice
        works while the forms and the site are made (see `ready`)."""
        sequence = self.compendium.start(self.fonts_key) if self.compendium else None
        if (self.to_convert or sequence) and pdf_renderer.soffice():
            self.pending = {"pdf": [f"{d.stem}.pdf" for d in self.to_convert] + [
                f"{Path(COMPENDIUM).stem}.pdf"] * (self.compendium is not None)}
        self.running = pdf_renderer.Background(lambda stop: self._convert(sequence, stop))

    def _convert(self, sequence, stop) -> pdf_renderer.PdfResult:
        folder = self.job.staging / "pdf"
        converted = pdf_renderer.convert(self.to_convert, folder, self.job.root,
                                         self.job.progress.advance, sequence=sequence,
                                         stop=stop)
        if stop.is_set():
            return converted
        self._assemble(folder, converted)
        return converted

    def ready(self) -> None:
        """Wait for the conversions (`finish` raises their failures); the Word files made
        only to be converted are then removed (the site, which waits for this, does not
        offer them)."""
        job = self.job
        if self.running is not None:
            self.running.wait()
        self.pending = {}
        if "docx" not in job.targets and (job.staging / "docx").exists():
            shutil.rmtree(job.staging / "docx")
            job.result.written = [p for p in job.result.written if p.parent.name != "docx"]

    def finish(self) -> None:
        """Any failed conversion fails the build, naming each file."""
        job, result = self.job, self.job.result
        self.ready()
        converted, folder = self.running.result(), job.staging / "pdf"
        result.notices += converted.notices
        if converted.failed:
            problems = tuple(Problem(Location(f"pdf/{source.stem}.pdf"),
                                     f"PDF conversion of {source.name} failed: {reason}")
                             for source, reason in converted.failed.items())
            count = len(problems)
            raise HandbookError(f"{count} PDF conversion{'s' * (count != 1)} failed; the "
                                "previous build is left as it was", problems)
        result.written += [folder / f"{d.stem}.pdf" for d in self.word.documents
                           if (folder / f"{d.stem}.pdf").exists() and d.name != COMPENDIUM]
        if (folder / f"{Path(COMPENDIUM).stem}.pdf").exists():
            result.written.append(folder / f"{Path(COMPENDIUM).stem}.pdf")
        for document in self.to_convert:  # not converted (no LibreOffice): not remembered
            if not (folder / f"{document.stem}.pdf").exists():
                job.cache.forget(f"pdf/{document.stem}.pdf")

    def abandon(self) -> None:
        """Stop the conversions (LibreOffice included)."""
        if self.running is not None:
            self.running.stop()

    def _assemble(self, folder: Path, converted: pdf_renderer.PdfResult) -> None:
        """Join the 制度汇编's converted parts (a part that failed fails it; without
        LibreOffice it is skipped). The Word 制度汇编 made by this build gets the PDF's
        page numbers in its contents."""
        job = self.job
        target = folder / f"{Path(COMPENDIUM).stem}.pdf"
        if self.compendium is not None:
            started = self.compendium.sequence.started
            wrong = self.compendium.finish(target) if started else None
            if wrong is not None:
                converted.failed[job.staging / "docx" / COMPENDIUM] = wrong
            if not target.exists():
                job.cache.forget(f"pdf/{target.name}")
            job.progress.advance(target.name)
        if self.compendium_word is not None and target.exists():
            self.compendium_word.number_contents(compendium_build.toc_lines(job.staging))


class SiteTarget(Target):
    """site/: the MkDocs site, offering this build's documents and forms for download."""

    name = "site"
    SHELL_KEY = "site/.shell"

    @classmethod
    def steps(cls, project: Project) -> int:
        """One step for the whole site."""
        return 1

    def render(self) -> None:
        """Build the site, rendering again only the pages that changed."""
        from .render import site

        job, cache, result = self.job, self.job.cache, self.job.result
        staging = job.staging
        if "pdf" not in job.targets and (cache.out / "pdf").is_dir():
            link_tree(cache.out / "pdf", staging / "pdf")  # offer the last PDFs built
        pdf: PdfTarget | None = job.made.get("pdf")  # type: ignore[assignment]
        downloads = site.Downloads(staging, pdf.pending, pdf.ready) if pdf else \
            site.Downloads(staging)
        built = site.build(job.project, job.root, staging / "site", downloads,
                           previous=None if cache.force else cache.out / "site",
                           previous_shell=cache.old.get(self.SHELL_KEY),
                           cache=staging / ".cache", search_key=job.model_key,
                           defer_search=job.defer,
                           history=history.read(job.root, job.project,
                                                job.session.history),
                           session=job.session,
                           digests=None if cache.force else job.digests, force=cache.force)
        cache.new[self.SHELL_KEY] = built.shell
        result.deferred += built.deferred
        result.notices += built.notices
        result.written += [Path(folder, name) for folder, _, names in os.walk(staging / "site")
                           for name in names]
        job.progress.advance("site")
        if built.rendered:
            pages = f"{built.rendered} page" + ("s" if built.rendered > 1 else "")
            result.rebuilt["site"] = f"{pages} rendered" + (
                "" if cache.old.get(self.SHELL_KEY) == built.shell else
                " (navigation, theme or generator changed)")
        if "pdf" not in job.targets and (staging / "pdf").exists():
            shutil.rmtree(staging / "pdf")


class ModelTarget(Target):
    """handbook.json: the resolved model as data; made by every build."""

    name = "handbook.json"
    chosen = False

    @classmethod
    def wanted(cls, targets: tuple[str, ...]) -> bool:
        """Every build writes the model."""
        return True

    def render(self) -> None:
        """Write handbook.json unless its key is unchanged (with `defer`, an out-of-date
        one is kept for a later build)."""
        job, result = self.job, self.job.result
        model_path = job.staging / "handbook.json"
        if not job.cache.reuse("handbook.json", job.model_key):
            if job.defer and job.cache.carry("handbook.json"):
                result.deferred.append("handbook.json")
                result.rebuilt.pop("handbook.json", None)
            else:
                write_model(job.project, model_path, job.regulation_texts)
        result.written.append(model_path)


TARGET_CLASSES: tuple[type[Target], ...] = (TextTarget, DocxTarget, PdfTarget, FormsTarget,
                                            SiteTarget, ModelTarget)
"""Every output, in the order a build makes them."""

TARGETS = tuple(cls.name for cls in TARGET_CLASSES if cls.chosen)
"""What `handbook build` can make; each lives in its own folder under --out."""


def render_all(job: Job) -> None:
    """Make every target the job's build wants (a target may hook into one made before
    it), then render them in order."""
    for cls in TARGET_CLASSES:
        if cls.wanted(job.targets):
            job.made[cls.name] = cls(job)
    made = list(job.made.values())
    try:
        for target in made:
            target.render()
    except BaseException:
        for target in made:
            target.abandon()
        raise
    for target in made:
        target.finish()


def steps(project: Project, targets: tuple[str, ...]) -> int:
    """How many progress steps a build of targets takes."""
    return sum(cls.steps(project) for cls in TARGET_CLASSES if cls.wanted(targets))
