"""Turn pydantic validation errors into Problems that point at file:line:col with a hint."""

from __future__ import annotations

import difflib
import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from .errors import Location, Problem
from .schema import ID_PATTERN
from .sourcemap import SourceMap

CHINESE_CHOICES = {
    "现行": "active", "现行有效": "active", "有效": "active", "生效": "active", "施行": "active",
    "草案": "draft", "草稿": "draft", "征求意见稿": "draft", "试行草案": "draft",
    "已替代": "superseded", "已被替代": "superseded", "被替代": "superseded",
    "废止": "repealed", "已废止": "repealed", "作废": "repealed",
    "申请单": "requisition", "申请表": "requisition", "报告": "report", "登记表": "register",
    "评价表": "evaluation", "合同": "contract", "记录表": "record",
}
"""Chinese words a clerk may type for a fixed choice (status, form kind), and the value
they mean: named in the hint."""


def validate(model: type[BaseModel], data: Any, source: SourceMap
             ) -> tuple[BaseModel | None, list[Problem]]:
    """Validate data against a file model; return the model or the problems found."""
    if data is None:
        return None, [Problem(source.value(()), "file is empty",
                              f"a {model.__name__.lower()} file needs at least: "
                              + ", ".join(_required(model)))]
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        problems = [_problem(model, error, source) for error in exc.errors()]
        return None, _dedupe(problems)


def _dedupe(problems: list[Problem]) -> list[Problem]:
    seen = set()
    result = []
    for problem in problems:
        key = (problem.location, problem.message)
        if key not in seen:
            seen.add(key)
            result.append(problem)
    return result


def _required(model: type[BaseModel]) -> list[str]:
    return [name for name, info in model.model_fields.items() if info.is_required()]


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping (key: value)"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if value is None:
        return "nothing"
    text = str(value)
    return f"`{text[:60]}…`" if len(text) > 60 else f"`{text}`"


def _location_path(loc: tuple) -> tuple:
    """pydantic paths may hold model names of a union branch; keep only keys and indices."""
    return tuple(part for part in loc if isinstance(part, int) or not part[:1].isupper())


_SIMPLE: dict[str, tuple[str, str]] = {
    "model_type": ("expected a mapping (key: value) here, got {value}",
                   "write `key: value` lines indented under this one"),
    "list_type": ("`{name}` must be a list, got {value}",
                  "write each entry on its own line starting with `- `"),
    "string_type": ("`{name}` must be text, got {value}",
                    "write the text after the colon; quote it if it starts with a symbol"),
    "string_too_short": ("`{name}` is empty", "write the text or remove the key"),
    "too_short": ("`{name}` needs at least one entry", "add an entry or remove it"),
    "date": ("invalid date {value} for `{name}`",
             "write dates as YYYY-MM-DD, e.g. 2025-01-01, and check the day exists"),
    "int_type": ("`{name}` must be a whole number, got {value}", "write digits only, e.g. 5"),
    "bool_type": ("`{name}` must be true or false, got {value}", "write true or false"),
}
"""Message and hint of the errors that need only the key's name and the value written."""

_SAME_AS = {"model_attributes_type": "model_type", "dict_type": "model_type",
            "str_type": "string_type", "int_parsing": "int_type", "bool_parsing": "bool_type"}


def _problem(model: type[BaseModel], error: dict, source: SourceMap) -> Problem:
    kind = error["type"]
    path = _location_path(tuple(error["loc"]))
    name = next((part for part in reversed(path) if isinstance(part, str)), None)
    if kind in ("extra_forbidden", "missing"):
        return _key_problem(model, kind, path, name, source)
    where = source.value(path)
    simple = _SIMPLE.get("date" if kind.startswith("date") else _SAME_AS.get(kind, kind))
    if simple is not None:
        message, hint = simple
        return Problem(where, message.format(name=name, value=_describe(error.get("input"))),
                       hint)
    return _value_problem(kind, name, error, where)


def _key_problem(model: type[BaseModel], kind: str, path: tuple, name: str | None,
                 source: SourceMap) -> Problem:
    """A key that is not allowed, or a required key that is missing."""
    owner = _model_at(model, path[:-1])
    if kind == "extra_forbidden":
        allowed = list(owner.model_fields) if owner else []
        close = difflib.get_close_matches(str(name), allowed, n=1, cutoff=0.6)
        hint = f"did you mean `{close[0]}`?" if close else \
            ("allowed keys: " + ", ".join(allowed) if allowed else "remove it")
        return Problem(source.key(path), f"unknown key `{name}`", hint)
    description = _field_description(owner, name)
    return Problem(source.value(path[:-1]), f"missing required key `{name}`",
                   description or f"add `{name}: …`")


def _value_problem(kind: str, name: str | None, error: dict, where: Location) -> Problem:
    """A value of the right type that is not allowed (too long, not a choice, …)."""
    value = error.get("input")
    if kind == "line_break":
        return Problem(where, f"`{'value' if name is None else name}` must be on one line",
                       "join the lines: titles, names and numbers cannot hold a line break")
    if kind == "string_too_long":
        limit = error.get("ctx", {}).get("max_length")
        return Problem(where, f"`{name}` is {len(value):,} characters long; at most {limit} "
                              "are allowed", "shorten it; put long explanations in the text")
    if kind == "too_long":
        limit = error.get("ctx", {}).get("max_length")
        return Problem(where, f"the table has {len(value)} columns; at most {limit} fit "
                              "across a printed page", "split it into two tables")
    if kind == "string_pattern_mismatch":
        return Problem(where, f"`{name}` value {_describe(value)} is not valid",
                       _pattern_hint(name, error))
    if kind in ("literal_error", "enum"):
        expected = error.get("ctx", {}).get("expected", "")
        options = [part.strip(" '\"") for part in expected.replace(" or ", ",").split(",")]
        close = difflib.get_close_matches(str(value), options, n=1, cutoff=0.5)
        meant = CHINESE_CHOICES.get(str(value).strip())
        hint = f"`{value}` is written `{meant}` here" if meant in options else \
            f"did you mean `{close[0]}`?" if close else f"use one of: {expected}"
        return Problem(where, f"`{name}` cannot be {_describe(value)}", hint)
    if kind == "value_error":
        message = str(error.get("ctx", {}).get("error", error["msg"]))
        return Problem(where, message, "see the field reference in README.md")
    if kind in ("greater_than_equal", "less_than_equal"):
        return Problem(where, f"`{name}`: {error['msg'].lower()}", "change the number")
    return Problem(where, f"`{name}`: {error['msg']}", "see the field reference in README.md")


def _pattern_hint(name: str | None, error: dict) -> str:
    pattern = error.get("ctx", {}).get("pattern", "")
    if pattern == ID_PATTERN or (name or "").endswith("id") or name in (
            "department", "approver", "role", "reports_to", "parent", "form"):
        return ("ids use lower-case letters, digits and '-', e.g. `vehicle-request`; "
                "no '/', '..', spaces or Chinese")
    if name == "version":
        return "write a version like \"1.0\" or \"2.1.3\" (in quotes)"
    if name == "number":
        return "write a document number like YW-ZD-003"
    if name == "review_every":
        return "write a period like `12 months`, `2 years`, `6个月` or `1年`"
    if name in ("required_by", "article"):
        return "write `article-id` or `regulation-id#article-id`"
    return f"the value must match {pattern}"


def _unwrap(annotation: Any) -> Any:
    """Strip Optional/list/Annotated wrappers down to a model class, if any."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (list, tuple) or origin is typing.Union or origin is types.UnionType:
            candidates = [a for a in typing.get_args(annotation)
                          if isinstance(a, type) and issubclass(a, BaseModel)]
            if candidates:
                return candidates[0]
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            if not args:
                return None
            annotation = args[0]
        else:
            return annotation


def _model_at(model: type[BaseModel], path: tuple) -> type[BaseModel] | None:
    current: Any = model
    for part in path:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        info = current.model_fields.get(part)
        if info is None:
            return None
        current = _unwrap(info.annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _field_description(model: type[BaseModel] | None, name: str | None) -> str:
    if model is None or name is None or name not in model.model_fields:
        return ""
    description = model.model_fields[name].description or ""
    return f"add `{name}:` — {description}" if description else ""
