"""A regulation's page as Markdown: its body (chapters, articles, items, tables), its
processes with their diagrams, and its 新旧条文对照表 pages."""

from __future__ import annotations

from .. import walk
from ..model import Article, Item, Project, Regulation, Table, plain
from . import diff_html
from .escaping import front_matter, md
from .site_diagrams import Diagrams, process_diagram
from .site_links import Pages, party_link, regulation_page, rel_link
from .site_mkdocs import GENERATED


def regulation_markdown(template, pages: Pages, project: Project, regulation: Regulation,
                        comparisons: dict, diagrams: Diagrams
                     ) -> tuple[str, dict[str, str], list[str]]:
    """A regulation's page, its 新旧条文对照表 pages by docs path, and the diagram notices."""
    page = regulation_page(regulation.id)
    before = len(diagrams.notices)
    processes = []
    for process in regulation.processes:
        steps = []
        for step in process.steps:
            text = f"{pages.role_link(page, step.role)}：{md(step.action)}"
            if step.form:
                text += "（" + pages.form_link(page, project.form_index[step.form]) + "）"
            if step.approvers:
                text += "　审批：" + "→".join(pages.role_link(page, a) for a in step.approvers)
            steps.append(text)
        processes.append({"id": process.id, "title": process.title, "steps": steps,
                          "diagram": process_diagram(project, process, diagrams)})
    changes, change_pages = {}, {}
    for version, comparison in comparisons.items():
        change_page = f"{GENERATED}/changes/{regulation.id}-{version}.md"
        change_pages[change_page] = _change_page(pages, change_page, regulation, comparison)
        changes[version] = rel_link(page, change_page)
    content = template.render(
        regulation=regulation, status=project.status(regulation), changes=changes,
        department=project.department_index[regulation.department].name,
        approver_link=pages.role_link(page, regulation.approver),
        applies_to="、".join(party_link(pages, page, p) for p in regulation.applies_to),
        downloads={"docx": pages.download(page, "docx", regulation.id),
                   "pdf": pages.download(page, "pdf", regulation.id)},
        body=_body(pages, page, regulation), processes=processes)
    return content, change_pages, diagrams.notices[before:]


def _change_page(pages: Pages, page: str, regulation: Regulation, comparison) -> str:
    """A 新旧条文对照表 page: the HTML table inside the site's layout."""
    body = diff_html.render(comparison)
    table = body[body.index("<table>"):body.index("</table>") + len("</table>")]
    back = pages.regulation_link(page, regulation, "revisions", "返回修订记录")
    return (front_matter(title=f"《{regulation.title}》新旧条文对照表") + "\n"
            f"# 《{md(regulation.title)}》新旧条文对照表\n\n"
            f"版本 {comparison.old_version} → {comparison.new_version}。"
            f"{md(comparison.summary())}　{back}\n\n"
            f'<div class="hb-diff" markdown="0">{table}</div>\n')


def _body(pages: Pages, page: str, regulation: Regulation) -> list[str]:
    return [_block(pages, page, regulation, block) for block in walk.blocks(regulation)]


def _block(pages: Pages, page: str, regulation: Regulation, block: walk.Block) -> str:
    """One block of the regulation's body as Markdown."""
    if block.kind == walk.ARTICLE:
        return _article(pages, page, regulation, block.value)
    if block.kind == walk.TABLE:
        return "\n".join(_table(block.value))
    if block.kind == walk.HEADING:
        part = block.value
        marks = "#" * (block.depth + 1)
        heading = walk.heading_text(regulation.numbering, part.label, part.title)
        return f"{marks} {md(heading)} {{#{part.key}}}"
    return pages.link_text(page, block.value)  # preamble, intro, postscript


def _article(pages: Pages, page: str, regulation: Regulation, article: Article) -> str:
    """An article as the Word file shows it: its number leads its first paragraph. An
    article with a title is a heading too (it shows in the page outline); the anchor is
    its stable id either way."""
    separator = "　" if regulation.numbering == "article" else ""
    permalink = f'[¶](#{article.key}){{: .headerlink title="本条链接" }}'
    lines, lead, anchor = [], f"**{md(article.label)}**{separator}", f"#{article.key} "
    if article.title:
        lines += [f"#### {md(article.label + separator + article.title)} "
                  f"{{#{article.key} .hb-article }}", ""]
        lead, anchor, permalink = "", "", ""
    for paragraph in article.paragraphs:
        text = pages.link_text(page, paragraph.text) if plain(paragraph.text) else ""
        if text or lead:
            lines += [f"{lead}{text} {permalink}".rstrip(), f"{{: {anchor}.hb-article-text }}",
                      ""]
            lead, anchor, permalink = "", "", ""
        lines += _items(pages, page, paragraph.items, 0)
    if lead:  # an article of a table only
        lines += [f"{lead} {permalink}", f"{{: {anchor}.hb-article-text }}", ""]
    lines += _table(article.table)
    return "\n".join(lines)


def _items(pages: Pages, page: str, items: tuple[Item, ...], depth: int) -> list[str]:
    lines = []
    css = "hb-item" if depth == 0 else "hb-subitem"
    for item in items:
        lines += [md(item.label) + pages.link_text(page, item.text), f"{{: .{css} }}", ""]
        for extra in item.paragraphs:
            lines += [pages.link_text(page, extra), f"{{: .{css} }}", ""]
        lines += _items(pages, page, item.items, depth + 1)
    return lines


def _table(table: Table | None) -> list[str]:
    if table is None:
        return []
    rows = [f"**{md(table.title)}**", "", "| " + " | ".join(md(c.title) for c in table.columns)
            + " |", "|" + "---|" * len(table.columns)]
    rows += ["| " + " | ".join(md(cell) for cell in row) + " |" for row in table.rows]
    if table.note:
        rows += ["", md(table.note)]
    return ["\n".join(rows)]

