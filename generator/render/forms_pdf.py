"""Fillable PDF forms drawn with reportlab from the same grid as the Word form.

reportlab draws the page (grid, labels, guides such as 年　月　日) in the Word forms'
face, Noto Serif CJK SC, made TrueType for reportlab by :mod:`form_font` and embedded as a
subset; :mod:`acroform` adds the fields to each page as it is finished, in the same writing
pass. The fields use a standard Chinese font so that Chinese typed into them shows.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.colors import black
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas

from ..model import Form, Project
from . import acroform, form_font, form_layout
from .acroform import Box, FieldSpec
from .form_font import FONT_NAME, FontMissing, FormFont
from .form_layout import Cell, Row

__all__ = ["FontMissing", "characters", "font_for", "render"]
MARGIN = 15 * mm
BOTTOM = 18 * mm   # the grid ends above the footnote and page number
TEXT_SIZE = 10.5   # 五号
TITLE_SIZE = 18    # 小二
NOTE_SIZE = 9
LINE = 5.6 * mm    # one line of printed 10.5 pt text inside a cell
NOTE_LINE = 4.4 * mm
UNBOXED = ("note", "clause")  # running text below the grid: 填表说明, contract clauses
GUIDE_GREY = 0.45
GROW_MM = 30       # at most this much extra height per writing box when a page has room
PDF_BOX, PDF_CHECKED = "□", "■"
RADIO_MM = 3.6
GUIDES = ("签字：", "年　　月　　日")
DRAWN = "".join(GUIDES) + "第页共" + PDF_BOX + PDF_CHECKED
"""Characters this module draws besides the grid's text: guides, page numbers, choices."""


def characters(grid: form_layout.Layout) -> str:
    """Every character the PDF of a laid-out form may draw."""
    texts = [grid.title, grid.header, grid.number_line, grid.footnote, DRAWN]
    for row in grid.rows:
        for cell in row.cells:
            texts += [cell.text, cell.value, *cell.options]
    return "".join(texts)


def font_for(project: Project, forms, values: dict[str, object] | None = None) -> FormFont:
    """The font to draw these forms with (made once per build): their characters in Noto
    Serif CJK SC, or a fallback with a notice; FontMissing without any Chinese font."""
    return form_font.load("".join(characters(form_layout.layout(project, form, values))
                                  for form in forms))


def render(project: Project, form: Form, target: Path,
           values: dict[str, object] | None = None, font: FormFont | None = None) -> Path:
    """Write the form as PDF: fillable when blank, with printed values when `values` given.

    `font` is the build's font (font_for); without it, one is made for this form alone."""
    grid = form_layout.layout(project, form, values)
    (font or form_font.load(characters(grid))).install()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, pageCompression=1, invariant=1)  # no clock
    pdf.setTitle(form.title)
    pdf.setAuthor(project.company.name)
    pdf.setSubject(form.number or form.id)
    painter = _Painter(pdf, grid, filled=values is not None)
    painter.draw()
    painter.writer.finish()
    pdf.save()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(buffer.getvalue())
    return target


@dataclass
class _Placed:
    """A row with its height, on its page."""

    row: Row
    height: float
    page: int


class _Painter:
    """Sizes the rows, breaks them into pages, draws them and notes where fields go."""

    def __init__(self, pdf: canvas.Canvas, grid: form_layout.Layout, filled: bool) -> None:
        self.pdf = pdf
        self.grid = grid
        self.filled = filled
        self.width = A4[0] - 2 * MARGIN
        self.weights = form_layout.grid_weights(grid, TEXT_SIZE / 72 * 25.4, self.width / mm)
        self.fields: list[FieldSpec] = []  # those of the page being drawn
        self.writer = acroform.FieldWriter(pdf, TEXT_SIZE)
        self.page = 0
        self.columns: tuple[float, ...] = ()  # shares of the repeating table being drawn

    def draw(self) -> None:
        """Draw every page of the form, each with its fields."""
        placed = self._place()
        pages = placed[-1].page + 1 if placed else 1
        y = self._start_page(0, pages)
        for item in placed:
            if item.page != self.page:
                self._end_page()
                self.pdf.showPage()
                y = self._start_page(item.page, pages)
            self._row(item.row, y, item.height)
            y -= item.height
        self._end_page()

    def _end_page(self) -> None:
        self.writer.add_page(self.fields)
        self.fields = []

    def _place(self) -> list[_Placed]:
        """Each row's height and page; a one-page form's writing boxes share its spare room."""
        heights = [self._row_height(row) for row in self.grid.rows]
        room = self._top(first=True) - BOTTOM
        growable = [i for i, row in enumerate(self.grid.rows) if _writes_by_hand(row)]
        spare = room - sum(heights) - 1 * mm
        if self.grid.one_page and spare > 0 and growable:
            extra = min(spare / len(growable), GROW_MM * mm)
            for index in growable:
                heights[index] += extra
        placed, page, used = [], 0, 0.0
        for index, (row, height) in enumerate(zip(self.grid.rows, heights, strict=True)):
            following = self._kept_with(index, heights)
            limit = self._top(first=page == 0) - BOTTOM
            if used and used + height + following > limit + 0.5 * mm:
                page, used = page + 1, 0.0
            placed.append(_Placed(row, height, page))
            used += height
        return placed

    def _kept_with(self, index: int, heights: list[float]) -> float:
        """Height that must share the page with row `index`: a heading keeps its first row,
        or its whole section when that is short (a signature block is not split)."""
        rows = self.grid.rows
        if rows[index].kind not in ("section", "head"):
            return 0.0
        end = index + 1
        while end < len(rows) and rows[end].kind != "section":
            end += 1
        section = sum(heights[index + 1:end])
        return section if section <= 60 * mm else heights[index + 1] if end > index + 1 else 0.0

    @staticmethod
    def _top(first: bool) -> float:
        return A4[1] - MARGIN - (17 * mm if first else 2 * mm)

    def _start_page(self, page: int, pages: int) -> float:
        self.page = page
        pdf = self.pdf
        pdf.setFillColor(black)
        pdf.setFont(FONT_NAME, 8)
        pdf.drawString(MARGIN, A4[1] - 10 * mm, self.grid.header)
        if self.grid.footnote:
            pdf.drawString(MARGIN, 10 * mm, self.grid.footnote)
        pdf.drawRightString(A4[0] - MARGIN, 10 * mm, f"第 {page + 1} 页　共 {pages} 页")
        if page == 0:
            top = A4[1] - MARGIN
            pdf.setFont(FONT_NAME, TITLE_SIZE)
            pdf.drawCentredString(A4[0] / 2, top - 8 * mm, self.grid.title)
            pdf.setFont(FONT_NAME, 9)
            pdf.drawRightString(A4[0] - MARGIN, top - 14 * mm, self.grid.number_line)
        return self._top(first=page == 0)

    def _widths(self, row: Row) -> list[float]:
        if row.kind == "head":
            self.columns = form_layout.column_shares(row)
        if row.kind in ("head", "table"):
            shares = self.columns if len(self.columns) == len(row.cells) else \
                [1 / len(row.cells)] * len(row.cells)
            return [share * self.width for share in shares]
        widths, position = [], 0
        for cell in row.cells:
            widths.append(sum(self.weights[position:position + cell.span]) * self.width)
            position += cell.span
        return widths

    def _row_height(self, row: Row) -> float:
        if row.kind in UNBOXED:
            size, line = _running_text(row)
            return len(_wrap(row.cells[0].text, self.width - 2 * mm, size)) * line + 0.8 * mm
        size, line = TEXT_SIZE, LINE
        lines = 1
        for cell, width in zip(row.cells, self._widths(row), strict=True):
            if cell.field is not None and cell.kind == "choice" and not self.filled:
                lines = max(lines, len(_option_lines(cell.options, width)))
                continue
            text = cell.text if cell.field is None else (cell.value if self.filled else "")
            lines = max(lines, len(_wrap(text, width - 3 * mm, size)))
        padding = 1.2 * mm if row.kind == "section" else 2.4 * mm
        return max(form_layout.least_height_mm(row) * mm, lines * line + padding)

    def _row(self, row: Row, top: float, height: float) -> None:
        pdf = self.pdf
        x = MARGIN
        if row.kind in UNBOXED:
            size, line = _running_text(row)
            pdf.setFont(FONT_NAME, size)
            for index, text in enumerate(_wrap(row.cells[0].text, self.width - 2 * mm, size)):
                pdf.drawString(x + 1 * mm, top - size * 0.9 - index * line, text)
            return
        bottom = top - height
        for cell, width in zip(row.cells, self._widths(row), strict=True):
            pdf.setLineWidth(0.6)
            shaded = row.kind in ("section", "head")
            if shaded:
                pdf.setFillGray(0.92)
            pdf.rect(x, bottom, width, height, stroke=1, fill=1 if shaded else 0)
            pdf.setFillColor(black)
            self._cell(cell, row, Box(x, bottom, width, height))
            x += width

    def _cell(self, cell: Cell, row: Row, box: Box) -> None:
        if cell.field is None:
            self._text(cell.text, box, centred=cell.label and row.kind != "section")
        elif self.filled:
            self._text(_printed(cell), box, centred=False)
        else:
            self._field(cell, row, box)

    def _field(self, cell: Cell, row: Row, box: Box) -> None:
        """Note a field for the cell, and draw the guides printed around it."""
        inset = 1.2 * mm
        if cell.kind == "choice":
            self.fields.append(self._radio(cell, box))
            return
        if cell.kind == "checkbox":
            size = 4 * mm
            self.fields.append(FieldSpec(cell.field, "checkbox", self.page,
                                         Box(box.x + inset, box.y + box.height / 2 - size / 2,
                                             size, size)))
            return
        area = Box(box.x + inset, box.y + inset / 2, box.width - 2 * inset,
                   box.height - inset)
        if row.kind == "approval" and cell.kind == "text":  # 签字／日期
            self._guide(GUIDES[0], box.x + 1.5 * mm, box.y + box.height - 4.5 * mm)
            self._guide_right(GUIDES[1], box, box.y + 2 * mm)
            area = Box(area.x, box.y + 6.5 * mm, area.width, box.height - 12 * mm)
        elif cell.kind == "date" and row.kind != "table":
            guide = GUIDES[1]
            self._guide_right(guide, box, box.y + box.height / 2 - TEXT_SIZE * 0.35)
            guide_width = pdfmetrics.stringWidth(guide, FONT_NAME, TEXT_SIZE) + 3 * mm
            area = Box(area.x, area.y, max(area.width - guide_width, 12 * mm), area.height)
        tall = cell.kind in ("text", "signature") and area.height > 2 * LINE
        kind = "multiline" if cell.kind == "multiline" or tall else cell.kind
        self.fields.append(FieldSpec(cell.field, kind, self.page, area, value=cell.value,
                                     tooltip="YYYY-MM-DD" if cell.kind == "date" else ""))

    def _radio(self, cell: Cell, box: Box) -> FieldSpec:
        """One radio button per option, laid out in lines; the labels are drawn beside them."""
        lines = _option_lines(cell.options, box.width)
        size = RADIO_MM * mm
        first = box.y + box.height / 2 + (len(lines) - 1) * LINE / 2
        buttons = []
        self.pdf.setFont(FONT_NAME, TEXT_SIZE)
        for number, line in enumerate(lines):
            middle = first - number * LINE
            cursor = box.x + 1.5 * mm
            for option in line:
                buttons.append((option, Box(cursor, middle - size / 2, size, size)))
                self.pdf.drawString(cursor + size + 1 * mm, middle - TEXT_SIZE * 0.35, option)
                cursor += _option_width(option)
        return FieldSpec(cell.field, "radio", self.page, box, options=tuple(buttons))

    def _guide(self, text: str, x: float, y: float) -> None:
        self.pdf.setFont(FONT_NAME, TEXT_SIZE - 1.5)
        self.pdf.setFillGray(GUIDE_GREY)
        self.pdf.drawString(x, y, text)
        self.pdf.setFillColor(black)

    def _guide_right(self, text: str, box: Box, y: float) -> None:
        self.pdf.setFont(FONT_NAME, TEXT_SIZE)
        self.pdf.setFillGray(GUIDE_GREY)
        self.pdf.drawRightString(box.x + box.width - 2 * mm, y, text)
        self.pdf.setFillColor(black)

    def _text(self, text: str, box: Box, centred: bool, size: float = TEXT_SIZE,
              line: float = LINE) -> None:
        pdf = self.pdf
        lines = _wrap(text, box.width - 3 * mm, size)
        pdf.setFont(FONT_NAME, size)
        first = box.y + box.height / 2 + (len(lines) - 1) * line / 2 - size * 0.35
        for index, text_line in enumerate(lines):
            y = first - index * line
            if centred:
                pdf.drawCentredString(box.x + box.width / 2, y, text_line)
            else:
                pdf.drawString(box.x + 1.5 * mm, y, text_line)


def _running_text(row: Row) -> tuple[float, float]:
    """Type size and line pitch of an unboxed row: notes small, contract clauses 五号."""
    return (NOTE_SIZE, NOTE_LINE) if row.kind == "note" else (TEXT_SIZE, LINE)


def _writes_by_hand(row: Row) -> bool:
    """Rows whose boxes take handwriting of several lines (opinions, descriptions)."""
    return row.kind == "approval" or (
        row.kind == "fields" and any(c.kind == "multiline" for c in row.cells))


def _printed(cell: Cell) -> str:
    """A filled-in value as printed: □/■ for choices (the PDF font has no ☐/☑)."""
    if cell.kind == "choice":
        return "　".join(f"{PDF_CHECKED if o == cell.value else PDF_BOX}{o}"
                        for o in cell.options)
    if cell.kind == "checkbox":
        return PDF_CHECKED if cell.value else PDF_BOX
    return cell.value


def _option_width(option: str) -> float:
    return RADIO_MM * mm + 1 * mm + pdfmetrics.stringWidth(option, FONT_NAME, TEXT_SIZE) + 4 * mm


def _option_lines(options: tuple[str, ...], width: float) -> list[list[str]]:
    """Options of a choice broken into lines that fit the cell."""
    lines: list[list[str]] = [[]]
    used = 1.5 * mm
    for option in options:
        if lines[-1] and used + _option_width(option) > width:
            lines.append([])
            used = 1.5 * mm
        lines[-1].append(option)
        used += _option_width(option)
    return lines


def _wrap(text: str, width: float, size: float) -> list[str]:
    """Break text into lines that fit the width (character by character, as CJK allows).

    The width of a line is summed as it grows, as reportlab's stringWidth sums it; only a
    line within a hair of the limit is measured again with stringWidth itself."""
    if not text:
        return [""]
    face = pdfmetrics.getFont(FONT_NAME).face
    widths, default, scale = face.charWidths, face.defaultWidth, 0.001 * size
    lines, current, total = [], "", 0
    for char in text:
        grown = total + widths.get(ord(char), default)
        measured = scale * grown
        if abs(measured - width) < 1e-6:
            measured = pdfmetrics.stringWidth(current + char, FONT_NAME, size)
        if measured > width and current:
            lines.append(current)
            current, total = char, widths.get(ord(char), default)
        else:
            current, total = current + char, grown
    lines.append(current)
    return lines
