"""The handbook site: Markdown pages from the model into site/generated/, then MkDocs.

Hand-written pages live in site/ (index.md, assets/); everything this module writes
goes to site/generated/ (regulations, roles, forms, org chart, downloads, search
index), which is recreated on every build. Page layout is in templates/site/*.j2;
this module computes what goes into them. Every value from YAML goes through
escaping.py: HTML in a regulation shows as text, Markdown characters stay literal, and
navigation titles and front matter are escaped for where they land.
"""

from __future__ import annotations

import functools
import html
import os
import posixpath
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from .. import confine, queries
from ..history import NO_HISTORY, History
from ..memo import KeptByObject
from ..model import (
    FORM_KIND_NAMES,
    Article,
    Chapter,
    Form,
    Item,
    Project,
    Regulation,
    RichText,
    Table,
    plain,
)
from ..outputs import link_if_changed
from . import (
    diff_html,
    form_layout,
    mkdocs_config,
    search_answers,
    search_index,
    site_guard,
    site_mkdocs,
    site_review,
)
from .escaping import front_matter, html_text, md
from .site_diagrams import Diagrams, org_diagram, process_diagram
from .site_mkdocs import GENERATED


@dataclass
class SiteResult:
    """Notices of a site build (e.g. diagrams skipped), its shell key, pages rendered."""

    notices: list[str]
    shell: str = ""
    rendered: int = 0
    deferred: list[str] = field(default_factory=list)


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


# ---------------------------------------------------------------- links


def regulation_page(regulation_id: str) -> str:
    """Docs path of a regulation page."""
    return f"{GENERATED}/regulations/{regulation_id}.md"


@functools.lru_cache(maxsize=65536)
def _rel(from_page: str, to_page: str) -> str:
    """Relative link between two docs paths (MkDocs resolves .md links)."""
    return posixpath.relpath(to_page, posixpath.dirname(from_page))


class _Pages:
    """Knows where every page is and writes links between them."""

    def __init__(self, project: Project, downloads: dict[str, dict[str, str]]) -> None:
        self.project = project
        self.downloads = downloads

    def link_text(self, page: str, text: RichText) -> str:
        parts = []
        for segment in text:
            if isinstance(segment, str):
                parts.append(md(segment))
                continue
            target = self._target(page, segment.kind, segment.target)
            parts.append(f"[{md(segment.text)}]({target})" if target else md(segment.text))
        return "".join(parts)

    def _target(self, page: str, kind: str, target: str) -> str | None:
        if kind == "article":
            regulation_id, _, key = target.partition("#")
            here = page == regulation_page(regulation_id)
            return f"#{key}" if here else f"{_rel(page, regulation_page(regulation_id))}#{key}"
        if kind == "regulation":
            return _rel(page, regulation_page(target))
        if kind == "role":
            return _rel(page, f"{GENERATED}/roles/{target}.md")
        if kind == "form":
            return _rel(page, f"{GENERATED}/forms/{target}.md")
        return None

    def regulation_link(self, page: str, regulation: Regulation, key: str | None = None,
                        text: str | None = None) -> str:
        anchor = f"#{key}" if key else ""
        return f"[{md(text or regulation.title)}]({_rel(page, regulation_page(regulation.id))}" \
               f"{anchor})"

    def role_link(self, page: str, role_id: str) -> str:
        role = self.project.role_index[role_id]
        return f"[{md(role.name)}]({_rel(page, f'{GENERATED}/roles/{role_id}.md')})"

    def form_link(self, page: str, form: Form) -> str:
        return f"[《{md(form.title)}》]({_rel(page, f'{GENERATED}/forms/{form.id}.md')})"

    def download(self, page: str, kind: str, key: str) -> str | None:
        path = self.downloads.get(kind, {}).get(key)
        return _rel(page, f"{GENERATED}/{path}") if path else None


# ---------------------------------------------------------------- regulation body


def _heading(regulation: Regulation, label: str, title: str) -> str:
    return f"{label}　{title}" if regulation.numbering == "article" else f"{label}{title}"


def _body(pages: _Pages, page: str, regulation: Regulation) -> list[str]:
    blocks = [pages.link_text(page, text) for text in regulation.preamble]
    blocks += [_article(pages, page, regulation, a) for a in regulation.articles]
    for chapter in regulation.chapters:
        blocks += _chapter(pages, page, regulation, chapter)
    blocks += [pages.link_text(page, text) for text in regulation.postscript]
    return blocks


def _chapter(pages: _Pages, page: str, regulation: Regulation, chapter: Chapter) -> list[str]:
    blocks = [f"## {md(_heading(regulation, chapter.label, chapter.title))} {{#{chapter.key}}}"]
    blocks += [pages.link_text(page, text) for text in chapter.intro]
    blocks += _table(chapter.table)
    blocks += [_article(pages, page, regulation, a) for a in chapter.articles]
    for section in chapter.sections:
        blocks.append(f"### {md(_heading(regulation, section.label, section.title))} "
                      f"{{#{section.key}}}")
        blocks += [pages.link_text(page, text) for text in section.intro]
        blocks += _table(section.table)
        blocks += [_article(pages, page, regulation, a) for a in section.articles]
    return blocks


def _article(pages: _Pages, page: str, regulation: Regulation, article: Article) -> str:
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


def _items(pages: _Pages, page: str, items: tuple[Item, ...], depth: int) -> list[str]:
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


# ---------------------------------------------------------------- pages


class _KeptPages:
    """Generated pages kept between the builds of one process (`handbook watch`).

    A page is kept with the values it was made from; when they are equal next time it
    is not made again. A file is kept with its content and modification time, so an
    unchanged page is not read back to be compared. Values shared by many pages (the
    roles, the departments) are kept once and handed back while equal, so that each
    page's comparison finds the very same object.
    """

    def __init__(self) -> None:
        self._made: dict[str, tuple[tuple, object]] = {}
        self._files: dict[str, tuple[str, int, int]] = {}
        self._shared: dict[str, object] = {}

    def shared(self, name: str, value):
        """value, or the equal value kept under name from the last build."""
        kept = self._shared.get(name)
        if kept is not None and kept == value:
            return kept
        self._shared[name] = value
        return value

    def made(self, name: str, inputs: tuple, make):
        """make(), or what it gave last time for equal inputs."""
        kept = self._made.get(name)
        if kept is not None and kept[0] == inputs:
            return kept[1]
        value = make()
        self._made[name] = (inputs, value)
        return value

    def write(self, name: str, path: str, content: str) -> None:
        """Write content to path (known as name, its place in the docs folder) unless the
        file already holds it."""
        kept = self._files.get(name)
        try:
            stat = os.stat(path)
        except OSError:
            stat = None
        if kept is not None and stat is not None and kept[0] == content and \
                kept[1:] == (stat.st_mtime_ns, stat.st_size):
            return
        _write_if_changed(Path(path), content)
        stat = os.stat(path)
        self._files[name] = (content, stat.st_mtime_ns, stat.st_size)

    def keep_only(self, names: set[str]) -> None:
        """Forget pages and files this build did not make."""
        for key in [k for k in self._made if k not in names]:
            del self._made[key]
        for key in [k for k in self._files if k not in names]:
            del self._files[key]


_kept = _KeptPages()
_mentions_kept = KeptByObject()  # the roles each regulation names


def write_pages(project: Project, root: Path, docs: Path, downloads: dict[str, dict[str, str]],
                diagrams: Diagrams, history: History = NO_HISTORY
                ) -> tuple[list[str], list[dict]]:
    """Write every generated page under docs/generated; return the pages written and the nav.

    A page whose content did not change is left as it is (same modification time), so
    MkDocs can rebuild only the pages that changed.
    """
    environment = _environment(root)
    out = docs / GENERATED
    written: list[str] = []
    _mentions_kept.keep_only(project.regulations)

    def _write(path: Path | str, content: str) -> None:
        path = os.fspath(path)
        name = site_mkdocs.docs_relative(path, docs)
        _kept.write(name, path, content)
        written.append(name)

    pages = _Pages(project, downloads)
    shared = {"roles": _kept.shared("roles", project.roles),
              "departments": _kept.shared("departments", project.departments),
              "forms": _kept.shared("forms", tuple((f.id, f.title) for f in project.forms)),
              "statuses": _kept.shared("statuses", tuple(
                  project.status(r) for r in project.regulations))}
    nav_categories: dict[str, list[dict]] = {}
    template = environment.get_template("regulation.md.j2")
    for regulation in sorted(project.regulations, key=lambda r: r.number):
        page = regulation_page(regulation.id)
        comparisons = history.of(regulation.id)
        inputs = (template, regulation, shared["roles"], shared["departments"],
                  shared["forms"], shared["statuses"], pages.download(page, "docx", regulation.id),
                  pages.download(page, "pdf", regulation.id), comparisons)
        content, changes, notices = _kept.made(page, inputs, functools.partial(
            _regulation_page, template, pages, project, regulation, comparisons, diagrams))
        diagrams.notices += [n for n in notices if n not in diagrams.notices]
        for change_page, change in changes.items():
            _write(docs / change_page, change)
        _write(docs / page, content)
        nav_categories.setdefault(regulation.category, []).append(
            {html_text(regulation.title + ("（草案）" if regulation.status == "draft" else "")):
             page})
    mentions = queries.mentions_by_role(project, _mentions_kept)
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
        _write(out / "roles" / f"{role.id}.md", _kept.made(page, inputs, functools.partial(
            _role_page, environment, pages, project, role, mentions[role.id], role_duties,
            forms, red_lines)))
    for form in project.forms:
        _write(out / "forms" / f"{form.id}.md", _form_page(environment, pages, project, form))
    _write(out / "roles.md", _roles_index(environment, pages, project))
    site_review.write_review_page(environment, pages, project, docs, _write)
    _write(out / "forms.md", _forms_index(environment, pages, project))
    _write(out / "org.md", environment.get_template("org.md.j2").render(
        diagram=org_diagram(project, diagrams),
        outline=_org_outline(pages, project)))
    # included into the hand-written site/index.md (pymdownx.snippets), not a page itself
    _write(out / "snippets" / "home.md", _home(environment, pages, project))
    nav = [{"首页": "index.md"}]
    # Material prints navigation titles as HTML: they are escaped here
    nav += [{html_text(category): entries}
            for category, entries in sorted(nav_categories.items())]
    nav += [{"岗位": [{"岗位职责": f"{GENERATED}/roles.md"},
                      {"组织架构": f"{GENERATED}/org.md"}] +
             [{html_text(r.name): f"{GENERATED}/roles/{r.id}.md"} for r in project.roles]},
            {"表单": [{"表单下载": f"{GENERATED}/forms.md"}] +
             [{html_text(f.title): f"{GENERATED}/forms/{f.id}.md"} for f in project.forms]}]
    _kept.keep_only(set(written))
    return written, nav


def _change_page(pages: _Pages, page: str, regulation: Regulation, comparison) -> str:
    """A 新旧条文对照表 page: the HTML table inside the site's layout."""
    body = diff_html.render(comparison)
    table = body[body.index("<table>"):body.index("</table>") + len("</table>")]
    back = pages.regulation_link(page, regulation, "revisions", "返回修订记录")
    return (front_matter(title=f"《{regulation.title}》新旧条文对照表") + "\n"
            f"# 《{md(regulation.title)}》新旧条文对照表\n\n"
            f"版本 {comparison.old_version} → {comparison.new_version}。"
            f"{md(comparison.summary())}　{back}\n\n"
            f'<div class="hb-diff" markdown="0">{table}</div>\n')


def _party_link(pages: _Pages, page: str, party: str) -> str:
    if party in pages.project.role_index:
        return pages.role_link(page, party)
    return md(pages.project.department_index[party].name)


def _write_if_changed(path: Path, content: str) -> None:
    data = content.encode("utf-8")
    if path.exists() and path.read_bytes() == data:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _mentions_by_regulation(pages: _Pages, page: str, mentions: list[queries.Mention]
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


def _role_page(environment, pages: _Pages, project: Project, role,
               mentions: list[queries.Mention], duties: list[queries.Duty],
               forms: list[tuple[Form, str]], red_lines: list[queries.Mention]) -> str:
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
        articles=articles, steps=steps, forms=form_lines, red_lines=red,
        reading=site_review.reading(pages, page, project, role))


def _form_page(environment, pages: _Pages, project: Project, form: Form) -> str:
    page = f"{GENERATED}/forms/{form.id}.md"
    citations = []
    for target in form.required_by:
        regulation_id, _, key = target.partition("#")
        if regulation_id not in project.regulation_index:
            continue
        regulation = project.regulation(regulation_id)
        label = regulation.article_index[key].label if regulation.numbering == "article" \
            else form_layout.outline_label(regulation, key)
        citations.append(pages.regulation_link(page, regulation, key,
                                               f"《{regulation.title}》{label}"))
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


def _roles_index(environment, pages: _Pages, project: Project) -> str:
    page = f"{GENERATED}/roles.md"
    groups: dict[str, list[str]] = {}
    for role in project.roles:
        department = project.department_index[role.department].name if role.department \
            else "公司领导"
        groups.setdefault(department, []).append(
            pages.role_link(page, role.id) + "：" + md("；".join(role.duties[:2])))
    return environment.get_template("roles.md.j2").render(
        groups=[{"department": d, "roles": r} for d, r in groups.items()])


def _forms_index(environment, pages: _Pages, project: Project) -> str:
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


def _org_outline(pages: _Pages, project: Project) -> list[str]:
    page = f"{GENERATED}/org.md"
    chart = project.org_chart()
    lines: list[str] = []

    def walk(parent: str | None, depth: int) -> None:
        for role in chart.get(parent, []):
            lines.append("    " * depth + "- " + pages.role_link(page, role.id))
            walk(role.id, depth + 1)

    walk(None, 0)
    return lines


def _home(environment, pages: _Pages, project: Project) -> str:
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


def _regulation_page(template, pages: _Pages, project: Project, regulation: Regulation,
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
        changes[version] = _rel(page, change_page)
    content = template.render(
        regulation=regulation, status=project.status(regulation), changes=changes,
        department=project.department_index[regulation.department].name,
        approver_link=pages.role_link(page, regulation.approver),
        applies_to="、".join(_party_link(pages, page, p) for p in regulation.applies_to),
        downloads={"docx": pages.download(page, "docx", regulation.id),
                   "pdf": pages.download(page, "pdf", regulation.id)},
        body=_body(pages, page, regulation), processes=processes)
    return content, change_pages, diagrams.notices[before:]


# ---------------------------------------------------------------- the build


def build(project: Project, root: Path, target: Path, outputs: Path,
          previous: Path | None = None, previous_shell: str | None = None,
          cache: Path | None = None, search_key: str | None = None,
          defer_search: bool = False, history: History = NO_HISTORY) -> SiteResult:
    """Generate pages and downloads into the build's docs folder, then run MkDocs into
    target. `history` holds what each recorded revision changed.

    outputs holds this build's documents and forms. When `previous` (the last good site)
    was built with the same shell (navigation, file list, theme, mkdocs.yml and
    generator), it is linked into target and only the pages whose Markdown changed are
    rendered again; otherwise MkDocs renders every page. `cache` keeps diagram SVGs.
    The search index is made again only when `search_key` (what it is made from)
    differs from the one stamped beside it; with `defer_search` an out-of-date index is
    left for a later build and listed in `deferred`.
    """
    try:
        return _build(project, root, target, outputs, previous, previous_shell, cache,
                      search_key, defer_search, history)
    except Exception as exc:
        located = site_guard.template_error(exc, root)  # templates/site/*.j2, overrides
        if located is not None:
            raise located from None
        if isinstance(exc, OSError):  # a full disk, a read-only folder, a file for a folder
            raise site_guard.os_error(exc, root) from None
        raise


def _build(project: Project, root: Path, target: Path, outputs: Path,
           previous: Path | None, previous_shell: str | None, cache: Path | None,
           search_key: str | None, defer_search: bool, history: History) -> SiteResult:
    root = Path(root)
    cache = cache or target.parent / ".cache"
    confine.check(root, ["mkdocs.yml", "site", "templates"])
    loaded = mkdocs_config.load(root, {"site_dir": str(target), "strict": True})
    confine.check(root, [loaded.config["docs_dir"], loaded.config.theme.custom_dir or "site"])
    docs = site_mkdocs.docs_folder(Path(loaded.config["docs_dir"]), cache)
    loaded.config["docs_dir"] = str(docs)
    generated = docs / GENERATED
    diagrams = Diagrams(cache / "diagrams")
    downloads, download_files = _link_downloads(outputs, generated / "downloads")
    pages, nav = write_pages(project, root, docs, downloads, diagrams, history)
    keep = set(pages) | set(download_files)
    deferred = _search_index(project, docs, search_key, defer_search, keep)
    site_mkdocs.remove_stale(generated, docs, keep)
    footer = _footer(project)
    loaded.config["copyright"] = html_text(footer)  # Material prints it as HTML
    loaded.config["extra"]["generator"] = False  # no "Made with Material for MkDocs"
    shell = site_mkdocs.shell_key(root, docs, nav, loaded.key + footer)
    incremental = previous is not None and previous.is_dir() and shell == previous_shell
    rendered = site_mkdocs.run(loaded.config, target, nav, previous if incremental else None,
                               cache)
    return SiteResult(diagrams.notices, shell, rendered, deferred)


def _footer(project: Project) -> str:
    """The line at the foot of every page: the company, and how current the rules are
    (the latest effective or revision date: it changes when the content does, not daily)."""
    dates = [r.effective for r in project.regulations] + \
        [rev.date for r in project.regulations for rev in r.revisions]
    latest = f" · 内容更新至 {max(dates).isoformat()}" if dates else ""
    return f"{project.company.name} · 管理制度手册{latest}"


def _search_index(project: Project, docs: Path, search_key: str | None, defer: bool,
                  keep: set[str]) -> list[str]:
    """Write the search index unless the one there was made from search_key (with
    `defer`, leave an out-of-date one for a later build); return what was deferred."""
    index = docs / GENERATED / "search" / "index.json"
    answers = index.with_name("answers.json")
    stamp = index.with_name(".made-from")  # dot files are not published by MkDocs
    keep.update(path.relative_to(docs).as_posix() for path in (index, answers, stamp))
    current = search_key is not None and index.exists() and stamp.exists() and \
        stamp.read_text(encoding="utf-8") == search_key
    if not current and defer and index.exists():
        return ["site search index"]
    if not current:
        _write_if_changed(index, search_index.render(project))
        _write_if_changed(answers, search_answers.render(project))
        if search_key is not None:
            stamp.write_text(search_key, encoding="utf-8")
        else:
            stamp.unlink(missing_ok=True)
    return []


def _link_downloads(outputs: Path, target: Path) -> tuple[dict[str, dict[str, str]], list[str]]:
    """Hard-link (or copy) the documents and forms of this build under target."""
    found: dict[str, dict[str, str]] = {}
    files: list[str] = []
    for kind in ("docx", "pdf", "forms"):
        source = os.path.join(outputs, kind)
        if not os.path.isdir(source):
            continue
        folder = os.path.join(target, kind)
        os.makedirs(folder, exist_ok=True)
        for name in sorted(os.listdir(source)):
            link_if_changed(os.path.join(source, name), os.path.join(folder, name))
            key = name.rsplit(".", 1)[0] if kind != "forms" else name
            found.setdefault(kind, {})[key] = f"downloads/{kind}/{name}"
            files.append(f"{GENERATED}/downloads/{kind}/{name}")
    return found, files
