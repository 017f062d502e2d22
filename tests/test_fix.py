"""Numbering typed by hand at the start of a text: warned about, and mended by
`handbook check --fix` (through the CLI runner, exact output)."""

from __future__ import annotations

import pytest
from conftest import run

from generator import zh

TYPED = [("第八条 本制度", "第八条 "), ("（一）写明", "（一）"),
         ("(2) 市外", "(2) "), ("一、总则", "一、"), ("1. 内容", "1. "), ("2、内容", "2、"),
         ("①市内", "①"), ("第十二条\u3000本制度", "第十二条\u3000")]
NOT_TYPED = ["1.5倍工资", "第一次出差", "12月底前", "本制度", "第八条", "一些规定", "（注）见附件",
             "3日内报销", "第二章的规定适用于分公司", "第五条所列费用", "第三条、第四条另行规定",
             "第二章没有 id。", "第3章总则"]


@pytest.mark.parametrize(("text", "typed"), TYPED)
def test_typed_numbering_is_found_with_its_blanks(text, typed):
    assert zh.typed_number(text) == typed


@pytest.mark.parametrize("text", NOT_TYPED)
def test_words_that_only_look_like_numbers_are_left(text):
    assert zh.typed_number(text) == ""


def _typed(project):
    rules = project / "regulations" / "rules.yaml"
    text = rules.read_text(encoding="utf-8")
    text = text.replace("text: 为规范业务管理", "text: 第一条 为规范业务管理")
    text = text.replace("          - 写明事由；", "          - （一）写明事由；")
    text = text.replace("text: 用车审批依照{条:car}执行，本制度目的见{条:purpose}。",
                        'text: "1. 用车审批依照{条:car}执行，本制度目的见{条:purpose}。"')
    rules.write_text(text, encoding="utf-8")
    return rules


def test_check_warns_where_numbering_is_typed(minimal):
    _typed(minimal)
    result = run("check", "--root", minimal)
    assert result.exit_code == 0
    hint = "(hint: numbers are computed and would show twice: delete it (`handbook check --fix` does))"
    assert result.stderr.splitlines() == [
        f"regulations/rules.yaml:22:15: warning: `第一条` typed at the start of the text {hint}",
        f"regulations/rules.yaml:30:13: warning: `（一）` typed at the start of the text {hint}",
        f"regulations/rules.yaml:36:15: warning: `1.` typed at the start of the text {hint}",
    ]
    assert run("check", "--strict", "--root", minimal).exit_code == 2


def test_check_fix_deletes_only_the_typed_numbering(minimal):
    original = (minimal / "regulations" / "rules.yaml").read_text(encoding="utf-8")
    rules = _typed(minimal)
    result = run("check", "--fix", "--root", minimal)
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "regulations/rules.yaml:22:15: removed `第一条`",
        "regulations/rules.yaml:30:13: removed `（一）`",
        "regulations/rules.yaml:36:15: removed `1.`",
        "OK: 1 regulations, 4 articles, 1 forms, 3 roles, 0 warnings",
    ]
    assert result.stderr == ""
    fixed = rules.read_text(encoding="utf-8")
    assert fixed == original.replace(
        "text: 用车审批依照{条:car}执行，本制度目的见{条:purpose}。",
        'text: "用车审批依照{条:car}执行，本制度目的见{条:purpose}。"')
    assert run("check", "--fix", "--root", minimal).stdout.splitlines() == [
        "OK: 1 regulations, 4 articles, 1 forms, 3 roles, 0 warnings"]
