"""handbook.json: the resolved model as JSON-ready data (dates as ISO text, references
as objects), for other tools and for the build's content keys."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
from pathlib import Path
from typing import Any

from .model import Project


def write_model(project: Project, target: Path) -> None:
    """Write handbook.json: to_data(project) as indented JSON, one regulation at a time
    (the whole model as data would double the build's memory at 1,000 regulations)."""
    data = {name: _ConvertedList(project.regulations) if name == "regulations"
            else _convert(getattr(project, name)) for name in _field_names(type(project))}
    with open(target, "w", encoding="utf-8") as stream:
        for chunk in json.JSONEncoder(ensure_ascii=False, indent=1).iterencode(data):
            stream.write(chunk)


class _ConvertedList(list):
    """Items converted only as the JSON encoder reaches them."""

    def __init__(self, items: tuple) -> None:
        super().__init__()
        self.items = items

    def __iter__(self):
        return (_convert(item) for item in self.items)

    def __len__(self) -> int:
        return len(self.items)


def to_data(value: Any) -> Any:
    """A model object (the whole project, or any part) as JSON-ready data."""
    return _convert(value)


@functools.cache
def _field_names(cls: type) -> tuple[str, ...] | None:
    """Fields of a model dataclass (None when cls is not one); looked up once per class."""
    if not dataclasses.is_dataclass(cls):
        return None
    return tuple(f.name for f in dataclasses.fields(cls)
                 if f.name not in ("warnings", "today", "people", "roster",
                                    "compendium_drafts"))  # no personnel data


def _convert(value: Any) -> Any:
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (tuple, list)):
        return [_convert(v) for v in value]
    names = _field_names(type(value))
    if names is not None:
        data = {name: _convert(getattr(value, name)) for name in names}
        return {"ref": data} if type(value).__name__ == "Reference" else data
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
