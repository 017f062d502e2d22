"""The organisation: the company, its departments and its roles, checked for duplicate ids,
unknown parents and reporting lines that go round in a circle."""

from __future__ import annotations

from collections.abc import Callable

from . import ids, model, schema
from .discovery import Parsed
from .errors import Location, ProblemSink

Unknown = Callable[[Location, str, str, list[str]], None]
"""Reports a name that is not defined: (where, what kind, the name, the names there are)."""


def company(parsed: Parsed) -> model.Company:
    """The company's model from company.yaml."""
    data: schema.Company = parsed.data
    fonts = model.Fonts(**data.fonts.model_dump())
    values = data.model_dump(exclude={"fonts"})
    return model.Company(fonts=fonts, **values)


class Organisation:
    """The departments and roles of org.yaml, by id, with every problem reported to sink."""

    def __init__(self, parsed: Parsed, sink: ProblemSink, unknown: Unknown) -> None:
        self.parsed, self.sink, self.unknown = parsed, sink, unknown
        self.departments: dict[str, model.Department] = {}
        self.roles: dict[str, model.Role] = {}
        self._departments()
        self._roles()
        self._reporting_cycles()

    def _departments(self) -> None:
        org: schema.Org = self.parsed.data
        source = self.parsed.source
        for index, dept in enumerate(org.departments):
            if dept.id in self.departments:
                self.sink.error(source.value(("departments", index, "id")),
                                f"duplicate department id `{dept.id}`",
                                "each department needs its own id")
                continue
            self.departments[dept.id] = model.Department(
                id=dept.id, name=dept.name, parent=dept.parent, aliases=tuple(dept.aliases),
                description=dept.description)
        for index, dept in enumerate(org.departments):
            if dept.parent and dept.parent not in self.departments:
                self.unknown(source.value(("departments", index, "parent")),
                             "department", dept.parent, list(self.departments))

    def _roles(self) -> None:
        org: schema.Org = self.parsed.data
        source = self.parsed.source
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
                id=role.id, name=role.name, department=role.department,
                reports_to=role.reports_to, aliases=tuple(role.aliases),
                duties=tuple(role.duties), authorities=tuple(role.authorities))
        for index, role in enumerate(org.roles):
            if role.department and role.department not in self.departments:
                self.unknown(source.value(("roles", index, "department")), "department",
                             role.department, list(self.departments))
            if role.reports_to and role.reports_to not in self.roles:
                self.unknown(source.value(("roles", index, "reports_to")), "role",
                             role.reports_to, list(self.roles))

    def _reporting_cycles(self) -> None:
        for start in self.roles.values():
            seen = [start.id]
            current = start.reports_to
            while current and current in self.roles:
                if current == start.id:
                    index = list(self.roles).index(start.id)
                    self.sink.error(self.parsed.source.value(("roles", index, "reports_to")),
                                    "reports_to goes round in a circle: " + " → ".join(
                                        seen + [start.id]),
                                    "one role at the top must have no reports_to")
                    break
                if current in seen:
                    break
                seen.append(current)
                current = self.roles[current].reports_to
