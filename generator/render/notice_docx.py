"""The issuance notice 关于印发《…》的通知 as Word, in the layout of GB/T 9704 (党政机关公文格式).

The command gathers what the notice says (`Notice`); this module only places it with the
notice styles of templates/reference.docx (发文机关标志, 发文字号 with its red rule, 公文标题,
主送机关, 公文正文, 附件说明, 发文机关署名, 成文日期, 版记). It reads no YAML, git or clock.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from docx.oxml import OxmlElement

from . import docx as regulation_docx
from . import ooxml
from .word_template import save


class Styles:
    """The notice's style names in templates/reference.docx."""

    issuer = "发文机关标志"
    number = "发文字号"
    title = "公文标题"
    recipients = "主送机关"
    body = "公文正文"
    attachments = "附件说明"
    signer = "发文机关署名"
    date = "成文日期"
    record = "版记"
    page_number = "页码"


NEEDED = tuple(value for name, value in vars(Styles).items() if not name.startswith("_"))


@dataclass(frozen=True)
class Notice:
    """What an issuance notice says, gathered by `handbook publish`."""

    issuer_mark: str          # 发文机关标志, e.g. 临江云石建材有限公司文件
    number: str               # 发文字号
    title: str                # 关于印发《…》的通知
    recipients: str           # 主送, e.g. 各部门
    paragraphs: tuple[str, ...]
    attachments: tuple[str, ...]  # names, without numbers or closing punctuation
    signer: str               # 发文机关署名
    date: dt.date             # 成文日期
    printed_by: str           # 版记: 印发机关


def date_text(day: dt.date) -> str:
    """成文日期 in Arabic numerals, as GB/T 9704-2012 writes it: 2026年3月1日."""
    return f"{day.year}年{day.month}月{day.day}日"


def attachment_lines(names: tuple[str, ...]) -> list[str]:
    """附件说明: 附件：《…》, or numbered 附件：1．…, 2．… (the style aligns the names)."""
    if len(names) == 1:
        return [f"附件：{names[0]}"]
    return [("附件：" if index == 1 else "") + f"{index}．{name}"
            for index, name in enumerate(names, start=1)]


def render(notice: Notice, template: Path, target: Path) -> Path:
    """Write the notice as .docx on the style template."""
    document = regulation_docx.new_document(template, NEEDED)
    _page_numbers(document)
    ooxml.add_paragraph(document, notice.issuer_mark, style=Styles.issuer)
    ooxml.add_paragraph(document, notice.number, style=Styles.number)
    ooxml.add_paragraph(document, notice.title, style=Styles.title)
    ooxml.add_paragraph(document, f"{notice.recipients}：", style=Styles.recipients)
    for paragraph in notice.paragraphs:
        ooxml.add_paragraph(document, paragraph, style=Styles.body)
    if notice.attachments:  # one paragraph: the blank line above it comes once
        paragraph = ooxml.add_paragraph(document, style=Styles.attachments)
        for index, line in enumerate(attachment_lines(notice.attachments)):
            run = ooxml.add_run(paragraph, line)
            if index:
                run._r.addprevious(_line_break())
    ooxml.add_paragraph(document, notice.signer, style=Styles.signer)
    ooxml.add_paragraph(document, date_text(notice.date), style=Styles.date)
    ooxml.add_paragraph(document, f"{notice.printed_by}\t{date_text(notice.date)}印发",
                        style=Styles.record)
    document.core_properties.title = notice.title
    document.core_properties.language = "zh-CN"
    save(document, target)
    return target


def _line_break():
    """A w:r holding a line break (w:br)."""
    run, brk = OxmlElement("w:r"), OxmlElement("w:br")
    run.append(brk)
    return run


def _page_numbers(document) -> None:
    """Page numbers — 1 — in the footer, in the template's 页码 style."""
    footer = document.sections[0].footer
    footer.is_linked_to_previous = False
    paragraph = footer.paragraphs[0]
    paragraph.text = ""
    paragraph.style = document.styles[Styles.page_number]
    paragraph.add_run("— ")
    ooxml.field(paragraph, "PAGE", "1")
    paragraph.add_run(" —")
