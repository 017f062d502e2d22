"""How well the site search answers employees' questions: bench/search_dev/questions.yaml.

    .venv/bin/python bench/search_dev/evaluate.py                 # dev set, both engines
    .venv/bin/python bench/search_dev/evaluate.py --reuse         # reuse the last build
    .venv/bin/python bench/search_dev/evaluate.py --set held-out  # the held-out set

Builds the site as the product does (`handbook build site` on a copy of the project in
--work), so the index is the one the site ships; then runs each question through the real
JavaScript of each engine in Node.js (rank.js) and reports, per kind of question, top-1,
top-5 and MRR at article level (an article, a section with its own text, a role page or a
form page), the share of nonsense questions that find nothing, and the failures.

Engines: `handbook` (site/assets/handbook-search.js on generated/search/index.json),
`material` (Material for MkDocs' own search plugin, lunr with jieba segmentation, on the
same generated pages, with the worker script Material ships) and `pagefind` (Pagefind's
extended build on the same built site, run in Chromium: see pagefind_engine.py).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
QUESTIONS = HERE / "questions.yaml"
KINDS = ("own-words", "near-wording", "role", "form")
UNLABELLED = "unlabelled"  # a file without kinds: tests/fixtures/search_questions.yaml
HELD_OUT_SHARE = 3  # in ten: the questions whose text hashes to 0, 1 or 2 are held out
TOP = 10
MATERIAL_CONFIG = "mkdocs-material-search.yml"


@dataclass
class Question:
    """One question with what answers it."""

    q: str
    kind: str
    expect: list[str]

    @property
    def held_out(self) -> bool:
        """Whether this question belongs to the held-out set (decided by its text's hash)."""
        digest = hashlib.sha1(self.q.encode("utf-8")).hexdigest()
        return int(digest[:8], 16) % 10 < HELD_OUT_SHARE


def load_questions(path: Path, which: str) -> list[Question]:
    """The questions of the chosen set: dev, held-out or all."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    questions = [Question(str(item["q"]), item.get("kind", UNLABELLED), list(item["expect"]))
                 for item in raw]
    for question in questions:
        if question.kind not in KINDS + ("nonsense", UNLABELLED):
            sys.exit(f"{path}: unknown kind {question.kind!r} for {question.q!r}")
    if which == "all":
        return questions
    return [q for q in questions if q.held_out == (which == "held-out")]


# ---------------------------------------------------------------- building


def build(work: Path, engines: list[str], reuse: bool) -> dict[str, Path]:
    """Build the site of a copy of the project in work; the index file (for pagefind: the
    site folder) of each engine."""
    project = work / "project"
    index = project / "build" / "site" / "generated" / "search" / "index.json"
    material = project / "material-site" / "search" / "search_index.json"
    if not (reuse and index.exists()):
        if project.exists():
            shutil.rmtree(project)
        project.mkdir(parents=True)
        for name in ("regulations", "templates", "mkdocs.yml"):
            copy = shutil.copytree if (ROOT / name).is_dir() else shutil.copy
            copy(ROOT / name, project / name)
        shutil.copytree(ROOT / "site", project / "site", ignore=shutil.ignore_patterns("generated"))
        _run([ROOT / ".venv" / "bin" / "handbook", "build", "site", "--root", project,
              "--out", project / "build", "--quiet"])
    if "material" in engines and not (reuse and material.exists()):
        _material_site(project)
    found = {"handbook": index, "material": material}
    if "pagefind" in engines:
        import pagefind_engine

        found["pagefind"] = pagefind_engine.build(project / "build" / "site", work)
    return found


def remake_index(index: Path) -> None:
    """Write our index again from the project's current files, as the site build does."""
    from generator.load import load_project
    from generator.render import search_shards

    search_shards.write(load_project(ROOT), index.parent)


def _material_site(project: Path) -> None:
    """Material's own search over the generated pages: mkdocs.yml with the search plugin."""
    config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    config.update(plugins=["search"], site_dir="material-site", strict=False,
                  docs_dir="build/.cache/site-docs")  # the docs folder the build wrote
    for extension in config["markdown_extensions"]:
        if isinstance(extension, dict) and "pymdownx.snippets" in extension:
            extension["pymdownx.snippets"]["base_path"] = [config["docs_dir"]]
    config.pop("extra_javascript", None)
    (project / MATERIAL_CONFIG).write_text(yaml.safe_dump(config, allow_unicode=True),
                                           encoding="utf-8")
    _run([ROOT / ".venv" / "bin" / "mkdocs", "build", "-q", "-f", MATERIAL_CONFIG], cwd=project)


def _run(command: list, cwd: Path | None = None) -> str:
    done = subprocess.run([str(part) for part in command], capture_output=True, text=True,
                          cwd=cwd)  # Markdown snippets are found from the project folder
    if done.returncode != 0:
        sys.exit(f"{' '.join(map(str, command))} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def material_assets() -> tuple[Path, Path]:
    """The search worker script and the lunr folder of the installed mkdocs-material."""
    import material

    assets = Path(material.__file__).parent / "templates" / "assets" / "javascripts"
    return next((assets / "workers").glob("search.*.min.js")), assets / "lunr"


# ---------------------------------------------------------------- ranking


def rank(engine: str, index: Path, script: Path, queries: list[str]) -> list[list[str]]:
    """Result URLs per query, as the engine's own JavaScript orders them (run in Node)."""
    if engine == "pagefind":
        import pagefind_engine

        return pagefind_engine.rank(index, queries)[0]
    if engine == "handbook":
        args = [index, script]
    else:
        worker, lunr = material_assets()
        args = [index, worker, lunr]
    done = subprocess.run(["node", str(HERE / "rank.js"), engine, *map(str, args)],
                          input=json.dumps(queries), capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"rank.js {engine} failed:\n{done.stderr}")
    return json.loads(done.stdout)


def target(url: str) -> str:
    """A result URL as questions.yaml names what answers: reg#anchor, roles/x, forms/x."""
    url = url.removeprefix("generated/")
    match = re.fullmatch(r"regulations/([^/]+)/#(.+)", url)
    if match:
        return f"{match[1]}#{match[2]}"
    match = re.fullmatch(r"(roles|forms)/([^/]+)/(#.*)?", url)
    if match:
        return f"{match[1]}/{match[2]}"
    return url


def targets(urls: list[str]) -> list[str]:
    """Distinct targets in the order shown (a form page and its preview are one target);
    a regulation's page is left out: Material shows it as the heading of its sections."""
    seen: list[str] = []
    for url in urls:
        name = target(url)
        if re.fullmatch(r"regulations/[^/#]+/", name):
            continue
        if name not in seen:
            seen.append(name)
    return seen[:TOP]


# ---------------------------------------------------------------- scoring


def first_rank(found: list[str], expect: list[str]) -> int | None:
    """1-based rank of the first answering target, None when none is in the list."""
    for position, name in enumerate(found, 1):
        if name in expect:
            return position
    return None


def index_docs(index: Path) -> list[list[str]]:
    """The shown rows of the handbook index: a whole index, or one in parts (the site's)."""
    whole = json.loads(index.read_text(encoding="utf-8"))
    if "parts" not in whole:
        return whole["docs"]
    files = sorted(index.parent.glob("docs/*.json"), key=lambda path: int(path.stem))
    return [row for path in files for row in json.loads(path.read_text(encoding="utf-8"))["docs"]]


def known_targets(index: Path) -> set[str]:
    """Every target the handbook index can return (to check the labels of questions.yaml)."""
    docs = index_docs(index)
    return {target(doc[0]) for doc in docs}


def shares_no_words(question: Question, texts: dict[str, str]) -> bool:
    """Whether no two-character sequence of the question appears in what answers it."""
    pairs = {question.q[i:i + 2] for i in range(len(question.q) - 1)}
    text = " ".join(texts.get(name, "") for name in question.expect)
    return not any(pair in text for pair in pairs)


def article_texts(index: Path) -> dict[str, str]:
    """Title, context and (start of the) text of each target in the handbook index."""
    docs = index_docs(index)
    return {target(doc[0]): " ".join(doc[1:]) for doc in docs}


def summary(ranks: list[int | None]) -> dict[str, float]:
    """top-1, top-5 and MRR of answerable questions, from the rank of each one's answer."""
    n = len(ranks)
    if not n:
        return {"n": 0, "top1": 0.0, "top5": 0.0, "mrr": 0.0}
    return {"n": n,
            "top1": sum(1 for r in ranks if r == 1) / n,
            "top5": sum(1 for r in ranks if r and r <= 5) / n,
            "mrr": sum(1 / r for r in ranks if r) / n}


def groups(questions: list[Question], texts: dict[str, str]) -> dict[str, list[int]]:
    """Question numbers by reporting group: each kind, all answerable, no shared words."""
    found = {kind: [i for i, q in enumerate(questions) if q.kind == kind]
             for kind in KINDS + (UNLABELLED,)}
    found = {kind: members for kind, members in found.items() if members}
    answerable = [i for i, q in enumerate(questions) if q.kind != "nonsense"]
    found["all answerable"] = answerable
    found["shares no words with its answer"] = [
        i for i in answerable if shares_no_words(questions[i], texts)]
    return found


# ---------------------------------------------------------------- report


def evaluate(questions: list[Question], results: dict[str, list[list[str]]],
             texts: dict[str, str]) -> str:
    """The Markdown table of figures per group and engine, and the nonsense rejections."""
    engines = list(results)
    head = "| questions | n | " + " | ".join(f"{e} top-1 | {e} top-5 | {e} MRR"
                                             for e in engines) + " |"
    lines = [head, "|---|---:|" + "---:|" * (3 * len(engines))]
    ranks = {e: [first_rank(found, q.expect)
                 for q, found in zip(questions, results[e], strict=True)] for e in engines}
    for name, members in groups(questions, texts).items():
        cells = []
        for engine in engines:
            s = summary([ranks[engine][i] for i in members])
            cells.append(f"{s['top1']:.0%} | {s['top5']:.0%} | {s['mrr']:.2f}")
        lines.append(f"| {name} | {len(members)} | " + " | ".join(cells) + " |")
    nonsense = [i for i, q in enumerate(questions) if q.kind == "nonsense"]
    for engine in engines:
        rejected = sum(1 for i in nonsense if not results[engine][i])
        lines.append(f"\n{engine}: nonsense questions that find nothing: "
                     f"{rejected}/{len(nonsense)}")
    return "\n".join(lines)


def failures(questions: list[Question], found: list[list[str]]) -> str:
    """Answerable questions whose answer is not in the top five, with what came first."""
    lines = []
    for question, shown in zip(questions, found, strict=True):
        if question.kind == "nonsense":
            if shown:
                lines.append(f"  [nonsense] {question.q} → {', '.join(shown[:3])}")
            continue
        position = first_rank(shown, question.expect)
        if position is None or position > 5:
            where = f"rank {position}" if position else "not in top 10"
            lines.append(f"  [{question.kind}] {question.q} ({where}; want "
                         f"{', '.join(question.expect)}) → {', '.join(shown[:3])}")
    return "\n".join(lines)


def misses(questions: list[Question], found: list[list[str]]) -> str:
    """Answerable questions whose answer is not first: where it is and what came first."""
    lines = []
    for question, shown in zip(questions, found, strict=True):
        if question.kind == "nonsense":
            continue
        position = first_rank(shown, question.expect)
        if position != 1:
            where = f"rank {position}" if position else "not in top 10"
            lines.append(f"  [{question.kind}] {question.q} ({where}; want "
                         f"{', '.join(question.expect)}) → {shown[0] if shown else 'nothing'}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    """Build, rank every question with each engine, print the figures and failures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=("dev", "held-out", "all"), default="dev")
    parser.add_argument("--engines", nargs="+", choices=("handbook", "material", "pagefind"),
                        default=["handbook", "material"])
    parser.add_argument("--reuse", action="store_true",
                        help="reuse the site built by the last run in --work")
    parser.add_argument("--index-only", action="store_true",
                        help="with --reuse: make our index again from the project (the "
                             "function the site build calls), not the whole site")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "search-dev")
    parser.add_argument("--questions", type=Path, default=QUESTIONS)
    parser.add_argument("--index", type=Path, help="the handbook index to use instead")
    parser.add_argument("--script", type=Path, default=ROOT / "site" / "assets" /
                        "handbook-search.js", help="the handbook search script to run")
    parser.add_argument("--failures", choices=("handbook", "material", "pagefind", "none"),
                        default="handbook", help="whose failures to list")
    parser.add_argument("--misses", action="store_true",
                        help="also list the questions whose answer is not first, with the "
                             "first result")
    args = parser.parse_args(argv)
    questions = load_questions(args.questions, args.set)
    indexes = build(args.work, args.engines, args.reuse or args.index_only)
    if args.index_only:
        remake_index(indexes["handbook"])
    if args.index:
        indexes["handbook"] = args.index
    known = known_targets(indexes["handbook"])
    unknown = sorted({name for q in questions for name in q.expect} - known)
    if unknown:
        sys.exit(f"{args.questions}: answers the site does not have: {', '.join(unknown)}")
    texts = article_texts(indexes["handbook"])
    queries = [q.q for q in questions]
    results = {engine: [targets(urls) for urls in
                        rank(engine, indexes[engine], args.script, queries)]
               for engine in args.engines}
    print(f"{args.set} set: {len(questions)} questions\n")
    print(evaluate(questions, results, texts))
    if args.failures in results:
        print(f"\n{args.failures} failures (answer not in the top five):")
        print(failures(questions, results[args.failures]) or "  none")
        if args.misses:
            print(f"\n{args.failures} top-1 misses (answer not first):")
            print(misses(questions, results[args.failures]) or "  none")


if __name__ == "__main__":
    main()
