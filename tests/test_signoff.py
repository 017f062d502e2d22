"""签收确认单: one row per reader, paginated with the header row on every page (measured in
the PDF), blank rows per department without a roster, and the new hire's sheet."""

from __future__ import annotations

import re
import shutil
import subprocess

import docx
import pytest
from conftest import run
from docx.oxml.ns import qn
from roster_project import bundled_copy, edit

from generator import readers, signoff
from generator.load import load_project

needs_pdf = pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext")
                               is None, reason="LibreOffice and poppler-utils make and read "
                                               "the PDF")
HEADINGS = ["序号", "工号", "姓名", "部门", "签字", "日期"]


@pytest.fixture
def project(tmp_path):
    """The bundled data with the sample roster; meeting-room-management binds all 60."""
    root = bundled_copy(tmp_path / "p")
    edit(root, "meeting-room-management", lambda d: d.update(applies_to=["board"] +
                                                             d["applies_to"]))
    return root


def _words(pdf, page: int) -> list[tuple[str, float]]:
    """(word, top in points) of one page, from pdftotext's bounding boxes."""
    html = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf),
                           "-"], capture_output=True, text=True, check=True).stdout
    return [(word, float(top)) for top, word in
            re.findall(r'<word xMin="[\d.]+" yMin="([\d.]+)"[^>]*>([^<]*)</word>', html)]


def _pages(pdf) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                          check=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", info).group(1))


def test_sheet_rows_follow_the_roster(project):
    loaded = load_project(project)
    sheet = signoff.regulation_sheet(loaded, loaded.regulation("meeting-room-management"))
    assert len(sheet.rows) == 60 and sheet.columns == tuple(HEADINGS)
    assert sheet.rows[0][:4] == ("1", "T0001", loaded.people[0].name, "董事会")
    assert dict(sheet.facts)["文号"] == "XZ-ZD-035" and dict(sheet.facts)["版本"] == "1.0"
    assert sheet.name == "meeting-room-management-v1.0"


@needs_pdf
def test_sixty_rows_paginate_with_the_header_row_on_every_page(project, tmp_path):
    out = tmp_path / "out"
    result = run("signoff", "meeting-room-management", "--root", project, "--out", out)
    assert result.exit_code == 0, result.output
    pdf = out / "signoff" / "meeting-room-management-v1.0.pdf"
    pages = _pages(pdf)
    assert pages == 3
    seen: list[str] = []
    for page in range(1, pages + 1):
        words = _words(pdf, page)
        text = [word for word, _ in words]
        assert all(heading in text for heading in HEADINGS), page   # the header row
        header_top = next(top for word, top in words if word == "序号")
        ids = [(word, top) for word, top in words if re.fullmatch(r"T\d{4}", word)]
        assert ids and all(top > header_top for _, top in ids)   # rows below the header
        if page > 1:
            assert header_top < 0.12 * 842                         # at the top of the page
        assert f"第 {page} 页" in " ".join(text) or f"第{page}页" in "".join(text)
        seen += [word for word, _ in ids]
    assert seen == [f"T{n:04d}" for n in range(1, 61)]              # each person once, in order
    first = " ".join(word for word, _ in _words(pdf, 1))
    assert "制度签收确认单" in first and "XZ-ZD-035" in first and "首次发布。" in first


def test_word_sheet_repeats_the_header_and_keeps_rows_whole(project, tmp_path):
    out = tmp_path / "out"
    assert run("signoff", "meeting-room-management", "--no-pdf", "--root", project,
               "--out", out).exit_code == 0
    document = docx.Document(out / "signoff" / "meeting-room-management-v1.0.docx")
    table = document.tables[-1]
    assert [c.text for c in table.rows[0].cells] == HEADINGS
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert len(table.rows) == 61
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in table.rows[1:])
    styles = document.styles.element.xml
    assert 'w:eastAsia="zh-CN"' in styles


def test_without_a_roster_blank_rows_per_department(tmp_path):
    root = bundled_copy(tmp_path / "p", roster=False)
    loaded = load_project(root)
    regulation = loaded.regulation("business-refinement")   # marketing, sales, customer-service…
    sheet = signoff.regulation_sheet(loaded, regulation)
    departments = readers.departments_bound(loaded, regulation)
    assert len(sheet.rows) == signoff.BLANK_ROWS_PER_DEPARTMENT * len(departments)
    names = [loaded.department_index[d].name for d in departments]
    assert [row[3] for row in sheet.rows[::signoff.BLANK_ROWS_PER_DEPARTMENT]] == names
    assert all(row[1] == row[2] == "" for row in sheet.rows)


@needs_pdf
def test_new_hire_sheet_lists_every_regulation_of_their_role(project, tmp_path):
    out = tmp_path / "out"
    result = run("signoff", "--person", "T0011", "--root", project, "--out", out)
    assert result.exit_code == 0, result.output
    loaded = load_project(project)
    person = next(p for p in loaded.people if p.id == "T0011")
    expected = readers.for_person(loaded, person)
    assert len(expected) == 18           # 高级业务员: sales-regional-staff-duties is not theirs
    text = subprocess.run(["pdftotext", str(out / "signoff" / "person-T0011.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert "新员工制度签收确认单" in text and person.name in text
    assert all(regulation.number in text for regulation in expected)
    for other in ("commerce-daily", "sales-regional-staff-duties"):
        assert loaded.regulation(other).number not in text


def test_unknown_person_or_regulation_is_refused(project, tmp_path):
    result = run("signoff", "--person", "T9999", "--root", project, "--out", tmp_path)
    assert result.exit_code == 2 and "no person `T9999`" in result.stderr
    result = run("signoff", "no-such", "--root", project, "--out", tmp_path)
    assert result.exit_code == 2 and "no regulation `no-such`" in result.stderr


def test_sheets_for_everyone_who_joined_since(project, tmp_path):
    out = tmp_path / "out"
    result = run("signoff", "--joined-since", "2025-03-01", "--no-pdf", "--root", project,
                 "--out", out)
    assert result.exit_code == 0, result.output
    joined = [p.id for p in load_project(project).people
              if p.joined and str(p.joined) >= "2025-03-01"]
    assert joined and sorted(f.stem for f in (out / "signoff").glob("*.docx")) == \
        sorted(f"person-{person}" for person in joined)
