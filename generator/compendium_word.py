"""The build's side of the Word 制度汇编: each regulation's section kept between builds,
and the compendium joined from them.

A section (render/docx_compendium.render_section) is kept under the build's cache folder,
which each build takes over from the last, in a file named by its regulation's id and the
key it was made from (the regulation's Word key and its own anchor prefix). It is made
again when that key changes, or when a regulation it links to left the compendium or
changed its anchor (each file lists the anchors it looked up). The 制度汇编 .docx is then
the cover and table of contents (rendered each time: they list every regulation) with
the sections' XML appended (render/docx_join.py). The cover and contents are kept too, by
what they show (the regulations' headings, the cover's lines): an edit within an article
joins the kept ones.
"""

from __future__ import annotations

import functools
import os
import shutil
from pathlib import Path

from .build_cache import content_key
from .compendium_build import compendium_order
from .export import to_data
from .model import Project
from .outputs import code_version
from .render import docx_compendium, docx_contents, docx_join

FOLDER = ".cache/compendium-docx"
SUFFIX = ".section"
FRONT = "front"

_prefixes: tuple = (None, {})  # (project, its anchor prefixes), for the Word workers


class CompendiumWord:
    """The Word 制度汇编 of one build, from its regulations' sections."""

    def __init__(self, project: Project, template: Path, docx_keys: dict[str, str],
                 staging: Path, force: bool) -> None:
        self.project, self.template, self.force = project, template, force
        self.regulations = list(compendium_order(project))
        self.prefixes = prefixes(project)
        self.folder = staging / FOLDER
        self.folder.mkdir(parents=True, exist_ok=True)
        self.target: Path | None = None
        self.paths = {r.id: self.folder / "{}.{}{}".format(
            r.id, content_key(docx_keys[r.id], self.prefixes[r.id], "compendium section"),
            SUFFIX) for r in self.regulations}

    def to_render(self) -> list[Path]:
        """The sections to render (made from other content, or linking to anchors that
        changed); files of sections no longer wanted are removed."""
        wanted = {*self.paths.values(), self.front}
        for path in self.folder.iterdir():
            if path not in wanted:
                path.unlink()
        stale = [path for path in self.paths.values() if self.force or not self._current(path)]
        for path in stale:
            path.unlink(missing_ok=True)
        return stale

    def _current(self, path: Path) -> bool:
        meta = docx_join.read_meta(path)
        return meta is not None and all(self.prefixes.get(other) == prefix
                                        for other, prefix in meta["links"].items())

    @functools.cached_property
    def front(self) -> Path:
        """The file of the cover and contents, named by what they show."""
        key = content_key(code_version(), self.template.read_bytes(),
                          to_data(self.project.company),
                          docx_compendium.cover_lines(self.project, self.regulations),
                          [docx_compendium.headings(r) for r in self.regulations], "front")
        return self.folder / f"{FRONT}.{key}.docx"

    def assemble(self, target: Path) -> Path:
        """Write the 制度汇编: cover, table of contents, then every section in order."""
        front = self.front
        if self.force or not front.exists():
            made = front.with_name(f".{front.name}.tmp")
            docx_compendium.render_word_front(self.project, self.regulations, self.template,
                                              made)
            os.replace(made, front)
        self.target = target
        return docx_join.join(front, [self.paths[r.id] for r in self.regulations], target)

    def number_contents(self, laid_out: list[str]) -> None:
        """Join the 制度汇编 again, its contents with the page numbers of LibreOffice's
        `heading<TAB>page` lines (the cover and contents numbered in a copy: the sections,
        most of the file, are not parsed)."""
        if self.target is None or not laid_out:
            return
        numbered = self.front.with_name(f".{self.front.stem}.numbered.docx")
        shutil.copyfile(self.front, numbered)
        try:
            docx_contents.fill_page_numbers(numbered, laid_out)
            if numbered.read_bytes() != self.front.read_bytes():  # some entry got its page
                docx_join.join(numbered, [self.paths[r.id] for r in self.regulations],
                               self.target)
        finally:
            numbered.unlink(missing_ok=True)


def prefixes(project: Project) -> dict[str, str]:
    """The anchor prefix of each regulation in the project's 制度汇编 (worked out once per
    model)."""
    global _prefixes
    if _prefixes[0] is not project:
        _prefixes = (project, docx_compendium.anchor_prefixes(compendium_order(project)))
    return _prefixes[1]


def render_file(project: Project, template: Path, path: Path) -> None:
    """Render the section a file of FOLDER is named after, into it."""
    regulation = project.regulation(path.name.split(".", 1)[0])
    section = docx_compendium.render_section(project, regulation, prefixes(project), template)
    docx_join.write(section, path)
