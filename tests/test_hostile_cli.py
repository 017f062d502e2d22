"""Hostile or mistaken command lines: git revisions that look like options, values a
form cannot take, summaries with backslashes, ports in use, damaged Word templates, a
full disk. Each ends with exit code 2 and a clear error, and changes no file."""

from __future__ import annotations

import os
import shutil
import socket
from pathlib import Path

import docx
import pytest
import yaml
from conftest import ROOT, git, run
from test_build_safety import _fill, small_disk  # noqa: F401 (a fixture)

OLD, NEW = "为规范业务管理", "为规范本公司业务管理"
BAD_YAML_ROW = "each row a list of cells or a mapping column → value"
ONE_VALUE = "write the value on one line, or several lines as a block after `|`"
PRODUCT_COLUMNS = "columns: 产品名称、规格型号、单位、数量、单价、金额"


def _edit(project: Path) -> Path:
    path = project / "regulations" / "rules.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(OLD, NEW), encoding="utf-8")
    return path


def _clean(result) -> None:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output


@pytest.fixture
def repository(minimal) -> Path:
    """The minimal project as a git repository with one commit."""
    git(minimal, "init", "-q")
    git(minimal, "add", "-A")
    git(minimal, "commit", "-q", "-m", "first")
    return minimal


# ---------------------------------------------------------------- diff


@pytest.mark.parametrize("revision", ["--output={victim}", "--remote=x", "-o", "--help",
                                      "HEAD:regulations", "HEAD --output={victim}"])
def test_diff_refuses_a_revision_git_would_read_as_an_option(repository, tmp_path, revision):
    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"keep me\n")
    revision = revision.format(victim=victim)
    result = run("diff", "--root", repository, "--", revision)
    _clean(result)
    assert result.stderr == (
        f"Error: cannot read regulations/ at git revision `{revision}`: no such commit in "
        f"{repository} (hint: give a commit, tag or branch, or a folder holding "
        "regulations/)\n")
    assert victim.read_bytes() == b"keep me\n"


def test_diff_outside_a_git_repository_says_so(minimal):
    result = run("diff", "HEAD", "--root", minimal, "--format", "text")
    _clean(result)
    assert result.stderr == (
        f"Error: cannot read regulations/ at git revision `HEAD`: {minimal} is not a git "
        "repository (hint: give a commit, tag or branch, or a folder holding regulations/)\n")


def test_diff_folders_given_relative_to_the_current_folder(repository, tmp_path, monkeypatch):
    shutil.copytree(repository / "regulations", tmp_path / "old" / "regulations")
    _edit(repository)
    monkeypatch.chdir(tmp_path)
    result = run("diff", "old", str(repository), "--format", "text", "--root", repository)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:4] == [
        "《业务管理制度》（rules，版本 1.1 → 1.1）",
        "新增 0 条，修改 1 条，删除 0 条，条号变化 0 条，移动 0 条", "", "1. 第一条　修改"]
    assert "为规范{+本公司+}业务管理，特制定本制度。" in result.stdout


# ---------------------------------------------------------------- fill


def _fill_values(tmp_path: Path, text: str) -> tuple[Path, Path]:
    values = tmp_path / "values.yaml"
    values.write_text(text, encoding="utf-8")
    return values, tmp_path / "out"


FILL_CASES = {
    "a number as a row": (
        "products:\n  - 5\n",
        ["{v}:2:5: error: row 1 of `products` is `5`, not a row (hint: " + BAD_YAML_ROW + ")"]),
    "a text as a row": (
        "products:\n  - 抛光砖\n",
        ["{v}:2:5: error: row 1 of `products` is `抛光砖`, not a row (hint: " + BAD_YAML_ROW
         + ")"]),
    "too many cells": (
        "products:\n  - [a, b, c, d, e, f, g]\n",
        ["{v}:2:5: error: row 1 of `products` has 7 cells, the table has 6 columns (hint: "
         + PRODUCT_COLUMNS + ")"]),
    "an unknown column and a list in a cell": (
        "products:\n  - {产品: 台面, 数量: [20]}\n",
        ["{v}:2:6: error: row 1 of `products`: the table has no column `产品` (hint: "
         + PRODUCT_COLUMNS + ")",
         "{v}:2:18: error: a cell of row 1 of `products` takes one value, not a list (hint: "
         + ONE_VALUE + ")"]),
    "a list for a text field": (
        "buyer-name: [甲公司, 乙公司]\n",
        ["{v}:1:13: error: `buyer-name` takes one value, not a list (hint: " + ONE_VALUE + ")"]),
    "a mapping for a text field": (
        "contract-no:\n  a: 1\n",
        ["{v}:2:3: error: `contract-no` takes one value, not a mapping (hint: " + ONE_VALUE
         + ")"]),
}


@pytest.mark.parametrize("case", FILL_CASES, ids=list(FILL_CASES))
def test_fill_refuses_values_the_form_cannot_take(tmp_path, case):
    text, expected = FILL_CASES[case]
    values, out = _fill_values(tmp_path, text)
    result = run("fill", "sales-contract", values, "--partial", "--root", ROOT, "--out", out)
    _clean(result)
    errors = len(expected)
    assert result.stderr.splitlines() == [line.format(v=values) for line in expected] + [
        f"Error: Aborted with {errors} error{'s' * (errors != 1)}"]
    assert not out.exists()


def test_fill_writes_whole_files_with_ordinary_permissions(tmp_path, monkeypatch):
    """Relative values path (made absolute at the command line), files replaced in one
    step (no temporary file left), and the permissions any new file gets."""
    monkeypatch.chdir(tmp_path)
    Path("customer.yaml").write_text("buyer-name: 甲公司\n", encoding="utf-8")
    previous = os.umask(0o022)
    try:
        for _ in range(2):  # the second run replaces the first run's files
            result = run("fill", "sales-contract", "customer.yaml", "--partial", "--root", ROOT,
                         "--out", "out")
            assert result.exit_code == 0, result.output
    finally:
        os.umask(previous)
    folder = tmp_path / "out" / "filled"
    assert result.stdout == (f"wrote {folder / 'sales-contract-customer.docx'}\n"
                             f"wrote {folder / 'sales-contract-customer.pdf'}\n")
    assert sorted(p.name for p in folder.iterdir()) == [
        "sales-contract-customer.docx", "sales-contract-customer.pdf"]
    assert {oct(p.stat().st_mode & 0o777) for p in folder.iterdir()} == {"0o644"}


def test_fill_on_a_full_disk_keeps_the_last_filled_files(tmp_path, small_disk):  # noqa: F811
    values = tmp_path / "customer.yaml"
    values.write_text("buyer-name: 甲公司\n", encoding="utf-8")
    out = small_disk / "out"
    assert run("fill", "sales-contract", values, "--partial", "--root", ROOT,
               "--out", out).exit_code == 0
    folder = out / "filled"
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    _fill(small_disk)
    values.write_text("buyer-name: 乙公司\n", encoding="utf-8")
    result = run("fill", "sales-contract", values, "--partial", "--root", ROOT, "--out", out)
    _clean(result)
    assert result.stderr == (f"Error: cannot write {folder}: No space left on device (hint: "
                             "check the folder exists and can be written, or write elsewhere "
                             "with --out)\n")
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


# ---------------------------------------------------------------- revise


@pytest.mark.parametrize("summary", ["C:\\temp\\new", 'say "yes"\\n', "第一行\n第二行",
                                     "# not a comment: really", "\\u2028 and a\u2028b"])
def test_revise_stores_the_summary_as_typed(minimal, summary):
    path = _edit(minimal)
    path.chmod(0o640)
    result = run("revise", "rules", "--summary", summary, "--root", minimal)
    assert result.exit_code == 0, result.output
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["revisions"][-1]["summary"] == summary
    assert oct(path.stat().st_mode & 0o777) == "0o640"
    assert sorted(p.name for p in path.parent.iterdir()) == [
        "company.yaml", "forms", "org.yaml", "rules.yaml"]


def test_revise_on_a_full_disk_leaves_the_file_as_it_was(minimal, small_disk):  # noqa: F811
    project = small_disk / "project"
    shutil.copytree(minimal, project)
    path = _edit(project)
    before = path.read_bytes()
    _fill(small_disk)
    result = run("revise", "rules", "--summary", "调整。", "--root", project)
    _clean(result)
    assert result.stderr == (f"Error: cannot write {path}: No space left on device (hint: "
                             "check the folder exists and can be written, or write elsewhere "
                             "with --out)\n")
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == [
        "company.yaml", "forms", "org.yaml", "rules.yaml"]


# ---------------------------------------------------------------- serve


def test_serve_refuses_a_port_out_of_range_before_building(minimal, tmp_path):
    out = tmp_path / "out"
    result = run("serve", "--root", minimal, "--out", out, "--port", "70000", "--no-watch")
    _clean(result)
    assert result.stderr.endswith(
        "Error: Invalid value for '--port': 70000 is not in the range 0<=x<=65535.\n")
    assert not out.exists()


def test_serve_on_a_port_in_use_says_so_before_building(minimal, tmp_path):
    out = tmp_path / "out"
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run("serve", "--root", minimal, "--out", out, "--port", port, "--no-watch")
    _clean(result)
    assert result.stderr == (
        f"Error: cannot serve on 127.0.0.1:{port}: Address already in use (hint: another "
        "program may be using the port: stop it, or choose another with --port, e.g. "
        "--port 8000)\n")
    assert not out.exists()


# ---------------------------------------------------------------- Word templates


def test_a_damaged_word_template_is_named(minimal, tmp_path):
    template = minimal / "templates" / "reference.docx"
    template.parent.mkdir()
    template.write_bytes(b"not a zip")
    result = run("build", "docx", "--root", minimal, "--out", tmp_path / "out", "--quiet")
    _clean(result)
    assert result.stderr == (
        f"Error: {template}: not a readable Word template (Package not found at '{template}') "
        "(hint: save it again from Word, or delete it to use the template shipped with "
        "handbook)\n")


def test_a_form_template_without_our_styles_is_named(minimal, tmp_path):
    template = minimal / "templates" / "form-reference.docx"
    template.parent.mkdir()
    docx.Document().save(template)  # Word's blank document: none of the form styles
    values = tmp_path / "values.yaml"
    values.write_text("user: 张三\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run("fill", "vehicle-request", values, "--root", minimal, "--out", out)
    _clean(result)
    assert result.stderr == (
        f"Error: {template}: the Word template has no style named 表单标题、表单编号、表单标签、"
        "表单文字、表单分节、表单条款、表单脚注 (hint: add the missing styles in Word, or delete "
        "the file to use the template shipped with handbook)\n")
    assert list((out / "filled").iterdir()) == []
