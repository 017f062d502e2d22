"""Hostile and inconsistent YAML: files that are too big, too deep or expand too much,
ids that collide, superseding in circles, and `--as-of` on a day when only part of the
handbook was in force. Each hostile file is made here (none is committed) and must be
refused with a located error, exit code 2, quickly and in little memory."""

from __future__ import annotations

import datetime as dt
import json
import time
import tracemalloc
from pathlib import Path

import docx
import pytest
from conftest import ROOT, run, with_site_files

from generator.load import load_project

RULES = "regulations/rules.yaml"


def _rules(project: Path) -> str:
    return (project / RULES).read_text(encoding="utf-8")


def _write(project: Path, relative: str, text: str) -> None:
    (project / relative).write_text(text, encoding="utf-8")


def _refused(project: Path, seconds: float = 2.0, megabytes: int = 64) -> str:
    """What check prints on stderr, once it is known that check and build both end with
    exit code 2 and that same message, check within `seconds` and `megabytes` of Python
    memory, and that nothing is written."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        result = run("check", "--root", project)
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert result.exit_code == 2, result.output
    assert elapsed < seconds, elapsed
    assert peak < megabytes * 2**20, peak
    out = project.parent / "out"
    built = run("build", "text", "--root", project, "--out", out)
    assert (built.exit_code, built.stderr) == (2, result.stderr)
    assert not out.exists()
    return result.stderr


# ---------------------------------------------------------------- size, depth, expansion


def _nested_items(levels: int) -> str:
    """An article whose items are nested `levels` deep, in block style."""
    text = "      - id: deep\n        text: 深\n        items:\n"
    indent = "          "
    for _ in range(levels):
        text += f"{indent}- text: 层\n{indent}  items:\n"
        indent += "    "
    return text + f"{indent}- 底\n"


def _with_article(project: Path, article: str) -> str:
    head, _, tail = _rules(project).partition("processes:")
    return head + article + "processes:" + tail


def test_items_nested_250_levels_are_refused(minimal):
    _write(minimal, RULES, _with_article(minimal, _nested_items(250)))
    assert _refused(minimal) == (
        f"{RULES}:109:129: error: lists and mappings are nested more than 64 "
        "levels deep (hint: a regulation needs far fewer levels: check the "
        "indentation and the brackets [ ] { })\nError: Aborted with 1 error\n")


@pytest.mark.parametrize("depth", [5_000, 100_000])
def test_flow_lists_nested_deep_are_refused(minimal, depth):
    # 100,000 levels (200 KB) crashed libyaml's composer with a segmentation fault
    _write(minimal, RULES, _rules(minimal) + "note: " + "[" * depth + "]" * depth + "\n")
    assert _refused(minimal) == (
        f"{RULES}:57:70: error: lists and mappings are nested more than 64 "
        "levels deep (hint: a regulation needs far fewer levels: check the "
        "indentation and the brackets [ ] { })\nError: Aborted with 1 error\n")


def test_items_nested_as_deep_as_allowed_still_build(minimal, tmp_path):
    _write(minimal, RULES, _with_article(minimal, _nested_items(29)))
    assert run("check", "--root", minimal).exit_code == 0
    built = run("build", "text", "docx", "--root", minimal, "--out", tmp_path / "out")
    assert built.exit_code == 0, built.output
    text = (tmp_path / "out" / "text" / "rules.txt").read_text(encoding="utf-8")
    assert text.count("层") == 29 and "底" in text


def test_number_of_5000_digits_is_refused(minimal):
    _write(minimal, "regulations/forms/vehicle-request.yaml",
           "id: vehicle-request\ntitle: 派车申请单\nkind: requisition\npages: " + "9" * 5000
           + "\nfields: [{id: user, label: 用车人}]\n")
    assert _refused(minimal) == (
        "regulations/forms/vehicle-request.yaml:4:8: error: number has 5,000 "
        "digits; at most 100 are allowed (hint: put it in quotes if it is text, "
        "e.g. an account number)\nError: Aborted with 1 error\n")


def test_aliases_are_counted_by_their_size(minimal):
    # 3 MB on disk; 300 million characters once every alias is expanded
    _write(minimal, RULES, _rules(minimal) + "note: &long \"" + "很" * 1_000_000 + "\"\n"
           + "postscript: [" + ", ".join(["*long"] * 300) + "]\n")
    assert _refused(minimal) == (
        f"{RULES}:58:56: error: the file expands to more than 8,000,000 "
        "characters of text (hint: anchors and aliases (&a / *a) are repeated "
        "here too many times; write the content out instead)\n"
        "Error: Aborted with 1 error\n")


def test_alias_inside_its_own_anchor_is_refused(minimal):
    _write(minimal, RULES, _rules(minimal) + "postscript: &loop [一, *loop]\n")
    assert _refused(minimal) == (
        f"{RULES}:57:23: error: alias *loop is inside the value it names, so "
        "it never ends (hint: an alias can only repeat a value written before "
        "it: move *loop out of it)\nError: Aborted with 1 error\n")


def test_file_over_four_megabytes_is_refused_unread(minimal):
    _write(minimal, RULES, _rules(minimal).replace(
        "为规范业务管理，特制定本制度。", "为规范业务管理" + "很" * 2_000_000 + "。"))
    assert _refused(minimal, megabytes=16) == (
        f"{RULES}:1:1: error: file is 6.0 MB; a file may hold at most 4 MB "
        "(hint: split it into several regulations, or move long attachments "
        "out of it)\nError: Aborted with 1 error\n")


# ---------------------------------------------------------------- long fields, wide tables


def test_title_longer_than_255_characters_is_refused(minimal):
    _write(minimal, RULES, _rules(minimal).replace("title: 业务管理制度", "title: " + "业" * 256))
    assert _refused(minimal) == (
        f"{RULES}:2:8: error: `title` is 256 characters long; at most 255 are "
        "allowed (hint: shorten it; put long explanations in the text)\n"
        "Error: Aborted with 1 error\n")


def test_regulation_table_of_21_columns_is_refused(minimal):
    columns = "".join(f"            - title: 列{i}\n" for i in range(21))
    text = _rules(minimal).replace("          columns:\n", "          columns:\n" + columns)
    _write(minimal, RULES, text)
    assert _refused(minimal) == (
        f"{RULES}:41:13: error: the table has 23 columns; at most 20 fit across "
        "a printed page (hint: split it into two tables)\n"
        "Error: Aborted with 1 error\n")


# ---------------------------------------------------------------- ids


def test_same_id_in_yaml_and_yml_files_is_refused(minimal):
    regulations = minimal / "regulations"
    _write(minimal, "regulations/rules.yml", _rules(minimal).replace(
        "title: 业务管理制度", "title: 业务管理制度（副本）").replace("YW-ZD-001", "YW-ZD-002"))
    form = (regulations / "forms" / "vehicle-request.yaml").read_text(encoding="utf-8")
    _write(minimal, "regulations/forms/vehicle-request.yml",
           form.replace("title: 派车申请单", "title: 派车单"))
    assert _refused(minimal) == (
        "regulations/forms/vehicle-request.yml:1:5: error: form id `vehicle-request` is "
             "also used by regulations/forms/vehicle-request.yaml (hint: "
             "regulations/forms/vehicle-request.yaml and regulations/forms/vehicle-request.yml "
             "would write the same outputs: keep one of the two files (.yaml and .yml count "
             "as the same name))\n"
             "regulations/rules.yml:1:5: error: regulation id `rules` is also used by "
             "regulations/rules.yaml (hint: regulations/rules.yaml and regulations/rules.yml "
             "would write the same outputs: keep one of the two files (.yaml and .yml count "
             "as the same name))\nError: Aborted with 2 errors\n")


def test_ids_the_site_keeps_for_itself_are_refused(minimal):
    _write(minimal, "regulations/index.yaml", _rules(minimal).replace("id: rules", "id: index")
           .replace("title: 业务管理制度", "title: 目录").replace("YW-ZD-001", "YW-ZD-002"))
    org = (minimal / "regulations" / "org.yaml").read_text(encoding="utf-8")
    _write(minimal, "regulations/org.yaml", org + "  - id: index\n    name: 目录员\n")
    reason = ("on the site, a page named index is the page of its whole folder (as the forms "
        "library and the list of roles are)")
    assert _refused(minimal) == (
        f"regulations/index.yaml:1:5: error: regulation id `index` is reserved: {reason} "
             "(hint: choose another id, e.g. `index-regulation`, and rename the file to match)\n"
             f"regulations/org.yaml:20:9: error: role id `index` is reserved: {reason} "
             "(hint: choose another id, e.g. `index-role`)\nError: Aborted with 2 errors\n")


# ---------------------------------------------------------------- superseding and dates


def test_superseding_in_a_circle_is_refused(minimal):
    text = _rules(minimal)
    _write(minimal, RULES, text.replace("effective: 2025-01-01",
                                        "effective: 2025-01-01\nsupersedes: rules-2026"))
    _write(minimal, "regulations/rules-2026.yaml", text.replace("id: rules", "id: rules-2026")
           .replace("title: 业务管理制度", "title: 业务管理制度（2026）")
           .replace("YW-ZD-001", "YW-ZD-002")
           .replace("effective: 2025-01-01", "effective: 2025-01-01\nsupersedes: rules"))
    assert _refused(minimal) == (
        "regulations/rules-2026.yaml:8:13: error: supersedes goes round in a circle: "
             "rules-2026 → rules → rules-2026 (hint: a regulation cannot replace one that "
             "replaces it)\n"
             f"{RULES}:8:13: error: supersedes goes round in a circle: rules → rules-2026 → "
             "rules (hint: a regulation cannot replace one that replaces it)\n"
             "Error: Aborted with 2 errors\n")


def test_revision_dated_after_the_effective_date_is_a_warning(minimal):
    _write(minimal, RULES, _rules(minimal).replace("effective: 2025-01-01",
                                                   "effective: 2024-12-01"))
    result = run("check", "--root", minimal)
    assert result.exit_code == 0
    assert result.stderr == (
        f"{RULES}:16:11: warning: revision 1.1 is dated 2025-01-01, after the effective date "
        "2024-12-01 (hint: `effective` is the day the current version takes effect: set it "
        "to 2025-01-01 or later, unless this version applies from an earlier day)\n")
    assert run("check", "--strict", "--root", minimal).exit_code == 2


# ---------------------------------------------------------------- --as-of


LATER = """id: a
title: 车辆管理制度
number: XZ-ZD-001
category: 行政管理
version: "1.0"
status: active
effective: 2026-01-01
department: sales
approver: general-manager
applies_to: [sales]
revisions:
  - {version: "1.0", date: 2025-10-01, summary: 首次发布。}
articles:
  - id: fuel
    text: 加油须填写{表:fuel-log}。
    table:
      id: fuel-rates
      title: 油费标准
      columns: [{title: 车型}, {title: 标准}]
      rows: [[轿车, 0.8元/公里]]
processes:
  - id: car
    title: 用车审批
    steps:
      - {role: salesperson, action: 填写派车申请单, form: vehicle-request,
         approvers: [general-manager]}
"""
"""A regulation in force only from 2026: it lends the vehicle form a table, brings its own
form, and (coming first by file name) its process sets the vehicle form's approvers."""


@pytest.fixture
def later(minimal) -> Path:
    """The minimal project plus a regulation, and a form, in force only from 2026 that
    the rules of 2025 and the vehicle form point at."""
    _write(minimal, "regulations/a.yaml", LATER)
    _write(minimal, "regulations/forms/fuel-log.yaml",
           "id: fuel-log\ntitle: 加油登记表\nkind: register\nfields: [{id: car, label: 车辆}]\n")
    form = minimal / "regulations" / "forms" / "vehicle-request.yaml"
    form.write_text(form.read_text(encoding="utf-8") + 'reference_tables: ["a#fuel-rates"]\n',
                    encoding="utf-8")
    _write(minimal, RULES, _rules(minimal).replace(
        "本制度目的见{条:purpose}。", "本制度目的见{条:purpose}，油费见{条:a#fuel}和{制度:a}。"))
    return minimal


def _model(out: Path) -> dict:
    return json.loads((out / "handbook.json").read_text(encoding="utf-8"))


def test_as_of_leaves_out_what_only_later_regulations_bring(later, tmp_path):
    out = tmp_path / "out"
    result = run("build", "text", "forms", "--as-of", "2025-06-30", "--root", later,
        "--out", out)
    assert result.exit_code == 0, result.output
    assert result.stderr == ("notice: as of 2025-06-30: 1 of 2 regulations in force, 1 of 2 "
                             "forms\n")
    model = _model(out)
    assert [r["id"] for r in model["regulations"]] == ["rules"]
    (form,) = model["forms"]
    assert (form["id"], form["approval"], form["reference_tables"]) == (
        "vehicle-request", ["sales-manager", "general-manager"], [])
    assert not (out / "forms" / "fuel-log.docx").exists()
    printed = "\n".join(c.text for t in docx.Document(out / "forms" / "vehicle-request.docx")
                        .tables for row in t.rows for c in row.cells)
    assert "油费标准" not in printed
    text = (out / "text" / "rules.txt").read_text(encoding="utf-8")
    assert "油费见《车辆管理制度》第一条和《车辆管理制度》。" in text


def test_without_as_of_the_later_regulation_is_all_there(later, tmp_path):
    out = tmp_path / "out"
    assert run("build", "text", "forms", "--root", later, "--out", out).exit_code == 0
    forms = {f["id"]: f for f in _model(out)["forms"]}
    assert forms["vehicle-request"]["approval"] == ["general-manager"]
    assert (out / "forms" / "fuel-log.docx").exists()
    printed = "\n".join(c.text for t in docx.Document(out / "forms" / "vehicle-request.docx")
                        .tables for row in t.rows for c in row.cells)
    assert "油费标准" in printed


def test_as_of_site_has_no_link_to_what_was_not_in_force(later, tmp_path):
    with_site_files(later)
    out = tmp_path / "out"
    result = run("build", "site", "--as-of", "2025-06-30", "--root", later, "--out", out)
    assert result.exit_code == 0, result.output  # MkDocs is strict: a broken link fails
    page = (out / "site" / "generated" / "regulations" / "rules" / "index.html").read_text(
        encoding="utf-8")
    assert "油费见《车辆管理制度》第一条和《车辆管理制度》。" in page
    assert not (out / "site" / "generated" / "regulations" / "a").exists()
    assert not (out / "site" / "generated" / "forms" / "fuel-log").exists()


def test_as_of_before_the_bundled_regulations_took_effect(tmp_path):
    bundled = load_project(ROOT)
    first = min(r.effective for r in bundled.regulations)
    day = first - dt.timedelta(days=1)
    out = tmp_path / "out"
    result = run("build", "text", "forms", "--as-of", day.isoformat(), "--root", ROOT,
        "--out", out)
    assert result.exit_code == 0, result.output
    model = _model(out)
    assert model["regulations"] == []
    kept = [f for f in bundled.forms if f.id in {form["id"] for form in model["forms"]}]
    assert all(not f.required_by and not f.reference_tables for f in kept)
    assert result.stderr.startswith(
        f"notice: as of {day.isoformat()}: 0 of {len(bundled.regulations)} regulations in "
        f"force, {len(kept)} of {len(bundled.forms)} forms (the first regulation took effect "
        f"on {first.isoformat()})\n")


def test_company_and_org_files_may_end_in_yml(minimal):
    """company.yml and org.yml are what they are called, not regulations; both spellings
    of one of them is an error."""
    regulations = minimal / "regulations"
    (regulations / "org.yaml").rename(regulations / "org.yml")
    result = run("check", "--root", minimal)
    assert result.exit_code == 0, result.output
    (regulations / "org.yaml").write_text((regulations / "org.yml").read_text(encoding="utf-8"),
                                          encoding="utf-8")
    result = run("check", "--root", minimal)
    assert result.exit_code == 2
    assert "regulations/org.yml: error: a second `org` file beside org.yaml (hint: keep one " \
        "of the two files)" in result.stderr
