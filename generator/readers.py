"""Who must read what: a regulation binds the departments of its `applies_to` (with their
sub-departments) and the roles it names there; the roster says who holds them."""

from __future__ import annotations

from collections.abc import Callable

from .model import Person, Project, Regulation, Role


def in_force(project: Project) -> list[Regulation]:
    """Regulations people must read: active and in force on the model's day."""
    today = project.today
    return [r for r in project.regulations
            if r.status == "active" and (today is None or r.effective <= today)]


def _ancestors(project: Project, department_id: str | None) -> set[str]:
    """The department and every department it belongs to."""
    found: set[str] = set()
    while department_id and department_id not in found:
        found.add(department_id)
        department = project.department_index.get(department_id)
        department_id = department.parent if department else None
    return found


def binds(project: Project, regulation: Regulation, department: str | None,
          role: str | None) -> bool:
    """True when the regulation applies to someone in `department` holding `role`."""
    return _binding(project, department, role)(regulation)


def _binding(project: Project, department: str | None, role: str | None
             ) -> Callable[[Regulation], bool]:
    """Whether a regulation applies to someone in `department` holding `role` (their
    departments looked up once, for asking of many regulations)."""
    role_department = project.role_index[role].department if role else None
    reach = _ancestors(project, department) | _ancestors(project, role_department)
    return lambda regulation: ((role is not None and role in regulation.applies_to)
                               or not reach.isdisjoint(regulation.applies_to))


def readers(project: Project, regulation: Regulation) -> list[Person]:
    """The people of the roster who must read the regulation, in roster order."""
    return [person for person in project.people
            if binds(project, regulation, person.department, person.role)]


def departments_bound(project: Project, regulation: Regulation) -> list[str]:
    """Department ids the regulation applies to, named or through a named role, in org
    order (for a sheet without a roster: blank rows per department)."""
    wanted = set()
    for party in regulation.applies_to:
        if party in project.department_index:
            wanted.add(party)
        elif project.role_index[party].department:
            wanted.add(project.role_index[party].department)
    return [d.id for d in project.departments if d.id in wanted]


def for_role(project: Project, role: Role) -> list[Regulation]:
    """The regulations in force that someone in this role must read."""
    binding = _binding(project, role.department, role.id)
    return [r for r in in_force(project) if binding(r)]


def for_person(project: Project, person: Person) -> list[Regulation]:
    """The regulations in force that this person must read."""
    binding = _binding(project, person.department, person.role)
    return [r for r in in_force(project) if binding(r)]
