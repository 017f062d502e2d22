"""Load a project: YAML files → validated file models → resolved, numbered Project.

Everything is read and cross-checked before anything is returned, and every
problem of the run is collected: ``load_project`` either returns a complete
:class:`~generator.model.Project` or raises :class:`~generator.errors.ProjectInvalid`
listing all errors (and warnings) with file:line:col.

The pieces: discovery.py finds and parses the files; load_org.py the company and the
organisation; load_numbering.py the labels of chapters, sections and articles;
resolve_text.py a regulation's texts and references; load_forms.py the forms.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import checks, ids, model, review, roster, schema
from .discovery import FORMS_DIR, ORG_FILE, Parsed, discover
from .discovery import parse as parse_file
from .errors import Location, ProblemSink, ProjectInvalid, display_path, suggest
from .export import canonical, regulation_json
from .load_forms import FormBuilder, FormUses
from .load_numbering import Structure, article_labels
from .load_org import Organisation, company
from .resolve_text import TextBuilder
from .session import BuildSession, ParseStore
from .sourcemap import SourceMap


def load_project(root: Path, session: BuildSession | None = None,
                 today: dt.date | None = None) -> model.Project:
    """Load and resolve every file under root/regulations, or raise ProjectInvalid.

    A caller that builds more than once (`handbook watch`) passes the same `session`
    each time: what did not change is not parsed or resolved again (see session.py).
    `today` (default: the date now) is the day statuses are shown for.
    """
    root = Path(root)
    sink = ProblemSink()
    files = discover(root, sink)

    rejected: list[Parsed] = []  # regulation files that are YAML but fail validation

    def parse(path: Path | None, file_model: type, into: list | None = None) -> Parsed | None:
        return parse_file(path, file_model, root, sink, session and session.parses, into)

    company = parse(files.get("company"), schema.Company)
    org = parse(files.get("org"), schema.Org)
    synonyms = parse(files.get("synonyms"), schema.Synonyms)
    regulations = [p for p in (parse(path, schema.Regulation, rejected)
                               for path in files["regulations"]) if p]
    forms = [p for p in (parse(path, schema.Form) for path in files["forms"]) if p]
    if company is None or org is None:
        raise ProjectInvalid(sink.problems)
    # ids of files that failed to load: references to them are not reported again
    broken = {path.stem for path in files["regulations"] + files["forms"]} - {
        p.head.id for p in regulations + forms}
    resolver = Resolver(root, sink, company, org, regulations, forms, broken,
                        session and session.loaded, session and session.parses)
    project = resolver.build()
    for regulation in project.regulations:  # their JSON texts, when stored with them
        text = resolver.texts.get(id(regulation))
        if session is not None and text is not None:
            session.regulation_texts.seed(regulation, text)
    resolver.check_rejected(rejected)
    people, roster_file = roster.load(root, files.get("people"), project, sink,
                                      session and session.parses)
    if sink.has_errors:
        raise ProjectInvalid(sink.problems)
    pairs = tuple((word, tuple(words)) for word, words in synonyms.data.synonyms.items()) \
        if synonyms else ()
    return model.Project(company=project.company, departments=project.departments,
                         roles=project.roles, regulations=project.regulations,
                         forms=project.forms, warnings=tuple(sink.problems), synonyms=pairs,
                         today=today or build_day(), people=people, roster=roster_file)


def build_day() -> dt.date:
    """Today, or the day SOURCE_DATE_EPOCH names (the reproducible-builds convention:
    seconds since 1970, UTC), for a build that must not depend on the clock."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit() and len(epoch) < 12:
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.date.today()



# ------------------------------------------------------------------ resolution


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
                 broken: set[str] | None = None, loaded: dict | None = None,
                 parses: ParseStore | None = None) -> None:
        self.root = root
        self.broken = broken or set()
        self.loaded = loaded
        """What earlier loads of the session resolved (BuildSession.loaded), or None."""
        self.parses = parses
        """The session's parse store: without `loaded` (a process that builds once), the
        numbering and models are kept there on disk, for the next process."""
        self.texts: dict[int, str] = {}
        """The JSON text of each regulation model kept on disk with it, by id(model)."""
        self.sink = sink
        self.company_file = company
        self.org_file = org
        self.regulation_files = regulations
        self.form_files = forms
        self.departments: dict[str, model.Department] = {}
        self.roles: dict[str, model.Role] = {}
        """Filled in by `build`, as every reference to a department or role needs them."""
        self.reference_texts: dict[tuple[str, str], str] = {}
        self.regulation_titles: dict[str, str] = {}
        self.form_titles: dict[str, str] = {}
        self.forms_by_title: dict[str, str] = {}

    # -- entry point

    def build(self) -> model.Project:
        """The project's model; every problem found is reported to the sink."""
        company_model = company(self.company_file)
        organisation = Organisation(self.org_file, self.sink, self.unknown)
        self.departments, self.roles = organisation.departments, organisation.roles
        self._unique_files()
        self.form_titles = {p.head.id: p.head.title for p in self.form_files}
        self.forms_by_title = {title: form_id for form_id, title in self.form_titles.items()}
        for parsed in self.regulation_files:
            self._number_articles(parsed)
        context = self._context() if self.loaded is not None else \
            self._context_key() if self.parses is not None else None
        regulations = tuple(self._remembered_regulation(p, context)
                            for p in self.regulation_files)
        self._supersede_circles()
        forms_builder = FormBuilder(self, FormUses(regulations))
        forms = tuple(forms_builder.form(p) for p in self.form_files)
        return model.Project(company=company_model,
                             departments=tuple(self.departments.values()),
                             roles=tuple(self.roles.values()), regulations=regulations,
                             forms=forms)

    def _supersede_circles(self) -> None:
        circles = checks.supersede_circles({p.head.id: p.head.supersedes
                                            for p in self.regulation_files})
        for parsed in self.regulation_files:
            circle = circles.get(parsed.head.id)
            if circle and len(circle) == 2:
                self.sink.error(parsed.source.value(("supersedes",)),
                                f"regulation `{circle[0]}` supersedes itself",
                                "name the regulation this one replaces, or remove `supersedes:`")
            elif circle:
                self.sink.error(parsed.source.value(("supersedes",)),
                                "supersedes goes round in a circle: " + " → ".join(circle),
                                "a regulation cannot replace one that replaces it")

    # -- names

    def unknown(self, location: Location, kind: str, name: str, choices: list[str],
                written: str = "") -> None:
        """Report name (of kind) as not defined, suggesting the nearest of choices; names
        of files that failed to load are not reported again."""
        if kind in ("form", "regulation") and name in self.broken:
            return  # its own file's errors are already reported
        hint = suggest(name, choices) or _DEFINE_HINTS[kind].format(name=name)
        where = f" in `{written}`" if written else ""
        self.sink.error(location, f"unknown {kind} `{name}`{where}", hint)

    def party(self, location: Location, party_id: str) -> None:
        """Report party_id unless it names a role or a department."""
        if party_id not in self.roles and party_id not in self.departments:
            self.unknown(location, "role or department", party_id,
                         list(self.roles) + list(self.departments))

    def role(self, location: Location, role_id: str | None) -> None:
        """Report role_id (when given) unless it names a role."""
        if role_id and role_id not in self.roles:
            self.unknown(location, "role", role_id, list(self.roles))

    def _unique_files(self) -> None:
        for kind, files in (("regulation", self.regulation_files), ("form", self.form_files)):
            given = Counter(p.head.id for p in files)  # where only for ids given twice
            self.sink.problems.extend(ids.duplicates(kind, [
                (p.head.id, display_path(p.path, self.root), p.source.value(("id",)))
                for p in files if given[p.head.id] > 1]))
        numbers: dict[str, str] = {}
        titles: dict[str, str] = {}
        for parsed in self.regulation_files:
            head = parsed.head
            for table, value, what in ((numbers, head.number, "document number"),
                                       (titles, head.title, "title")):
                if value in table:
                    key = "number" if table is numbers else "title"
                    self.sink.error(parsed.source.value((key,)),
                                    f"{what} `{value}` is also used by {table[value]}",
                                    f"give each regulation its own {what}")
                else:
                    table[value] = display_path(parsed.path, self.root)
        form_titles: dict[str, str] = {}
        for parsed in self.form_files:
            title = parsed.head.title
            if title in form_titles:
                self.sink.error(parsed.source.value(("title",)),
                                f"form title `{title}` is also used by {form_titles[title]}",
                                "regulations name forms by title: make titles unique")
            form_titles[title] = display_path(parsed.path, self.root)

    def check_rejected(self, rejected: list[Parsed]) -> None:
        """Report the unknown references in regulation files that failed validation (their
        data as written), so that one run reports every problem of a file."""
        for parsed in rejected:
            TextBuilder(self, parsed.path.stem, parsed.source).check_references(
                parsed.data, ())

    # -- numbering

    def _number_articles(self, parsed: Parsed) -> None:
        """Record the regulation's title and its articles' labels for references; in a
        session, kept while the parsed file is the same object."""
        self.regulation_titles[parsed.head.id] = parsed.head.title
        self.reference_texts.update(self._remembered(
            "numbering", parsed, None, lambda: article_labels(parsed, self.sink)))

    # -- regulations

    def _context(self) -> int:
        """A fingerprint of everything a regulation's model reads besides its own file."""
        return hash((tuple(self.roles.items()), tuple(self.departments.items()),
                     tuple(self.form_titles.items()), tuple(self.regulation_titles.items()),
                     tuple(self.reference_texts.items()), frozenset(self.broken),
                     str(self.root), self.company_file.data.review_every))

    def _context_key(self) -> str:
        """A digest of everything a regulation's model reads besides its own file, the
        same in every process (`_context` is Python's hash, which is not)."""
        return hashlib.sha256(canonical(
            [tuple(self.roles.values()), tuple(self.departments.values()),
             self.form_titles, self.regulation_titles,
             [[*key, text] for key, text in self.reference_texts.items()],
             sorted(self.broken), str(self.root), self.company_file.data.review_every]
        )).hexdigest()

    def _remembered_regulation(self, parsed: Parsed, context: object) -> model.Regulation:
        """The regulation's model; in a session, reused while neither its parsed file nor
        the context changed."""
        if self.loaded is None and self.parses is not None:  # kept on disk, with its JSON

            def with_text() -> tuple[model.Regulation, str]:
                made = self._regulation(parsed)
                return made, regulation_json(made)

            regulation, text = self._remembered("model", parsed, context, with_text)
            self.texts[id(regulation)] = text
            return regulation
        return self._remembered("model", parsed, context, lambda: self._regulation(parsed))

    def _remembered(self, kind: str, parsed: Parsed, context: object,
                    make: Callable[[], Any]) -> Any:
        """make(), and the problems it reported; in a session, both are kept and given back
        while the parsed file is the same object (it is while the file does not change)
        and context is equal. A process that builds once keeps them on disk instead."""
        if self.loaded is None and self.parses is not None:
            return self._stored(kind, parsed, context, make)
        slot = (kind, str(parsed.path))
        remembered = self.loaded.get(slot) if self.loaded is not None else None
        if remembered and remembered[0] is parsed.data and remembered[1] == context:
            self.sink.problems.extend(remembered[3])
            return remembered[2]
        before = len(self.sink.problems)
        value = make()
        if self.loaded is not None:
            self.loaded[slot] = (parsed.data, context, value, self.sink.problems[before:])
        return value

    def _stored(self, kind: str, parsed: Parsed, context: object,
                make: Callable[[], Any]) -> Any:
        """make(), and the problems it reported, kept on disk with the parses (by the
        file's parse digest and the context), for the next process."""
        digest = self.parses.digest(parsed.path, "Regulation") if self.parses else ""
        if not digest:
            return make()
        made_now = []

        def made() -> tuple:
            before = len(self.sink.problems)
            made_now.append(True)
            return make(), self.sink.problems[before:]

        value, problems = self.parses.derived(f"{kind} {digest} {context or ''}", made)
        if not made_now:
            self.sink.problems.extend(problems)
        return value

    def _regulation(self, parsed: Parsed) -> model.Regulation:
        data: schema.Regulation = parsed.data
        source = parsed.source
        builder = TextBuilder(self, data.id, source)
        self._regulation_references(data, source)
        structure = Structure(data, builder)
        processes = tuple(self._process(data, source, index, process)
                          for index, process in enumerate(data.processes))
        return model.Regulation(
            id=data.id, title=data.title, number=data.number, category=data.category,
            version=data.version, status=data.status, effective=data.effective,
            department=data.department, approver=data.approver,
            applies_to=tuple(data.applies_to), numbering=data.numbering,
            revisions=tuple(model.Revision(version=r.version, date=r.date, summary=r.summary,
                                           fingerprint=r.fingerprint, change=r.change)
                            for r in data.revisions),
            preamble=builder.texts(data.preamble, ("preamble",)),
            chapters=structure.chapters, articles=structure.articles,
            postscript=builder.texts(data.postscript, ("postscript",)),
            processes=processes, supersedes=data.supersedes, source=data.source,
            note=data.note, file=display_path(parsed.path, self.root),
            review_months=review.months(data.review_every or
                                        self.company_file.data.review_every),
            owner=data.owner, reviews=tuple(model.Review(date=r.date, summary=r.summary)
                                            for r in data.reviews))

    def _regulation_references(self, data: schema.Regulation, source: SourceMap) -> None:
        if data.department not in self.departments:
            self.unknown(source.value(("department",)), "department", data.department,
                          list(self.departments))
        self.role(source.value(("approver",)), data.approver)
        self.role(source.value(("owner",)), data.owner)
        for index, party in enumerate(data.applies_to):
            self.party(source.value(("applies_to", index)), party)
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
            self.unknown(source.value(("supersedes",)), "regulation", data.supersedes,
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
            self.role(source.value(s_path + ("role",)), step.role)
            for a_index, approver in enumerate(step.approvers):
                if approver not in self.roles:
                    self.sink.error(source.value(s_path + ("approvers", a_index)),
                                    f"approver `{approver}` is not a role",
                                    suggest(approver, list(self.roles))
                                    or f"approvers are role ids from {ORG_FILE}")
            if step.form and step.form not in self.form_titles:
                self.unknown(source.value(s_path + ("form",)), "form", step.form,
                              list(self.form_titles))
            steps.append(model.Step(number=s_index + 1, role=step.role, action=step.action,
                                    form=step.form, approvers=tuple(step.approvers)))
        return model.Process(id=process.id, title=process.title, article=article_target,
                             steps=tuple(steps))

    def article_target(self, regulation_id: str, written: str, location: Location
                       ) -> str | None:
        """Resolve `article` or `regulation#article` to its canonical target, or report it."""
        other, _, key = written.rpartition("#")
        target_regulation = other or regulation_id
        if target_regulation in self.broken:
            return None
        if target_regulation not in self.regulation_titles:
            self.unknown(location, "regulation", target_regulation,
                          list(self.regulation_titles))
            return None
        if (target_regulation, key) not in self.reference_texts:
            known = [k for (r, k) in self.reference_texts if r == target_regulation]
            self.sink.error(location, f"no article `{key}` in regulation `{target_regulation}`",
                            suggest(key, known) or "give the article an `id:` and use it here")
            return None
        return f"{target_regulation}#{key}"
