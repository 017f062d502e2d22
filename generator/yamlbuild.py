"""Plain values from the YAML parser's events, remembering where each was written.

The events are read once, in order, with an explicit stack of the lists and mappings
still open: no recursion, so no nesting can exhaust the stack, and every event passes
the limits of :mod:`generator.yamlbounds` before it is used. Nothing is ever
constructed from a tag, so ``!!python/object`` cannot run code; a tag other than the
plain ones is reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import yaml
from yaml.composer import ComposerError

from . import yamlbounds
from .errors import Location, Problem

if TYPE_CHECKING:
    from collections.abc import Iterable

    from .sourcemap import SourceMap

STR = "tag:yaml.org,2002:str"
INT = "tag:yaml.org,2002:int"
BOOL = "tag:yaml.org,2002:bool"
NULL = "tag:yaml.org,2002:null"
SEQ = "tag:yaml.org,2002:seq"
MAP = "tag:yaml.org,2002:map"

_NEXT_IS_KEY = object()
"""The key slot of a mapping that expects a key next."""


def mark_location(file: str, mark: Any) -> Location:
    """The 1-based file:line:col of a PyYAML mark."""
    return Location(file, mark.line + 1, mark.column + 1)


@dataclass
class _Open:
    """A list or mapping whose end has not come yet."""

    value: list | dict
    path: tuple
    skip: bool
    """Its value is kept nowhere (it is the key or value of a refused entry)."""
    is_key: bool = False
    anchor: str | None = None
    log_start: int = 0
    key: Any = _NEXT_IS_KEY
    skip_value: bool = False


@dataclass
class _Anchor:
    """What an alias (*name) repeats: the value, and the places written inside it."""

    value: Any
    places: list[tuple[bool, tuple, Location]]
    scalar: tuple[str, str] | None = None
    """(tag, text) of an anchored scalar, which may also serve as a key."""


@dataclass
class Builder:
    """Turns the events of one document into plain values, a SourceMap and problems."""

    source: SourceMap
    resolver: Any
    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.file = self.source.file
        self.totals = yamlbounds.Totals(self.file)
        self.stack: list[_Open] = []
        self.anchors: dict[str, _Anchor] = {}
        self.anchor_marks: dict[str, Any] = {}
        self.log: list[tuple[bool, tuple, Location]] = []
        self.recording = 0
        self.root: Any = None
        self.root_mark: Any = None
        self.documents = 0

    def run(self, events: Iterable[yaml.Event]) -> Any:
        """Read every event; return the document's value (None for an empty file).

        Raises yamlbounds.LimitExceeded past a limit, and yaml.YAMLError for what PyYAML's
        composer refuses (an undefined alias, a second document), with its wording.
        """
        for event in events:
            self.totals.event(event)
            if isinstance(event, yaml.ScalarEvent):
                self._scalar(event)
            elif isinstance(event, yaml.CollectionStartEvent):
                self._start(event)
            elif isinstance(event, yaml.CollectionEndEvent):
                self._end()
            elif isinstance(event, yaml.AliasEvent):
                self._alias(event)
            elif isinstance(event, yaml.DocumentStartEvent):
                if self.documents:
                    raise ComposerError("expected a single document in the stream",
                                        self.root_mark, "but found another document",
                                        event.start_mark)
                self.documents += 1
        return self.root

    # -- where the next node goes

    def _slot(self) -> tuple[str, tuple]:
        """(role, path) of the next node: root, item, value, key or skip."""
        if not self.stack:
            return "root", ()
        parent = self.stack[-1]
        if parent.skip:
            return "skip", parent.path
        if isinstance(parent.value, list):
            return "item", parent.path + (len(parent.value),)
        if parent.key is _NEXT_IS_KEY:
            return "key", parent.path
        if parent.skip_value:
            return "skip", parent.path
        return "value", parent.path + (parent.key,)

    def _record(self, is_key: bool, path: tuple, location: Location) -> None:
        if is_key:
            self.source.keys[path] = location
        else:
            self.source.values.setdefault(path, location)
        if self.recording:
            self.log.append((is_key, path, location))

    def _attach(self, value: Any) -> None:
        """Put a finished value in its place: the root, a list, or under its key."""
        if not self.stack:
            self.root = value
            return
        parent = self.stack[-1]
        if parent.skip:
            return
        if isinstance(parent.value, list):
            parent.value.append(value)
            return
        if not parent.skip_value:
            parent.value[parent.key] = value
        parent.key, parent.skip_value = _NEXT_IS_KEY, False

    def _key(self, tag: str | None, text: str | None, mark: Any) -> None:
        """The next entry of the open mapping has this key (text None: not plain text)."""
        parent = self.stack[-1]
        location = mark_location(self.file, mark)
        if text is None:
            self.problems.append(Problem(location, "a key must be plain text",
                                         "write `name: value`"))
            parent.key, parent.skip_value = None, True
            return
        key = "" if tag == NULL else text
        parent.key = key
        if key in parent.value:
            first = self.source.keys.get(parent.path + (key,))
            self.problems.append(Problem(
                location, f"duplicate key `{key}`",
                f"`{key}` is already set on line {first.line}; keep one of them"
                if first else "keep one of them"))
            parent.skip_value = True
            return
        self._record(True, parent.path + (key,), location)

    def _anchor(self, anchor: str | None, mark: Any) -> None:
        if anchor is None:
            return
        if anchor in self.anchor_marks:
            raise ComposerError(f"found duplicate anchor {anchor!r}; first occurrence",
                                self.anchor_marks[anchor], "second occurrence", mark)
        self.anchor_marks[anchor] = mark

    # -- events

    def _scalar(self, event: yaml.ScalarEvent) -> None:
        self._anchor(event.anchor, event.start_mark)
        role, path = self._slot()
        self.root_mark = self.root_mark or event.start_mark
        tag = event.tag
        if tag is None or tag == "!":
            tag = self.resolver.resolve(yaml.ScalarNode, event.value, event.implicit)
        if role == "key":
            self._key(tag, event.value, event.start_mark)
            value = self._value(tag, event.value, event.start_mark, report=False)
        else:
            location = mark_location(self.file, event.start_mark)
            if role != "skip":
                self._record(False, path, location)
            value = self._value(tag, event.value, event.start_mark, report=role != "skip")
            self._attach(value)
        if event.anchor:
            places = [(False, (), mark_location(self.file, event.start_mark))]
            self.anchors[event.anchor] = _Anchor(value, places, (tag, event.value))

    def _value(self, tag: str, text: str, mark: Any, report: bool) -> Any:
        """The value of a scalar: text, a whole number, true/false or None."""
        if tag == STR:
            return text
        if tag == INT:
            too_long = yamlbounds.number_problem(self.file, mark, text)
            if too_long:
                if report:
                    self.problems.append(too_long)
                return None
            return int(text)
        if tag == BOOL:
            return text.lower() == "true"
        if tag == NULL:
            return None
        if report:
            self._bad_tag(tag, mark)
        return text

    def _bad_tag(self, tag: str, mark: Any) -> None:
        self.problems.append(Problem(
            mark_location(self.file, mark), f"YAML tag `{tag}` is not allowed",
            "remove the tag: regulation files hold plain text, numbers, lists and mappings"))

    def _start(self, event: yaml.CollectionStartEvent) -> None:
        self._anchor(event.anchor, event.start_mark)
        role, path = self._slot()
        self.root_mark = self.root_mark or event.start_mark
        is_list = isinstance(event, yaml.SequenceStartEvent)
        if event.anchor:
            self.recording += 1
        frame = _Open([] if is_list else {}, path, role in ("key", "skip"), role == "key",
                      event.anchor, len(self.log))
        if role == "key":
            self._key(None, None, event.start_mark)
        elif role != "skip":
            self._record(False, path, mark_location(self.file, event.start_mark))
            if event.tag not in (None, "!", SEQ if is_list else MAP):
                self._bad_tag(event.tag, event.start_mark)
        self.stack.append(frame)

    def _end(self) -> None:
        frame = self.stack.pop()
        if frame.anchor:
            depth = len(frame.path)
            places = [(is_key, path[depth:], location)
                      for is_key, path, location in self.log[frame.log_start:]]
            self.anchors[frame.anchor] = _Anchor(frame.value, places)
            self.recording -= 1
            if not self.recording:
                self.log.clear()
        if not frame.is_key:
            self._attach(frame.value)

    def _alias(self, event: yaml.AliasEvent) -> None:
        anchor = self.anchors.get(event.anchor)
        if anchor is None:
            raise ComposerError(None, None, f"found undefined alias {event.anchor!r}",
                                event.start_mark)
        role, path = self._slot()
        self.root_mark = self.root_mark or event.start_mark
        if role == "key":
            tag, text = anchor.scalar or (None, None)
            self._key(tag, text, event.start_mark)
            return
        if role != "skip":
            for is_key, place, location in anchor.places:
                self._record(is_key, path + place, location)
        self._attach(anchor.value)
