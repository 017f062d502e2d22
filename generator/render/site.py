"""The handbook site: Markdown pages from the model into site/generated/, then MkDocs.

This module runs the site's build: downloads, pages (site_pages.py), search index,
MkDocs (site_mkdocs.py).

Hand-written pages live in site/ (index.md, assets/); everything this module writes
goes to site/generated/ (regulations, roles, forms, org chart, downloads, search
index), which is recreated on every build. Page layout is in templates/site/*.j2;
this module computes what goes into them. Every value from YAML goes through
escaping.py: HTML in a regulation shows as text, Markdown characters stay literal, and
navigation titles and front matter are escaped for where they land.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .. import confine
from ..history import NO_HISTORY, History
from ..memo import write_if_changed
from ..model import Project
from ..outputs import link_if_changed
from ..session import BuildSession
from . import mkdocs_config, search_answers, search_shards, site_guard, site_mkdocs
from .escaping import html_text
from .site_diagrams import Diagrams
from .site_mkdocs import GENERATED
from .site_pages import write_pages

SEARCH_STORE = "search-index.pickle"
"""The file under the build's cache that keeps what the search index is made from
(search_store.py)."""
DOWNLOAD_KINDS = ("docx", "pdf", "forms")


@dataclass
class Downloads:
    """The documents and forms the site offers: those in the build's `outputs` folder
    (docx/, pdf/, forms/), and those a conversion still running will add there (`pending`
    names, by kind); `ready` waits for it to end (before the files are linked)."""

    outputs: Path
    pending: Mapping[str, Sequence[str]] = field(default_factory=dict)
    ready: Callable[[], None] = lambda: None


@dataclass
class SiteResult:
    """Notices of a site build (e.g. diagrams skipped), its shell key, pages rendered."""

    notices: list[str]
    shell: str = ""
    rendered: int = 0
    deferred: list[str] = field(default_factory=list)


def build(project: Project, root: Path, target: Path, outputs: Downloads,
          previous: Path | None = None, previous_shell: str | None = None,
          cache: Path | None = None, search_key: str | None = None,
          defer_search: bool = False, history: History = NO_HISTORY,
          session: BuildSession | None = None,
          digests: Mapping[str, str] | None = None, force: bool = False) -> SiteResult:
    """Generate pages and downloads into the build's docs folder, then run MkDocs into
    target. `history` holds what each recorded revision changed; `session` what the
    previous builds of this process made.

    outputs are this build's documents and forms: the pages link to them, MkDocs runs
    while the pending ones are made, and the files are linked into the site once
    `outputs.ready()` returns. When `previous` (the last good site)
    was built with the same shell (navigation, file list, theme, mkdocs.yml and
    generator), it is linked into target and only the pages whose Markdown changed are
    rendered again; otherwise MkDocs renders every page. `cache` keeps diagram SVGs, and
    pages by their inputs when each regulation's content digest is given (`digests`).
    The search index is made again only when `search_key` (what it is made from)
    differs from the one stamped beside it; with `defer_search` an out-of-date index is
    left for a later build and listed in `deferred`. What the index is made from is kept
    in `cache` (SEARCH_STORE), so that only what changed is made again (`force`: from
    scratch).
    """
    try:
        return _build(project, root, target, outputs, previous, previous_shell, cache,
                      search_key, defer_search, history, session, digests, force)
    except Exception as exc:
        located = site_guard.template_error(exc, root)  # templates/site/*.j2, overrides
        if located is not None:
            raise located from None
        if isinstance(exc, OSError):  # a full disk, a read-only folder, a file for a folder
            raise site_guard.os_error(exc, root) from None
        raise


def _build(project: Project, root: Path, target: Path, outputs: Downloads,
           previous: Path | None, previous_shell: str | None, cache: Path | None,
           search_key: str | None, defer_search: bool, history: History,
           session: BuildSession | None, digests: Mapping[str, str] | None,
           force: bool) -> SiteResult:
    root = Path(root)
    cache = cache or target.parent / ".cache"
    confine.check(root, ["mkdocs.yml", "site", "templates"])
    loaded = mkdocs_config.load(root, {"site_dir": str(target), "strict": True})
    confine.check(root, [loaded.config["docs_dir"], loaded.config.theme.custom_dir or "site"])
    docs = site_mkdocs.docs_folder(Path(loaded.config["docs_dir"]), cache)
    loaded.config["docs_dir"] = str(docs)
    generated = docs / GENERATED
    diagrams = Diagrams(cache / "diagrams")
    downloads, download_files = _download_names(outputs)
    pages, nav = write_pages(project, root, docs, downloads, diagrams, history, session,
                             digests, cache / "pages")
    keep = set(pages) | set(download_files)
    deferred = _search_index(project, docs, search_key, defer_search, keep,
                             (cache / SEARCH_STORE, not force))
    _link_downloads(outputs.outputs, generated / "downloads")
    _stand_ins(generated / "downloads", outputs.pending)
    site_mkdocs.remove_stale(generated, docs, keep)
    footer = _footer(project)
    loaded.config["copyright"] = html_text(footer)  # Material prints it as HTML
    loaded.config["extra"]["generator"] = False  # no "Made with Material for MkDocs"
    shell = site_mkdocs.shell_key(root, docs, nav, loaded.key + footer)
    incremental = previous is not None and previous.is_dir() and shell == previous_shell
    rendered = site_mkdocs.run(loaded.config, target, nav, previous if incremental else None,
                               cache)
    outputs.ready()
    if outputs.pending:  # the files made meanwhile (and Word files given their pages) go in
        _link_downloads(outputs.outputs, generated / "downloads")
        _link_downloads(outputs.outputs, target / GENERATED / "downloads")
    return SiteResult(diagrams.notices, shell, rendered, deferred)


def _footer(project: Project) -> str:
    """The line at the foot of every page: the company, and how current the rules are
    (the latest effective or revision date: it changes when the content does, not daily)."""
    dates = [r.effective for r in project.regulations] + \
        [rev.date for r in project.regulations for rev in r.revisions]
    latest = f" · 内容更新至 {max(dates).isoformat()}" if dates else ""
    return f"{project.company.name} · 管理制度手册{latest}"


def _search_index(project: Project, docs: Path, search_key: str | None, defer: bool,
                  keep: set[str], store: tuple[Path, bool]) -> list[str]:
    """Write the search index unless the one there was made from search_key (with
    `defer`, leave an out-of-date one for a later build); return what was deferred.
    store: the file that keeps what the index is made from, and whether to trust it."""
    index = docs / GENERATED / "search" / "index.json"
    answers = index.with_name("answers.json")
    stamp = index.with_name(".made-from")  # dot files are not published by MkDocs
    current = search_key is not None and index.exists() and stamp.exists() and \
        stamp.read_text(encoding="utf-8") == search_key
    if not current and defer and index.exists():
        current = True  # left for a later build
        deferred = ["site search index"]
    else:
        deferred = []
    if not current:
        search_shards.write(project, index.parent, *store)  # the first part, then the rest
        write_if_changed(answers, search_answers.render(project))
        if search_key is not None:
            stamp.write_text(search_key, encoding="utf-8")
        else:
            stamp.unlink(missing_ok=True)
    keep.update(path.relative_to(docs).as_posix() for path in index.parent.rglob("*")
                if path.is_file())
    return deferred


def _download_names(outputs: Downloads) -> tuple[dict[str, dict[str, str]], list[str]]:
    """The downloads' links by kind and name, and their files under the docs folder."""
    found: dict[str, dict[str, str]] = {}
    files: list[str] = []
    for kind in DOWNLOAD_KINDS:
        source = os.path.join(outputs.outputs, kind)
        names = set(os.listdir(source)) if os.path.isdir(source) else set()
        for name in sorted(names.union(outputs.pending.get(kind, ()))):
            key = name.rsplit(".", 1)[0] if kind != "forms" else name
            found.setdefault(kind, {})[key] = f"downloads/{kind}/{name}"
            files.append(f"{GENERATED}/downloads/{kind}/{name}")
    return found, files


def _stand_ins(target: Path, pending: Mapping[str, Sequence[str]]) -> None:
    """An empty file under target for each download still being made that has no file
    there yet: MkDocs, which runs meanwhile, finds every file the pages link to; the real
    files replace them when they are done."""
    for kind, names in pending.items():
        for name in names:
            path = target / kind / name
            if not path.exists():
                path.parent.mkdir(parents=True, exist_ok=True)
                path.touch()


def _link_downloads(outputs: Path, target: Path) -> None:
    """Hard-link (or copy) the documents and forms of this build under target."""
    for kind in DOWNLOAD_KINDS:
        source = os.path.join(outputs, kind)
        if not os.path.isdir(source):
            continue
        folder = os.path.join(target, kind)
        os.makedirs(folder, exist_ok=True)
        for name in sorted(os.listdir(source)):
            link_if_changed(os.path.join(source, name), os.path.join(folder, name))
