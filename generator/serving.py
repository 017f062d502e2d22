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

import contextlib
import functools
import gc
import http
import http.server
import io
import os
import threading
import time
import urllib.parse
from collections.abc import Callable
from pathlib import Path

from . import live
from .build import TARGETS, BuildBusy, build, discard, prepare_next
from .errors import HandbookError, report_lines
from .load import load_project
from .session import for_build

WATCHED = ("regulations", "templates", "site", "mkdocs.yml")
POLL_SECONDS = 0.1
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
                 echo: Callable[[str], None], state: live.BuildState | None = None) -> None:
        self.root, self.out, self.echo = Path(root), Path(out), echo
        self.targets = targets or TARGETS
        self.session = for_build(self.out)  # what is reused while it does not change
        self.state = state  # for `handbook serve`: what the open pages are told
        self.warned: set[str] = set()  # the warnings printed by the last build
        self.seen: dict[str, tuple[int, int]] | None = None  # the sources as last built

    def first_build(self) -> bool:
        """Build now; a source saved from this moment on (during this build too) makes
        run() build again."""
        self.seen = snapshot(self.root)
        return self.rebuild()

    def rebuild(self) -> bool:
        """Build now; on a mistake print the problems and keep the last good output."""
        started = time.perf_counter()
        try:
            project = load_project(self.root, self.session)
            self._warn(report_lines(project.warnings))
            fast = tuple(t for t in self.targets if t not in SLOW_TARGETS)
            slow = tuple(t for t in self.targets if t in SLOW_TARGETS)
            deferred = []
            if fast:
                result = build(project, self.root, self.out, fast, defer=True,
                               session=self.session)
                deferred = result.deferred
                self._report(result, started, "ready")
                discard(result.replaced)
                if self.state is not None:
                    self.state.built()
            if slow or deferred:  # 制度汇编, search index, PDFs; the site offers the new ones
                again = slow + fast
                result = build(project, self.root, self.out, again, session=self.session)
                self._report(result, started, "all ready")
        except BuildBusy as exc:
            self.echo(f"Error: {exc}")
            return False
        except HandbookError as exc:
            lines = report_lines(exc.problems)
            lines.append(f"Error: {exc} — the last good build stays in {self.out}")
            for line in lines:
                self.echo(line)
            if self.state is not None:
                self.state.failed(lines)
            return False
        finally:
            self._between_builds()
        return True

    def _warn(self, lines: list[str]) -> None:
        """Print the warnings the last build did not print; the others are counted."""
        new = [line for line in lines if line not in self.warned]
        for line in new:
            self.echo(line)
        if len(lines) > len(new):
            same = len(lines) - len(new)
            self.echo(f"({same} warning{'s' * (same != 1)} as before)")
        self.warned = set(lines)

    def _between_builds(self) -> None:
        """Ready the next build while the user edits: a linked copy of the site to start
        from, and a full garbage collection, after which the objects kept between builds
        (the session, the model) are frozen out of later collections, which would otherwise
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
        if self.seen is None:
            self.seen = snapshot(self.root)
        while not stop.wait(POLL_SECONDS):
            current = snapshot(self.root)
            if current == self.seen:
                continue
            while not stop.wait(DEBOUNCE_SECONDS):  # an editor may write in several steps
                settled = snapshot(self.root)
                if settled == current:
                    break
                current = settled
            changed = {name for name in self.seen.keys() | current.keys()
                       if self.seen.get(name) != current.get(name)}
            self.seen = current
            self.echo(f"changed: {describe(changed, self.root)} — rebuilding…")
            self.rebuild()


def describe(changed: set[str], root: Path) -> str:
    """A short list of the files that changed."""
    names = sorted(Path(name).relative_to(root).as_posix() for name in changed)
    return ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the built site and nothing else: a path that leads out of the site folder
    (through a symlink, whoever made it) is answered 404. With a build state, pages get
    the live-reload script and /__handbook__/ answers it (see generator.live)."""

    def __init__(self, *args, state: live.BuildState | None = None, verbose: bool = False,
                 **kwargs) -> None:
        self.state, self.verbose = state, verbose
        super().__init__(*args, **kwargs)

    def handle(self) -> None:
        """Serve the connection; a browser that went away (a page reloading drops its
        waiting request) is no error."""
        with contextlib.suppress(ConnectionResetError, BrokenPipeError):
            super().handle()

    def send_head(self):
        """Refuse a file outside the site before the standard handler opens it."""
        if self.state is not None and self.path.startswith(live.PREFIX):
            return self._live()
        folder = os.path.realpath(self.directory)
        path = os.path.realpath(self.translate_path(self.path))
        if path != folder and not path.startswith(folder + os.sep):
            self.send_error(http.HTTPStatus.NOT_FOUND, "File not found")
            return None
        if self.state is not None and os.path.isdir(path) and self.path.endswith("/"):
            path = os.path.join(path, "index.html")
        if self.state is not None and path.endswith(".html") and os.path.isfile(path):
            with open(path, "rb") as page:
                return self._send(live.with_script(page.read()), "text/html; charset=utf-8")
        return super().send_head()

    def _live(self):
        parsed = urllib.parse.urlsplit(self.path)
        if parsed.path == live.PREFIX + "live.js":
            return self._send(live.SCRIPT.encode("utf-8"), "text/javascript; charset=utf-8")
        if parsed.path == live.PREFIX + "state":
            seen = urllib.parse.parse_qs(parsed.query).get("after", [""])[0]
            return self._send(self.state.wait(seen), "application/json")
        self.send_error(http.HTTPStatus.NOT_FOUND, "File not found")
        return None

    def _send(self, body: bytes, kind: str):
        self.send_response(http.HTTPStatus.OK)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        return io.BytesIO(body)

    def log_message(self, format: str, *args) -> None:
        """Access lines only with --verbose: the terminal is for build messages."""
        if self.verbose:
            super().log_message(format, *args)


def serve(root: Path, out: Path, port: int, watch: bool, echo: Callable[[str], None],
          targets: tuple[str, ...] = ("site",), verbose: bool = False) -> None:
    """Serve out/site until interrupted, rebuilding on changes when watch is set; open pages
    reload after each rebuild and show the problems of a failed one.

    The port is taken before the first build, so a port in use is reported at once."""
    state = live.BuildState()
    handler = functools.partial(SiteHandler, directory=str(Path(out) / "site"), state=state,
                                verbose=verbose)
    try:
        httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    except OSError as exc:
        other = 8000 if port != 8000 else 8001
        raise HandbookError(f"cannot serve on 127.0.0.1:{port}: {exc.strerror or exc} "
                            "(hint: another program may be using the port: stop it, or "
                            f"choose another with --port, e.g. --port {other})") from None
    serving = threading.Thread(target=httpd.serve_forever, daemon=True)
    try:
        watcher = Watcher(root, out, targets, echo, state)
        watcher.first_build()
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
