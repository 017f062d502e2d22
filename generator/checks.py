"""Content rules that go beyond the file schema: weights, quoted form names, revisions.

Pure functions over values; :mod:`generator.load` calls them while it knows where
each value was written, so every finding carries a file:line:col.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

FORM_SUFFIXES = ("申请单", "审批单", "报销单", "处理单", "单", "表", "卡", "台账", "簿", "报告",
                 "记录", "纪要", "合同", "协议", "申请书", "报告单")
_QUOTED = re.compile(r"《([^《》]{1,40})》")


def weight_value(cell: str) -> Decimal | None:
    """Read a weight cell such as '60%', '60', '12.5 %' or '60％'; None if it is no number."""
    text = cell.strip().replace("％", "%").rstrip("%").strip()
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def weight_problem(cells: list[str]) -> str | None:
    """Explain why a weight column does not add up to 100, or return None when it does."""
    total = Decimal(0)
    for cell in cells:
        value = weight_value(cell)
        if value is None:
            return f"weight `{cell}` is not a percentage"
        total += value
    if total != 100:
        return f"weights add up to {total.normalize():f}%, not 100%"
    return None


def form_like_mentions(text: str) -> list[tuple[int, str]]:
    """Names quoted with 《》 that look like forms (…单, …表, …合同), with their offsets."""
    return [(m.start(), m.group(1)) for m in _QUOTED.finditer(text)
            if m.group(1).endswith(FORM_SUFFIXES)]


def version_key(version: str) -> tuple[int, ...]:
    """'1.10' → (1, 10), so versions compare as numbers."""
    return tuple(int(part) for part in version.split("."))
