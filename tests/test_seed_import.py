"""The importer on the real seed texts: every seed regulation's title and article count,
as checked by eye in tests/fixtures/seed_regulations.tsv."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

import pytest
from conftest import FIXTURES
from test_bundled import PROJECT, SEEDS, needs_seeds

from generator.importer import convert

pytestmark = needs_seeds
ROWS = list(csv.DictReader((FIXTURES / "seed_regulations.tsv").open(encoding="utf-8"),
                           delimiter="\t"))
KNOWN_MISSES: dict[tuple[str, int], str] = {}


@cache
def imported(seed: str) -> dict[int, convert.Imported]:
    """Import one seed file the way the bundled regulations were brought in."""
    options = convert.Options(split=True, simplify=True)
    return {r.first_line: r for r in convert.import_file(SEEDS / seed, Path("."), options)}


def _params():
    for row in ROWS:
        key = (row["seed"], int(row["first_line"]))
        marks = [pytest.mark.xfail(reason=KNOWN_MISSES[key], strict=True)] \
            if key in KNOWN_MISSES else []
        yield pytest.param(row, id=f"{row['seed'][:3]}-{row['first_line']}", marks=marks)


def test_table_covers_every_seed_regulation():
    found = {(seed, line) for seed in {r["seed"] for r in ROWS} for line in imported(seed)}
    listed = {(r["seed"], int(r["first_line"])) for r in ROWS}
    assert found == listed
    assert len(ROWS) >= 40


@pytest.mark.parametrize("row", list(_params()))
def test_importer_matches_the_count_checked_by_eye(row):
    result = imported(row["seed"])[int(row["first_line"])]
    assert (result.title, result.counts["articles"]) == (row["title"], int(row["articles"]))


def test_every_row_is_bundled_or_explained():
    bundled = {r.id for r in PROJECT.regulations}
    for row in ROWS:
        if row["bundled"] == "-":
            assert row["note"], row
        else:
            assert set(row["bundled"].split()) <= bundled, row
    named = {i for row in ROWS for i in row["bundled"].split() if i != "-"}
    assert named == bundled
