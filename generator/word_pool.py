"""Word documents rendered on both cores: the regulations, the sections of the Word
制度汇编 and the parts of the 制度汇编's PDF, in forked processes that inherit the model
(nothing is pickled)."""

from __future__ import annotations

import concurrent.futures
import multiprocessing
import os
from pathlib import Path

from . import atomic, compendium_word
from .compendium_build import chunks, compendium_order
from .model import Project
from .render import docx as docx_renderer
from .render import docx_compendium

PARALLEL_FROM = 8
"""Documents to render before a second process is worth its start-up."""

_shared: tuple = ()  # what forked workers render from (inherited, never pickled)


def render_documents(project: Project, template: Path, paths: list[Path], progress) -> None:
    """Render Word documents (regulations, sections and parts of the 制度汇编): on every
    core (at most two) when there are many."""
    global _shared
    workers = min(os.cpu_count() or 1, 2)
    if len(paths) < PARALLEL_FROM or workers < 2 or \
            "fork" not in multiprocessing.get_all_start_methods():
        for path in paths:
            _advance(progress, _render_document(project, template, path))
        return
    _shared = (project, template)
    try:
        context = multiprocessing.get_context("fork")
        atomic.remember_parent()
        with concurrent.futures.ProcessPoolExecutor(workers, mp_context=context,
                                                    initializer=atomic.die_with_parent) as pool:
            jobs = [pool.submit(_render_shared, path) for path in paths]
            for job in concurrent.futures.as_completed(jobs):
                _advance(progress, job.result())
    finally:
        _shared = ()


def _render_shared(path: Path) -> str:
    return _render_document(*_shared, path)


def _advance(progress, name: str) -> None:
    if name:  # a part or section of the 制度汇编 is not a step of its own
        progress.advance(name)


def _render_document(project: Project, template: Path, path: Path) -> str:
    if path.suffix == compendium_word.SUFFIX:  # a section of the Word 制度汇编
        compendium_word.render_file(project, template, path)
        return ""
    elif path.parent.name == "compendium":  # a part of the 制度汇编's PDF
        part = next(p for p in chunks(list(compendium_order(project))) if p[0].id == path.stem)
        docx_compendium.render_part(project, part, template, path)
        return ""
    else:
        docx_renderer.render(project, project.regulation(path.stem), template, path)
    return path.name
