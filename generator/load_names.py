"""What the loader knows while it resolves a file's references: the names defined in the
project, and how an unknown one is reported. The text and form builders read it; the
loader (load.Resolver) provides it."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from . import model
from .errors import Location, ProblemSink


class Names(Protocol):
    """The project's names, by id, and the place problems are reported to."""

    root: Path
    sink: ProblemSink
    broken: set[str]
    """Ids of the files that failed to load (references to them are not reported again)."""
    departments: dict[str, model.Department]
    roles: dict[str, model.Role]
    regulation_titles: dict[str, str]
    form_titles: dict[str, str]
    forms_by_title: dict[str, str]
    reference_texts: dict[tuple[str, str], str]
    """The citation text of each article, by (regulation id, article key)."""

    def unknown(self, location: Location, kind: str, name: str, choices: list[str],
                written: str = "") -> None:
        """Report name (of kind) as not defined, suggesting the nearest of choices."""

    def role(self, location: Location, role_id: str | None) -> None:
        """Report role_id (when given) unless it names a role."""

    def article_target(self, regulation_id: str, written: str, location: Location
                       ) -> str | None:
        """Resolve `article` or `regulation#article` to its canonical target, or report it."""
