"""The `handbook` command line: parses flags, calls the library, prints problems.

Every command takes --root (the folder holding regulations/, templates/,
mkdocs.yml) and --out (the build folder). User mistakes end with exit code 2
and one `file:line:col: …` line per problem, never a traceback.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import gc
import json
import sys
from pathlib import Path

import click

from . import __version__, build, cli_new, cli_review, cli_revisions, files, listing, schema_json
from .cli_common import GC_THRESHOLDS
from .cli_common import OUT_HELP as _OUT_HELP
from .cli_common import ROOT_HELP as _ROOT_HELP
from .cli_common import absolute as _absolute
from .cli_common import handles_errors as _handles_errors
from .cli_common import load as _load
from .cli_common import project_options as _project_options
from .cli_common import project_path as _project_path
from .errors import HandbookError, NotFound, report_lines
from .load import load_project
from .render import text as text_renderer


class _RichProgress(build.Progress):
    """The build's steps as a rich progress bar on stderr."""

    def __init__(self, bar) -> None:
        self.bar = bar
        self.task = bar.add_task("building", total=None)

    def start(self, total: int) -> None:
        self.bar.update(self.task, total=total, completed=0)

    def advance(self, label: str) -> None:
        self.bar.update(self.task, advance=1, description=label[:40])


@contextlib.contextmanager
def _progress_bar(enabled: bool):
    """A progress bar while a long build runs on a terminal; nothing otherwise."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    console = Console(stderr=True)
    if not enabled or not console.is_terminal:
        yield None
        return
    columns = (TextColumn("{task.description:<40}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        yield _RichProgress(bar)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="handbook")
@click.option("--root", "root", default=None, type=click.Path(file_okay=False, path_type=Path),
              help=_ROOT_HELP + " May also follow the command.")
@click.option("--out", "out", default=None, type=click.Path(file_okay=False, path_type=Path),
              help=_OUT_HELP + " May also follow the command.")
def cli(root: Path | None, out: Path | None) -> None:
    """Policy-as-code for company regulations: YAML in, Word, forms and a handbook site out."""


@cli.command()
@_project_options
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--fix", is_flag=True, help="First delete numbering typed at the start of "
              "texts (第八条, （一）, 1. …): it is computed.")
@_handles_errors
def check(root: Path, out: Path, strict: bool, fix: bool) -> None:
    """Validate every YAML file and report all problems with file:line:col.

    With --fix, first mend what the tool can (numbering typed at the start of a text)."""
    if fix:
        from . import fixes
        from .errors import ProjectInvalid

        try:
            found = load_project(root).warnings
        except ProjectInvalid as exc:
            found = exc.problems
        for line in fixes.apply(root, found):
            click.echo(line)
    project = _load(root)
    warnings = len(project.warnings) + cli_review.report_overdue(project)
    if strict and warnings:
        click.echo(f"Error: {warnings} warning{'s' * (warnings != 1)} (--strict)", err=True)
        sys.exit(2)
    click.echo(f"OK: {len(project.regulations)} regulations, "
               f"{sum(r.article_count for r in project.regulations)} articles, "
               f"{len(project.forms)} forms, {len(project.roles)} roles, "
               f"{warnings} warning{'s' * (warnings != 1)}")


@cli.command(name="list")
@click.argument("kind", type=click.Choice(listing.KINDS), default="regulations")
@_project_options
@click.option("--json", "as_json", is_flag=True,
              help="Print every kind, with built outputs, as one JSON object.")
@_handles_errors
def list_command(kind: str, root: Path, out: Path, as_json: bool) -> None:
    """List regulations (default), forms, roles or departments as a table."""
    project = _load(root, quiet_warnings=True)  # check and build say them
    if project.warnings and not as_json:
        count = len(project.warnings)
        click.echo(f"{count} warning{'s' * (count != 1)}: see `handbook check`", err=True)
    if as_json:
        click.echo(json.dumps(listing.as_dict(project, out), ensure_ascii=False, indent=2))
        return
    for line in listing.as_lines(project, kind):
        click.echo(line)


@cli.command()
@click.argument("regulation_id")
@_project_options
@_handles_errors
def show(regulation_id: str, root: Path, out: Path) -> None:
    """Print a regulation as numbered plain text, to check numbering by eye."""
    project = _load(root, quiet_warnings=True)
    if regulation_id not in project.regulation_index:
        known = ", ".join(sorted(project.regulation_index))
        raise NotFound(f"no regulation `{regulation_id}` (known: {known})")
    click.echo(text_renderer.render(project, project.regulation(regulation_id)), nl=False)


@cli.command(name="schema")
@_project_options
@click.option("--check", "check_only", is_flag=True,
              help="Only verify that regulations/schema.json is up to date.")
@_handles_errors
def schema_command(root: Path, out: Path, check_only: bool) -> None:
    """Write the JSON Schema of the YAML files to regulations/schema.json."""
    target = root / "regulations" / "schema.json"
    text = schema_json.json_schema_text()
    if check_only:
        current = target.read_text(encoding="utf-8") if target.exists() else ""
        if current != text:
            raise HandbookError(f"{target} is out of date: run `handbook schema`")
        click.echo(f"{target} is up to date")
        return
    with files.reported(target):
        files.write_text(target, text)
    click.echo(f"wrote {target}")


@cli.command(name="build")
@click.argument("targets", nargs=-1, type=click.Choice(build.TARGETS))
@_project_options
@click.option("--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="Build the handbook as it stood on this day (YYYY-MM-DD).")
@click.option("--force", is_flag=True, help="Rebuild every output, ignoring the build cache.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON summary (for CI).")
@click.option("--quiet", is_flag=True, help="Print nothing but errors.")
@click.option("--include-drafts", is_flag=True,
              help="Bind the drafts into the 制度汇编 too, marked （草案）.")
@_handles_errors
def build_command(targets: tuple[str, ...], root: Path, out: Path, as_of, force: bool,
                  as_json: bool, quiet: bool, include_drafts: bool) -> None:
    """Build outputs into --out: text, docx (with 制度汇编.docx), pdf; default all.

    Each target's folder is replaced only when the whole build succeeded.
    """
    from . import uptodate
    from .session import for_build

    options = {"as_of": as_of.date().isoformat() if as_of else None,
               "include_drafts": include_drafts}
    print_ = None if force else uptodate.fingerprint(root, targets, options)
    if _nothing_changed(out, print_, as_json, quiet):
        return
    session = for_build(out, repeated=False)
    project = _load(root, session=session)
    notices = []
    if as_of is not None:
        from . import point_in_time

        whole, project = project, point_in_time.as_of(project, as_of.date())
        notices.append(point_in_time.summary(whole, project, as_of.date()))
    if include_drafts:
        project = dataclasses.replace(project, compendium_drafts=True)
    if not (root / "mkdocs.yml").exists():
        if "site" in targets:
            raise HandbookError(f"no mkdocs.yml in {root}: the site cannot be built")
        if not targets:
            notices.append(f"site skipped: no mkdocs.yml in {root}")
            targets = tuple(t for t in build.TARGETS if t != "site")
    with _progress_bar(enabled=not (quiet or as_json)) as progress:
        result = build.build(project, root, out, targets or build.TARGETS, force=force,
                             progress=progress, session=session)
    _stamp(out, print_, {"files": len(result.written),
                         "outputs": len(result.rebuilt) + result.reused,
                         "notices": notices + result.notices,
                         "warnings": report_lines(project.warnings)})
    _report(out, result, notices, as_json, quiet)


def _report(out: Path, result: build.BuildResult, notices: list[str], as_json: bool,
            quiet: bool) -> None:
    """Print what a build did: JSON for CI, or the outputs rebuilt and why."""
    if as_json:
        click.echo(json.dumps({"out": str(out), "files": len(result.written),
                               "rebuilt": result.rebuilt, "reused": result.reused,
                               "notices": notices + result.notices}, ensure_ascii=False))
        return
    if quiet:
        return
    for notice in notices + result.notices:
        click.echo(f"notice: {notice}", err=True)
    shown = list(result.rebuilt.items())
    for name, why in shown[:12]:
        click.echo(f"  rebuilt {name} ({why})")
    if len(shown) > 12:
        click.echo(f"  … and {len(shown) - 12} more")
    click.echo(f"Built {len(result.written)} files into {out} "
               f"({len(result.rebuilt)} rebuilt, {result.reused} unchanged)")


def _nothing_changed(out: Path, print_: str | None, as_json: bool, quiet: bool) -> bool:
    """When nothing a build reads changed since the last complete build into out (see
    uptodate.py), say so as that build would have, and return True."""
    from . import atomic, uptodate

    if print_ is None or not (out / uptodate.STAMP).is_file():
        return False
    try:
        with atomic.lock(atomic.own_path(out)):
            summary = uptodate.unchanged(out, print_)
    except OSError:  # a folder that cannot be locked: the build says why
        return False
    if summary is None:
        return False
    for line in summary["warnings"]:
        click.echo(line, err=True)
    if as_json:
        click.echo(json.dumps({"out": str(out), "files": summary["files"], "rebuilt": {},
                               "reused": summary["outputs"], "notices": summary["notices"]},
                              ensure_ascii=False))
    elif not quiet:
        for notice in summary["notices"]:
            click.echo(f"notice: {notice}", err=True)
        click.echo(f"Nothing changed: {summary['files']} files in {out} "
                   f"(0 rebuilt, {summary['outputs']} unchanged)")
    return True


def _stamp(out: Path, print_: str | None, summary: dict) -> None:
    """Stamp the build just made into out for the next one (unless a build started since)."""
    from . import atomic, uptodate

    with contextlib.suppress(build.BuildBusy, OSError), atomic.lock(atomic.own_path(out)):
        uptodate.record(out, print_, summary)


@cli.command(name="import")
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path), callback=_absolute)
@click.option("--root", "root", default=None,
              type=click.Path(file_okay=False, path_type=Path), callback=_project_path,
              help="Project folder; its org.yaml and forms are used to link names.  "
                   "[default: .]")
@click.option("--out", "out", default=None, type=click.Path(path_type=Path), callback=_absolute,
              help="Where to write: a .yaml file, or a folder with --split "
                   "[default: regulations/<id>.yaml under --root].")
@click.option("--id", "regulation_id", help="Id of the imported regulation.")
@click.option("--split", is_flag=True, help="The file holds several regulations: one YAML each.")
@click.option("--simplify", is_flag=True, help="Convert traditional characters to simplified.")
@click.option("--encoding", help="Encoding of a text file (default: detect UTF-8 / GB18030).")
@click.option("--force", is_flag=True, help="Overwrite existing files.")
@click.option("--dry-run", is_flag=True, help="Print the summary only; write nothing.")
@click.option("--update", "update_id", metavar="ID",
              help="The .docx is regulation ID edited in Word: rewrite its YAML with the "
                   "edits (ids, references, notes and comments kept).")
@_handles_errors
def import_command(source: Path, root: Path, out: Path | None, regulation_id: str | None,
                   split: bool, simplify: bool, encoding: str | None, force: bool,
                   dry_run: bool, update_id: str | None) -> None:
    """Import a regulation from .txt, .md or .docx into regulations/ as YAML.

    With --update ID, take back a Word file of regulation ID that someone edited:
    prints the 新旧条文对照表 of the edits and the Word file's comments, then rewrites
    regulations/ID.yaml (not with --dry-run).
    """
    if update_id is not None:
        _import_update(source, root, update_id, dry_run,
                       regulation_id or out or split or force or simplify or encoding)
        return
    from .importer import convert

    try:
        project = load_project(root)
    except HandbookError:
        project = None
        click.echo("warning: the project does not load (run `handbook check`); "
                   "names are not linked", err=True)
    options = convert.Options(regulation_id, out, split, simplify, encoding, force)
    results = convert.import_file(source, root, options, project)
    if not dry_run:
        convert.write_all(results, force)
    for result in results:
        counts = result.counts
        verb = "would write" if dry_run else "wrote"
        click.echo(f"{verb} {result.path}: {result.title} — {counts['chapters']} chapters, "
                   f"{counts['articles']} articles, {counts['items']} items, "
                   f"{len(result.warnings)} warnings")
        for warning in result.warnings:
            click.echo(f"  warning: {warning}")


def _import_update(source: Path, root: Path, update_id: str, dry_run: bool,
                   other_options) -> None:
    """handbook import EDITED.docx --update ID: print what changes, then write it."""
    from .importer import update
    from .render import diff_text

    if other_options:
        raise HandbookError("--update takes no --id, --out, --split, --force, --simplify or "
                            "--encoding (hint: only --dry-run and --root go with it)")
    planned = update.plan(source, root, update_id, _load(root, quiet_warnings=True))
    click.echo(diff_text.render([planned.diff] if planned.diff.rows else []), nl=False)
    counts = planned.matched
    click.echo(f"matched {counts['bookmark']} articles by bookmark and {counts['similar']} by "
               f"similar text; {counts['new']} new, {counts['deleted']} deleted")
    if planned.comments:
        click.echo(f"Word comments ({len(planned.comments)}), not taken into the text:")
        for comment in planned.comments:
            click.echo(f"  {comment}")
    for warning in planned.warnings:
        click.echo(f"warning: {warning}")
    path = planned.path.relative_to(root) if planned.path.is_relative_to(root) else planned.path
    if not planned.changed:
        click.echo(f"{path} already says this: nothing to write")
    elif dry_run:
        click.echo(f"would write {path} (--dry-run: nothing written)")
    else:
        update.write(planned)
        click.echo(f"wrote {path}; next: `handbook diff` to review, then "
                   f"`handbook revise {update_id} --summary \"…\"`")


@cli.command()
@click.argument("form_id")
@click.argument("values", required=False, type=click.Path(dir_okay=False, path_type=Path),
                callback=_absolute)
@click.option("--template", "template", is_flag=True,
              help="Write a values file to fill in (to VALUES, or print it).")
@click.option("--partial", is_flag=True,
              help="Allow required fields to stay blank, to be completed by hand.")
@_project_options
@_handles_errors
def fill(form_id: str, values: Path | None, template: bool, partial: bool, root: Path,
         out: Path) -> None:
    """Write FORM pre-filled with the field values in a YAML file, as .docx and .pdf.

    The files go to --out/filled/<form>-<values file name>.docx and .pdf. With
    --template, write the values file to fill in instead: every field with its label,
    kind, options and whether it is required.
    """
    from . import fill as filling
    from .render import forms_docx, forms_pdf

    project = _load(root, quiet_warnings=True)
    if form_id not in project.form_index:
        known = ", ".join(sorted(project.form_index))
        raise NotFound(f"no form `{form_id}` (known: {known})")
    form = project.form_index[form_id]
    if template:
        from . import fill_template

        written = fill_template.write(form, values)
        click.echo(f"wrote {values}" if written else fill_template.render(form), nl=written)
        return
    if values is None:
        raise HandbookError("give the values file (or --template to write one)")
    data = filling.read_values(project, form, values, str(values), partial=partial)
    target = out / "filled" / f"{form_id}-{values.stem}"
    docx_path, pdf_path = target.with_suffix(".docx"), target.with_suffix(".pdf")
    with files.reported(target.parent), files.replacing(docx_path) as docx_temporary, \
            files.replacing(pdf_path) as pdf_temporary:  # both files or neither
        forms_docx.render(project, form, forms_docx.template_for(root), docx_temporary, data)
        font = forms_pdf.font_for(project, [form], data)
        if font.notice:
            click.echo(f"notice: {font.notice}", err=True)
        forms_pdf.render(project, form, pdf_temporary, data, font=font)
    click.echo(f"wrote {docx_path}")
    click.echo(f"wrote {pdf_path}")


@cli.command()
@_project_options
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="Port on 127.0.0.1 (0: any free port).")
@click.option("--no-watch", is_flag=True, help="Serve without rebuilding on changes.")
@click.option("--verbose", is_flag=True, help="Also print a line for every page served.")
@_handles_errors
def serve(root: Path, out: Path, port: int, no_watch: bool, verbose: bool) -> None:
    """Build the site, serve --out/site on 127.0.0.1 and rebuild when a source file is saved.

    Open pages reload themselves after each rebuild. A YAML mistake is printed with
    file:line:col and shown in the open pages; the last good site stays served.
    """
    from . import serving

    serving.serve(root, out, port, watch=not no_watch, echo=click.echo, verbose=verbose)


@cli.command()
@click.argument("targets", nargs=-1, type=click.Choice(build.TARGETS))
@_project_options
@_handles_errors
def watch(targets: tuple[str, ...], root: Path, out: Path) -> None:
    """Build, then rebuild whenever a file under regulations/, templates/ or site/ is saved.

    Word documents, forms and site pages come first, PDFs after them. A YAML mistake
    is printed with file:line:col; the watcher keeps running and the last good build
    stays in --out (and is what `handbook serve` shows). Stop with Ctrl+C.
    """
    from . import serving

    watcher = serving.Watcher(root, out, targets, functools.partial(click.echo, err=False))
    watcher.first_build()
    click.echo(f"watching {root.resolve()} (Ctrl+C to stop)")
    with contextlib.suppress(KeyboardInterrupt):
        watcher.run()


cli_new.register(cli)
cli_review.register(cli)
for _command in cli_revisions.COMMANDS:
    cli.add_command(_command)


def main() -> None:
    """Console-script entry point."""
    gc.set_threshold(*GC_THRESHOLDS)
    cli(prog_name="handbook")
