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
import os
from collections.abc import Iterator
from itertools import chain
from pathlib import Path

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


def encoded(store, idf: float) -> str:
    """A term's idf and postings as a JSON array: idf, then each entry's number as the
    difference from the one before, and its weight."""
    entries = store[0::2]
    values = list(store)
    values[0::2] = map(operator.sub, entries, chain((0,), entries))  # each loop in C
    return f"[{idf!r}," + ",".join(map(repr, values)) + "]"


def files(project: Project) -> Iterator[tuple[str, str]]:
    """Each file of the shipped index: its path under the search folder and its text."""
    rows, postings, kinds = search_index.collect(project)
    table, count = postings.table, len(rows)
    texts = {term: encoded(store, search_index.idf(count, len(store) // 2))
             for term, store in table.items()}
    alone = sorted(term for term, text in texts.items() if len(text) > ALONE_BYTES)
    shared_bytes = sum(len(text) for text in texts.values()) - sum(len(texts[t]) for t in alone)
    buckets = max(1, -(-shared_bytes // TERM_FILE_BYTES))
    parts = {"terms": buckets, "alone": alone, "docs": DOCS_PER_FILE}
    yield "index.json", ("{" + search_index.shared(project, table, postings.lengths, kinds)
                         + ',"parts":' + _dump(parts) + "}")
    grouped: list[list[str]] = [[] for _ in range(buckets)]
    for term in texts:
        if len(texts[term]) <= ALONE_BYTES:
            grouped[term_hash(term) % buckets].append(term)
    for number, terms in enumerate(grouped):
        yield f"terms/{number}.json", _terms_file(terms, texts)
    for number, term in enumerate(alone):
        yield f"terms/a{number}.json", _terms_file([term], texts)
    for first in range(0, count, DOCS_PER_FILE):
        shown = ",".join(rows[first:first + DOCS_PER_FILE])
        yield f"docs/{first // DOCS_PER_FILE}.json", f'{{"first":{first},"docs":[{shown}]}}'


def _terms_file(terms: list[str], texts: dict[str, str]) -> str:
    return "{" + ",".join(_dump(term) + ":" + texts[term] for term in terms) + "}"


def _dump(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def write(project: Project, folder: Path) -> list[Path]:
    """Write the index's files into folder (a file already holding its text is left
    alone), delete the term and docs files of an earlier index, and return the files."""
    written = []
    for name, text in files(project):
        path = folder / name
        data = text.encode("utf-8")
        if not (path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data):
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_name(f".{path.name}.partial")
            partial.write_bytes(data)
            os.replace(partial, path)
        written.append(path)
    current = set(written)
    for sub in FOLDERS:
        for path in (folder / sub).glob("*"):
            if path not in current:
                path.unlink()
    return written


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
