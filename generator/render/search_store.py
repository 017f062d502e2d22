"""The site's search index kept between builds, so that a build after a small edit
tokenizes only the entries that changed and encodes only the terms whose postings or idf
changed.

One file (pickled, under the build's `.cache/`) holds what the last index was made from:

- each entry's digest (of its title, context and body) and length, in entry order;
- each term's postings: the entries holding it, its weight and its place among the
  tokens of each (three integer arrays; the index lists terms in the order they first
  occur);
- the length of each term's encoded text, by a digest of its postings and idf;
- the vocabulary, by a digest of the index's character pairs and the synonym list;
- each file written: a digest of what its text is made from, its size and modification
  time.

A build matches its entries to the kept ones by digest: an entry found keeps its postings
(renumbered when entries moved), the others are tokenized and added. A term's text is
encoded only for a file to be written, and a file whose digest, size and modification
time are the kept ones is left alone. The files are byte for byte those
search_shards.files writes; a store of other code, or one unreadable or inconsistent, is
ignored (the index is made from scratch).
"""

from __future__ import annotations

import functools
import hashlib
from array import array
from bisect import bisect_left
from collections import deque
from collections.abc import Callable, Iterator
from importlib import metadata
from itertools import compress, repeat
from pathlib import Path

from ..memo import read_pickled, store_pickled, write_if_changed
from ..model import Project
from ..outputs import code_version
from . import search_index, search_shards

FORMAT = 1
"""The layout of the stored file (with the code's version, in its `version`)."""
NARROW = "H"
"""The arrays of weights and places hold numbers below 65,536 (two bytes each, not four; a
larger one raises OverflowError, and the index is made without the store)."""


@functools.lru_cache(maxsize=1)
def _version() -> str:
    """This code's version and that of jieba (whose word list makes the vocabulary)."""
    return f"{FORMAT}:{code_version()}:{metadata.version('jieba')}"


def _digest(*parts: bytes) -> bytes:
    return hashlib.blake2b(b"".join(parts), digest_size=16).digest()


def entry_digest(entry: dict) -> bytes:
    """A digest of exactly what an entry's tokens are counted from."""
    title, context, body = entry["title"], entry["context"], entry["body"]
    return _digest(f"{len(title)}:{len(context)}:{title}{context}{body}".encode())


def _shown(entry: dict) -> bytes:
    """What an entry's shown row holds besides the texts of its digest."""
    url, label = entry["url"], entry["label"]
    return f"{len(url)}:{len(label)}:{url}{label}".encode()


def read(path: Path) -> dict | None:
    """The state stored in path, or None when it is missing, of other code or not whole."""
    found, state = read_pickled(path)
    if not found or not isinstance(state, dict) or state.get("version") != _version():
        return None
    try:
        entries, lengths, terms = state["entries"], state["lengths"], state["terms"]
        whole = len(entries) == len(lengths) and all(
            len(record) == 3 and all(type(column) is array for column in record)
            and [column.typecode for column in record] == ["i", NARROW, NARROW]
            and len(record[0]) == len(record[1]) == len(record[2]) and record[0]
            and record[0][-1] < len(entries) for record in terms.values())
        whole = whole and all(isinstance(state[k], dict) for k in ("sizes", "files")) \
            and isinstance(state["tokenized"], int) and isinstance(state["vocabulary"], tuple)
    except (KeyError, TypeError, ValueError, AttributeError):
        return None
    return state if whole else None


class Postings:
    """The postings of a project's entries, made from a stored state: for each term, the
    entries holding it, its weight in each and its place among each one's tokens (three
    arrays), and each entry's length; `tokenized` counts the entries whose tokens were
    counted."""

    def __init__(self, entries: list[dict], state: dict | None) -> None:
        self.entries = entries
        self.digests = [entry_digest(e) for e in entries]
        self.tokenized = 0
        old = state or {"entries": [], "lengths": array("i"), "terms": {}, "tokenized": -1}
        self.tokenized_before = old["tokenized"]
        remap, fresh = _match(old["entries"], self.digests)
        self.changed = bool(fresh) or remap != list(range(len(entries)))
        terms = old["terms"]  # term: [entries, weights, places]
        _renumber(terms, remap)
        lengths = self._add(terms, fresh)
        back = [-1] * len(entries)
        for before, after in enumerate(remap):
            if after >= 0:
                back[after] = before
        self.lengths = [lengths[j] if back[j] < 0 else old["lengths"][back[j]]
                        for j in range(len(entries))]
        # the terms that occur, in the order they first occur (entry, then place)
        firsts = {token: (record[0][0], record[2][0]) for token, record in terms.items()
                  if record[0]}
        self.terms = {token: terms[token] for token in sorted(firsts, key=firsts.__getitem__)}

    def _add(self, terms: dict, fresh: list[int]) -> dict[int, int]:
        """Count the tokens of the fresh entries into terms; return their lengths."""
        added: dict[str, array] = {}
        lengths = {}
        for number in fresh:
            self.tokenized += 1
            entry = self.entries[number]
            counts = search_index.weighted_counts(entry["title"], entry["context"],
                                                  entry["body"])
            values = list(counts.values())
            lengths[number] = round(sum(values), 1)
            if not counts.keys() <= added.keys():
                for token in counts:
                    if token not in added:
                        added[token] = array("i")
            # added[token].extend((number, value, place)) for each token, the loop run in C
            deque(map(array.extend, map(added.__getitem__, counts),
                      zip(repeat(number), values, range(len(values)))), maxlen=0)
        for token, triples in added.items():
            columns = [triples[0::3], array(NARROW, triples[1::3]), array(NARROW, triples[2::3])]
            record = terms.get(token)
            if record is None:
                terms[token] = columns
            elif not record[0] or record[0][-1] < columns[0][0]:
                for kept, new in zip(record, columns, strict=True):
                    kept.extend(new)
            else:
                for number, value, place in zip(*columns, strict=True):
                    at = bisect_left(record[0], number)
                    for kept, new in zip(record, (number, value, place), strict=True):
                        kept.insert(at, new)
        return lengths


def _match(old: list[bytes], new: list[bytes]) -> tuple[list[int], list[int]]:
    """Where each old entry went among the new ones (-1: gone), and the new entries not
    found among the old ones."""
    waiting: dict[bytes, deque[int]] = {}
    for number, digest in enumerate(old):
        waiting.setdefault(digest, deque()).append(number)
    remap = [-1] * len(old)
    fresh = []
    for number, digest in enumerate(new):
        found = waiting.get(digest)
        if found:
            remap[found.popleft()] = number
        else:
            fresh.append(number)
    return remap, fresh


def _renumber(terms: dict, remap: list[int]) -> None:
    """Give the kept postings the entries' new numbers, without the entries gone."""
    moved = [before for before, after in enumerate(remap) if after != before]
    if not moved:
        return
    if all(remap[before] < 0 for before in moved):  # gone in place, the others stay
        for record in terms.values():
            for number in reversed(moved):
                at = bisect_left(record[0], number)
                if at < len(record[0]) and record[0][at] == number:
                    for column in record:
                        del column[at]
        return
    kept = [after for after in remap if after >= 0]
    in_order = all(a < b for a, b in zip(kept, kept[1:], strict=False))
    start = moved[0]  # entries before it keep their numbers
    for record in terms.values():
        at = bisect_left(record[0], start)
        if at == len(record[0]):
            continue
        tails = [array("i", map(remap.__getitem__, record[0][at:])),
                 record[1][at:], record[2][at:]]
        if -1 in tails[0]:
            staying = list(map((-1).__ne__, tails[0]))
            tails = [array(tail.typecode, compress(tail, staying)) for tail in tails]
        if not in_order:
            rows = sorted(zip(*tails, strict=True))
            tails = [array(tail.typecode, (row[n] for row in rows))
                     for n, tail in enumerate(tails)]
        record[:] = [column[:at] + tail for column, tail in zip(record, tails, strict=True)]


def write(project: Project, folder: Path, path: Path, trust: bool = True) -> tuple[list[Path],
                                                                                 int]:
    """Write the index's files into folder as search_shards.write does, from the state kept
    in path (unless not `trust`ed) and keep the new state there; return the files and how
    many entries were tokenized."""
    state = read(path) if trust else None
    entries = search_index.entries(project)
    postings = Postings(entries, state)
    old_files = state["files"] if state else {}
    files: dict[str, tuple[bytes, int, int]] = {}
    sizes = state["sizes"] if state else {}
    vocabulary = state["vocabulary"] if state else None
    made = _Made(project, entries, postings, sizes, state)
    del entries, state  # what is left of them is held by postings and made
    for name, key, text in made.files():
        target = folder / name
        kept = old_files.get(name)
        if kept is None or kept[0] != key or not _unchanged(target, kept):
            write_if_changed(target, text())
        stat = target.stat()
        files[name] = (key, stat.st_size, stat.st_mtime_ns)
    written = [folder / name for name in files]
    search_shards.remove_others(folder, written)
    if postings.changed or files != old_files or made.sizes != sizes or \
            made.vocabulary != vocabulary or postings.tokenized_before != postings.tokenized:
        made.entries = postings.entries = []  # not kept: free before pickling
        _keep(path, postings, made, files)
    return written, postings.tokenized


def _unchanged(path: Path, kept: tuple[bytes, int, int]) -> bool:
    try:
        stat = path.stat()
    except OSError:
        return False
    return (stat.st_size, stat.st_mtime_ns) == kept[1:]


def _keep(path: Path, postings: Postings, made: _Made, files: dict) -> None:
    store_pickled(path, {"version": _version(), "entries": postings.digests,
                         "lengths": array("i", postings.lengths), "terms": postings.terms,
                         "sizes": made.sizes, "vocabulary": made.vocabulary, "files": files,
                         "tokenized": postings.tokenized})


class _Made:
    """The index's files from the postings: each file's name, a digest of what its text is
    made from, and how to make the text."""

    def __init__(self, project: Project, entries: list[dict], postings: Postings,
                 sizes: dict, state: dict | None) -> None:
        self.project, self.entries, self.postings = project, entries, postings
        count = len(entries)
        self.keys: dict[str, bytes] = {}
        self.idf: dict[str, float] = {}
        self.texts: dict[str, str] = {}
        self.sizes: dict[bytes, int] = {}
        for term, (ents, vals, _) in postings.terms.items():
            idf = self.idf[term] = search_index.idf(count, len(ents))
            key = self.keys[term] = _digest(ents.tobytes(), vals.tobytes(), repr(idf).encode())
            size = sizes.get(key)
            self.sizes[key] = len(self.text(term)) if size is None else size
        pairs = "".join(sorted(t for t in postings.terms if len(t) == 2))
        key = _digest(pairs.encode(), repr(project.synonyms).encode())
        kept = state["vocabulary"] if state else None
        self.vocabulary = kept if kept and kept[0] == key else \
            (key, search_index.vocabulary(postings.terms, project.synonyms))

    def text(self, term: str) -> str:
        """A term's idf and postings, encoded as the index ships them."""
        if term not in self.texts:
            ents, vals, _ = self.postings.terms[term]
            self.texts[term] = search_shards.encoded(ents, vals, self.idf[term])
        return self.texts[term]

    def files(self) -> Iterator[tuple[str, bytes, Callable[[], str]]]:
        """Each file: its name under the search folder, a digest, a maker of its text."""
        size = {term: self.sizes[key] for term, key in self.keys.items()}
        layout = search_shards.Layout(size)
        kinds = "".join(search_index.kind(e["url"]) for e in self.entries)
        first = ("{" + search_index.shared(self.project, self.postings.terms,
                                           self.postings.lengths, kinds, self.vocabulary[1])
                 + ',"parts":' + search_shards.dump(layout.parts) + "}")
        yield "index.json", _digest(first.encode()), lambda: first
        for name, terms in layout.files():
            key = _digest(*(t.encode() + b"\0" + self.keys[t] for t in terms))
            yield name, key, lambda terms=terms: "{" + ",".join(
                search_shards.dump(t) + ":" + self.text(t) for t in terms) + "}"
        yield from self._docs()

    def _docs(self) -> Iterator[tuple[str, bytes, Callable[[], str]]]:
        entries, digests = self.entries, self.postings.digests
        for first in range(0, len(entries), search_shards.DOCS_PER_FILE):
            group = range(first, min(first + search_shards.DOCS_PER_FILE, len(entries)))
            key = _digest(str(first).encode(), *(_shown(entries[n]) + digests[n] for n in group))
            yield (f"docs/{first // search_shards.DOCS_PER_FILE}.json", key,
                   lambda group=group: search_shards.docs_file(
                       group.start, [search_index.row(entries[n]) for n in group]))

