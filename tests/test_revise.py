"""`handbook revise` as offices revise: major or minor, dates and effective date, forms too."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
import yaml
from conftest import git, run, with_site_files

from generator.revisions import next_version


@pytest.fixture
def committed(minimal) -> Path:
    git(minimal, "init", "-q")
    git(minimal, "add", "-A")
    git(minimal, "commit", "-q", "-m", "v1.1")
    return minimal


@pytest.mark.parametrize(("version", "major", "after"), [
    ("1.0", False, "1.1"), ("1.9", False, "1.10"), ("2", False, "2.1"), ("1.0.1", False, "1.1"),
    ("1.3", True, "2.0"), ("2", True, "3.0"), ("1.0.4", True, "2.0")])
def test_next_version(version, major, after):
    assert next_version(version, major) == after


def _edit_rules(project: Path) -> Path:
    path = project / "regulations" / "rules.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("version: \"1.1\"", "version: \"1.1\"  # 当前版本")
    text = text.replace("为规范业务管理", "为规范公司业务管理")
    path.write_text(text, encoding="utf-8")
    return path


def test_a_substantive_revision_raises_the_major_version_and_sets_the_dates(committed):
    path = _edit_rules(committed)
    result = run("revise", "rules", "--summary", "明确适用范围。", "--major",
                 "--date", "2026年2月20日", "--effective", "2026/3/1", "--root", committed)
    assert result.exit_code == 0, result.output
    assert result.stdout == ("rules: version 2.0 recorded (substantive 实质性修订, 2026-02-20); "
                             "effective 2026-03-01\n")
    text = path.read_text(encoding="utf-8")
    assert 'version: "2.0"  # 当前版本\n' in text  # the clerk's comment stays
    assert "\neffective: 2026-03-01\n" in text
    assert ('  - version: "2.0"\n    date: 2026-02-20\n    change: substantive\n'
            '    summary: "明确适用范围。"\n    fingerprint: ') in text
    assert run("check", "--root", committed).stdout.startswith("OK:")


def test_an_editorial_revision_raises_the_minor_version(committed):
    _edit_rules(committed)
    result = run("revise", "rules", "--summary", "文字调整。", "--minor", "--date", "2026-01-05",
                 "--root", committed)
    assert result.stdout == ("rules: version 1.2 recorded (editorial 文字性修订, 2026-01-05); "
                             "effective 2026-01-05\n")
    data = yaml.safe_load((committed / "regulations" / "rules.yaml").read_text(encoding="utf-8"))
    assert (data["version"], data["effective"].isoformat()) == ("1.2", "2026-01-05")
    assert data["revisions"][-1]["change"] == "editorial"


def test_bad_dates_are_refused_before_anything_is_written(committed):
    path = _edit_rules(committed)
    before = path.read_bytes()
    result = run("revise", "rules", "--summary", "x", "--effective", "2026-13-03",
                 "--root", committed)
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: --effective: `2026-13-03` is not a date: there is no 2026年13月3日 (hint: write "
        "the date as 2026-03-01, 2026/3/1, 2026年3月1日 or 2026.3.1)\n")
    result = run("revise", "rules", "--summary", "x", "--date", "明天", "--root", committed)
    assert result.stderr.startswith("Error: --date: `明天` is not a date (hint:")
    assert path.read_bytes() == before


def test_forms_are_revised_too(committed):
    path = committed / "regulations" / "forms" / "vehicle-request.yaml"
    result = run("revise", "vehicle-request", "--summary", "x", "--root", committed)
    assert result.exit_code == 2 and result.stderr == (
        "Error: `vehicle-request` has not changed since version 1.0: edit the form first, "
        "then revise it\n")
    path.write_text(path.read_text(encoding="utf-8").replace("label: 事由", "label: 用车事由"),
                    encoding="utf-8")
    result = run("revise", "vehicle-request", "--summary", "事由改为用车事由。", "--date",
                 "2026.3.1", "--root", committed)
    assert result.stdout == "vehicle-request: version 1.1 recorded (editorial 文字性修订, " \
                            "2026-03-01)\n"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["version"] == "1.1"
    assert [(r["version"], r["change"], r["summary"]) for r in data["revisions"]] == [
        ("1.1", "editorial", "事由改为用车事由。")]
    again = run("revise", "vehicle-request", "--summary", "x", "--root", committed)
    assert "has not changed since version 1.1" in again.stderr
    effective = run("revise", "vehicle-request", "--summary", "x", "--effective", "2026-03-01",
                    "--root", committed)
    assert effective.stderr.startswith("Error: a form has no effective date")
    assert run("check", "--root", committed).stdout.startswith("OK:")


def test_an_unknown_id_suggests_a_close_one(committed):
    result = run("revise", "vehicle-reqest", "--summary", "x", "--root", committed)
    assert result.exit_code == 2
    assert result.stderr == ("Error: no regulation or form `vehicle-reqest` (hint: did you "
                             "mean `vehicle-request`?)\n")


# ---------------------------------------------------------------- 新旧条文对照表

NEW_RULE = "业务员外出应登记去向，并保持通讯畅通。"


def _insert_article(project: Path) -> None:
    path = project / "regulations" / "rules.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("      - id: scope\n", f"      - id: out-of-office\n"
                                 f"        text: {NEW_RULE}\n      - id: scope\n", 1),
                    encoding="utf-8")


def test_one_inserted_article_is_one_row_and_the_shift_one_line(committed):
    _insert_article(committed)
    result = run("diff", "--format", "text", "--root", committed)
    assert result.stdout.splitlines() == [
        "《业务管理制度》（rules，版本 1.1 → 1.1）",
        "新增 1 条，修改 1 条，删除 0 条，条号变化 2 条，移动 0 条",
        "",
        "1. — → 第二条　新增",
        f"   {{+{NEW_RULE}+}}",
        "2. 第四条 → 第五条　修改",  # its text cites 第三条, now 第四条
        "   用车审批依照第[-三-]{+四+}条执行，本制度目的见第一条。",
        "其余条文序号相应顺延。"]


def test_articles_swapped_in_place_are_moves(committed):
    path = committed / "regulations" / "rules.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    first = data["chapters"][0]["articles"]
    first[0], first[1] = first[1], first[0]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    lines = run("diff", "--format", "text", "--root", committed).stdout.splitlines()
    assert lines[1] == "新增 0 条，修改 1 条，删除 0 条，条号变化 1 条，移动 1 条"
    assert [line for line in lines if line[:2] in ("1.", "2.")] == [
        "1. 第二条 → 第一条　移动", "2. 第四条　修改"]  # its text cites the moved article
    assert lines[-1] == "其余条文序号相应顺延。"  # the article the moved one passed


def test_word_table_is_landscape_with_wide_text_columns(committed, tmp_path):
    import docx
    from docx.enum.section import WD_ORIENT

    _insert_article(committed)
    out = tmp_path / "out"
    assert run("diff", "--root", committed, "--out", out).exit_code == 0
    document = docx.Document(out / "diff" / "rules.docx")
    section = document.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert section.page_width.mm == pytest.approx(297, abs=1)
    text_width = (section.page_width - section.left_margin - section.right_margin) / 36000
    table = document.tables[0]
    widths = [column.w.mm for column in table._tbl.tblGrid.gridCol_lst]
    assert widths[0] < 16 and widths[3] < 36
    assert widths[1] == widths[2] > 0.35 * text_width
    assert sum(widths) == pytest.approx(text_width, abs=1)
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert [row[0] for row in rows] == ["序号", "1", "2", "其余条文序号相应顺延。"]
    assert rows[1][2] == f"第二条　{NEW_RULE}" and rows[2][3] == "修改"
    page = (out / "diff" / "rules.html").read_text(encoding="utf-8")
    assert page.count("<tr>") == 3 and '<td colspan="4">其余条文序号相应顺延。</td>' in page


def test_the_kind_of_revision_shows_in_word_and_on_the_site(committed, tmp_path):
    _edit_rules(committed)
    assert run("revise", "rules", "--summary", "明确适用范围。", "--major", "--date", "2026-02-20",
               "--root", committed).exit_code == 0
    with_site_files(committed)
    out = tmp_path / "out"
    assert run("build", "docx", "site", "--root", committed, "--out", out).exit_code == 0
    table = docx.Document(str(out / "docx" / "rules.docx")).tables[1]  # 修订记录
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[0] == ["版本", "日期", "修订说明"]
    assert rows[-1][0] == "2.0" and rows[-1][2] == "实质性修订：明确适用范围。"
    assert rows[1][2] == "首次发布。"  # older records that do not say: as written
    page = (out / "site" / "generated" / "regulations" / "rules" / "index.html").read_text(
        encoding="utf-8")
    assert "实质性修订：明确适用范围。" in page
