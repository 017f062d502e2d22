"""Write a synthetic handbook project: N regulations × M articles, with roles, forms and
cross-references, for the build benchmark.

Run by hand: .venv/bin/python bench/make_corpus.py OUT [--regulations 1000] [--articles 30]

The article texts are sentences of the bundled regulations, so lengths and characters are
real; ids, titles and cross-references are made up. The same arguments always write the
same corpus (fixed random seed). The project's mkdocs.yml, site/ pages and templates/ are
copied beside regulations/, so OUT builds like the bundled project.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
from pathlib import Path

import yaml

from generator.load import load_project

REPO = Path(__file__).resolve().parent.parent
DEPARTMENTS = ("行政", "人事", "财务", "采购", "销售", "生产", "质量", "仓储", "技术", "安全",
               "信息", "法务", "审计", "客服", "物流", "设备", "研发", "市场", "培训", "后勤")
SUBJECTS = ("合同", "费用", "印章", "档案", "会议", "车辆", "考勤", "资产", "招聘", "绩效",
            "报销", "出差", "保密", "培训", "采购", "库存", "质量", "安全", "设备", "客户")
ARTICLES_PER_CHAPTER = 6


def bundled_sentences() -> list[str]:
    """Article texts of the bundled regulations, as plain text without references."""
    project = load_project(REPO)
    texts = []
    for regulation in project.regulations:
        for article in regulation.all_articles():
            text = article.first_text
            if 8 <= len(text) <= 200:
                texts.append(re.sub(r"[{}|《》]", "", text))
    return texts


def org(departments: int) -> dict:
    """Departments with a manager and two staff roles each, under one general manager."""
    data = {"departments": [{"id": "gm-office", "name": "总经理办公室"}],
            "roles": [{"id": "general-manager", "name": "总经理", "department": "gm-office",
                       "duties": ["主持公司全面工作。"]}]}
    for d in range(departments):
        name = DEPARTMENTS[d % len(DEPARTMENTS)] + ("部" if d < len(DEPARTMENTS) else f"{d}部")
        data["departments"].append({"id": f"dept-{d}", "name": name})
        data["roles"].append({"id": f"manager-{d}", "name": f"{name}经理",
                              "department": f"dept-{d}", "reports_to": "general-manager",
                              "duties": [f"负责{name}日常管理。", "审批本部门申请。"]})
        for s in range(2):
            data["roles"].append({"id": f"staff-{d}-{s}", "name": f"{name}专员{s + 1}",
                                  "department": f"dept-{d}", "reports_to": f"manager-{d}",
                                  "duties": ["执行本部门制度。", "填写本岗位表单。"]})
    return data


def regulation(index: int, articles: int, departments: int, forms: int,
               sentences: list[str], rng: random.Random) -> dict:
    """One regulation with chapters, items, references to roles, forms and other articles."""
    d = index % departments
    reg_id = f"reg-{index:04d}"
    subject = SUBJECTS[index % len(SUBJECTS)]
    form_id = f"form-{index % forms:04d}"
    body = []
    for a in range(articles):
        text = rng.choice(sentences)
        if a % 5 == 1:
            text += f"由{{岗位:staff-{d}-{a % 2}}}负责办理。"
        if a % 7 == 2:
            text += f"办理时填写{{表:{form_id}}}。"
        if a % 6 == 3 and a > 0:
            text += f"具体依照{{条:a{rng.randrange(a):03d}}}执行。"
        if a % 11 == 4 and index > 0:
            text += f"另见{{条:reg-{rng.randrange(index):04d}#a000}}。"
        article: dict = {"id": f"a{a:03d}", "text": text}
        if a % 4 == 0:
            article["items"] = [rng.choice(sentences)[:40].rstrip("。；;，, ") + "；"
                                for _ in range(3)]
        body.append(article)
    chapters = [{"title": f"第{c + 1}部分规定" if c else "总则",
                 "articles": body[c * ARTICLES_PER_CHAPTER:(c + 1) * ARTICLES_PER_CHAPTER]}
                for c in range((articles + ARTICLES_PER_CHAPTER - 1) // ARTICLES_PER_CHAPTER)]
    department = DEPARTMENTS[d % len(DEPARTMENTS)]
    return {
        "id": reg_id, "title": f"{department}{subject}管理制度（{index + 1}）",
        "number": f"BM-ZD{index // 999}-{index % 999 + 1:03d}", "category": f"{department}管理",
        "version": "1.0", "status": "active", "effective": "2026-01-01",
        "department": f"dept-{d}", "approver": "general-manager",
        "applies_to": [f"dept-{d}"],
        "revisions": [{"version": "1.0", "date": "2026-01-01", "summary": "首次发布。"}],
        "chapters": chapters,
        "processes": [{"id": "apply", "title": f"{subject}申请流程", "article": "a002",
                       "steps": [{"role": f"staff-{d}-0", "action": f"填写{subject}申请",
                                  "form": form_id,
                                  "approvers": [f"manager-{d}", "general-manager"]}]}],
    }


def form(index: int, regulations: int, forms: int) -> dict:
    """A requisition required by the first regulation that cites it."""
    subject = SUBJECTS[index % len(SUBJECTS)]
    return {"id": f"form-{index:04d}", "title": f"{subject}申请单{index + 1}",
            "kind": "requisition", "required_by": [f"reg-{index:04d}#a002"],
            "fields": [{"id": "applicant", "label": "申请人"},
                       {"id": "date", "label": "申请日期", "type": "date"},
                       {"id": "reason", "label": "事由", "type": "textarea"}]}


def write(out: Path, regulations: int, articles: int) -> None:
    """Write the corpus into out (replacing it)."""
    rng = random.Random(20261123)
    sentences = bundled_sentences()
    departments = min(20, max(2, regulations // 10))
    forms = max(1, regulations // 5)
    if out.exists():
        shutil.rmtree(out)
    data = out / "regulations"
    (data / "forms").mkdir(parents=True)

    def dump(path: Path, content: dict) -> None:
        path.write_text(yaml.safe_dump(content, allow_unicode=True, sort_keys=False),
                        encoding="utf-8")

    dump(data / "company.yaml", {"name": "基准测试有限公司", "short_name": "基准测试",
                                 "number_prefix": "BM"})
    dump(data / "org.yaml", org(departments))
    for i in range(regulations):
        dump(data / f"reg-{i:04d}.yaml",
             regulation(i, articles, departments, forms, sentences, rng))
    for i in range(forms):
        dump(data / "forms" / f"form-{i:04d}.yaml", form(i, regulations, forms))
    shutil.copy(REPO / "mkdocs.yml", out / "mkdocs.yml")
    shutil.copytree(REPO / "templates", out / "templates")
    shutil.copytree(REPO / "site", out / "site", ignore=shutil.ignore_patterns("generated"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--regulations", "-n", type=int, default=1000)
    parser.add_argument("--articles", "-m", type=int, default=30)
    args = parser.parse_args()
    write(args.out, args.regulations, args.articles)
    print(f"wrote {args.regulations} regulations × {args.articles} articles to {args.out}")


if __name__ == "__main__":
    main()
