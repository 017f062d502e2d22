"""A regulation's YAML file edited article by article, everything else left as written.

The file is read with ruamel.yaml's round-trip loader, which knows where each article
stands and keeps the comments inside it. Only the lines of articles that changed, were
inserted or deleted are rewritten; every other line (comments, metadata, notes, the
layout the clerk chose) stays byte for byte.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

from ..errors import HandbookError

TEXT_KEYS = ("title", "text", "items", "paragraphs")
"""The keys of an article (and of its items) that hold the words Word shows."""


def _yaml() -> YAML:
    yaml = YAML()  # round trip: comments, key order and quoting kept
    yaml.preserve_quotes = True
    yaml.width = 4096  # a long text stays on one line, as the files write it
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


@dataclass
class Spot:
    """One article of the file: its node, the list holding it and its lines [start, end)."""

    node: Any
    container: int
    start: int
    end: int
    dash: int
    """The column of the `-` that begins it."""


@dataclass
class YamlFile:
    """The file's text, its loaded data and its articles in reading order."""

    name: str
    text: str
    data: Any
    spots: list[Spot] = field(default_factory=list)
    edits: list[tuple[int, int, list[str]]] = field(default_factory=list)

    @property
    def lines(self) -> list[str]:
        """The file's lines, each with its line end."""
        return self.text.splitlines(keepends=True)


def read(name: str, text: str) -> YamlFile:
    """The file with each article's place; refused (located) when it cannot be edited."""
    try:
        data = _yaml().load(text)
    except YAMLError as exc:
        raise HandbookError(f"{name}: cannot be read for editing ({exc})") from None
    if not isinstance(data, CommentedMap):
        raise HandbookError(f"{name}: not a regulation (a mapping of keys is expected)")
    found = YamlFile(name, text, data)
    lines = found.lines
    for number, seq in enumerate(_article_lists(data)):
        for index, node in enumerate(seq):
            line, column = seq.lc.item(index)
            dash = lines[line].rfind("-", 0, column)
            if not isinstance(node, CommentedMap) or dash < 0 or \
                    lines[line][dash + 1:column].strip():
                raise HandbookError(f"{name}:{line + 1}:{column + 1}: write the articles in "
                                    "block style (`- id: …` on its own line) to update them "
                                    "from Word")
            found.spots.append(Spot(node, number, line, _end(lines, line, dash), dash))
    return found


def _article_lists(data: CommentedMap):
    """The lists of articles in reading order: the regulation's, then each chapter's and
    section's."""
    if isinstance(data.get("articles"), CommentedSeq):
        yield data["articles"]
    for chapter in data.get("chapters") or []:
        if isinstance(chapter, CommentedMap):
            if isinstance(chapter.get("articles"), CommentedSeq):
                yield chapter["articles"]
            for section in chapter.get("sections") or []:
                if isinstance(section, CommentedMap) and \
                        isinstance(section.get("articles"), CommentedSeq):
                    yield section["articles"]


def _end(lines: list[str], start: int, dash: int) -> int:
    """The line after the article that starts at `start`: where a line at most as indented
    as its dash begins; comment and blank lines at its end are left out (they stay)."""
    end = start + 1
    while end < len(lines):
        stripped = lines[end].strip()
        indent = len(lines[end]) - len(lines[end].lstrip(" "))
        if stripped and not stripped.startswith("#") and indent <= dash:
            break
        end += 1
    while end > start + 1 and (not lines[end - 1].strip() or
                               lines[end - 1].strip().startswith("#")):
        end -= 1
    return end


def lead_start(yaml_file: YamlFile, spot: Spot) -> int:
    """Where the comment lines just above an article begin (its start when there are none)."""
    lines = yaml_file.lines
    start = spot.start
    while start > 0 and lines[start - 1].strip().startswith("#"):
        start -= 1
    return start


def dump(node: Any, dash: int) -> list[str]:
    """An article as lines of YAML, its `-` at column `dash`, its own comments kept."""
    buffer = io.StringIO()
    _yaml().dump([node], buffer)
    lines = buffer.getvalue().splitlines(keepends=True)
    while len(lines) > 1 and (not lines[-1].strip() or lines[-1].strip().startswith("#")):
        lines.pop()  # comments after the article belong to what follows: they stay there
    shift = dash - lines[0].index("-")
    if shift >= 0:
        return [" " * shift + line if line.strip() else line for line in lines]
    return [line[-shift:] if line[:-shift].strip() == "" else line.lstrip(" ")
            for line in lines]


def assign(container: Any, key: Any, new: Any) -> None:
    """Set container[key] to `new`, changing only what differs, so that the comments of
    the parts that stay are kept."""
    old = container[key]
    if old == new:
        return
    if isinstance(old, CommentedSeq) and isinstance(new, list) and len(old) == len(new):
        for index, value in enumerate(new):
            assign(old, index, value)
        return
    if isinstance(old, CommentedMap) and isinstance(new, dict):
        update_text(old, new)
        return
    container[key] = new


def update_text(node: CommentedMap, new: dict[str, Any]) -> None:
    """Give a node (an article, an item, a paragraph) the text keys of `new`: changed ones
    set, missing ones removed; its id, note, table and comments stay."""
    for key in TEXT_KEYS:
        if key in new and key in node:
            assign(node, key, new[key])
        elif key in new:
            _insert_key(node, key, new[key])
        elif key in node:
            del node[key]


def _insert_key(node: CommentedMap, key: str, value: Any) -> None:
    """Add a text key in the place the schema's order gives it (after the id)."""
    order = ("id",) + TEXT_KEYS
    position = 0
    for index, existing in enumerate(node):
        if existing in order and order.index(existing) < order.index(key):
            position = index + 1
    node.insert(position, key, value)


def replace(yaml_file: YamlFile, start: int, end: int, lines: list[str]) -> None:
    """Plan replacing lines [start, end) with `lines` (start == end: an insertion)."""
    yaml_file.edits.append((start, end, lines))


def edited(yaml_file: YamlFile) -> str:
    """The text with every planned edit made (later lines first, so places stay right)."""
    lines = yaml_file.lines
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    ordered = sorted(enumerate(yaml_file.edits),
                     key=lambda e: (e[1][0], e[1][1] > e[1][0], e[0]), reverse=True)
    for _order, (start, end, new) in ordered:
        lines[start:end] = new
    return "".join(lines)
