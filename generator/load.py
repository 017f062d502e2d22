"""Load a project: YAML files → validated file models → resolved, numbered Project.

Everything is read and cross-checked before anything is returned, and every
problem of the run is collected: ``load_project`` either returns a complete
:class:`~generator.model.Project` or raises :class:`~generator.errors.ProjectInvalid`
listing all errors (and warnings) with file:line:col.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import checks, ids, model, review, roster, schema, zh
from .discovery import FORMS_DIR, ORG_FILE, Parsed, discover
from .discovery import parse as parse_file
from .errors import Location, ProblemSink, ProjectInvalid, display_path, suggest
from .resolve_text import TextBuilder
from .yamlsource import SourceMap


def load_project(root: Path, memo: dict | None = None,
                 today: dt.date | None = None) -> model.Project:
    """Load and resolve every file under root/regulations, or raise ProjectInvalid.

    A long-running caller (`handbook watch`) passes the same `memo` dict each time:
    files whose size and modification time did not change are not parsed again.
    `today` (default: the date now) is the day statuses are shown for.
    """
    root = Path(root)
    sink = ProblemSink()
    files = discover(root, sink)

    def parse(path: Path | None, file_model: type) -> Parsed | None:
        return parse_file(path, file_model, root, sink, memo)

    company = parse(files.get("company"), schema.Company)
    org = parse(files.get("org"), schema.Org)
    synonyms = parse(files.get("synonyms"), schema.Synonyms)
    regulations = [p for p in (parse(path, schema.Regulation) for path in files["regulations"])
                   if p]
    forms = [p for p in (parse(path, schema.Form) for path in files["forms"]) if p]
    if company is None or org is None:
        raise ProjectInvalid(sink.problems)
    # ids of files that failed to load: references to them are not reported again
    broken = {path.stem for path in files["regulations"] + files["forms"]} - {
        p.data.id for p in regulations + forms}
    project = Resolver(root, sink, company, org, regulations, forms, broken, memo).build()
    people, roster_file = roster.load(root, files.get("people"), project, sink, memo)
    if sink.has_errors:
        raise ProjectInvalid(sink.problems)
    pairs = tuple((word, tuple(words)) for word, words in synonyms.data.synonyms.items()) \
        if synonyms else ()
    return model.Project(project.company, project.departments, project.roles,
                         project.regulations, project.forms,
                         warnings=tuple(sink.problems), synonyms=pairs,
                         today=today or build_day(), people=people, roster=roster_file)


def build_day() -> dt.date:
    """Today, or the day SOURCE_DATE_EPOCH names (the reproducible-builds convention:
    seconds since 1970, UTC), for a build that must not depend on the clock."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit() and len(epoch) < 12:
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.date.today()


# ------------------------------------------------------------------ resolution


class FormUses:
    """How the regulations use each form, worked out once for all forms: the approval
    chain of the first process whose steps use it, and the articles that name it."""

    def __init__(self, regulations: tuple[model.Regulation, ...]) -> None:
        self.by_id = {r.id: r for r in regulations}
        self.regulations = regulations
        self.chains: dict[str, tuple[tuple[str, ...], str]] = {}
        for regulation in regulations:
            for process in regulation.processes:
                chains: dict[str, list[str]] = {}
                for step in process.steps:
                    if step.form:
                        chain = chains.setdefault(step.form, [])
                        chain.extend(a for a in step.approvers if a not in chain)
                for form_id, chain in chains.items():
                    if chain and form_id not in self.chains:
                        self.chains[form_id] = (tuple(chain), f"{regulation.id}#{process.id}")

    @functools.cached_property
    def cited(self) -> dict[str, list[str]]:
        """For each form, the articles that name it (needed only by forms without
        `required_by`, so worked out on first use)."""
        cited: dict[str, list[str]] = {}
        for regulation in self.regulations:
            for article in regulation.all_articles():
                for form_id in dict.fromkeys(r.target for r in article.references("form")):
                    cited.setdefault(form_id, []).append(f"{regulation.id}#{article.key}")
        return cited


_DEFINE_HINTS = {
    "role": f"define the role in regulations/{ORG_FILE}",
    "department": f"define the department in regulations/{ORG_FILE}",
    "role or department": f"use a role or department id from regulations/{ORG_FILE}",
    "form": f"add regulations/{FORMS_DIR}/{{name}}.yaml",
    "regulation": "add regulations/{name}.yaml",
}


class Resolver:
    """Builds the model: numbers everything, resolves ids and inline references."""

    def __init__(self, root: Path, sink: ProblemSink, company: Parsed, org: Parsed,
                 regulations: list[Parsed], forms: list[Parsed],
                 broken: set[str] | None = None, memo: dict | None = None) -> None:
        self.root = root
        self.broken = broken or set()
        self.memo = memo
        self.sink = sink
        self.company_file = company
        self.org_file = org
        self.regulation_files = regulations
        self.form_files = forms
        self.departments: dict[str, model.Department] = {}
        self.roles: dict[str, model.Role] = {}
        self.reference_texts: dict[tuple[str, str], str] = {}
        self.regulation_titles: dict[str, str] = {}
        self.form_titles: dict[str, str] = {}
        self.forms_by_title: dict[str, str] = {}

    # -- entry point

    def build(self) -> model.Project:
        company = self._company()
        self._org()
        self._unique_files()
        self.form_titles = {p.data.id: p.data.title for p in self.form_files}
        self.forms_by_title = {title: form_id for form_id, title in self.form_titles.items()}
        for parsed in self.regulation_files:
            self._number_articles(parsed)
        context = self._context() if self.memo is not None else None
        regulations = tuple(self._remembered_regulation(p, context)
                            for p in self.regulation_files)
        circles = checks.supersede_circles({p.data.id: p.data.supersedes
                                            for p in self.regulation_files})
        for parsed in self.regulation_files:
            circle = circles.get(parsed.data.id)
            if circle and len(circle) == 2:
                self.sink.error(parsed.source.value(("supersedes",)),
                                f"regulation `{circle[0]}` supersedes itself",
                                "name the regulation this one replaces, or remove `supersedes:`")
            elif circle:
                self.sink.error(parsed.source.value(("supersedes",)),
                                "supersedes goes round in a circle: " + " → ".join(circle),
                                "a regulation cannot replace one that replaces it")
        uses = FormUses(regulations)
        forms = tuple(self._form(p, uses) for p in self.form_files)
        return model.Project(company, tuple(self.departments.values()),
                             tuple(self.roles.values()), regulations, forms)

    # -- company and org

    def _company(self) -> model.Company:
        data: schema.Company = self.company_file.data
        fonts = model.Fonts(**data.fonts.model_dump())
        values = data.model_dump(exclude={"fonts", "review_every"})
        return model.Company(fonts=fonts, **values)

    def _org(self) -> None:
        org: schema.Org = self.org_file.data
        source = self.org_file.source
        for index, dept in enumerate(org.departments):
            if dept.id in self.departments:
                self.sink.error(source.value(("departments", index, "id")),
                                f"duplicate department id `{dept.id}`",
                                "each department needs its own id")
                continue
            self.departments[dept.id] = model.Department(
                dept.id, dept.name, dept.parent, tuple(dept.aliases), dept.description)
        for index, dept in enumerate(org.departments):
            if dept.parent and dept.parent not in self.departments:
                self._unknown(source.value(("departments", index, "parent")),
                              "department", dept.parent, list(self.departments))
        for index, role in enumerate(org.roles):
            if role.id in self.roles:
                self.sink.error(source.value(("roles", index, "id")),
                                f"duplicate role id `{role.id}`", "each role needs its own id")
                continue
            reserved = ids.reserved(source.value(("roles", index, "id")), "role", role.id)
            self.sink.problems.extend([reserved] if reserved else [])
            if role.id in self.departments:
                self.sink.error(source.value(("roles", index, "id")),
                                f"role id `{role.id}` is also a department id",
                                "applies_to mixes roles and departments: give them distinct ids")
            self.roles[role.id] = model.Role(
                role.id, role.name, role.department, role.reports_to, tuple(role.aliases),
                tuple(role.duties), tuple(role.authorities))
        for index, role in enumerate(org.roles):
            if role.department and role.department not in self.departments:
                self._unknown(source.value(("roles", index, "department")), "department",
                              role.department, list(self.departments))
            if role.reports_to and role.reports_to not in self.roles:
                self._unknown(source.value(("roles", index, "reports_to")), "role",
                              role.reports_to, list(self.roles))
        self._reporting_cycles()

    def _reporting_cycles(self) -> None:
        for start in self.roles.values():
            seen = [start.id]
            current = start.reports_to
            while current and current in self.roles:
                if current == start.id:
                    index = list(self.roles).index(start.id)
                    self.sink.error(self.org_file.source.value(("roles", index, "reports_to")),
                                    "reports_to goes round in a circle: " + " → ".join(
                                        seen + [start.id]),
                                    "one role at the top must have no reports_to")
                    break
                if current in seen:
                    break
                seen.append(current)
                current = self.roles[current].reports_to

    def _unknown(self, location: Location, kind: str, name: str, choices: list[str],
                 written: str = "") -> None:
        if kind in ("form", "regulation") and name in self.broken:
            return  # its own file's errors are already reported
        hint = suggest(name, choices) or _DEFINE_HINTS[kind].format(name=name)
        where = f" in `{written}`" if written else ""
        self.sink.error(location, f"unknown {kind} `{name}`{where}", hint)

    def _party(self, location: Location, party_id: str) -> None:
        if party_id not in self.roles and party_id not in self.departments:
            self._unknown(location, "role or department", party_id,
                          list(self.roles) + list(self.departments))

    def _role(self, location: Location, role_id: str | None) -> None:
        if role_id and role_id not in self.roles:
            self._unknown(location, "role", role_id, list(self.roles))

    def _unique_files(self) -> None:
        for kind, files in (("regulation", self.regulation_files), ("form", self.form_files)):
            self.sink.problems.extend(ids.duplicates(kind, [
                (p.data.id, display_path(p.path, self.root), p.source.value(("id",)))
                for p in files]))
        numbers: dict[str, str] = {}
        titles: dict[str, str] = {}
        for parsed in self.regulation_files:
            data = parsed.data
            for table, value, what in ((numbers, data.number, "document number"),
                                       (titles, data.title, "title")):
                if value in table:
                    key = "number" if table is numbers else "title"
                    self.sink.error(parsed.source.value((key,)),
                                    f"{what} `{value}` is also used by {table[value]}",
                                    f"give each regulation its own {what}")
                else:
                    table[value] = display_path(parsed.path, self.root)
        form_titles: dict[str, str] = {}
        for parsed in self.form_files:
            if parsed.data.title in form_titles:
                self.sink.error(parsed.source.value(("title",)),
                                f"form title `{parsed.data.title}` is also used by "
                                f"{form_titles[parsed.data.title]}",
                                "regulations name forms by title: make titles unique")
            form_titles[parsed.data.title] = display_path(parsed.path, self.root)

    # -- numbering

    def _walk(self, data: schema.Regulation):
        """Yield (article, path, chapter_index, section_index, number_in_parent) in order."""
        for a_index, article in enumerate(data.articles):
            yield article, ("articles", a_index), None, None, a_index + 1
        for c_index, chapter in enumerate(data.chapters):
            for a_index, article in enumerate(chapter.articles):
                yield (article, ("chapters", c_index, "articles", a_index), c_index, None,
                       a_index + 1)
            for s_index, section in enumerate(chapter.sections):
                for a_index, article in enumerate(section.articles):
                    yield (article, ("chapters", c_index, "sections", s_index, "articles",
                                     a_index), c_index, s_index, a_index + 1)

    def _number_articles(self, parsed: Parsed) -> None:
        """Record the regulation's title and its articles' labels for references; with a
        memo, kept while the parsed file is the same object."""
        data: schema.Regulation = parsed.data
        self.regulation_titles[data.id] = data.title
        self.reference_texts.update(self._remembered(
            "numbering", parsed, None, lambda: self._article_labels(parsed)))

    def _article_labels(self, parsed: Parsed) -> dict[tuple[str, str], str]:
        data: schema.Regulation = parsed.data
        labels: dict[tuple[str, str], str] = {}
        seen: dict[str, tuple] = {}
        for ordinal, (article, path, c_index, s_index, local) in enumerate(
                self._walk(data), start=1):
            key = article.id or f"article-{ordinal}"
            if key in seen:
                self.sink.error(parsed.source.value(path + ("id",)),
                                f"duplicate article id `{key}` in this regulation",
                                "article ids must be unique within a regulation")
                continue
            seen[key] = path
            labels[(data.id, key)] = self._reference_label(data, ordinal, c_index, s_index, local)
        for path, message, hint in checks.anchor_collisions(data):  # duplicate HTML anchors
            self.sink.error(parsed.source.value(path), message, hint)
        return labels

    def _reference_label(self, data: schema.Regulation, ordinal: int, c_index: int | None,
                         s_index: int | None, local: int) -> str:
        if data.numbering == "article":
            return zh.article_label(ordinal)
        return zh.outline_reference(
            None if c_index is None else c_index + 1,
            None if s_index is None else s_index + 1, local)

    # -- regulations

    def _context(self) -> int:
        """A fingerprint of everything a regulation's model reads besides its own file."""
        return hash((tuple(self.roles.items()), tuple(self.departments.items()),
                     tuple(self.form_titles.items()), tuple(self.regulation_titles.items()),
                     tuple(self.reference_texts.items()), frozenset(self.broken),
                     str(self.root), self.company_file.data.review_every))

    def _remembered_regulation(self, parsed: Parsed, context: int | None) -> model.Regulation:
        """The regulation's model; with a memo, reused while neither its parsed file nor
        the context changed."""
        return self._remembered("model", parsed, context, lambda: self._regulation(parsed))

    def _remembered(self, kind: str, parsed: Parsed, context: object,
                    make: Callable[[], Any]) -> Any:
        """make(), and the problems it reported; with a memo, both are kept and given back
        while the parsed file is the same object (it is while the file does not change)
        and context is equal."""
        slot = (kind, str(parsed.path))
        remembered = self.memo.get(slot) if self.memo is not None else None
        if remembered and remembered[0] is parsed.data and remembered[1] == context:
            self.sink.problems.extend(remembered[3])
            return remembered[2]
        before = len(self.sink.problems)
        value = make()
        if self.memo is not None:
            self.memo[slot] = (parsed.data, context, value, self.sink.problems[before:])
        return value

    def _regulation(self, parsed: Parsed) -> model.Regulation:
        data: schema.Regulation = parsed.data
        source = parsed.source
        builder = TextBuilder(self, data, source)
        self._regulation_references(data, source)
        levels = zh.ARTICLE_STYLE_LEVELS if data.numbering == "article" \
            else zh.OUTLINE_STYLE_LEVELS[3:]
        ordinal = 0

        def article(item: schema.Article, path: tuple, local: int) -> model.Article:
            nonlocal ordinal
            ordinal += 1
            number = ordinal if data.numbering == "article" else local
            label = zh.article_label(number) if data.numbering == "article" \
                else zh.list_label(zh.OUTLINE_STYLE_LEVELS[2], number)
            return builder.article(item, path, ordinal, number, label, levels)

        articles = tuple(article(a, ("articles", i), i + 1) for i, a in enumerate(data.articles))
        chapters = []
        for c_index, chapter in enumerate(data.chapters):
            c_path = ("chapters", c_index)
            c_label = zh.chapter_label(c_index + 1) if data.numbering == "article" \
                else zh.list_label(zh.OUTLINE_STYLE_LEVELS[0], c_index + 1)
            chapter_articles = tuple(article(a, c_path + ("articles", i), i + 1)
                                     for i, a in enumerate(chapter.articles))
            sections = []
            for s_index, section in enumerate(chapter.sections):
                s_path = c_path + ("sections", s_index)
                s_label = zh.section_label(s_index + 1) if data.numbering == "article" \
                    else zh.list_label(zh.OUTLINE_STYLE_LEVELS[1], s_index + 1)
                sections.append(model.Section(
                    section.id or f"chapter-{c_index + 1}-section-{s_index + 1}", s_index + 1,
                    s_label, section.title,
                    builder.texts(section.intro, s_path + ("intro",)),
                    tuple(article(a, s_path + ("articles", i), i + 1)
                          for i, a in enumerate(section.articles)),
                    builder.table(section.table, s_path + ("table",))))
            chapters.append(model.Chapter(
                chapter.id or f"chapter-{c_index + 1}", c_index + 1, c_label, chapter.title,
                builder.texts(chapter.intro, c_path + ("intro",)), tuple(sections),
                chapter_articles, builder.table(chapter.table, c_path + ("table",))))
        processes = tuple(self._process(data, source, index, process)
                          for index, process in enumerate(data.processes))
        return model.Regulation(
            id=data.id, title=data.title, number=data.number, category=data.category,
            version=data.version, status=data.status, effective=data.effective,
            department=data.department, approver=data.approver,
            applies_to=tuple(data.applies_to), numbering=data.numbering,
            revisions=tuple(model.Revision(r.version, r.date, r.summary, r.fingerprint)
                            for r in data.revisions),
            preamble=builder.texts(data.preamble, ("preamble",)),
            chapters=tuple(chapters), articles=articles,
            postscript=builder.texts(data.postscript, ("postscript",)),
            processes=processes, supersedes=data.supersedes, source=data.source,
            note=data.note, file=display_path(parsed.path, self.root),
            review_months=review.months(data.review_every or
                                        self.company_file.data.review_every),
            owner=data.owner, reviews=tuple(model.Review(r.date, r.summary) for r in data.reviews))

    def _regulation_references(self, data: schema.Regulation, source: SourceMap) -> None:
        if data.department not in self.departments:
            self._unknown(source.value(("department",)), "department", data.department,
                          list(self.departments))
        self._role(source.value(("approver",)), data.approver)
        self._role(source.value(("owner",)), data.owner)
        for index, party in enumerate(data.applies_to):
            self._party(source.value(("applies_to", index)), party)
        last = data.revisions[-1]
        if last.version != data.version:
            self.sink.error(source.value(("version",)),
                            f"version {data.version} is not the latest revision ({last.version})",
                            "add a revision entry for this version, or correct `version`")
        for index in range(1, len(data.revisions)):
            before, after = data.revisions[index - 1], data.revisions[index]
            if checks.version_key(after.version) <= checks.version_key(before.version) or \
                    after.date < before.date:
                self.sink.error(source.value(("revisions", index)),
                                f"revision {after.version} ({after.date}) does not come after "
                                f"{before.version} ({before.date})",
                                "list revisions oldest first, with rising versions and dates")
        if data.supersedes and data.supersedes not in self.regulation_titles:
            self._unknown(source.value(("supersedes",)), "regulation", data.supersedes,
                          list(self.regulation_titles))
        if last.date > data.effective:
            self.sink.warning(source.value(("revisions", len(data.revisions) - 1, "date")),
                              f"revision {last.version} is dated {last.date}, after the "
                              f"effective date {data.effective}",
                              f"`effective` is the day the current version takes effect: "
                              f"set it to {last.date} or later, unless this version applies "
                              "from an earlier day")

    def _process(self, data: schema.Regulation, source: SourceMap, index: int,
                 process: schema.Process) -> model.Process:
        path = ("processes", index)
        article_target = None
        if process.article:
            article_target = self.article_target(data.id, process.article,
                                                 source.value(path + ("article",)))
        steps = []
        for s_index, step in enumerate(process.steps):
            s_path = path + ("steps", s_index)
            self._role(source.value(s_path + ("role",)), step.role)
            for a_index, approver in enumerate(step.approvers):
                if approver not in self.roles:
                    self.sink.error(source.value(s_path + ("approvers", a_index)),
                                    f"approver `{approver}` is not a role",
                                    suggest(approver, list(self.roles))
                                    or f"approvers are role ids from {ORG_FILE}")
            if step.form and step.form not in self.form_titles:
                self._unknown(source.value(s_path + ("form",)), "form", step.form,
                              list(self.form_titles))
            steps.append(model.Step(s_index + 1, step.role, step.action, step.form,
                                    tuple(step.approvers)))
        return model.Process(process.id, process.title, article_target, tuple(steps))

    def article_target(self, regulation_id: str, written: str, location: Location
                       ) -> str | None:
        """Resolve `article` or `regulation#article` to its canonical target, or report it."""
        other, _, key = written.rpartition("#")
        target_regulation = other or regulation_id
        if target_regulation in self.broken:
            return None
        if target_regulation not in self.regulation_titles:
            self._unknown(location, "regulation", target_regulation,
                          list(self.regulation_titles))
            return None
        if (target_regulation, key) not in self.reference_texts:
            known = [k for (r, k) in self.reference_texts if r == target_regulation]
            self.sink.error(location, f"no article `{key}` in regulation `{target_regulation}`",
                            suggest(key, known) or "give the article an `id:` and use it here")
            return None
        return f"{target_regulation}#{key}"

    # -- forms

    def _form(self, parsed: Parsed, uses: FormUses) -> model.Form:
        data: schema.Form = parsed.data
        source = parsed.source
        required_by: list[str] = []
        for index, written in enumerate(data.required_by):
            location = source.value(("required_by", index))
            if "#" not in written:
                self.sink.error(location, f"`{written}` names no regulation",
                                "write `regulation-id#article-id`")
                continue
            target = self.article_target("", written, location)
            if target:
                required_by.append(target)
        sections = [(s.title, s.fields, ("sections", i)) for i, s in enumerate(data.sections)]
        if data.fields:
            sections.insert(0, ("", data.fields, ()))
        if not sections and data.kind != "contract":
            self.sink.error(source.value(()), f"form `{data.id}` has no fields",
                            "add `fields:` or `sections:`")
        used_names: set[str] = set()
        model_sections = []
        for title, fields, path in sections:
            built = []
            for f_index, item in enumerate(fields):
                name = item.id or f"field-{len(used_names) + 1}"
                if name in used_names:
                    self.sink.error(source.value(path + ("fields", f_index, "id")),
                                    f"duplicate field id `{name}` in this form",
                                    "field ids name the fillable PDF fields: keep them unique")
                used_names.add(name)
                built.append(model.FormField(
                    name, item.label, item.type, tuple(item.options), item.required,
                    item.prefill, tuple(model.FormColumn(c.label, c.type) for c in item.columns),
                    item.rows))
                if item.prefill:
                    self._check_prefill(source.value(path + ("fields", f_index, "prefill")),
                                        item.prefill)
            model_sections.append(model.FormSection(title, tuple(built)))
        if not data.required_by:
            required_by = list(uses.cited.get(data.id, ()))
        approval, approval_source = self._approval(data, source, uses)
        clauses = tuple(model.Clause(i + 1, zh.article_label(i + 1), c.title, c.text)
                        for i, c in enumerate(data.clauses))
        return model.Form(data.id, data.title, data.number, data.kind, data.version,
                          tuple(required_by), data.description, tuple(model_sections), clauses,
                          approval, approval_source, tuple(data.notes),
                          display_path(parsed.path, self.root), data.pages,
                          self._reference_tables(data, source, uses.by_id))

    def _reference_tables(self, data: schema.Form, source: SourceMap,
                          by_id: dict[str, model.Regulation]
                          ) -> tuple[tuple[str, model.Table], ...]:
        found = []
        for index, written in enumerate(data.reference_tables):
            regulation_id, _, table_id = written.partition("#")
            regulation = by_id.get(regulation_id)
            tables = {t.id: t for t in regulation.tables()} if regulation else {}
            if table_id in tables:
                found.append((regulation_id, tables[table_id]))
            elif regulation is None and regulation_id not in self.broken:
                self._unknown(source.value(("reference_tables", index)), "regulation",
                              regulation_id, list(by_id))
            elif regulation is not None:
                self.sink.error(source.value(("reference_tables", index)),
                                f"no table `{table_id}` in regulation `{regulation_id}`",
                                suggest(table_id, list(tables)) or
                                "tables: " + (", ".join(tables) or "none"))
        return tuple(found)

    def _check_prefill(self, location: Location, prefill: str) -> None:
        allowed = [f"company.{name}" for name in schema.Company.model_fields if name != "fonts"]
        if prefill not in allowed:
            self.sink.error(location, f"unknown prefill `{prefill}`",
                            suggest(prefill, allowed) or "use one of: " + ", ".join(allowed))

    def _approval(self, data: schema.Form, source: SourceMap,
                  uses: FormUses) -> tuple[tuple[str, ...], str]:
        derived, derived_source = uses.chains.get(data.id, ((), "none"))
        if data.approval is None:
            return derived, derived_source
        for index, role in enumerate(data.approval):
            self._role(source.value(("approval", index)), role)
        if derived and tuple(data.approval) != derived:
            self.sink.warning(source.value(("approval",)),
                              f"approval {', '.join(data.approval)} differs from process "
                              f"`{derived_source}` ({', '.join(derived)})",
                              "remove `approval:` to follow the process, or change the process")
        return tuple(data.approval), "explicit"
