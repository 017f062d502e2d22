"""Fillable fields (AcroForm) on a drawn PDF, in which Chinese can be typed.

reportlab's own form fields can only name the 14 standard Latin fonts: a field set in
Helvetica (WinAnsi) has no Chinese glyphs, and text typed or filled into it shows as
`?` or not at all. The fields here use Adobe's standard simplified-Chinese font
STSong-Light with the UniGB-UTF16-H encoding, not embedded: Acrobat uses its own
Asian fonts, PDFium (Chromium, Edge) and poppler (with poppler-data) an installed
Chinese font. A ToUnicode map lets text be copied out and lets pypdf write the
appearance of values it fills in. The fields are added with pypdf, in one pass over
the page reportlab drew.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NumberObject,
    StreamObject,
    TextStringObject,
)

FONT = "/HbSong"
MULTILINE = 1 << 12
NO_TOGGLE_TO_OFF = 1 << 14
RADIO = 1 << 15
PRINT = 4
DATE_FORMAT = 'AFDate_FormatEx("yyyy-mm-dd");'
DATE_KEYSTROKE = 'AFDate_KeystrokeEx("yyyy-mm-dd");'
# Unicode blocks the ToUnicode map covers: Latin, general and CJK punctuation, CJK ideographs,
# full-width forms (a bfrange may not cross a 256-code boundary, hence the split below).
_BLOCKS = ((0x0020, 0x007E), (0x00A0, 0x00FF), (0x2000, 0x206F), (0x2100, 0x218F),
           (0x2460, 0x24FF), (0x3000, 0x303F), (0x4E00, 0x9FFF), (0xFF00, 0xFFEF))


@dataclass(frozen=True)
class Box:
    """A rectangle on a page, in PDF points from the bottom left."""

    x: float
    y: float
    width: float
    height: float

    def rect(self) -> ArrayObject:
        """The box as a PDF /Rect."""
        return ArrayObject(FloatObject(round(v, 2)) for v in
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


def attach(pdf: bytes, fields: list[FieldSpec], font_size: float) -> bytes:
    """Return pdf with the fields added as AcroForm fields using a Chinese font."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    appearance = f"{FONT} {font_size:g} Tf 0 g"
    font = writer._add_object(_chinese_font(writer))  # pypdf's way to add an indirect object
    references: list[IndirectObject] = []
    prefilled: dict[int, dict[str, str]] = {}
    for spec in fields:
        if spec.kind == "radio":
            references.append(_radio_group(writer, spec))
            continue
        if spec.kind == "checkbox":
            widget = _checkbox(spec)
        else:
            widget = _text_field(spec, appearance)
            if spec.value:
                prefilled.setdefault(spec.page, {})[spec.name] = spec.value
        references.append(_add_widget(writer, spec.page, widget))
    writer._root_object[NameObject("/AcroForm")] = DictionaryObject({
        NameObject("/Fields"): ArrayObject(references),
        NameObject("/DA"): TextStringObject(appearance),
        NameObject("/DR"): DictionaryObject({NameObject("/Font"): DictionaryObject(
            {NameObject(FONT): font})}),
    })
    for page, values in prefilled.items():  # pypdf writes their appearance in our font
        writer.update_page_form_field_values(writer.pages[page], values, auto_regenerate=False)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def _add_widget(writer: PdfWriter, page: int, widget: DictionaryObject) -> IndirectObject:
    widget[NameObject("/P")] = writer.pages[page].indirect_reference
    reference = writer._add_object(widget)
    annotations = writer.pages[page].get("/Annots")
    if annotations is None:
        annotations = ArrayObject()
        writer.pages[page][NameObject("/Annots")] = annotations
    annotations.get_object().append(reference)
    return reference


def _widget(spec: FieldSpec, box: Box) -> DictionaryObject:
    widget = DictionaryObject({
        NameObject("/Type"): NameObject("/Annot"),
        NameObject("/Subtype"): NameObject("/Widget"),
        NameObject("/Rect"): box.rect(),
        NameObject("/F"): NumberObject(PRINT),
        NameObject("/T"): TextStringObject(spec.name),
    })
    if spec.tooltip:
        widget[NameObject("/TU")] = TextStringObject(spec.tooltip)
    return widget


def _text_field(spec: FieldSpec, appearance: str) -> DictionaryObject:
    widget = _widget(spec, spec.box)
    widget.update({
        NameObject("/FT"): NameObject("/Tx"),
        NameObject("/DA"): TextStringObject(appearance),
        NameObject("/Ff"): NumberObject(MULTILINE if spec.kind == "multiline" else 0),
        NameObject("/V"): TextStringObject(""),
    })
    if spec.kind == "date":
        widget[NameObject("/AA")] = DictionaryObject({
            NameObject("/F"): _javascript(DATE_FORMAT),
            NameObject("/K"): _javascript(DATE_KEYSTROKE),
        })
    return widget


def _checkbox(spec: FieldSpec) -> DictionaryObject:
    widget = _widget(spec, spec.box)
    widget.update({
        NameObject("/FT"): NameObject("/Btn"),
        NameObject("/V"): NameObject("/Off"),
        NameObject("/AS"): NameObject("/Off"),
        NameObject("/MK"): DictionaryObject({NameObject("/CA"): TextStringObject("4")}),
        NameObject("/AP"): _on_off(spec.box, "/Yes", "check"),
    })
    return widget


def _radio_group(writer: PdfWriter, spec: FieldSpec) -> IndirectObject:
    """A radio group: one parent field, one widget per option; choosing one clears the rest."""
    parent = writer._add_object(DictionaryObject({
        NameObject("/FT"): NameObject("/Btn"),
        NameObject("/Ff"): NumberObject(RADIO | NO_TOGGLE_TO_OFF),
        NameObject("/T"): TextStringObject(spec.name),
        NameObject("/TU"): TextStringObject(spec.tooltip or spec.name),
        NameObject("/V"): NameObject("/Off"),
        NameObject("/Opt"): ArrayObject(TextStringObject(o) for o, _ in spec.options),
        NameObject("/Kids"): ArrayObject(),
    }))
    for index, (option, box) in enumerate(spec.options):
        state = f"/{index}"  # with /Opt, the n-th state exports the n-th option's text
        kid = DictionaryObject({
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Widget"),
            NameObject("/Rect"): box.rect(),
            NameObject("/F"): NumberObject(PRINT),
            NameObject("/Parent"): parent,
            NameObject("/TU"): TextStringObject(option),
            NameObject("/AS"): NameObject("/Off"),
            NameObject("/MK"): DictionaryObject({NameObject("/CA"): TextStringObject("l")}),
            NameObject("/AP"): _on_off(box, state, "dot"),
        })
        parent.get_object()["/Kids"].append(_add_widget(writer, spec.page, kid))
    return parent


def _on_off(box: Box, on: str, mark: str) -> DictionaryObject:
    """Appearances of a check box (mark "check") or radio button (mark "dot"): off and on."""
    w, h = box.width, box.height
    if mark == "check":
        outline = f"0.6 w 0 G 0.5 0.5 {w - 1:.2f} {h - 1:.2f} re S"
        tick = (0.2 * w, 0.5 * h, 0.42 * w, 0.25 * h, 0.8 * w, 0.78 * h)
        marked = "0.9 w {:.2f} {:.2f} m {:.2f} {:.2f} l {:.2f} {:.2f} l S".format(*tick)
    else:
        outline = "0.6 w 0 G " + _circle(w / 2, h / 2, min(w, h) / 2 - 0.5) + " S"
        marked = "0 g " + _circle(w / 2, h / 2, min(w, h) * 0.22) + " f"
    return DictionaryObject({NameObject("/N"): DictionaryObject({
        NameObject(on): _form_xobject(box, outline + "\n" + marked),
        NameObject("/Off"): _form_xobject(box, outline),
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


def _form_xobject(box: Box, content: str) -> StreamObject:
    stream = StreamObject()
    stream.update({
        NameObject("/Type"): NameObject("/XObject"),
        NameObject("/Subtype"): NameObject("/Form"),
        NameObject("/BBox"): ArrayObject(FloatObject(v) for v in
                                         (0, 0, round(box.width, 2), round(box.height, 2))),
    })
    stream.set_data(content.encode("ascii"))
    return stream


def _javascript(code: str) -> DictionaryObject:
    return DictionaryObject({NameObject("/S"): NameObject("/JavaScript"),
                             NameObject("/JS"): TextStringObject(code)})


def _chinese_font(writer: PdfWriter) -> DictionaryObject:
    """Type 0 font STSong-Light, UniGB-UTF16-H: codes are the text's UTF-16BE units."""
    descriptor = DictionaryObject({
        NameObject("/Type"): NameObject("/FontDescriptor"),
        NameObject("/FontName"): NameObject("/STSong-Light"),
        NameObject("/Flags"): NumberObject(6),
        NameObject("/FontBBox"): ArrayObject(NumberObject(v) for v in (-25, -254, 1000, 880)),
        NameObject("/ItalicAngle"): NumberObject(0),
        NameObject("/Ascent"): NumberObject(880),
        NameObject("/Descent"): NumberObject(-120),
        NameObject("/CapHeight"): NumberObject(880),
        NameObject("/StemV"): NumberObject(93),
    })
    descendant = DictionaryObject({
        NameObject("/Type"): NameObject("/Font"),
        NameObject("/Subtype"): NameObject("/CIDFontType0"),
        NameObject("/BaseFont"): NameObject("/STSong-Light"),
        NameObject("/CIDSystemInfo"): DictionaryObject({
            NameObject("/Registry"): TextStringObject("Adobe"),
            NameObject("/Ordering"): TextStringObject("GB1"),
            NameObject("/Supplement"): NumberObject(4),
        }),
        NameObject("/FontDescriptor"): writer._add_object(descriptor),
        NameObject("/DW"): NumberObject(1000),
        NameObject("/W"): ArrayObject([NumberObject(1), NumberObject(95), NumberObject(500)]),
    })
    to_unicode = StreamObject()
    to_unicode.set_data(_to_unicode_cmap().encode("ascii"))
    return DictionaryObject({
        NameObject("/Type"): NameObject("/Font"),
        NameObject("/Subtype"): NameObject("/Type0"),
        NameObject("/BaseFont"): NameObject("/STSong-Light-UniGB-UTF16-H"),
        NameObject("/Encoding"): NameObject("/UniGB-UTF16-H"),
        NameObject("/DescendantFonts"): ArrayObject([writer._add_object(descendant)]),
        NameObject("/ToUnicode"): writer._add_object(to_unicode),
    })


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
