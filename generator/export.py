"""handbook.json: the resolved model as JSON-ready data (dates as ISO text, references
as objects), for other tools and for the build's content keys."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .model import Project, Regulation


def write_model(project: Project, target: Path,
                regulation_texts: Mapping[str, str] | None = None) -> None:
    """Write handbook.json: the model as data (to_data), one regulation a line as
    regulation_json gives it (taken from regulation_texts, by id, where given)."""
    texts = regulation_texts or {}
    names = _field_names(type(project))
    with open(target, "w", encoding="utf-8") as stream:
        stream.write("{\n")
        for index, name in enumerate(names):
            stream.write(f" {json.dumps(name)}: ")
            if name == "regulations":
                lines = (texts.get(r.id) or regulation_json(r) for r in project.regulations)
                stream.write("[\n  " + ",\n  ".join(lines) + "\n ]")
            else:
                stream.write(_json(_convert(getattr(project, name))))
            stream.write(",\n" if index < len(names) - 1 else "\n}\n")


def regulation_json(regulation: Regulation) -> str:
    """The regulation as compact JSON text, keys sorted: its line in handbook.json, and
    what its content key is made from."""
    return _json(_convert(regulation))


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def canonical(value: Any) -> bytes:
    """value (model objects, or plain data) as bytes that depend on its content only: what
    the build's content keys and the caches' digests are made from."""
    return json.dumps(to_data(value), ensure_ascii=False, sort_keys=True,
                      default=str).encode()


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
