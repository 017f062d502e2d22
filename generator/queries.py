"""Questions the handbook answers about the model: who is named where, who signs what.

Pure functions over :class:`generator.model.Project`, shared by the site and any
other output that wants a role's view of the regulations.
"""

from __future__ import annotations

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


def mentions_by_role(project: Project, kept: KeptByObject | None = None
                     ) -> dict[str, list[Mention]]:
    """For every role, the articles that reference it or name it in their text.

    A long-running caller passes `kept` (the same each time): a regulation that is the
    same object as last time, with the same roles, is not read again.
    """
    names = tuple((role.id, role_names(role)) for role in project.roles)
    found: dict[str, list[Mention]] = {role.id: [] for role in project.roles}
    for regulation in project.regulations:
        mentions = kept.get(regulation, lambda r: _mentions_in(r, names), depends_on=names) \
            if kept is not None else _mentions_in(regulation, names)
        for role_id, mention in mentions:
            found[role_id].append(mention)
    return found


def _mentions_in(regulation: Regulation, names: tuple[tuple[str, tuple[str, ...]], ...]
                 ) -> list[tuple[str, Mention]]:
    mentions = []
    for article in regulation.all_articles():
        referenced = {r.target for r in article.references("role")}
        text = "".join(plain(t) for t in article.texts()) + (article.title or "")
        for role_id, words in names:
            if role_id in referenced or any(word in text for word in words):
                mentions.append((role_id, Mention(regulation, article)))
    return mentions


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
