"""`handbook review`, `handbook signoff` and `handbook ack import|status`: review cycles,
签收确认单 and the acknowledgement register, over generator.review, signoff and acks."""

from __future__ import annotations

import json
from pathlib import Path

import click

from . import acks, files, review, signoff
from .cli_common import handles_errors, print_problems, project_options
from .errors import Location, NotFound, Problem
from .load import load_project
from .model import Project


def overdue_problems(project: Project) -> list[Problem]:
    """A warning for each regulation whose review is overdue (check --strict fails on them)."""
    return [Problem(Location(due.regulation.file), f"review overdue since {due.next_review} "
                    f"({-due.days_left} days; owner: {due.owner or '—'})",
                    f"review it, then: handbook revise {due.regulation.id} --reviewed "
                    '--summary "复审，无修改"', "warning")
            for due in review.overdue(project)]


def report_overdue(project: Project) -> int:
    """Print the overdue reviews as warnings; return how many there are."""
    problems = overdue_problems(project)
    print_problems(problems)
    return len(problems)


def register(cli: click.Group) -> None:
    """Add `review`, `signoff` and the `ack` group to the CLI."""
    _register_review(cli)
    _register_signoff(cli)
    _register_ack(cli)


def _register_review(cli: click.Group) -> None:
    @cli.command(name="review")
    @click.option("--json", "as_json", is_flag=True, help="Print the list as JSON.")
    @click.option("--all", "show_all", is_flag=True, help="Also list reviews not yet due.")
    @project_options
    @handles_errors
    def review_command(as_json: bool, show_all: bool, root: Path, out: Path) -> None:
        """List regulations overdue for review or due within 30 days."""
        project = load_project(root)
        listed = review.schedule(project) if show_all else review.attention(project)
        if as_json:
            click.echo(json.dumps({"today": project.today.isoformat(),
                                   "regulations": [due.as_dict() for due in listed]},
                                  ensure_ascii=False, indent=2))
            return
        if not listed:
            click.echo("没有逾期或 30 天内到期的复审。")
            return
        for due in listed:
            click.echo(f"{due.state_name}\t{due.next_review}\t{due.regulation.id}\t"
                       f"{due.regulation.number}\t《{due.regulation.title}》\t"
                       f"负责：{due.owner or '—'}\t上次修订：{due.last_revision}")



def _register_signoff(cli: click.Group) -> None:
    @cli.command(name="signoff")
    @click.argument("regulation_ids", nargs=-1)
    @click.option("--person", "person_ids", multiple=True,
                  help="工号 of a new hire: a sheet of every regulation that applies to them.")
    @click.option("--joined-since", type=click.DateTime(["%Y-%m-%d"]),
                  help="A new hire's sheet for everyone who joined on or after YYYY-MM-DD.")
    @click.option("--no-pdf", is_flag=True, help="Word only (no LibreOffice).")
    @project_options
    @handles_errors
    def signoff_command(regulation_ids: tuple[str, ...], person_ids: tuple[str, ...],
                        joined_since, no_pdf: bool, root: Path, out: Path) -> None:
        """Write 签收确认单 (Word and PDF) under --out/signoff/.

        One per regulation in force (or per REGULATION_ID given) and version; with --person
        or --joined-since, the sheets of new hires instead.
        """
        project = load_project(root)
        if joined_since:
            person_ids += tuple(p.id for p in project.people
                                if p.joined and p.joined >= joined_since.date())
            if not person_ids:
                click.echo(f"nobody joined on or after {joined_since.date()}")
                return
        sheets = _sheets(project, regulation_ids, person_ids)
        for path in _write_sheets(sheets, root, out / "signoff", not no_pdf):
            click.echo(f"wrote {path}")



def _register_ack(cli: click.Group) -> None:
    @cli.group(name="ack")
    def ack() -> None:
        """The register of signed 签收确认单 and who has yet to confirm."""

    @ack.command(name="import")
    @click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
    @project_options
    @handles_errors
    def ack_import(source: Path, root: Path, out: Path) -> None:
        """Add the confirmations of a CSV or XLSX table (工号, 制度, 版本, 日期) to the register."""
        project = load_project(root)
        count, register_file = acks.import_file(project, root, source.absolute())
        click.echo(f"{register_file}: {count} confirmation{'s' * (count != 1)} added")

    @ack.command(name="status")
    @click.argument("regulation_id", required=False)
    @click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
    @project_options
    @handles_errors
    def ack_status(regulation_id: str | None, as_json: bool, root: Path, out: Path) -> None:
        """Who has not confirmed the version in force (of one regulation, or of all)."""
        project = load_project(root)
        if regulation_id and regulation_id not in project.regulation_index:
            raise NotFound(f"no regulation `{regulation_id}`")
        results = acks.statuses(project, acks.load_register(project, root), regulation_id)
        if as_json:
            click.echo(json.dumps([s.as_dict() for s in results], ensure_ascii=False,
                                  indent=2))
            return
        if not project.people:
            click.echo("没有花名册（regulations/people.yaml、people.csv 或 people.xlsx）。")
        for item in results:
            done = len(item.readers) - len(item.missing)
            click.echo(f"{item.regulation.id} 版本 {item.regulation.version}"
                       f"（须确认 {item.since} 或以后）：已签收 {done}/{len(item.readers)}")
            if regulation_id:
                for person in item.missing:
                    department = project.department_index[person.department].name
                    click.echo(f"  未签收\t{person.id}\t{person.name}\t{department}")


def _sheets(project: Project, regulation_ids: tuple[str, ...],
            person_ids: tuple[str, ...]) -> list[signoff.Sheet]:
    people = {person.id: person for person in project.people}
    for person_id in person_ids:
        if person_id not in people:
            raise NotFound(f"no person `{person_id}` in the roster")
    for regulation_id in regulation_ids:
        if regulation_id not in project.regulation_index:
            raise NotFound(f"no regulation `{regulation_id}`")
    if person_ids:
        return [signoff.person_sheet(project, people[p]) for p in person_ids]
    chosen = [project.regulation(r) for r in regulation_ids] or \
        [r for r in project.regulations if r.status == "active"]
    return [signoff.regulation_sheet(project, regulation) for regulation in chosen]


def _write_sheets(sheets: list[signoff.Sheet], root: Path, folder: Path,
                  with_pdf: bool) -> list[Path]:
    """Each sheet as .docx (and .pdf) in folder; the paths written."""
    from .render import forms_docx, pdf, signoff_docx

    template = forms_docx.template_for(root)
    written = []
    with files.reported(folder):
        folder.mkdir(parents=True, exist_ok=True)
        for sheet in sheets:
            written.append(signoff_docx.render(sheet, template, folder / f"{sheet.name}.docx"))
    if with_pdf:
        result = pdf.convert(list(written), folder, root)
        for notice in result.notices:
            click.echo(notice, err=True)
        for source, reason in result.failed.items():
            click.echo(f"{source.name}: PDF failed: {reason}", err=True)
        written += result.written
    return written


def echo_review(root: Path, regulation_id: str, summary: str) -> None:
    """`handbook revise ID --reviewed`: record the review and say when the next one is due."""
    from .review_record import record_review

    next_review = record_review(root, regulation_id, summary)
    after = f"; next review {next_review}" if next_review else ""
    click.echo(f"{regulation_id}: review recorded{after}")
