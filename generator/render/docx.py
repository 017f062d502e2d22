"""Word documents: one .docx per regulation and the compendium 制度汇编.docx.

Every document starts from the style template templates/reference.docx (as pandoc's
reference.docx): page setup, fonts and sizes all come from its named styles, and
this module only applies style names. Users restyle the output in Word.
"""

from __future__ import annotations

import copy
import itertools
import weakref
from collections.abc import Iterable
from pathlib import Path

from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph
from docx.text.run import Run

from ..model import (
    Article,
    Chapter,
    Item,
    Project,
    Regulation,
    RichText,
    Section,
    Table,
    plain,
)
from . import RESOURCES, template_path
from .word_template import open_template, save, style_names

TEMPLATE_NAME = "reference.docx"
DEFAULT_TEMPLATE = RESOURCES / TEMPLATE_NAME

LONG_REGULATION = 30
"""Regulations with at least this many articles (or five chapters) get a table of contents."""


class Styles:
    """The style names of templates/reference.docx, in one place."""

    title = "制度标题"
    chapter = "章标题"
    section = "节标题"
    body = "制度正文"
    postscript = "结束语"
    article = "条文"
    item = "项"
    sub_item = "目"
    article_number = "条号"
    article_title = "条标题"
    table_caption = "表题"
    table_text = "表格文字"
    table_head = "表头文字"
    info = "信息栏"
    appendix = "附件标题"
    process_name = "流程名称"
    process_step = "流程步骤"
    toc_title = "目录标题"
    cover = "汇编封面"
    cover_company = "封面单位"
    header = "Header"
    page_number = "页码"
    draft_mark = "草案标记"
    grid = "Table Grid"


def template_for(root: Path) -> Path:
    """The project's style template, or the default one shipped with the tool."""
    return template_path(root, TEMPLATE_NAME)


def render(project: Project, regulation: Regulation, template: Path, target: Path) -> Path:
    """Write one regulation as a .docx built on the style template."""
    document = _new_document(template)
    _header_and_footer(document, project, f"{regulation.number}　第{regulation.version}版",
                       draft=regulation.status == "draft")
    _properties(document, project, regulation)
    _regulation(document, project, regulation, Anchors({regulation.id: "a"}),
                table_of_contents=_is_long(regulation), toc_levels="2-3")
    _save(document, target)
    return target


def render_compendium(project: Project, regulations: Iterable[Regulation], template: Path,
                      target: Path) -> Path:
    """Write every regulation into one 制度汇编 with a cover and a table of contents."""
    document = _new_document(template)
    _header_and_footer(document, project, "制度汇编", draft=False)
    _add_paragraph(document, "管理制度汇编", style=Styles.cover)
    _add_paragraph(document, project.company.name, style=Styles.cover_company)
    _page_break(document)
    _table_of_contents(document, "1-2")
    regulations = list(regulations)
    anchors = Anchors({r.id: f"c{index}" for index, r in enumerate(regulations, start=1)})
    document.core_properties.title = "管理制度汇编"
    # python-docx finds the body's end by scanning it for every paragraph it adds, which
    # is quadratic in a long compendium: keep the body short and move the parts in at the end
    body = document.element.body
    section = body.find(qn("w:sectPr"))
    parts = _take_children(body, keep=section)
    for regulation in regulations:
        _page_break(document)
        _regulation(document, project, regulation, anchors, table_of_contents=False,
                    toc_levels="")
        parts += _take_children(body, keep=section)
    body.remove(section)
    body.extend(parts)
    body.append(section)
    _save(document, target)
    return target


def _take_children(body, keep) -> list:
    """Remove and return the body's children, all but `keep`."""
    children = [child for child in body if child is not keep]
    for child in children:
        body.remove(child)
    return children


def _is_long(regulation: Regulation) -> bool:
    return regulation.article_count >= LONG_REGULATION or len(regulation.chapters) >= 5


# ---------------------------------------------------------------- document shell


def empty_document(template: Path, needed: Iterable[str] = ()) -> Document:
    """The template with its sample content removed (styles, page setup and section kept);
    an error names the template when it is damaged or lacks one of the needed styles."""
    document = open_template(template, needed)
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    _remember_style_ids(document, template)
    return document


_STYLE_IDS: dict[tuple[str, int, int], dict[tuple, str | None]] = {}


def _remember_style_ids(document: Document, template: Path) -> None:
    """Answer each style lookup once per template.

    python-docx finds a style's id by scanning every style of the template, for every
    paragraph and run; a 30-article regulation spent 70 % of its time there. The ids
    are the template's, so documents made from the same template file share them.
    """
    part = document.part
    lookup = part.get_style_id
    stat = Path(template).stat()
    known = _STYLE_IDS.setdefault((str(template), stat.st_mtime_ns, stat.st_size), {})

    def get_style_id(style, style_type):
        key = (style if isinstance(style, str) or style is None
               else (style.style_id, style.type), style_type)
        if key not in known:
            known[key] = lookup(style, style_type)
        return known[key]

    part.get_style_id = get_style_id


_AFTER_UPDATE_FIELDS = (
    "w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat", "w:docVars", "w:rsids",
    "m:mathPr", "w:attachedSchema", "w:themeFontLang", "w:clrSchemeMapping",
    "w:doNotIncludeSubdocsInStats", "w:doNotAutoCompressPictures", "w:forceUpgrade",
    "w:captions", "w:readModeInkLockDown", "w:smartTagType", "sl:schemaLibrary",
    "w:shapeDefaults", "w:doNotEmbedSmartTags", "w:decimalSymbol", "w:listSeparator",
)
"""The elements that follow w:updateFields in settings.xml (Word rejects them out of order)."""


def _new_document(template: Path, needed: Iterable[str] = ()) -> Document:
    """An empty document on the template that refreshes its fields when Word opens it."""
    document = empty_document(template, style_names(Styles) + tuple(needed))
    settings = document.settings.element
    if settings.find(qn("w:updateFields")) is None:
        update = OxmlElement("w:updateFields")  # Word refreshes the TOC and page fields on open
        update.set(qn("w:val"), "true")
        settings.insert_element_before(update, *_AFTER_UPDATE_FIELDS)
    return document


def _save(document: Document, target: Path) -> None:
    save(document, target)


def _header_and_footer(document: Document, project: Project, right: str, draft: bool) -> None:
    section = document.sections[0]
    header = section.header
    header.is_linked_to_previous = False
    for paragraph in list(header.paragraphs)[1:]:
        paragraph._p.getparent().remove(paragraph._p)
    first = header.paragraphs[0]
    first.text = ""
    first.style = document.styles[Styles.header]
    first.add_run(f"{project.company.name}　　{right}")
    if draft:
        mark = header.add_paragraph("草　案", style=Styles.draft_mark)
        mark.paragraph_format.keep_with_next = False
    footer = section.footer
    footer.is_linked_to_previous = False
    paragraph = footer.paragraphs[0]
    paragraph.text = ""
    paragraph.style = document.styles[Styles.page_number]
    paragraph.add_run("— ")
    _field(paragraph, "PAGE", "1")
    paragraph.add_run(" —")


def _field(paragraph: DocxParagraph, instruction: str, shown: str) -> None:
    """Append a complex field (PAGE, TOC …) with a cached result to a paragraph."""
    def char(kind: str):
        run = paragraph.add_run()
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        if kind == "begin":
            element.set(qn("w:dirty"), "true")
        run._r.append(element)

    char("begin")
    run = paragraph.add_run()
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    run._r.append(text)
    char("separate")
    paragraph.add_run(shown)
    char("end")


def _page_break(document: Document) -> None:
    paragraph = document.add_paragraph()
    run = paragraph.add_run()
    element = OxmlElement("w:br")
    element.set(qn("w:type"), "page")
    run._r.append(element)


def _table_of_contents(document: Document, levels: str) -> None:
    document.add_paragraph("目　录", style=Styles.toc_title)
    paragraph = document.add_paragraph()
    _field(paragraph, f'TOC \\o "{levels}" \\h \\z \\u',
           "（打开文档时更新目录；或右键目录选择“更新域”）")


# ---------------------------------------------------------------- regulation body


class Anchors:
    """Bookmark names of the regulations in one document (Word: ≤ 40 characters, no '-').

    Article keys use only a-z, 0-9 and '-', so `a_contract_review` reads back as
    `contract-review` when a document we wrote is imported again.
    """

    def __init__(self, prefixes: dict[str, str]) -> None:
        self.prefixes = prefixes

    def regulation(self, regulation_id: str) -> str | None:
        """Bookmark of a regulation's title, None when it is not in this document."""
        prefix = self.prefixes.get(regulation_id)
        return f"{prefix}_" if prefix else None

    def article(self, regulation_id: str, key: str) -> str | None:
        """Bookmark of an article, None when its regulation is not in this document."""
        prefix = self.prefixes.get(regulation_id)
        return f"{prefix}_{key.replace('-', '_')}"[:40] if prefix else None


def _properties(document: Document, project: Project, regulation: Regulation) -> None:
    """Document properties that let `handbook import` read our own files back exactly."""
    properties = document.core_properties
    properties.title = regulation.title
    properties.identifier = regulation.id
    properties.subject = regulation.number
    properties.version = regulation.version
    properties.category = regulation.category
    properties.content_status = regulation.status
    properties.author = project.company.name
    properties.keywords = regulation.numbering


def _regulation(document: Document, project: Project, regulation: Regulation, anchors: Anchors,
                table_of_contents: bool, toc_levels: str) -> None:
    title = _add_paragraph(document, style=Styles.title)
    _add_run(title, regulation.title)
    if toc_levels and not toc_levels.startswith("1"):
        _outline_level(title, 9)  # a single document's TOC lists chapters, not its own title
    _bookmark(title, anchors.regulation(regulation.id))
    _front_block(document, project, regulation)
    _revisions(document, regulation)
    if table_of_contents:
        _table_of_contents(document, toc_levels)
    for text in regulation.preamble:
        _rich_paragraph(document, Styles.body, text, anchors)
    for article in regulation.articles:
        _article(document, regulation, article, anchors)
    for chapter in regulation.chapters:
        _chapter(document, regulation, chapter, anchors)
    for text in regulation.postscript:
        _rich_paragraph(document, Styles.postscript, text, anchors)
    if regulation.processes:
        _processes(document, project, regulation)


def _front_block(document: Document, project: Project, regulation: Regulation) -> None:
    rows = [
        ("文　　号", regulation.number), ("版　　本", regulation.version),
        ("状　　态", project.status(regulation)),
        ("生效日期", _date(regulation.effective)),
        ("发布部门", project.department_index[regulation.department].name),
        ("批　　准", project.role_index[regulation.approver].name),
        ("适用范围", "、".join(project.party_name(p) for p in regulation.applies_to)),
    ]
    table = document.add_table(rows=0, cols=4)
    table.style = document.styles[Styles.grid]
    pairs = rows[:6]
    for index in range(0, len(pairs), 2):
        cells = table.add_row().cells
        for offset, (label, value) in enumerate(pairs[index:index + 2]):
            _cell(cells[offset * 2], label, Styles.table_head)
            _cell(cells[offset * 2 + 1], value, Styles.table_text)
    for label, value in rows[6:]:
        cells = table.add_row().cells
        _cell(cells[0], label, Styles.table_head)
        merged = cells[1].merge(cells[3])
        _cell(merged, value, Styles.table_text)
    _add_paragraph(document, style=Styles.info)


def _revisions(document: Document, regulation: Regulation) -> None:
    _add_paragraph(document, "修订记录", style=Styles.table_caption)
    table = document.add_table(rows=1, cols=3)
    table.style = document.styles[Styles.grid]
    for cell, text in zip(table.rows[0].cells, ("版本", "日期", "修订说明"), strict=True):
        _cell(cell, text, Styles.table_head)
    repeat_header(table)
    for revision in regulation.revisions:
        cells = table.add_row().cells
        _cell(cells[0], revision.version, Styles.table_text)
        _cell(cells[1], _date(revision.date), Styles.table_text)
        _cell(cells[2], revision.summary, Styles.table_text)
    _add_paragraph(document, style=Styles.info)


def _chapter(document: Document, regulation: Regulation, chapter: Chapter,
             anchors: Anchors) -> None:
    _part(document, regulation, chapter, Styles.chapter, anchors)
    for section in chapter.sections:
        _part(document, regulation, section, Styles.section, anchors)


def _part(document: Document, regulation: Regulation, part: Chapter | Section, style: str,
          anchors: Anchors) -> None:
    """A chapter or section: its heading, intro paragraphs, table and own articles."""
    _add_paragraph(document, _heading(regulation, part.label, part.title), style=style)
    for text in part.intro:
        _rich_paragraph(document, Styles.body, text, anchors)
    _table(document, part.table)
    for article in part.articles:
        _article(document, regulation, article, anchors)


def _heading(regulation: Regulation, label: str, title: str) -> str:
    return f"{label}　{title}" if regulation.numbering == "article" else f"{label}{title}"


def _article(document: Document, regulation: Regulation, article: Article,
             anchors: Anchors) -> None:
    paragraph = _add_paragraph(document, style=Styles.article)
    _bookmark(paragraph, anchors.article(regulation.id, article.key))
    _add_run(paragraph, article.label, style=Styles.article_number)
    if regulation.numbering == "article":
        _add_run(paragraph, "　")
    paragraphs = list(article.paragraphs)
    if article.title:
        _add_run(paragraph, article.title, style=Styles.article_title)
        if paragraphs and plain(paragraphs[0].text):
            _add_run(paragraph, "　")
            _runs(paragraph, paragraphs[0].text, anchors)
            first_items = paragraphs.pop(0).items
            _items(document, first_items, 0, anchors)
    elif paragraphs:
        first = paragraphs.pop(0)
        _runs(paragraph, first.text, anchors)
        _items(document, first.items, 0, anchors)
    for extra in paragraphs:
        if plain(extra.text):
            _rich_paragraph(document, Styles.article, extra.text, anchors)
        _items(document, extra.items, 0, anchors)
    _table(document, article.table)


def _items(document: Document, items: tuple[Item, ...], depth: int, anchors: Anchors) -> None:
    style = Styles.item if depth == 0 else Styles.sub_item
    for item in items:
        paragraph = _add_paragraph(document, style=style)
        _add_run(paragraph, item.label)
        _runs(paragraph, item.text, anchors)
        for extra in item.paragraphs:
            _rich_paragraph(document, style, extra, anchors)
        _items(document, item.items, depth + 1, anchors)


def _rich_paragraph(document: Document, style: str, text: RichText, anchors: Anchors
                    ) -> DocxParagraph:
    paragraph = _add_paragraph(document, style=style)
    _runs(paragraph, text, anchors)
    return paragraph


def _runs(paragraph: DocxParagraph, text: RichText, anchors: Anchors) -> None:
    """Add the text; a reference to an article in this document links to its bookmark."""
    for segment in text:
        if isinstance(segment, str):
            _add_run(paragraph, segment)
            continue
        anchor = None
        if segment.kind == "article":
            regulation_id, _, key = segment.target.partition("#")
            anchor = anchors.article(regulation_id, key)
        elif segment.kind == "regulation":
            anchor = anchors.regulation(segment.target)
        if anchor:
            _internal_link(paragraph, anchor, segment.text)
        else:
            _add_run(paragraph, segment.text)


def _table(document: Document, table: Table | None) -> None:
    if table is None:
        return
    _add_paragraph(document, table.title, style=Styles.table_caption)
    word_table = document.add_table(rows=1, cols=len(table.columns))
    word_table.style = document.styles[Styles.grid]
    for cell, column in zip(word_table.rows[0].cells, table.columns, strict=True):
        _cell(cell, column.title, Styles.table_head)
    repeat_header(word_table)
    for row in table.rows:
        cells = word_table.add_row().cells
        for cell, value in zip(cells, row, strict=False):
            _cell(cell, value, Styles.table_text)
    if table.note:
        _add_paragraph(document, table.note, style=Styles.table_text)
    _add_paragraph(document, style=Styles.info)


def _processes(document: Document, project: Project, regulation: Regulation) -> None:
    _add_paragraph(document, "附：流程", style=Styles.appendix)
    for process in regulation.processes:
        _add_paragraph(document, process.title, style=Styles.process_name)
        for step in process.steps:
            details = []
            if step.form:
                details.append(f"使用《{project.form_index[step.form].title}》")
            if step.approvers:
                details.append("审批：" + "→".join(project.role_index[a].name
                                                 for a in step.approvers))
            text = f"{step.number}. {project.role_index[step.role].name}：{step.action}"
            if details:
                text += "（" + "；".join(details) + "）"
            _add_paragraph(document, text, style=Styles.process_step)


# ---------------------------------------------------------------- small pieces


def _add_paragraph(document: Document, text: str = "", style: str | None = None
                   ) -> DocxParagraph:
    """document.add_paragraph, without python-docx's scan of the body for its end."""
    style_id = document.part.get_style_id(style, WD_STYLE_TYPE.PARAGRAPH) if style else None
    element = _styled("w:p", "w:pPr", "w:pStyle", style_id)
    body = document.element.body
    last = body[-1] if len(body) else None
    if last is not None and last.tag == qn("w:sectPr"):
        last.addprevious(element)
    else:
        body.append(element)
    paragraph = DocxParagraph(element, document._body)
    if text:
        _add_run(paragraph, text)
    return paragraph


def _add_run(paragraph: DocxParagraph, text: str = "", style: str | None = None) -> Run:
    """paragraph.add_run, writing plain text directly (python-docx adds it a character
    at a time)."""
    style_id = paragraph.part.get_style_id(style, WD_STYLE_TYPE.CHARACTER) if style else None
    element = _styled("w:r", "w:rPr", "w:rStyle", style_id)
    paragraph._p.append(element)
    if text and not any(c in text for c in "\t\n\r"):
        run_text = OxmlElement("w:t")
        run_text.text = text
        if text != text.strip():
            run_text.set(qn("xml:space"), "preserve")
        element.append(run_text)
    elif text:
        element.text = text  # python-docx turns tabs and line breaks into w:tab / w:br
    return Run(element, paragraph)


def _styled(tag: str, properties_tag: str, style_tag: str, style_id: str | None):
    """A new w:p or w:r element, carrying its style (when not the default) in its properties."""
    element = OxmlElement(tag)
    if style_id:
        properties = OxmlElement(properties_tag)
        style = OxmlElement(style_tag)
        style.set(qn("w:val"), style_id)
        properties.append(style)
        element.append(properties)
    return element


def _cell(cell, text: str, style: str) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.style = style
    paragraph.text = text


def _outline_level(paragraph: DocxParagraph, level: int) -> None:
    paragraph._p.get_or_add_pPr().get_or_add_outlineLvl().val = level  # in schema order


def repeat_header(table: DocxTable) -> None:
    """Repeat the table's first row at the top of every page it runs onto."""
    properties = table.rows[0]._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:tblHeader"))  # on; Word takes no val="true" here


def _date(value) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


_bookmark_ids: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
"""A counter per document: the same document gets the same ids in any process."""


def _bookmark(paragraph: DocxParagraph, name: str | None) -> None:
    if not name:
        return
    start = OxmlElement("w:bookmarkStart")
    counter = _bookmark_ids.setdefault(paragraph.part, itertools.count(1))
    identifier = str(next(counter))
    start.set(qn("w:id"), identifier)
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), identifier)
    properties = paragraph._p.pPr
    position = 1 if properties is not None else 0  # w:pPr must stay the first child
    paragraph._p.insert(position, start)
    paragraph._p.append(end)


def _internal_link(paragraph: DocxParagraph, anchor: str, text: str) -> None:
    link = OxmlElement("w:hyperlink")
    link.set(qn("w:anchor"), anchor)
    run = _add_run(paragraph, text)
    link.append(copy.deepcopy(run._r))
    run._r.getparent().replace(run._r, link)
