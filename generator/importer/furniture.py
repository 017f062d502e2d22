"""A document's furniture: what an office file carries around the regulation's text.

Before the text: the red header (`XX公司文件`), the 发文字号 (`远帆〔2026〕8号`), the
addressees (主送 `各部门、各分公司：`) and a 目录. After it: the issuing body and the
date, 抄送 / 印发 lines. Anywhere: page numbers typed into the body (`- 1 -`,
`第 1 页 共 3 页`) and table-of-contents lines (`第一章 总则……1`). These lines are
left out of the regulation (blanked, so line numbers stay right); what they say
becomes hints for its metadata: the number, the issuer, the signing date and the date
`自…起施行` names.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from .. import zh

_PUNCTUATION = re.compile(r"[。，,；;！？!?]")
_RED_HEADER = re.compile(r"^[\u4e00-\u9fff（）()A-Za-z]{2,30}(?:文件|文件通知|通知文件)$")
_DOC_NUMBER = re.compile(r"^(?P<prefix>[\u4e00-\u9fffA-Za-z]{0,12})[ 　]*[〔\[［【(（]"
                         r"(?P<year>\d{4})[〕\]］】)）][ 　]*第?[ 　]*(?P<seq>\d{1,4})[ 　]*号$")
_ADDRESSEES = re.compile(r"^(?!.*(?:如下|下列|以下|规定|通知))[^。；;！？!?，,]{2,40}[：:]$")
_CONTENTS = re.compile(r"^目[ 　\t]*录$")
_TOC_LINE = re.compile(r"^\S.{0,50}?(?:[.．·_]{4,}|…{2,}|\t)[ 　]*\d{1,3}[ 　]*$")
_PAGE = re.compile(r"^(?:[-—–－][ 　]*\d{1,4}[ 　]*[-—–－]|第[ 　]*\d{1,4}[ 　]*页"
                   r"(?:[ 　,，/／]*共[ 　]*\d{1,4}[ 　]*页)?|\d{1,4}[ 　]*/[ 　]*\d{1,4}"
                   r"|Page \d+(?: of \d+)?)$")
_CN_DIGIT = "〇一二三四五六七八九"
_DATE = re.compile(r"(?P<y>\d{4}|[〇零一二三四五六七八九]{4})[ 　]*年[ 　]*"
                   r"(?P<m>\d{1,2}|[一二三四五六七八九十]{1,3})[ 　]*月[ 　]*"
                   r"(?P<d>\d{1,2}|[一二三四五六七八九十]{1,3})[ 　]*日")
_DATE_LINE = re.compile(r"^(?P<body>[^。；;！？!?，,]{0,40}?)[ 　]*" + _DATE.pattern +
                        r"[ 　]*(?:印发|发布|签发|公布)?$")
_ISSUER = re.compile(r"^[\u4e00-\u9fff（）()]{2,30}(?:公司|集团|部|办公室|中心|委员会|小组|"
                     r"厂|处|科|局|院|所|会)(?:（章）|（盖章）)?$")
_TRAILER = re.compile(r"^(?:抄送|抄报|印发|主题词|关键词)[：:]|^[（(]此页无正文[）)]$"
                      r"|^[^。；;！？!?，,]{2,40}日[ 　]*印发$")
_ATTACHMENTS = re.compile(r"^附[ 　]*件[0-9一二三四五六七八九十]*[：:]?")
_LISTED = re.compile(r"^[^。；;！？!?]{1,40}$")
_EFFECTIVE = re.compile(r"(?:自|于|从)[ 　]*(?:" + _DATE.pattern +
                        r"|(?P<event>印发|发布|公布|签发|颁布|下发)之日)[ 　]*起[ 　]*"
                        r"(?:施行|执行|实施|实行|生效|试行)")
_OWNER = re.compile(r"由(?P<name>[\u4e00-\u9fff]{2,12}?)(?:负责解释|解释|归口管理|负责组织实施|"
                    r"负责实施|负责修订)")
_LABEL = re.compile(r"^[ 　]*(?:第[ 　]*[一二三四五六七八九十百\d]+[ 　]*[章节条]|"
                    r"[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[.．、 　])")


@dataclass
class Furniture:
    """What the furniture says, and which lines it was."""

    number: str = ""
    """The 发文字号 as written, e.g. 远帆〔2026〕8号."""
    number_parts: tuple[str, int, int] | None = None
    """(issuer prefix, year, sequence) of the 发文字号."""
    issuer: str = ""
    signed: dt.date | None = None
    addressees: str = ""
    dropped: list[str] = field(default_factory=list)


def parse_date(text: str) -> dt.date | None:
    """2026年2月1日 or 二〇二六年二月一日 as a date (None when it is not a real date)."""
    match = _DATE.search(text)
    if not match:
        return None
    try:
        year = match.group("y")
        year = int(year) if year.isdigit() else \
            int("".join(str(_CN_DIGIT.index(c.replace("零", "〇"))) for c in year))
        month, day = (int(v) if v.isdigit() else zh.from_chinese(v)
                      for v in (match.group("m"), match.group("d")))
        return dt.date(year, month, day)
    except ValueError:
        return None


def _blank(lines: list[str], index: int, found: Furniture) -> None:
    found.dropped.append(lines[index].strip())
    lines[index] = ""


def strip(lines: list[str]) -> tuple[list[str], Furniture]:
    """The lines with the furniture blanked, and what it said."""
    lines = list(lines)
    found = Furniture()
    first_label = next((i for i, line in enumerate(lines) if _LABEL.match(line)), len(lines))
    for index, line in enumerate(lines):
        text = line.strip()
        if not text:
            continue
        if _PAGE.match(text) or _TOC_LINE.match(text) or \
                (index < first_label and _CONTENTS.match(text)):
            _blank(lines, index, found)
    _strip_head(lines, first_label, found)
    _strip_tail(lines, found)
    return lines, found


def _strip_head(lines: list[str], first_label: int, found: Furniture) -> None:
    """Red header, 发文字号 and 主送 before the first numbered line."""
    seen_title = False
    for index in range(min(first_label, len(lines))):
        text = lines[index].strip()
        if not text:
            continue
        number = _DOC_NUMBER.match(text)
        if number and not found.number:
            found.number = text
            found.number_parts = (number.group("prefix"), int(number.group("year")),
                                  int(number.group("seq")))
            _blank(lines, index, found)
        elif not seen_title and _RED_HEADER.match(text):
            _blank(lines, index, found)
        elif seen_title and _ADDRESSEES.match(text) and not found.addressees and \
                ("各" in text or "、" in text or len(text) <= 16):
            found.addressees = text
            _blank(lines, index, found)
        else:
            seen_title = True


def _strip_tail(lines: list[str], found: Furniture) -> None:
    """Signature, date, 抄送 and 印发 lines after the last of the text."""
    index = len(lines) - 1
    while index >= 0:
        text = lines[index].strip()
        if not text:
            index -= 1
            continue
        date_line = _DATE_LINE.match(text)
        if _TRAILER.match(text):
            _blank(lines, index, found)
        elif date_line and parse_date(text) and (not date_line.group("body") or
                                                 _ISSUER.match(date_line.group("body"))):
            found.signed = found.signed or parse_date(text)
            if date_line.group("body"):
                found.issuer = found.issuer or date_line.group("body").strip()
            _blank(lines, index, found)
            before = index - 1
            while before >= 0 and not lines[before].strip():
                before -= 1
            if before >= 0 and _ISSUER.match(lines[before].strip()) and \
                    not _PUNCTUATION.search(lines[before]):
                found.issuer = found.issuer or lines[before].strip()
                _blank(lines, before, found)
                index = before
        else:
            _strip_attachments(lines, index, found)
            break
        index -= 1


def _strip_attachments(lines: list[str], last: int, found: Furniture) -> None:
    """A 附件 list ending at line `last`: `附件：1.入库单` and the names under it."""
    start = last
    seen = 0
    while start >= 0 and seen < 10:
        text = lines[start].strip()
        if text:
            if _ATTACHMENTS.match(text):
                for index in range(start, last + 1):
                    if lines[index].strip():
                        _blank(lines, index, found)
                return
            if not _LISTED.match(text) or _LABEL.match(text) and not re.match(
                    r"^[ 　]*\d{1,2}[.．、]", text):
                return
            seen += 1
        start -= 1

def effective(text: str, signed: dt.date | None) -> tuple[dt.date | None, str]:
    """The date `自…起施行` names (or the signing date for 自印发之日起), and the phrase."""
    match = _EFFECTIVE.search(text)
    if not match:
        return None, ""
    if match.group("event"):
        return signed, match.group()
    return parse_date(match.group()), match.group()


def document_number(found: Furniture, taken: set[str]) -> str | None:
    """A number the schema accepts made from the 发文字号: 远帆〔2026〕8号 → YF-2026-008."""
    if found.number_parts is None:
        return None
    prefix, year, sequence = found.number_parts
    from pypinyin import Style, lazy_pinyin

    letters = "".join(lazy_pinyin(prefix, style=Style.FIRST_LETTER)).upper()
    letters = re.sub(r"[^A-Z0-9]", "", letters)
    number = f"{letters if letters[:1].isalpha() else 'DR'}-{year}-{sequence:03d}"
    if sequence > 999 or number in taken:
        return None
    return number


def metadata_hints(found: Furniture, text: str, project, taken: set[str]
                   ) -> tuple[dict[str, object], list[str]]:
    """Metadata the furniture and the text give (each value with its `# 导入：` comment),
    and a note of what was left out."""
    hints: dict[str, object] = {}
    number = document_number(found, taken)
    if number:
        hints["number"] = (number, f"导入：原文发文字号 {found.number}")
    elif found.number:
        hints["number_note"] = f"导入：原文发文字号 {found.number}，请填写正式文号"
    date, phrase = effective(text, found.signed)
    if date:
        hints["effective"] = (date.isoformat(), f"导入：按原文“{phrase}”")
    elif found.signed:
        hints["effective"] = (found.signed.isoformat(), "导入：按落款日期，请核对")
    owner = _OWNER.search(text)
    for source, why in ((found.issuer, f"导入：按落款“{found.issuer}”"),
                        (owner.group("name") if owner else "",
                         f"导入：按原文“{owner.group() if owner else ''}”")):
        department = _department(project, source)
        if department:
            hints["department"] = (department, why)
            break
    notes = []
    if found.dropped:
        shown = "、".join(f"“{line[:24]}”" for line in found.dropped[:8])
        more = f" and {len(found.dropped) - 8} more" if len(found.dropped) > 8 else ""
        notes.append(f"left out as document furniture (red header, 文号, 主送, contents, page "
                     f"numbers, signature): {shown}{more}")
    return hints, notes


def _department(project, name: str) -> str | None:
    """The id of the project's department a name (or the end of one) means."""
    if project is None or not name:
        return None
    return next((d.id for d in project.departments
                 if d.name in name or any(a in name for a in d.aliases)), None)
