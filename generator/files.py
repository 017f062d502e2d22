"""Files written whole or not at all: into a temporary file beside the target, then
renamed over it in one step, so a crash or a full disk never leaves half a file."""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator
from pathlib import Path

from .errors import HandbookError


@contextlib.contextmanager
def replacing(target: Path) -> Iterator[Path]:
    """A new, empty file beside target for the body to write; it replaces target when the
    body succeeds and is removed when it fails. The file gets the permissions target has,
    or, for a new one, those of any new file (the umask applies)."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    while True:
        temporary = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
        try:
            handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC,
                             0o666)
            break
        except FileExistsError:
            continue
    try:
        try:
            with contextlib.suppress(FileNotFoundError):
                os.fchmod(handle, os.stat(target).st_mode & 0o7777)
        finally:
            os.close(handle)
        yield temporary
        with open(temporary, "rb") as written:  # on disk before it takes target's place
            os.fsync(written.fileno())
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def write_text(target: Path, text: str) -> None:
    """Write text (UTF-8) to target whole or not at all."""
    with replacing(target) as temporary:
        temporary.write_text(text, encoding="utf-8")


@contextlib.contextmanager
def reported(target: Path) -> Iterator[None]:
    """Turn a failure of the system while writing target (a full disk, a folder that
    cannot be written) into an error naming the file and the reason."""
    try:
        yield
    except OSError as exc:
        raise HandbookError(f"cannot write {target}: {exc.strerror or exc} "
                            "(hint: check the folder exists and can be written, or write "
                            "elsewhere with --out)") from None
