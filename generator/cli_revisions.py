"""The commands of versions over time: `handbook diff` (新旧条文对照表), `handbook revise`
and `handbook publish` (the issuance notice)."""

from __future__ import annotations

from pathlib import Path

import click

from . import files
from .cli_common import folder_absolute, handles_errors, load, project_options


@click.command()
@click.argument("old", required=False, callback=folder_absolute)
@click.argument("new", required=False, callback=folder_absolute)
@click.option("--format", "output_format", type=click.Choice(["files", "text"]),
              default="files", show_default=True,
              help="files: .docx and .html tables under --out/diff; text: print them.")
@project_options
@handles_errors
def diff(old: str | None, new: str | None, output_format: str, root: Path, out: Path) -> None:
    """Compare two versions: 新旧条文对照表 for every regulation that changed.

    OLD and NEW are git revisions of the project or folders holding regulations/;
    by default OLD is HEAD and NEW the working tree.
    """
    from . import diff as diffing
    from .render import diff_docx, diff_html, diff_text
    from .render.docx import template_for

    diffs = diffing.compare_versions(root, old, new)
    if output_format == "text":
        click.echo(diff_text.render(diffs), nl=False)
        return
    folder = out / "diff"
    for item in diffs:
        with files.reported(folder), files.replacing(folder / f"{item.id}.docx") as temporary:
            diff_docx.render(item, template_for(root), temporary)
            files.write_text(folder / f"{item.id}.html", diff_html.render(item))
        click.echo(f"{folder / item.id}.docx|.html: 《{item.title}》 {item.summary()}")
    if not diffs:
        click.echo("没有条文变化。")


@click.command()
@click.argument("target_id", metavar="ID")
@click.option("--summary", required=True, help="What changed (修订说明).")
@click.option("--major/--minor", "major", default=False,
              help="--major: a substantive change (1.2 → 2.0); --minor (default): an editorial "
                   "one (1.2 → 1.3).")
@click.option("--effective", help="Effective date (生效日期) of the revised regulation "
                                  "[default: the revision date, when later than the current].")
@click.option("--date", "date", help="Date of the revision [default: today].")
@project_options
@handles_errors
def revise(target_id: str, summary: str, major: bool, effective: str | None, date: str | None,
           root: Path, out: Path) -> None:
    """Record a revision of a regulation or form: version, date, kind and summary.

    Refuses when it has not changed since its last recorded version.
    """
    from .revisions import CHANGES, date_option
    from .revisions import revise as record

    done = record(root, target_id, summary, date_option("--date", date), major=major,
                  effective=date_option("--effective", effective))
    line = (f"{target_id}: version {done.version} recorded ({done.change} "
            f"{CHANGES[done.change]}, {done.date.isoformat()})")
    if done.effective is not None:
        line += f"; effective {done.effective.isoformat()}"
    click.echo(line)


@click.command()
@click.argument("regulation_id", metavar="ID")
@click.option("--number", help="发文字号 of the notice, e.g. 云石发〔2026〕3号 "
                               "[default: the company prefix and the regulation's number].")
@project_options
@handles_errors
def publish(regulation_id: str, number: str | None, root: Path, out: Path) -> None:
    """Write the issuance notice 关于印发《…》的通知 of a regulation's current version.

    Into --out/publish/<id>-<version>/: the notice (GB/T 9704 layout), the regulation and,
    when it was revised, its 新旧条文对照表, as .docx and (with LibreOffice) .pdf.
    """
    from . import publish as publishing

    project = load(root, quiet_warnings=True)
    result = publishing.publish(root, out, project, regulation_id, number)
    for notice in result.notices:
        click.echo(f"notice: {notice}", err=True)
    for path in result.written:
        click.echo(f"wrote {path}")


COMMANDS = (diff, revise, publish)
"""Added to the `handbook` group by generator.cli."""
