"""What every `handbook` command shares: --root and --out (before or after the command's
name), absolute paths, problems printed as `file:line:col` lines and exit code 2."""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path

import click

from .errors import HandbookError, Problem, report_lines
from .load import load_project

GC_THRESHOLDS = (50_000, 20, 100)
"""Python's cycle collector runs after 50,000 new objects instead of 700 (Python's
default), and walks every object far less often: a build holds hundreds of thousands of
long-lived, acyclic model objects, which the default settings walked in full eight times in
one rebuild after a one-article edit at 1,000 regulations (1.6 s of 9.5 s, the result and the
peak memory unchanged when collecting less; see docs/performance.md)."""



def absolute(context, parameter, value: Path | None) -> Path | None:
    """A path option made absolute where the command starts (symbolic links kept: the
    build folder is one), so no later step reads it relative to another folder."""
    return None if value is None else Path(os.path.abspath(value))


def folder_absolute(context, parameter, value: str | None) -> str | None:
    """A version given as a folder made absolute; a git revision left as typed."""
    return os.path.abspath(value) if value and os.path.isdir(value) else value


_PROJECT_DEFAULTS = {"root": ".", "out": "build"}


def project_path(context, parameter, value: Path | None) -> Path:
    """--root or --out given after the command, else before it (`handbook --root X build`),
    else its default; made absolute like every path option."""
    if value is None:
        value = context.find_root().params.get(parameter.name) or \
            Path(_PROJECT_DEFAULTS[parameter.name])
    return absolute(context, parameter, value)


ROOT_HELP = "Project folder holding regulations/, templates/, mkdocs.yml.  [default: .]"
OUT_HELP = "Folder the outputs are written to.  [default: build]"


def project_options(command):
    """Add --root and --out to a command and pass them on as absolute Paths."""
    command = click.option("--out", "out", default=None, callback=project_path,
                           type=click.Path(file_okay=False, path_type=Path),
                           help=OUT_HELP)(command)
    return click.option("--root", "root", default=None, callback=project_path,
                        type=click.Path(file_okay=False, path_type=Path),
                        help=ROOT_HELP)(command)


def print_problems(problems: tuple[Problem, ...] | list[Problem]) -> None:
    """Print the problems on stderr, one `file:line:col: …` line each (a warning
    repeated in one file once, with its other places), in file order."""
    for line in report_lines(problems):
        click.echo(line, err=True)


def handles_errors(function):
    """Turn HandbookError into printed problems and exit code 2."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except HandbookError as exc:
            print_problems(exc.problems)
            click.echo(f"Error: {exc}", err=True)
            sys.exit(exc.exit_code)

    return wrapper


def load(root: Path, quiet_warnings: bool = False, session=None):
    """The project at root (loaded in session, when given), its warnings printed unless
    quiet_warnings."""
    project = load_project(root, session)
    if project.warnings and not quiet_warnings:
        print_problems(project.warnings)
    return project
