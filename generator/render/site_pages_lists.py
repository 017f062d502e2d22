"""The form pages and the lists as Markdown: each form's page with its preview, the forms
list, and the home page's lists of regulations."""

from __future__ import annotations

import html

from ..model import FORM_KIND_NAMES, Form, Project, Regulation
from . import form_layout
from .escaping import md
from .site_links import Pages
from .site_mkdocs import GENERATED


def form_markdown(environment, pages: Pages, project: Project, form: Form) -> str:
    """A form's page: downloads, description, the articles that require it, approvals, preview."""
    page = f"{GENERATED}/forms/{form.id}.md"
    citations = [pages.regulation_link(page, regulation, article.key,
                                       f"《{regulation.title}》{article.citation}")
                 for regulation, article in form_layout.requiring_articles(project, form)]
    return environment.get_template("form.md.j2").render(
        form=form, kind=FORM_KIND_NAMES[form.kind],
        downloads={"docx": pages.download(page, "forms", f"{form.id}.docx"),
                   "pdf": pages.download(page, "forms", f"{form.id}.pdf")},
        description=md(form.description) if form.description else "",
        citations=("依据：" + "、".join(citations)) if citations else "",
        approvals=("签批顺序：" + "→".join(pages.role_link(page, r) for r in form.approval))
        if form.approval else "",
        preview=_preview(project, form))


def _preview(project: Project, form: Form) -> str:
    """The form's grid as an HTML table (escaped)."""
    grid = form_layout.layout(project, form)
    rows = []
    for row in grid.rows:
        cells = []
        for cell in row.cells:
            text = cell.text if cell.field is None else (
                "　".join(f"{form_layout.BOX} {o}" for o in cell.options)
                if cell.kind == "choice" else form_layout.BOX if cell.kind == "checkbox" else "")
            tag = "th" if cell.label or row.kind in ("section", "head") else "td"
            cells.append(f'<{tag} colspan="{cell.span}">{html.escape(text)}</{tag}>')
        rows.append(f'<tr class="hb-{row.kind}">{"".join(cells)}</tr>')
    return "<table>" + "".join(rows) + "</table>"


def forms_index(environment, pages: Pages, project: Project) -> str:
    """The forms list: each form with its number, kind and downloads."""
    page = f"{GENERATED}/forms.md"
    rows = []
    for form in sorted(project.forms, key=lambda f: f.number or f.id):
        links = [f"[Word]({pages.download(page, 'forms', f'{form.id}.docx')})"]
        pdf = pages.download(page, "forms", f"{form.id}.pdf")
        if pdf:
            links.append(f"[PDF]({pdf})")
        rows.append({"link": pages.form_link(page, form), "number": md(form.number or ""),
                     "kind": FORM_KIND_NAMES[form.kind], "downloads": " · ".join(links)})
    return environment.get_template("forms.md.j2").render(rows=rows)


def home_markdown(environment, pages: Pages, project: Project) -> str:
    """The home page's lists: categories, regulations in force, drafts, recent revisions,
    archive."""
    categories: dict[str, list[Regulation]] = {}
    for regulation in project.regulations:
        categories.setdefault(regulation.category, []).append(regulation)

    def link(regulation: Regulation) -> str:
        return f"[{md(regulation.title)}]({GENERATED}/regulations/{regulation.id}.md)"

    in_force = sorted((r for r in project.regulations if r.status == "active"),
                      key=lambda r: r.number)
    drafts = sorted((r for r in project.regulations if r.status == "draft"),
                    key=lambda r: r.number)
    archive = sorted((r for r in project.regulations if r.status in ("superseded", "repealed")),
                     key=lambda r: r.number)
    revisions = sorted(((rev, r) for r in project.regulations for rev in r.revisions),
                       key=lambda pair: (pair[0].date, pair[1].number), reverse=True)[:10]
    return environment.get_template("home.md.j2").render(
        categories=[{"name": name, "count": len(items),
                     "links": "、".join(link(r) for r in sorted(items, key=lambda r: r.number))}
                    for name, items in sorted(categories.items())],
        in_force=[{"number": md(r.number), "link": link(r), "effective": r.effective.isoformat(),
                   "status": project.status(r)} for r in in_force],
        drafts=[{"number": md(r.number), "link": link(r)} for r in drafts],
        recent=[{"date": rev.date.isoformat(), "link": link(r), "version": rev.version,
                 "summary": rev.summary} for rev, r in revisions],
        archive=[{"number": md(r.number), "link": link(r), "status": project.status(r)}
                 for r in archive],
        roles_link=f"{GENERATED}/roles.md", forms_link=f"{GENERATED}/forms.md",
        org_link=f"{GENERATED}/org.md")

