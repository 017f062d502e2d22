"""Peak memory and time of `handbook build` at scale, side by side with earlier code.

Run by hand (at N = 1,000 each build takes a few minutes on 2 cores):

    .venv/bin/python bench/memory.py                      # N = 1000, against `main`
    .venv/bin/python bench/memory.py --sizes 300 --base HEAD~3

For each N and each version of the code (`--base`, checked out as a git worktree at
that commit under --work, and this checkout), one after the other on this machine:

* full build: `handbook build text docx forms site` (no PDF) of the synthetic corpus
  (bench/make_corpus.py) into a new --out;
* one article: the text of one article of the middle regulation edited, then the same
  command again in a new process, into the same --out.

Each is measured with `/usr/bin/time -v`: peak resident memory of the largest process
(the build or one of its Word workers), wall time, and CPU time (user + system, which
other work on a shared machine disturbs less than wall time). The two versions' search
indexes are compared byte for byte. Figures are appended to bench/RESULTS.md (between
the MEMORY markers) and written to bench/memory.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(BENCH))

import make_corpus  # noqa: E402
import run  # noqa: E402

TARGETS = ("text", "docx", "forms", "site")
INDEX = Path("site", "generated", "search", "index.json")


def measured(code: Path, project: Path, out: Path) -> dict:
    """Peak memory (MiB), wall and CPU seconds of one `handbook build` in a new process."""
    command = ["/usr/bin/time", "-v", sys.executable, "-m", "generator", "build", *TARGETS,
               "--root", str(project), "--out", str(out), "--quiet"]
    started = time.perf_counter()
    done = subprocess.run(command, cwd=code, capture_output=True, text=True, check=False,
                          env=dict(os.environ, PYTHONPATH=str(code)))
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"failed in {code}: {' '.join(command)}\n{done.stderr[-3000:]}")

    def field(name: str) -> float:
        return float(re.search(rf"{re.escape(name)}: ([\d.]+)", done.stderr).group(1))

    return {"peak_mib": round(field("Maximum resident set size (kbytes)") / 1024),
            "wall_s": round(wall, 1),
            "cpu_s": round(field("User time (seconds)") + field("System time (seconds)"), 1)}


def measure(label: str, code: Path, n: int, articles: int, work: Path) -> dict:
    """Full build, then a one-article rebuild, of a fresh corpus of n regulations."""
    project = work / f"n{n}-{label}"
    out = work / f"out-n{n}-{label}"
    for old in (out, out.parent / f".{out.name}.generations"):
        if old.is_symlink() or old.is_file():
            old.unlink()
        elif old.is_dir():
            shutil.rmtree(old)
    make_corpus.write(project, n, articles)
    print(f"N={n} {label}: full build…", flush=True)
    row = {"version": label, "n": n, "full": measured(code, project, out)}
    run.edit_one_article(project, n, "【修改】")
    print(f"N={n} {label}: one article…", flush=True)
    row["edit"] = measured(code, project, out)
    row["index"] = str(out / INDEX)
    print(json.dumps(row), flush=True)
    return row


def table(rows: list[dict]) -> str:
    """The figures as a Markdown table."""
    lines = ["| N (articles) | code | full build: peak | wall | CPU | one article, new process: "
             "peak | wall | CPU |", "|---|---|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        full, edit = r["full"], r["edit"]
        lines.append(f"| {r['n']:,} ({r['n'] * 30:,}) | {r['code']} | "
                     f"**{full['peak_mib']} MiB** | {full['wall_s']} s | {full['cpu_s']} s | "
                     f"**{edit['peak_mib']} MiB** | {edit['wall_s']} s | {edit['cpu_s']} s |")
    return "\n".join(lines)


def record(rows: list[dict], identical: dict[int, bool]) -> None:
    """Write bench/memory.json and the table between the MEMORY markers of RESULTS.md."""
    machine = run.machine()
    (BENCH / "memory.json").write_text(json.dumps({"machine": machine, "rows": rows},
                                                  indent=1), encoding="utf-8")
    same = ", ".join(f"N = {n:,}: {'byte-identical' if ok else 'DIFFERENT'}"
                     for n, ok in identical.items())
    block = (f"<!-- MEMORY:START -->\nMachine: {machine}. Measured {dt.date.today()} "
             f"(`bench/memory.py`).\n\n{table(rows)}\n\nSearch index of the two versions: "
             f"{same}.\n<!-- MEMORY:END -->")
    run.replace_block("MEMORY", block)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000])
    parser.add_argument("--articles", type=int, default=30)
    parser.add_argument("--base", default="main", help="the earlier code (a git revision)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/handbook-memory"))
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    commit, base = run.worktree(args.base, args.work)
    head = subprocess.run(["git", "rev-parse", "--short=7", "HEAD"], cwd=REPO,
                          capture_output=True, text=True, check=True).stdout.strip()
    rows, identical = [], {}
    for n in args.sizes:
        before = measure("base", base, n, args.articles, args.work)
        after = measure("this", REPO, n, args.articles, args.work)
        before["code"], after["code"] = f"{args.base} ({commit[:7]})", f"this ({head})"
        identical[n] = Path(before["index"]).read_bytes() == Path(after["index"]).read_bytes()
        rows += [before, after]
    record(rows, identical)
    print(table(rows))


if __name__ == "__main__":
    main()
