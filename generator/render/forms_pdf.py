"""Fillable PDF forms (AcroForm) drawn with reportlab from the same grid as the Word form.

reportlab is used because it writes real AcroForm fields (text, multi-line,
checkbox) at exact positions and embeds a TrueType font as a subset. Chinese
labels need a TrueType-outline CJK font (reportlab cannot embed the CFF outlines
of Noto CJK): AR PL UMing from Debian's fonts-arphic-uming. Date fields get
Acrobat's date format action (AFDate_FormatEx) added with pypdf afterwards.
"""

from __future__ import annotations

import io
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject
from reportlab.lib.colors import black, white
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from ..errors import HandbookError
from ..model import Form, Project
from . import form_layout
from .form_layout import Cell, Row

FONT_NAME = "HandbookSong"
FONT_FILES = (
    ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),       # AR PL UMing CN
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
)
MARGIN = 18 * mm
LINE = 5.2 * mm
NOTE_LINE = 4 * mm
NOTE_SIZE = 8
LABEL_SIZE = 9.5
TEXT_SIZE = 9.5
GRID_WEIGHTS = (0.19, 0.31, 0.19, 0.31)
PDF_BOX, PDF_CHECKED = "□", "■"
DATE_FORMAT = 'AFDate_FormatEx("yyyy-mm-dd");'
DATE_KEYSTROKE = 'AFDate_KeystrokeEx("yyyy-mm-dd");'


class FontMissing(HandbookError):
    """No TrueType CJK font for PDF forms is installed."""


def register_font() -> str:
    """Register the CJK TrueType font once; raise FontMissing with the package to install."""
    if FONT_NAME in pdfmetrics.getRegisteredFontNames():
        return FONT_NAME
    for path, index in FONT_FILES:
        if Path(path).exists():
            pdfmetrics.registerFont(TTFont(FONT_NAME, path, subfontIndex=index))
            return FONT_NAME
    raise FontMissing("fillable PDF forms skipped: no TrueType Chinese font "
                      "(Debian: apt-get install fonts-arphic-uming)")


def render(project: Project, form: Form, target: Path,
           values: dict[str, object] | None = None) -> Path:
    """Write the form as PDF: fillable when blank, with printed values when `values` given."""
    register_font()
    grid = form_layout.layout(project, form, values)
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, pageCompression=1)
    pdf.setTitle(form.title)
    pdf.setAuthor(project.company.name)
    pdf.setSubject(form.number or form.id)
    painter = _Painter(pdf, grid, filled=values is not None)
    painter.draw()
    pdf.save()
    data = _add_date_actions(buffer.getvalue(), painter.date_fields)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return target


class _Painter:
    """Draws the grid row by row, starting new pages as needed."""

    def __init__(self, pdf: canvas.Canvas, grid: form_layout.Layout, filled: bool) -> None:
        self.pdf = pdf
        self.grid = grid
        self.filled = filled
        self.width = A4[0] - 2 * MARGIN
        self.date_fields: list[str] = []
        self.y = 0.0
        self.page = 0

    def draw(self) -> None:
        self._new_page(first=True)
        for row in self.grid.rows:
            height = self._row_height(row)
            if self.y - height < MARGIN:
                self.pdf.showPage()
                self._new_page(first=False)
            self._row(row, height)

    def _new_page(self, first: bool) -> None:
        self.page += 1
        pdf = self.pdf
        top = A4[1] - MARGIN
        pdf.setFont(FONT_NAME, 8)
        pdf.drawString(MARGIN, A4[1] - 12 * mm, self.grid.header)
        if self.grid.footnote:
            pdf.drawString(MARGIN, 10 * mm, self.grid.footnote)
        pdf.drawRightString(A4[0] - MARGIN, 10 * mm, f"第 {self.page} 页")
        if first:
            pdf.setFont(FONT_NAME, 18)
            pdf.drawCentredString(A4[0] / 2, top - 8 * mm, self.grid.title)
            pdf.setFont(FONT_NAME, 9)
            pdf.drawRightString(A4[0] - MARGIN, top - 14 * mm, self.grid.number_line)
            self.y = top - 17 * mm
        else:
            self.y = top - 4 * mm

    def _widths(self, row: Row) -> list[float]:
        if row.kind in ("head", "table"):
            return [self.width / len(row.cells)] * len(row.cells)
        widths = []
        position = 0
        for cell in row.cells:
            widths.append(sum(GRID_WEIGHTS[position:position + cell.span]) * self.width)
            position += cell.span
        return widths

    def _row_height(self, row: Row) -> float:
        size, line = (NOTE_SIZE, NOTE_LINE) if row.kind in ("note", "clause") else \
            (TEXT_SIZE, LINE)
        lines = row.height if row.kind not in ("note", "clause") else 1
        for cell, width in zip(row.cells, self._widths(row), strict=True):
            text = cell.text if cell.field is None else (cell.value if self.filled else "")
            lines = max(lines, len(_wrap(text, width - 3 * mm, size)))
        return lines * line + (1.5 * mm if row.kind in ("note", "clause") else 0)

    def _row(self, row: Row, height: float) -> None:
        pdf = self.pdf
        x = MARGIN
        bottom = self.y - height
        for cell, width in zip(row.cells, self._widths(row), strict=True):
            pdf.setLineWidth(0.6)
            pdf.rect(x, bottom, width, height, stroke=1, fill=0)
            if row.kind in ("section", "head"):
                pdf.setFillGray(0.92)
                pdf.rect(x, bottom, width, height, stroke=1, fill=1)
                pdf.setFillColor(black)
            self._cell(cell, row, x, bottom, width, height)
            x += width
        self.y = bottom

    def _cell(self, cell: Cell, row: Row, x: float, bottom: float, width: float,
              height: float) -> None:
        pdf = self.pdf
        if cell.field is None:
            centred = cell.label and row.kind not in ("section",)
            small = row.kind in ("note", "clause")
            self._text(cell.text, x, bottom, width, height, centred=centred,
                       size=NOTE_SIZE if small else TEXT_SIZE,
                       line=NOTE_LINE if small else LINE)
            return
        if self.filled:
            shown = cell.value
            if cell.kind == "choice":  # □/■: the PDF font has no ☐/☑ glyphs
                shown = "　".join(f"{PDF_CHECKED if o == cell.value else PDF_BOX}{o}"
                                 for o in cell.options)
            elif cell.kind == "checkbox":
                shown = PDF_CHECKED if cell.value else PDF_BOX
            self._text(shown, x, bottom, width, height, centred=False)
            return
        form = pdf.acroForm
        inset = 1.2 * mm
        if cell.kind == "choice":
            cursor = x + inset
            middle = bottom + height / 2
            for index, option in enumerate(cell.options, start=1):
                form.checkbox(name=f"{cell.field}-{index}", tooltip=option, x=cursor,
                              y=middle - 2 * mm, size=4 * mm, buttonStyle="check",
                              borderColor=black, fillColor=white, forceBorder=True)
                pdf.setFont(FONT_NAME, TEXT_SIZE)
                pdf.drawString(cursor + 5 * mm, middle - 1.3 * mm, option)
                cursor += 5 * mm + pdfmetrics.stringWidth(option, FONT_NAME, TEXT_SIZE) + 3 * mm
            return
        if cell.kind == "checkbox":
            form.checkbox(name=cell.field, x=x + inset, y=bottom + height / 2 - 2 * mm,
                          size=4 * mm, buttonStyle="check", borderColor=black,
                          fillColor=white, forceBorder=True)
            return
        multiline = cell.kind == "multiline" or height > LINE
        form.textfield(name=cell.field, x=x + inset, y=bottom + inset / 2,
                       width=width - 2 * inset, height=height - inset, borderWidth=0,
                       fillColor=white, textColor=black, fontSize=TEXT_SIZE,
                       fieldFlags="multiline" if multiline else "",
                       tooltip="YYYY-MM-DD" if cell.kind == "date" else "")
        if cell.kind == "date":
            self.date_fields.append(cell.field)

    def _text(self, text: str, x: float, bottom: float, width: float, height: float,
              centred: bool, size: float = TEXT_SIZE, line: float = LINE) -> None:
        pdf = self.pdf
        lines = _wrap(text, width - 3 * mm, size)
        pdf.setFont(FONT_NAME, size)
        first = bottom + height / 2 + (len(lines) - 1) * line / 2 - size * 0.35
        for index, text_line in enumerate(lines):
            y = first - index * line
            if centred:
                pdf.drawCentredString(x + width / 2, y, text_line)
            else:
                pdf.drawString(x + 1.5 * mm, y, text_line)


def _wrap(text: str, width: float, size: float) -> list[str]:
    """Break text into lines that fit the width (character by character, as CJK allows)."""
    if not text:
        return [""]
    lines, current = [], ""
    for char in text:
        if pdfmetrics.stringWidth(current + char, FONT_NAME, size) > width and current:
            lines.append(current)
            current = char
        else:
            current += char
    lines.append(current)
    return lines


def _add_date_actions(data: bytes, date_fields: list[str]) -> bytes:
    """Give date fields Acrobat's date format and keystroke actions."""
    if not date_fields:
        return data
    reader = PdfReader(io.BytesIO(data))
    writer = PdfWriter(clone_from=reader)
    wanted = set(date_fields)
    for page in writer.pages:
        for annotation in page.get("/Annots", []) or []:
            widget = annotation.get_object()
            if widget.get("/T") in wanted:
                widget[NameObject("/AA")] = DictionaryObject({
                    NameObject("/F"): _javascript(DATE_FORMAT),
                    NameObject("/K"): _javascript(DATE_KEYSTROKE),
                })
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def _javascript(code: str) -> DictionaryObject:
    return DictionaryObject({NameObject("/S"): NameObject("/JavaScript"),
                             NameObject("/JS"): TextStringObject(code)})


