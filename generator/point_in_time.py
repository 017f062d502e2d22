"""The handbook as it stood on a given day (`handbook build --as-of`).

Regulations that had not taken effect are left out, and so is whatever belongs only to
them: a form that only they require, cite or print a table of is left out too, a table
of theirs is not printed on a form that stays, and a reference to them in the text of a
regulation that stays is kept as words without a link. What stays never points at
something left out.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from .load_forms import FormUses  # the rule the loader follows, applied to what stays
from .model import Form, Project, Reference, Regulation


def as_of(project: Project, day: dt.date) -> Project:
    """The handbook as it stood on `day`: later regulations, and the forms that belong
    only to them, left out; a regulation superseded only after that day shown as still in
    force."""
    successors = {r.supersedes: r for r in project.regulations if r.supersedes}
    kept = []
    for regulation in project.regulations:
        if regulation.effective > day:
            continue
        successor = successors.get(regulation.id)
        if regulation.status == "superseded" and successor is not None and \
                successor.effective > day:
            regulation = dataclasses.replace(regulation, status="active")
        kept.append(regulation)
    in_force = {r.id for r in kept}
    ties = _form_ties(project)
    forms = [form for form in project.forms
             if not ties.get(form.id) or ties[form.id] & in_force]
    form_ids = {form.id for form in forms}

    def linked(reference: Reference) -> bool:
        if reference.kind in ("regulation", "article"):
            return reference.target.partition("#")[0] in in_force
        return reference.kind != "form" or reference.target in form_ids

    regulations = tuple(_without_links(r, linked) for r in kept)
    return dataclasses.replace(
        project, regulations=regulations, today=day,
        forms=tuple(_form_as_of(form, regulations, in_force) for form in forms))


def summary(before: Project, after: Project, day: dt.date) -> str:
    """One line saying how much of the handbook was in force on `day`."""
    text = (f"as of {day.isoformat()}: {len(after.regulations)} of "
            f"{len(before.regulations)} regulations in force, {len(after.forms)} of "
            f"{len(before.forms)} forms")
    if before.regulations and not after.regulations:
        first = min(r.effective for r in before.regulations)
        text += f" (the first regulation took effect on {first.isoformat()})"
    return text


def _form_ties(project: Project) -> dict[str, set[str]]:
    """For each form, the regulations that require it, name it, use it in a process step,
    or lend it a table."""
    ties: dict[str, set[str]] = {}
    for form in project.forms:
        ties[form.id] = {target.partition("#")[0] for target in form.required_by} | {
            regulation_id for regulation_id, _ in form.reference_tables}
    for regulation in project.regulations:
        for article in regulation.all_articles():
            for reference in article.references("form"):
                ties.setdefault(reference.target, set()).add(regulation.id)
        for process in regulation.processes:
            for step in process.steps:
                if step.form:
                    ties.setdefault(step.form, set()).add(regulation.id)
    return ties


def _form_as_of(form: Form, regulations: tuple[Regulation, ...], in_force: set[str]) -> Form:
    """The form without what points at regulations not in force; an approval chain taken
    from a process comes from the processes in force."""
    required_by = tuple(t for t in form.required_by if t.partition("#")[0] in in_force)
    tables = tuple((r, t) for r, t in form.reference_tables if r in in_force)
    approval, source = form.approval, form.approval_source
    if source not in ("explicit", "none") and source.partition("#")[0] not in in_force:
        approval, source = FormUses(regulations).chains.get(form.id, ((), "none"))
    return dataclasses.replace(form, required_by=required_by, reference_tables=tables,
                               approval=approval, approval_source=source)


def _without_links(value: Any, linked) -> Any:
    """value with every Reference for which linked() is false replaced by its words;
    the same object when nothing changed."""
    if isinstance(value, Reference):
        return value if linked(value) else value.text
    if isinstance(value, tuple):
        changed = tuple(_without_links(item, linked) for item in value)
        return value if all(a is b for a, b in zip(changed, value, strict=True)) else changed
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {}
        for field in dataclasses.fields(value):
            old = getattr(value, field.name)
            new = _without_links(old, linked)
            if new is not old:
                changes[field.name] = new
        return dataclasses.replace(value, **changes) if changes else value
    return value
