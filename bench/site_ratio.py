"""The site step alone against stock MkDocs Material with its own search, side by side.

Run by hand:

    .venv/bin/python bench/make_corpus.py /tmp/p300 --regulations 300
    .venv/bin/python bench/site_ratio.py /tmp/p300 --rounds 2

Each round, in a fresh --out: `handbook build docx forms`, then, measured,
`handbook build site` (ours) and `mkdocs build` of the very pages our build generated with
Material's search plugin, which segments Chinese with jieba (the anchor: what a user would
run instead; bench/run.py's `_plain_config`). Wall and CPU (the process and its children)
of each, and ours ÷ anchor. The same step is in `bench/run.py --ratios`, with every other
step; this one runs the site alone, which at 1,000 regulations is what there is time for.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))

import run  # noqa: E402


def usage(command: list[str], cwd: Path) -> tuple[float, float]:
    """Wall and CPU seconds (user + system, children included) of command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, capture_output=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def one_round(project: Path) -> tuple[tuple[float, float], tuple[float, float]]:
    """(ours, anchor), each (wall, CPU)."""
    out = project / "r-site"
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(project / ".r-site.generations", ignore_errors=True)
    build = [sys.executable, "-m", "generator", "build"]
    subprocess.run([*build, "docx", "forms", "--root", str(project), "--out", str(out),
                    "--quiet"], cwd=REPO, check=True)
    ours = usage([*build, "site", "--root", str(project), "--out", str(out), "--quiet"], REPO)
    shutil.rmtree(project / "plain-site", ignore_errors=True)
    anchor = usage([str(Path(sys.executable).with_name("mkdocs")), "build", "-q", "-f",
                    str(run._plain_config(project))], project)
    return ours, anchor


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", type=Path, help="a project made by bench/make_corpus.py")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    for number in range(args.rounds):
        (wall, cpu), (anchor_wall, anchor_cpu) = one_round(args.project.resolve())
        print(f"round {number}: ours {wall:.2f} s / {cpu:.2f} s CPU; anchor {anchor_wall:.2f} s"
              f" / {anchor_cpu:.2f} s CPU; ours ÷ anchor {wall / anchor_wall:.2f} / "
              f"{cpu / anchor_cpu:.2f}", flush=True)


if __name__ == "__main__":
    main()
