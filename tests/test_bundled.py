"""The bundled regulations: clean under `check --strict`, and faithful to their seed texts."""

from __future__ import annotations

import csv
import os
import re
from functools import cache
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES, ROOT, run

from generator.cleanup import comparison_key, strip_pinyin, to_simplified
from generator.load import load_project
from generator.model import Regulation, plain

SEEDS = Path(os.environ.get("HANDBOOK_SEEDS", ROOT.parent / "shared" / "seeds"))
PROJECT = load_project(ROOT)
SEEDED = [r for r in PROJECT.regulations if r.source and "shared/seeds/" in r.source]


def test_bundled_data_is_clean():
    result = run("check", "--strict", "--root", ROOT)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""


needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(),
                                 reason=f"seed texts not found at {SEEDS} (set HANDBOOK_SEEDS)")


@cache
def cleaned_seed(name: str) -> str:
    """The seed as the fidelity test reads it: repairs applied, pinyin gone, simplified."""
    text = (SEEDS / name).read_text(encoding="utf-8")
    repairs = yaml.safe_load((FIXTURES / "seed_repairs.yaml").read_text(encoding="utf-8"))
    for repair in repairs.get(name, []):
        assert repair["seed"] in text, repair  # each repair is reviewed against its seed
        text = text.replace(repair["seed"], repair["fixed"])
    return comparison_key(to_simplified(strip_pinyin(text)))


def _texts(regulation: Regulation):
    """(where, text) for every piece of regulation text that must come from the seed."""
    yield from (("preamble", plain(t)) for t in regulation.preamble)
    yield from (("postscript", plain(t)) for t in regulation.postscript)
    for chapter in regulation.chapters:
        yield f"chapter {chapter.label}", chapter.title
        yield from ((f"chapter {chapter.label} intro", plain(t)) for t in chapter.intro)
        for section in chapter.sections:
            yield f"section {chapter.label}{section.label}", section.title
            yield from ((f"section {section.label} intro", plain(t)) for t in section.intro)
    for article in regulation.all_articles():
        if article.title:
            yield f"article {article.key} title", article.title
        for text in article.texts():
            if plain(text):
                yield f"article {article.key}", plain(text)
    for table in regulation.tables():
        for row in table.rows:
            for cell in row:
                # a summary cell may list several phrases of the seed: each must be there
                for phrase in re.split(r"[、；;，,]", cell):
                    if phrase.strip():
                        yield f"table {table.id}", phrase.strip()


def _seed_file(regulation: Regulation) -> str:
    match = re.search(r"shared/seeds/(\S+\.txt)", regulation.source or "")
    assert match, regulation.source
    return match.group(1)


@needs_seeds
@pytest.mark.parametrize("regulation", SEEDED, ids=[r.id for r in SEEDED])
def test_every_text_comes_from_the_seed(regulation):
    seed = cleaned_seed(_seed_file(regulation))
    missing = [(where, text) for where, text in _texts(regulation)
               if comparison_key(text) not in seed]
    assert missing == []


def test_all_bundled_regulations_name_their_seed():
    assert len(SEEDED) == len(PROJECT.regulations) >= 7


def test_real_company_name_is_not_bundled():
    for path in (ROOT / "regulations").rglob("*.yaml"):
        assert "家家装" not in path.read_text(encoding="utf-8"), path


def test_article_counts_match_the_table_checked_by_eye():
    with (FIXTURES / "bundled_articles.tsv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    expected = {row["id"]: (row["title"], int(row["articles"])) for row in rows}
    actual = {r.id: (r.title, r.article_count) for r in PROJECT.regulations}
    assert actual == expected


def test_every_role_has_duties_and_every_form_is_linked():
    assert all(role.duties for role in PROJECT.roles)
    used = {step.form for r in PROJECT.regulations for p in r.processes for step in p.steps}
    for form in PROJECT.forms:
        assert form.required_by or form.id in used or form.id in {
            "sales-item-request", "shipping-request"}, form.id
