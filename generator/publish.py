"""`handbook publish`: the issuance notice of a regulation's current version and its
attachments (the regulation and, when revised, its 新旧条文对照表), as Word and PDF.

This module gathers what the notice says from the model and the revision history; the
renderers (render/notice_docx.py, render/docx.py, render/diff_docx.py) write the files.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from . import files, history
from .diff import RegulationDiff
from .errors import HandbookError
from .model import Project, Regulation
from .render import diff_docx, pdf
from .render import docx as regulation_docx
from .render.notice_docx import Notice, date_text
from .render.notice_docx import render as render_notice

DEFAULT_RECIPIENTS = "各部门"


@dataclass
class Published:
    """The files written and what the user should be told."""

    written: list[Path] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


def notice_for(project: Project, regulation: Regulation, comparison: RegulationDiff | None,
               number: str | None = None) -> Notice:
    """What the issuance notice of the regulation's current version says."""
    company = project.company
    last = regulation.revisions[-1]
    quoted = f"《{regulation.title}》"
    approver = project.party_name(regulation.approver)
    revised = len(regulation.revisions) > 1
    attachments = [quoted]
    if revised and comparison is not None:
        attachments.append(f"{quoted}新旧条文对照表")
    if revised:
        previous = regulation.revisions[-2].version
        paragraphs = [
            f"{quoted}已经修订，经{approver}批准，现将修订后的{quoted}（第{last.version}版）"
            f"印发给你们，自{date_text(regulation.effective)}起施行，原第{previous}版同时废止。",
            f"本次修订的主要内容：{_sentence(last.summary)}"
            + ("修订前后条文对照见附件2。" if comparison is not None else ""),
            "请结合实际，认真遵照执行。"]
    else:
        paragraphs = [
            f"{quoted}已经{approver}批准，现予印发，自{date_text(regulation.effective)}起施行。",
            "请结合实际，认真遵照执行。"]
    department = project.department_index.get(regulation.department)
    return Notice(
        issuer_mark=company.issuer_mark or f"{company.name}文件",
        number=number or f"{company.number_prefix}-{regulation.number}",
        title=f"关于印发{quoted}的通知",
        recipients=company.notice_recipients or DEFAULT_RECIPIENTS,
        paragraphs=tuple(paragraphs),
        attachments=tuple(attachments),
        signer=company.name,
        date=last.date,
        printed_by=f"{company.short_name}{department.name if department else ''}")


def _sentence(text: str) -> str:
    """The summary as a sentence ending in 。."""
    text = text.strip()
    return text if text.endswith(("。", "！", "？", ".", "!", "?")) else text + "。"


def publish(root: Path, out: Path, project: Project, regulation_id: str,
            number: str | None = None) -> Published:
    """Write the notice, the regulation and its comparison table into out/publish/."""
    if regulation_id not in project.regulation_index:
        if regulation_id in project.form_index:
            raise HandbookError(f"`{regulation_id}` is a form: forms are published with the "
                                "regulations that require them")
        raise HandbookError(f"no regulation `{regulation_id}`")
    regulation = project.regulation(regulation_id)
    result = Published()
    comparison = None
    if len(regulation.revisions) > 1:
        comparison = history.read(root, project).of(regulation.id).get(regulation.version)
        if comparison is None:
            result.notices.append(
                f"no 新旧条文对照表: version {regulation.revisions[-2].version} of "
                f"`{regulation.id}` is not in the git history (commit it to compare)")
    notice = notice_for(project, regulation, comparison, number)
    folder = out / "publish" / f"{regulation.id}-{regulation.version}"
    template = regulation_docx.template_for(root)
    stem = f"{regulation.id}-{regulation.version}"
    documents = [(folder / f"{stem}-notice.docx",
                  lambda target: render_notice(notice, template, target)),
                 (folder / f"{stem}.docx",
                  lambda target: regulation_docx.render(project, regulation, template, target))]
    if comparison is not None:
        documents.append((folder / f"{stem}-changes.docx",
                          lambda target: diff_docx.render(comparison, template, target)))
    for target, write in documents:
        with files.reported(folder), files.replacing(target) as temporary:
            write(temporary)
        result.written.append(target)
    result.written += _pdfs(root, folder, [target for target, _ in documents], result)
    return result


def _pdfs(root: Path, folder: Path, sources: list[Path], result: Published) -> list[Path]:
    """The PDFs of the Word files, converted beside them when LibreOffice is there."""
    with tempfile.TemporaryDirectory(prefix="handbook-publish-") as scratch:
        converted = pdf.convert(sources, Path(scratch), root)
        result.notices += converted.notices
        result.notices += [f"{source.name}: no PDF ({why})"
                           for source, why in converted.failed.items()]
        written = []
        for made in converted.written:
            target = folder / made.name
            with files.reported(folder), files.replacing(target) as temporary:
                temporary.write_bytes(made.read_bytes())
            written.append(target)
    return written
