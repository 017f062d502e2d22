"""Running MkDocs for the handbook site: the docs folder the build owns, the site's shell
key, incremental (dirty) builds on a linked copy of the last site, and the theme's
sandboxed, cached templates."""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import shutil
from pathlib import Path

import jinja2
from mkdocs.plugins import BasePlugin

from ..errors import HandbookError
from ..outputs import code_version, link_if_changed, link_tree
from . import site_guard

GENERATED = "generated"
"""The folder of the docs folder that holds the pages made from the model."""
DOCS = "site-docs"
"""The docs folder MkDocs reads, kept in the build's cache folder under --out."""


def docs_folder(source: Path, cache: Path) -> Path:
    """The build's own docs folder under cache: the hand-written pages of source (the
    project's site/) linked in, stale ones removed; its generated/ is left to the pages.

    The build never writes into the project: a read-only checkout builds, and two builds
    of one checkout into two --out folders do not meet.
    """
    docs = cache / DOCS
    docs.mkdir(parents=True, exist_ok=True)
    wanted: set[str] = set()
    for folder, subfolders, names in os.walk(source, followlinks=True):
        if os.path.samefile(folder, source):  # an older build's pages: not the user's
            subfolders[:] = [d for d in subfolders if d != GENERATED]
            names = [n for n in names if n != GENERATED]
        for name in names:
            path = os.path.join(folder, name)
            relative = os.path.relpath(path, source)
            wanted.add(relative.replace(os.sep, "/"))
            link_if_changed(os.path.realpath(path), docs / relative)  # a link's target
    remove_stale(docs, docs, wanted, skip=GENERATED)
    return docs


def remove_stale(folder: Path, docs: Path, keep: set[str], skip: str | None = None) -> None:
    """Delete the files under folder whose docs path is not in keep (and folders left
    empty); the top-level folder named skip is left alone."""
    if not folder.is_dir():
        return
    top = os.fspath(folder)
    folders = []
    for current, subfolders, names in os.walk(top, topdown=True):
        if skip and current == top:
            subfolders[:] = [d for d in subfolders if d != skip]
        folders.append(current)
        for name in names:
            path = os.path.join(current, name)
            if docs_relative(path, docs) not in keep:
                os.unlink(path)
    for current in reversed(folders[1:]):
        if not os.listdir(current):
            os.rmdir(current)


def docs_relative(path: str, docs: Path) -> str:
    """path (a string under docs) as a docs path: generated/roles/x.md."""
    return path[len(os.fspath(docs)) + 1:].replace(os.sep, "/")


def shell_key(root: Path, docs: Path, nav: list[dict], config_key: str = "") -> str:
    """What every page of the site shows besides its own content: when it changes, the
    whole site is rendered again (navigation, the list of files, theme, configuration)."""
    from importlib.metadata import version

    digest = hashlib.sha256()
    digest.update(json.dumps(nav, ensure_ascii=False).encode())
    digest.update(f"{version('mkdocs')} {version('mkdocs-material')}".encode())
    digest.update(code_version().encode())
    digest.update(config_key.encode())  # mkdocs.yml, the files it inherits, its !ENV values
    files = [os.path.join(folder, name) for folder, _, names in os.walk(docs) for name in names]
    for name in sorted(docs_relative(path, docs) for path in files):
        digest.update(name.encode() + b"\0")
    for path in [root / "mkdocs.yml", *sorted((root / "templates" / "site").rglob("*"))]:
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()[:24]


class _Warnings(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


class _DirtyNotice(logging.Filter):
    """Drops MkDocs' warning about dirty builds: ours are safe, as the site's shell is
    checked before, and in strict mode the warning would abort the build."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "'dirty' build" not in record.getMessage()


def run(config, target: Path, nav: list[dict], previous: Path | None,
            cache: Path | None = None) -> int:
    """Run MkDocs with config (see mkdocs_config.load) into target; with `previous`, only
    for pages changed since that build.

    Returns the number of pages rendered. `cache` keeps the theme's compiled templates.
    """
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.exceptions import MkDocsException

    from .site_review import not_in_nav

    handler = _Warnings()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    dirty_filter = _DirtyNotice()
    logging.getLogger("mkdocs.commands.build").addFilter(dirty_filter)
    try:
        config["nav"] = nav
        config["not_in_nav"] = not_in_nav(config.get("not_in_nav"))
        snippets = config["mdx_configs"].get("pymdownx.snippets")
        if snippets is not None:  # relative to the project, not to where the command runs
            snippets["base_path"] = [str(Path(config["docs_dir"]).resolve())]
            snippets["restrict_base_path"] = True  # no file from outside the pages
            snippets["url_download"] = False
        _use_theme_cache(config, cache / "templates" if cache else None)
        dirty = _DirtyBuild(previous, target)
        config.plugins["handbook-dirty-build"] = dirty
        if previous is not None and not _take_copy(previous, target, cache):
            link_tree(previous, target)
        mkdocs_build(config, dirty=previous is not None)
        rendered = dirty.pages if previous is not None else \
            sum(1 for _ in target.rglob("index.html"))
    except MkDocsException as exc:
        details = "; ".join(handler.messages[:5])
        raise HandbookError(f"MkDocs failed: {exc} {details}".strip()) from None
    except (OSError, HandbookError):
        raise  # made into located errors by build()
    except Exception as exc:  # a template, a Markdown extension or the theme failed
        if site_guard.template_error(exc, Path.cwd()) is not None:
            raise
        raise site_guard.mkdocs_error(exc, handler.messages) from None
    finally:
        logger.removeHandler(handler)
        logging.getLogger("mkdocs.commands.build").removeFilter(dirty_filter)
    return rendered


_COPY = "site-copy"
_COPY_OF = ".handbook-copy-of"


def prepare_copy(site: Path, cache: Path) -> None:
    """Hard-link the built site into cache, for the next build to start from.

    An incremental build starts from a linked copy of the last site. At 1,000
    regulations that is 1,300 folders and half a second; `handbook watch` makes the
    copy while it waits for the next save, not after it.
    """
    copy, scratch = cache / _COPY, cache / f"{_COPY}.tmp"
    for old in (copy, scratch):
        if old.exists():
            shutil.rmtree(old)
    if not site.is_dir():
        return
    made_from = _identity(site)
    link_tree(site, scratch)
    (scratch / _COPY_OF).write_text(made_from, encoding="utf-8")
    scratch.rename(copy)


def _identity(folder: Path) -> str:
    # a build swaps in a new folder (a new inode, a new change time) rather than editing it
    stat = os.stat(folder)
    return f"{stat.st_ino} {stat.st_ctime_ns}"


def _take_copy(previous: Path, target: Path, cache: Path | None) -> bool:
    """Move the copy of previous made by prepare_copy to target, when there is one."""
    copy = cache / _COPY if cache else None
    if copy is None or not (copy / _COPY_OF).exists():
        return False
    if (copy / _COPY_OF).read_text(encoding="utf-8") != _identity(previous):
        return False
    copy.rename(target)
    (target / _COPY_OF).unlink()
    return True


def _use_theme_cache(config, folder: Path | None) -> None:
    """Make the theme's Jinja environment sandboxed, keep compiled templates (in Jinja's
    private folder, not in `folder` under --out: see site_guard) and list the installed
    theme's files once per process.

    MkDocs makes a new environment for every build, which compiles the theme's templates
    again and walks Material's 14,000 icon files; in `handbook watch` that was a third of
    a one-page rebuild. The bytecode cache checks each template's source, so an edited
    override is compiled again. Relies on mkdocs.commands.build asking
    `config.theme.get_env()` for the environment (checked in tests/test_adapters.py).
    """
    theme = config.theme

    def get_env() -> jinja2.Environment:
        loader = _ThemeLoader(theme.dirs, "utf-8", False, theme.custom_dir)
        return site_guard.theme_environment(theme, loader)

    theme.get_env = get_env


class _ThemeLoader(jinja2.FileSystemLoader):
    """A FileSystemLoader that lists the installed theme's folders once (they do not
    change while we run) and the project's own overrides (custom_dir) every time."""

    def __init__(self, searchpath, encoding: str, followlinks: bool,
                 custom_dir: str | None) -> None:
        super().__init__(searchpath, encoding, followlinks)
        self.custom_dir = custom_dir

    def list_templates(self) -> list[str]:
        """Every template name, without hidden files: MkDocs leaves those out anyway, and
        Material's 14,000 icons are all in hidden folders."""
        found: set[str] = set()
        for path in self.searchpath:
            if path == self.custom_dir:
                found.update(_listing.__wrapped__(path, self.followlinks))
            else:
                found.update(_listing(path, self.followlinks))
        return sorted(found)


@functools.lru_cache(maxsize=16)
def _listing(path: str, followlinks: bool) -> tuple[str, ...]:
    names = jinja2.FileSystemLoader(path, followlinks=followlinks).list_templates()
    return tuple(n for n in names if not n.startswith(".") and "/." not in n)


class _DirtyBuild(BasePlugin):
    """Readies a dirty build once MkDocs has listed the files: unlinks what it will write
    again, and counts the pages it will render.

    The previous site is hard-linked into the new one. MkDocs rewrites a file in place,
    so unlinking first keeps the previous site (which shares the files) intact if this
    build fails.
    """

    def __init__(self, previous: Path | None, target: Path) -> None:
        super().__init__()
        self.previous, self.target = previous, target
        self.pages = 0

    def on_files(self, files, config):
        if self.previous is None:
            return files
        previous_home = os.path.join(self.previous, "index.html")
        home_time = os.stat(previous_home).st_mtime if os.path.exists(previous_home) else None
        docs = config["docs_dir"]
        snippets_changed = any(
            home_time is None or os.stat(os.path.join(docs, file.src_uri)).st_mtime > home_time
            for file in files if file.src_uri.startswith(f"{GENERATED}/snippets/"))
        for file in files:  # snippets are included into the hand-written pages
            handwritten = not file.src_uri.startswith(f"{GENERATED}/")
            stale = file.is_modified() or (snippets_changed and handwritten and
                                           file.is_documentation_page())
            if stale and os.path.exists(file.abs_dest_path):
                os.unlink(file.abs_dest_path)
            self.pages += stale and file.is_documentation_page() and \
                not file.inclusion.is_excluded()
        for name in ("404.html", "sitemap.xml", "sitemap.xml.gz"):
            (self.target / name).unlink(missing_ok=True)
        return files
