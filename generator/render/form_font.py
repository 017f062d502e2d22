"""The typeface of the fillable PDF forms: Noto Serif CJK SC, the Word forms' 宋体.

The Word forms name 宋体, which `templates/fonts.conf` maps to Noto Serif CJK SC. Debian's
fonts-noto-cjk ships it in an OpenType collection with CFF (cubic) outlines, and reportlab
embeds TrueType (quadratic, glyf) outlines only. So the SC face is taken from the
collection, only the glyphs of the characters the forms draw are kept, their outlines are
converted to quadratic curves (cu2qu, within 1 font unit) and the result is handed to
reportlab as an in-memory TrueType font, which reportlab subsets again into each PDF. The SC
face's own character map gives the simplified-Chinese glyph forms (直, 骨, 角 as in GB/T).

Every table reportlab copies into a PDF (head, hhea, maxp, OS/2, name, post) is the same
whatever characters were kept, so a form's PDF does not depend on the other forms built with
it. Without Noto, a TrueType Chinese font (AR PL UMing, WenQuanYi) is used with a notice.
"""

from __future__ import annotations

import copy
import io
import struct
from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont as ReportlabFont

from ..errors import HandbookError

FONT_NAME = "HandbookSong"
NOTO = (  # the collection and the face in it
    ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", "Noto Serif CJK SC"),
)
FALLBACK = (
    ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),       # AR PL UMing CN
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
)
ALWAYS = "".join(chr(code) for code in range(0x20, 0x7F))
"""Characters kept whatever the forms hold: ASCII, which reportlab puts into the first subset
of every PDF whether drawn or not (so a PDF would otherwise depend on the other forms)."""
MAX_ERROR = 1.0
"""Largest distance, in font units (1/1000 em), between a cubic curve and its quadratic."""
# maxp of the converted face: at least the most points and contours of any of its glyphs
# (the largest in Noto Serif CJK SC, converted: 938 points, 42 contours), fixed so that
# maxp does not depend on the glyphs kept.
MAX_POINTS, MAX_CONTOURS = 1024, 128


class FontMissing(HandbookError):
    """No Chinese font for PDF forms is installed."""


@dataclass(frozen=True)
class FormFont:
    """A font for drawing forms with reportlab: its face's name and, for a fallback, why."""

    font: ReportlabFont
    family: str
    notice: str = ""

    def install(self) -> str:
        """Make this font reportlab's FONT_NAME (replacing an earlier build's); the name."""
        if pdfmetrics._fonts.get(FONT_NAME) is not self.font:
            # registerFont keeps the first font of a name and of a face: forget the old one
            pdfmetrics._fonts.pop(FONT_NAME, None)
            pdfmetrics._dynFaceNames.pop(self.font.face.name, None)
            pdfmetrics.registerFont(self.font)
        return FONT_NAME


def load(characters: str) -> FormFont:
    """The forms' font with at least these characters: Noto Serif CJK SC as TrueType, or an
    installed TrueType Chinese font with a notice; FontMissing when there is neither."""
    for path, family in NOTO:
        if Path(path).exists():
            data = noto_truetype(path, family, characters)
            return FormFont(ReportlabFont(FONT_NAME, io.BytesIO(data)), family)
    for path, index in FALLBACK:
        if Path(path).exists():
            font = ReportlabFont(FONT_NAME, path, subfontIndex=index)
            return FormFont(font, font.face.familyName.decode("latin-1"),
                            f"PDF forms set in {Path(path).name}, not Noto Serif CJK SC "
                            "as the Word forms (Debian: apt-get install fonts-noto-cjk)")
    raise FontMissing("fillable PDF forms skipped: no Chinese font "
                      "(Debian: apt-get install fonts-noto-cjk)")


def noto_truetype(path: str, family: str, characters: str) -> bytes:
    """The face `family` of the collection at `path`, with the glyphs of `characters` only
    and quadratic outlines, as TrueType font bytes (the same bytes for the same input)."""
    from fontTools.ttLib import TTCollection, TTFont, newTable
    from fontTools.ttLib.tables.DefaultTable import DefaultTable

    number = next((n for n, face in enumerate(TTCollection(path, lazy=True).fonts)
                   if face["name"].getBestFamilyName() == family), None)
    if number is None:
        raise FontMissing(f"fillable PDF forms skipped: no face {family} in {path}")
    source = TTFont(path, fontNumber=number, lazy=True)
    glyph = _character_map(source)
    mapping = {ord(c): glyph(ord(c)) for c in sorted(set(characters + ALWAYS))}
    mapping = {code: name for code, name in mapping.items() if name}
    notdef = source.getGlyphOrder()[0]
    kept = [notdef, *sorted(set(mapping.values()) - {notdef}, key=source.getGlyphID)]
    font = TTFont(recalcBBoxes=False, recalcTimestamp=False)
    font.sfntVersion = "\x00\x01\x00\x00"
    font.setGlyphOrder(kept)
    for tag in ("head", "hhea"):
        font[tag] = copy.deepcopy(source[tag])
    for tag in ("OS/2", "name"):  # as they are: fontTools would recompute OS/2's char range
        font[tag] = DefaultTable(tag)
        font[tag].data = source.reader[tag]
    font["head"].glyphDataFormat = 0
    font["loca"] = newTable("loca")
    font["glyf"] = glyf = newTable("glyf")
    glyf.glyphOrder, glyf.glyphs = kept, _quadratic(source, kept)
    advances = _advances(source)
    font["hmtx"] = hmtx = newTable("hmtx")
    hmtx.metrics = {}
    for name in kept:
        outline = glyf.glyphs[name]
        outline.recalcBounds(glyf)
        hmtx.metrics[name] = (advances(source.getGlyphID(name)), getattr(outline, "xMin", 0))
    font["cmap"] = _cmap_table(mapping)
    font["maxp"] = _maxp(newTable("maxp"))
    font["post"] = _post(newTable("post"), source["post"])
    output = io.BytesIO()
    font.save(output)
    return output.getvalue()


def _quadratic(source, names: list[str]) -> dict:
    """The glyphs as TrueType glyphs: each cubic curve drawn as quadratic ones, contours
    reversed (TrueType's outer contours run clockwise, CFF's anticlockwise)."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    glyphs = source.getGlyphSet()
    result = {}
    for name in names:
        pen = TTGlyphPen(None)
        glyphs[name].draw(Cu2QuPen(pen, MAX_ERROR, reverse_direction=True))
        result[name] = pen.glyph()
    return result


def _character_map(source):
    """A function giving a code point's glyph name (or None). A CJK face maps tens of
    thousands of code points: its format 12 subtable is read directly, not decompiled."""
    data = source.reader["cmap"]
    count = struct.unpack_from(">H", data, 2)[0]
    records = {(platform, encoding): offset for platform, encoding, offset in
               struct.iter_unpack(">HHI", data[4:4 + 8 * count])}
    if (3, 10) not in records:
        return source.getBestCmap().get
    offset = records[3, 10]
    total = struct.unpack_from(">I", data, offset + 12)[0]
    groups = list(struct.iter_unpack(">III", data[offset + 16:offset + 16 + 12 * total]))
    starts = [group[0] for group in groups]
    order = source.getGlyphOrder()

    def glyph(code: int) -> str | None:
        index = bisect_right(starts, code) - 1
        if index < 0 or code > groups[index][1]:
            return None
        return order[groups[index][2] + code - groups[index][0]]
    return glyph


def _advances(source):
    """A function giving a glyph index's advance width, read from hmtx directly."""
    data = source.reader["hmtx"]
    count = source["hhea"].numberOfHMetrics
    return lambda index: struct.unpack_from(">H", data, 4 * min(index, count - 1))[0]


def _cmap_table(mapping: dict[int, str]):
    """A cmap with Windows format 4 (BMP) and format 12 (all) subtables."""
    from fontTools.ttLib import newTable
    from fontTools.ttLib.tables._c_m_a_p import CmapSubtable

    table = newTable("cmap")
    table.tableVersion = 0
    table.tables = []
    for fmt, encoding, codes in ((4, 1, {c: g for c, g in mapping.items() if c < 0x10000}),
                                 (12, 10, mapping)):
        subtable = CmapSubtable.newSubtable(fmt)
        subtable.platformID, subtable.platEncID, subtable.language = 3, encoding, 0
        subtable.cmap = codes
        table.tables.append(subtable)
    return table


def _maxp(maxp):
    """maxp 1.0 for glyphs without instructions, with fixed upper bounds."""
    maxp.tableVersion = 0x00010000
    for name in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                 "maxStackElements", "maxSizeOfInstructions", "maxComponentElements",
                 "maxCompositePoints", "maxCompositeContours", "maxComponentDepth"):
        setattr(maxp, name, 0)
    maxp.maxZones, maxp.maxPoints, maxp.maxContours = 1, MAX_POINTS, MAX_CONTOURS
    maxp.numGlyphs = 0  # set from the glyph order when saved
    return maxp


def _post(post, source):
    """post format 3 (no glyph names) with the source face's underline and pitch."""
    post.formatType = 3.0
    for name in ("italicAngle", "underlinePosition", "underlineThickness", "isFixedPitch",
                 "minMemType42", "maxMemType42", "minMemType1", "maxMemType1"):
        setattr(post, name, getattr(source, name))
    return post
