"""Create templates/reference.docx, the Word style template the .docx renderer fills.

Run once (or to reset the template): `.venv/bin/python scripts/make_reference_docx.py`.
After that the template is the source of truth: open it in Word, change a style
(font, size, spacing, margins), save, and the next `handbook build docx` follows.
The renderer only applies the style names defined here; it sets no fonts or sizes.

Defaults follow GB/T 9704-2012 practice: A4, margins 37/35/28/26 mm, title 二号
方正小标宋简体, headings 三号 黑体, body 三号 仿宋_GB2312 with fixed 28.95 pt lines
on a document grid of 22 lines of 28 characters, page numbers 四号 宋体 as "— 1 —".
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import docx
import yaml
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

ROOT = Path(__file__).resolve().parent.parent
LINE = Pt(28.95)  # 22 lines on the A4 text block
BODY_SIZE = 16  # 三号
CHARS_PER_LINE = 28
STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"


def east_asian(style_or_rpr_owner, east_asia: str, latin: str = "Times New Roman") -> None:
    """Set Latin and East Asian fonts and mark the text as zh-CN."""
    rpr = style_or_rpr_owner.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attribute), latin)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:hint"), "eastAsia")
    zh_language(rpr)


def zh_language(rpr) -> None:
    """Mark run properties as Latin en-US, East Asian zh-CN."""
    language = rpr.find(qn("w:lang"))
    if language is None:
        language = OxmlElement("w:lang")
        rpr.append(language)
    language.set(qn("w:val"), "en-US")
    language.set(qn("w:eastAsia"), "zh-CN")


def a4_page(document, margins: tuple[int, int, int, int], header: int, footer: int) -> None:
    """A4 with margins (top, bottom, left, right) and header/footer distances in mm."""
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    top, bottom, left, right = (Mm(m) for m in margins)
    section.top_margin, section.bottom_margin = top, bottom
    section.left_margin, section.right_margin = left, right
    section.header_distance, section.footer_distance = Mm(header), Mm(footer)


def line_grid(document, size: float, chars: int) -> float:
    """The line pitch of GB/T 9704 in the document grid (lines LINE apart; the body styles
    keep to it with exact line spacing), and the character spacing, in points, that puts
    `chars` characters of `size` pt on a line of the text block.

    The grid's type stays "no grid": LibreOffice, which makes the PDFs, gives a character
    wider than a cell of Word's character grid (指定行和字符网格) two cells (15 characters
    a line), and its line grid (只指定行网格) snaps every table row and title to whole grid
    lines and breaks pages early. A condensed character spacing (字符间距 紧缩) gives the
    same 28 characters in Word and in LibreOffice.
    """
    section = document.sections[0]
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.attrib.clear()
    grid.set(qn("w:linePitch"), str(round(LINE.pt * 20)))
    twips = (section.page_width - section.left_margin - section.right_margin) // 635
    pitch = twips / 20 / chars  # points a character may take
    return math.floor((pitch - size) * 4) / 4  # in quarter points, so that they fit


def condensed(style, points: float) -> None:
    """Character spacing of a style, in points (negative: condensed)."""
    rpr = style.element.get_or_add_rPr()
    spacing = rpr.find(qn("w:spacing"))
    if spacing is None:
        spacing = OxmlElement("w:spacing")
        rpr.insert_element_before(spacing, "w:w", "w:kern", "w:position", "w:sz", "w:szCs",
                                  "w:highlight", "w:u", "w:effect", "w:bdr", "w:shd",
                                  "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em",
                                  "w:lang", "w:eastAsianLayout", "w:specVanish", "w:oMath")
    spacing.set(qn("w:val"), str(round(points * 20)))


def outline_level(style, level: int) -> None:
    """Give a paragraph style an outline level so Word's TOC field collects it."""
    style.element.get_or_add_pPr().get_or_add_outlineLvl().val = level


def first_line_chars(style, hundredths: int, size: float = 16) -> None:
    """First-line indent in characters (200 = two characters), as Chinese Word does it.

    The same indent in twips is written too, for programs that ignore character units.
    """
    indent = style.element.get_or_add_pPr().get_or_add_ind()  # in its place in schema order
    indent.set(qn("w:firstLine"), str(int(size * 20 * hundredths / 100)))
    indent.set(qn("w:firstLineChars"), str(hundredths))


def without_styles_with_effects(document) -> None:
    """Drop the Word 2010 copy of the styles (stylesWithEffects.xml) from the template.

    python-docx's blank document carries one that no longer matches styles.xml once
    styles are added; Word checks the two against each other and calls the file
    unreadable. Word 2013 and later neither need nor write this part.
    """
    part = document.part
    for rel_id, relationship in list(part.rels.items()):
        if relationship.reltype == STYLES_WITH_EFFECTS:
            part.drop_rel(rel_id)


def paragraph_style(document, name: str, base: str | None, font: str, size: float,
                    align=None, exact_line: bool = True, indent_chars: int = 0,
                    level: int | None = None, keep_next: bool = False, color=None,
                    before: float = 0, after: float = 0):
    """Define (or redefine) a paragraph style."""
    styles = document.styles
    style = styles[name] if name in [s.name for s in styles] else \
        styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    if base:
        style.base_style = styles[base]
    style.quick_style = True
    east_asian(style, font)
    style.font.size = Pt(size)
    if color is not None:
        style.font.color.rgb = color
    fmt = style.paragraph_format
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    if exact_line:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = LINE
    else:
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    if align is not None:
        fmt.alignment = align
    if indent_chars:
        first_line_chars(style, indent_chars, size)
    if level is not None:
        outline_level(style, level)
    fmt.keep_with_next = keep_next
    return style


def character_style(document, name: str, font: str, bold: bool = False, color=None):
    """Define a character style."""
    styles = document.styles
    style = styles[name] if name in [s.name for s in styles] else \
        styles.add_style(name, WD_STYLE_TYPE.CHARACTER)
    east_asian(style, font)
    style.font.bold = bold
    if color is not None:
        style.font.color.rgb = color
    return style


def build(target: Path) -> None:
    """Write the reference document with every style the renderer uses."""
    company = yaml.safe_load((ROOT / "regulations" / "company.yaml").read_text(encoding="utf-8"))
    fonts = company.get("fonts", {})
    title_font = fonts.get("title", "方正小标宋简体")
    heading_font = fonts.get("heading", "黑体")
    body_font = fonts.get("body", "仿宋_GB2312")

    document = docx.Document()
    a4_page(document, margins=(37, 35, 28, 26), header=15, footer=20)
    spacing = line_grid(document, BODY_SIZE, CHARS_PER_LINE)

    normal = document.styles["Normal"]
    east_asian(normal, body_font)
    normal.font.size = Pt(16)
    normal.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    normal.paragraph_format.line_spacing = LINE
    normal.paragraph_format.space_after = Pt(0)
    defaults = document.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
        zh_language(rpr)
        fonts_element = rpr.find(qn("w:rFonts"))
        if fonts_element is not None:
            for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
                fonts_element.attrib.pop(qn(attribute), None)
            fonts_element.set(qn("w:eastAsia"), body_font)

    centre = WD_ALIGN_PARAGRAPH.CENTER
    justify = WD_ALIGN_PARAGRAPH.JUSTIFY
    body_text = paragraph_style(document, "制度正文", "Normal", body_font, 16, justify,
                                indent_chars=200)
    condensed(body_text, spacing)  # the styles of articles and items are based on it
    paragraph_style(document, "制度标题", "Normal", title_font, 22, centre, exact_line=False,
                    level=0, keep_next=True, before=12, after=18)
    # space before headings in whole lines, so that the body stays on the line grid
    paragraph_style(document, "章标题", "Normal", heading_font, 16, centre, level=1,
                    keep_next=True, before=LINE.pt, after=0)
    paragraph_style(document, "节标题", "Normal", heading_font, 15, centre, level=2,
                    keep_next=True)
    paragraph_style(document, "条文", "制度正文", body_font, 16, justify, indent_chars=200)
    paragraph_style(document, "结束语", "制度正文", body_font, 16, justify, indent_chars=200)
    paragraph_style(document, "项", "制度正文", body_font, 16, justify, indent_chars=200)
    paragraph_style(document, "目", "制度正文", body_font, 16, justify, indent_chars=200)
    paragraph_style(document, "表题", "Normal", heading_font, 14, centre, exact_line=False,
                    keep_next=True, before=6, after=6)
    paragraph_style(document, "表格文字", "Normal", body_font, 12, exact_line=False)
    paragraph_style(document, "表头文字", "表格文字", heading_font, 12, centre, exact_line=False)
    paragraph_style(document, "信息栏", "Normal", body_font, 14, exact_line=False)
    paragraph_style(document, "附件标题", "Normal", heading_font, 16, centre, level=1,
                    keep_next=True, before=LINE.pt)
    paragraph_style(document, "流程名称", "Normal", heading_font, 16, exact_line=True,
                    indent_chars=200, keep_next=True)
    paragraph_style(document, "流程步骤", "制度正文", body_font, 16, justify, indent_chars=200)
    paragraph_style(document, "目录标题", "Normal", heading_font, 16, centre, exact_line=False,
                    before=12, after=12)
    paragraph_style(document, "汇编封面", "Normal", title_font, 26, centre, exact_line=False,
                    before=160, after=24)
    paragraph_style(document, "封面单位", "Normal", heading_font, 16, centre, exact_line=False)
    for level in (1, 2, 3):
        name = f"toc {level}"
        style = paragraph_style(document, name, "Normal", body_font, 14 if level > 1 else 15,
                                exact_line=False)
        style.paragraph_format.left_indent = Pt(16 * (level - 1))
        text_width = Mm(210 - 28 - 26)  # page numbers on the right margin, dots up to them
        style.paragraph_format.tab_stops.add_tab_stop(text_width, WD_TAB_ALIGNMENT.RIGHT,
                                                      WD_TAB_LEADER.DOTS)
    header = document.styles["Header"]
    east_asian(header, "宋体")
    header.font.size = Pt(10.5)
    paragraph_style(document, "页码", "Footer", "宋体", 14, centre, exact_line=False)
    paragraph_style(document, "草案标记", "Header", heading_font, 14, WD_ALIGN_PARAGRAPH.RIGHT,
                    exact_line=False, color=RGBColor(0xC0, 0x00, 0x00))
    character_style(document, "条号", heading_font)
    character_style(document, "条标题", heading_font)
    character_style(document, "项号", body_font)
    deleted = character_style(document, "删除文字", body_font, color=RGBColor(0xB0, 0x00, 0x00))
    deleted.font.strike = True
    added = character_style(document, "新增文字", body_font, color=RGBColor(0x00, 0x50, 0xA0))
    added.font.underline = True
    from add_notice_styles import notice_styles  # the issuance notice (GB/T 9704)

    notice_styles(document, fonts)

    # A visible sample of every style, so a user sees what they change in Word.
    body = document
    body.add_paragraph("制度标题样式", style="制度标题")
    body.add_paragraph("第一章　章标题样式", style="章标题")
    body.add_paragraph("第一节　节标题样式", style="节标题")
    article = body.add_paragraph(style="条文")
    article.add_run("第一条", style="条号")
    article.add_run("　条文样式：正文三号仿宋，固定行距，首行缩进两字。")
    body.add_paragraph("（一）项样式；", style="项")
    body.add_paragraph("1.目样式。", style="目")
    body.add_paragraph("表题样式", style="表题")
    table = body.add_table(rows=2, cols=2)
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.cell(0, 0).paragraphs[0].style = document.styles["表头文字"]
    table.cell(0, 0).text = "表头文字"
    table.cell(1, 0).paragraphs[0].style = document.styles["表格文字"]
    table.cell(1, 0).text = "表格文字"
    settings = document.settings.element
    theme_language = settings.find(qn("w:themeFontLang"))
    if theme_language is not None:
        theme_language.set(qn("w:eastAsia"), "zh-CN")
    without_styles_with_effects(document)
    target.parent.mkdir(parents=True, exist_ok=True)
    document.save(target)


def build_forms(target: Path) -> None:
    """Write the style template of blank forms: narrower margins, compact table text."""
    company = yaml.safe_load((ROOT / "regulations" / "company.yaml").read_text(encoding="utf-8"))
    fonts = company.get("fonts", {})
    heading_font = fonts.get("heading", "黑体")
    body_font = "宋体"
    document = docx.Document()
    a4_page(document, margins=(20, 18, 18, 18), header=10, footer=8)
    normal = document.styles["Normal"]
    east_asian(normal, body_font)
    normal.font.size = Pt(10)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    defaults = document.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    language = rpr.find(qn("w:lang"))
    language.set(qn("w:eastAsia"), "zh-CN")
    centre = WD_ALIGN_PARAGRAPH.CENTER
    paragraph_style(document, "表单标题", "Normal", heading_font, 18, centre, exact_line=False,
                    after=4)
    paragraph_style(document, "表单编号", "Normal", body_font, 9, WD_ALIGN_PARAGRAPH.RIGHT,
                    exact_line=False, after=2)
    paragraph_style(document, "表单标签", "Normal", heading_font, 10, centre, exact_line=False)
    paragraph_style(document, "表单文字", "Normal", body_font, 10, exact_line=False)
    paragraph_style(document, "表单分节", "Normal", heading_font, 10, exact_line=False)
    paragraph_style(document, "表单条款", "Normal", body_font, 8.5, WD_ALIGN_PARAGRAPH.JUSTIFY,
                    exact_line=False)
    paragraph_style(document, "表单脚注", "Footer", body_font, 9, exact_line=False)
    header = document.styles["Header"]
    east_asian(header, body_font)
    header.font.size = Pt(9)
    document.add_paragraph("表单标题样式", style="表单标题")
    document.add_paragraph("编号：XX-BD-001　版本：1.0", style="表单编号")
    table = document.add_table(rows=1, cols=2)
    table.style = document.styles["Table Grid"]
    table.cell(0, 0).paragraphs[0].style = document.styles["表单标签"]
    table.cell(0, 0).text = "表单标签"
    table.cell(0, 1).paragraphs[0].style = document.styles["表单文字"]
    table.cell(0, 1).text = "表单文字"
    theme_language = document.settings.element.find(qn("w:themeFontLang"))
    if theme_language is not None:
        theme_language.set(qn("w:eastAsia"), "zh-CN")
    without_styles_with_effects(document)
    target.parent.mkdir(parents=True, exist_ok=True)
    document.save(target)


if __name__ == "__main__":
    targets = [Path(sys.argv[1])] if len(sys.argv) > 1 else [
        ROOT / "templates" / "reference.docx",              # the project's, for users to edit
        ROOT / "generator" / "resources" / "reference.docx",  # the default for other projects
    ]
    for destination in targets:
        build(destination)
        print(f"wrote {destination}")
        forms = destination.with_name("form-reference.docx")
        build_forms(forms)
        print(f"wrote {forms}")
