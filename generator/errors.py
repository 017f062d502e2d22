"""The one exception family of the project, and the Problem record it carries.

Every mistake a user can make ends as a :class:`Problem` with a file, line and
column (1-based) and a hint; the CLI prints them and exits with code 2.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, order=True)
class Location:
    """A place in a source file; line and column are 1-based, 0 when unknown."""

    file: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if self.line:
            return f"{self.file}:{self.line}:{self.column or 1}"
        return self.file


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or doubtful, when severity is 'warning') in the user's input."""

    location: Location
    message: str
    hint: str = ""
    severity: str = "error"
    removable: str = ""
    """Text at the location that `handbook check --fix` may delete (hand-typed numbering)."""

    def __str__(self) -> str:
        text = f"{self.location}: {self.severity}: {self.message}"
        if self.hint:
            text += f" (hint: {self.hint})"
        return text

    @property
    def is_error(self) -> bool:
        """True for errors, False for warnings."""
        return self.severity == "error"


def report_lines(problems: Iterable[Problem]) -> list[str]:
    """Each problem as one `file:line:col: …` line, in file order. A warning repeated
    word for word in one file (the same unknown 《…单》 in five articles) is one line, its
    other places listed in it: each warning is said once per run."""
    ordered = sorted(problems, key=lambda p: (p.location, p.severity))
    places: dict[tuple, list[Location]] = {}
    for problem in ordered:
        if not problem.is_error:
            places.setdefault(_repeat_key(problem), []).append(problem.location)
    lines = []
    for problem in ordered:
        if problem.is_error:
            lines.append(str(problem))
            continue
        where = places.pop(_repeat_key(problem), None)
        if where is None:
            continue  # said already, at its first place
        others = [f"{place.line}:{place.column or 1}" for place in where[1:] if place.line]
        if not others:
            lines.append(str(problem))
            continue
        text = f"{problem.location}: warning: {problem.message} (also at {', '.join(others)})"
        lines.append(text + (f" (hint: {problem.hint})" if problem.hint else ""))
    return lines


def _repeat_key(problem: Problem) -> tuple:
    return problem.location.file, problem.message, problem.hint


class HandbookError(Exception):
    """Base of every error the tool raises for a user mistake; the CLI turns it into exit 2."""

    exit_code = 2

    def __init__(self, message: str, problems: tuple[Problem, ...] = ()) -> None:
        super().__init__(message)
        self.problems = problems


class ProjectInvalid(HandbookError):
    """The YAML data has errors; `problems` holds every one found in the run."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]) -> None:
        errors = [p for p in problems if p.is_error]
        super().__init__(f"Aborted with {len(errors)} error{'s' if len(errors) != 1 else ''}",
                         tuple(problems))


class NotFound(HandbookError):
    """A regulation, form or role named on the command line does not exist."""


@dataclass
class ProblemSink:
    """Collects problems during a load so all of them can be reported at once."""

    problems: list[Problem] = field(default_factory=list)

    def error(self, location: Location, message: str, hint: str = "") -> None:
        """Record an error."""
        self.problems.append(Problem(location, message, hint, "error"))

    def warning(self, location: Location, message: str, hint: str = "",
                removable: str = "") -> None:
        """Record a warning (reported, but the build goes on); `removable` is text at the
        location that `handbook check --fix` deletes."""
        self.problems.append(Problem(location, message, hint, "warning", removable))

    @property
    def has_errors(self) -> bool:
        """True when at least one error (not only warnings) was recorded."""
        return any(p.is_error for p in self.problems)


@functools.lru_cache(maxsize=65536)
def display_path(path: Path, root: Path) -> str:
    """Path as the user should see it in messages: relative to the project root when inside it."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def suggest(word: str, choices: list[str]) -> str:
    """A did-you-mean hint for a misspelt name, or '' when nothing is close: an id typed
    with a letter wrong or its initials (gm for general-manager), a Chinese name close in
    what tells it apart (not 请假申请单 for 用印申请单: only their common tail 申请单 agrees)."""
    initials = [c for c in choices if "-" in c and "".join(p[:1] for p in c.split("-")) == word]
    if len(initials) == 1:
        return f"did you mean `{initials[0]}`?"
    close = [c for c in difflib.get_close_matches(word, choices, n=3, cutoff=0.6)
             if _close_apart_from_tail(word, c)]
    return f"did you mean `{close[0]}`?" if close else ""


def _close_apart_from_tail(word: str, choice: str) -> bool:
    """Whether two Chinese names are close once their common ending is left out (ids and
    other Latin names: always)."""
    if word.isascii() or choice.isascii():
        return True
    tail = 0
    while tail < min(len(word), len(choice)) and word[-1 - tail] == choice[-1 - tail]:
        tail += 1
    if tail == 0:
        return True
    head, other = word[:len(word) - tail], choice[:len(choice) - tail]
    return not head or difflib.SequenceMatcher(None, head, other).ratio() >= 0.5
