"""Chinese numerals and numbering labels."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator import zh

CASES = [
    (1, "一"), (2, "二"), (9, "九"), (10, "十"), (11, "十一"), (12, "十二"), (19, "十九"),
    (20, "二十"), (21, "二十一"), (30, "三十"), (99, "九十九"), (100, "一百"), (101, "一百零一"),
    (105, "一百零五"), (110, "一百一十"), (111, "一百一十一"), (119, "一百一十九"),
    (120, "一百二十"), (200, "二百"), (999, "九百九十九"), (1000, "一千"), (1001, "一千零一"),
    (1010, "一千零一十"), (1011, "一千零一十一"), (1100, "一千一百"), (1101, "一千一百零一"),
    (2024, "二千零二十四"), (9999, "九千九百九十九"), (10000, "一万"), (10001, "一万零一"),
    (10010, "一万零一十"), (10100, "一万零一百"), (11000, "一万一千"), (100000, "十万"),
    (110000, "十一万"), (1000000, "一百万"), (1001000, "一百万一千"),
    (100001000, "一亿零一千"), (0, "零"),
]


@pytest.mark.parametrize(("number", "text"), CASES)
def test_to_chinese(number, text):
    assert zh.to_chinese(number) == text


@pytest.mark.parametrize(("number", "text"), CASES)
def test_from_chinese(number, text):
    assert zh.from_chinese(text) == number


def test_from_chinese_variants():
    assert zh.from_chinese("两千") == 2000
    assert zh.from_chinese("二〇二五") == 2025
    assert zh.from_chinese("一十一") == 11
    with pytest.raises(ValueError):
        zh.from_chinese("十a")
    with pytest.raises(ValueError):
        zh.from_chinese("")


def test_rejects_bad_numbers():
    with pytest.raises(ValueError):
        zh.to_chinese(-1)
    with pytest.raises(TypeError):
        zh.to_chinese(True)


@pytest.mark.parametrize(("function", "number", "label"), [
    (zh.article_label, 1, "第一条"), (zh.article_label, 11, "第十一条"),
    (zh.article_label, 20, "第二十条"), (zh.article_label, 101, "第一百零一条"),
    (zh.article_label, 110, "第一百一十条"), (zh.chapter_label, 3, "第三章"),
    (zh.chapter_label, 12, "第十二章"), (zh.section_label, 2, "第二节"),
])
def test_labels(function, number, label):
    assert function(number) == label


@pytest.mark.parametrize(("style", "number", "label"), [
    ("（一）", 1, "（一）"), ("（一）", 11, "（十一）"), ("一、", 20, "二十、"),
    ("1.", 3, "3."), ("1、", 12, "12、"), ("(1)", 7, "(7)"), ("（1）", 7, "（7）"),
    ("①", 3, "③"), ("①", 20, "⑳"), ("①", 21, "(21)"), ("A.", 2, "B."), ("A.", 27, "AA."),
    ("a.", 3, "c."),
])
def test_list_labels(style, number, label):
    assert zh.list_label(style, number) == label


def test_list_label_rejects_unknown_style_and_zero():
    with pytest.raises(ValueError):
        zh.list_label("I.", 1)
    with pytest.raises(ValueError):
        zh.list_label("1.", 0)


def test_next_style_walks_the_levels():
    assert zh.next_style("（一）") == "1."
    assert zh.next_style("1.") == "(1)"
    assert zh.next_style("(1)") == "①"
    assert zh.next_style("①") == "①"
    assert zh.next_style("一、", zh.OUTLINE_STYLE_LEVELS) == "（一）"


def test_parse_article_label():
    assert zh.parse_article_label("第一百零一条 本制度") == 101
    assert zh.parse_article_label("第二十条") == 20
    assert zh.parse_article_label("本制度") is None


@given(st.integers(min_value=1, max_value=99_999))
def test_round_trip(number):
    text = zh.to_chinese(number)
    assert zh.from_chinese(text) == number
    assert not text.startswith("一十")
    assert not text.endswith("零")
    assert "零零" not in text


@given(st.integers(min_value=1, max_value=10**12 - 1))
def test_round_trip_large(number):
    assert zh.from_chinese(zh.to_chinese(number)) == number


def test_round_trip_exhaustive_to_ten_thousand():
    seen = set()
    for number in range(1, 10_000):
        text = zh.to_chinese(number)
        assert zh.from_chinese(text) == number
        seen.add(text)
    assert len(seen) == 9_999


def test_outline_reference():
    assert zh.outline_reference(2, None, 3) == "第二部分第3点"
    assert zh.outline_reference(2, 1, 3) == "第二部分（一）第3点"
    assert zh.outline_reference(None, None, 12) == "第12点"


@pytest.mark.parametrize("text,marks,fixed", [
    ("职业道德,严格遵守", [(4, ",")], "职业道德，严格遵守"),
    ("如下: 经理;主管", [(2, ":"), (6, ";")], "如下：经理；主管"),
    ("可以吗?", [(3, "?")], "可以吗？"),
    ("见《制度》,“红线”", [], "见《制度》,“红线”"),  # after 》: not between characters
    ("时间9:30, 地点A,B", [], "时间9:30, 地点A,B"),
    ("http://例子", [], "http://例子"),
    ("部门,（一）", [(2, ",")], "部门，（一）"),
])
def test_half_width_marks_between_chinese_characters(text, marks, fixed):
    assert zh.half_width_marks(text) == marks
    assert zh.full_width_marks(text) == fixed
