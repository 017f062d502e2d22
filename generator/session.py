"""What a process remembers from one build to the next, in one place.

A build session is made once per command (`handbook build`) or once per watcher
(`handbook watch`, `handbook serve`, which rebuild on every save) and handed to the loader
and to the build. Each store says what it keeps and what it is keyed by; a value is given
back only while everything it was made from is unchanged:

- `parses`: each YAML file read and validated, keyed in memory by its path, size and
  modification time, and on disk (under the build folder, when given one) by a digest of
  its bytes, its name and this program's code, so a new process parses only the files
  that changed (a stored parse is read back whole only when a model is made from it;
  until then only its head: see discovery.Parsed);
- `loaded`: a regulation's article labels and its model, kept while its parsed file is the
  very same object and what it reads of the rest of the project (`context`) is equal;
- `regulation_texts`: a regulation as JSON text (its line in handbook.json, and what its
  content key is made from), kept while its model is the very same object;
- `mentions`: the roles each regulation names (for the role pages), likewise;
- `history`: what each recorded revision of a regulation changed, kept while its model is
  the very same object and the texts of its earlier versions (from git) are equal;
- `pages`: the site's generated pages, kept with the values each was made from, and the
  files written, kept with their content and modification time.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .memo import KeptByObject, KeptFiles, pickled, read_pickled, store
from .outputs import code_version

PARSES_DIR = ".cache/parses"
"""The folder of the on-disk parse store, in the build folder."""


class ParseStore:
    """Parsed files, kept in memory by (size, modification time) and on disk by content.

    The disk store is read from the last build's folder (`folder`) and written by the next
    build into its own new folder (`save`), under the build's lock: a build writes nothing
    outside --out, and two processes never write one store.
    """

    def __init__(self, folder: Path | None = None, in_memory: bool = True) -> None:
        self.folder, self.in_memory = folder, in_memory
        self._memory: dict[tuple[str, str], tuple[tuple, str, Any]] = {}
        self._made: dict[str, bytes] = {}
        """Parses made by this process and not yet saved, pickled, by digest."""
        self._used: set[str] = set()
        self._digests: dict[tuple[str, str], str] = {}

    def parse(self, path: Path, display: str, kind: str, make: Callable[[], Any]) -> Any:
        """make() for the file at path (shown as display, read as kind), or what it gave
        for the same file before."""
        try:
            stat = path.stat()
        except OSError:  # make() reports it
            return make()
        slot, signature = (str(path), kind), (display, stat.st_mtime_ns, stat.st_size)
        kept = self._memory.get(slot)
        if kept is not None and kept[0] == signature:
            self._used.add(kept[1])
            self._digests[slot] = kept[1]
            return kept[2]
        digest, value = self._from_disk(path, display, kind, make)
        if self.in_memory:
            self._memory[slot] = (signature, digest, value)
        self._used.add(digest)
        self._digests[slot] = digest
        return value

    def digest(self, path: Path, kind: str) -> str:
        """The digest the file at path (read as kind) was last parsed under ('' when the
        store has no folder or could not read it)."""
        return self._digests.get((str(path), kind), "")

    def derived(self, key: str, make: Callable[[], Any]) -> Any:
        """make(), or what it gave in an earlier build for the same key (which names
        everything the value is made from: parse digests, context), kept with the parses."""
        if self.folder is None:
            return make()
        digest = hashlib.sha256(b"\0".join((code_version().encode(), b"derived",
                                             key.encode()))).hexdigest()
        self._used.add(digest)
        found, value = read_pickled(self.folder / digest[:2] / digest)
        if found:
            return value
        value = make()
        self._keep(digest, value)
        return value

    def _keep(self, digest: str, value: Any) -> None:
        data = pickled(value)
        if data is not None:  # else kept in memory only
            self._made[digest] = data

    def kept(self) -> dict[tuple[str, str], Any]:
        """What is kept in memory now: the parse of each (file path, kind)."""
        return {slot: kept[2] for slot, kept in self._memory.items()}

    def forget(self, path: Path, kind: str) -> None:
        """Drop what is kept in memory for the file (it was replaced by another)."""
        self._memory.pop((str(path), kind), None)

    def save(self, folder: Path) -> None:
        """Make folder the disk store of the files parsed since the last save: the parses
        made are written, those of files no longer read removed. A store kept in memory
        only (no folder to read from) leaves folder as it is."""
        if self.folder is None:
            return
        for digest, data in self._made.items():
            store(folder / digest[:2] / digest, data)
        self._made.clear()
        if folder.is_dir():
            for stored in folder.glob("*/*"):
                if stored.name not in self._used:
                    stored.unlink(missing_ok=True)
        self._used = set()

    def _from_disk(self, path: Path, display: str, kind: str, make: Callable[[], Any]
                   ) -> tuple[str, Any]:
        if self.folder is None:  # kept in memory only: no digest, nothing to pickle
            return "", make()
        try:
            content = path.read_bytes()
        except OSError:
            return "", make()
        digest = hashlib.sha256(b"\0".join((code_version().encode(), kind.encode(),
                                             display.encode(), content))).hexdigest()
        found, value = read_pickled(self.folder / digest[:2] / digest)
        if not found:
            value = make()
            self._keep(digest, value)
        return digest, value


class BuildSession:
    """The stores a process keeps between its builds (see the module's description).
    A process that builds once (`repeated` false) keeps nothing in memory for a next
    build, which leaves the parsed files free to go once the model is made."""

    def __init__(self, parse_folder: Path | None = None, repeated: bool = True) -> None:
        self.parses = ParseStore(parse_folder, in_memory=repeated)
        self.loaded: dict[tuple[str, str], tuple] | None = {} if repeated else None
        """(kind, file path) → (parsed data, context, value, problems reported)."""
        self.regulation_texts = KeptByObject()
        self.mentions = KeptByObject()
        self.history = KeptByObject()
        self.pages = KeptFiles()


def for_build(out: Path | None, repeated: bool = True) -> BuildSession:
    """A session that reads the parses the last build into out kept on disk (see
    BuildSession for `repeated`)."""
    return BuildSession(None if out is None else Path(out) / PARSES_DIR, repeated)
