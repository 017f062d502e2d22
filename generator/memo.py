"""Values worked out from model objects, and files written, kept between builds of one
process (they are held by its build session, session.py).

The loader of `handbook watch` gives back the very same model object while neither its
file nor anything it shows changed, so a value kept for that object is still right.
"""

from __future__ import annotations

import os
import pickle
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any


class KeptByObject:
    """A value per model object, made once while the object (and `depends_on`) stay."""

    def __init__(self) -> None:
        self._kept: dict[int, tuple[Any, Any, Any]] = {}

    def get(self, obj: Any, make: Callable[[Any], Any], depends_on: Any = None) -> Any:
        """The value kept for obj, or make(obj) when obj or depends_on is new."""
        kept = self._kept.get(id(obj))
        if kept is None or kept[0] is not obj or kept[1] != depends_on:
            kept = self._kept[id(obj)] = (obj, depends_on, make(obj))
        return kept[2]

    def holds(self, obj: Any, depends_on: Any = None) -> bool:
        """Whether a value is kept for obj and depends_on."""
        kept = self._kept.get(id(obj))
        return kept is not None and kept[0] is obj and kept[1] == depends_on

    def seed(self, obj: Any, value: Any, depends_on: Any = None) -> None:
        """Keep value for obj (made elsewhere, e.g. stored on disk with it)."""
        self._kept[id(obj)] = (obj, depends_on, value)

    def keep_only(self, objects: Iterable[Any]) -> None:
        """Forget the values of objects no longer in use (the ids may be reused)."""
        alive = {id(obj) for obj in objects}
        for key in [key for key in self._kept if key not in alive]:
            del self._kept[key]


class KeptFiles:
    """Generated pages kept between the builds of one process (`handbook watch`).

    A page is kept with the values it was made from; when they are equal next time it
    is not made again. A file is kept with its content and modification time, so an
    unchanged page is not read back to be compared. Values shared by many pages (the
    roles, the departments) are kept once and handed back while equal, so that each
    page's comparison finds the very same object.
    """

    def __init__(self) -> None:
        self._made: dict[str, tuple[tuple, object]] = {}
        self._files: dict[str, tuple[str, int, int]] = {}
        self._shared: dict[str, object] = {}
        self.stored: StoredByDigest | None = None
        """Pages kept on disk by a digest of their inputs, for the next process."""

    def shared(self, name: str, value):
        """value, or the equal value kept under name from the last build."""
        kept = self._shared.get(name)
        if kept is not None and kept == value:
            return kept
        self._shared[name] = value
        return value

    def made(self, name: str, inputs: tuple, make, digest: str | None = None):
        """make(), or what it gave last time for equal inputs; with a digest of the inputs,
        also what a build of another process stored for it (see `stored`)."""
        if digest is not None and self.stored is not None:
            self.stored.used.add(digest)
        kept = self._made.get(name)
        if kept is not None and kept[0] == inputs:
            return kept[1]
        value = make() if digest is None or self.stored is None else \
            self.stored.get(digest, make)
        self._made[name] = (inputs, value)
        return value

    def write(self, name: str, path: str, content: str) -> None:
        """Write content to path (known as name, its place in the docs folder) unless the
        file already holds it."""
        kept = self._files.get(name)
        try:
            stat = os.stat(path)
        except OSError:
            stat = None
        if kept is not None and stat is not None and kept[0] == content and \
                kept[1:] == (stat.st_mtime_ns, stat.st_size):
            return
        write_if_changed(Path(path), content)
        stat = os.stat(path)
        self._files[name] = (content, stat.st_mtime_ns, stat.st_size)

    def keep_only(self, names: set[str]) -> None:
        """Forget pages and files this build did not make."""
        for key in [k for k in self._made if k not in names]:
            del self._made[key]
        for key in [k for k in self._files if k not in names]:
            del self._files[key]


class StoredByDigest:
    """Values kept on disk by a digest of everything they were made from, in a folder that
    each build carries on from the last (a page made by an earlier process is not made
    again); what a build did not ask for is removed when it calls `prune`."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.used: set[str] = set()

    def get(self, digest: str, make: Callable[[], Any]) -> Any:
        """The value stored for digest, or make() (then stored)."""
        self.used.add(digest)
        path = self.folder / digest[:2] / digest
        found, value = read_pickled(path)
        if not found:
            value = make()
            data = pickled(value)
            if data is not None:
                store(path, data)
        return value

    def prune(self) -> None:
        """Remove the values this build did not ask for."""
        if self.folder.is_dir():
            for stored in self.folder.glob("*/*"):
                if stored.name not in self.used:
                    stored.unlink(missing_ok=True)


_UNREADABLE = (pickle.PickleError, EOFError, AttributeError, ImportError, IndexError,
                TypeError, ValueError)
"""What unpickling raises for data that is damaged or was pickled by other code."""


class DeferredUnreadable(Exception):
    """A deferred value's pickle could not be read back (a damaged store entry)."""


class Deferred:
    """A value kept pickled inside another pickle, and read back only when asked for:
    reading the outer pickle costs a copy of bytes, not the objects they make."""

    _UNREAD = object()

    def __init__(self, value: Any) -> None:
        self._value, self._data = value, b""

    def value(self) -> Any:
        """The value (read back from its pickle the first time; DeferredUnreadable when
        that fails)."""
        if self._value is Deferred._UNREAD:
            try:
                self._value = pickle.loads(self._data)
            except _UNREADABLE as exc:
                raise DeferredUnreadable(str(exc)) from exc
            self._data = b""
        return self._value

    def __getstate__(self) -> bytes:
        if self._value is Deferred._UNREAD:
            return self._data
        return pickle.dumps(self._value, protocol=pickle.HIGHEST_PROTOCOL)

    def __setstate__(self, data: bytes) -> None:
        self._value, self._data = Deferred._UNREAD, data


def read_pickled(path: Path) -> tuple[bool, Any]:
    """(True, the value pickled in path), or (False, None) when it is missing or unreadable
    (a cache entry of other code, or half written): the caller makes it again."""
    try:
        with open(path, "rb") as file:  # read as it is unpickled, not whole first
            return True, pickle.load(file)
    except (OSError, *_UNREADABLE):
        return False, None


_UNPICKLABLE = (pickle.PicklingError, TypeError, AttributeError, RecursionError)
"""What pickle raises for a value it cannot pickle."""


def pickled(value: Any) -> bytes | None:
    """value pickled, or None when it cannot be (then it is not kept on disk)."""
    try:
        return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    except _UNPICKLABLE:
        return None


def store(path: Path, data: bytes) -> None:
    """Write data to path in one rename; a store that cannot be written is skipped (a
    cache only saves time)."""
    _store(path, lambda file: file.write(data), OSError)


def store_pickled(path: Path, value: Any) -> None:
    """Pickle value into path in one rename, as it is written (not first whole in memory);
    a value that cannot be pickled, or a store that cannot be written, is skipped."""
    _store(path, lambda file: pickle.dump(value, file, protocol=pickle.HIGHEST_PROTOCOL),
           (OSError, *_UNPICKLABLE))


def _store(path: Path, write: Callable[[Any], Any], skipped) -> None:
    """Write path in one rename through write(file); on one of the `skipped` exceptions,
    nothing is left (not even a half-written file, as a full disk leaves one)."""
    temporary = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".part-")
        with os.fdopen(handle, "wb") as file:
            write(file)
        os.replace(temporary, path)
    except skipped:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)


def write_if_changed(path: Path, content: str | bytes) -> None:
    """Write content (text as UTF-8) to path, making its folder, unless the file already
    holds it; in one rename, so a reader (or a hard link to the old file) never sees half."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    if path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    partial.write_bytes(data)
    os.replace(partial, path)
