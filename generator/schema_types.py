"""The value types the YAML file formats are made of (generator.schema): ids, one-line
text, versions, list styles, statuses, review periods, and the strict base model."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints
from pydantic_core import PydanticCustomError

ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,62}$"
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
"""Stable identifier: lower-case ASCII letters, digits and '-', e.g. `vehicle-request`."""

RefToArticle = Annotated[str, StringConstraints(
    pattern=r"^[a-z0-9][a-z0-9-]{0,62}(#[a-z0-9][a-z0-9-]{0,62})?$")]
Version = Annotated[str, StringConstraints(pattern=r"^\d{1,3}(\.\d{1,3}){0,2}$")]
Text = Annotated[str, StringConstraints(min_length=1)]
LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
"""What str.splitlines() breaks at: none of it may be in a one-line field."""


MAX_LINE = 255
"""Characters of a one-line field (a title, a name, a label)."""
MAX_TABLE_COLUMNS = 20
"""Columns of a table: at 20, a column of a form printed on A4 is 9 mm wide, room for
one or two handwritten characters."""


def one_line(value: str) -> str:
    """The value, refused when it holds a line break (a field that must stay on one line)."""
    if any(mark in value for mark in LINE_BREAKS):
        raise PydanticCustomError("line_break", "must be on one line")
    return value


Line = Annotated[str, StringConstraints(min_length=1, max_length=MAX_LINE),
                 AfterValidator(one_line)]
"""Text on one line (titles, names, numbers): they land in headings, tables, navigation."""
OptionalLine = Annotated[str, StringConstraints(max_length=MAX_LINE), AfterValidator(one_line)]
ListStyle = Literal["（一）", "一、", "1.", "1、", "(1)", "（1）", "①", "A.", "a."]
Status = Literal["draft", "active", "superseded", "repealed"]
ReviewPeriod = Annotated[str, StringConstraints(
    pattern=r"^[1-9]\d{0,2} ?(months?|years?|个月|年)$")]
"""How often a regulation is reviewed: `12 months`, `2 years`, `6个月`, `1年`."""


class Strict(BaseModel):
    """Base of every file model: unknown keys are errors, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def text_shorthand(value: Any) -> Any:
    """Let a bare string stand for `{text: ...}` in lists of items and paragraphs."""
    if isinstance(value, str):
        return {"text": value}
    return value
