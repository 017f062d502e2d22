"""Every generated page of the site written under the docs folder, and the navigation.

What goes into each page is computed in site_pages_regulation.py, site_pages_roles.py and
site_pages_lists.py; page layout is in templates/site/*.j2. A page whose inputs did not
change is not made again within one process (`handbook watch`), and a file whose content
did not change is not written again, so MkDocs renders only the pages that changed.
"""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
from collections.abc import Mapping
from pathlib import Path

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from .. import queries
from ..export import canonical
from ..history import NO_HISTORY, History
from ..memo import KeptByObject, KeptFiles, StoredByDigest
from ..model import Project
from ..outputs import code_version
from ..session import BuildSession
from . import site_mkdocs, site_review
from .escaping import front_matter, html_text, md
from .site_diagrams import Diagrams, all_sources, org_diagram
from .site_links import Pages, regulation_page
from .site_mkdocs import GENERATED
from .site_pages_lists import form_markdown, forms_index, home_markdown
from .site_pages_regulation import regulation_markdown
from .site_pages_roles import org_outline, role_markdown, roles_index


def _template_folder(root: Path) -> Path:
    """The site's page templates: the project's, or the bundled ones."""
    folder = Path(root) / "templates" / "site"
    if not folder.is_dir():
        folder = Path(__file__).resolve().parent.parent.parent / "templates" / "site"
    return folder.resolve()


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
                session: BuildSession | None = None, digests: Mapping[str, str] | None = None,
                stored: Path | None = None) -> tuple[list[str], list[dict]]:
    """Write every generated page under docs/generated; return the pages written and the nav.

    A page whose content did not change is left as it is (same modification time), so
    MkDocs can rebuild only the pages that changed; a session remembers the pages of its
    previous builds, so that an unchanged page is not even made again. Given each
    regulation's content digest (`digests`) and a folder the builds carry (`stored`), the
    regulation and role pages are also kept there by a digest of their inputs, so that a
    new process does not make them again either.
    """
    session = session or BuildSession()
    folder = _template_folder(root)
    environment = _environment_for(str(folder))
    out = docs / GENERATED
    write = _Writer(docs, session.pages)
    kept = session.pages
    kept.stored = StoredByDigest(stored) if stored is not None and digests is not None \
        else None
    session.mentions.keep_only(project.regulations)
    pages = Pages(project, downloads)
    shared = {"roles": kept.shared("roles", project.roles),
              "departments": kept.shared("departments", project.departments),
              "forms": kept.shared("forms", tuple((f.id, f.title) for f in project.forms)),
              "statuses": kept.shared("statuses", tuple(
                  project.status(r) for r in project.regulations))}
    diagrams.prefetch(all_sources(project))
    digest = _Digests(folder, shared, digests) if kept.stored is not None else None
    categories = _regulation_pages(environment, pages, shared, diagrams, history, write,
                                   digest)
    _role_pages(environment, pages, shared, write, session.mentions, digest)
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
    if kept.stored is not None:
        kept.stored.prune()
    return write.written, _nav(project, categories)


class _Digests:
    """Digests of a page's inputs, for the pages kept on disk: this program's code, the
    page templates, the values every page shows (roles, departments, forms, statuses),
    whether Graphviz draws the diagrams, then the page's own inputs."""

    def __init__(self, templates: Path, shared: dict, regulations: Mapping[str, str]) -> None:
        common = hashlib.sha256(code_version().encode())
        for path in sorted(templates.rglob("*")):
            if path.is_file():
                common.update(path.name.encode() + b"\0" + path.read_bytes())
        common.update(canonical((shared["roles"], shared["departments"], shared["forms"],
                                 shared["statuses"], shutil.which("dot") is not None)))
        self.common, self.regulations = common, regulations

    def __call__(self, *parts) -> str:
        """The digest of a page made from parts (model values) and the common inputs."""
        digest = self.common.copy()
        digest.update(canonical(parts))  # not pickle: it depends on which equal
        return digest.hexdigest()            # objects are one object


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
                      history: History, write: _Writer, digest: _Digests | None
                      ) -> dict[str, list[dict]]:
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
        key = digest and digest("regulation", digest.regulations[regulation.id], inputs[6:])
        content, changes, notices = write.kept.made(page, inputs, functools.partial(
            regulation_markdown, template, pages, project, regulation, comparisons, diagrams),
            key)
        diagrams.notices += [n for n in notices if n not in diagrams.notices]
        for change_page, change in changes.items():
            write(write.docs / change_page, change)
        write(write.docs / page, content)
        categories.setdefault(regulation.category, []).append(
            {html_text(regulation.title + ("（草案）" if regulation.status == "draft" else "")):
             page})
    return categories


def _role_pages(environment, pages: Pages, shared: dict, write: _Writer,
                mentions_kept: KeptByObject, digest: _Digests | None) -> None:
    """Write each role's page."""
    project = pages.project
    if digest is not None and write.kept.stored is not None:
        _seed_mentions(project, mentions_kept, digest, write.kept.stored)
    mentions = queries.mentions_by_role(project, mentions_kept)
    duties = queries.duties_by_role(project)
    template = environment.get_template("role.md.j2")
    for role in project.roles:
        page = f"{GENERATED}/roles/{role.id}.md"
        role_duties = duties.get(role.id, [])
        forms = queries.forms_of(project, role, role_duties)
        red_lines = queries.red_lines(project, role)
        inputs = (template, role, shared["roles"], shared["departments"],
                  tuple((m.regulation.id, m.regulation.title, m.article)
                        for m in mentions[role.id]),
                  tuple((d.regulation.id, d.regulation.title, d.process.id, d.process.title,
                         d.step.number, d.step.action, d.approves) for d in role_duties),
                  tuple((f.id, f.title, how) for f, how in forms), tuple(red_lines),
                  site_review.reading_key(project, role))
        key = digest and digest("role", role, inputs[5:7], inputs[8], "\n".join(
            f"{m.regulation.id}\t{digest.regulations[m.regulation.id]}\t{m.article.key}"
            for m in (*mentions[role.id], *red_lines)))  # one string: digested at once
        write(write.docs / GENERATED / "roles" / f"{role.id}.md", write.kept.made(
            page, inputs, functools.partial(role_markdown, environment, pages, project, role,
                                            mentions[role.id], role_duties, forms, red_lines),
            key))


def _seed_mentions(project: Project, kept: KeptByObject, digest: _Digests,
                   stored: StoredByDigest) -> None:
    """Give `kept` each regulation's role mentions from the disk store, by the
    regulation's content and the roles' names (found again only in a regulation that
    changed, even by a new process)."""
    names = queries.mention_names(project)
    names_key = digest("mention names", names)
    for regulation in project.regulations:
        if not kept.holds(regulation, names):
            places = stored.get(digest("mentions", digest.regulations[regulation.id], names_key),
                                functools.partial(queries.mention_places, regulation, names))
            kept.seed(regulation, queries.mentions_at(regulation, places), names)


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



