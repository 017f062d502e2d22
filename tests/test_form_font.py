"""The fillable PDF forms' face: Noto Serif CJK SC embedded, in simplified-Chinese glyph forms
as a reader sees them, the same bytes whatever forms are built together, and without Noto a
fallback with a notice."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT, run
from PIL import Image, ImageChops, ImageDraw, ImageFont, ImageStat
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

from generator.load import load_project
from generator.render import form_font, forms_pdf

PROJECT = load_project(ROOT)
NOTO, FAMILY = form_font.NOTO[0]
UMING = form_font.FALLBACK[0][0]
needs_noto = pytest.mark.skipif(not Path(NOTO).exists(),
                                reason="fonts-noto-cjk (Noto Serif CJK) not installed")
needs_poppler = pytest.mark.skipif(shutil.which("pdftoppm") is None,
                                   reason="poppler-utils (pdftoppm, pdffonts) not installed")
DPI = 300


@pytest.fixture(scope="module")
def forms(bundled_build) -> Path:
    return bundled_build / "forms"


def _embedded_fonts(pdf: Path) -> list[str]:
    """Names of the fonts embedded in a PDF, as pdffonts lists them."""
    listing = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True,
                             check=True).stdout.splitlines()[2:]
    return [line.split()[0] for line in listing if line.split()[-5] == "yes"]


@needs_noto
@needs_poppler
def test_every_form_embeds_noto_serif_sc_and_nothing_else(forms):
    pdfs = sorted(forms.glob("*.pdf"))
    assert len(pdfs) == len(PROJECT.forms)
    for pdf in pdfs:
        names = _embedded_fonts(pdf)
        assert names, pdf.name
        assert all(name.split("+")[1] == "NotoSerifCJKsc-Regular" for name in names), \
            (pdf.name, names)


def _face_index(family: str) -> int:
    from fontTools.ttLib import TTCollection

    faces = TTCollection(NOTO, lazy=True).fonts
    return next(n for n, face in enumerate(faces) if face["name"].getBestFamilyName() == family)


def _reference(char: str, family: str, size: float) -> Image.Image:
    """A character drawn by FreeType straight from the CFF face, in a box one em wide."""
    image = Image.new("L", (round(size), round(size * 1.3)), 255)
    face = ImageFont.truetype(NOTO, size=round(size), index=_face_index(family))
    ImageDraw.Draw(image).text((0, round(size * 1.1)), char, font=face, fill=0, anchor="ls")
    return image


def _distance(seen: Image.Image, reference: Image.Image) -> float:
    """Mean grey difference of two images, at the best shift of up to 3 pixels."""
    return min(ImageStat.Stat(ImageChops.difference(seen, ImageChops.offset(reference, dx, dy)))
               .mean[0] for dx in range(-3, 4) for dy in range(-3, 4))


@needs_noto
@needs_poppler
@pytest.mark.parametrize("form_id", ["seal-usage-register", "expense-reimbursement"])
def test_title_shows_simplified_chinese_glyph_forms(forms, tmp_path, form_id):
    """Each character of the title whose SC and JP glyphs differ (印, 章, 表, 差 …) is, in
    pdftoppm's rendering of the PDF, the SC glyph and not the JP one."""
    subprocess.run(["pdftoppm", "-r", str(DPI), "-gray", "-f", "1", "-l", "1", "-singlefile",
                    str(forms / f"{form_id}.pdf"), str(tmp_path / "page")], check=True)
    page = Image.open(tmp_path / "page.pgm")
    title = PROJECT.form_index[form_id].title
    size = forms_pdf.TITLE_SIZE * DPI / 72  # one em in pixels; the title is centred
    left = A4[0] / 2 * DPI / 72 - len(title) * size / 2
    baseline = (forms_pdf.MARGIN + 8 * mm) * DPI / 72  # from the top of the page
    compared = 0
    for index, char in enumerate(title):
        sc, jp = (_reference(char, f"Noto Serif CJK {r}", size) for r in ("SC", "JP"))
        if _distance(sc, jp) < 6:  # the same glyph, or nearly
            continue
        x, y = round(left + index * size), round(baseline - size * 1.1)
        seen = page.crop((x, y, x + sc.width, y + sc.height))
        to_sc, to_jp = _distance(seen, sc), _distance(seen, jp)
        assert to_sc < 8 and to_jp > 2 * to_sc, (char, to_sc, to_jp)
        compared += 1
    assert compared  # at least one such character


@needs_noto
def test_a_forms_pdf_does_not_depend_on_the_forms_built_with_it(forms, tmp_path):
    """The build made one font for all forms; a font made for one form alone gives the same
    bytes (and the same input gives the same font)."""
    form = PROJECT.form_index["vehicle-request"]
    alone = forms_pdf.render(PROJECT, form, tmp_path / "alone.pdf")
    assert alone.read_bytes() == (forms / "vehicle-request.pdf").read_bytes()
    assert form_font.noto_truetype(NOTO, FAMILY, "派车") == \
        form_font.noto_truetype(NOTO, FAMILY, "车派")


@needs_noto
def test_the_converted_face_is_truetype_with_the_characters_asked():
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(form_font.noto_truetype(NOTO, FAMILY, "直骨角申请")))
    assert "glyf" in font and "CFF " not in font
    assert font["name"].getDebugName(6) == "NotoSerifCJKsc-Regular"
    cmap = font.getBestCmap()
    assert all(ord(c) in cmap for c in "直骨角申请AZ09")
    assert ord("单") not in cmap
    assert all(font["glyf"][cmap[ord(c)]].numberOfContours > 0 for c in "直骨角")


@pytest.mark.skipif(not Path(UMING).exists(), reason="fonts-arphic-uming not installed")
def test_without_noto_a_truetype_chinese_font_is_used_with_a_notice(monkeypatch, minimal,
                                                                   tmp_path):
    monkeypatch.setattr(form_font, "NOTO", (("/nonexistent/NotoSerifCJK.ttc", FAMILY),))
    out = tmp_path / "out"
    result = run("build", "forms", "--root", minimal, "--out", out)
    assert result.exit_code == 0, result.output
    assert "not Noto Serif CJK SC" in result.output and "fonts-noto-cjk" in result.output
    if shutil.which("pdffonts"):
        assert "UMing" in _embedded_fonts(out / "forms" / "vehicle-request.pdf")[0]


def test_without_any_chinese_font_the_pdfs_are_skipped_with_a_notice(monkeypatch, minimal,
                                                                     tmp_path):
    monkeypatch.setattr(form_font, "NOTO", (("/nonexistent/NotoSerifCJK.ttc", FAMILY),))
    monkeypatch.setattr(form_font, "FALLBACK", (("/nonexistent/uming.ttc", 0),))
    out = tmp_path / "out"
    result = run("build", "forms", "--root", minimal, "--out", out)
    assert result.exit_code == 0, result.output
    assert "fillable PDF forms skipped" in result.output
    assert list((out / "forms").glob("*.docx")) and not list((out / "forms").glob("*.pdf"))
