"""What a person sees on the blank forms, measured: room to write, Chinese typed into the
fillable PDF, pre-filled values, guides, page numbers, a contract that reads as one."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from conftest import ROOT
from pypdf import PdfReader, PdfWriter

from generator.load import load_project
from generator.render import form_layout

PROJECT = load_project(ROOT)
MM = 72 / 25.4
needs_poppler = pytest.mark.skipif(shutil.which("pdftoppm") is None,
                                   reason="poppler-utils (pdftoppm, pdftotext) not installed")


@pytest.fixture(scope="module")
def forms(bundled_build) -> Path:
    return bundled_build / "forms"


def _drawn_boxes(page) -> list[tuple[float, float, float, float]]:
    """Rectangles drawn on the page (x0, y0, x1, y1), from its content stream."""
    data = page.get_contents().get_data().decode("latin-1")
    boxes = []
    for match in re.finditer(r"([-\d.]+) ([-\d.]+) ([-\d.]+) ([-\d.]+) re", data):
        x, y, w, h = map(float, match.groups())
        boxes.append((x, y, x + w, y + h))
    return boxes


def _cell_of(rect, boxes):
    """The smallest drawn box that holds the widget's rectangle."""
    x0, y0, x1, y1 = (float(v) for v in rect)
    holding = [b for b in boxes if b[0] <= x0 + 0.1 and b[1] <= y0 + 0.1
               and b[2] >= x1 - 0.1 and b[3] >= y1 - 0.1]
    return min(holding, key=lambda b: (b[2] - b[0]) * (b[3] - b[1]))


def _widgets(reader: PdfReader):
    for number, page in enumerate(reader.pages):
        for annotation in page.get("/Annots", []) or []:
            widget = annotation.get_object()
            field = widget.get("/Parent", widget).get_object()
            yield number, page, widget, field


@pytest.mark.parametrize("form", PROJECT.forms, ids=[f.id for f in PROJECT.forms])
def test_every_box_has_room_to_write_by_hand(forms, form):
    reader = PdfReader(forms / f"{form.id}.pdf")
    boxes = {number: _drawn_boxes(page) for number, page in enumerate(reader.pages)}
    kinds = form_layout.field_kinds(PROJECT, form)
    for number, _, widget, field in _widgets(reader):
        if field["/FT"] != "/Tx":
            continue
        x0, y0, x1, y1 = _cell_of(widget["/Rect"], boxes[number])
        name = str(field["/T"])
        least = 20 if name.startswith("approval-") or kinds[name] == "multiline" else 8
        assert (y1 - y0) / MM >= least - 0.05, (name, round((y1 - y0) / MM, 1))


@needs_poppler
def test_chinese_typed_into_a_field_shows(forms, tmp_path):
    reader = PdfReader(forms / "leave-request.pdf")
    writer = PdfWriter(clone_from=reader)
    writer.update_page_form_field_values(writer.pages[0], {"applicant": "张三 Zhang"},
                                         auto_regenerate=False)
    filled = tmp_path / "filled.pdf"
    with filled.open("wb") as stream:
        writer.write(stream)
    text = subprocess.run(["pdftotext", str(filled), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "张三 Zhang" in text
    widget = next(w for _, _, w, f in _widgets(PdfReader(filled)) if f["/T"] == "applicant")
    assert _ink(filled, widget["/Rect"], tmp_path / "filled") > 40
    assert _ink(forms / "leave-request.pdf", widget["/Rect"], tmp_path / "blank") == 0


def _ink(pdf: Path, rect, prefix: Path) -> int:
    """Dark pixels inside rect on page 1, rendered by poppler at 100 dpi."""
    subprocess.run(["pdftoppm", "-r", "100", "-gray", "-f", "1", "-l", "1", str(pdf),
                    str(prefix)], check=True)
    image = next(prefix.parent.glob(prefix.name + "*.pgm")).read_bytes()
    _, size, _, pixels = image.split(b"\n", 3)
    width, height = map(int, size.split())
    scale = 100 / 72
    x0, y0, x1, y1 = (float(v) * scale for v in rect)
    inset = 3
    return sum(1 for y in range(int(height - y1) + inset, int(height - y0) - inset)
               for x in range(int(x0) + inset, int(x1) - inset)
               if pixels[y * width + x] < 100)


def test_fields_use_a_chinese_font(forms):
    reader = PdfReader(forms / "vehicle-request.pdf")
    acroform = reader.trailer["/Root"]["/AcroForm"]
    name = str(acroform["/DA"]).split()[0]
    font = acroform["/DR"]["/Font"][name].get_object()
    assert font["/Subtype"] == "/Type0" and font["/Encoding"] == "/UniGB-UTF16-H"
    descendant = font["/DescendantFonts"][0].get_object()
    assert descendant["/CIDSystemInfo"]["/Ordering"] == "GB1"  # simplified Chinese glyphs
    for _, _, widget, field in _widgets(reader):
        if field["/FT"] == "/Tx":
            assert str(widget["/DA"]).startswith(name + " "), field["/T"]


def test_company_values_are_prefilled_in_the_pdf(forms):
    fields = PdfReader(forms / "sales-contract.pdf").get_fields()
    company = PROJECT.company
    prefilled = {f.name: f.prefill for f in PROJECT.form_index["sales-contract"].all_fields()
                 if f.prefill}
    assert len(prefilled) >= 5
    for name, key in prefilled.items():
        expected = str(getattr(company, key.removeprefix("company.")))
        assert fields[name]["/V"] == expected, name


def test_exclusive_choices_are_radio_groups(forms):
    fields = PdfReader(forms / "leave-request.pdf").get_fields()
    leave_type = fields["leave-type"]
    assert int(leave_type["/Ff"]) & (1 << 15)
    assert list(leave_type["/Opt"]) == ["事假", "病假", "年休假", "婚假", "产假", "丧假", "调休",
                                        "其他"]
    assert len(leave_type["/Kids"]) == 8


@needs_poppler
def test_dates_signatures_and_pages_have_guides(forms):
    text = _text(forms / "leave-request.pdf")
    dates = [name for name, kind in form_layout.field_kinds(
        PROJECT, PROJECT.form_index["leave-request"]).items() if kind == "date"]
    approvals = len(PROJECT.form_index["leave-request"].approval)
    assert len(re.findall(r"年\s+月\s+日", text)) == len(dates) + approvals
    assert text.count("签字：") == approvals
    assert "审批" in text.split("业务部经理意见")[0]  # the approval rows have a heading
    assert re.search(r"第\s*1\s*页\s+共\s*1\s*页", text)  # pdftotext may merge a narrow space
    assert re.search(r"第\s*3\s*页\s+共\s*3\s*页", _text(forms / "sales-contract.pdf"))


def _text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout


@needs_poppler
def test_the_contract_is_signed_after_its_last_clause(forms):
    text = _text(forms / "sales-contract.pdf")
    clauses = PROJECT.form_index["sales-contract"].clauses
    last = text.index(clauses[-1].label)
    assert text.index("签章") > last
    assert text.index("甲方（盖章）") > last
    assert "意见" not in text  # the internal approval is on the 合同审批表, not the contract


@needs_poppler
def test_labels_fit_their_column(forms):
    for form in PROJECT.forms:
        text = _text(forms / f"{form.id}.pdf")
        labels = {c.text for row in form_layout.layout(PROJECT, form).rows for c in row.cells
                  if row.kind in ("fields", "approval") and c.label
                  and len(c.text) <= form_layout.LABEL_FIT}
        broken = [label for label in labels if label not in text]  # wrapped onto two lines
        assert broken == [], form.id


def test_word_form_grid_matches_its_cells(forms):
    document = docx.Document(forms / "vehicle-request.docx")
    table = document.tables[0]
    grid = [column.w for column in table._tbl.tblGrid.gridCol_lst]
    assert len(set(grid)) == 2  # label and value columns differ: not four equal columns
    for row in table.rows:
        for cell in row.cells:
            assert cell.width is not None
    heights = [row.height.mm for row in table.rows if row.height]  # notes: no least height
    assert min(heights) >= 6.4
