"""Make .docx files the way Word and WPS users make them (python-docx + lxml).

Automatic numbering (numbering.xml written by hand: abstractNum levels, nums with
overrides, numbering through a paragraph style), red headers, tables with merged cells,
headers and footers with page fields, a Word table of contents, tracked changes and
comments. Used by make_corpus.py (the development corpus) and make_fixtures.py (the
tests' small set).
"""

from __future__ import annotations

from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt, RGBColor

W = nsdecls("w")


def level(ilvl: int, fmt: str, text: str, start: int = 1, restart: int | None = None,
          pstyle: str | None = None, suffix: str | None = None) -> str:
    """One w:lvl of an abstractNum."""
    extra = f'<w:lvlRestart w:val="{restart}"/>' if restart is not None else ""
    extra += f'<w:pStyle w:val="{pstyle}"/>' if pstyle else ""
    suff = f'<w:suff w:val="{suffix}"/>' if suffix else ""
    return (f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
            f'{extra}{suff}<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/></w:lvl>')


class WordFile:
    """A document being made: paragraphs, numbering definitions, tables, revisions."""

    def __init__(self) -> None:
        self.doc = docx.Document()
        self.abstracts: list[str] = []
        self.nums: list[str] = []
        self._revision = 100

    # numbering -------------------------------------------------------------
    def abstract(self, abstract_id: int, levels: list[str]) -> None:
        """Define an abstractNum from w:lvl strings."""
        self.abstracts.append(f'<w:abstractNum {W} w:abstractNumId="{abstract_id}">'
                              f'<w:multiLevelType w:val="multilevel"/>{"".join(levels)}'
                              "</w:abstractNum>")

    def num(self, num_id: int, abstract_id: int, overrides: dict[int, int] | None = None
            ) -> None:
        """Define a w:num, with startOverride per level when given."""
        inner = "".join(f'<w:lvlOverride w:ilvl="{i}"><w:startOverride w:val="{s}"/>'
                        "</w:lvlOverride>" for i, s in (overrides or {}).items())
        self.nums.append(f'<w:num {W} w:numId="{num_id}"><w:abstractNumId '
                         f'w:val="{abstract_id}"/>{inner}</w:num>')

    def number_style(self, style_name: str, num_id: int, ilvl: int = 0) -> None:
        """Attach numbering to a paragraph style (Heading 1 numbered by its style)."""
        style = self.doc.styles[style_name]
        ppr = style.element.get_or_add_pPr()
        ppr.insert(0, parse_xml(f'<w:numPr {W}><w:ilvl w:val="{ilvl}"/>'
                                f'<w:numId w:val="{num_id}"/></w:numPr>'))

    # paragraphs ------------------------------------------------------------
    def para(self, text: str = "", num: int | None = None, ilvl: int = 0,
             style: str | None = None, align: str | None = None, red: bool = False,
             size: float | None = None, bold: bool = False):
        """Add a paragraph; `num` numbers it directly (w:numPr)."""
        paragraph = self.doc.add_paragraph(style=style)
        if text:
            run = paragraph.add_run(text)
            run.bold = bold or None
            if red:
                run.font.color.rgb = RGBColor(0xE0, 0, 0)
            if size:
                run.font.size = Pt(size)
        if align:
            paragraph.alignment = {"center": WD_ALIGN_PARAGRAPH.CENTER,
                                   "right": WD_ALIGN_PARAGRAPH.RIGHT}[align]
        if num is not None:
            ppr = paragraph._p.get_or_add_pPr()
            ppr.insert(0, parse_xml(f'<w:numPr {W}><w:ilvl w:val="{ilvl}"/>'
                                    f'<w:numId w:val="{num}"/></w:numPr>'))
        return paragraph

    def red_header(self, issuer: str, number: str) -> None:
        """The red 发文机关标志, the 发文字号 and the red rule under it."""
        self.para(issuer, align="center", red=True, size=36, bold=True)
        rule = self.para(number, align="center")
        rule._p.get_or_add_pPr().append(parse_xml(
            f'<w:pBdr {W}><w:bottom w:val="single" w:sz="18" w:space="4" w:color="E00000"/>'
            "</w:pBdr>"))

    def revised(self, parts: list[tuple[str, str]], num: int | None = None, ilvl: int = 0,
                inserted_paragraph: bool = False, deleted_paragraph: bool = False):
        """A paragraph of runs, each ('', text), ('ins', text) or ('del', text)."""
        paragraph = self.para(num=num, ilvl=ilvl)
        for kind, text in parts:
            if kind == "":
                paragraph.add_run(text)
                continue
            self._revision += 1
            tag = "w:ins" if kind == "ins" else "w:del"
            t = "w:t" if kind == "ins" else "w:delText"
            paragraph._p.append(parse_xml(
                f'<{tag} {W} w:id="{self._revision}" w:author="王芳" '
                f'w:date="2026-01-05T10:00:00Z"><w:r><{t} xml:space="preserve">{text}</{t}>'
                f"</w:r></{tag}>"))
        if inserted_paragraph or deleted_paragraph:
            self._revision += 1
            tag = "w:ins" if inserted_paragraph else "w:del"
            ppr = paragraph._p.get_or_add_pPr()
            ppr.append(parse_xml(f'<w:rPr {W}><{tag} w:id="{self._revision}" w:author="王芳" '
                                 'w:date="2026-01-05T10:00:00Z"/></w:rPr>'))
        return paragraph

    def comment(self, paragraph, text: str, author: str = "李明") -> None:
        """A Word comment (w:comment) anchored on the paragraph's runs."""
        runs = paragraph.runs or [paragraph.add_run("")]
        self.doc.add_comment(runs, text=text, author=author, initials=author[:1])

    def table(self, rows: list[list[str]], merges: tuple[tuple[int, int, int, int], ...] = ()):
        """A bordered table; merges are (row, col, row2, col2) cell ranges."""
        table = self.doc.add_table(rows=len(rows), cols=len(rows[0]))
        table.style = "Table Grid"
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                table.cell(r, c).text = value
        for r1, c1, r2, c2 in merges:
            keep = table.cell(r1, c1).text
            merged = table.cell(r1, c1).merge(table.cell(r2, c2))
            merged.text = keep
        return table

    def word_toc(self, entries: list[str]) -> None:
        """A table of contents field as Word inserts it (TOC styles, page numbers)."""
        for name in ("toc 1", "toc 2"):
            if name not in [s.name for s in self.doc.styles]:
                self.doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        self.para("目  录", align="center", bold=True)
        for index, entry in enumerate(entries):
            paragraph = self.para(style="toc 1")
            if index == 0:
                paragraph._p.append(parse_xml(
                    f'<w:r {W}><w:fldChar w:fldCharType="begin"/></w:r>'))
                paragraph._p.append(parse_xml(
                    f'<w:r {W}><w:instrText xml:space="preserve"> TOC \\o "1-3" \\h \\z \\u '
                    "</w:instrText></w:r>"))
                paragraph._p.append(parse_xml(
                    f'<w:r {W}><w:fldChar w:fldCharType="separate"/></w:r>'))
            paragraph.add_run(entry)
            paragraph._p.append(parse_xml(f'<w:r {W}><w:tab/></w:r>'))
            paragraph.add_run(str(index + 1))
            if index == len(entries) - 1:
                paragraph._p.append(parse_xml(
                    f'<w:r {W}><w:fldChar w:fldCharType="end"/></w:r>'))

    def header_footer(self, header: str) -> None:
        """A running header, and a footer `第 X 页 共 Y 页` made of PAGE/NUMPAGES fields."""
        section = self.doc.sections[0]
        section.header.paragraphs[0].text = header
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        footer.add_run("第 ")
        footer._p.append(parse_xml(f'<w:fldSimple {W} w:instr="PAGE"><w:r><w:t>1</w:t></w:r>'
                                   "</w:fldSimple>"))
        footer.add_run(" 页 共 ")
        footer._p.append(parse_xml(f'<w:fldSimple {W} w:instr="NUMPAGES"><w:r><w:t>3</w:t>'
                                   "</w:r></w:fldSimple>"))
        footer.add_run(" 页")

    def save(self, path: Path) -> None:
        """Write numbering.xml (abstractNums before nums, as the schema orders them)."""
        numbering = self.doc.part.numbering_part.element
        for child in list(numbering):
            numbering.remove(child)
        for xml in self.abstracts + self.nums:
            numbering.append(parse_xml(xml))
        # a zh-CN document: East Asian language on the default run properties
        defaults = self.doc.styles.element.find(qn("w:docDefaults"))
        if defaults is not None:
            rpr = defaults.find(qn("w:rPrDefault") + "/" + qn("w:rPr"))
            if rpr is not None and rpr.find(qn("w:lang")) is None:
                rpr.append(parse_xml(f'<w:lang {W} w:val="en-US" w:eastAsia="zh-CN"/>'))
        self.doc.core_properties.author = "行政部"
        self.doc.save(str(path))
