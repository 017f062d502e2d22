"""The CLI through click's runner: exact outputs, exit codes, atomic build output."""

from __future__ import annotations

import json
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
    assert lines[0].split() == ["id", "文号", "版本", "状态", "生效日期", "章", "条", "标题"]
    assert lines[1].split() == ["rules", "YW-ZD-001", "1.1", "现行有效", "2025-01-01", "2", "4",
                                "业务管理制度"]


def test_list_json_shape(minimal, tmp_path):
    out = tmp_path / "out"
    result = run("list", "--json", "--root", minimal, "--out", out)
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert set(data) == {"regulations", "forms", "roles"}
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
    result = run("build", "--root", minimal, "--out", out)
    assert result.exit_code == 0, result.output
    assert (out / "text" / "rules.txt").read_text(encoding="utf-8") == \
        (TESTS / "golden" / "rules.txt").read_text(encoding="utf-8")
    model = json.loads((out / "handbook.json").read_text(encoding="utf-8"))
    assert model["regulations"][0]["id"] == "rules"
    assert model["company"]["name"] == "测试建材有限公司"


def test_failed_build_leaves_last_good_output(minimal, tmp_path):
    out = tmp_path / "out"
    assert run("build", "--root", minimal, "--out", out).exit_code == 0
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
    assert run("build", "--root", minimal, "--out", out).exit_code == 0
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

    for name, command in cli.commands.items():
        options = {o for p in command.params for o in getattr(p, "opts", [])}
        assert {"--root", "--out"} <= options, name


def test_every_command_is_documented():
    from generator.cli import cli

    readme = (ROOT / "docs" / "commands.md").read_text(encoding="utf-8")
    for name in cli.commands:
        assert f"handbook {name}" in readme, name
