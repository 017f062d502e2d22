"""What a reader sees of the Word and PDF regulations and the 制度汇编, measured in the files:
words placed on the PDF pages (poppler's pdftotext -bbox-layout), and the .docx's XML.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import docx
import pytest
from conftest import ROOT, run

from generator.load import load_project
from generator.render import pdf as pdf_renderer
from generator.render.docx_contents import entry_texts

PROJECT = load_project(ROOT)
POINTS_PER_MM = 72 / 25.4
TOP, BOTTOM, LEFT, RIGHT = (m * POINTS_PER_MM for m in (37, 297 - 35, 28, 210 - 26))
"""The text block of the template's page (A4, margins 37/35/28/26 mm), in points."""
needs_poppler = pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None,
    reason="LibreOffice and poppler-utils are installed by `make test`")
needs_uno = pytest.mark.skipif(pdf_renderer.uno_python() is None,
                               reason="LibreOffice's Python bridge (python3-uno) fills in "
                                      "page numbers; `make test` installs it")


def _lines(pdf: Path, first: int, last: int | None = None) -> dict[int, list[tuple]]:
    """The text lines of pages first…last: {page: [(xMin, yMin, xMax, yMax, text)]}."""
    xhtml = subprocess.run(["pdftotext", "-bbox-layout", "-f", str(first), "-l",
                            str(last or first), str(pdf), "-"],
                           capture_output=True, text=True, check=True).stdout
    root = ElementTree.fromstring(re.sub(r'\sxmlns="[^"]+"', "", xhtml, count=1))
    pages = {}
    for number, page in enumerate(root.iter("page"), start=first):
        pages[number] = [(*(float(line.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")),
                          "".join(word.text or "" for word in line.iter("word")))
                         for line in page.iter("line")]
    return pages


def _margins(lines: list[tuple]) -> tuple[str, str]:
    """The text of a page above its text block (running header) and below it (footer)."""
    header = "".join(text for _, y0, _, y1, text in lines if y1 < TOP)
    footer = "".join(text for _, y0, _, y1, text in lines if y0 > BOTTOM)
    return header, footer


def _page_count(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                          check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))


@pytest.fixture(scope="module")
def compendium(bundled_build) -> dict[int, list[tuple]]:
    """Every page of the compendium PDF, as lines of text with their places."""
    pdf = bundled_build / "pdf" / "制度汇编.pdf"
    return _lines(pdf, 1, _page_count(pdf))


def _in_compendium():
    return sorted((r for r in PROJECT.regulations if r.status in ("active", "draft")),
                  key=lambda r: (r.category, r.number))


@needs_poppler
def test_the_compendium_cover_has_no_header_or_page_number_but_edition_and_date(compendium):
    cover = compendium[1]
    assert _margins(cover) == ("", "")
    text = "".join(line[4] for line in cover)
    assert "管理制度汇编" in text and PROJECT.company.name in text
    assert re.search(r"\d{4}年版", text) and re.search(r"截至\d{4}年\d+月\d+日", text)


@needs_poppler
def test_front_matter_is_numbered_on_its_own_and_the_first_regulation_starts_at_1(compendium):
    footers = {page: _margins(lines)[1].replace(" ", "") for page, lines in compendium.items()}
    first = _in_compendium()[0]
    start = next(page for page, lines in compendium.items() if page > 1
                 and any(line[4].startswith(first.title) and "..." not in line[4]
                         for line in lines if line[1] > TOP))  # the title, not a TOC entry
    assert footers[start] == "—1—"
    assert footers[2] == "—I—"
    assert all(re.fullmatch(r"—[IVXL]+—", footers[page]) for page in range(2, start))
    assert footers[start + 1] == "—2—"


@needs_poppler
@needs_uno
def test_each_regulation_has_its_title_and_number_in_the_running_header(bundled_build,
                                                                        compendium):
    entries = entry_texts(bundled_build / "docx" / "制度汇编.docx")
    regulations = _in_compendium()
    starts = {}
    for regulation in regulations:
        entry = next(e for e in entries if re.fullmatch(re.escape(regulation.title)
                                                        + r"(（草案）)?\d+", e))
        starts[regulation.id] = int(re.search(r"\d+$", entry).group())
    offset = next(page for page, lines in compendium.items()
                  if _margins(lines)[1].replace(" ", "") == "—1—") - 1
    headers = set()
    for regulation in regulations:
        header = _margins(compendium[starts[regulation.id] + offset])[0]
        assert regulation.title in header and regulation.number in header, regulation.id
        assert ("草案" in header) == (regulation.status == "draft"), regulation.id
        headers.add(header)
    assert len(headers) == len(regulations)


@needs_uno
def test_the_docx_table_of_contents_is_filled_in_without_a_field_update(bundled_build):
    for name in ("制度汇编.docx", "sales-management.docx"):
        path = bundled_build / "docx" / name
        with zipfile.ZipFile(path) as package:
            assert package.testzip() is None
            settings = package.read("word/settings.xml").decode()
            body = package.read("word/document.xml").decode()
        assert "updateFields" not in settings, name  # Word asks nothing when opening it
        toc = body[body.index("TOC \\o"):]
        assert 'w:dirty="true"' not in toc[:toc.index('fldCharType="end"')], name
        entries = entry_texts(path)
        assert len(entries) >= 10, name
        assert all(re.search(r"\D\d+$", entry) for entry in entries), name
    long = docx.Document(str(bundled_build / "docx" / "sales-management.docx"))
    listed = [p.text for p in long.paragraphs if p.style.name.startswith("toc")]
    assert listed[0].startswith("一、总则\t") and listed[0].split("\t")[1].isdigit()


def test_without_libreoffice_the_table_of_contents_lists_the_headings(tmp_path):
    out = tmp_path / "out"
    result = run("build", "docx", "--root", ROOT, "--out", out)  # drafts left out by default
    assert result.exit_code == 0, result.output
    compendium = out / "docx" / "制度汇编.docx"
    entries = entry_texts(compendium)
    active = [r for r in _in_compendium() if r.status == "active"]
    titles = [e for e in entries if any(e == r.title for r in PROJECT.regulations)]
    assert titles == [r.title for r in active]  # headings, no page numbers yet, no drafts
    assert not any("草案" in e for e in entries)
    text = "\n".join(p.text for p in docx.Document(str(compendium)).paragraphs)
    assert "（草案）" not in text


HANGING = "，。、；：！？）》”’"


def _wide(text: str) -> bool:
    return all(unicodedata.east_asian_width(c) in "WF" for c in text)


@needs_poppler
def test_full_body_lines_carry_28_characters(bundled_build):
    counts = []
    pdf = bundled_build / "pdf" / "sales-management.pdf"
    for lines in _lines(pdf, 2, 12).values():
        for x0, y0, x1, y1, text in lines:
            full = abs(x0 - LEFT) < 2 and x1 > RIGHT - 18 and y0 > TOP and y1 < BOTTOM
            if full and _wide(text) and y1 - y0 < 24:  # body text: 三号, one line
                # a closing mark may hang in the right margin (标点悬挂), as in Word
                hanging = x1 > RIGHT + 2 and text[-1] in HANGING
                assert x1 < RIGHT + 18 and (x1 < RIGHT + 2 or hanging), text
                counts.append(len(text) - hanging)
    assert len(counts) >= 20
    assert set(counts) == {28}, counts


def _off_pitch(pdf: Path, first: int, last: int) -> dict[int, list[float]]:
    """Per page, where its body lines sit on the 28.95-pt pitch (their top modulo the pitch),
    when they do not all sit at one place."""
    pitch = 28.95
    places = {}
    for page, lines in _lines(pdf, first, last).items():
        tops = [y0 % pitch for x0, y0, x1, y1, text in lines
                if y0 > TOP and y1 < BOTTOM and x0 < LEFT + 35 and 19 < y1 - y0 < 24]
        if tops and max(tops) - min(tops) > 1.5:
            places[page] = sorted(round(top, 1) for top in tops)
    return places


@needs_poppler
def test_body_lines_keep_to_the_line_pitch_across_headings(bundled_build):
    pdf = bundled_build / "pdf" / "sales-management.pdf"
    assert _off_pitch(pdf, 2, 10) == {}  # a space before a heading would shift the lines after it


def test_no_table_row_of_a_regulation_may_break_across_pages(bundled_build):
    loose = {}
    for path in sorted((bundled_build / "docx").glob("*.docx")):
        rows = docx.Document(str(path)).element.body.iter(docx.oxml.ns.qn("w:tr"))
        count = sum(row.find(f"{docx.oxml.ns.qn('w:trPr')}/{docx.oxml.ns.qn('w:cantSplit')}")
                    is None for row in rows)
        if count:
            loose[path.name] = count
    assert loose == {}


def _row_texts(page: list[tuple], first_cell: str) -> str | None:
    """The text right of a table row's first cell on a page, in reading order, or None when
    the first cell is not a line of its own there."""
    starts = [line for line in page if line[4] == first_cell]
    if not starts:
        return None
    edge = starts[0][2]
    return "".join(text for x0, y0, x1, y1, text in sorted(page, key=lambda ln: ln[1])
                   if x0 > edge)


@needs_poppler
@pytest.mark.parametrize("name", ["travel-expense.pdf", "制度汇编.pdf"])
def test_a_table_row_that_does_not_fit_moves_whole_to_the_next_page(bundled_build, name):
    """In 差旅费用管理制度 the transport table's last row would break after its first line."""
    regulation = next(r for r in PROJECT.regulations if r.id == "travel-expense")
    pdf = bundled_build / "pdf" / name
    pages = _lines(pdf, 1, _page_count(pdf))
    checked = 0
    for table in regulation.tables():
        for row in table.rows:
            found = [texts for page in pages.values()
                     if (texts := _row_texts(page, row[0])) is not None]
            if len(found) == 1:
                checked += 1
                assert re.sub(r"\s", "", row[-1]) in found[0], row
    assert checked >= 5
