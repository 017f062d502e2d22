"""`handbook new regulation|form|role|department`: the commands over generator.scaffold."""

from __future__ import annotations

from pathlib import Path

import click

from . import scaffold
from .cli_common import handles_errors, project_options
from .load import build_day, load_project


def register(cli: click.Group) -> None:
    """Add the `new` command group to the CLI."""

    @cli.group(name="new")
    def new() -> None:
        """Start a regulation, form, role or department from a commented skeleton."""

    @new.command(name="regulation")
    @click.argument("regulation_id")
    @click.option("--title", prompt="标题（制度名称）", help="Title, e.g. 车辆使用管理制度.")
    @click.option("--category", prompt="类别（如 行政管理）", help="Category, e.g. 行政管理.")
    @click.option("--department", prompt="归口管理部门 id", help="Department id that keeps it.")
    @click.option("--number", help="文号 (default: the next free one of its category).")
    @project_options
    @handles_errors
    def new_regulation(regulation_id: str, title: str, category: str, department: str,
                       number: str | None, root: Path, out: Path) -> None:
        """Write regulations/ID.yaml: a draft with the next free 文号 of its category."""
        project = load_project(root)
        path, number = scaffold.new_regulation(project, root, regulation_id, title, category,
                                               department, number, build_day())
        click.echo(f"{_shown(path, root)}: 《{title}》 {number}（草案） written; "
                   f"edit it, then run: handbook check")

    @new.command(name="form")
    @click.argument("form_id")
    @click.option("--title", prompt="表单名称", help="Title, e.g. 用印申请单.")
    @click.option("--number", help="Form number (default: the next free one).")
    @project_options
    @handles_errors
    def new_form(form_id: str, title: str, number: str | None, root: Path, out: Path) -> None:
        """Write regulations/forms/ID.yaml with the fields most forms start from."""
        path, number = scaffold.new_form(load_project(root), root, form_id, title, number)
        click.echo(f"{_shown(path, root)}: 《{title}》 {number} written; quote it in an "
                   f"article as {{表:{form_id}}}")

    @new.command(name="role")
    @click.argument("role_id")
    @click.option("--name", prompt="岗位名称", help="Name, e.g. 前台.")
    @click.option("--department", prompt="所属部门 id", help="Department id.")
    @click.option("--reports-to", "reports_to", help="Role id of its superior.")
    @project_options
    @handles_errors
    def new_role(role_id: str, name: str, department: str, reports_to: str | None,
                 root: Path, out: Path) -> None:
        """Add a role to regulations/org.yaml."""
        path = scaffold.add_role(load_project(root), root, role_id, name, department,
                                 reports_to)
        click.echo(f"{_shown(path, root)}: role {role_id}（{name}） added; fill in its duties")

    @new.command(name="department")
    @click.argument("department_id")
    @click.option("--name", prompt="部门名称", help="Name, e.g. 行政部.")
    @project_options
    @handles_errors
    def new_department(department_id: str, name: str, root: Path, out: Path) -> None:
        """Add a department to regulations/org.yaml."""
        path = scaffold.add_department(load_project(root), root, department_id, name)
        click.echo(f"{_shown(path, root)}: department {department_id}（{name}） added")


def _shown(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)
