"""The CLI through click's runner: exact outputs, exit codes, atomic build output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, TESTS, run


def test_check_ok(minimal):
    result = run("check", "--root", minimal)
    assert result.exit_code == 0
    assert result.stdout == "OK: 1 regulations, 4 articles, 1 forms, 3 roles, 0 warnings\n"


def test_show_matches_golden(minimal):
    result = run("show", "rules", "--root", minimal)
    assert result.exit_code == 0
    assert result.stdout == (TESTS / "golden" / "rules.txt").read_text(encoding="utf-8")


def test_list_table(minimal):
    result = run("list", "--root", minimal)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["id", "文号", "类别", "版本", "状态", "生效日期", "章", "条", "网页",
                                "标题"]
    assert lines[1].split() == ["rules", "YW-ZD-001", "业务管理", "1.1", "现行有效", "2025-01-01",
                                "2", "4", "generated/regulations/rules/", "业务管理制度"]


def test_list_forms_roles_and_departments(minimal):
    assert run("list", "forms", "--root", minimal).stdout.splitlines() == [
        "id               编号  种类    版本  审批                 网页                              名称",
        "vehicle-request  —     申请单  1.0   业务部经理 → 总经理  generated/forms/vehicle-request/  派车申请单",
    ]
    roles = run("list", "roles", "--root", minimal).stdout.splitlines()
    assert roles[0].split() == ["id", "部门", "上级", "职责", "网页", "名称"]
    assert roles[3].split() == ["salesperson", "业务部", "业务部经理", "1",
                                "generated/roles/salesperson/", "业务员"]
    assert run("list", "departments", "--root", minimal).stdout.splitlines()[1].split() == \
        ["sales", "—", "2", "业务部"]


def test_root_and_out_may_come_before_the_command(minimal, tmp_path):
    before = run("--root", minimal, "list", "roles")
    assert before.exit_code == 0
    assert before.stdout == run("list", "roles", "--root", minimal).stdout
    out = tmp_path / "out"
    assert run("--root", minimal, "--out", out, "build", "text").exit_code == 0
    assert (out / "text" / "rules.txt").exists()
    # after the command wins over before it
    other = tmp_path / "other"
    assert run("--out", out, "build", "text", "--root", minimal, "--out", other).exit_code == 0
    assert (other / "text" / "rules.txt").exists()


def test_new_regulation_form_role_and_department_pass_check(minimal):
    made = run("new", "regulation", "vehicle-use", "--title", "车辆使用管理制度", "--category",
               "业务管理", "--department", "sales", "--root", minimal)
    assert made.exit_code == 0, made.output
    assert made.stdout == ("regulations/vehicle-use.yaml: 《车辆使用管理制度》 YW-ZD-002（草案） "
                           "written; edit it, then run: handbook check\n")
    text = (minimal / "regulations" / "vehicle-use.yaml").read_text(encoding="utf-8")
    assert "status: draft" in text and "number: YW-ZD-002" in text
    assert run("new", "form", "seal-request", "--title", "用印申请单",
               "--root", minimal).exit_code == 0
    assert run("new", "role", "front-desk", "--name", "前台", "--department", "gm-office",
               "--reports-to", "general-manager", "--root", minimal).exit_code == 0
    assert run("new", "department", "admin", "--name", "行政部", "--root", minimal).exit_code == 0
    checked = run("check", "--root", minimal)
    assert checked.exit_code == 0, checked.output
    assert checked.stdout == "OK: 2 regulations, 8 articles, 2 forms, 4 roles, 0 warnings\n"
    assert "front-desk" in run("list", "roles", "--root", minimal).stdout
    assert "行政部" in run("list", "departments", "--root", minimal).stdout


def test_new_asks_for_what_it_needs_when_not_given(minimal):
    from click.testing import CliRunner

    from generator.cli import cli

    asked = CliRunner().invoke(cli, ["new", "role", "driver", "--root", str(minimal)],
                               input="司机\ngm-office\n")
    assert asked.exit_code == 0, asked.output
    assert "岗位名称: 司机" in asked.output
    assert "  - id: driver\n    name: 司机\n    department: gm-office\n" in \
        (minimal / "regulations" / "org.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(("args", "message"), [
    (["regulation", "x", "--title", "t", "--category", "行政", "--department", "sales"],
     "no regulation of category '行政' has a 文号 to follow"),
    (["regulation", "rules", "--title", "t", "--category", "业务管理", "--department", "sales"],
     "rules.yaml exists already"),
    (["regulation", "Bad_Id", "--title", "t", "--category", "业务管理", "--department", "sales"],
     "'Bad_Id' is not a valid id"),
    (["role", "salesperson", "--name", "x", "--department", "sales"],
     "a role with id 'salesperson' exists already"),
    (["role", "driver", "--name", "x", "--department", "nope"], "unknown department 'nope'"),
])
def test_new_refuses_clearly_and_writes_nothing(minimal, args, message):
    before = {p: p.read_bytes() for p in (minimal / "regulations").rglob("*.yaml")}
    result = run("new", *args, "--root", minimal)
    assert result.exit_code == 2
    assert message in result.stderr
    assert {p: p.read_bytes() for p in (minimal / "regulations").rglob("*.yaml")} == before


def test_list_json_shape(minimal, tmp_path):
    out = tmp_path / "out"
    result = run("list", "--json", "--root", minimal, "--out", out)
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert set(data) == {"regulations", "forms", "roles", "departments"}
    regulation = data["regulations"][0]
    assert {k: regulation[k] for k in ("id", "title", "number", "version", "status",
                                       "effective", "chapters", "articles")} == {
        "id": "rules", "title": "业务管理制度", "number": "YW-ZD-001", "version": "1.1",
        "status": "active", "effective": "2025-01-01", "chapters": 2, "articles": 4}
    assert regulation["outputs"] == {"docx": None, "pdf": None, "page": None}
    assert data["forms"][0]["id"] == "vehicle-request"
    assert data["forms"][0]["outputs"] == {"docx": None, "pdf": None, "page": None}
    assert [r["id"] for r in data["roles"]] == ["general-manager", "sales-manager",
                                                "salesperson"]


def test_build_writes_outputs(minimal, tmp_path):
    out = tmp_path / "out"
    result = run("build", "text", "--root", minimal, "--out", out)
    assert result.exit_code == 0, result.output
    assert (out / "text" / "rules.txt").read_text(encoding="utf-8") == \
        (TESTS / "golden" / "rules.txt").read_text(encoding="utf-8")
    model = json.loads((out / "handbook.json").read_text(encoding="utf-8"))
    assert model["regulations"][0]["id"] == "rules"
    assert model["company"]["name"] == "测试建材有限公司"


def test_failed_build_leaves_last_good_output(minimal, tmp_path):
    out = tmp_path / "out"
    assert run("build", "text", "docx", "forms", "--root", minimal, "--out", out).exit_code == 0
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    rules = minimal / "regulations" / "rules.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").replace("approver: general-manager",
                                                               "approver: nobody"),
                     encoding="utf-8")
    result = run("build", "--root", minimal, "--out", out)
    assert result.exit_code == 2
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out-")] == []


def test_rebuild_replaces_output(minimal, tmp_path):
    out = tmp_path / "out"
    assert run("build", "text", "docx", "--root", minimal, "--out", out).exit_code == 0
    (out / "text" / "stale.txt").write_text("old", encoding="utf-8")
    (out / "mine.txt").write_text("a user's file", encoding="utf-8")
    assert run("build", "text", "--root", minimal, "--out", out).exit_code == 0
    assert not (out / "text" / "stale.txt").exists()  # a target's folder is replaced whole
    assert (out / "text" / "rules.txt").exists()
    assert (out / "docx" / "rules.docx").exists()  # other targets are left as they were
    assert (out / "mine.txt").exists()


def test_python_dash_m_and_console_script(minimal):
    script = Path(sys.executable).with_name("handbook")  # installed beside this Python
    if not script.exists():
        pytest.skip(f"the handbook console script is not installed beside {sys.executable}")
    for command in ([sys.executable, "-m", "generator"], [str(script)]):
        completed = subprocess.run(command + ["check", "--root", str(minimal)],
                                   capture_output=True, text=True, check=False)
        assert completed.returncode == 0, completed.stderr
        assert completed.stdout.startswith("OK: 1 regulations")


def test_every_command_takes_root_and_out():
    from generator.cli import cli

    def leaves(group):
        for name, command in group.commands.items():
            if hasattr(command, "commands"):
                yield from leaves(command)
            else:
                yield name, command

    for name, command in leaves(cli):
        options = {o for p in command.params for o in getattr(p, "opts", [])}
        assert {"--root", "--out"} <= options, name


def test_every_command_is_documented():
    from generator.cli import cli

    readme = (ROOT / "docs" / "commands.md").read_text(encoding="utf-8")
    for name in cli.commands:
        assert f"handbook {name}" in readme, name


def test_the_console_script_collects_cycles_rarely():
    """A build holds many long-lived objects: the entry point sets the collector's
    thresholds (generator.cli_common.GC_THRESHOLDS) before running the command."""
    code = ("import atexit, gc, sys; sys.argv = ['handbook', '--version']; "
            "atexit.register(lambda: print(gc.get_threshold())); "
            "from generator.cli import main; main()")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=dict(os.environ, PYTHONPATH=str(ROOT)), check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "(50000, 20, 100)"
