"""The build's side of the 制度汇编 PDF: which parts to render again, the sequence the
converter is fed, the assembly, and the page numbers for the Word compendium's contents.

The parts (render/docx_compendium.render_part) and their PDFs live under the build's
cache folder, which each build takes over from the last, with the keys they were made
from; see render/pdf_compendium.py for how they become one PDF.
"""

from __future__ import annotations

import json
from pathlib import Path

from .build_cache import content_key
from .model import Project, Regulation
from .render import docx_compendium, pdf
from .render import pdf_compendium as assembly

FOLDER = ".cache/compendium"
DOCX_KEYS = "docx.json"
TOC_FILE = "toc.json"


def compendium_order(project: Project):
    """Regulations in force and drafts (unless left out), by category then document number."""
    shown = ("active", "draft") if project.compendium_drafts else ("active",)
    return sorted((r for r in project.regulations if r.status in shown),
                  key=lambda r: (r.category, r.number))


class CompendiumPdf:
    """The 制度汇编.pdf of one build, from its regulations in compendium order."""

    def __init__(self, project: Project, regulations: list[Regulation], staging: Path,
                 template: Path, docx_keys: dict[str, str], force: bool) -> None:
        self.project, self.regulations, self.template = project, regulations, template
        self.folder = staging / FOLDER
        self.folder.mkdir(parents=True, exist_ok=True)
        self.force = force
        self.keys = {r.id: content_key(docx_keys[r.id], "compendium part") for r in regulations}
        self.sequence: assembly.Sequence | None = None

    def parts_to_render(self) -> list[Path]:
        """The parts' .docx files whose content changed (to render with the Word files)."""
        old = {} if self.force else _read(self.folder / DOCX_KEYS)
        stale = [r for r in self.regulations if old.get(r.id) != self.keys[r.id]
                 or not self.part(r).exists()]
        for regulation in stale:
            self.part(regulation).unlink(missing_ok=True)
        for path in self.folder.glob("*.docx"):  # regulations no longer in the compendium
            if path.stem not in self.keys and path.stem != assembly.FRONT:
                path.unlink()
        (self.folder / DOCX_KEYS).write_text(json.dumps(self.keys), encoding="utf-8")
        return [self.part(r) for r in stale]

    def part(self, regulation: Regulation) -> Path:
        """Where a regulation's part of the compendium is rendered."""
        return self.folder / f"{regulation.id}.docx"

    def start(self, fonts_key: bytes) -> assembly.Sequence:
        """The parts, then the front matter, in the order the converter takes them."""
        parts = [assembly.Part(r.id, self.part(r), self.keys[r.id],
                               docx_compendium.headings(r)) for r in self.regulations]
        self.sequence = assembly.Sequence(parts, self.folder, fonts_key, self.force,
                                          self._front)
        return self.sequence

    def _front(self, pages: list[int]) -> Path:
        target = self.folder / f"{assembly.FRONT}.docx"
        return docx_compendium.render_front(self.project, self.regulations, self.template,
                                            target, pages)

    def finish(self, target: Path) -> str | None:
        """Join the converted pieces into target; what went wrong, or None."""
        sequence = self.sequence
        if sequence is None or not sequence.complete:
            reason = sequence.failed if sequence is not None else None
            return pdf.write_problem(self.folder) or reason or "not converted"
        sequence.save()
        assembly.merge(sequence, target)
        (self.folder / TOC_FILE).write_text(json.dumps(sequence.toc_lines(),
                                                       ensure_ascii=False), encoding="utf-8")
        return None



def toc_lines(staging: Path) -> list[str]:
    """The contents' `heading<TAB>page` lines of the last 制度汇编 PDF assembled."""
    lines = _read(staging / FOLDER / TOC_FILE)
    return lines if isinstance(lines, list) else []


def _read(path: Path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
