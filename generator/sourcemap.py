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
