"""The search index as the site ships it: a small first part the page fetches when it
loads, the rest in parts fetched for each query (site/assets/handbook-search.js).

- `index.json`, fetched with the page: how text is split, stop words, synonyms and the
  vocabulary, each entry's length and kind (what a query needs before it looks anything
  up), and how the rest is cut (`parts`);
- `terms/<n>.json`: the postings and idf of the terms whose hash (`term_hash`) is n modulo
  the number of term files; a term with many postings has a file of its own,
  `terms/a<i>.json`, the i-th of the `alone` list of the first part;
- `docs/<n>.json`: the shown rows (URL, title, context, text) of DOCS_PER_FILE entries,
  fetched for the hits a query shows.

The parts together hold exactly what search_index.render holds, so a search gives the same
results from either.
"""

from __future__ import annotations

import json
import operator
from collections.abc import Iterator
from itertools import chain
from pathlib import Path

from ..memo import write_if_changed
from ..model import Project
from . import search_index

TERM_FILE_BYTES = 4096
"""About how many bytes of postings a shared term file holds."""
ALONE_BYTES = 2048
"""A term whose postings take more than this gets a file of its own (a query fetching a
rare term then does not fetch a common one with it)."""
DOCS_PER_FILE = 16
"""Entries' shown rows per docs file (a result list of ten fetches at most ten files)."""
FOLDERS = ("terms", "docs")


def term_hash(term: str) -> int:
    """FNV-1a (32 bits) over the term's code points: which term file holds it (the same
    function is in handbook-search.js)."""
    value = 0x811C9DC5
    for character in term:
        value = ((value ^ ord(character)) * 0x01000193) & 0xFFFFFFFF
    return value


def encoded(entries, weights, idf: float) -> str:
    """A term's idf and postings as a JSON array: idf, then each entry's number as the
    difference from the one before, and its weight."""
    values = [0] * (2 * len(entries))
    values[0::2] = map(operator.sub, entries, chain((0,), entries))  # each loop in C
    values[1::2] = weights
    return f"[{idf!r}," + ",".join(map(repr, values)) + "]"


class Layout:
    """How the terms are cut into files, from the length of each term's encoded text
    (terms in the order they first occur): `parts` as index.json ships it."""

    def __init__(self, sizes: dict[str, int]) -> None:
        self.sizes = sizes
        self.alone = sorted(term for term, size in sizes.items() if size > ALONE_BYTES)
        shared_bytes = sum(sizes.values()) - sum(sizes[t] for t in self.alone)
        self.buckets = max(1, -(-shared_bytes // TERM_FILE_BYTES))
        self.parts = {"terms": self.buckets, "alone": self.alone, "docs": DOCS_PER_FILE}

    def files(self) -> Iterator[tuple[str, list[str]]]:
        """Each term file: its name under the search folder and its terms, in order."""
        grouped: list[list[str]] = [[] for _ in range(self.buckets)]
        for term, size in self.sizes.items():
            if size <= ALONE_BYTES:
                grouped[term_hash(term) % self.buckets].append(term)
        for number, terms in enumerate(grouped):
            yield f"terms/{number}.json", terms
        for number, term in enumerate(self.alone):
            yield f"terms/a{number}.json", [term]


def docs_file(first: int, rows: list[str]) -> str:
    """The text of the docs file whose first entry is number first."""
    return f'{{"first":{first},"docs":[{",".join(rows)}]}}'


def files(project: Project) -> Iterator[tuple[str, str]]:
    """Each file of the shipped index: its path under the search folder and its text."""
    rows, postings, kinds = search_index.collect(project)
    table, count = postings.table, len(rows)
    texts = {term: encoded(store[0::2], store[1::2], search_index.idf(count, len(store) // 2))
             for term, store in table.items()}
    layout = Layout({term: len(text) for term, text in texts.items()})
    yield "index.json", ("{" + search_index.shared(project, table, postings.lengths, kinds)
                         + ',"parts":' + dump(layout.parts) + "}")
    for name, terms in layout.files():
        yield name, "{" + ",".join(dump(term) + ":" + texts[term] for term in terms) + "}"
    for first in range(0, count, DOCS_PER_FILE):
        yield f"docs/{first // DOCS_PER_FILE}.json", docs_file(first,
                                                               rows[first:first + DOCS_PER_FILE])


def dump(value) -> str:
    """value as compact JSON (characters as they are)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def write(project: Project, folder: Path, store: Path | None = None,
          trust: bool = True) -> list[Path]:
    """Write the index's files into folder (a file already holding its text is left
    alone), delete the term and docs files of an earlier index, and return the files.
    Given store (a file), what the index is made from is kept there, and the next index
    is made from it (unless not `trust`ed): only what changed is made again."""
    if store is not None and search_index.counted_whole():
        from . import search_store

        try:
            return search_store.write(project, folder, store, trust)[0]
        except OverflowError:  # a weight or place beyond the store's arrays: made whole
            pass
    written = []
    for name, text in files(project):
        path = folder / name
        write_if_changed(path, text)
        written.append(path)
    remove_others(folder, written)
    return written


def remove_others(folder: Path, written: list[Path]) -> None:
    """Delete the term and docs files in folder that are not among those written."""
    current = set(written)
    for sub in FOLDERS:
        for path in (folder / sub).glob("*"):
            if path not in current:
                path.unlink()


def assemble(folder: Path) -> dict:
    """The whole index (as search_index.build gives it) from the files in folder."""
    index = json.loads((folder / "index.json").read_text(encoding="utf-8"))
    parts = index.pop("parts")
    index["docs"], index["postings"], index["idf"] = [], {}, {}
    for number in range(-(-index["count"] // parts["docs"])):
        index["docs"] += json.loads((folder / "docs" / f"{number}.json").read_text("utf-8"))["docs"]
    names = [f"{n}.json" for n in range(parts["terms"])] + \
        [f"a{n}.json" for n in range(len(parts["alone"]))]
    for name in names:
        for term, values in json.loads((folder / "terms" / name).read_text("utf-8")).items():
            index["idf"][term] = values[0]
            store, previous = values[1:], 0
            for position in range(0, len(store), 2):
                store[position] = previous = previous + store[position]
            index["postings"][term] = store
    return index
