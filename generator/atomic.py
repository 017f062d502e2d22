"""The build folder, replaced in one rename, and the processes of a build, stopped with it.

`--out` is a symbolic link to a complete *generation*, a folder beside it in
`.<out>.generations/`. A build writes a new generation there, then points `--out` at
it with one `os.replace` of a new link: whatever instant a build is stopped at,
`--out` is the previous build or the new one, whole. The lock that keeps a second
build out is a POSIX record lock, which belongs to the build process alone (forked
workers do not hold it) and which the system drops when that process dies.
"""

from __future__ import annotations

import contextlib
import ctypes
import datetime as dt
import errno
import fcntl
import os
import secrets
import shutil
import signal
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from .errors import HandbookError
from .outputs import link_or_copy, link_tree

MIGRATED = "migrated"
"""The generation an existing real --out folder becomes at the first build."""
KEPT = (".cache",)
"""Entries of a generation moved, not copied, into the next one (they are not outputs)."""


class BuildBusy(HandbookError):
    """Another build is writing to the same folder."""


def generations(out: Path) -> Path:
    """The folder beside out that holds its generations."""
    return out.parent / f".{out.name}.generations"


def _link_value(out: Path, generation: Path) -> str:
    """What the link at out holds to point at generation (relative: the parent may move)."""
    return f"{generations(out).name}/{generation.name}"


def current(out: Path) -> Path | None:
    """The generation out points at, or None (no build yet, or a folder not migrated)."""
    if not out.is_symlink():
        return None
    value = os.readlink(out)
    prefix = generations(out).name + "/"
    if not value.startswith(prefix) or "/" in value[len(prefix):]:
        return None
    generation = generations(out) / value[len(prefix):]
    return generation if generation.is_dir() else None


def own_path(out: Path) -> Path:
    """out as an absolute path; a symbolic link the user made (not ours) is followed."""
    out = Path(os.path.abspath(out))
    if out.is_symlink() and not os.readlink(out).startswith(generations(out).name + "/"):
        return out.resolve()
    return out


# ---------------------------------------------------------------- the lock

_held: dict[str, str] = {}  # lock files this process holds, and who holds them
_held_guard = threading.Lock()


@contextlib.contextmanager
def lock(out: Path) -> Iterator[None]:
    """Hold the build lock of out for the duration; refuse when another build holds it.

    A POSIX (fcntl) lock: the system releases it when the process dies, and a forked
    child does not inherit it, so a dead build's workers cannot keep it.
    """
    path = str(out.parent / f".{out.name}.lock")
    me = f"process {os.getpid()}, started {dt.datetime.now():%H:%M:%S}"
    with _held_guard:  # a second build in this process (another thread)
        if path in _held:
            raise _busy(out, _held[path])
        _held[path] = me
    try:
        handle = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            try:
                fcntl.lockf(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as exc:
                if exc.errno not in (errno.EACCES, errno.EAGAIN):
                    raise
                holder = os.pread(handle, 200, 0).decode(errors="replace").strip()
                raise _busy(out, holder or "another process") from None
            _note(handle, me)
            try:
                yield
            finally:
                _note(handle, "")
        finally:
            os.close(handle)  # releases the lock
    finally:
        with _held_guard:
            _held.pop(path, None)


def _note(handle: int, text: str) -> None:
    """Write who holds the lock into its file (skipped when the disk is full)."""
    with contextlib.suppress(OSError):
        os.ftruncate(handle, 0)
        os.pwrite(handle, text.encode(), 0)


def _busy(out: Path, holder: str) -> BuildBusy:
    return BuildBusy(f"another build is writing to {out} ({holder}); wait for it to "
                     "finish, or build into another folder with --out")


# ---------------------------------------------------------------- generations


def prepare(out: Path) -> Path | None:
    """Ready out for a build (under the lock); return the current generation.

    Makes a real folder at out the first generation, finishes that when it was
    interrupted, and removes what stopped builds left: stale generations and
    staging folders, and the staging folders of earlier versions (`.<out>-XXXXXXXX`).
    """
    folder = generations(out)
    folder.mkdir(exist_ok=True)
    if not os.path.lexists(out) and (folder / MIGRATED).is_dir():
        _point(out, folder / MIGRATED)  # a migration stopped between its two renames
    elif out.is_dir() and not out.is_symlink():
        _migrate(out, folder / MIGRATED)
    generation = current(out)
    for entry in os.scandir(folder):
        if generation is None or entry.name != generation.name:
            _remove(Path(entry.path))
    for entry in os.scandir(out.parent):  # staging folders of earlier versions
        name = entry.name
        if name.startswith(f".{out.name}-") and len(name) == len(out.name) + 10 \
                and entry.is_dir(follow_symlinks=False):
            _remove(Path(entry.path))
    return generation


def _migrate(out: Path, target: Path) -> None:
    """Turn the real folder out into the generation target, and out into a link to it."""
    _remove(target)
    for entry in os.scandir(out):  # what builds of earlier versions left when stopped
        if entry.name.startswith(".") and entry.name.endswith("-previous"):
            _remove(Path(entry.path))
    link = target.parent / f".link-{os.getpid()}"
    _remove(link)
    os.symlink(_link_value(out, target), link)
    if _exchange(link, out):  # one step: out is the link, the link's place the folder
        os.rename(link, target)
    else:
        os.unlink(link)
        os.rename(out, target)
        _point(out, target)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one step (Linux renameat2 RENAME_EXCHANGE); False if unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    done = renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second),
                     rename_exchange)
    return done == 0


def new_staging(out: Path) -> Path:
    """A fresh, empty generation folder to build into."""
    while True:  # not mkdtemp: its folders are private (0700), a site must stay readable
        folder = generations(out) / f"g{secrets.token_hex(5)}"
        with contextlib.suppress(FileExistsError):
            folder.mkdir()
            return folder


def publish(staging: Path, out: Path, previous: Path | None) -> None:
    """Make staging the build at out, in one rename of a link.

    What this build did not make (targets not built, `filled/`, `diff/`) is linked over
    from the previous generation first, and the previous generation's cache moved.
    """
    if previous is not None:
        for entry in os.scandir(previous):
            source, target = Path(entry.path), staging / entry.name
            if os.path.lexists(target):
                continue
            if entry.name in KEPT:
                os.rename(source, target)
            elif entry.is_dir(follow_symlinks=False):
                link_tree(source, target)
            else:
                link_or_copy(source, target)
    fault_point("swap")
    _point(out, staging)
    fault_point("swapped")


def _point(out: Path, generation: Path) -> None:
    """Point out at generation: a new link renamed over out (one atomic step)."""
    link = generations(out) / f".link-{os.getpid()}"
    _remove(link)
    os.symlink(_link_value(out, generation), link)
    os.replace(link, out)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    elif os.path.lexists(path):
        path.unlink()


# ---------------------------------------------------------------- processes


def die_with_parent() -> None:
    """Have the kernel kill this process when its parent dies (Linux); exit at once if
    the parent is gone already. For forked workers, in their initializer."""
    parent = _parent
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            pr_set_pdeathsig = 1
            ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)
    if parent is not None and os.getppid() != parent:
        os._exit(1)


_parent: int | None = None


def remember_parent() -> None:
    """Note this process as the parent the workers about to be forked check for."""
    global _parent
    _parent = os.getpid()


@contextlib.contextmanager
def terminate_as_exit() -> Iterator[None]:
    """While the body runs in the main thread, SIGTERM ends it as an exception does,
    so that children are stopped and staging removed (`finally` runs)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum, frame):
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def fault_point(name: str) -> None:
    """For the fault tests: when HANDBOOK_FAULT_PAUSE names this point, say so in the
    file HANDBOOK_FAULT_FLAG and wait there (to be killed)."""
    if os.environ.get("HANDBOOK_FAULT_PAUSE") != name:
        return
    Path(os.environ["HANDBOOK_FAULT_FLAG"]).write_text(name, encoding="utf-8")
    time.sleep(60)
