"""What changed between two versions of the regulations: rows of a 新旧条文对照表.

Articles are matched by stable id first, then (for articles without one) by the
most similar text, so a moved article shows as such and never as a deletion plus an
addition. Inside a changed article the text is compared character by character.

As offices write the table, only changed, added, deleted and moved articles have a
row; articles whose number merely follows an insertion or deletion are counted and
summed up in one line, 其余条文序号相应顺延 (`SHIFTED`).
"""

from __future__ import annotations

import bisect
import difflib
import re
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .errors import HandbookError
from .load import load_project
from .model import Article, Project, Regulation, plain

SIMILAR = 0.6
"""How alike two texts without ids must be to count as the same article."""
SHIFTED = "其余条文序号相应顺延。"
"""The line closing a table when articles were renumbered without other change."""


@dataclass(frozen=True)
class Piece:
    """A run of text: kept ('equal'), removed ('delete') or added ('insert')."""

    kind: str
    text: str


@dataclass(frozen=True)
class Row:
    """One row of the comparison table."""

    number: int
    old_label: str | None
    new_label: str | None
    old_text: str
    new_text: str
    pieces: tuple[Piece, ...]
    change: str  # added, removed, changed, moved
    note: str

    @property
    def label(self) -> str:
        """第四条, or 第四条 → 第五条 when the number changed (— for none)."""
        if self.old_label == self.new_label:
            return self.old_label or "—"
        return f"{self.old_label or '—'} → {self.new_label or '—'}"


@dataclass
class RegulationDiff:
    """The comparison table of one regulation and its counts."""

    id: str
    title: str
    old_version: str | None
    new_version: str | None
    rows: list[Row] = field(default_factory=list)
    renumbered: int = 0
    """Articles whose number changed and nothing else (no row of their own)."""

    @property
    def shifted(self) -> bool:
        """True when other articles' numbers follow the changes (其余条文序号相应顺延)."""
        return self.renumbered > 0

    def counts(self) -> dict[str, int]:
        """Added / changed / removed / renumbered / moved articles."""
        result = {"added": 0, "changed": 0, "removed": 0, "renumbered": self.renumbered,
                  "moved": 0}
        for row in self.rows:
            result[row.change] += 1
        return result

    def summary(self) -> str:
        """新增 N 条，修改 N 条，删除 N 条，条号变化 N 条，移动 N 条."""
        c = self.counts()
        return (f"新增 {c['added']} 条，修改 {c['changed']} 条，删除 {c['removed']} 条，"
                f"条号变化 {c['renumbered']} 条，移动 {c['moved']} 条")


def article_text(article: Article) -> str:
    """The article as one text: heading and paragraphs, items with their labels."""
    parts = [article.title] if article.title else []
    for paragraph in article.paragraphs:
        if plain(paragraph.text):
            parts.append(plain(paragraph.text))
        parts += _items(paragraph.items)
    return "\n".join(parts)


def _items(items) -> list[str]:
    lines = []
    for item in items:
        lines.append(item.label + plain(item.text))
        lines += [plain(p) for p in item.paragraphs]
        lines += _items(item.items)
    return lines


def _chapter_of(regulation: Regulation) -> dict[str, str]:
    where = {a.key: "" for a in regulation.articles}
    for chapter in regulation.chapters:
        for article in chapter.all_articles():
            where[article.key] = chapter.label
    return where


def _match(old: Regulation, new: Regulation) -> list[tuple[Article | None, Article | None]]:
    """Pairs (old, new) in the new order, removed articles where they stood."""
    old_articles = list(old.all_articles())
    new_articles = list(new.all_articles())
    old_by_key = {a.key: a for a in old_articles if a.has_stable_id}
    pairs: dict[str, Article] = {}
    for article in new_articles:
        if article.has_stable_id and article.key in old_by_key:
            pairs[article.key] = old_by_key[article.key]
    used = {id(a) for a in pairs.values()}
    unmatched_old = [a for a in old_articles if id(a) not in used and
                     not (a.has_stable_id and any(n.key == a.key for n in new_articles))]
    for article in new_articles:
        if article.key in pairs:
            continue
        text = article_text(article)
        best, best_ratio = None, SIMILAR
        for candidate in unmatched_old:
            ratio = difflib.SequenceMatcher(None, article_text(candidate), text).ratio()
            if ratio >= best_ratio:
                best, best_ratio = candidate, ratio
        if best is not None:
            pairs[article.key] = best
            unmatched_old.remove(best)
    result: list[tuple[Article | None, Article | None]] = []
    removed = list(unmatched_old)
    matched_old = {id(a) for a in pairs.values()}
    for article in new_articles:
        old_article = pairs.get(article.key)
        # removed articles that stood before this one in the old text come first
        if old_article is not None:
            while removed and old_articles.index(removed[0]) < old_articles.index(old_article):
                result.append((removed.pop(0), None))
        result.append((old_article, article))
    result += [(article, None) for article in removed if id(article) not in matched_old]
    return result


def compare_regulation(old: Regulation | None, new: Regulation | None) -> RegulationDiff:
    """The comparison table of one regulation (old or new may be missing)."""
    base = new or old
    diff = RegulationDiff(base.id, base.title, old.version if old else None,
                          new.version if new else None)
    if old is None:
        pairs = [(None, a) for a in new.all_articles()]
    elif new is None:
        pairs = [(a, None) for a in old.all_articles()]
    else:
        pairs = _match(old, new)
    old_where = _chapter_of(old) if old else {}
    new_where = _chapter_of(new) if new else {}
    # articles that changed chapter are moves anyway: the order is judged among the others
    stayed = [(a, b) for a, b in pairs if a is not None and b is not None
              and old_where.get(a.key) == new_where.get(b.key)]
    in_order = kept_in_order(stayed, list(old.all_articles()) if old else [])
    for old_article, new_article in pairs:
        row = _row(len(diff.rows) + 1, old_article, new_article, old_where, new_where,
                   in_order)
        if row == "renumbered":
            diff.renumbered += 1
        elif row is not None:
            diff.rows.append(row)
    return diff


def kept_in_order(pairs: list[tuple[Article | None, Article | None]],
                   old_articles: list[Article]) -> set[int]:
    """Ids of the old articles of the longest run of matched articles whose order did not
    change; the others were moved."""
    position = {id(article): index for index, article in enumerate(old_articles)}
    sequence = [id(old_article) for old_article, new_article in pairs
                if old_article is not None and new_article is not None]
    ranks = [position[key] for key in sequence]
    # longest increasing subsequence (patience sorting), remembering its members
    tails: list[int] = []
    tail_index: list[int] = []
    previous = [-1] * len(ranks)
    for index, rank in enumerate(ranks):
        place = bisect.bisect_left(tails, rank)
        if place == len(tails):
            tails.append(rank)
            tail_index.append(index)
        else:
            tails[place] = rank
            tail_index[place] = index
        previous[index] = tail_index[place - 1] if place else -1
    kept = set()
    index = tail_index[-1] if tail_index else -1
    while index >= 0:
        kept.add(sequence[index])
        index = previous[index]
    return kept


def _row(number: int, old: Article | None, new: Article | None, old_where: dict[str, str],
         new_where: dict[str, str], in_order: set[int]) -> Row | str | None:
    """The row of one pair; None when nothing changed, "renumbered" when only the number."""
    if old is None:
        text = article_text(new)
        return Row(number, None, new.label, "", text, (Piece("insert", text),), "added", "新增")
    if new is None:
        text = article_text(old)
        return Row(number, old.label, None, text, "", (Piece("delete", text),), "removed", "删除")
    old_text, new_text = article_text(old), article_text(new)
    chapter_moved = old_where.get(old.key) != new_where.get(new.key)
    moved = chapter_moved or id(old) not in in_order
    if old_text == new_text:
        if not moved:
            return None if old.label == new.label else "renumbered"
        note = ("移动" + (f"（由{old_where.get(old.key) or '正文'}移至"
                          f"{new_where.get(new.key) or '正文'}）" if chapter_moved else ""))
        return Row(number, old.label, new.label, old_text, new_text, (Piece("equal", new_text),),
                   "moved", note)
    matcher = difflib.SequenceMatcher(None, old_text, new_text, autojunk=False)
    pieces = []
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        if tag == "equal":
            pieces.append(Piece("equal", old_text[a1:a2]))
        if tag in ("delete", "replace"):
            pieces.append(Piece("delete", old_text[a1:a2]))
        if tag in ("insert", "replace"):
            pieces.append(Piece("insert", new_text[b1:b2]))
    note = "修改并移动" if moved else "修改"
    return Row(number, old.label, new.label, old_text, new_text, tuple(pieces), "changed", note)


def compare(old: Project, new: Project) -> list[RegulationDiff]:
    """Comparison tables of every regulation that changed."""
    ids = list(dict.fromkeys([r.id for r in new.regulations] + [r.id for r in old.regulations]))
    diffs = []
    for regulation_id in ids:
        diff = compare_regulation(old.regulation_index.get(regulation_id),
                                  new.regulation_index.get(regulation_id))
        if diff.rows:
            diffs.append(diff)
    return diffs


# ---------------------------------------------------------------- loading versions


def load_version(root: Path, spec: str | None, scratch: Path) -> Project:
    """A project as it is in a folder, in the working tree (None) or at a git revision."""
    if spec is None:
        return load_project(root)
    folder = Path(spec)
    if (folder / "regulations").is_dir():
        return load_project(folder)
    if folder.is_dir() and folder.name == "regulations":
        return load_project(folder.parent)
    git = shutil.which("git")
    if git is None:
        raise HandbookError(f"`{spec}` is not a folder and git is not installed")
    commit = _commit(git, root, spec)
    target = scratch / commit
    target.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run([git, "-C", str(root), "archive", "--format=tar", commit,
                              "regulations"], capture_output=True, check=False)
    if archive.returncode != 0:
        message = archive.stderr.decode("utf-8", "replace").strip().splitlines()[-1:]
        raise HandbookError(f"cannot read regulations/ at git revision `{spec}`: "
                            f"{' '.join(message)} (hint: {_REVISION_HINT})")
    archive_path = target / "regulations.tar"
    archive_path.write_bytes(archive.stdout)
    with tarfile.open(archive_path) as tar:
        tar.extractall(target, filter="data")
    return load_project(target)


_REVISION_HINT = "give a commit, tag or branch, or a folder holding regulations/"


def _commit(git: str, root: Path, spec: str) -> str:
    """The commit a revision names, as git's full hash; refused unless git knows it as a
    commit (so nothing the user typed reaches git as an option or a path)."""
    found = subprocess.run([git, "-C", str(root), "rev-parse", "--verify", "--quiet",
                            "--end-of-options", f"{spec}^{{commit}}"],
                           capture_output=True, text=True, check=False)
    commit = found.stdout.strip()
    if found.returncode != 0 or not re.fullmatch(r"[0-9a-f]{40,64}", commit):
        repository = subprocess.run([git, "-C", str(root), "rev-parse", "--git-dir"],
                                    capture_output=True, check=False).returncode == 0
        why = f"no such commit in {root}" if repository else f"{root} is not a git repository"
        raise HandbookError(f"cannot read regulations/ at git revision `{spec}`: {why} "
                            f"(hint: {_REVISION_HINT})")
    return commit


def compare_versions(root: Path, old_spec: str | None, new_spec: str | None
                     ) -> list[RegulationDiff]:
    """Compare two versions given as git revisions or folders (None: the working tree)."""
    with tempfile.TemporaryDirectory(prefix="handbook-diff-") as scratch:
        old = load_version(root, old_spec or "HEAD", Path(scratch))
        new = load_version(root, new_spec, Path(scratch))
    return compare(old, new)
