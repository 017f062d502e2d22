"""Add the styles of the issuance notice (关于印发《…》的通知, GB/T 9704 layout) to Word
style templates, leaving every style already there as the user set it.

Run: `.venv/bin/python scripts/add_notice_styles.py [template.docx …]`; without arguments
templates/reference.docx and generator/resources/reference.docx. make_reference_docx.py
defines the same styles when it writes a template from scratch.

GB/T 9704-2012: 发文机关标志 red 小标宋, 35 mm below the top of the text block; 发文字号
centred two lines below, a red rule 4 mm under it across the text block; the title two
lines below in 二号小标宋; 主送 flush left; body 三号仿宋 indented two characters;
附件说明 one line below the body; 署名 and 成文日期 right, 版记 between two rules.
"""

from __future__ import annotations

import sys
from pathlib import Path

import docx
import yaml
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_reference_docx import (  # noqa: E402
    LINE,
    ROOT,
    paragraph_style,
    without_styles_with_effects,
)

RED = RGBColor(0xE6, 0x00, 0x12)
NOTICE_STYLES = ("发文机关标志", "发文字号", "公文标题", "主送机关", "公文正文", "附件说明",
                 "发文机关署名", "成文日期", "版记")


def _border(style, sides: tuple[str, ...], size_eighths: int, color: str, space: int) -> None:
    """Paragraph borders of a style (w:pBdr), in schema order."""
    properties = style.element.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    for side in sides:
        line = OxmlElement(f"w:{side}")
        line.set(qn("w:val"), "single")
        line.set(qn("w:sz"), str(size_eighths))
        line.set(qn("w:space"), str(space))
        line.set(qn("w:color"), color)
        borders.append(line)
    properties.insert_element_before(borders, "w:shd", "w:tabs", "w:suppressAutoHyphens",
                                     "w:kinsoku", "w:wordWrap", "w:overflowPunct",
                                     "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN",
                                     "w:bidi", "w:adjustRightInd", "w:snapToGrid",
                                     "w:spacing", "w:ind", "w:contextualSpacing",
                                     "w:mirrorIndents", "w:suppressOverlap", "w:jc",
                                     "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
                                     "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr",
                                     "w:sectPr", "w:pPrChange")


def notice_styles(document, fonts: dict[str, str]) -> None:
    """Define the notice's paragraph styles that the document does not have yet."""
    present = {style.name for style in document.styles}
    title_font = fonts.get("title", "方正小标宋简体")
    body_font = fonts.get("body", "仿宋_GB2312")
    centre, right = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT
    line = LINE.pt
    definitions = {
        "发文机关标志": lambda: paragraph_style(document, "发文机关标志", "Normal", title_font, 32,
                                            centre, exact_line=False, color=RED,
                                            before=Mm(35).pt),
        "发文字号": lambda: paragraph_style(document, "发文字号", "Normal", body_font, 16, centre,
                                        before=2 * line),
        "公文标题": lambda: paragraph_style(document, "公文标题", "Normal", title_font, 22, centre,
                                        exact_line=False, before=2 * line, after=line),
        "主送机关": lambda: paragraph_style(document, "主送机关", "Normal", body_font, 16),
        "公文正文": lambda: paragraph_style(document, "公文正文", "Normal", body_font, 16,
                                        WD_ALIGN_PARAGRAPH.JUSTIFY, indent_chars=200),
        "附件说明": lambda: paragraph_style(document, "附件说明", "Normal", body_font, 16,
                                        before=line, keep_next=True),
        "发文机关署名": lambda: paragraph_style(document, "发文机关署名", "Normal", body_font, 16,
                                          right, before=2 * line, keep_next=True),
        "成文日期": lambda: paragraph_style(document, "成文日期", "Normal", body_font, 16, right),
        "版记": lambda: paragraph_style(document, "版记", "Normal", body_font, 14,
                                      exact_line=False, before=3 * line),
    }
    for name, define in definitions.items():
        if name in present:
            continue
        style = define()
        if name == "发文字号":
            _border(style, ("bottom",), 12, str(RED), int(Mm(4).pt))
        if name == "附件说明":  # 附件： two characters in; the names after it aligned
            indent = style.element.get_or_add_pPr().get_or_add_ind()
            indent.set(qn("w:left"), str(16 * 20 * 5))
            indent.set(qn("w:leftChars"), "500")
            indent.set(qn("w:hanging"), str(16 * 20 * 3))
            indent.set(qn("w:hangingChars"), "300")
        if name in ("发文机关署名", "成文日期"):
            style.paragraph_format.right_indent = Pt(16 * (2 if name == "发文机关署名" else 4))
        if name == "版记":
            _border(style, ("top", "bottom"), 8, "000000", 4)
            style.paragraph_format.left_indent = Pt(16)
            style.paragraph_format.right_indent = Pt(16)
            style.paragraph_format.tab_stops.add_tab_stop(Mm(156) - Pt(32),
                                                          WD_TAB_ALIGNMENT.RIGHT)


def main(targets: list[Path]) -> None:
    """Add the notice styles to each template, in place."""
    company = yaml.safe_load((ROOT / "regulations" / "company.yaml").read_text(encoding="utf-8"))
    for target in targets:
        document = docx.Document(str(target))
        notice_styles(document, company.get("fonts", {}))
        without_styles_with_effects(document)
        document.save(str(target))
        print(f"added the notice styles to {target}")


if __name__ == "__main__":
    main([Path(a) for a in sys.argv[1:]] or [ROOT / "templates" / "reference.docx",
                                              ROOT / "generator" / "resources" / "reference.docx"])
