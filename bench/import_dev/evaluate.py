"""Import every file of the development corpus and compare it with expected.json.

Prints pass/fail per file (with what differs) and the totals.
Run: .venv/bin/python bench/import_dev/evaluate.py [files-folder expected.json]
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from generator.errors import HandbookError  # noqa: E402
from generator.importer.convert import Options, import_file  # noqa: E402

HERE = Path(__file__).parent


def _articles(data: dict) -> list[dict]:
    found = list(data.get("articles", []))
    for chapter in data.get("chapters", []):
        found += chapter.get("articles", [])
        for section in chapter.get("sections", []):
            found += section.get("articles", [])
    return found


def _items(node) -> int:
    if isinstance(node, str):
        return 0
    return sum(1 + _items(i) for i in node.get("items", [])) + \
        sum(_items(p) for p in node.get("paragraphs", []) if isinstance(p, dict))


def _tables(node) -> int:
    if isinstance(node, dict):
        return ("table" in node) + sum(_tables(v) for k, v in node.items() if k != "table")
    if isinstance(node, list):
        return sum(_tables(v) for v in node)
    return 0


def _body_text(data: dict) -> str:
    body = {k: data.get(k) for k in ("preamble", "chapters", "articles")}
    return json.dumps(body, ensure_ascii=False)


def measure(data: dict, warnings: list[str]) -> dict:
    """What the imported regulation holds, in the terms of expected.json."""
    articles = _articles(data)
    return {
        "chapters": len(data.get("chapters", [])),
        "sections": sum(len(c.get("sections", [])) for c in data.get("chapters", [])),
        "articles": len(articles),
        "items": sum(_items(a) for a in articles),
        "tables": _tables({k: data.get(k) for k in ("chapters", "articles")}),
        "number": data.get("number"),
        "effective": str(data.get("effective")),
        "chapter_titles": [c.get("title") for c in data.get("chapters", [])],
        "article_titles": [a.get("title") for a in articles],
        "comments": sum(1 for w in warnings if "comment" in w),
    }


def check(path: Path, expected: dict) -> list[str]:
    """The differences between the imported file and what is expected ([] = pass)."""
    with tempfile.TemporaryDirectory() as tmp:
        try:
            results = import_file(path, Path(tmp), Options(out=Path(tmp) / "x.yaml"))
        except HandbookError as exc:
            return [f"import failed: {exc}"]
    data = yaml.safe_load(results[0].yaml_text)
    found = measure(data, results[0].warnings)
    problems = []
    for key, want in expected.items():
        if key in ("present", "absent"):
            continue
        if found.get(key) != want:
            problems.append(f"{key}: expected {want}, got {found.get(key)}")
    text = _body_text(data)
    problems += [f"missing text: {s}" for s in expected.get("present", []) if s not in text]
    problems += [f"furniture in the text: {s}" for s in expected.get("absent", []) if s in text]
    return problems


def main() -> int:
    """Evaluate every file; the exit code is the number of failing files."""
    files = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "files"
    expected = json.loads((Path(sys.argv[2]) if len(sys.argv) > 2 else
                           HERE / "expected.json").read_text(encoding="utf-8"))
    passed = 0
    checks = failed = 0
    for name, want in expected.items():
        problems = check(files / name, want)
        passed += not problems
        checks += sum(len(v) if k in ("present", "absent") else 1 for k, v in want.items())
        failed += len(problems) if not problems or not problems[0].startswith("import") \
            else sum(len(v) if k in ("present", "absent") else 1 for k, v in want.items())
        print(f"{'PASS' if not problems else 'FAIL'}  {name}")
        for problem in problems:
            print(f"      {problem}")
    print(f"\n{passed}/{len(expected)} files pass; {checks - failed}/{checks} checks")
    return len(expected) - passed


if __name__ == "__main__":
    sys.exit(main())
