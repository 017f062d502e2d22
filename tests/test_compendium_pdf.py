"""The 制度汇编's PDF, assembled from parts of a few regulations: the page numbers printed in
the footers (read off the pages by pdftotext) agree with its table of contents, its
outline and its page labels; an edit converts only the part it changes; joining costs
in proportion to the pages."""

from __future__ import annotations

import re
import shutil
import subprocess
import time

import pypdf
import pytest
from conftest import run

from generator import compendium_build
from generator.render import pdf as pdf_renderer
from generator.render import pdf_compendium

needs_office = pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None
    or pdf_renderer.uno_python() is None,
    reason="LibreOffice, its Python bridge or poppler's pdftotext is not installed")

FOOTER = re.compile(r"—\s*([0-9]+|[IVXLC]+)\s*—\s*$")
TOC_ENTRY = re.compile(r"^\s*(\S.*?)\s*\.{3,}\s*(\d+)\s*$")


def _pages(pdf) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    return text.split("\f")[:-1]


def _printed(page: str) -> str | None:
    """The page number in the page's footer (its last line of text), None without one."""
    lines = [line for line in page.splitlines() if line.strip()]
    found = FOOTER.search(lines[-1]) if lines else None
    return found.group(1) if found else None


def _roman(number: int) -> str:
    digits = ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
    text = ""
    for value, letters in digits:
        while number >= value:
            text, number = text + letters, number - value
    return text


def _outline(reader: pypdf.PdfReader) -> list[tuple[int, str, int]]:
    found: list[tuple[int, str, int]] = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append((depth, str(item.title), reader.get_destination_page_number(item)))

    walk(reader.outline, 1)
    return found


@needs_office
def test_printed_page_numbers_agree_with_contents_outline_and_labels(bundled_build):
    pdf = bundled_build / "pdf" / "制度汇编.pdf"
    pages = _pages(pdf)
    reader = pypdf.PdfReader(pdf)
    printed = [_printed(page) for page in pages]
    assert printed[0] is None  # the cover
    body = printed.index("1")
    assert printed[1:body] == [_roman(n) for n in range(1, body)]
    assert printed[body:] == [str(n) for n in range(1, len(pages) - body + 1)]
    assert reader.page_labels == ["封面", *printed[1:]]
    contents = [TOC_ENTRY.match(line) for page in pages[1:body] for line in page.splitlines()]
    listed = [("".join(m.group(1).split()), m.group(2)) for m in contents if m]
    outline = _outline(reader)
    assert len([depth for depth, _, _ in outline if depth == 1]) >= 20
    assert len(outline) > 70
    assert listed == [("".join(title.split()), printed[page]) for _, title, page in outline]
    for _, title, page in outline:  # each entry leads to its heading
        assert "".join(title.split())[:6] in "".join(pages[page].split()), title
    links = [reader.get_page_number(link["/Dest"][0].get_object())
             for page in reader.pages[1:body] for link in page.get("/Annots", [])
             if link.get_object().get("/Subtype") == "/Link"]
    assert links == [page for _, _, page in outline]  # each line of the contents is a link


@needs_office
@pytest.mark.parametrize("name", ["sales-management", "commerce-daily"])
def test_a_regulations_own_contents_give_the_printed_page_of_each_heading(bundled_build, name):
    pages = _pages(bundled_build / "pdf" / f"{name}.pdf")
    printed = [_printed(page) for page in pages]
    assert printed == [str(n) for n in range(1, len(pages) + 1)]
    listed = [(m.group(1), m.group(2)) for page in pages for line in page.splitlines()
              if (m := TOC_ENTRY.match(line))]
    assert len(listed) >= 5, name
    for text, number in listed:
        page = pages[printed.index(number)]
        body = [line for line in page.splitlines() if not TOC_ENTRY.match(line)]
        assert any("".join(line.split()) == "".join(text.split()) for line in body), \
            (name, text, number)


@needs_office
def test_a_one_article_edit_converts_that_regulations_part_again_and_no_other(
        minimal, tmp_path, monkeypatch):
    monkeypatch.setattr(compendium_build, "CHUNK", 1)  # a part per regulation
    regulations = minimal / "regulations"
    other = (regulations / "rules.yaml").read_text(encoding="utf-8")
    other = other.replace("id: rules", "id: other").replace("YW-ZD-001", "YW-ZD-002")
    (regulations / "other.yaml").write_text(other.replace("业务管理制度", "其他管理制度"),
                                            encoding="utf-8")
    out = tmp_path / "out"
    assert run("build", "pdf", "--root", minimal, "--out", out).exit_code == 0
    parts = out / ".cache" / "compendium" / "pdf"
    before = {path.name: path.stat().st_mtime_ns for path in parts.glob("*.pdf")}
    assert set(before) == {"rules.pdf", "other.pdf", "_front.pdf"}
    path = regulations / "other.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("特制定本制度", "特制定本办法"),
                    encoding="utf-8")
    assert run("build", "pdf", "--root", minimal, "--out", out).exit_code == 0
    after = {path.name: path.stat().st_mtime_ns for path in parts.glob("*.pdf")}
    assert after["rules.pdf"] == before["rules.pdf"]  # first, unchanged: kept
    assert after["other.pdf"] != before["other.pdf"]
    text = "".join(_pages(out / "pdf" / "制度汇编.pdf")).replace(" ", "")
    assert "特制定本办法" in text and "特制定本制度" in text


def _blank_parts(folder, count: int, pages: int) -> pdf_compendium.Sequence:
    writer = pypdf.PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    folder.mkdir(parents=True, exist_ok=True)
    parts = [pdf_compendium.Part(f"r{n}", folder / f"r{n}.docx", "", [(1, f"制度{n}")],
                                 pages=pages, offsets=[0]) for n in range(count)]
    sequence = pdf_compendium.Sequence(parts, folder, b"", True, lambda pages: None)
    for part in parts:
        writer.write(sequence.pdf_dir / f"{part.name}.pdf")
    writer.write(sequence.pdf_dir / f"{pdf_compendium.FRONT}.pdf")
    return sequence


def test_joining_the_parts_costs_in_proportion_to_their_number(tmp_path):
    costs = {}
    for count in (40, 160):
        sequence = _blank_parts(tmp_path / str(count), count, 4)
        runs = []
        for _ in range(3):  # the least of three: a shared machine's pauses left out
            started = time.process_time()
            total = pdf_compendium.merge(sequence, tmp_path / f"{count}.pdf")
            runs.append((time.process_time() - started) / count)
        costs[count] = min(runs)
        assert total == 4 + 4 * count
        reader = pypdf.PdfReader(tmp_path / f"{count}.pdf")
        assert [page for _, _, page in _outline(reader)] == [4 + 4 * n for n in range(count)]
    assert costs[160] < 2 * costs[40], costs  # per part: not growing with the count
