"""The resolved model: computed numbering, references that follow moves, derived approvals."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import yaml

from generator.load import load_project
from generator.model import Reference, plain


def _edit(project: Path, name: str, change) -> None:
    path = project / "regulations" / name
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_articles_are_numbered_across_chapters(minimal):
    regulation = load_project(minimal).regulation("rules")
    labels = [(a.key, a.label) for a in regulation.all_articles()]
    assert labels == [("purpose", "第一条"), ("scope", "第二条"), ("car", "第三条"),
                      ("see-also", "第四条")]
    assert [c.label for c in regulation.chapters] == ["第一章", "第二章"]
    assert [a.citation for a in regulation.all_articles()] == \
        ["第一条", "第二条", "第三条", "第四条"]


def test_items_and_sub_items_get_labels(minimal):
    car = load_project(minimal).regulation("rules").article_index["car"]
    items = car.paragraphs[0].items
    assert [i.label for i in items] == ["（一）", "（二）"]
    assert [i.label for i in items[1].items] == ["1.", "2."]


def test_references_render_names_and_numbers(minimal):
    regulation = load_project(minimal).regulation("rules")
    car = regulation.article_index["car"]
    assert plain(car.paragraphs[0].text) == "因公用车须填写《派车申请单》，经部门经理审批。"
    references = [s for s in car.paragraphs[0].text if isinstance(s, Reference)]
    assert references == [Reference("form", "vehicle-request", "《派车申请单》"),
                          Reference("role", "sales-manager", "部门经理")]
    see_also = regulation.article_index["see-also"]
    assert plain(see_also.paragraphs[0].text) == "用车审批依照第三条执行，本制度目的见第一条。"


def test_references_follow_an_inserted_article(minimal):
    def insert(data):
        data["chapters"][0]["articles"].insert(0, {"text": "新增的第一条。"})
    _edit(minimal, "rules.yaml", insert)
    regulation = load_project(minimal).regulation("rules")
    see_also = regulation.article_index["see-also"]
    assert plain(see_also.paragraphs[0].text) == "用车审批依照第四条执行，本制度目的见第二条。"
    assert regulation.article_index["car"].label == "第四条"
    assert regulation.article_index["article-1"].has_stable_id is False


def test_references_follow_a_moved_article(minimal):
    def move(data):
        car = data["chapters"][1]["articles"].pop(0)
        data["chapters"][0]["articles"].insert(0, car)
    _edit(minimal, "rules.yaml", move)
    see_also = load_project(minimal).regulation("rules").article_index["see-also"]
    assert plain(see_also.paragraphs[0].text) == "用车审批依照第一条执行，本制度目的见第二条。"


def test_cross_regulation_reference(minimal):
    def add_reference(data):
        data["chapters"][0]["articles"][1]["text"] = "另见{条:rules#car}和{制度:rules}。"
    _edit(minimal, "rules.yaml", add_reference)
    scope = load_project(minimal).regulation("rules").article_index["scope"]
    assert plain(scope.paragraphs[0].text) == "另见第三条和《业务管理制度》。"


def test_outline_numbering(minimal):
    def outline(data):
        data["numbering"] = "outline"
    _edit(minimal, "rules.yaml", outline)
    regulation = load_project(minimal).regulation("rules")
    assert [c.label for c in regulation.chapters] == ["一、", "二、"]
    assert [a.label for a in regulation.all_articles()] == ["1.", "2.", "1.", "2."]
    assert [a.citation for a in regulation.all_articles()] == \
        ["第一部分第1点", "第一部分第2点", "第二部分第1点", "第二部分第2点"]
    car = regulation.article_index["car"]
    assert [i.label for i in car.paragraphs[0].items] == ["(1)", "(2)"]
    assert [i.label for i in car.paragraphs[0].items[1].items] == ["①", "②"]
    see_also = regulation.article_index["see-also"]
    assert plain(see_also.paragraphs[0].text) == \
        "用车审批依照第二部分第1点执行，本制度目的见第一部分第1点。"


def test_items_style_override(minimal):
    def style(data):
        data["chapters"][1]["articles"][0]["items_style"] = "1."
    _edit(minimal, "rules.yaml", style)
    car = load_project(minimal).regulation("rules").article_index["car"]
    assert [i.label for i in car.paragraphs[0].items] == ["1.", "2."]
    assert [i.label for i in car.paragraphs[0].items[1].items] == ["(1)", "(2)"]


def test_form_approval_comes_from_the_process(minimal):
    project = load_project(minimal)
    form = project.form_index["vehicle-request"]
    assert form.approval == ("sales-manager", "general-manager")
    assert form.approval_source == "rules#car-request"

    def new_approver(data):
        data["processes"][0]["steps"][0]["approvers"] = ["general-manager"]
    _edit(minimal, "rules.yaml", new_approver)
    assert load_project(minimal).form_index["vehicle-request"].approval == ("general-manager",)


def test_explicit_form_approval_wins(minimal):
    def explicit(data):
        data["approval"] = ["salesperson"]
    _edit(minimal, "forms/vehicle-request.yaml", explicit)
    form = load_project(minimal).form_index["vehicle-request"]
    assert (form.approval, form.approval_source) == (("salesperson",), "explicit")


def test_model_is_immutable(minimal):
    project = load_project(minimal)
    regulation = project.regulation("rules")
    with pytest.raises(dataclasses.FrozenInstanceError):
        regulation.title = "x"
    assert isinstance(regulation.chapters, tuple)
    assert isinstance(regulation.chapters[0].articles, tuple)


def test_org_chart_is_derived(minimal):
    chart = load_project(minimal).org_chart()
    assert [r.id for r in chart[None]] == ["general-manager"]
    assert [r.id for r in chart["sales-manager"]] == ["salesperson"]


def test_weight_table_is_kept(minimal):
    table = next(load_project(minimal).regulation("rules").tables())
    assert table.id == "weights"
    assert [c.type for c in table.columns] == ["text", "weight"]
    assert table.rows[0] == ("业绩", "60%")


def test_required_by_is_derived_from_references(minimal):
    def drop(data):
        del data["required_by"]
    _edit(minimal, "forms/vehicle-request.yaml", drop)
    assert load_project(minimal).form_index["vehicle-request"].required_by == ("rules#car",)
