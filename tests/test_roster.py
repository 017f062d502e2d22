"""The roster (people.yaml, .csv, .xlsx): reading, located errors, and who must read what."""

from __future__ import annotations

import datetime as dt
import json
import zipfile

import pytest
from conftest import run
from roster_project import bundled_copy

from generator import readers
from generator.load import load_project


@pytest.fixture
def project(tmp_path):
    return bundled_copy(tmp_path / "p")


def _roster_lines(project):
    path = project / "regulations" / "people.csv"
    return path, path.read_text(encoding="utf-8").splitlines()


def test_sample_roster_loads(project):
    loaded = load_project(project)
    assert len(loaded.people) == 60 and loaded.roster == "regulations/people.csv"
    first = loaded.people[0]
    assert (first.id, first.department, first.role) == ("T0001", "board", "chairman")
    assert {p.department for p in loaded.people} >= {"sales", "commerce-bizdev", "hr-admin"}
    assert sum(p.role is None for p in loaded.people) == 8     # staff without a named role


def test_roster_mistakes_are_located(project):
    path, lines = _roster_lines(project)
    lines[5] = lines[5].replace(",业务部,", ",业务布,")                 # row T0005
    lines[7] = lines[7].replace("T0007", "T0006")                      # 工号 twice
    lines[9] = lines[9].rsplit(",", 1)[0] + ",2025-13-01"              # no such month
    lines[10] = lines[10].replace(",客服专员,", ",客服专元,")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run("check", "--root", project)
    assert result.exit_code == 2
    assert "regulations/people.csv:6:11: error: unknown department `业务布` (部门) " \
           "(hint: did you mean `业务部`?)" in result.stderr
    assert "regulations/people.csv:8:1: error: 工号 `T0006` appears twice (first at " \
           "regulations/people.csv:7:1)" in result.stderr
    assert "regulations/people.csv:10:19: error: 入职日期 `2025-13-01` is not a date" \
        in result.stderr
    assert "regulations/people.csv:11:15: error: unknown role `客服专元`" in result.stderr
    assert "Traceback" not in result.output


def test_roster_headings_are_checked(project):
    path, lines = _roster_lines(project)
    lines[0] = "工号,名字,部门,岗位,入职日期"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run("check", "--root", project)
    assert result.exit_code == 2
    assert "regulations/people.csv:1:4: error: unknown column `名字`" in result.stderr
    assert "regulations/people.csv:1:1: error: missing column 姓名" in result.stderr


def test_gb18030_and_quoted_cells(project):
    path, lines = _roster_lines(project)
    lines[1] = 'T0001,"褚若溪",董事会,董事长,2025/3/2'
    path.write_bytes(("\n".join(lines) + "\n").encode("gb18030"))
    loaded = load_project(project)
    assert loaded.people[0].name == "褚若溪" and str(loaded.people[0].joined) == "2025-03-02"


def test_yaml_roster_errors_point_into_the_yaml(project):
    (project / "regulations" / "people.csv").unlink()
    roster = project / "regulations" / "people.yaml"
    roster.write_text(
        "people:\n  - id: E1\n    name: 甲\n    department: sales\n    role: salesperson\n"
        "  - id: E2\n    name: 乙\n    department: 业务部\n    role: sales-manger\n",
        encoding="utf-8")
    result = run("check", "--root", project)
    assert result.exit_code == 2
    assert "regulations/people.yaml:9:11: error: unknown role `sales-manger` (岗位) " \
           "(hint: did you mean `sales-manager`?)" in result.stderr
    roster.write_text("people:\n  - id: E3\n    name: 丙\n", encoding="utf-8")
    result = run("check", "--root", project)
    assert "regulations/people.yaml:2:5: error: missing required key `department`" \
        in result.stderr


def test_two_rosters_are_refused(project):
    (project / "regulations" / "people.yaml").write_text("people: []\n", encoding="utf-8")
    result = run("check", "--root", project)
    assert result.exit_code == 2
    assert "regulations/people.csv: error: a second roster beside regulations/people.yaml" \
        in result.stderr


def _xlsx(target, lines: list[str]) -> None:
    """A workbook as Excel writes one: text in the shared-string table, 入职日期 as day
    numbers (days since 1899-12-30)."""
    strings: list[str] = []
    rows = []
    for number, line in enumerate(lines, start=1):
        cells = []
        for column, text in enumerate(line.split(",")):
            ref = f"{'ABCDE'[column]}{number}"
            if number > 1 and column == 4:
                day = (dt.date.fromisoformat(text) - dt.date(1899, 12, 30)).days
                cells.append(f'<c r="{ref}" s="1"><v>{day}</v></c>')
            else:
                strings.append(text)
                cells.append(f'<c r="{ref}" t="s"><v>{len(strings) - 1}</v></c>')
        rows.append(f'<row r="{number}">{"".join(cells)}</row>')
    main = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    relations = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("xl/workbook.xml", f'<workbook {main} {relations}><sheets>'
                         '<sheet name="花名册" sheetId="1" r:id="rId1"/></sheets></workbook>')
        package.writestr("xl/_rels/workbook.xml.rels",
                         '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                         'relationships"><Relationship Id="rId1" Target="worksheets/sheet1.xml" '
                         'Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                         'relationships/worksheet"/></Relationships>')
        package.writestr("xl/worksheets/sheet1.xml",
                         f'<worksheet {main}><sheetData>{"".join(rows)}</sheetData></worksheet>')
        package.writestr("xl/sharedStrings.xml", f'<sst {main}>' + "".join(
            f"<si><t>{text}</t></si>" for text in strings) + "</sst>")


def test_xlsx_roster_as_exported(project):
    path, lines = _roster_lines(project)
    path.unlink()
    workbook = project / "regulations" / "people.xlsx"
    _xlsx(workbook, lines)
    loaded = load_project(project)
    assert len(loaded.people) == 60
    assert str(loaded.people[0].joined) == "2025-03-02"   # a day number read as a date
    lines[3] = lines[3].replace(",总经理办公室,", ",总经办公室,")
    _xlsx(workbook, lines)
    result = run("check", "--root", project)
    assert result.exit_code == 2
    assert "regulations/people.xlsx:4:3: error: unknown department `总经办公室`" in result.stderr


def test_not_a_workbook_is_refused(project):
    (project / "regulations" / "people.csv").unlink()
    (project / "regulations" / "people.xlsx").write_bytes(b"PK\x03\x04 not really")
    result = run("check", "--root", project)
    assert result.exit_code == 2
    assert "regulations/people.xlsx: error: not a readable .xlsx workbook" in result.stderr


def test_readers_follow_applies_to(project):
    loaded = load_project(project)
    everyone_but_board = loaded.regulation("fire-safety-management")
    assert len(readers.readers(loaded, everyone_but_board)) == 59
    commerce = readers.readers(loaded, loaded.regulation("commerce-daily"))
    assert {p.department for p in commerce} == {"commerce", "commerce-bizdev",
                                                "commerce-contracts", "commerce-crm"}
    by_role = readers.readers(loaded, loaded.regulation("sales-regional-staff-duties"))
    assert {p.role for p in by_role} == {"sales-manager", "salesperson"}
    assert len(by_role) == 9
    salesperson = loaded.role_index["salesperson"]
    assert "travel-expense" in {r.id for r in readers.for_role(loaded, salesperson)}
    assert "commerce-daily" not in {r.id for r in readers.for_role(loaded, salesperson)}


def test_the_roster_stays_out_of_the_build(project, tmp_path):
    out = tmp_path / "out"
    assert run("build", "text", "--root", project, "--out", out).exit_code == 0
    model = (out / "handbook.json").read_text("utf-8")
    assert "regulations" in json.loads(model) and "people" not in json.loads(model)
    assert all(person.name not in model for person in load_project(project).people)
