"""Versions: 新旧条文对照表 from a scripted git history, `handbook revise`, `--as-of`."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path

import docx
import pytest
import yaml
from conftest import git, run
from docx.oxml.ns import qn


def _edit(repo: Path, change) -> None:
    path = repo / "regulations" / "rules.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.fixture
def history(minimal) -> Path:
    """A git repo whose second commit adds, deletes, edits and moves articles."""
    git(minimal, "init", "-q")
    git(minimal, "add", "-A")
    git(minimal, "commit", "-q", "-m", "v1.1")

    def change(data):
        first, second = data["chapters"][0]["articles"], data["chapters"][1]["articles"]
        first.insert(1, {"id": "new-rule", "text": "员工应爱护车辆。"})        # added in the middle
        scope = first.pop(2)                                                    # moved …
        second.append(scope)                                                    # … to chapter 2
        second[0]["text"] = "因公用车须提前一天填写{表:vehicle-request}，经{岗位:sales-manager|部门经理}审批。"
        del second[1]                                                           # see-also deleted
    _edit(minimal, change)
    git(minimal, "commit", "-q", "-am", "v1.2")
    return minimal


EXPECTED = """《业务管理制度》（rules，版本 1.1 → 1.1）
新增 1 条，修改 1 条，删除 1 条，条号变化 0 条，移动 1 条

1. — → 第二条　新增
   {+员工应爱护车辆。+}
2. 第三条　修改
   因公用车须{+提前一天+}填写《派车申请单》，经部门经理审批。
   （一）写明事由；
   （二）写明目的地：
   1.市内；
   2.市外。
3. 第二条 → 第四条　移动（由第一章移至第二章）
   本制度适用于业务员。
4. 第四条 → —　删除
   [-用车审批依照第三条执行，本制度目的见第一条。-]
"""


def test_diff_between_two_git_revisions(history):
    result = run("diff", "HEAD~1", "HEAD", "--format", "text", "--root", history)
    assert result.exit_code == 0, result.output
    assert result.stdout == EXPECTED


def test_diff_defaults_to_head_against_the_working_tree(history):
    assert run("diff", "--format", "text", "--root", history).stdout == "没有条文变化。\n"

    def change(data):
        data["chapters"][0]["articles"][0]["text"] = "为规范管理，特制定本制度。"
    _edit(history, change)
    result = run("diff", "--format", "text", "--root", history)
    assert "1. 第一条　修改" in result.stdout
    assert "为规范[-业务-]管理，特制定本制度。" in result.stdout


def test_diff_between_folders(history, tmp_path):
    old = tmp_path / "old"
    subprocess.run(["git", "-C", str(history), "worktree", "add", "-q", str(old), "HEAD~1"],
                   check=True, capture_output=True)
    result = run("diff", old, history, "--format", "text", "--root", history)
    assert result.stdout == EXPECTED


def test_diff_writes_word_and_html_tables(history, tmp_path):
    out = tmp_path / "out"
    result = run("diff", "HEAD~1", "HEAD", "--root", history, "--out", out)
    assert result.exit_code == 0
    assert "新增 1 条，修改 1 条，删除 1 条，条号变化 0 条，移动 1 条" in result.stdout
    document = docx.Document(out / "diff" / "rules.docx")
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["序号", "修订前", "修订后", "说明"]
    styles = {(run.text, run.style.name) for row in table.rows for cell in row.cells
              for paragraph in cell.paragraphs for run in paragraph.runs}
    assert ("提前一天", "新增文字") in styles
    assert ("用车审批依照第三条执行，本制度目的见第一条。", "删除文字") in styles
    assert document.styles["删除文字"].element.rPr.find(qn("w:strike")) is not None
    assert document.styles["新增文字"].element.rPr.find(qn("w:u")) is not None
    page = (out / "diff" / "rules.html").read_text(encoding="utf-8")
    assert "<ins>提前一天</ins>" in page and "<del>用车审批依照第三条执行" in page
    assert '<html lang="zh-CN">' in page


def test_bad_revision_is_a_clear_error(history):
    result = run("diff", "no-such-rev", "--root", history)
    assert result.exit_code == 2
    assert "cannot read regulations/ at git revision `no-such-rev`" in result.stderr


def test_revise_records_a_change_and_refuses_a_bump_without_one(history):
    result = run("revise", "rules", "--summary", "调整用车规定。", "--root", history)
    assert result.exit_code == 2
    assert "has not changed since version 1.1" in result.stderr

    def change(data):
        data["chapters"][1]["articles"][0]["text"] = "因公用车须提前两天申请。"
    _edit(history, change)
    result = run("revise", "rules", "--summary", "调整用车规定。", "--root", history)
    assert result.exit_code == 0, result.output
    data = yaml.safe_load((history / "regulations" / "rules.yaml").read_text(encoding="utf-8"))
    assert data["version"] == "1.2"
    last = data["revisions"][-1]
    assert (last["version"], last["date"], last["summary"]) == (
        "1.2", dt.date.today(), "调整用车规定。")
    assert last["fingerprint"]
    again = run("revise", "rules", "--summary", "再次修订。", "--root", history)
    assert again.exit_code == 2 and "has not changed since version 1.2" in again.stderr
    assert run("check", "--root", history).exit_code == 0


def test_as_of_builds_the_handbook_of_a_day(minimal, tmp_path):
    regulations = minimal / "regulations"
    later = yaml.safe_load((regulations / "rules.yaml").read_text(encoding="utf-8"))
    later.update(id="rules-2026", title="业务管理制度（2026年版）", number="YW-ZD-002",
                 effective=dt.date(2026, 1, 1), supersedes="rules",
                 revisions=[{"version": "1.1", "date": dt.date(2026, 1, 1), "summary": "修订。"}])
    (regulations / "rules-2026.yaml").write_text(
        yaml.safe_dump(later, allow_unicode=True, sort_keys=False), encoding="utf-8")
    old = yaml.safe_load((regulations / "rules.yaml").read_text(encoding="utf-8"))
    old["status"] = "superseded"
    (regulations / "rules.yaml").write_text(yaml.safe_dump(old, allow_unicode=True,
                                                           sort_keys=False), encoding="utf-8")
    out = tmp_path / "out"
    assert run("build", "text", "--as-of", "2025-06-30", "--root", minimal,
               "--out", out).exit_code == 0
    model = json.loads((out / "handbook.json").read_text(encoding="utf-8"))
    assert [(r["id"], r["status"]) for r in model["regulations"]] == [("rules", "active")]
    assert run("build", "text", "--as-of", "2024-06-30", "--root", minimal,
               "--out", out).exit_code == 0
    model = json.loads((out / "handbook.json").read_text(encoding="utf-8"))
    assert model["regulations"] == []
    assert run("build", "text", "--root", minimal, "--out", out).exit_code == 0
    model = json.loads((out / "handbook.json").read_text(encoding="utf-8"))
    assert sorted((r["id"], r["status"]) for r in model["regulations"]) == [
        ("rules", "superseded"), ("rules-2026", "active")]


def test_site_links_each_revision_to_its_comparison_table(history, tmp_path):
    from conftest import with_site_files

    def change(data):
        data["chapters"][1]["articles"][0]["text"] = "因公用车须提前两天申请。"
    _edit(history, change)
    assert run("revise", "rules", "--summary", "调整用车规定。", "--root", history).exit_code == 0
    with_site_files(history)
    out = tmp_path / "out"
    result = run("build", "site", "--root", history, "--out", out)
    assert result.exit_code == 0, result.output
    page = (out / "site" / "generated" / "regulations" / "rules" / "index.html").read_text(
        encoding="utf-8")
    assert 'href="../../changes/rules-1.2/"' in page
    table = (out / "site" / "generated" / "changes" / "rules-1.2" / "index.html").read_text(
        encoding="utf-8")
    assert "<del>" in table and "<ins>" in table and "版本 1.1 → 1.2" in table
    assert "修改 1 条" in table


def test_a_session_compares_a_regulation_again_only_when_it_changed(history, monkeypatch):
    from generator import history as history_module
    from generator.load import load_project
    from generator.session import BuildSession

    def change(data):
        data["chapters"][1]["articles"][0]["text"] = "因公用车须提前两天申请。"
    _edit(history, change)
    assert run("revise", "rules", "--summary", "调整用车规定。", "--root", history).exit_code == 0
    git(history, "commit", "-q", "-am", "v1.2")
    compared = []
    real = history_module._compare
    monkeypatch.setattr(history_module, "_compare",
                        lambda context, regulation, versions:
                        compared.append(regulation.id) or real(context, regulation, versions))
    session = BuildSession()
    first = history_module.read(history, load_project(history, session), session.history)
    again = history_module.read(history, load_project(history, session), session.history)
    assert compared == ["rules"] and again.of("rules") is first.of("rules")
    _edit(history, lambda data: data.update(title="业务工作制度"))  # the model changes
    history_module.read(history, load_project(history, session), session.history)
    assert compared == ["rules", "rules"]
