"""Review cycles: next review dates across revisions and reviews, `handbook review`,
`check --strict` on overdue reviews, `revise --reviewed`."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import yaml
from conftest import run
from roster_project import add_revision, bundled_copy, edit

from generator import review
from generator.load import load_project
from generator.model import add_months


def _epoch(day: str) -> str:
    return str(int(dt.datetime.fromisoformat(day).replace(tzinfo=dt.UTC).timestamp()))


@pytest.fixture
def project(tmp_path):
    return bundled_copy(tmp_path / "p", roster=False, review_every="12 months")


def test_months_and_periods():
    assert add_months(dt.date(2025, 1, 31), 1) == dt.date(2025, 2, 28)
    assert add_months(dt.date(2024, 2, 29), 12) == dt.date(2025, 2, 28)
    assert add_months(dt.date(2025, 11, 30), 14) == dt.date(2027, 1, 30)
    assert [review.months(p) for p in ("12 months", "1 month", "2 years", "6个月", "1年", None)] \
        == [12, 1, 24, 6, 12, None]


def test_next_review_follows_the_last_substantive_revision_and_reviews(project):
    today = dt.date(2026, 12, 3)
    regulation = load_project(project, today=today).regulation("travel-expense")
    assert regulation.next_review == dt.date(2026, 1, 1)       # 1.0 of 2025-01-01 + 12 months
    add_revision(project, "travel-expense", "1.1", "2025-06-01")  # editorial: no new cycle
    assert load_project(project, today=today).regulation("travel-expense").next_review == \
        dt.date(2026, 1, 1)
    add_revision(project, "travel-expense", "2.0", "2025-09-01")  # substantive: a new cycle
    add_revision(project, "travel-expense", "2.1", "2026-02-01")
    regulation = load_project(project, today=today).regulation("travel-expense")
    assert regulation.last_substantive.version == "2.0"
    assert regulation.next_review == dt.date(2026, 9, 1)
    edit(project, "travel-expense",
         lambda d: d.update(reviews=[{"date": "2026-10-01", "summary": "复审，无修改。"}]))
    assert load_project(project, today=today).regulation("travel-expense").next_review == \
        dt.date(2027, 10, 1)
    edit(project, "travel-expense", lambda d: d.update(review_every="6 months"))
    assert load_project(project, today=today).regulation("travel-expense").next_review == \
        dt.date(2027, 4, 1)


def test_review_lists_overdue_and_due_soon_as_json(project, monkeypatch):
    add_revision(project, "travel-expense", "2.0", "2025-12-20")   # due 2026-12-20: in 17 days
    edit(project, "sales-red-lines", lambda d: d.update(owner="sales-manager"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", _epoch("2026-12-03"))
    result = run("review", "--json", "--root", project)
    assert result.exit_code == 0, result.output
    listed = {item["id"]: item for item in json.loads(result.stdout)["regulations"]}
    assert listed["travel-expense"]["state"] == "due"
    assert listed["travel-expense"]["days_left"] == 17
    assert listed["travel-expense"]["last_revision"] == {"version": "2.0", "date": "2025-12-20"}
    assert listed["sales-red-lines"]["state"] == "overdue"
    assert listed["sales-red-lines"]["owner_name"] == "业务部经理"
    assert all(item["state"] in ("overdue", "due") for item in listed.values())
    text = run("review", "--root", project)
    assert text.exit_code == 0 and "即将到期\t2026-12-20\ttravel-expense" in text.stdout


def test_check_strict_fails_on_overdue_reviews_only(project, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", _epoch("2025-12-01"))  # nothing overdue yet
    assert run("check", "--strict", "--root", project).exit_code == 0
    monkeypatch.setenv("SOURCE_DATE_EPOCH", _epoch("2026-01-02"))
    plain = run("check", "--root", project)
    assert plain.exit_code == 0
    assert "regulations/travel-expense.yaml: warning: review overdue since 2026-01-01" \
        in plain.stderr
    strict = run("check", "--strict", "--root", project)
    assert strict.exit_code == 2 and "(--strict)" in strict.stderr


def test_revise_reviewed_moves_the_date_and_keeps_the_version(project, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", _epoch("2026-12-03"))
    result = run("revise", "travel-expense", "--reviewed", "--summary", "复审，无修改",
                 "--root", project)
    assert result.exit_code == 0, result.output
    assert "next review 2027-12-03" in result.stdout
    data = yaml.safe_load((project / "regulations" / "travel-expense.yaml").read_text("utf-8"))
    assert data["version"] == "1.0" and len(data["revisions"]) == 1
    assert data["reviews"] == [{"date": dt.date(2026, 12, 3), "summary": "复审，无修改"}]
    listed = json.loads(run("review", "--json", "--root", project).stdout)["regulations"]
    assert "travel-expense" not in {item["id"] for item in listed}
    second = run("revise", "travel-expense", "--reviewed", "--summary", "再审",
                 "--root", project)
    assert second.exit_code == 0
    data = yaml.safe_load((project / "regulations" / "travel-expense.yaml").read_text("utf-8"))
    assert [r["summary"] for r in data["reviews"]] == ["复审，无修改", "再审"]


def test_unknown_owner_is_a_located_error(project):
    path = project / "regulations" / "travel-expense.yaml"
    path.write_text(path.read_text("utf-8").replace("approver:", "owner: sales-manger\napprover:"),
                    encoding="utf-8")
    result = run("check", "--root", project)
    assert result.exit_code == 2
    line = path.read_text("utf-8").splitlines().index("owner: sales-manger") + 1
    assert f"regulations/travel-expense.yaml:{line}:8: error: unknown role `sales-manger`" \
        in result.stderr
    assert "did you mean `sales-manager`?" in result.stderr


def test_bad_period_is_a_located_error(project):
    edit(project, "travel-expense", lambda d: d.update(review_every="yearly"))
    result = run("check", "--root", project)
    assert result.exit_code == 2 and "regulations/travel-expense.yaml:" in result.stderr
    assert "review_every" in result.stderr


def test_bundled_data_has_no_review_cycle(tmp_path):
    bundled = bundled_copy(tmp_path / "b", roster=False)
    result = run("review", "--root", bundled)
    assert result.exit_code == 0 and "没有逾期" in result.stdout
    assert run("check", "--strict", "--root", bundled).exit_code == 0
