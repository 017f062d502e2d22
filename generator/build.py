"""Build the outputs of a project into the build folder, replacing them only on success.

The outputs themselves (what each is made from, how it is rendered) are in targets.py;
the content keys and the cache of the last build in build_cache.py.
"""

from __future__ import annotations

import gc
import os
import shutil
import sys
import traceback
from pathlib import Path

from . import atomic
from .atomic import BuildBusy
from .build_cache import BuildCache, BuildResult
from .build_job import Job, Progress
from .errors import HandbookError
from .model import Project
from .session import PARSES_DIR, BuildSession
from .targets import TARGETS, render_all, steps
from .uptodate import STAMP

__all__ = ["TARGETS", "BuildBusy", "BuildResult", "Progress", "build", "discard",
           "prepare_next"]

def build(project: Project, root: Path, out: Path, targets: tuple[str, ...] = TARGETS,
          force: bool = False, progress: Progress | None = None,
          defer: bool = False, session: BuildSession | None = None) -> BuildResult:
    """Render the targets into a new generation, then make it `out` in one rename.

    Outputs whose inputs did not change since the last build are reused (`force`
    rebuilds all). A failing build (a failed PDF conversion, a full disk) leaves the
    previous `out` untouched; a second build into the same `out` while one runs is
    refused (BuildBusy). With `defer`, the outputs that gather every regulation
    (制度汇编, the site's search index, handbook.json) keep their last version when out
    of date and are listed in `deferred`, for a later build (the watcher's second pass)
    to bring up to date; the previous generation is then left in `replaced`. `session`
    (the one the project was loaded with) is what this process remembers between builds;
    its parses are kept in the new generation for the next process.
    """
    session = session or BuildSession()
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
    progress.start(steps(project, targets))
    try:
        with atomic.terminate_as_exit(), atomic.lock(out):
            result, staging = _build_generation(project, root, out, targets, force, progress,
                                                defer, session)
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
                      force: bool, progress: Progress, defer: bool,
                      session: BuildSession) -> tuple[BuildResult, Path]:
    """Build into a new generation and publish it (under the lock); return the result and
    the generation's folder."""
    previous = atomic.prepare(out)
    staging = atomic.new_staging(out)
    _move(previous, staging, ".cache")  # the caches go on with the new build
    (staging / STAMP).unlink(missing_ok=True)  # what it was built from: the caller stamps
    try:
        result = BuildResult()
        cache = BuildCache(out, staging, force, result)
        render_all(Job(project, root, staging, cache, progress, targets, defer, session))
        cache.save(targets)
        session.parses.save(staging / PARSES_DIR)
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
