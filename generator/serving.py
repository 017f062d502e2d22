"""`handbook watch` and `handbook serve`: rebuild when a source is saved; preview the site.

The watcher polls the modification times of the sources (a stat per file: a few
milliseconds for a thousand regulations), waits until saving has settled, then
rebuilds. Outputs the reader waits for (Word documents, forms, site pages) come
first; what gathers every regulation (the compendium 制度汇编, the search index,
handbook.json) and PDFs (LibreOffice is slow) follow in a second pass. A mistake in
the YAML is printed with file:line:col and the watcher keeps running: the build is
atomic, so the last good output stays in place and stays served. Between the two
passes those show their previous version.
"""

from __future__ import annotations

import functools
import gc
import http
import http.server
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

from .build import TARGETS, BuildBusy, build, discard, prepare_next
from .errors import HandbookError
from .load import load_project

WATCHED = ("regulations", "templates", "site", "mkdocs.yml")
POLL_SECONDS = 0.25
DEBOUNCE_SECONDS = 0.1
SLOW_TARGETS = ("pdf",)
"""Built after the others, so a change shows in Word and on the site without waiting."""


def snapshot(root: Path) -> dict[str, tuple[int, int]]:
    """Modification time and size of every watched source file (generated pages excluded)."""
    times: dict[str, tuple[int, int]] = {}
    for name in WATCHED:
        path = root / name
        if path.is_file():
            files = [str(path)]
        else:
            files = []
            for folder, subfolders, names in os.walk(path):
                subfolders[:] = [d for d in subfolders if d != "generated"]
                files += [os.path.join(folder, n) for n in names]
        for file in files:
            try:
                stat = os.stat(file)
            except OSError:  # deleted while we looked
                continue
            times[file] = (stat.st_mtime_ns, stat.st_size)
    return times


class Watcher:
    """Builds root into out, and again whenever a watched source changes."""

    def __init__(self, root: Path, out: Path, targets: tuple[str, ...],
                 echo: Callable[[str], None]) -> None:
        self.root, self.out, self.echo = Path(root), Path(out), echo
        self.targets = targets or TARGETS
        self.memo: dict = {}  # parsed files, reused while they do not change

    def rebuild(self) -> bool:
        """Build now; on a mistake print the problems and keep the last good output."""
        started = time.perf_counter()
        try:
            project = load_project(self.root, self.memo)
            for problem in project.warnings:
                self.echo(str(problem))
            fast = tuple(t for t in self.targets if t not in SLOW_TARGETS)
            slow = tuple(t for t in self.targets if t in SLOW_TARGETS)
            deferred = []
            if fast:
                result = build(project, self.root, self.out, fast, defer=True)
                deferred = result.deferred
                self._report(result, started, "ready")
                discard(result.replaced)
            if slow or deferred:  # 制度汇编, search index, PDFs; the site offers the new ones
                again = slow + fast
                result = build(project, self.root, self.out, again)
                self._report(result, started, "all ready")
        except BuildBusy as exc:
            self.echo(f"Error: {exc}")
            return False
        except HandbookError as exc:
            for problem in sorted(exc.problems, key=lambda p: p.location):
                self.echo(str(problem))
            self.echo(f"Error: {exc} — the last good build stays in {self.out}")
            return False
        finally:
            self._between_builds()
        return True

    def _between_builds(self) -> None:
        """Ready the next build while the user edits: a linked copy of the site to start
        from, and a full garbage collection, after which the objects kept between builds
        (the memo, the model) are frozen out of later collections, which would otherwise
        stop a rebuild for most of a second at 1,000 regulations."""
        if "site" in self.targets:
            prepare_next(self.out)
        gc.unfreeze()
        gc.collect()
        gc.freeze()

    def _report(self, result, started: float, what: str) -> None:
        for notice in result.notices:
            self.echo(f"notice: {notice}")
        changed = ", ".join(f"{name} ({why})" for name, why in list(result.rebuilt.items())[:6])
        more = len(result.rebuilt) - 6
        changed += f" and {more} more" if more > 0 else ""
        later = f"; next: {', '.join(result.deferred)}" if result.deferred else ""
        self.echo(f"{what} in {time.perf_counter() - started:.1f} s: "
                  f"{changed or 'nothing changed'}{later}")

    def run(self, stop: threading.Event | None = None) -> None:
        """Rebuild on every settled change until stop is set (or Ctrl+C)."""
        stop = stop or threading.Event()
        seen = snapshot(self.root)
        while not stop.wait(POLL_SECONDS):
            current = snapshot(self.root)
            if current == seen:
                continue
            while not stop.wait(DEBOUNCE_SECONDS):  # an editor may write in several steps
                settled = snapshot(self.root)
                if settled == current:
                    break
                current = settled
            changed = {name for name in seen.keys() | current.keys()
                       if seen.get(name) != current.get(name)}
            seen = current
            self.echo(f"changed: {describe(changed, self.root)} — rebuilding…")
            self.rebuild()


def describe(changed: set[str], root: Path) -> str:
    """A short list of the files that changed."""
    names = sorted(Path(name).relative_to(root).as_posix() for name in changed)
    return ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the built site and nothing else: a path that leads out of the site folder
    (through a symlink, whoever made it) is answered 404."""

    def send_head(self):
        """Refuse a file outside the site before the standard handler opens it."""
        folder = os.path.realpath(self.directory)
        path = os.path.realpath(self.translate_path(self.path))
        if path != folder and not path.startswith(folder + os.sep):
            self.send_error(http.HTTPStatus.NOT_FOUND, "File not found")
            return None
        return super().send_head()


def serve(root: Path, out: Path, port: int, watch: bool, echo: Callable[[str], None],
          targets: tuple[str, ...] = ("site",)) -> None:
    """Serve out/site until interrupted, rebuilding on changes when watch is set.

    The port is taken before the first build, so a port in use is reported at once."""
    handler = functools.partial(SiteHandler, directory=str(Path(out) / "site"))
    try:
        httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    except OSError as exc:
        other = 8000 if port != 8000 else 8001
        raise HandbookError(f"cannot serve on 127.0.0.1:{port}: {exc.strerror or exc} "
                            "(hint: another program may be using the port: stop it, or "
                            f"choose another with --port, e.g. --port {other})") from None
    serving = threading.Thread(target=httpd.serve_forever, daemon=True)
    try:
        watcher = Watcher(root, out, targets, echo)
        watcher.rebuild()
        serving.start()
        echo(f"serving http://127.0.0.1:{httpd.server_address[1]}/ (Ctrl+C to stop)")
        if watch:
            watcher.run()
        else:
            threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        if serving.is_alive():
            httpd.shutdown()
        httpd.server_close()
