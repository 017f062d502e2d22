"""Filling a form: the values file to fill in, values checked by kind, required fields,
dates normalised and money in capitals (人民币大写)."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from decimal import Decimal

import pytest
from conftest import ROOT, run

from generator import zh_values
from generator.load import load_project

DATE_HINT = "write the date as 2026-03-01, 2026/3/1, 2026年3月1日 or 2026.3.1"


@pytest.mark.parametrize(("amount", "capitals"), [
    ("236.50", "人民币贰佰叁拾陆元伍角整"),
    ("1005.07", "人民币壹仟零伍元零柒分"),
    ("100000", "人民币壹拾万元整"),
    ("0", "人民币零元整"),
    ("0.07", "人民币柒分"),
    ("0.5", "人民币伍角整"),
    ("10", "人民币壹拾元整"),
    ("10.01", "人民币壹拾元零壹分"),
    ("1010", "人民币壹仟零壹拾元整"),
    ("10005", "人民币壹万零伍元整"),
    ("100100", "人民币壹拾万零壹佰元整"),
    ("1000001", "人民币壹佰万零壹元整"),
    ("100000005", "人民币壹亿零伍元整"),
    ("120000000", "人民币壹亿贰仟万元整"),
    ("45600.00", "人民币肆万伍仟陆佰元整"),
    ("¥1,200元", "人民币壹仟贰佰元整"),
])
def test_money_in_capitals(amount, capitals):
    assert zh_values.money_capitals(amount) == capitals


@pytest.mark.parametrize("amount", ["三百元", "-5", "1.005", "1e3x", "inf", "NaN"])
def test_what_is_not_an_amount_is_refused(amount):
    with pytest.raises(ValueError):
        zh_values.money_capitals(amount)


@pytest.mark.parametrize("written", ["2026-03-01", "2026/3/1", "2026年3月1日", "2026.3.1",
                                     "2026 年 3 月 1 日", "20260301", dt.date(2026, 3, 1)])
def test_dates_in_common_forms(written):
    assert zh_values.read_date(written) == dt.date(2026, 3, 1)


@pytest.mark.parametrize(("written", "message"), [
    ("2026-13-03", "`2026-13-03` is not a date: there is no 2026年13月3日"),
    ("2026-02-30", "`2026-02-30` is not a date: there is no 2026年2月30日"),
    ("明天上午", "`明天上午` is not a date"),
    ("3/1/2026", "`3/1/2026` is not a date"),
])
def test_what_is_not_a_date_is_refused(written, message):
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        zh_values.read_date(written)


def test_numbers_are_digits():
    assert zh_values.read_number("1,200") == "1200" and zh_values.read_number(3) == "3"
    for bad in ("三人", "约10", "3人", True):
        with pytest.raises(ValueError):
            zh_values.read_number(bad)
    assert zh_values.read_money(236.5) == Decimal("236.50")


def test_template_lists_every_field_with_kind_options_and_required(tmp_path):
    result = run("fill", "sales-contract", "--template", "--root", ROOT)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "# 销售合同（sales-contract）的填写值：handbook fill sales-contract 本文件"
    assert "# 签订日期 · type: date（日期，如 2026-03-01 或 2026年3月1日） · 必填" in lines
    assert "# 合同总价（小写） · type: money（金额（元），如 236.50；印出时附大写） · 必填" in lines
    assert "# 名称 · type: text（文字） · 选填 · 默认取公司信息 company.name" in lines
    assert "#   选项：含税含运费 / 含税不含运费 / 不含税含运费 / 不含税不含运费" in lines
    assert "#   列：产品名称, 规格型号, 单位, 数量（number）, 单价（money）, 金额（money）" in lines
    fields = [line[:-1] for line in lines if re.fullmatch(r"[a-z0-9-]+:", line)]
    form = load_project(ROOT).form_index["sales-contract"]
    assert fields == [f.name for f in form.all_fields()]
    assert fields[:3] == ["contract-no", "signing-date", "signing-place"]
    # written to a new file; an existing one is never overwritten
    target = tmp_path / "values.yaml"
    assert run("fill", "sales-contract", target, "--template", "--root", ROOT).stdout == (
        f"wrote {target}\n")
    assert target.read_text(encoding="utf-8") == result.stdout
    again = run("fill", "sales-contract", target, "--template", "--root", ROOT)
    assert again.exit_code == 2 and again.stderr == (
        f"Error: {target} exists: give a new file name, or delete it first\n")


def test_the_blank_template_reports_every_required_field(tmp_path):
    values = tmp_path / "blank.yaml"
    run("fill", "vehicle-request", values, "--template", "--root", ROOT)
    end = values.read_text(encoding="utf-8").count("\n") + 1
    result = run("fill", "vehicle-request", values, "--root", ROOT, "--out", tmp_path / "out")
    assert result.exit_code == 2
    missing = ["applicant` (用车人", "department` (用车部门", "passengers` (乘车人数",
               "purpose` (事由", "destination` (目的地", "departure-time` (出车时间",
               "expected-return-time` (预计返回时间", "application-date` (申请日期"]
    assert result.stderr.splitlines() == [
        f"{values}:{end}:1: error: required field `{name}) has no value (hint: add "
        f"`{name.split('`')[0]}: …`, or fill with --partial to complete it by hand)"
        for name in missing] + ["Error: Aborted with 8 errors"]
    assert not (tmp_path / "out").exists()


def test_bad_values_are_all_reported_with_their_place(tmp_path):
    values = tmp_path / "trip.yaml"
    values.write_text("applicant: 张三\ndepartment: 业务部\npassengers: 三人\npurpose: 拜访客户\n"
                      "destination: 临江\ndeparture-time: 2026/3/1 9:30\n"
                      "expected-return-time: 明天上午\napplication-date: 2026-13-03\n",
                      encoding="utf-8")
    result = run("fill", "vehicle-request", values, "--root", ROOT, "--out", tmp_path / "out")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"{values}:3:13: error: `passengers` (乘车人数): `三人` is not a number written in "
        "digits (hint: write the number in digits, e.g. 3)",
        f"{values}:7:23: error: `expected-return-time` (预计返回时间): `明天上午` is not a date "
        f"(hint: {DATE_HINT}, and a time as 09:30)",
        f"{values}:8:19: error: `application-date` (申请日期): `2026-13-03` is not a date: "
        f"there is no 2026年13月3日 (hint: {DATE_HINT})",
        "Error: Aborted with 3 errors"]


def test_bad_cells_of_a_table_are_reported(tmp_path):
    values = tmp_path / "order.yaml"
    values.write_text("products:\n  - [抛光砖, YS-6601, 片, 一千, 38.00, 45600.00]\n"
                      "  - {产品名称: 台面, 单价: 三十八元}\n", encoding="utf-8")
    result = run("fill", "sales-contract", values, "--partial", "--root", ROOT,
                 "--out", tmp_path / "out")
    assert result.stderr.splitlines() == [
        f"{values}:2:23: error: row 1 of `products`, 数量: `一千` is not a number written in "
        "digits (hint: write the number in digits, e.g. 3)",
        f"{values}:3:20: error: row 2 of `products`, 单价: `三十八元` is not an amount of money "
        "(hint: write the amount in yuan with at most two decimals, e.g. 236.50)",
        "Error: Aborted with 2 errors"]


def test_a_filled_form_prints_normalised_dates_and_money_in_capitals(tmp_path):
    values = tmp_path / "customer.yaml"
    values.write_text("contract-no: YS-XS-2026-001\nsigning-date: 2026/11/3\n"
                      "signing-place: 临江市\nbuyer-name: 临江市鸿达装饰工程有限公司\n"
                      "buyer-address: 临江市江南路1号\nbuyer-phone: 0571-8866 0000\n"
                      "total: 236.50\ntotal-in-words: 贰佰叁拾陆元伍角整\n"
                      "price-terms: 含税含运费\nseller-name:\n"
                      "products:\n  - [抛光砖, YS-6601, 片, 1200, 38, 45600]\n",
                      encoding="utf-8")
    out = tmp_path / "out"
    result = run("fill", "sales-contract", values, "--root", ROOT, "--out", out)
    assert result.exit_code == 0, result.output
    text = subprocess.run(["pdftotext", "-raw", str(out / "filled" / "sales-contract-customer.pdf"),
                           "-"], capture_output=True, text=True, check=True).stdout
    flat = re.sub(r"\s+", "", text)
    assert "236.50元（人民币贰佰叁拾陆元伍角整）" in flat
    assert "2026年11月3日" in flat and "2026/11/3" not in flat
    assert "45600.00" in flat and "38.00" in flat
    assert flat.count("临江云石建材有限公司") >= 2  # a blank line keeps the company's value
