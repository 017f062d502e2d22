"""Every generated page of the site written under the docs folder, and the navigation.

What goes into each page is computed in site_pages_regulation.py, site_pages_roles.py and
site_pages_lists.py; page layout is in templates/site/*.j2. A page whose inputs did not
change is not made again within one process (`handbook watch`), and a file whose content
did not change is not written again, so MkDocs renders only the pages that changed.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from .. import queries
from ..history import NO_HISTORY, History
from ..memo import KeptByObject, KeptFiles
from ..model import Project
from ..session import BuildSession
from . import site_mkdocs, site_review
from .escaping import front_matter, html_text, md
from .site_diagrams import Diagrams, org_diagram
from .site_links import Pages, regulation_page
from .site_mkdocs import GENERATED
from .site_pages_lists import form_markdown, forms_index, home_markdown
from .site_pages_regulation import regulation_markdown
from .site_pages_roles import org_outline, role_markdown, roles_index


def _environment(root: Path) -> SandboxedEnvironment:
    folder = Path(root) / "templates" / "site"
    if not folder.is_dir():
        folder = Path(__file__).resolve().parent.parent.parent / "templates" / "site"
    return _environment_for(str(folder.resolve()))


@functools.lru_cache(maxsize=8)
def _environment_for(folder: str) -> SandboxedEnvironment:
    """One environment per template folder: Jinja compiles each template once and
    recompiles it when its file changes (auto_reload)."""
    # the templates are the user's to edit: a sandbox keeps them from reaching Python
    environment = SandboxedEnvironment(loader=jinja2.FileSystemLoader(folder),
                                     undefined=jinja2.StrictUndefined, autoescape=False,
                                     keep_trailing_newline=True, trim_blocks=True,
                                     lstrip_blocks=True,
                                     # Markdown writes {#anchor}: keep Jinja comments out of it
                                     comment_start_string="<#--", comment_end_string="--#>")
    environment.filters["md"] = md
    environment.globals["front_matter"] = front_matter
    return environment




def write_pages(project: Project, root: Path, docs: Path, downloads: dict[str, dict[str, str]],
                diagrams: Diagrams, history: History = NO_HISTORY,
                session: BuildSession | None = None) -> tuple[list[str], list[dict]]:
    """Write every generated page under docs/generated; return the pages written and the nav.

    A page whose content did not change is left as it is (same modification time), so
    MkDocs can rebuild only the pages that changed; a session remembers the pages of its
    previous builds, so that an unchanged page is not even made again.
    """
    session = session or BuildSession()
    environment = _environment(root)
    out = docs / GENERATED
    write = _Writer(docs, session.pages)
    kept = session.pages
    session.mentions.keep_only(project.regulations)
    pages = Pages(project, downloads)
    shared = {"roles": kept.shared("roles", project.roles),
              "departments": kept.shared("departments", project.departments),
              "forms": kept.shared("forms", tuple((f.id, f.title) for f in project.forms)),
              "statuses": kept.shared("statuses", tuple(
                  project.status(r) for r in project.regulations))}
    categories = _regulation_pages(environment, pages, shared, diagrams, history, write)
    _role_pages(environment, pages, shared, write, session.mentions)
    for form in project.forms:
        write(out / "forms" / f"{form.id}.md", form_markdown(environment, pages, project, form))
    write(out / "roles.md", roles_index(environment, pages, project))
    site_review.write_review_page(environment, pages, project, docs, write)
    write(out / "forms.md", forms_index(environment, pages, project))
    write(out / "org.md", environment.get_template("org.md.j2").render(
        diagram=org_diagram(project, diagrams),
        outline=org_outline(pages, project)))
    # included into the hand-written site/index.md (pymdownx.snippets), not a page itself
    write(out / "snippets" / "home.md", home_markdown(environment, pages, project))
    kept.keep_only(set(write.written))
    return write.written, _nav(project, categories)


class _Writer:
    """Writes pages into the docs folder through the kept pages; lists the pages written."""

    def __init__(self, docs: Path, kept: KeptFiles) -> None:
        self.docs, self.kept = docs, kept
        self.written: list[str] = []

    def __call__(self, path: Path | str, content: str) -> None:
        path = os.fspath(path)
        name = site_mkdocs.docs_relative(path, self.docs)
        self.kept.write(name, path, content)
        self.written.append(name)


def _regulation_pages(environment, pages: Pages, shared: dict, diagrams: Diagrams,
                      history: History, write: _Writer) -> dict[str, list[dict]]:
    """Write each regulation's page and its comparison pages; return the navigation
    entries by category."""
    project = pages.project
    categories: dict[str, list[dict]] = {}
    template = environment.get_template("regulation.md.j2")
    for regulation in sorted(project.regulations, key=lambda r: r.number):
        page = regulation_page(regulation.id)
        comparisons = history.of(regulation.id)
        inputs = (template, regulation, shared["roles"], shared["departments"],
                  shared["forms"], shared["statuses"], pages.download(page, "docx", regulation.id),
                  pages.download(page, "pdf", regulation.id), comparisons)
        content, changes, notices = write.kept.made(page, inputs, functools.partial(
            regulation_markdown, template, pages, project, regulation, comparisons, diagrams))
        diagrams.notices += [n for n in notices if n not in diagrams.notices]
        for change_page, change in changes.items():
            write(write.docs / change_page, change)
        write(write.docs / page, content)
        categories.setdefault(regulation.category, []).append(
            {html_text(regulation.title + ("（草案）" if regulation.status == "draft" else "")):
             page})
    return categories


def _role_pages(environment, pages: Pages, shared: dict, write: _Writer,
                mentions_kept: KeptByObject) -> None:
    """Write each role's page."""
    project = pages.project
    mentions = queries.mentions_by_role(project, mentions_kept)
    duties = queries.duties_by_role(project)
    template = environment.get_template("role.md.j2")
    for role in project.roles:
        page = f"{GENERATED}/roles/{role.id}.md"
        role_duties = duties.get(role.id, [])
        forms = queries.forms_of(project, role, role_duties)
        red_lines = queries.red_lines(project, role)
        inputs = (template, role, shared["roles"], shared["departments"],
                  tuple((m.regulation.id, m.regulation.title, m.article.key, m.article.label,
                         m.article.title) for m in mentions[role.id]),
                  tuple((d.regulation.id, d.regulation.title, d.process.id, d.process.title,
                         d.step.number, d.step.action, d.approves) for d in role_duties),
                  tuple((f.id, f.title, how) for f, how in forms), tuple(red_lines),
                  site_review.reading_key(project, role))
        write(write.docs / GENERATED / "roles" / f"{role.id}.md", write.kept.made(
            page, inputs, functools.partial(role_markdown, environment, pages, project, role,
                                            mentions[role.id], role_duties, forms, red_lines)))


def _nav(project: Project, categories: dict[str, list[dict]]) -> list[dict]:
    """The site's navigation: home, the regulations by category, roles, forms."""
    nav: list[dict] = [{"首页": "index.md"}]
    # Material prints navigation titles as HTML: they are escaped here
    nav += [{html_text(category): entries}
            for category, entries in sorted(categories.items())]
    nav += [{"岗位": [{"岗位职责": f"{GENERATED}/roles.md"},
                      {"组织架构": f"{GENERATED}/org.md"}] +
             [{html_text(r.name): f"{GENERATED}/roles/{r.id}.md"} for r in project.roles]},
            {"表单": [{"表单下载": f"{GENERATED}/forms.md"}] +
             [{html_text(f.title): f"{GENERATED}/forms/{f.id}.md"} for f in project.forms]}]
    return nav



