"""Helpers for the review, roster, sign-off and acknowledgement tests: a writable copy of
the bundled regulations with the sample roster of 60 invented people beside them."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

TESTS = Path(__file__).parent
ROOT = TESTS.parent
ROSTER = TESTS / "fixtures" / "roster" / "people.csv"


def bundled_copy(target: Path, roster: bool = True, review_every: str | None = None) -> Path:
    """The bundled regulations/ copied under target (with the sample roster, and with a
    company-wide review cycle when given); returns the project folder."""
    shutil.copytree(ROOT / "regulations", target / "regulations")
    if roster:
        shutil.copy(ROSTER, target / "regulations" / "people.csv")
    if review_every:
        company = target / "regulations" / "company.yaml"
        company.write_text(company.read_text(encoding="utf-8") +
                           f"review_every: {review_every}\n", encoding="utf-8")
    return target


def edit(project: Path, regulation_id: str, change) -> None:
    """Apply change(data) to a regulation's YAML (rewritten by the YAML emitter)."""
    path = project / "regulations" / f"{regulation_id}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                    encoding="utf-8")


def add_revision(project: Path, regulation_id: str, version: str, date: str,
                 summary: str = "修订。") -> None:
    """Record a revision by hand: a new entry, the version and the effective date."""
    def change(data):
        data["revisions"].append({"version": version, "date": date, "summary": summary})
        data["version"] = version
        data["effective"] = date
    edit(project, regulation_id, change)
