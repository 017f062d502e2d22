"""Values worked out from model objects, kept between builds of one process.

The loader of `handbook watch` gives back the very same model object while neither its
file nor anything it shows changed, so a value kept for that object is still right.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any


class KeptByObject:
    """A value per model object, made once while the object (and `depends_on`) stay."""

    def __init__(self) -> None:
        self._kept: dict[int, tuple[Any, Any, Any]] = {}

    def get(self, obj: Any, make: Callable[[Any], Any], depends_on: Any = None) -> Any:
        """The value kept for obj, or make(obj) when obj or depends_on is new."""
        kept = self._kept.get(id(obj))
        if kept is None or kept[0] is not obj or kept[1] != depends_on:
            kept = self._kept[id(obj)] = (obj, depends_on, make(obj))
        return kept[2]

    def keep_only(self, objects: Iterable[Any]) -> None:
        """Forget the values of objects no longer in use (the ids may be reused)."""
        alive = {id(obj) for obj in objects}
        for key in [key for key in self._kept if key not in alive]:
            del self._kept[key]
