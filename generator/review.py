"""Review cycles (复审): which regulations are overdue or due soon, from the model alone."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .model import Project, Regulation

DUE_SOON_DAYS = 30
"""A regulation whose review falls within this many days is listed as due."""

_PERIOD = re.compile(r"^(\d+) ?(months?|years?|个月|年)$")


def months(period: str | None) -> int | None:
    """`12 months` → 12, `2 years` / `2年` → 24, None → None (the schema checked the form)."""
    if not period:
        return None
    match = _PERIOD.match(period.strip())
    if not match:
        return None
    count = int(match.group(1))
    return count * 12 if match.group(2).startswith(("year", "年")) else count


@dataclass(frozen=True)
class Due:
    """A regulation's place in the review cycle on a given day."""

    regulation: Regulation
    owner: str
    last_revision: str
    last_reviewed: dt.date
    next_review: dt.date
    days_left: int

    @property
    def state(self) -> str:
        """`overdue`, `due` (within DUE_SOON_DAYS) or `ok`."""
        if self.days_left < 0:
            return "overdue"
        return "due" if self.days_left <= DUE_SOON_DAYS else "ok"

    @property
    def state_name(self) -> str:
        """The state in Chinese: 已逾期 / 即将到期 / 未到期."""
        return {"overdue": "已逾期", "due": "即将到期", "ok": "未到期"}[self.state]

    def as_dict(self) -> dict:
        """Plain data for --json (dates as YYYY-MM-DD)."""
        revision = self.regulation.last_substantive
        return {"id": self.regulation.id, "title": self.regulation.title,
                "number": self.regulation.number, "version": self.regulation.version,
                "owner": self.regulation.owner, "owner_name": self.owner,
                "last_revision": {"version": revision.version,
                                  "date": revision.date.isoformat()},
                "last_reviewed": self.last_reviewed.isoformat(),
                "next_review": self.next_review.isoformat(),
                "days_left": self.days_left, "state": self.state}


def schedule(project: Project, today: dt.date | None = None) -> list[Due]:
    """Every regulation in force with a review cycle, soonest review first, as of `today`
    (default: the model's day; never the clock)."""
    today = today or project.today or max((r.effective for r in project.regulations),
                                          default=dt.date.min)
    result = []
    for regulation in project.regulations:
        if regulation.status != "active" or regulation.next_review is None:
            continue
        owner = project.party_name(regulation.owner) if regulation.owner else \
            project.department_index[regulation.department].name
        revision = regulation.last_substantive
        result.append(Due(regulation, owner, f"{revision.version}（{revision.date}）",
                          regulation.last_reviewed, regulation.next_review,
                          (regulation.next_review - today).days))
    return sorted(result, key=lambda due: (due.next_review, due.regulation.id))


def attention(project: Project, today: dt.date | None = None) -> list[Due]:
    """The regulations overdue or due within DUE_SOON_DAYS."""
    return [due for due in schedule(project, today) if due.state != "ok"]


def overdue(project: Project, today: dt.date | None = None) -> list[Due]:
    """The regulations whose review date has passed."""
    return [due for due in schedule(project, today) if due.state == "overdue"]
