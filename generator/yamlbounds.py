"""How big and how deep one YAML file may be.

The limits are far above what a real regulation needs and far below what would hurt the
machine: a file nested 100,000 levels deep crashed the YAML library's composer, and a 3 MB
file whose aliases repeat a long text 300 times took gigabytes to build. They are checked
on each of the parser's events before :mod:`generator.yamlbuild` uses it, keeping only
running totals and one entry per open list or mapping, so a hostile file is refused
within milliseconds, at the place where it crosses the limit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml

from .errors import Location, Problem

MAX_FILE_BYTES = 4_000_000
"""Size of one file: about 1.3 million Chinese characters, ten times the Civil Code."""
MAX_DEPTH = 64
"""Lists and mappings inside each other: enough for an article's items nested 29 levels
deep; the bundled regulations need 11."""
MAX_NODES = 200_000
"""Values one file may expand to, aliases (*a) counted each time they are used."""
MAX_EXPANDED_CHARS = 8_000_000
"""Characters of text one file may expand to, aliases counted each time they are used:
twice what the largest file holds written out, so aliases cannot multiply the work of
a build."""
MAX_NUMBER_DIGITS = 100
"""Digits of a number written without quotes; longer digit strings are not numbers."""

_ALIAS_HINT = ("anchors and aliases (&a / *a) are repeated here too many times; "
               "write the content out instead")
_SPLIT_HINT = "split it into several regulations"


class LimitExceeded(Exception):
    """A file crosses one of the limits; carries the problem to report."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def _location(file: str, mark) -> Location:
    return Location(file, mark.line + 1, mark.column + 1) if mark else Location(file, 1, 1)


def size_problem(file: str, size: int) -> Problem | None:
    """The problem with a file of `size` bytes, or None when it is small enough."""
    if size <= MAX_FILE_BYTES:
        return None
    return Problem(Location(file, 1, 1),
                   f"file is {size / 1e6:.1f} MB; a file may hold at most "
                   f"{MAX_FILE_BYTES / 1e6:.0f} MB",
                   "split it into several regulations, or move long attachments out of it")


def number_problem(file: str, mark, digits: str) -> Problem | None:
    """The problem with a number written without quotes, or None when it is short enough."""
    length = len(digits.lstrip("+-"))
    if length <= MAX_NUMBER_DIGITS:
        return None
    return Problem(_location(file, mark),
                   f"number has {length:,} digits; at most {MAX_NUMBER_DIGITS} are allowed",
                   "put it in quotes if it is text, e.g. an account number")


@dataclass
class Totals:
    """Running totals while the events of one file go by; `event` raises LimitExceeded
    at the first limit crossed."""

    file: str
    chars: int = 0
    nodes: int = 0
    aliases: int = 0
    open: list[tuple[str | None, int, int]] = field(default_factory=list)
    """Per open list or mapping: its anchor, and the totals when it began."""
    sizes: dict[str, tuple[int, int]] = field(default_factory=dict)
    """Per finished anchor: the characters and values it expands to."""

    def add(self, chars: int, nodes: int, mark) -> None:
        """Count a value that is written or repeated here; stop past a limit."""
        self.chars += chars
        self.nodes += nodes
        hint = _ALIAS_HINT if self.aliases else _SPLIT_HINT
        if self.nodes > MAX_NODES:
            raise LimitExceeded(Problem(
                _location(self.file, mark),
                f"the file expands to more than {MAX_NODES:,} values", hint))
        if self.chars > MAX_EXPANDED_CHARS:
            raise LimitExceeded(Problem(
                _location(self.file, mark),
                f"the file expands to more than {MAX_EXPANDED_CHARS:,} characters of text",
                hint))

    def event(self, event: yaml.Event) -> None:
        """Take the next event into account."""
        mark = event.start_mark
        if isinstance(event, yaml.ScalarEvent):
            self.add(len(event.value), 1, mark)
            if event.anchor:
                self.sizes[event.anchor] = (len(event.value), 1)
        elif isinstance(event, yaml.CollectionStartEvent):
            if len(self.open) >= MAX_DEPTH:
                raise LimitExceeded(Problem(
                    _location(self.file, mark),
                    f"lists and mappings are nested more than {MAX_DEPTH} levels deep",
                    "a regulation needs far fewer levels: check the indentation and "
                    "the brackets [ ] { }"))
            self.open.append((event.anchor, self.chars, self.nodes))
            self.add(0, 1, mark)
        elif isinstance(event, yaml.CollectionEndEvent):
            anchor, chars, nodes = self.open.pop()
            if anchor:
                self.sizes[anchor] = (self.chars - chars, self.nodes - nodes)
        elif isinstance(event, yaml.AliasEvent):
            self._alias(event)

    def _alias(self, event: yaml.AliasEvent) -> None:
        if event.anchor in self.sizes:
            self.aliases += 1
            self.add(*self.sizes[event.anchor], event.start_mark)
        elif any(anchor == event.anchor for anchor, _, _ in self.open):
            raise LimitExceeded(Problem(
                _location(self.file, event.start_mark),
                f"alias *{event.anchor} is inside the value it names, so it never ends",
                f"an alias can only repeat a value written before it: move *{event.anchor} "
                "out of it"))
        # an alias with no anchor at all is reported by the YAML reader itself

