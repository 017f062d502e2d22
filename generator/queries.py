"""Questions the handbook answers about the model: who is named where, who signs what.

Pure functions over :class:`generator.model.Project`, shared by the site and any
other output that wants a role's view of the regulations.
"""

from __future__ import annotations

import bisect
import itertools
from dataclasses import dataclass

from .memo import KeptByObject
from .model import Article, Form, Process, Project, Regulation, Role, Step, plain


@dataclass(frozen=True)
class Mention:
    """An article that names a role (by reference, name or alias)."""

    regulation: Regulation
    article: Article


@dataclass(frozen=True)
class Duty:
    """A process step a role performs or approves."""

    regulation: Regulation
    process: Process
    step: Step
    approves: bool


def role_names(role: Role) -> tuple[str, ...]:
    """The words that name a role in regulation text (longest first)."""
    return tuple(sorted({role.name, *role.aliases}, key=len, reverse=True))


Names = tuple[tuple[str, tuple[str, ...]], ...]
"""Each role's id and the words that name it."""


def mention_names(project: Project) -> Names:
    """Each role's id and the words that name it (what finding mentions depends on)."""
    return tuple((role.id, role_names(role)) for role in project.roles)


def mentions_by_role(project: Project, kept: KeptByObject | None = None
                     ) -> dict[str, list[Mention]]:
    """For every role, the articles that reference it or name it in their text.

    A long-running caller passes `kept` (the same each time): a regulation that is the
    same object as last time, with the same roles (`mention_names`), is not read again.
    """
    names = mention_names(project)
    found: dict[str, list[Mention]] = {role.id: [] for role in project.roles}
    for regulation in project.regulations:
        mentions = kept.get(regulation, lambda r: _mentions_in(r, names), depends_on=names) \
            if kept is not None else _mentions_in(regulation, names)
        for role_id, mention in mentions:
            found[role_id].append(mention)
    return found


def mention_places(regulation: Regulation, names: Names) -> list[tuple[str, int]]:
    """Each (role id, article number) where an article of the regulation (in
    `all_articles` order, from 0) references the role or names it."""
    articles = list(regulation.all_articles())
    texts = ["".join(plain(t) for t in article.texts()) + (article.title or "")
             for article in articles]
    named = _names_in(texts, names)
    places = []
    for number, article in enumerate(articles):
        referenced = {r.target for r in article.references("role")}
        for role_id, _ in names:
            if role_id in referenced or role_id in named[number]:
                places.append((role_id, number))
    return places


def mentions_at(regulation: Regulation, places: list[tuple[str, int]]
                ) -> list[tuple[str, Mention]]:
    """The mentions at places (`mention_places`) of the regulation."""
    articles = list(regulation.all_articles())
    return [(role_id, Mention(regulation, articles[number])) for role_id, number in places]


def _mentions_in(regulation: Regulation, names: Names) -> list[tuple[str, Mention]]:
    return mentions_at(regulation, mention_places(regulation, names))


def _names_in(texts: list[str], names: Names) -> list[set[str]]:
    """For each text, the roles one of whose words it holds. The texts are searched as one
    string (a NUL between two), one `find` per occurrence: a name missing from a whole
    regulation costs one scan, not one per article."""
    found: list[set[str]] = [set() for _ in texts]
    joined = "\0".join(texts)
    starts = list(itertools.accumulate((len(text) + 1 for text in texts[:-1]), initial=0))
    for role_id, words in names:
        for word in words:
            if not word or "\0" in word:  # as `word in text` would: test each text
                for number, text in enumerate(texts):
                    if word in text:
                        found[number].add(role_id)
                continue
            position = joined.find(word)
            while position != -1:
                number = bisect.bisect_right(starts, position) - 1
                found[number].add(role_id)
                following = number + 1
                if following == len(starts):
                    break
                position = joined.find(word, starts[following])
    return found


def duties_by_role(project: Project) -> dict[str, list[Duty]]:
    """For every role, the process steps it performs or approves, in reading order."""
    found: dict[str, list[Duty]] = {role.id: [] for role in project.roles}
    for regulation in project.regulations:
        for process in regulation.processes:
            for step in process.steps:
                found.setdefault(step.role, []).append(Duty(regulation, process, step, False))
                for approver in dict.fromkeys(step.approvers):
                    found.setdefault(approver, []).append(
                        Duty(regulation, process, step, approves=True))
    return found


def forms_of(project: Project, role: Role, duties: list[Duty]) -> list[tuple[Form, str]]:
    """Forms the role fills in (acts in a step using it) or signs (in its approval chain);
    `duties` are the role's (from duties_by_role)."""
    found: dict[str, tuple[Form, str]] = {}
    for duty in duties:
        if duty.step.form and not duty.approves:
            found.setdefault(duty.step.form, (project.form_index[duty.step.form], "填写"))
    for form in project.forms:
        if role.id in form.approval:
            found[form.id] = (form, "签批" if form.id not in found else "填写并签批")
    return sorted(found.values(), key=lambda pair: pair[0].title)


def red_lines(project: Project, role: Role) -> list[Mention]:
    """Articles of 红线 regulations that bind the role (through it or its department)."""
    binding = {role.id, role.department}
    department = project.department_index.get(role.department or "")
    while department is not None and department.parent:
        binding.add(department.parent)
        department = project.department_index.get(department.parent)
    found = []
    for regulation in project.regulations:
        if "红线" not in regulation.title or not binding & set(regulation.applies_to):
            continue
        for chapter in regulation.chapters:
            if "红线" in chapter.title:
                found += [Mention(regulation, a) for a in chapter.all_articles()]
    return found
