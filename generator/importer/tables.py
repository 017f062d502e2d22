"""Put the tables of a Word file back where they stood: in the article, chapter or
section whose text held the table's marker line."""

from __future__ import annotations

import re
from typing import Any

from ..schema import MAX_LINE, MAX_TABLE_COLUMNS
from .reading import TABLE_MARK
from .word_body import WordTable

_MARK = re.compile("^" + re.escape(TABLE_MARK).replace(r"\{\}", r"(\d+)") + "$")


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()[:MAX_LINE] or "（空）"


_LEAD_IN = re.compile(r"([\u4e00-\u9fff]{2,10}?)(?:应?按照?|见|如|详见|执行)下表(标准)?")


def _title_from(lead_in: str) -> str:
    """住宿费按下表标准据实报销 → 住宿费标准; 具体作息时间如下表 → 具体作息时间."""
    match = _LEAD_IN.search(lead_in)
    return match.group(1) + (match.group(2) or "") if match else ""


def as_yaml(table: WordTable, number: int, lead_in: str = "") -> dict[str, Any]:
    """A table in the shape of the schema's Table: id, title, columns, rows."""
    title = table.title or _title_from(lead_in)
    data: dict[str, Any] = {"id": f"table-{number}",
                            "title": _one_line(title) if title else f"表{number}",
                            "columns": [{"title": _one_line(h)} for h in table.header],
                            "rows": [list(row) for row in table.rows]}
    if table.note:
        data["note"] = table.note
    if not table.title:
        data["_comment"] = "导入：表题由程序拟定，请核对"
    return data


def _marks_in(node: Any) -> list[int]:
    """Numbers of the markers in a subtree (an article with its items and paragraphs)."""
    if isinstance(node, str):
        match = _MARK.match(node.strip())
        return [int(match.group(1))] if match else []
    if isinstance(node, list):
        return [n for value in node for n in _marks_in(value)]
    if isinstance(node, dict):
        return [n for key, value in node.items() if key != "_comment" for n in _marks_in(value)]
    return []


def _without_marks(node: Any) -> Any:
    """The subtree without marker strings (an emptied item or paragraph goes too)."""
    if isinstance(node, list):
        kept = [_without_marks(v) for v in node if not _marks_in(v) or isinstance(v, dict)]
        return [v for v in kept if v not in ({}, None)]
    if isinstance(node, dict):
        kept = {}
        for key, value in node.items():
            if isinstance(value, str) and _MARK.match(value.strip()):
                continue
            kept[key] = _without_marks(value)
        return {k: v for k, v in kept.items() if v not in ([], "")}
    return node


def _holders(body: dict[str, Any]):
    """Every mapping that may hold a table, with the keys that belong to it alone."""
    for chapter in body.get("chapters", []):
        yield chapter, ("intro", "title")
        for section in chapter.get("sections", []):
            yield section, ("intro", "title")
            yield from ((a, None) for a in section.get("articles", []))
        yield from ((a, None) for a in chapter.get("articles", []))
    yield from ((a, None) for a in body.get("articles", []))


def attach(body: dict[str, Any], tables: list[WordTable], warnings: list[str]) -> None:
    """Replace each table's marker line by the table, in the mapping that holds it."""
    if not tables:
        return
    placed: set[int] = set()
    for holder, own_keys in list(_holders(body)):
        scope = {k: holder[k] for k in (own_keys or holder) if k in holder}
        numbers = [n for n in _marks_in(scope) if n <= len(tables)]
        if not numbers:
            continue
        for key in scope:
            value = holder[key]
            if isinstance(value, str) and _MARK.match(value.strip()):
                del holder[key]
            else:
                holder[key] = _without_marks(value)
                if holder[key] in ([], ""):
                    del holder[key]
        if own_keys is None and "text" not in holder and holder.get("paragraphs") and \
                isinstance(holder["paragraphs"][0], str):
            holder["text"] = holder["paragraphs"].pop(0)
            if not holder["paragraphs"]:
                del holder["paragraphs"]
        for number in numbers:
            placed.add(number)
            table = tables[number - 1]
            warnings += [f"table {number}: {note}" for note in table.notes]
            if "table" not in holder and len(table.header) <= MAX_TABLE_COLUMNS:
                lead_in = " ".join(str(p) for p in [holder.get("text", "")] +
                                   holder.get("paragraphs", []) + holder.get("intro", [])
                                   if isinstance(p, str))
                holder["table"] = as_yaml(table, number, lead_in)
                continue
            warnings.append(f"table {number}: " + (
                "a second table in the same place" if "table" in holder else
                f"{len(table.header)} columns, more than {MAX_TABLE_COLUMNS},") +
                " was kept as text, one paragraph per row")
            rows = ["　".join(cell for cell in row if cell) for row in [table.header] + table.rows]
            holder.setdefault("intro" if own_keys else "paragraphs", []).extend(
                row for row in rows if row)
    for key in ("preamble", "postscript"):
        lost = [n for n in _marks_in(body.get(key, [])) if n <= len(tables)]
        if lost:
            body[key] = [p for p in body[key] if not _marks_in(p)]
            warnings += [f"table {n} stands outside the articles ({key}) and was left out: "
                         f"{'、'.join(tables[n - 1].header)[:60]}" for n in lost]
            placed.update(lost)
            if not body[key]:
                body.pop(key)
