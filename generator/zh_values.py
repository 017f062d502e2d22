"""Values as Chinese offices write them: amounts in capitals (人民币大写), dates in their
common written forms, and numbers.

Every reader returns the value or raises ValueError with a message fit for the user.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from . import zh

CAPITAL_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_CAPITAL_UNITS = ("", "拾", "佰", "仟")
_CAPITAL_GROUPS = ("", "万", "亿", "万亿")
MAX_AMOUNT = Decimal("9999999999999999.99")


def _capital_integer(n: int) -> str:
    """A whole number of yuan in capitals (100000 → 壹拾万, 10005 → 壹万零伍)."""
    return zh.spell_number(n, CAPITAL_DIGITS, _CAPITAL_UNITS, _CAPITAL_GROUPS)


def money_capitals(amount: Decimal | int | float | str) -> str:
    """An amount in yuan as 人民币大写: 236.50 → 人民币贰佰叁拾陆元伍角整,
    1005.07 → 人民币壹仟零伍元零柒分, 100000 → 人民币壹拾万元整, 0 → 人民币零元整.

    Raises:
        ValueError: for a negative, too large or unreadable amount.
    """
    value = read_money(amount)
    cents = int((value * 100).to_integral_value(ROUND_HALF_UP))
    yuan, jiao, fen = cents // 100, cents // 10 % 10, cents % 10
    text = _capital_integer(yuan)
    if text:
        text += "元"
    if jiao:
        text += CAPITAL_DIGITS[jiao] + "角"
    elif fen and text:
        text += "零"
    if fen:
        text += CAPITAL_DIGITS[fen] + "分"
    else:
        text = (text or "零元") + "整"
    return "人民币" + text


def read_money(value: object) -> Decimal:
    """An amount of money written as 236.5, 236.50, ¥1,200 or 1200元, to the cent.

    Raises:
        ValueError: when it is not an amount, is negative or has more than two decimals.
    """
    text = str(value).strip().replace(",", "").replace("，", "")
    text = re.sub(r"^(?:人民币|¥|￥|RMB)\s*", "", text)
    text = re.sub(r"\s*元$", "", text)
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"`{value}` is not an amount of money") from None
    if not amount.is_finite() or amount < 0:
        raise ValueError(f"`{value}` is not an amount of money")
    if amount > MAX_AMOUNT:
        raise ValueError(f"`{value}` is too large an amount")
    if amount != amount.quantize(Decimal("0.01")):
        raise ValueError(f"`{value}` has more than two decimals (fen)")
    return amount.quantize(Decimal("0.01"))


def money_display(value: object) -> str:
    """An amount as printed on a filled form: 236.50元（人民币贰佰叁拾陆元伍角整）."""
    amount = read_money(value)
    return f"{amount:.2f}元（{money_capitals(amount)}）"


def read_number(value: object) -> str:
    """A number as written (3, 12.5, -2, 1,200); returned as typed, without separators.

    Raises:
        ValueError: when it is not written in digits (三人, 约10).
    """
    if isinstance(value, bool):
        raise ValueError(f"`{value}` is not a number")
    text = str(value).strip().replace(",", "")
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", text):
        raise ValueError(f"`{value}` is not a number written in digits")
    return text


_DATE_FORMS = (
    re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"),
    re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})"),
    re.compile(r"(\d{4})\.(\d{1,2})\.(\d{1,2})"),
    re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日"),
    re.compile(r"(\d{4})(\d{2})(\d{2})"),
)
_TIME = re.compile(r"(\d{1,2})(?::|：|时|点)(\d{1,2})?分?")


def read_date(value: object) -> dt.date:
    """A date in any common written form: 2026-03-01, 2026/3/1, 2026年3月1日, 2026.3.1,
    20260301 (a YAML date is taken as it is).

    Raises:
        ValueError: for anything else (2026-13-03, 明天上午), saying which forms are read.
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = re.sub(r"\s+", "", str(value))
    for form in _DATE_FORMS:
        match = form.fullmatch(text)
        if match:
            year, month, day = (int(part) for part in match.groups())
            try:
                return dt.date(year, month, day)
            except ValueError:
                raise ValueError(f"`{value}` is not a date: there is no "
                                 f"{year}年{month}月{day}日") from None
    raise ValueError(f"`{value}` is not a date")


DATE_HINT = "write the date as 2026-03-01, 2026/3/1, 2026年3月1日 or 2026.3.1"


def read_datetime(value: object) -> tuple[dt.date, str]:
    """A date with an optional time (2026-03-01 09:30, 2026年3月1日 9时30分): the date and
    the time as HH:MM ("" when none is given).

    Raises:
        ValueError: when the date or the time cannot be read.
    """
    if isinstance(value, dt.datetime):
        return value.date(), value.strftime("%H:%M")
    text = str(value).strip()
    if "日" in text.rstrip("日"):
        date_part, time_part = text.split("日", 1)
        date_part += "日"
    else:
        date_part, _, time_part = text.partition(" ")
    if not time_part.strip():
        return read_date(text), ""
    day = read_date(date_part)
    clock = _TIME.fullmatch(re.sub(r"\s+", "", time_part))
    if clock is None:
        raise ValueError(f"`{value}`: cannot read the time `{time_part.strip()}`")
    hour, minute = int(clock.group(1)), int(clock.group(2) or 0)
    if hour > 23 or minute > 59:
        raise ValueError(f"`{value}`: there is no time {hour}:{minute:02d}")
    return day, f"{hour:02d}:{minute:02d}"


def date_display(day: dt.date) -> str:
    """A date as Chinese documents print it: 2026年3月1日."""
    return f"{day.year}年{day.month}月{day.day}日"
