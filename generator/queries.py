"""Questions the handbook answers about the model: who is named where, who signs what.

Pure functions over :class:`generator.model.Project`, shared by the site and any
other output that wants a role's view of the regulations.
"""

from __future__ import annotations

from dataclasses import dataclass

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


def articles_naming(project: Project, role: Role) -> list[Mention]:
    """Every article that references the role or names it in its text."""
    names = role_names(role)
    found = []
    for regulation in project.regulations:
        for article in regulation.all_articles():
            referenced = any(r.target == role.id for r in article.references("role"))
            text = "".join(plain(t) for t in article.texts()) + (article.title or "")
            if referenced or any(name in text for name in names):
                found.append(Mention(regulation, article))
    return found


def process_duties(project: Project, role: Role) -> list[Duty]:
    """Process steps the role performs, then those it approves."""
    duties = []
    for regulation in project.regulations:
        for process in regulation.processes:
            for step in process.steps:
                if step.role == role.id:
                    duties.append(Duty(regulation, process, step, approves=False))
                if role.id in step.approvers:
                    duties.append(Duty(regulation, process, step, approves=True))
    return duties


def forms_of(project: Project, role: Role) -> list[tuple[Form, str]]:
    """Forms the role fills in (acts in a step using it) or signs (in its approval chain)."""
    found: dict[str, tuple[Form, str]] = {}
    for duty in process_duties(project, role):
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
