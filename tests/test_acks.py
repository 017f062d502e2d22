"""The acknowledgement register: `handbook ack import` (located errors, duplicates and
unknown people refused) and `handbook ack status` after substantive and editorial revisions."""

from __future__ import annotations

import json

import pytest
from conftest import run
from roster_project import add_revision, bundled_copy

from generator import acks
from generator.load import load_project


@pytest.fixture
def project(tmp_path):
    return bundled_copy(tmp_path / "p")


def _table(path, *rows: str, heading: str = "工号,制度,版本,日期"):
    path.write_text("\n".join((heading,) + rows) + "\n", encoding="utf-8")
    return path


def _missing(project, regulation_id="travel-expense") -> set[str]:
    result = run("ack", "status", regulation_id, "--json", "--root", project)
    assert result.exit_code == 0, result.output
    return {person["id"] for person in json.loads(result.stdout)[0]["missing"]}


def test_import_and_status(project, tmp_path):
    signed = _table(tmp_path / "signed.csv", "T0005,travel-expense,1.0,2026-11-02",
                    "T0006,YW-ZD-003,1.0,2026/11/03")              # by id or by 文号
    result = run("ack", "import", signed, "--root", project)
    assert result.exit_code == 0, result.output
    assert "2 confirmations added" in result.stdout
    register = (project / "regulations" / "acknowledgements.csv").read_text("utf-8")
    assert register.splitlines() == ["工号,制度,版本,日期", "T0005,travel-expense,1.0,2026-11-02",
                                     "T0006,travel-expense,1.0,2026-11-03"]
    status = json.loads(run("ack", "status", "travel-expense", "--json", "--root",
                            project).stdout)[0]
    assert (status["readers"], status["confirmed"]) == (18, 2)
    text = run("ack", "status", "travel-expense", "--root", project).stdout
    assert "已签收 2/18" in text and "未签收\tT0007" in text and "T0005" not in text


def test_import_refuses_duplicates_and_unknowns_with_places(project, tmp_path):
    run("ack", "import", _table(tmp_path / "a.csv", "T0005,travel-expense,1.0,2026-11-02"),
        "--root", project)
    before = (project / "regulations" / "acknowledgements.csv").read_bytes()
    bad = _table(tmp_path / "b.csv", "T0005,travel-expense,1.0,2026-11-09",
                 "T9999,travel-expense,1.0,2026-11-02", "T0007,travel-expens,1.0,2026-11-02",
                 "T0008,travel-expense,3.0,2026-11-02", "T0009,travel-expense,1.0,11月2日",
                 "T0010,travel-expense,1.0,2026-11-02", "T0010,travel-expense,1.0,2026-11-03")
    result = run("ack", "import", bad, "--root", project)
    assert result.exit_code == 2
    shown = str(bad)
    assert f"{shown}:2:1: error: T0005 already confirmed travel-expense version 1.0 (at " \
           "regulations/acknowledgements.csv:2:1)" in result.stderr
    assert f"{shown}:3:1: error: unknown person `T9999` (工号)" in result.stderr
    assert f"{shown}:4:7: error: unknown regulation `travel-expens` (hint: did you mean " \
           "`travel-expense`?)" in result.stderr
    assert f"{shown}:5:22: error: travel-expense has no version `3.0`" in result.stderr
    assert f"{shown}:6:26: error: 日期 `11月2日` is not a date" in result.stderr
    assert f"{shown}:8:1: error: T0010 already confirmed travel-expense version 1.0 (at " \
           f"{shown}:7:1)" in result.stderr
    assert (project / "regulations" / "acknowledgements.csv").read_bytes() == before
    missing_column = _table(tmp_path / "c.csv", "T0011,travel-expense", heading="工号,制度")
    result = run("ack", "import", missing_column, "--root", project)
    assert result.exit_code == 2 and "missing column 版本、日期" in result.stderr


def test_substantive_revision_resets_editorial_does_not(project, tmp_path):
    first = ["T0005", "T0006", "T0007"]
    run("ack", "import", _table(tmp_path / "v1.csv", *(f"{p},travel-expense,1.0,2026-01-10"
                                                        for p in first)), "--root", project)
    all_readers = _missing(project) | set(first)
    assert len(all_readers) == 18 and _missing(project) == all_readers - set(first)
    add_revision(project, "travel-expense", "1.1", "2026-02-01", "文字修改。")   # editorial
    assert _missing(project) == all_readers - set(first)
    add_revision(project, "travel-expense", "2.0", "2026-03-01", "调整住宿标准。")  # substantive
    assert _missing(project) == all_readers
    result = run("ack", "import", _table(tmp_path / "v2.csv", "T0005,travel-expense,2.0,"
                                         "2026-03-05"), "--root", project)
    assert result.exit_code == 0, result.output
    assert _missing(project) == all_readers - {"T0005"}
    add_revision(project, "travel-expense", "2.1", "2026-04-01", "更正错字。")     # editorial
    assert _missing(project) == all_readers - {"T0005"}
    loaded = load_project(project)
    status = acks.status(loaded, acks.load_register(loaded, project),
                         loaded.regulation("travel-expense"))
    assert status.since == "2.0"


def test_status_of_every_regulation_and_without_a_roster(project, tmp_path):
    result = run("ack", "status", "--root", project)
    assert result.exit_code == 0
    assert "meeting-room-management 版本 1.0（须确认 1.0 或以后）：已签收 0/59" in result.stdout
    assert "fire-safety-management" not in result.stdout        # a draft binds no one yet
    bare = bundled_copy(tmp_path / "bare", roster=False)
    result = run("ack", "import", _table(tmp_path / "x.csv", "T0005,travel-expense,1.0,"
                                         "2026-11-02"), "--root", bare)
    assert result.exit_code == 2 and "no roster" in result.stderr


def test_hand_edited_register_is_checked(project):
    _table(project / "regulations" / "acknowledgements.csv",
           "T0005,travel-expense,1.0,2026-11-02", "T0005,travel-expense,1.0,2026-11-03")
    result = run("ack", "status", "--root", project)
    assert result.exit_code == 2
    assert "regulations/acknowledgements.csv:3:1: error: T0005 already confirmed" \
        in result.stderr
