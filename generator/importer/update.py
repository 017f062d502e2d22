"""`handbook import EDITED.docx --update ID`: a regulation edited in Word, taken back.

The Word file (ours, with each article's id as a bookmark, or any Word file of the
regulation) is read as the importer reads every file: tracked changes accepted, comments
collected. Its articles are matched to the regulation's, by bookmark first, then by the
most similar text; matched articles keep their ids, notes and tables, and their
references wherever the edited text still says what the reference shows. Articles that
did not change keep their YAML lines byte for byte; new ones get ids as imported articles
do. The result is checked by loading it before anything is written.
"""

from __future__ import annotations

import copy
import difflib
import re
import shutil
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import diff as diffing
from .. import files, inline, zh
from ..errors import HandbookError, NotFound
from ..load import load_project
from ..model import Article, Project, Regulation, plain
from . import references, structure, tables, update_yaml
from .convert import Options, link_names, prepare
from .link import Linker

WINDOW = 60
"""In a long file without bookmarks, how far from its place an article is looked for."""
_LABEL = re.compile(r"^(?:第[一二三四五六七八九十百零\d]+条|\d+(?:\.\d+)*[.、．]?)")


@dataclass
class Update:
    """What updating a regulation from a Word file would do: its new YAML text, the
    comparison table, the Word file's comments and what to check."""

    regulation_id: str
    path: Path
    old_text: str
    new_text: str
    diff: diffing.RegulationDiff
    comments: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    matched: dict[str, int] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        """True when the YAML file would change."""
        return self.new_text != self.old_text


@dataclass
class _Old:
    """One article of the regulation: its model, its place in the file, its texts."""

    article: Article
    spot: update_yaml.Spot
    raw_by_plain: dict[str, str]
    shown: list[tuple[str, str]]  # (reference as written, what it shows)
    text: str


def plan(source: Path, root: Path, regulation_id: str, project: Project) -> Update:
    """Read the edited Word file and work out the regulation's new YAML; writes nothing."""
    if source.suffix.lower() != ".docx":
        raise HandbookError(f"{source}: --update reads a Word .docx file (hint: save the "
                            "edited file as .docx in Word or WPS)")
    regulation = project.regulation_index.get(regulation_id)
    if regulation is None:
        close = difflib.get_close_matches(regulation_id, list(project.regulation_index), n=1)
        raise NotFound(f"--update: no regulation `{regulation_id}`"
                       + (f" (hint: did you mean `{close[0]}`?)" if close else
                          " (hint: `handbook list` names them)"))
    read, blocks, _office, notes = prepare(source, Options())
    comments = list(read.comments)
    warnings = [note for note in notes[len(comments):] if "--split" not in note]
    text = blocks[0].body
    if regulation.numbering == "article":
        text = _in_order(text, warnings)
    parsed = structure.parse(text)
    body = parsed.body
    tables.attach(body, read.tables, warnings)
    new = list(structure.walk_articles(body))
    marked = _bookmarked(new, read.article_heads, regulation)
    warnings += _heading_notes(body, regulation)
    path = root / regulation.file
    yaml_file = update_yaml.read(regulation.file, path.read_text(encoding="utf-8"))
    olds = _old_articles(regulation, yaml_file)
    pairs, counts = _match(new, marked, olds)
    if all(index is None for index in pairs):
        other = read.metadata.get("id")
        said = f" (the file is of `{other}`)" if other and other != regulation_id else ""
        raise HandbookError(f"{source}: no article matches one of `{regulation_id}`{said}: "
                            "nothing was written (hint: check the file and the ID)")
    _assign_new_ids(body, new, pairs, olds)
    linked = _linked(body, project, parsed.numbering)
    _plan_edits(yaml_file, new, pairs, olds, linked, _containers(body))
    new_text = update_yaml.edited(yaml_file)
    counts["new"] = sum(1 for p in pairs if p is None)
    counts["deleted"] = len(olds) - sum(1 for p in pairs if p is not None)
    diff = _compare(root, regulation, new_text) if new_text != yaml_file.text else \
        diffing.compare_regulation(regulation, regulation)
    return Update(regulation_id, path, yaml_file.text, new_text, diff, comments, warnings,
                  counts)


def write(update: Update) -> None:
    """Write the regulation's new YAML (nothing when it did not change)."""
    if update.changed:
        with files.reported(update.path):
            files.write_text(update.path, update.new_text)


# ---------------------------------------------------------------- the regulation as it is


def _old_articles(regulation: Regulation, yaml_file: update_yaml.YamlFile) -> list[_Old]:
    """The regulation's articles with their places in the file and their texts."""
    articles = list(regulation.all_articles())
    if len(articles) != len(yaml_file.spots):
        raise HandbookError(f"{yaml_file.name}: {len(yaml_file.spots)} articles in the file, "
                            f"{len(articles)} loaded (hint: run `handbook check`)")
    olds = []
    for article, spot in zip(articles, yaml_file.spots, strict=True):
        raws = list(_strings(spot.node))
        written = [p.written for raw in raws for p in inline.split(raw)
                   if isinstance(p, inline.RawReference)]
        shown = [ref.text for ref in article.references()]
        pairs = list(zip(written, shown, strict=True)) if len(written) == len(shown) else []
        raw_by_plain: dict[str, str] = {}
        position = 0
        for raw in raws:
            count = sum(1 for p in inline.split(raw) if isinstance(p, inline.RawReference))
            if pairs or not count:
                raw_by_plain.setdefault(_render(raw, pairs[position:position + count]), raw)
            position += count
        text = "\n".join([article.title or ""] + [plain(t) for t in article.texts()])
        olds.append(_Old(article, spot, raw_by_plain, pairs, text))
    return olds


def _strings(node: Any, article: bool = True):
    """The texts of an article (or an item, a paragraph) in the order a reader meets them."""
    if isinstance(node, str):
        yield node
        return
    if not isinstance(node, dict):
        return
    keys = ("text", "items", "paragraphs") if article else ("text", "paragraphs", "items")
    for key in keys:
        value = node.get(key)
        if isinstance(value, str):
            yield value
        elif isinstance(value, list):
            for child in value:
                yield from _strings(child, article=False)


def _render(raw: str, pairs: list[tuple[str, str]]) -> str:
    """A text as a reader sees it, its references replaced by what they show."""
    shown = iter(pairs)
    return "".join(p if isinstance(p, str) else next(shown)[1] for p in inline.split(raw))


_TYPED = re.compile(r"(?m)^([ \t\u3000]*)第([一二三四五六七八九十百零\d]{1,6})条(?=[ \t\u3000]|"
                    r"[^ \t\u3000的规所至和、，,及与或中第])")


def _in_order(text: str, warnings: list[str]) -> str:
    """Articles numbered by hand in Word after one was inserted or deleted (第九条 twice)
    read in the order they stand: their typed numbers made consecutive."""
    labels = list(_TYPED.finditer(text))
    numbers = [_number(m.group(2)) for m in labels]
    if all(n is not None and n == i for i, n in enumerate(numbers, start=1)):
        return text
    repeated = [m.group(0).strip() for m, n, previous in
                zip(labels[1:], numbers[1:], numbers, strict=False)
                if n is None or previous is None or n <= previous]
    if repeated:
        warnings.append(f"the Word file's article numbers are not in order ({repeated[0]} "
                        "follows a higher or equal number): read in the order they stand")
    counter = iter(range(1, len(labels) + 1))
    return _TYPED.sub(lambda m: f"{m.group(1)}{zh.article_label(next(counter))}", text)


def _number(text: str) -> int | None:
    try:
        return int(text) if text.isdigit() else zh.from_chinese(text)
    except ValueError:
        return None


def _heading_notes(body: dict[str, Any], regulation: Regulation) -> list[str]:
    """A warning when the Word file's chapter or section headings differ from the
    regulation's: they are not taken from it."""
    def squeezed(titles) -> list[str]:
        return [_squeeze(str(title or "")) for title in titles]

    found = squeezed([c.get("title") for c in body.get("chapters", [])] +
                     [s.get("title") for c in body.get("chapters", [])
                      for s in c.get("sections", [])])
    known = squeezed([c.title for c in regulation.chapters] +
                     [s.title for c in regulation.chapters for s in c.sections])
    if len(found) == len(known) and all(a.startswith(b) or b.startswith(a)
                                         for a, b in zip(found, known, strict=True)):
        return []  # the same headings, as far as the text parser reads them
    return ["the Word file's chapter and section headings differ from the regulation's; "
            "they are not taken from Word (hint: edit them in the YAML)"]


# ---------------------------------------------------------------- matching


def _new_text(article: dict[str, Any]) -> str:
    return "\n".join([str(article.get("title") or "")] + list(_strings(article)))


def _bookmarked(new: list[dict], heads: list[tuple[str, str]], regulation: Regulation
                ) -> dict[int, str]:
    """Article keys the Word file's bookmarks give the parsed articles, by their index.
    A bookmark belongs to the article whose words its paragraph holds (in order)."""
    keys = {}
    for article in regulation.all_articles():
        name = f"a_{article.key.replace('-', '_')}"[:40]
        keys.setdefault(name[2:].replace("_", "-"), article.key)
    found: dict[int, str] = {}
    position = 0
    for index, article in enumerate(new):
        words = _squeeze(str(article.get("title") or "") + next(_strings(article), ""))
        for ahead in range(position, min(position + 4, len(heads))):
            bookmark, line = heads[ahead]
            line = _LABEL.sub("", _squeeze(line))
            size = min(12, len(words), len(line))
            if size and words[:size] == line[:size]:
                if bookmark in keys:
                    found[index] = keys[bookmark]
                position = ahead + 1
                break
    return found


def _squeeze(text: str) -> str:
    return re.sub(r"[\s\u3000]+", "", text)


def _match(new: list[dict], marked: dict[int, str], olds: list[_Old]
           ) -> tuple[list[int | None], dict[str, int]]:
    """For each parsed article, the index of its old article (None: a new one)."""
    by_key = {old.article.key: index for index, old in enumerate(olds)}
    pairs: list[int | None] = [None] * len(new)
    used: set[int] = set()
    for index, key in marked.items():
        if by_key.get(key) is not None and by_key[key] not in used:
            pairs[index] = by_key[key]
            used.add(by_key[key])
    counts = {"bookmark": len(used), "similar": 0}
    scored = []
    crowded = (len(new) - len(used)) * (len(olds) - len(used)) > WINDOW * WINDOW * 10
    for index, article in enumerate(new):
        if pairs[index] is not None:
            continue
        text = _new_text(article)
        for candidate, old in enumerate(olds):
            if candidate in used or (crowded and abs(index - candidate) > WINDOW):
                continue
            matcher = difflib.SequenceMatcher(None, old.text, text, autojunk=False)
            if matcher.quick_ratio() >= diffing.SIMILAR:
                ratio = matcher.ratio()
                if ratio >= diffing.SIMILAR:
                    scored.append((-ratio, abs(index - candidate), index, candidate))
    for _ratio, _distance, index, candidate in sorted(scored):
        if pairs[index] is None and candidate not in used:
            pairs[index] = candidate
            used.add(candidate)
            counts["similar"] += 1
    return pairs, counts


# ---------------------------------------------------------------- the new text


def _assign_new_ids(body: dict[str, Any], new: list[dict], pairs: list[int | None],
                    olds: list[_Old]) -> None:
    """Matched articles take their old keys; new ones get readable ids no article had."""
    for article, index in zip(new, pairs, strict=True):
        article.pop("id", None)
        if index is not None:
            article["id"] = olds[index].article.key
    references.assign_ids(body, frozenset(old.article.key for old in olds))


def _linked(body: dict[str, Any], project: Project, numbering: str) -> list[dict]:
    """The parsed articles with names and 第N条 made into references (for new articles)."""
    linked = link_names(copy.deepcopy(body), Linker.from_project(project))
    references.link(linked, project, numbering, [])
    return list(structure.walk_articles(linked))


def _containers(body: dict[str, Any]) -> list[int]:
    """For each parsed article, which list of the Word file's structure holds it."""
    holders = [body.get("articles", [])]
    for chapter in body.get("chapters", []):
        holders.append(chapter.get("articles", []))
        holders += [section.get("articles", []) for section in chapter.get("sections", [])]
    return [number for number, holder in enumerate(holders) for _article in holder]


def _restored(value: Any, old: _Old) -> Any:
    """Edited text with the old article's references put back where the words they show
    are still there (a text that did not change is taken as it was written)."""
    if isinstance(value, list):
        return [_restored(v, old) for v in value]
    if isinstance(value, dict):
        return {k: _restored(v, old) for k, v in value.items()
                if k in update_yaml.TEXT_KEYS and not k.startswith("_")}
    if not isinstance(value, str) or value in old.raw_by_plain:
        return old.raw_by_plain.get(value, value) if isinstance(value, str) else value
    for (written, shown), times in sorted(Counter(old.shown).items(),
                                          key=lambda p: -len(p[0][1])):
        pieces = re.split(r"(\{[^{}]*\})", value)
        for number, piece in enumerate(pieces):
            if times and shown and not piece.startswith("{") and shown in piece:
                found = min(piece.count(shown), times)
                pieces[number] = piece.replace(shown, written, found)
                times -= found
        value = "".join(pieces)
    return value


def _title_kept(values: dict[str, Any], title: str | None) -> dict[str, Any]:
    """An article title that a Word file not of ours gives as the start of the text
    (第六条　运营计划管理) kept as the title."""
    text = values.get("text")
    if not title or "title" in values or not isinstance(text, str) or \
            not text.startswith(title):
        return values
    rest = text[len(title):].lstrip(" \u3000:：")
    kept = {"title": title, **{k: v for k, v in values.items() if k != "text"}}
    if rest:
        kept["text"] = rest
    return kept


def _fresh(article: dict[str, Any]) -> dict[str, Any]:
    """A new article in the schema's key order, without the importer's notes."""
    def clean(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: clean(v) for k, v in node.items() if not k.startswith("_")}
        return [clean(v) for v in node] if isinstance(node, list) else node

    ordered = {"id": article["id"]}
    ordered.update((k, clean(v)) for k, v in article.items() if k != "id")
    return ordered


def _plan_edits(yaml_file: update_yaml.YamlFile, new: list[dict], pairs: list[int | None],
                olds: list[_Old], linked: list[dict], containers: list[int]) -> None:
    """The line edits: changed articles rewritten, deleted ones removed, new and moved ones
    put after the article they follow in the Word file."""
    matched = [(olds[i].article, olds[i].article) for i in pairs if i is not None]
    kept = diffing.kept_in_order(matched, [old.article for old in olds])
    anchored = [i is not None and id(olds[i].article) in kept for i in pairs]
    for index, old_index in enumerate(pairs):
        old = olds[old_index] if old_index is not None else None
        if old is not None:
            values = _title_kept({k: v if k == "title" else _restored(v, old)
                                  for k, v in new[index].items()
                                  if k in update_yaml.TEXT_KEYS}, old.article.title)
            unchanged = _new_text(values) == _new_text(dict(old.spot.node)) or \
                _new_text(new[index]) == old.text
            if not unchanged:
                update_yaml.update_text(old.spot.node, values)
            lines = update_yaml.dump(old.spot.node, old.spot.dash)
            if anchored[index]:
                if not unchanged:
                    update_yaml.replace(yaml_file, old.spot.start, old.spot.end, lines)
                continue
            update_yaml.replace(yaml_file, old.spot.start, old.spot.end, [])
            node = old.spot.node
        else:
            node = _fresh(linked[index])
        position, dash = _anchor(yaml_file, index, pairs, olds, anchored, containers)
        update_yaml.replace(yaml_file, position, position, update_yaml.dump(node, dash))
    for old_index, old in enumerate(olds):
        if old_index not in pairs:
            update_yaml.replace(yaml_file, old.spot.start, old.spot.end, [])


def _anchor(yaml_file: update_yaml.YamlFile, index: int, pairs: list[int | None],
            olds: list[_Old], anchored: list[bool], containers: list[int]) -> tuple[int, int]:
    """Where an article new in this place goes: after the article before it in the same
    part of the Word file, or before the one after it (then, across parts)."""
    before = [i for i in range(index - 1, -1, -1) if anchored[i]]
    after = [i for i in range(index + 1, len(pairs)) if anchored[i]]
    same = containers[index]
    for choice in ([i for i in before if containers[i] == same][:1],
                   [i for i in after if containers[i] == same][:1], before[:1], after[:1]):
        if choice:
            spot = olds[pairs[choice[0]]].spot
            if choice[0] < index:
                return spot.end, spot.dash
            return update_yaml.lead_start(yaml_file, spot), spot.dash
    raise HandbookError("no article of the regulation to place the new ones by")


# ---------------------------------------------------------------- checking the result


def _compare(root: Path, regulation: Regulation, new_text: str) -> diffing.RegulationDiff:
    """The comparison table of the regulation as it is and as it would be; the new text
    loaded in a copy of regulations/ (refused, located, when the loader refuses it)."""
    with tempfile.TemporaryDirectory(prefix="handbook-update-") as scratch:
        copy_root = Path(scratch)
        shutil.copytree(root / "regulations", copy_root / "regulations", symlinks=True)
        (copy_root / regulation.file).write_text(new_text, encoding="utf-8")
        try:
            after = load_project(copy_root).regulation(regulation.id)
        except HandbookError as exc:
            raise HandbookError(f"{regulation.file}: the regulation as updated from the Word "
                                f"file would not load ({exc}): nothing was written (hint: "
                                "check the Word file's numbering)", exc.problems) from None
    return diffing.compare_regulation(regulation, after)
