"""Word documents: one .docx per regulation (the 制度汇编 is in docx_compendium.py).

Every document starts from the style template templates/reference.docx (as pandoc's
reference.docx): page setup, fonts and sizes all come from its named styles, and
this module only applies style names. Users restyle the output in Word.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from docx.document import Document
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph as DocxParagraph

from .. import walk
from ..model import (
    Article,
    Item,
    Project,
    Regulation,
    RichText,
    Table,
    plain,
)
from . import RESOURCES, ooxml, template_path
from .docx_contents import Contents
from .word_template import save as ooxml_save
from .word_template import style_names

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
    document = new_document(template)
    header_and_footer(document.sections[0], project,
                       f"{project.company.name}　　{regulation.number}　第{regulation.version}版",
                       draft=regulation.status == "draft")
    _properties(document, project, regulation)
    contents = Contents("2-3" if _is_long(regulation) else "")
    regulation_body(document, project, regulation, Anchors({regulation.id: "a"}, contents))
    contents.write(document)
    ooxml_save(document, target)
    return target


def _is_long(regulation: Regulation) -> bool:
    return regulation.article_count >= LONG_REGULATION or len(regulation.chapters) >= 5


# ---------------------------------------------------------------- document shell


def new_document(template: Path, needed: Iterable[str] = ()) -> Document:
    """An empty regulation document on the template (every style the regulations apply
    must be there). Its fields carry their results: Word asks nothing when opening it."""
    document = ooxml.empty_document(template, style_names(Styles) + tuple(needed))
    update = document.settings.element.find(qn("w:updateFields"))
    if update is not None:  # a template saved with "update fields on open"
        update.getparent().remove(update)
    return document


def header_and_footer(section, project: Project, text: str, draft: bool,
                      footer: bool = True) -> None:
    """The section's own running header (and, unless `footer` is False, its page number;
    without one a section shows the previous section's)."""
    header = section.header
    header.is_linked_to_previous = False
    for paragraph in list(header.paragraphs)[1:]:
        paragraph._p.getparent().remove(paragraph._p)
    first = header.paragraphs[0]
    first.text = ""
    first.style = Styles.header
    first.add_run(text)
    if draft:
        mark = header.add_paragraph("草　案", style=Styles.draft_mark)
        mark.paragraph_format.keep_with_next = False
    if not footer:
        return
    page_footer = section.footer
    page_footer.is_linked_to_previous = False
    paragraph = page_footer.paragraphs[0]
    paragraph.text = ""
    paragraph.style = Styles.page_number
    paragraph.add_run("— ")
    ooxml.field(paragraph, "PAGE", "1")
    paragraph.add_run(" —")


# ---------------------------------------------------------------- regulation body


class Anchors:
    """Bookmark names of the regulations in one document (Word: ≤ 40 characters, no '-').

    Article keys use only a-z, 0-9 and '-', so `a_contract_review` reads back as
    `contract-review` when a document we wrote is imported again.
    """

    def __init__(self, prefixes: dict[str, str], contents: Contents) -> None:
        self.prefixes = prefixes
        self.contents = contents

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


def regulation_body(document: Document, project: Project, regulation: Regulation,
                    anchors: Anchors, mark_draft: bool = False) -> None:
    """The regulation's title, front block, revisions, text and processes, at the body's end
    (in the 制度汇编, `mark_draft` adds （草案） to a draft's title)."""
    title = ooxml.add_paragraph(document, style=Styles.title)
    text = regulation.title
    if mark_draft and regulation.status == "draft":  # in the compendium's text and contents
        text += "（草案）"
    ooxml.add_run(title, text)
    contents = anchors.contents
    if contents.levels and 1 not in contents.levels:
        ooxml.outline_level(title, 9)  # a single document's TOC lists chapters, not its own title
    ooxml.bookmark(title, anchors.regulation(regulation.id))
    contents.heading(title, 1, text)
    _front_block(document, project, regulation)
    _revisions(document, regulation)
    if contents.levels and 1 not in contents.levels:
        ooxml.add_paragraph(document, "目　录", style=Styles.toc_title)
        contents.reserve(document)
    for block in walk.blocks(regulation):
        _block(document, regulation, block, anchors)
    if regulation.processes:
        _processes(document, project, regulation, anchors)


def _front_block(document: Document, project: Project, regulation: Regulation) -> None:
    rows = [
        ("文　　号", regulation.number), ("版　　本", regulation.version),
        ("状　　态", project.status(regulation)),
        ("生效日期", date_text(regulation.effective)),
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
            ooxml.cell(cells[offset * 2], label, Styles.table_head)
            ooxml.cell(cells[offset * 2 + 1], value, Styles.table_text)
    for label, value in rows[6:]:
        cells = table.add_row().cells
        ooxml.cell(cells[0], label, Styles.table_head)
        merged = cells[1].merge(cells[3])
        ooxml.cell(merged, value, Styles.table_text)
    ooxml.keep_rows_whole(table)
    ooxml.add_paragraph(document, style=Styles.info)


def _revisions(document: Document, regulation: Regulation) -> None:
    ooxml.add_paragraph(document, "修订记录", style=Styles.table_caption)
    table = document.add_table(rows=1, cols=3)
    table.style = document.styles[Styles.grid]
    for cell, text in zip(table.rows[0].cells, ("版本", "日期", "修订说明"), strict=True):
        ooxml.cell(cell, text, Styles.table_head)
    ooxml.repeat_header(table)
    for revision in regulation.revisions:
        cells = table.add_row().cells
        ooxml.cell(cells[0], revision.version, Styles.table_text)
        ooxml.cell(cells[1], date_text(revision.date), Styles.table_text)
        kind = f"{revision.kind}：" if revision.kind else ""
        ooxml.cell(cells[2], kind + revision.summary, Styles.table_text)
    ooxml.keep_rows_whole(table)
    ooxml.add_paragraph(document, style=Styles.info)


def _block(document: Document, regulation: Regulation, block: walk.Block,
           anchors: Anchors) -> None:
    """One block of the regulation's body as Word paragraphs or a table."""
    if block.kind == walk.ARTICLE:
        _article(document, regulation, block.value, anchors)
    elif block.kind == walk.TABLE:
        _table(document, block.value)
    elif block.kind == walk.HEADING:
        part = block.value
        text = walk.heading_text(regulation.numbering, part.label, part.title)
        style = Styles.section if block.section else Styles.chapter
        paragraph = ooxml.add_paragraph(document, text, style=style)
        anchors.contents.heading(paragraph, block.depth + 1, text)
    else:
        style = Styles.postscript if block.kind == walk.POSTSCRIPT else Styles.body
        _rich_paragraph(document, style, block.value, anchors)


def _article(document: Document, regulation: Regulation, article: Article,
             anchors: Anchors) -> None:
    paragraph = ooxml.add_paragraph(document, style=Styles.article)
    ooxml.bookmark(paragraph, anchors.article(regulation.id, article.key))
    ooxml.add_run(paragraph, article.label, style=Styles.article_number)
    if regulation.numbering == "article":
        ooxml.add_run(paragraph, "　")
    paragraphs = list(article.paragraphs)
    if article.title:
        ooxml.add_run(paragraph, article.title, style=Styles.article_title)
        if paragraphs and plain(paragraphs[0].text):
            ooxml.add_run(paragraph, "　")
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
        paragraph = ooxml.add_paragraph(document, style=style)
        ooxml.add_run(paragraph, item.label)
        _runs(paragraph, item.text, anchors)
        for extra in item.paragraphs:
            _rich_paragraph(document, style, extra, anchors)
        _items(document, item.items, depth + 1, anchors)


def _rich_paragraph(document: Document, style: str, text: RichText, anchors: Anchors
                    ) -> DocxParagraph:
    paragraph = ooxml.add_paragraph(document, style=style)
    _runs(paragraph, text, anchors)
    return paragraph


def _runs(paragraph: DocxParagraph, text: RichText, anchors: Anchors) -> None:
    """Add the text; a reference to an article in this document links to its bookmark."""
    for segment in text:
        if isinstance(segment, str):
            ooxml.add_run(paragraph, segment)
            continue
        anchor = None
        if segment.kind == "article":
            regulation_id, _, key = segment.target.partition("#")
            anchor = anchors.article(regulation_id, key)
        elif segment.kind == "regulation":
            anchor = anchors.regulation(segment.target)
        if anchor:
            ooxml.internal_link(paragraph, anchor, segment.text)
        else:
            ooxml.add_run(paragraph, segment.text)


def _table(document: Document, table: Table | None) -> None:
    if table is None:
        return
    ooxml.add_paragraph(document, table.title, style=Styles.table_caption)
    word_table = document.add_table(rows=1, cols=len(table.columns))
    word_table.style = document.styles[Styles.grid]
    for cell, column in zip(word_table.rows[0].cells, table.columns, strict=True):
        ooxml.cell(cell, column.title, Styles.table_head)
    ooxml.repeat_header(word_table)
    for row in table.rows:
        cells = word_table.add_row().cells
        for cell, value in zip(cells, row, strict=False):
            ooxml.cell(cell, value, Styles.table_text)
    ooxml.keep_rows_whole(word_table)
    ooxml.size_columns(document, word_table)
    if table.note:
        ooxml.add_paragraph(document, table.note, style=Styles.table_text)
    ooxml.add_paragraph(document, style=Styles.info)


def _processes(document: Document, project: Project, regulation: Regulation,
               anchors: Anchors) -> None:
    appendix = ooxml.add_paragraph(document, "附：流程", style=Styles.appendix)
    anchors.contents.heading(appendix, 2, "附：流程")
    for process in regulation.processes:
        ooxml.add_paragraph(document, process.title, style=Styles.process_name)
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
            ooxml.add_paragraph(document, text, style=Styles.process_step)


# ---------------------------------------------------------------- small pieces


def date_text(value) -> str:
    """A date as 2024年3月1日."""
    return f"{value.year}年{value.month}月{value.day}日"
