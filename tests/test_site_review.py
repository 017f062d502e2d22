"""The site's review cycle and reading lists: 下次复审 on each regulation page, the policy
office's review table outside the navigation, the regulations each role must read."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
from conftest import MINIMAL, run, with_site_files


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The minimal project with a 12-month review cycle, built on 2025-06-01 (once: the
    tests only read the site)."""
    work = tmp_path_factory.mktemp("review")
    project = with_site_files(Path(shutil.copytree(MINIMAL, work / "project")))
    company = project / "regulations" / "company.yaml"
    company.write_text(company.read_text("utf-8") + "review_every: 12 months\n", "utf-8")
    day = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", str(int(day.timestamp())))
        result = run("build", "site", "--root", project, "--out", work / "out")
    assert result.exit_code == 0, result.output
    return work / "out" / "site"


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_regulation_page_shows_the_next_review(site):
    page = _text((site / "generated" / "regulations" / "rules" / "index.html")
                 .read_text("utf-8"))
    # 1.1 (2025-01-01) is editorial: the cycle runs from 1.0 of 2024-01-01
    assert "下次复审：2025-01-01" in page


def test_review_page_is_built_but_not_in_the_navigation(site):
    review = site / "generated" / "review" / "index.html"
    text = _text(review.read_text("utf-8"))
    assert "制度复审计划" in text and "状态按网站构建当日计算" in text
    assert "已逾期 2025-01-01 业务管理制度 YW-ZD-001" in text
    for page in site.rglob("*.html"):
        if page != review:
            assert "generated/review/" not in page.read_text("utf-8"), page


def test_role_page_lists_what_the_role_must_read(site):
    page = _text((site / "generated" / "roles" / "salesperson" / "index.html")
                 .read_text("utf-8"))
    assert "须阅读的制度 &para; 业务管理制度 YW-ZD-001 版本 1.1（2025-01-01 起施行）" in page
    manager = _text((site / "generated" / "roles" / "general-manager" / "index.html")
                    .read_text("utf-8"))
    assert "须阅读的制度 &para; （无）" in manager


def test_bundled_role_page_reading_list(bundled_build):
    page = _text((bundled_build / "site" / "generated" / "roles" / "merchandiser" /
                  "index.html").read_text("utf-8"))
    reading = page[page.index("须阅读的制度 &para;"):page.index("涉及本岗位的条文 &para;")]
    assert "业务部差旅费用管理制度 YW-ZD-003 版本 1.0" in reading   # applies to 业务部
    assert "公司商务部日常管理制度" not in reading                # 商务部 only
