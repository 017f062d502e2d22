"""What revision history costs a site build (run by hand; figures in RESULTS.md).

Copies the bundled project into a scratch git repository and records four more revisions
of every regulation (a changed sentence, `handbook revise`, a commit each: five recorded
versions in all), then times `handbook build site --force` three times on that repository
and three times on the same files without git (no history: no comparison pages), and
prints the medians and their ratio.

    .venv/bin/python bench/history_cost.py
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HANDBOOK = [sys.executable, "-m", "generator"]
GIT = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.com"]


def _handbook(*args: str, cwd: Path) -> None:
    done = subprocess.run([*HANDBOOK, *args], cwd=cwd, capture_output=True, text=True,
                          env=dict(os.environ, PYTHONPATH=str(ROOT)))
    if done.returncode != 0:
        raise SystemExit(f"handbook {' '.join(args)} failed:\n{done.stderr}")


def _project(folder: Path) -> Path:
    project = folder / "project"
    for name in ("regulations", "templates", "site"):
        shutil.copytree(ROOT / name, project / name,
                        ignore=shutil.ignore_patterns("generated"))
    shutil.copy(ROOT / "mkdocs.yml", project)
    return project


def _record_revisions(project: Path, count: int) -> None:
    """count more revisions of every regulation, each committed."""
    subprocess.run([*GIT, "init", "-q"], cwd=project, check=True)
    subprocess.run([*GIT, "add", "-A"], cwd=project, check=True)
    subprocess.run([*GIT, "commit", "-qm", "start"], cwd=project, check=True)
    files = sorted((project / "regulations").glob("*.yaml"))
    regulations = [f for f in files if f.stem not in ("company", "org", "synonyms")]
    for round_ in range(count):
        for path in regulations:
            lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
            first = next((n for n, line in enumerate(lines)
                          if re.match(r"\s*(- )?text: [^'\"|>].*。$", line)), None)
            if first is None:
                continue  # no plain one-line article text to change
            lines[first] = lines[first].rstrip()[:-1] + f"（第{round_ + 1}次修订）。\n"
            path.write_text("".join(lines), encoding="utf-8")
            _handbook("revise", path.stem, "--summary", f"第{round_ + 1}次修订。", cwd=project)
        subprocess.run([*GIT, "commit", "-qam", f"revision {round_ + 1}"], cwd=project,
                       check=True)


def _time_site(project: Path, out: Path, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        _handbook("build", "site", "--force", "--quiet", "--out", str(out), cwd=project)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _time_history(project: Path) -> float:
    """Seconds to read every regulation's history (in this process)."""
    sys.path.insert(0, str(ROOT))
    from generator import history
    from generator.load import load_project

    loaded = load_project(project)
    started = time.perf_counter()
    found = history.read(project, loaded)
    assert found.comparisons, "no history was read"
    return time.perf_counter() - started


def main() -> None:
    """Time the site build with and without five recorded versions per regulation."""
    with tempfile.TemporaryDirectory(prefix="history-bench-") as scratch:
        with_history = _project(Path(scratch) / "a")
        _record_revisions(with_history, 4)
        without = Path(scratch) / "b" / "project"
        shutil.copytree(with_history, without, ignore=shutil.ignore_patterns(".git"))
        read = _time_history(with_history)
        plain = _time_site(without, Path(scratch) / "out-b")
        history = _time_site(with_history, Path(scratch) / "out-a")
        pages = len(list((Path(scratch) / "out-a" / "site" / "generated" / "changes").glob("*")))
    print(f"site build, 5 recorded versions per regulation: {history:.1f} s "
          f"({pages} comparison pages)")
    print(f"site build, same files without history:        {plain:.1f} s")
    print(f"ratio: {history / plain:.2f}")
    print(f"of which reading the history (git and the earlier texts): {read:.1f} s")


if __name__ == "__main__":
    main()
