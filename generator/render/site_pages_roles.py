"""The role pages as Markdown: each role's page, the roles list and the org chart's outline."""

from __future__ import annotations

from .. import queries
from ..model import Form, Project, plain
from .escaping import md
from .site_links import Pages
from .site_mkdocs import GENERATED


def role_markdown(environment, pages: Pages, project: Project, role,
                  mentions: list[queries.Mention], duties: list[queries.Duty],
                  forms: list[tuple[Form, str]], red_lines: list[queries.Mention]) -> str:
    """A role's page: department, superior, reports, the articles naming it, its process
    steps, forms and red lines."""
    page = f"{GENERATED}/roles/{role.id}.md"
    department = project.department_index[role.department].name if role.department else "公司领导"
    reports = [r for r in project.roles if r.reports_to == role.id]
    articles = _mentions_by_regulation(pages, page, mentions)
    steps = []
    for duty in duties:
        verb = "审批" if duty.approves else "办理"
        process = pages.regulation_link(page, duty.regulation, "process-" + duty.process.id,
                                        duty.process.title)
        steps.append(f"{verb}：{process} 第{duty.step.number}步 {md(duty.step.action)}")
    form_lines = [f"{pages.form_link(page, form)}（{how}）" for form, how in forms]
    red = [pages.regulation_link(page, m.regulation, m.article.key,
                                 m.regulation.title + " " + m.article.label)
           + "：" + md(" ".join(plain(t) for t in m.article.texts()))
           for m in red_lines]
    return environment.get_template("role.md.j2").render(
        role=role, department=department,
        superior=pages.role_link(page, role.reports_to) if role.reports_to else "",
        reports="、".join(pages.role_link(page, r.id) for r in reports),
        articles=articles, steps=steps, forms=form_lines, red_lines=red)


def _mentions_by_regulation(pages: Pages, page: str, mentions: list[queries.Mention]
                            ) -> list[dict]:
    """Each article that names the role once, grouped by regulation: its number as a
    link, then its title or the start of its text."""
    groups: dict[str, dict] = {}
    for mention in mentions:
        regulation, article = mention.regulation, mention.article
        group = groups.setdefault(regulation.id, {
            "regulation": pages.regulation_link(page, regulation, None, regulation.title),
            "lines": [], "seen": set()})
        if article.key in group["seen"]:
            continue
        group["seen"].add(article.key)
        text = " ".join(plain(t) for t in article.texts())
        gist = article.title or (text[:40] + ("…" if len(text) > 40 else ""))
        group["lines"].append(pages.regulation_link(page, regulation, article.key,
                                                    article.label) + "　" + md(gist))
    return [{"regulation": g["regulation"], "lines": g["lines"]} for g in groups.values()]


def roles_index(environment, pages: Pages, project: Project) -> str:
    """The roles list, grouped by department, each with its first duties."""
    page = f"{GENERATED}/roles.md"
    groups: dict[str, list[str]] = {}
    for role in project.roles:
        department = project.department_index[role.department].name if role.department \
            else "公司领导"
        groups.setdefault(department, []).append(
            pages.role_link(page, role.id) + "：" + md("；".join(role.duties[:2])))
    return environment.get_template("roles.md.j2").render(
        groups=[{"department": d, "roles": r} for d, r in groups.items()])


def org_outline(pages: Pages, project: Project) -> list[str]:
    """The org chart as a nested Markdown list of role links."""
    page = f"{GENERATED}/org.md"
    chart = project.org_chart()
    lines: list[str] = []

    def walk(parent: str | None, depth: int) -> None:
        for role in chart.get(parent, []):
            lines.append("    " * depth + "- " + pages.role_link(page, role.id))
            walk(role.id, depth + 1)

    walk(None, 0)
    return lines

