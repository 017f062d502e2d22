"""The forms step and the PDF step: this checkout against another commit, in the same session.

Run by hand (about ten minutes on 2 cores):

    .venv/bin/python bench/steps.py                 # against main, at its current commit
    .venv/bin/python bench/steps.py --base v1.2 --rounds 5

The other commit is checked out as a git worktree (under --work) and run with this
checkout's virtualenv. Each round measures both, alternating which goes first, each in a
fresh process:

* forms: every bundled form written as .docx and fillable PDF (the build's forms step,
  without its cache);
* PDF: the bundled regulations' .docx and 制度汇编.docx (made once, by this checkout)
  converted by `generator.render.pdf.convert` (LibreOffice).

Figures are medians over the rounds: wall seconds, CPU seconds (the process and the
children it waited for, LibreOffice included), the load average when the step started
and the cores that other processes kept busy meanwhile (from /proc/stat). On a shared
machine prefer the CPU ratio when the wall times are noisy.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))

import run  # noqa: E402  (bench/run.py: worktrees of the previous code)

CHILD = r"""
import json, os, resource, sys, tempfile, time
from pathlib import Path

step, root, docs = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
from generator.load import load_project
from generator.render import forms_docx, forms_pdf, pdf

def cpu():
    own, children = (resource.getrusage(w) for w in
                     (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime

def busy():
    fields = [int(v) for v in open("/proc/stat").readline().split()[1:]]
    return (sum(fields[:8]) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")

project = load_project(root)
out = Path(tempfile.mkdtemp(prefix="handbook-steps-"))
load, busy0, cpu0, wall0 = os.getloadavg()[0], busy(), cpu(), time.perf_counter()
if step == "forms":
    template = forms_docx.template_for(root)
    for form in project.forms:
        forms_docx.render(project, form, template, out / f"{form.id}.docx")
    # one font for all the forms, as a build makes it (older code registers its own)
    font = {"font": forms_pdf.font_for(project, project.forms)} \
        if hasattr(forms_pdf, "font_for") else {}
    for form in project.forms:
        forms_pdf.render(project, form, out / f"{form.id}.pdf", **font)
    count = len(project.forms)
else:
    files = sorted(docs.glob("*.docx"))
    result = pdf.convert(files, out, root)
    assert not result.failed and not result.notices, (result.failed, result.notices)
    count = len(result.written)
wall, used = time.perf_counter() - wall0, cpu() - cpu0
print(json.dumps({"wall": wall, "cpu": used, "load": load, "files": count,
                  "others": max(0.0, (busy() - busy0 - used) / wall)}))
"""


def measure(tree: Path, step: str, docs: Path) -> dict:
    """One fresh process running one step with the code of `tree`."""
    env = dict(os.environ, PYTHONPATH=str(tree))
    done = subprocess.run([sys.executable, "-c", CHILD, step, str(tree), str(docs)],
                          cwd=tree, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{step} with {tree} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def table(results: dict, base: str) -> str:
    """Medians as a Markdown table, ours ÷ base as ratios."""
    lines = [f"| step | {base}: wall / CPU | this checkout: wall / CPU | ratio wall / CPU | "
             "load avg (1 min) | cores used by others |", "|---|---|---|---|---|---|"]
    for step in ("forms", "pdf"):
        if step not in results["ours"]:
            continue
        medians = {who: {key: statistics.median(r[key] for r in results[who][step])
                         for key in ("wall", "cpu", "load", "others")}
                   for who in ("base", "ours")}
        b, o = medians["base"], medians["ours"]
        loads = [r["load"] for who in ("base", "ours") for r in results[who][step]]
        others = [r["others"] for who in ("base", "ours") for r in results[who][step]]
        lines.append(
            f"| {step} | {b['wall']:.2f} s / {b['cpu']:.2f} s | {o['wall']:.2f} s / "
            f"{o['cpu']:.2f} s | {o['wall'] / b['wall']:.2f}× / {o['cpu'] / b['cpu']:.2f}× | "
            f"{min(loads):.1f}–{max(loads):.1f} | {min(others):.1f}–{max(others):.1f} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base", default="main", help="commit to compare with (git rev)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--steps", nargs="+", default=["forms", "pdf"],
                        choices=["forms", "pdf"])
    parser.add_argument("--work", type=Path,
                        default=Path(tempfile.gettempdir()) / "handbook-steps")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    trees = {"base": run.worktree(args.base, args.work)[1], "ours": REPO}
    docs = args.work / "docx-build"
    if "pdf" in args.steps:
        subprocess.run([sys.executable, "-m", "generator", "build", "docx", "--out", str(docs),
                        "--quiet"], cwd=REPO, check=True)
    results: dict = {who: {step: [] for step in args.steps} for who in trees}
    for round_number in range(args.rounds):
        order = ["base", "ours"] if round_number % 2 == 0 else ["ours", "base"]
        for step in args.steps:
            for who in order:
                figures = measure(trees[who], step, docs / "docx")
                results[who][step].append(figures)
                print(f"round {round_number + 1} {step} {who}: {json.dumps(figures)}",
                      flush=True)
    print(table(results, args.base))
    (BENCH / "steps.json").write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
