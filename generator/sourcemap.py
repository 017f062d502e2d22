"""Where each value of a YAML file was written: its file, line and column by path."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .errors import Location

PathKey = tuple[Any, ...]
"""A value's place in the file: keys and list indices from the top."""


@dataclass
class SourceMap:
    """Where each value of one YAML file was written."""

    file: str
    values: dict[PathKey, Location] = field(default_factory=dict)
    keys: dict[PathKey, Location] = field(default_factory=dict)

    def value(self, path: PathKey) -> Location:
        """Location of the value at path, or of its nearest written ancestor."""
        return self._nearest(self.values, path)

    def key(self, path: PathKey) -> Location:
        """Location of the key that introduces path (falls back to the value)."""
        if path in self.keys:
            return self.keys[path]
        return self.value(path)

    def _nearest(self, table: dict[PathKey, Location], path: PathKey) -> Location:
        for end in range(len(path), -1, -1):
            if path[:end] in table:
                return table[path[:end]]
        return Location(self.file, 1, 1)

    def __getstate__(self) -> dict:
        """Kept on disk (the parse store) as (line, column) pairs: a fifth of the time to
        read back than a Location object each."""
        tables = (self.values, self.keys)
        if any(location.file != self.file for table in tables for location in table.values()):
            return dict(self.__dict__)
        return {"file": self.file, "pairs": [
            {path: (location.line, location.column) for path, location in table.items()}
            for table in tables]}

    def __setstate__(self, state: dict) -> None:
        if "pairs" not in state:
            self.__dict__.update(state)
            return
        self.file = state["file"]
        self.values, self.keys = (_Places(self.file, pairs) for pairs in state["pairs"])


class _Places(dict):
    """Locations of one file read back as (line, column) pairs, made into a Location
    when asked for."""

    def __init__(self, file: str, pairs: dict) -> None:
        super().__init__(pairs)
        self.file = file

    def __getitem__(self, path: PathKey) -> Location:
        line, column = super().__getitem__(path)
        return Location(self.file, line, column)

    def get(self, path: PathKey, default: Any = None) -> Any:
        """The location at path, or default."""
        return self[path] if path in self else default  # noqa: SIM401 (self.get is this)

    def items(self):  # type: ignore[override]
        """(path, Location) pairs, as in a SourceMap made by parsing."""
        return [(path, Location(self.file, *pair)) for path, pair in dict.items(self)]

    def values(self):  # type: ignore[override]
        """The Locations, as in a SourceMap made by parsing."""
        return [location for _, location in self.items()]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, dict) and dict(self.items()) == dict(other.items())

    __hash__ = None  # type: ignore[assignment]

    def __setitem__(self, path: PathKey, location: Location) -> None:
        super().__setitem__(path, (location.line, location.column))

    def setdefault(self, path: PathKey, location: Location) -> Location:  # type: ignore[override]
        """The location at path, set to location first when there is none."""
        if path not in self:
            self[path] = location
        return self[path]
