"""Fillable fields (AcroForm) on a drawn PDF, in which Chinese can be typed.

reportlab's own form fields can only name the 14 standard Latin fonts: a field set in
Helvetica (WinAnsi) has no Chinese glyphs, and text typed or filled into it shows as
`?` or not at all. The fields here use Adobe's standard simplified-Chinese font
STSong-Light with the UniGB-UTF16-H encoding, not embedded: Acrobat uses its own
Asian fonts, PDFium (Chromium, Edge) and poppler (with poppler-data) an installed
Chinese font. A ToUnicode map lets text be copied out and lets pypdf write the
appearance of values filled in later. The fields are written by reportlab with the pages
they are on (reportlab's document objects), so the PDF is written once.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.pdfbase.pdfdoc import (
    PDFArray,
    PDFDictionary,
    PDFfalse,
    PDFName,
    PDFObject,
    PDFObjectReference,
    PDFStream,
    PDFString,
)
from reportlab.pdfbase.pdfdoc import (
    format as format_object,
)
from reportlab.pdfgen.canvas import Canvas

FONT = "/HbSong"
MULTILINE = 1 << 12
NO_TOGGLE_TO_OFF = 1 << 14
RADIO = 1 << 15
PRINT = 4
DATE_FORMAT = 'AFDate_FormatEx("yyyy-mm-dd");'
DATE_KEYSTROKE = 'AFDate_KeystrokeEx("yyyy-mm-dd");'
# Unicode blocks the ToUnicode map covers: Latin, general and CJK punctuation, CJK ideographs,
# full-width forms (a bfrange may not cross a 256-code boundary, hence the split below).
_ASCENT = 880  # STSong-Light's ascent and top of its box, in 1/1000 em
_LEADING = 1.134  # its box's height in em: the line pitch of text filled in by pypdf
_BLOCKS = ((0x0020, 0x007E), (0x00A0, 0x00FF), (0x2000, 0x206F), (0x2100, 0x218F),
           (0x2460, 0x24FF), (0x3000, 0x303F), (0x4E00, 0x9FFF), (0xFF00, 0xFFEF))


@dataclass(frozen=True)
class Box:
    """A rectangle on a page, in PDF points from the bottom left."""

    x: float
    y: float
    width: float
    height: float

    def rect(self) -> _Numbers:
        """The box as a PDF /Rect."""
        return _Numbers(round(v, 2) for v in
                        (self.x, self.y, self.x + self.width, self.y + self.height))


@dataclass(frozen=True)
class FieldSpec:
    """One field to add: its name, kind (text, multiline, date, checkbox, radio), page and box.

    A radio group has one box per option in `options`; `value` is a text field's pre-filled text.
    """

    name: str
    kind: str
    page: int
    box: Box
    value: str = ""
    tooltip: str = ""
    options: tuple[tuple[str, Box], ...] = ()


class FieldWriter:
    """Adds fields to a reportlab canvas as it draws: the fields of each page go into that
    page's annotations before the page is closed, the AcroForm into the catalog at the end,
    so that the PDF is written once."""

    def __init__(self, pdf: Canvas, font_size: float) -> None:
        self.pdf = pdf
        self.font_size = font_size
        self.appearance = f"{FONT} {font_size:g} Tf 0 g"
        self.references: list[PDFObjectReference] = []
        self.prefilled = False
        self._font: PDFObjectReference | None = None

    @property
    def font(self) -> PDFObjectReference:
        """The fields' Chinese font, added to the document once."""
        if self._font is None:
            self._font = _chinese_font(self.pdf._doc)
        return self._font

    def add_page(self, fields: list[FieldSpec]) -> None:
        """Add the fields of the page being drawn (call before the page is shown)."""
        for spec in fields:
            if spec.kind == "radio":
                self.references.append(self._radio_group(spec))
            elif spec.kind == "checkbox":
                self.references.append(self._annotate(_checkbox(spec)))
            else:
                self.references.append(self._annotate(self._text_field(spec)))

    def finish(self) -> None:
        """Put the AcroForm into the catalog (call before saving, when there are fields)."""
        if not self.references:
            return
        form = {"Fields": PDFArray(self.references), "DA": PDFString(self.appearance),
                "DR": _Dict({"Font": _Dict({FONT[1:]: self.font})})}
        if self.prefilled:  # the appearance of pre-filled values is in the file
            form["NeedAppearances"] = PDFfalse
        self.pdf._doc.Catalog.AcroForm = _Dict(form)

    def _reference(self, obj) -> PDFObjectReference:
        return self.pdf._doc.Reference(obj)

    def _annotate(self, widget: _Dict) -> PDFObjectReference:
        """Add a widget to the current page's annotations."""
        widget["P"] = self.pdf._doc.thisPageRef()
        self.pdf._addAnnotation(widget)  # reportlab's way to annotate the current page
        return self._reference(widget)

    def _text_field(self, spec: FieldSpec) -> _Dict:
        widget = _widget(spec, spec.box)
        multiline = spec.kind == "multiline"
        widget.dict.update({
            "FT": PDFName("Tx"),
            "DA": PDFString(self.appearance),
            "Ff": MULTILINE if multiline else 0,
            "V": PDFString(spec.value),
        })
        if spec.kind == "date":
            widget["AA"] = _Dict({"F": _javascript(DATE_FORMAT),
                                          "K": _javascript(DATE_KEYSTROKE)})
        if spec.value:
            self.prefilled = True
            widget["AP"] = _Dict({"N": self._reference(_text_appearance(
                spec.box, spec.value, self.font_size, multiline,
                _Dict({"Font": _Dict({FONT[1:]: self.font})})))})
        return widget

    def _radio_group(self, spec: FieldSpec) -> PDFObjectReference:
        """A radio group: one parent field, one widget per option; choosing one clears the rest."""
        kids = PDFArray([])
        parent = _Dict({
            "FT": PDFName("Btn"),
            "Ff": RADIO | NO_TOGGLE_TO_OFF,
            "T": PDFString(spec.name),
            "TU": PDFString(spec.tooltip or spec.name),
            "V": PDFName("Off"),
            "Opt": PDFArray([PDFString(o) for o, _ in spec.options]),
            "Kids": kids,
        })
        reference = self._reference(parent)
        for index, (option, box) in enumerate(spec.options):
            state = str(index)  # with /Opt, the n-th state exports the n-th option's text
            kids.sequence.append(self._annotate(_Dict({
                "Type": PDFName("Annot"),
                "Subtype": PDFName("Widget"),
                "Rect": box.rect(),
                "F": PRINT,
                "Parent": reference,
                "TU": PDFString(option),
                "AS": PDFName("Off"),
                "MK": _Dict({"CA": PDFString("l")}),
                "AP": _on_off(box, state, "dot"),
            })))
        return reference


def _widget(spec: FieldSpec, box: Box) -> _Dict:
    widget = _Dict({
        "Type": PDFName("Annot"),
        "Subtype": PDFName("Widget"),
        "Rect": box.rect(),
        "F": PRINT,
        "T": PDFString(spec.name),
    })
    if spec.tooltip:
        widget["TU"] = PDFString(spec.tooltip)
    return widget


def _checkbox(spec: FieldSpec) -> _Dict:
    widget = _widget(spec, spec.box)
    widget.dict.update({
        "FT": PDFName("Btn"),
        "V": PDFName("Off"),
        "AS": PDFName("Off"),
        "MK": _Dict({"CA": PDFString("4")}),
        "AP": _on_off(spec.box, "Yes", "check"),
    })
    return widget


def _text_appearance(box: Box, text: str, size: float, multiline: bool,
                     resources: _Dict) -> PDFStream:
    """A text field's appearance showing text, as PDF readers and pypdf draw it: 2 pt in
    from the left, one line centred (or lines from the top), clipped to the box."""
    x0, y0, x1, y1 = (round(v, 2) for v in (box.x, box.y, box.x + box.width,
                                             box.y + box.height))
    width, height = abs(x1 - x0), abs(y1 - y0)
    ascent = _ASCENT * size / 1000
    y = height - ascent if multiline else (height - ascent) / 2
    parts = [f"q\n/Tx BMC \nq\n2 0 {round(width - 6, 3)} {round(height, 3)} re\n"
             f"W\nBT\n{FONT} {float(size)} Tf 0 g\n"]
    for number, line in enumerate(text.splitlines()):
        step = y if number == 0 else -size * _LEADING
        parts.append(f"{2 if number == 0 else 0} {round(step, 3)} Td\n"
                     f"<{line.encode('utf-16-be').hex()}> Tj\n")
    parts.append("ET\nQ\nEMC\nQ\n")
    return _form_xobject(Box(0, 0, width, height), "".join(parts), resources)


def _on_off(box: Box, on: str, mark: str) -> _Dict:
    """Appearances of a check box (mark "check") or radio button (mark "dot"): off and on."""
    w, h = box.width, box.height
    if mark == "check":
        outline = f"0.6 w 0 G 0.5 0.5 {w - 1:.2f} {h - 1:.2f} re S"
        tick = (0.2 * w, 0.5 * h, 0.42 * w, 0.25 * h, 0.8 * w, 0.78 * h)
        marked = "0.9 w {:.2f} {:.2f} m {:.2f} {:.2f} l {:.2f} {:.2f} l S".format(*tick)
    else:
        outline = "0.6 w 0 G " + _circle(w / 2, h / 2, min(w, h) / 2 - 0.5) + " S"
        marked = "0 g " + _circle(w / 2, h / 2, min(w, h) * 0.22) + " f"
    return _Dict({"N": _Dict({
        on: _form_xobject(box, outline + "\n" + marked),
        "Off": _form_xobject(box, outline),
    })})


def _circle(cx: float, cy: float, r: float) -> str:
    """A circle as four Bezier curves (PDF has no circle operator)."""
    k = 0.5523 * r
    points = [(cx + r, cy), (cx + r, cy + k), (cx + k, cy + r), (cx, cy + r),
              (cx - k, cy + r), (cx - r, cy + k), (cx - r, cy), (cx - r, cy - k),
              (cx - k, cy - r), (cx, cy - r), (cx + k, cy - r), (cx + r, cy - k), (cx + r, cy)]
    text = [f"{points[0][0]:.2f} {points[0][1]:.2f} m"]
    for index in range(1, 13, 3):
        text.append(" ".join(f"{x:.2f} {y:.2f}" for x, y in points[index:index + 3]) + " c")
    return " ".join(text)


def _form_xobject(box: Box, content: str,
                  resources: _Dict | None = None) -> PDFStream:
    entries = {"Type": PDFName("XObject"), "Subtype": PDFName("Form"),
               "BBox": _Numbers((0, 0, round(box.width, 2), round(box.height, 2)))}
    if resources is not None:
        entries["Resources"] = resources
    return PDFStream(_Dict(entries), content.encode("ascii"))


def _javascript(code: str) -> _Dict:
    return _Dict({"S": PDFName("JavaScript"), "JS": PDFString(code)})


class _Dict(PDFDictionary):
    """A PDF dictionary formatted in one go: its keys are plain names and its numbers ints or
    rounded floats, so reportlab's escaping of every name and number is not needed (a form
    has hundreds of fields)."""

    def format(self, document, IND=b"\n "):  # noqa: N803 (reportlab's signature)
        """The dictionary as PDF bytes."""
        return b"<<" + b" ".join(b"/" + key.encode("ascii") + b" " + _format(value, document)
                                 for key, value in self.dict.items()) + b">>"


class _Numbers(PDFObject):
    """An array of numbers (a /Rect, a /BBox), formatted in one go."""

    def __init__(self, numbers) -> None:
        self.numbers = tuple(numbers)

    def format(self, document) -> bytes:
        """The array as PDF bytes."""
        return ("[" + " ".join(repr(n) for n in self.numbers) + "]").encode("ascii")


def _format(value, document) -> bytes:
    """A value of a _Dict: numbers as Python writes them, names (/Off) and keywords as they
    are, anything else (strings, references, streams) by reportlab."""
    if isinstance(value, int | float):
        return repr(value).encode("ascii")
    if isinstance(value, str):
        return value.encode("ascii")
    return format_object(value, document)


def _chinese_font(document) -> PDFObjectReference:
    """Type 0 font STSong-Light, UniGB-UTF16-H: codes are the text's UTF-16BE units."""
    descriptor = _Dict({
        "Type": PDFName("FontDescriptor"),
        "FontName": PDFName("STSong-Light"),
        "Flags": 6,
        "FontBBox": PDFArray([-25, -254, 1000, _ASCENT]),
        "ItalicAngle": 0,
        "Ascent": _ASCENT,
        "Descent": -120,
        "CapHeight": _ASCENT,
        "StemV": 93,
    })
    descendant = _Dict({
        "Type": PDFName("Font"),
        "Subtype": PDFName("CIDFontType0"),
        "BaseFont": PDFName("STSong-Light"),
        "CIDSystemInfo": _Dict({"Registry": PDFString("Adobe"),
                                        "Ordering": PDFString("GB1"), "Supplement": 4}),
        "FontDescriptor": document.Reference(descriptor),
        "DW": 1000,
        "W": PDFArray([1, 95, 500]),
    })
    to_unicode = PDFStream(_Dict(), _to_unicode_cmap().encode("ascii"))
    return document.Reference(_Dict({
        "Type": PDFName("Font"),
        "Subtype": PDFName("Type0"),
        "BaseFont": PDFName("STSong-Light-UniGB-UTF16-H"),
        "Encoding": PDFName("UniGB-UTF16-H"),
        "DescendantFonts": PDFArray([document.Reference(descendant)]),
        "ToUnicode": document.Reference(to_unicode),
    }))


def _to_unicode_cmap() -> str:
    """A ToUnicode CMap mapping each UTF-16 code of the covered blocks to itself."""
    ranges = []
    for low, high in _BLOCKS:
        start = low
        while start <= high:
            end = min(high, start | 0xFF)
            ranges.append(f"<{start:04X}> <{end:04X}> <{start:04X}>")
            start = end + 1
    lines = ["/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
             "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
             "/CMapName /Handbook-UTF16 def", "/CMapType 2 def",
             "1 begincodespacerange <0000> <FFFF> endcodespacerange"]
    for index in range(0, len(ranges), 100):
        chunk = ranges[index:index + 100]
        lines += [f"{len(chunk)} beginbfrange", *chunk, "endbfrange"]
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines)
