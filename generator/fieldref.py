"""The field reference (docs/fields.md), generated from the file models in generator.schema."""

from __future__ import annotations

import typing
from pathlib import Path

from pydantic import BaseModel

from . import schema

START = "<!-- field-reference:start -->"
END = "<!-- field-reference:end -->"

_SECTIONS = [
    ("regulations/company.yaml", schema.Company, [schema.Fonts]),
    ("regulations/org.yaml", schema.Org, [schema.Department, schema.Role]),
    ("regulations/<id>.yaml", schema.Regulation,
     [schema.Revision, schema.Review, schema.Chapter, schema.Section, schema.Article,
      schema.Paragraph, schema.Item, schema.Table, schema.Column, schema.Process, schema.Step]),
    ("regulations/forms/<id>.yaml", schema.Form,
     [schema.FormSection, schema.FormField, schema.FormColumn, schema.Clause]),
    ("regulations/synonyms.yaml", schema.Synonyms, []),
    ("regulations/people.yaml", schema.People, [schema.Person]),
]


_NAMED_PATTERNS = {
    schema.ID_PATTERN: "id",
    r"^\d{1,3}(\.\d{1,3}){0,2}$": "version text",
}


def _pattern_name(metadata: list) -> str | None:
    for item in metadata:
        pattern = getattr(item, "pattern", None)
        if pattern:
            return _NAMED_PATTERNS.get(pattern, "text")
    return None


def _type_name(annotation: typing.Any) -> str:
    if typing.get_origin(annotation) is typing.Annotated:
        named = _pattern_name(list(getattr(annotation, "__metadata__", ())))
        if named:
            return named
    text = repr(annotation) if not isinstance(annotation, type) else annotation.__name__
    for noise in ("typing.", "generator.schema.", "datetime.", "Annotated[", "annotated_types."):
        text = text.replace(noise, "")
    if "Literal[" in text:
        return " / ".join(a for a in typing.get_args(annotation) if isinstance(a, str)) or text
    origin = typing.get_origin(annotation)
    if origin is list:
        (inner,) = typing.get_args(annotation)
        return f"list of {_type_name(inner)}"
    if origin is typing.Annotated:
        return _type_name(typing.get_args(annotation)[0])
    if origin in (typing.Union, __import__("types").UnionType):
        parts = [_type_name(a) for a in typing.get_args(annotation) if a is not type(None)]
        return " or ".join(parts)
    return text.split("[")[0]


def _table(model: type[BaseModel]) -> list[str]:
    lines = ["| key | type | required | meaning |", "|---|---|---|---|"]
    for name, info in model.model_fields.items():
        required = "yes" if info.is_required() else ""
        description = (info.description or "").replace("|", "\\|")
        kind = _pattern_name(info.metadata) or _type_name(info.annotation)
        lines.append(f"| `{name}` | {kind} | {required} | "
                     f"{description} |")
    return lines


def markdown() -> str:
    """The field reference as Markdown."""
    lines = [START, ""]
    for title, model, parts in _SECTIONS:
        lines += [f"#### `{title}`", "", (model.__doc__ or "").strip().splitlines()[0], ""]
        lines += _table(model) + [""]
        for part in parts:
            doc = (part.__doc__ or "").strip().splitlines()[0]
            lines += [f"**{part.__name__}** — {doc}", ""] + _table(part) + [""]
    lines.append(END)
    return "\n".join(lines)


def update_readme(readme: Path) -> bool:
    """Rewrite the field reference between its markers; True when the file changed."""
    text = readme.read_text(encoding="utf-8")
    before, _, rest = text.partition(START)
    _, _, after = rest.partition(END)
    new = before + markdown() + after
    if new != text:
        readme.write_text(new, encoding="utf-8")
        return True
    return False


if __name__ == "__main__":
    changed = update_readme(Path(__file__).resolve().parent.parent / "docs" / "fields.md")
    print("docs/fields.md field reference " + ("updated" if changed else "already current"))
