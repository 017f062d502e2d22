"""The first sheet of an .xlsx file as rows of text, with the standard library only
(an HR export is one plain table: no formulas or formatting are needed)."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_PART_BYTES = 64 * 1024 * 1024
"""An unpacked sheet or string table larger than this is refused (a roster of 100,000
people takes about 20 MB)."""

_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_CELL = re.compile(r"^([A-Z]{1,3})(\d+)$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


class XlsxProblem(Exception):
    """The file is not a workbook that can be read."""


def read_rows(path: Path) -> list[tuple[int, list[tuple[int, str]]]]:
    """(row number, [(column number, text)]) of the first sheet's non-empty rows; whole
    numbers that look like dates in a 日期 column are left for the caller (see excel_date)."""
    if path.stat().st_size > MAX_FILE_BYTES:
        raise XlsxProblem(f"the workbook is larger than {MAX_FILE_BYTES // 2**20} MB")
    try:
        with zipfile.ZipFile(path) as package:
            strings = _shared_strings(package)
            sheet = _part(package, _first_sheet(package))
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError) as exc:
        raise XlsxProblem(f"not a readable .xlsx workbook ({exc})") from None
    rows = []
    for row in sheet.iterfind("m:sheetData/m:row", _NS):
        cells = []
        for cell in row.iterfind("m:c", _NS):
            match = _CELL.match(cell.get("r", ""))
            if match:
                cells.append((_column(match.group(1)), int(match.group(2)),
                              _text(cell, strings)))
        if cells and any(text.strip() for _, _, text in cells):
            number = cells[0][1]
            width = max(column for column, _, _ in cells)
            filled = dict((column, text) for column, _, text in cells)
            rows.append((number, [(c, filled.get(c, "")) for c in range(1, width + 1)]))
    return rows


def excel_date(text: str) -> str:
    """An Excel day number (45352) as YYYY-MM-DD; other text unchanged."""
    if re.fullmatch(r"\d{4,5}(\.0+)?", text):
        return (_EXCEL_EPOCH + dt.timedelta(days=int(float(text)))).isoformat()
    return text


def _part(package: zipfile.ZipFile, name: str) -> ElementTree.Element:
    if package.getinfo(name).file_size > MAX_PART_BYTES:
        raise XlsxProblem(f"`{name}` unpacks to more than {MAX_PART_BYTES // 2**20} MB")
    return ElementTree.fromstring(package.read(name))


def _first_sheet(package: zipfile.ZipFile) -> str:
    workbook = _part(package, "xl/workbook.xml")
    sheet = workbook.find("m:sheets/m:sheet", _NS)
    if sheet is None:
        raise XlsxProblem("the workbook has no sheet")
    relations = _part(package, "xl/_rels/workbook.xml.rels")
    for relation in relations:
        if relation.get("Id") == sheet.get(_REL):
            target = relation.get("Target", "").lstrip("/")
            return target if target.startswith("xl/") else f"xl/{target}"
    return "xl/worksheets/sheet1.xml"


def _shared_strings(package: zipfile.ZipFile) -> list[str]:
    if "xl/sharedStrings.xml" not in package.namelist():
        return []
    table = _part(package, "xl/sharedStrings.xml")
    return ["".join(t.text or "" for t in item.iterfind(".//m:t", _NS))
            for item in table.iterfind("m:si", _NS)]


def _text(cell: ElementTree.Element, strings: list[str]) -> str:
    kind = cell.get("t", "n")
    if kind == "inlineStr":
        return "".join(t.text or "" for t in cell.iterfind(".//m:t", _NS))
    value = cell.findtext("m:v", "", _NS)
    if kind == "s":
        index = int(value) if value.isdigit() else -1
        return strings[index] if 0 <= index < len(strings) else ""
    if kind == "n" and re.fullmatch(r"-?\d+\.0+", value):
        return value.split(".")[0]
    return value


def _column(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number
