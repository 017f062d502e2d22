"""What keeps the site build from running the project's code or ending in a traceback.

The theme's Jinja environment (Material's templates and the project's overrides in
`theme.custom_dir`) is sandboxed like the page templates of templates/site/, and its
compiled templates are kept in Jinja's private per-user cache folder, never in the
build folder (a project could ship a forged one: Jinja unpickles and runs what it
finds there). Errors of a template, of the file system (a full disk, a read-only
folder) or of MkDocs become HandbookErrors naming the file, the line and the reason.
"""

from __future__ import annotations

import errno
import functools
import os
from pathlib import Path

import jinja2
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from ..errors import HandbookError, Location, Problem, display_path

_TEMPLATE_SUFFIXES = (".j2", ".html", ".xml", ".jinja", ".txt", ".js", ".css")


def theme_environment(theme, loader: jinja2.BaseLoader) -> SandboxedEnvironment:
    """The environment MkDocs' Theme.get_env makes, but sandboxed (see the module)."""
    from mkdocs import localization
    from mkdocs.utils import templates

    environment = SandboxedEnvironment(loader=loader, auto_reload=False,
                                       bytecode_cache=_bytecode_cache())
    environment.filters["url"] = templates.url_filter
    environment.filters["script_tag"] = templates.script_tag_filter
    localization.install_translations(environment, theme.locale, theme.dirs)
    return environment


@functools.cache
def _bytecode_cache() -> jinja2.FileSystemBytecodeCache:
    # no folder given: Jinja's own, in the temp folder, made 0700 and checked to be ours
    return jinja2.FileSystemBytecodeCache(pattern="__handbook_sandboxed_%s.cache")


def template_error(exc: BaseException, root: Path) -> HandbookError | None:
    """A located error for a mistake in a template, or None when exc is not one."""
    root = Path(root)
    if isinstance(exc, jinja2.TemplateSyntaxError) and exc.filename:
        where = Location(_shown(exc.filename, root), exc.lineno or 0)
        return _error(where, f"template syntax error: {exc.message}",
                      "check the {{ }}, {% %} and {% end… %} pairs near this line")
    if isinstance(exc, jinja2.TemplateNotFound):
        return _error(Location(_shown(root / "templates" / "site", root)),
                      f"template not found: {exc.name}", "restore the template (see "
                      "templates/site/ in the handbook's own repository)")
    frame = _template_frame(exc)
    if frame is None:
        return None
    where = Location(_shown(frame[0], root), frame[1])
    if isinstance(exc, SecurityError):
        return _error(where, f"refused by the template sandbox: {exc}",
                      "templates may use the values they are given, not Python internals")
    if isinstance(exc, jinja2.UndefinedError):
        return _error(where, f"template error: {exc.message}",
                      "check the spelling of the name; see the other templates for the "
                      "names each page gets")
    return _error(where, f"template error: {type(exc).__name__}: {exc}",
                  "check the expression on this line of the template")


def _template_frame(exc: BaseException) -> tuple[str, int] | None:
    """The innermost traceback entry that is a line of a template (Jinja rewrites
    tracebacks so that template lines appear as frames of the template's file)."""
    found = None
    tb = exc.__traceback__
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name.endswith(_TEMPLATE_SUFFIXES) and os.path.isfile(name):
            found = (name, tb.tb_lineno)
        tb = tb.tb_next
    return found


def os_error(exc: OSError, root: Path) -> HandbookError:
    """A clear error for a file-system failure during the site build."""
    reason = exc.strerror or str(exc)
    path = exc.filename2 or exc.filename  # a copy names its source first, its target second
    path = path if path is not None else "the build folder"
    hint = {errno.ENOSPC: "free some space on that disk, then build again",
            errno.EDQUOT: "free some space on that disk, then build again",
            errno.EROFS: "build into a writable folder (--out)",
            errno.EACCES: "make the folder writable, or build into another one (--out)",
            errno.EPERM: "make the folder writable, or build into another one (--out)",
            errno.ENOTDIR: "a file stands where a folder is needed: move it away",
            errno.EEXIST: "a file stands where a folder is needed: move it away",
            }.get(exc.errno or 0, "")
    hint = f"{hint}; the previous build is untouched" if hint else \
        "the previous build is untouched"
    where = Location(_shown(os.fspath(path), Path(root)))
    return HandbookError(f"the site could not be written: {reason}",
                         (Problem(where, f"cannot write: {reason}", hint),))


def mkdocs_error(exc: BaseException, messages: list[str]) -> HandbookError:
    """A clear error for anything else MkDocs (or a Markdown extension) raised."""
    details = "; ".join(messages[:5])
    return HandbookError(f"MkDocs failed: {type(exc).__name__}: {exc} {details}".strip())


def _error(where: Location, message: str, hint: str) -> HandbookError:
    return HandbookError(f"the site could not be built: a mistake in {where.file}",
                         (Problem(where, message, hint),))


def _shown(path: str | Path, root: Path) -> str:
    try:
        return Path(path).absolute().relative_to(Path(root).absolute()).as_posix()
    except ValueError:
        return display_path(Path(path), root)
