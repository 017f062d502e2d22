"""Plain-text rendering of a regulation, numbered the way it prints (for `handbook show`)."""

from __future__ import annotations

from .. import walk
from ..model import STATUS_NAMES, Article, Item, Project, Regulation, Table, plain

INDENT = "　　"  # two full-width spaces: the first-line indent of Chinese body text


def render(project: Project, regulation: Regulation) -> str:
    """The whole regulation as numbered plain text, one paragraph a line."""
    lines = [regulation.title, ""]
    lines += _front_matter(project, regulation)
    for block in walk.blocks(regulation):
        lines += _block(block, regulation.numbering)
    return "\n".join(lines).rstrip() + "\n"


def _block(block: walk.Block, numbering: str) -> list[str]:
    if block.kind == walk.ARTICLE:
        return _article(block.value)
    if block.kind == walk.TABLE:
        return _table(block.value)
    if block.kind == walk.HEADING:
        heading = walk.heading_text(numbering, block.value.label, block.value.title)
        return [heading] if block.section else ["", heading]
    return [INDENT + plain(block.value)]  # preamble, intro, postscript


def _front_matter(project: Project, regulation: Regulation) -> list[str]:
    applies = "、".join(project.party_name(p) for p in regulation.applies_to)
    return [
        f"文号：{regulation.number}　版本：{regulation.version}　"
        f"状态：{STATUS_NAMES[regulation.status]}　生效日期：{regulation.effective.isoformat()}",
        f"发布部门：{project.department_index[regulation.department].name}　"
        f"批准：{project.role_index[regulation.approver].name}　适用范围：{applies}",
    ]


def _article(article: Article) -> list[str]:
    head = article.label + ("　" if article.label.endswith("条") else "")
    if article.title:
        head += article.title
    lines = []
    paragraphs = list(article.paragraphs)
    if paragraphs and not article.title:
        first = paragraphs.pop(0)
        lines.append(INDENT + head + plain(first.text))
        lines += _items(first.items, 2)
    else:
        lines.append(INDENT + head)
    for paragraph in paragraphs:
        if paragraph.text:
            lines.append(INDENT + plain(paragraph.text))
        lines += _items(paragraph.items, 2)
    lines += _table(article.table)
    return lines


def _items(items: tuple[Item, ...], depth: int) -> list[str]:
    lines = []
    for item in items:
        lines.append(INDENT * depth + item.label + plain(item.text))
        lines += [INDENT * depth + plain(p) for p in item.paragraphs]
        lines += _items(item.items, depth + 1)
    return lines


def _table(table: Table | None) -> list[str]:
    if table is None:
        return []
    lines = [f"{INDENT}表：{table.title}", INDENT + " | ".join(c.title for c in table.columns)]
    lines += [INDENT + " | ".join(row) for row in table.rows]
    if table.note:
        lines.append(INDENT + table.note)
    return lines
