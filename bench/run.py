"""Build benchmark: synthetic corpora of N regulations, our build against pandoc and MkDocs.

Run by hand (takes about half an hour on 2 cores for N = 100, 300, 1000):

    make bench          # or: .venv/bin/python bench/run.py --sizes 100 300 1000
    .venv/bin/python bench/run.py --ratios --sizes 38 300 1000 --base <rev>   # ratio tables

For each N it writes a corpus (bench/make_corpus.py) under --work and measures, one after
the other on this machine:

* full build: `handbook build text docx forms site` from nothing (wall time, peak memory
  of the largest process);
* Word alone: the N regulation documents rendered in one process (no compendium), and
  the same pages through pandoc, Markdown → .docx, one call per regulation;
* site alone: plain `mkdocs build` of the same generated pages, without our generator;
* one article edited: `handbook build` again (a new process), and `handbook watch`
  (a running watcher: time from the save to the new .docx and site page, then to all
  outputs including the compendium; the median of three edits);
* PDF, at the smallest N only: `handbook build pdf` (LibreOffice).

Results go to bench/results.json, the table in bench/RESULTS.md (between the BENCH
markers) and the plot bench/build-time.png (needs matplotlib: `make bench` installs it).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import queue
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(BENCH))

import make_corpus  # noqa: E402

HANDBOOK = [sys.executable, "-m", "generator"]
EDITED = "为规范"  # the synthetic texts are real regulation sentences; we edit one article


def worktree(base: str, work: Path) -> tuple[str, Path]:
    """The commit `base` names now, and a detached git worktree of it under work (made once
    per commit), for measuring the previous code beside this checkout's."""
    commit = subprocess.run(["git", "rev-parse", base], cwd=REPO, capture_output=True,
                            text=True, check=True).stdout.strip()
    folder = work / f"code-{commit[:10]}"
    if not folder.is_dir():
        subprocess.run(["git", "worktree", "add", "--detach", str(folder), commit], cwd=REPO,
                       check=True, capture_output=True)
    return commit, folder


def replace_block(tag: str, block: str) -> None:
    """Put block (which starts with <!-- TAG:START --> and ends with <!-- TAG:END -->) in
    bench/RESULTS.md: in place of the previous one, or at the end."""
    results = BENCH / "RESULTS.md"
    text = results.read_text(encoding="utf-8")
    if f"<!-- {tag}:START -->" in text:
        text = re.sub(rf"<!-- {tag}:START -->.*<!-- {tag}:END -->", lambda _: block, text,
                      flags=re.S)
    else:
        text += "\n" + block + "\n"
    results.write_text(text, encoding="utf-8")


def timed(command: list[str], cwd: Path) -> tuple[float, int]:
    """Wall seconds and peak resident memory (KiB, largest process) of a command."""
    started = time.perf_counter()
    completed = subprocess.run(["/usr/bin/time", "-f", "%M", *command], cwd=cwd,
                               capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if completed.returncode != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{completed.stderr[-2000:]}")
    return seconds, int(completed.stderr.strip().splitlines()[-1])


def edit_one_article(project: Path, n: int, mark: str) -> Path:
    """Change the text of one article in the middle regulation; return its file."""
    path = project / "regulations" / f"reg-{n // 2:04d}.yaml"
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"(  - id: a001\n    text: )", rf"\g<1>{mark}", text, count=1)
    path.write_text(text, encoding="utf-8")
    return path


def word_alone(project: Path) -> float:
    """Seconds to render every regulation's .docx in this process (no compendium)."""
    code = (
        "import sys,time,tempfile;from pathlib import Path;"
        "from generator.load import load_project;from generator.render import docx as d;"
        f"p=load_project(Path({str(project)!r}));t=d.template_for(Path({str(project)!r}));"
        "o=Path(tempfile.mkdtemp());s=time.perf_counter();"
        "[d.render(p,r,t,o/(r.id+'.docx')) for r in p.regulations];"
        "print(time.perf_counter()-s)")
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True,
                            text=True, check=True)
    return float(result.stdout.strip())


def pandoc_alone(project: Path) -> float | None:
    """Seconds for pandoc to turn each generated regulation page into .docx, one call each."""
    pandoc = shutil.which("pandoc")
    if pandoc is None:
        return None
    pages = sorted((project / "build" / ".cache" / "site-docs" / "generated" / "regulations")
                   .glob("*.md"))
    out = project / "pandoc"
    out.mkdir(exist_ok=True)
    started = time.perf_counter()
    for page in pages:
        subprocess.run([pandoc, "-f", "markdown", "-t", "docx", "-o",
                        str(out / f"{page.stem}.docx"), str(page)], check=True)
    return time.perf_counter() - started


def plain_mkdocs(project: Path) -> float:
    """Seconds for a stock `mkdocs build` of the generated pages (navigation from files,
    Material's search with jieba)."""
    config = project / "mkdocs-plain.yml"
    text = (project / "mkdocs.yml").read_text(encoding="utf-8")
    config.write_text(_with_search(text).replace("site_dir: build/site", "site_dir: plain-site"),
                      encoding="utf-8")
    started = time.perf_counter()
    subprocess.run([str(Path(sys.executable).with_name("mkdocs")), "build", "-q", "-f",
                    str(config)], cwd=project, check=True, capture_output=True)
    return time.perf_counter() - started


def watch_edit(project: Path, n: int, edits: int = 3) -> tuple[list[float], list[float]]:
    """Seconds from saving an edit to a running watcher's `ready` and `all ready`, for
    each of `edits` edits (each after the watcher has settled from the one before)."""
    process = subprocess.Popen([*HANDBOOK, "watch", "text", "docx", "forms", "site",
                                "--root", str(project), "--out", str(project / "build")],
                               cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True)
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(x) for x in process.stdout], daemon=True).start()

    def wait(prefix: str) -> float:
        while True:
            line = lines.get(timeout=1800)
            if line.startswith(prefix):
                return time.perf_counter()

    ready, done = [], []
    try:
        wait("watching")
        for edit in range(edits):
            # the watcher readies the next build (a copy of the site, a garbage collection)
            # after `all ready`, and takes its snapshot of the sources
            time.sleep(1.5 + n / 500)
            saved = time.perf_counter()
            edit_one_article(project, n, f"【监视修改{edit}】")
            ready.append(wait("ready") - saved)
            done.append(wait("all ready") - saved)
    finally:
        process.terminate()
        process.wait(timeout=60)
    page = project / "build" / "site" / "generated" / "regulations" / f"reg-{n // 2:04d}"
    assert f"【监视修改{edits - 1}】" in (page / "index.html").read_text(encoding="utf-8")
    return ready, done


def measure(n: int, articles: int, work: Path, pdf: bool) -> dict:
    """Every figure for one corpus size."""
    project = work / f"n{n}"
    make_corpus.write(project, n, articles)
    build = [*HANDBOOK, "build", "text", "docx", "forms", "site", "--root", str(project),
             "--out", str(project / "build"), "--quiet"]
    row: dict = {"n": n, "articles": n * articles}
    print(f"N={n}: full build…", flush=True)
    row["full_s"], row["full_peak_kib"] = timed(build, REPO)
    row["noop_s"], _ = timed(build, REPO)
    edit_one_article(project, n, "【修改】")
    row["edit_build_s"], row["edit_peak_kib"] = timed(build, REPO)
    print(f"N={n}: Word and pandoc…", flush=True)
    row["word_s"] = word_alone(project)
    row["pandoc_s"] = pandoc_alone(project)
    print(f"N={n}: plain MkDocs…", flush=True)
    row["mkdocs_s"] = plain_mkdocs(project)
    print(f"N={n}: watch…", flush=True)
    row["watch_ready_all"], row["watch_done_all"] = watch_edit(project, n)
    row["watch_ready_s"] = statistics.median(row["watch_ready_all"])
    row["watch_all_s"] = statistics.median(row["watch_done_all"])
    if pdf:
        print(f"N={n}: PDF…", flush=True)
        row["pdf_s"], row["pdf_peak_kib"] = timed(
            [*HANDBOOK, "build", "pdf", "--root", str(project), "--out",
             str(project / "build"), "--quiet"], REPO)
    print(json.dumps(row), flush=True)
    return row


STEPS = ("full build", "Word", "PDF", "site", "forms", "everything",
         "everything, like for like")
WORD_CHILD = r"""
import sys, time, tempfile
from pathlib import Path
from generator.load import load_project
from generator.render import docx as d
root = Path(sys.argv[1])
project = load_project(root)
template = d.template_for(root)
out = Path(tempfile.mkdtemp())
wall, cpu = time.perf_counter(), time.process_time()
for regulation in project.regulations:
    d.render(project, regulation, template, out / f"{regulation.id}.docx")
print(time.perf_counter() - wall, time.process_time() - cpu)
"""


def _busy() -> float:
    """CPU seconds every process of the machine has used since boot (/proc/stat)."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    return (sum(fields[:8]) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")


def usage(commands: list[list[str]], cwd: Path, env: dict | None = None) -> dict:
    """Wall and CPU seconds (the commands and every process they waited for) of commands
    run one after another, and the cores other processes kept busy meanwhile."""
    before = os.times()
    busy, wall = _busy(), time.perf_counter()
    for command in commands:
        done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True,
                              check=False)
        if done.returncode != 0:
            raise SystemExit(f"failed: {' '.join(command)}\n{done.stderr[-2000:]}")
    wall = time.perf_counter() - wall
    after = os.times()
    cpu = after.children_user + after.children_system - before.children_user \
        - before.children_system
    return {"wall": wall, "cpu": cpu, "others": max(0.0, (_busy() - busy - cpu) / wall),
            "load": os.getloadavg()[0]}


def _fresh(folder: Path) -> Path:
    """An empty place for a build: its folder and the generations beside it removed."""
    if folder.is_symlink():
        folder.unlink()
    shutil.rmtree(folder, ignore_errors=True)
    shutil.rmtree(folder.with_name(f".{folder.name}.generations"), ignore_errors=True)
    return folder


def ratio_round(project: Path, base: Path) -> dict[str, tuple[dict, dict]]:
    """Each step once with this checkout and once with its anchor: (ours, anchor)."""
    env = dict(os.environ, PYTHONPATH=str(base))
    python = sys.executable

    def build(tree: Path, out: str, *targets: str) -> list[str]:
        return [python, "-m", "generator", "build", *targets, "--root", str(project),
                "--out", str(project / out), "--quiet"]

    rows: dict[str, tuple[dict, dict]] = {}
    everything = ("text", "docx", "forms", "site")
    _fresh(project / "r-ours"), _fresh(project / "r-base")
    rows["full build"] = (usage([build(REPO, "r-ours", *everything)], REPO),
                          usage([build(base, "r-base", *everything)], base, env))
    word = usage([[python, "-c", WORD_CHILD, str(project)]], REPO)
    pages = project / "r-ours" / ".cache" / "site-docs" / "generated" / "regulations"
    pandoc = shutil.which("pandoc")
    rows["Word"] = (word, usage([[pandoc, "-f", "markdown", "-t", "docx", "-o",
                                  str(project / "r-pandoc.docx"), str(page)]
                                 for page in sorted(pages.glob("*.md"))], REPO)
                    if pandoc else None)
    _fresh(project / "r-ours-pdf"), _fresh(project / "r-base-pdf")
    rows["PDF"] = (usage([build(REPO, "r-ours-pdf", "pdf")], REPO),
                   usage([build(base, "r-base-pdf", "pdf")], base, env))
    _fresh(project / "r-site")
    subprocess.run(build(REPO, "r-site", "docx", "forms"), cwd=REPO, check=True)
    rows["site"] = (usage([build(REPO, "r-site", "site")], REPO), usage(
        [[str(Path(python).with_name("mkdocs")), "build", "-q", "-f",
          str(_plain_config(project))]], project))
    _fresh(project / "r-ours-forms"), _fresh(project / "r-base-forms")
    rows["forms"] = (usage([build(REPO, "r-ours-forms", "forms")], REPO),
                     usage([build(base, "r-base-forms", "forms")], base, env))
    _fresh(project / "r-all")
    ours = usage([build(REPO, "r-all", "text", "docx", "pdf", "forms", "site")], REPO)
    anchored = pandoc and shutil.which("soffice")
    for step, compendium in (("everything", False), ("everything, like for like", True)):
        rows[step] = (ours, _anchor_usage(project, sorted(pages.glob("*.md")), compendium)
                      if anchored else None)
    return rows


COMPENDIUM = "制度汇编.docx"
BATCH = 200
"""Files per `soffice --convert-to` call: LibreOffice 7.4 converts the first 247 files it
is given and silently ignores the rest (exit status 0)."""


def _anchors(project: Path, pages: list[Path], compendium: bool = False) -> list[list[str]]:
    """What a user would run instead of our whole build: pandoc for each regulation's
    page, LibreOffice converting all those .docx files (one call per BATCH files), stock
    MkDocs Material with its search. With `compendium`, pandoc also joins every page into
    one 制度汇编.docx, which LibreOffice converts too (our build makes both; the forms
    still have no anchor)."""
    word, pdf = _fresh(project / "r-anchor-docx"), _fresh(project / "r-anchor-pdf")
    word.mkdir()
    profile = _fresh(project / "r-anchor-profile")
    pandoc = [shutil.which("pandoc") or "pandoc", "-f", "markdown", "-t", "docx", "-o"]
    made = [word / f"{page.stem}.docx" for page in pages]
    commands = [[*pandoc, str(path), str(page)] for path, page in zip(made, pages, strict=True)]
    if compendium:
        made.append(word / COMPENDIUM)
        commands.append([*pandoc, str(made[-1]), *map(str, pages)])
    return (commands
            + [["soffice", "--headless", f"-env:UserInstallation={profile.as_uri()}",
                "--convert-to", "pdf", "--outdir", str(pdf),
                *(str(path) for path in made[start:start + BATCH])]
               for start in range(0, len(made), BATCH)]
            + [[str(Path(sys.executable).with_name("mkdocs")), "build", "-q", "-f",
                str(_plain_config(project))]])


def _anchor_usage(project: Path, pages: list[Path], compendium: bool = False) -> dict:
    """usage() of the anchors, after checking that they made every PDF."""
    measured = usage(_anchors(project, pages, compendium), project)
    made = len(list((project / "r-anchor-pdf").glob("*.pdf")))
    if made != len(pages) + compendium:
        raise SystemExit(f"the anchor's LibreOffice made {made} of "
                         f"{len(pages) + compendium} PDFs")
    return measured


def _plain_config(project: Path) -> Path:
    """mkdocs.yml for a stock MkDocs Material build of the pages our last site build
    generated, with Material's own search (which segments Chinese with jieba, installed
    here): what a user would run instead of `handbook build site`."""
    config = project / "mkdocs-ratio.yml"
    text = (project / "mkdocs.yml").read_text(encoding="utf-8")
    docs = project / "r-site" / ".cache" / "site-docs"
    config.write_text(_with_search(text).replace("site_dir: build/site", "site_dir: plain-site")
                      .replace("docs_dir: site", f"docs_dir: {docs}")
                      .replace("base_path: [site]", f"base_path: [{docs}]"), encoding="utf-8")
    return config


def _with_search(config: str) -> str:
    """mkdocs.yml text with Material's search plugin instead of none."""
    lines = [("plugins: [search]" if line.startswith("plugins:") else line)
             for line in config.splitlines()]
    if "plugins: [search]" not in lines:
        raise SystemExit("mkdocs.yml has no `plugins:` line to give Material's search")
    return "\n".join(lines) + "\n"


ANCHORS = {"full build": "previous code", "Word": "pandoc", "PDF": "previous code",
           "site": "MkDocs Material + its search", "forms": "previous code",
           "everything": f"pandoc + LibreOffice ({BATCH} files a call) + MkDocs Material",
           "everything, like for like": "the same + a 制度汇编 (pandoc, LibreOffice)"}


def ratio_table(rounds: list[dict], n: int, base: str) -> str:
    """Medians over the rounds: ours, the anchor, ours ÷ anchor, the machine's load."""
    lines = [f"N = {n:,}, {len(rounds)} rounds (medians); previous code = {base[:10]}.", "",
             "| step | ours: wall / CPU | anchor | anchor: wall / CPU | ours ÷ anchor: wall / "
             "CPU | cores used by others | load avg |", "|---|---|---|---|---|---|---|"]
    for step in STEPS:
        pairs = [r[step] for r in rounds if r[step][1] is not None]
        if not pairs:
            lines.append(f"| {step} | | {ANCHORS[step]} missing | | | | |")
            continue
        med = {who: {k: statistics.median(p[i][k] for p in pairs) for k in pairs[0][0]}
               for i, who in enumerate(("ours", "anchor"))}
        o, a = med["ours"], med["anchor"]
        others = [p[i]["others"] for p in pairs for i in (0, 1)]
        loads = [p[i]["load"] for p in pairs for i in (0, 1)]
        lines.append(
            f"| {step} | {o['wall']:.1f} s / {o['cpu']:.1f} s | {ANCHORS[step]} | "
            f"{a['wall']:.1f} s / {a['cpu']:.1f} s | {o['wall'] / a['wall']:.2f}× / "
            f"{o['cpu'] / a['cpu']:.2f}× | {min(others):.1f}–{max(others):.1f} | "
            f"{min(loads):.1f}–{max(loads):.1f} |")
    return "\n".join(lines)


def ratios(n: int, articles: int, work: Path, runs: int, base: str) -> str:
    """The ratio table for a corpus of n regulations, `runs` rounds."""
    commit, tree = worktree(base, work)
    project = work / f"r{n}"
    make_corpus.write(project, n, articles)
    rounds = []
    for number in range(runs):
        print(f"N={n}: ratios, round {number + 1}…", flush=True)
        rounds.append(ratio_round(project, tree))
        print(json.dumps({k: v for k, v in rounds[-1].items()}), flush=True)
    (BENCH / f"ratios-{n}.json").write_text(json.dumps(rounds, indent=1), encoding="utf-8")
    return ratio_table(rounds, n, commit)


def machine() -> str:
    """One line about this machine."""
    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory = int(Path("/proc/meminfo").read_text().split()[1]) / 1024 / 1024
    pandoc = subprocess.run(["pandoc", "--version"], capture_output=True, text=True,
                            check=False).stdout.split("\n")[0] if shutil.which("pandoc") else \
        "pandoc missing"
    return (f"{os.cpu_count()} cores ({cpu}), {memory:.0f} GiB, {platform.platform()}, "
            f"Python {platform.python_version()}, {pandoc}")


def table(rows: list[dict]) -> str:
    """The results as a Markdown table."""
    def s(value):
        return "—" if value is None else f"{value:.1f} s"

    lines = ["| N regulations (articles) | full build | peak memory | no change | "
             "one article: new process | one article: watcher, .docx + page | "
             "watcher, all | Word alone | pandoc | plain MkDocs |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(
            f"| {r['n']:,} ({r['articles']:,}) | {s(r['full_s'])} | "
            f"{r['full_peak_kib'] / 1024:.0f} MiB | {s(r['noop_s'])} | {s(r['edit_build_s'])} | "
            f"{s(r['watch_ready_s'])} | {s(r['watch_all_s'])} | {s(r['word_s'])} | "
            f"{s(r['pandoc_s'])} | {s(r['mkdocs_s'])} |")
    return "\n".join(lines)


def plot(rows: list[dict], target: Path) -> None:
    """Build time against N (full build, Word alone, pandoc, plain MkDocs)."""
    try:
        import matplotlib
    except ImportError:
        print("plot skipped: pip install matplotlib (make bench does)")
        return
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = [r["n"] for r in rows]
    figure, axes = plt.subplots(figsize=(7, 4.2), dpi=110)
    for key, label, style in (("full_s", "handbook build (text, Word, forms, site)", "o-"),
                              ("mkdocs_s", "plain mkdocs build, same pages", "s--"),
                              ("pandoc_s", "pandoc, one call per regulation", "^--"),
                              ("word_s", "handbook Word documents alone", "d-"),
                              ("edit_build_s", "one article edited, new process", "x:"),
                              ("watch_ready_s", "one article edited, watcher", "+:")):
        values = [r.get(key) for r in rows]
        if all(v is not None for v in values):
            axes.plot(sizes, values, style, label=label)
    axes.set_xlabel("regulations (30 articles each)")
    axes.set_ylabel("seconds")
    axes.set_title("Build time against corpus size (2 cores)")
    axes.grid(alpha=0.3)
    axes.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(target)
    print(f"wrote {target}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 300, 1000])
    parser.add_argument("--articles", type=int, default=30)
    parser.add_argument("--work", type=Path, default=Path("/tmp/handbook-bench"))
    parser.add_argument("--ratios", action="store_true",
                        help="only the ratio tables (ours ÷ anchor), one for each size")
    parser.add_argument("--runs", type=int, default=3, help="rounds of the ratio table")
    parser.add_argument("--base", default=None,
                        help="previous code for the ratios (default: merge base with main)")
    args = parser.parse_args()
    base = args.base or subprocess.run(["git", "merge-base", "HEAD", "main"], cwd=REPO,
                                       capture_output=True, text=True).stdout.strip() or "HEAD"
    args.work.mkdir(parents=True, exist_ok=True)
    if not args.ratios:
        rows = [measure(n, args.articles, args.work, pdf=n == min(args.sizes))
                for n in args.sizes]
        (BENCH / "results.json").write_text(json.dumps({"machine": machine(), "rows": rows},
                                                       indent=1), encoding="utf-8")
        replace_block("BENCH", f"<!-- BENCH:START -->\nMachine: {machine()}.\n\n"
                               f"{table(rows)}\n<!-- BENCH:END -->")
        plot(rows, BENCH / "build-time.png")
        print(table(rows))
    sizes = args.sizes if args.ratios else [min(args.sizes)]
    ratio = "\n\n".join(ratios(n, args.articles, args.work, args.runs, base) for n in sizes)
    replace_block("RATIOS", f"<!-- RATIOS:START -->\nMachine: {machine()}.\n\n{ratio}\n"
                            "<!-- RATIOS:END -->")
    print(ratio)


if __name__ == "__main__":
    main()
