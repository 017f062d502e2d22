"""The build's side of the 制度汇编 PDF: which parts to render again, the sequence the
converter is fed, the assembly, and the page numbers for the Word compendium's contents.

The parts (render/docx_compendium.render_part) and their PDFs live under the build's
cache folder, which each build takes over from the last, with the keys they were made
from; see render/pdf_compendium.py for how they become one PDF.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from .build_cache import content_key
from .model import Project, Regulation
from .render import docx_compendium, pdf
from .render import pdf_compendium as assembly

FOLDER = ".cache/compendium"
CHUNK = 8
"""Regulations per part of the compendium's PDF, on average: LibreOffice spends about 0.2 s
on each file besides its pages, so parts of one regulation each would cost more than the
whole; a part ends after a regulation whose id hashes to a multiple of CHUNK, so adding
or removing a regulation changes only its own part."""
DOCX_KEYS = "docx.json"
TOC_FILE = "toc.json"


def compendium_order(project: Project):
    """Regulations in force and drafts (unless left out), by category then document number."""
    shown = ("active", "draft") if project.compendium_drafts else ("active",)
    return sorted((r for r in project.regulations if r.status in shown),
                  key=lambda r: (r.category, r.number))


def chunks(regulations: list[Regulation]) -> list[list[Regulation]]:
    """The regulations (in compendium order) in parts of the compendium's PDF."""
    parts: list[list[Regulation]] = [[]]
    for regulation in regulations:
        parts[-1].append(regulation)
        digest = int(hashlib.sha256(regulation.id.encode()).hexdigest()[:8], 16)
        if digest % CHUNK == 0 or len(parts[-1]) >= 3 * CHUNK:
            parts.append([])
    return [part for part in parts if part]


class CompendiumPdf:
    """The 制度汇编.pdf of one build, from its regulations in compendium order."""

    def __init__(self, project: Project, regulations: list[Regulation], staging: Path,
                 template: Path, docx_keys: dict[str, str], force: bool) -> None:
        self.project, self.regulations, self.template = project, regulations, template
        self.folder = staging / FOLDER
        self.folder.mkdir(parents=True, exist_ok=True)
        self.force = force
        self.parts = {part[0].id: part for part in chunks(regulations)}
        self.keys = {name: content_key([docx_keys[r.id] for r in part], "compendium part")
                     for name, part in self.parts.items()}
        self.sequence: assembly.Sequence | None = None

    def parts_to_render(self) -> list[Path]:
        """The parts' .docx files whose content changed (to render with the Word files)."""
        old = {} if self.force else _read(self.folder / DOCX_KEYS)
        stale = [name for name in self.parts if old.get(name) != self.keys[name]
                 or not self.part(name).exists()]
        for name in stale:
            self.part(name).unlink(missing_ok=True)
        for path in self.folder.glob("*.docx"):  # regulations no longer in the compendium
            if path.stem not in self.keys and path.stem != assembly.FRONT:
                path.unlink()
        (self.folder / DOCX_KEYS).write_text(json.dumps(self.keys), encoding="utf-8")
        return [self.part(name) for name in stale]

    def part(self, name: str) -> Path:
        """Where a part of the compendium is rendered (named after its first regulation)."""
        return self.folder / f"{name}.docx"

    def start(self, fonts_key: bytes) -> assembly.Sequence:
        """The parts, then the front matter, in the order the converter takes them."""
        parts = [assembly.Part(name, self.part(name), self.keys[name],
                               [h for r in part for h in docx_compendium.headings(r)])
                 for name, part in self.parts.items()]
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
