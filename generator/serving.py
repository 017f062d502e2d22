"""`handbook serve`: preview the site locally and rebuild it when sources change."""

from __future__ import annotations

import functools
import http.server
import threading
import time
from collections.abc import Callable
from pathlib import Path

from .build import build
from .errors import HandbookError
from .load import load_project

WATCHED = ("regulations", "templates", "site", "mkdocs.yml")
POLL_SECONDS = 1.0
DEBOUNCE_SECONDS = 0.5


def snapshot(root: Path) -> dict[str, float]:
    """Modification times of every watched source file (generated pages excluded)."""
    times: dict[str, float] = {}
    for name in WATCHED:
        path = root / name
        files = [path] if path.is_file() else path.rglob("*") if path.is_dir() else []
        for file in files:
            if file.is_file() and "generated" not in file.parts:
                times[str(file)] = file.stat().st_mtime
    return times


def rebuild(root: Path, out: Path, echo: Callable[[str], None]) -> bool:
    """Build the site; on a mistake print the problems and keep the last good output."""
    try:
        project = load_project(root)
        result = build(project, root, out, ("site",))
    except HandbookError as exc:
        for problem in exc.problems:
            echo(str(problem))
        echo(f"Error: {exc} — still serving the last good build")
        return False
    for notice in result.notices:
        echo(f"notice: {notice}")
    echo(f"built {len(result.written)} files")
    return True


def serve(root: Path, out: Path, port: int, watch: bool, echo: Callable[[str], None]) -> None:
    """Serve out/site until interrupted, rebuilding on changes when watch is set."""
    root, out = Path(root), Path(out)
    rebuild(root, out, echo)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler,
                                directory=str(out / "site"))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    echo(f"serving http://127.0.0.1:{httpd.server_address[1]}/ (Ctrl+C to stop)")
    seen = snapshot(root)
    try:
        while True:
            time.sleep(POLL_SECONDS)
            if not watch:
                continue
            current = snapshot(root)
            if current != seen:
                time.sleep(DEBOUNCE_SECONDS)  # let an editor finish writing
                seen = snapshot(root)
                echo("change detected, rebuilding…")
                rebuild(root, out, echo)
    except KeyboardInterrupt:
        pass
    finally:
        httpd.shutdown()
