"""The immutable, resolved model that every renderer reads.

Built by :mod:`generator.load` from the YAML files: numbers and labels are
computed, inline references are resolved into :class:`Reference` segments, and
objects point at each other by id (look them up on :class:`Project`). Nothing
here knows about Word, HTML or YAML.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property

from .model_org import Company, Department, Fonts, Person, Role  # noqa: F401 (re-exported)


@dataclass(frozen=True)
class Reference:
    """An inline reference inside text, already resolved.

    kind is one of article, role, form, regulation, department; target is the id
    (``regulation-id#article-key`` for articles); text is what a reader sees.
    """

    kind: str
    target: str
    text: str


Segment = str | Reference
RichText = tuple[Segment, ...]


def plain(text: RichText) -> str:
    """The text as a reader sees it, references replaced by their wording."""
    return "".join(s if isinstance(s, str) else s.text for s in text)


@dataclass(frozen=True)
class Item:
    """An item （一） / sub-item 1. of a paragraph, with its computed label."""

    label: str
    text: RichText
    paragraphs: tuple[RichText, ...] = ()
    items: tuple[Item, ...] = ()


@dataclass(frozen=True)
class Paragraph:
    """A paragraph (款) of an article and its items."""

    text: RichText
    items: tuple[Item, ...] = ()


@dataclass(frozen=True)
class Column:
    """A table column; type is text, number, money, percent or weight."""

    title: str
    type: str = "text"


@dataclass(frozen=True)
class Table:
    """A structured table (allowance standards, credit levels, weights …)."""

    id: str
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...]
    note: str | None = None


@dataclass(frozen=True)
class Article:
    """An article (条). key is its stable id (given, or derived from its first number)."""

    key: str
    number: int
    ordinal: int
    label: str
    """The number as printed before the article: 第七条, or 3. in an outline."""
    citation: str
    """How other text cites it: 第七条, or 第二部分（一）第3点 in an outline."""
    title: str | None
    paragraphs: tuple[Paragraph, ...]
    table: Table | None = None
    note: str | None = None
    has_stable_id: bool = True

    def texts(self) -> Iterator[RichText]:
        """Every text of the article (paragraphs, items, sub-items) in reading order."""

        def walk(items: tuple[Item, ...]) -> Iterator[RichText]:
            for item in items:
                yield item.text
                yield from item.paragraphs
                yield from walk(item.items)

        for paragraph in self.paragraphs:
            yield paragraph.text
            yield from walk(paragraph.items)

    def references(self, kind: str | None = None) -> Iterator[Reference]:
        """Inline references in the article's text, optionally of one kind only."""
        for text in self.texts():
            for segment in text:
                if isinstance(segment, Reference) and (kind is None or segment.kind == kind):
                    yield segment

    @property
    def first_text(self) -> str:
        """Plain text of the first paragraph (empty when the article has only a title/table)."""
        return plain(self.paragraphs[0].text) if self.paragraphs else ""


@dataclass(frozen=True)
class Section:
    """A section (节, or （一） in outline numbering)."""

    key: str
    number: int
    label: str
    title: str
    intro: tuple[RichText, ...]
    articles: tuple[Article, ...]
    table: Table | None = None


@dataclass(frozen=True)
class Chapter:
    """A chapter (章, or 一、 in outline numbering)."""

    key: str
    number: int
    label: str
    title: str
    intro: tuple[RichText, ...]
    sections: tuple[Section, ...]
    articles: tuple[Article, ...]
    table: Table | None = None

    def all_articles(self) -> Iterator[Article]:
        """Articles of the chapter in reading order, through its sections."""
        yield from self.articles
        for section in self.sections:
            yield from section.articles


@dataclass(frozen=True)
class Step:
    """One step of a process: who acts, what they do, which form, who approves."""

    number: int
    role: str
    action: str
    form: str | None
    approvers: tuple[str, ...]


@dataclass(frozen=True)
class Process:
    """A process (流程) of a regulation."""

    id: str
    title: str
    article: str | None
    steps: tuple[Step, ...]


@dataclass(frozen=True)
class Revision:
    """An entry of a revision history."""

    version: str
    date: dt.date
    summary: str
    fingerprint: str | None = None
    change: str | None = None
    """substantive or editorial, when the record says (handbook revise writes it)."""

    @property
    def kind(self) -> str:
        """实质性修订 / 文字性修订 when the record says which, else ''."""
        return CHANGE_NAMES.get(self.change or "", "")


@dataclass(frozen=True)
class Review:
    """A review (复审) that kept the text: it restarts the review cycle, not the version."""

    date: dt.date
    summary: str


def is_substantive(before: str | None, after: str) -> bool:
    """True when `after` is a new major version (1.x → 2.0) or the first one: readers must
    confirm it again. A minor step (1.0 → 1.1) is editorial."""
    return before is None or after.split(".")[0] != before.split(".")[0]


@dataclass(frozen=True)
class Regulation:
    """A regulation (制度), numbered and resolved."""

    id: str
    title: str
    number: str
    category: str
    version: str
    status: str
    effective: dt.date
    department: str
    approver: str
    applies_to: tuple[str, ...]
    numbering: str
    revisions: tuple[Revision, ...]
    preamble: tuple[RichText, ...]
    chapters: tuple[Chapter, ...]
    articles: tuple[Article, ...]
    postscript: tuple[RichText, ...]
    processes: tuple[Process, ...]
    supersedes: str | None = None
    source: str | None = None
    note: str | None = None
    file: str = ""
    review_months: int | None = None
    """Review cycle in months (its own `review_every` or company.yaml's); None: none."""
    owner: str | None = None
    reviews: tuple[Review, ...] = ()

    @property
    def last_substantive(self) -> Revision:
        """The latest revision that is a new major version (see is_substantive)."""
        latest = self.revisions[0]
        for before, after in zip(self.revisions, self.revisions[1:], strict=False):
            if is_substantive(before.version, after.version):
                latest = after
        return latest

    @property
    def last_reviewed(self) -> dt.date:
        """The day the review cycle last started: the last substantive revision or the
        last review, whichever is later."""
        days = [self.last_substantive.date] + [review.date for review in self.reviews]
        return max(days)

    @property
    def next_review(self) -> dt.date | None:
        """When the regulation is next due for review; None without a review cycle."""
        if not self.review_months:
            return None
        return add_months(self.last_reviewed, self.review_months)

    def all_articles(self) -> Iterator[Article]:
        """Every article in reading order."""
        yield from self.articles
        for chapter in self.chapters:
            yield from chapter.all_articles()

    @cached_property
    def article_index(self) -> dict[str, Article]:
        """Articles by key."""
        return {article.key: article for article in self.all_articles()}

    @property
    def article_count(self) -> int:
        """Number of articles."""
        return len(self.article_index)

    def tables(self) -> Iterator[Table]:
        """Every table of the regulation, in reading order."""
        for chapter in self.chapters:
            if chapter.table:
                yield chapter.table
            for section in chapter.sections:
                if section.table:
                    yield section.table
        for article in self.all_articles():
            if article.table:
                yield article.table


@dataclass(frozen=True)
class FormColumn:
    """A column of a repeating table on a form."""

    label: str
    type: str = "text"


@dataclass(frozen=True)
class FormField:
    """A field of a form; `name` is unique in the form (used for fillable PDF fields)."""

    name: str
    label: str
    type: str
    options: tuple[str, ...] = ()
    required: bool = False
    prefill: str | None = None
    columns: tuple[FormColumn, ...] = ()
    rows: int = 5


@dataclass(frozen=True)
class FormSection:
    """A titled group of fields (title empty for a form without sections)."""

    title: str
    fields: tuple[FormField, ...]


@dataclass(frozen=True)
class Clause:
    """A numbered contract clause."""

    number: int
    label: str
    title: str
    text: str


@dataclass(frozen=True)
class Form:
    """A form (表单), resolved.

    approval is explicit, or taken from the process steps that use the form
    (approval_source names which); required_by is explicit, or every article whose
    text references the form.
    """

    id: str
    title: str
    number: str | None
    kind: str
    version: str
    required_by: tuple[str, ...]
    description: str | None
    sections: tuple[FormSection, ...]
    clauses: tuple[Clause, ...]
    approval: tuple[str, ...]
    approval_source: str
    notes: tuple[str, ...] = ()
    file: str = ""
    pages: int = 1
    reference_tables: tuple[tuple[str, Table], ...] = ()
    """(regulation id, table) pairs printed on the form."""

    def all_fields(self) -> Iterator[FormField]:
        """Every field in order."""
        for section in self.sections:
            yield from section.fields


@dataclass(frozen=True)
class Project:
    """Everything loaded from one regulations/ folder."""

    company: Company
    departments: tuple[Department, ...]
    roles: tuple[Role, ...]
    regulations: tuple[Regulation, ...]
    forms: tuple[Form, ...]
    warnings: tuple = field(default=(), compare=False)
    synonyms: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """(everyday word, words used in the regulations) pairs for the site search."""
    today: dt.date | None = None
    """The day the handbook is built for: a status such as 即将生效 depends on it. Taken
    once, by the loader (or --as-of); renderers never read the clock."""
    people: tuple[Person, ...] = ()
    """The roster (people.yaml, .csv or .xlsx); empty when the project has none."""
    roster: str | None = None
    """The roster's file, relative to the project; None without one."""
    compendium_drafts: bool = False
    """Whether the 制度汇编 also binds the drafts (marked （草案）); by default it holds the
    regulations in force only (`handbook build --include-drafts` binds them)."""

    def status(self, regulation: Regulation) -> str:
        """The regulation's status wording on `today` (see status_label)."""
        return status_label(regulation, self.today or regulation.effective)

    @cached_property
    def regulation_index(self) -> dict[str, Regulation]:
        """Regulations by id."""
        return {r.id: r for r in self.regulations}

    @cached_property
    def role_index(self) -> dict[str, Role]:
        """Roles by id."""
        return {r.id: r for r in self.roles}

    @cached_property
    def department_index(self) -> dict[str, Department]:
        """Departments by id."""
        return {d.id: d for d in self.departments}

    @cached_property
    def form_index(self) -> dict[str, Form]:
        """Forms by id."""
        return {f.id: f for f in self.forms}

    def regulation(self, regulation_id: str) -> Regulation:
        """The regulation with this id (KeyError if none)."""
        return self.regulation_index[regulation_id]

    def party_name(self, party_id: str) -> str:
        """Name of a role or department id (applies_to mixes both)."""
        if party_id in self.role_index:
            return self.role_index[party_id].name
        return self.department_index[party_id].name

    def org_chart(self) -> dict[str | None, list[Role]]:
        """Roles grouped by the role they report to (None: top of the company)."""
        chart: dict[str | None, list[Role]] = {}
        for role in self.roles:
            chart.setdefault(role.reports_to, []).append(role)
        return chart


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (the month's last day when it is shorter)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    following = dt.date(year + (month + 1) // 12, (month + 1) % 12 + 1, 1)
    return dt.date(year, month + 1, min(day.day, (following - dt.timedelta(days=1)).day))


def status_label(regulation: Regulation, today: dt.date) -> str:
    """现行有效 / 草案 …, or 即将生效（date） for a regulation not yet in force on `today`."""
    if regulation.status == "active" and regulation.effective > today:
        return f"即将生效（{regulation.effective.isoformat()}）"
    return STATUS_NAMES[regulation.status]


CHANGE_NAMES = {"substantive": "实质性修订", "editorial": "文字性修订"}
"""Chinese names of the kinds of revision a record may state."""

STATUS_NAMES = {"draft": "草案", "active": "现行有效", "superseded": "已被替代",
                "repealed": "已废止"}
"""Chinese wording of each regulation status."""

FORM_KIND_NAMES = {"requisition": "申请单", "report": "报告", "register": "登记表",
                   "evaluation": "评价表", "contract": "合同", "record": "记录表"}
"""Chinese wording of each form kind."""
