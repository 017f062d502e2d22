"""`handbook publish`: the issuance notice in GB/T 9704 layout, measured on its PDF page."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from conftest import git, run, with_site_files
from docx.oxml.ns import qn

needs_office = pytest.mark.skipif(shutil.which("soffice") is None or
                                  shutil.which("pdftoppm") is None,
                                  reason="LibreOffice and poppler-utils turn Word into pages")
NEW_RULE = "业务员外出应登记去向，并保持通讯畅通。"


@pytest.fixture
def revised(minimal) -> Path:
    """The minimal project in git, then revised: one article inserted, version 2.0."""
    git(minimal, "init", "-q")
    git(minimal, "add", "-A")
    git(minimal, "commit", "-q", "-m", "v1.1")
    path = minimal / "regulations" / "rules.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "      - id: scope\n", f"      - id: out-of-office\n        text: {NEW_RULE}\n"
                              "      - id: scope\n", 1), encoding="utf-8")
    result = run("revise", "rules", "--summary", "增加外出登记规定", "--major", "--date",
                 "2026-02-20", "--effective", "2026-03-01", "--root", minimal)
    assert result.exit_code == 0, result.output
    return minimal


def _paragraphs(path: Path) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in docx.Document(path).paragraphs]


def test_notice_says_what_offices_write(revised, tmp_path, monkeypatch):
    monkeypatch.setattr("generator.render.pdf.soffice", lambda: None)  # Word only here
    out = tmp_path / "out"
    result = run("publish", "rules", "--root", revised, "--out", out)
    assert result.exit_code == 0, result.output
    folder = out / "publish" / "rules-2.0"
    assert result.stdout.splitlines() == [f"wrote {folder / name}" for name in (
        "rules-2.0-notice.docx", "rules-2.0.docx", "rules-2.0-changes.docx")]
    assert result.stderr.startswith("notice: PDF skipped: LibreOffice is not installed")
    assert _paragraphs(folder / "rules-2.0-notice.docx") == [
        ("发文机关标志", "测试建材有限公司文件"),
        ("发文字号", "CS-YW-ZD-001"),
        ("公文标题", "关于印发《业务管理制度》的通知"),
        ("主送机关", "各部门："),
        ("公文正文", "《业务管理制度》已经修订，经总经理批准，现将修订后的《业务管理制度》（第2.0版）"
                     "印发给你们，自2026年3月1日起施行，原第1.1版同时废止。"),
        ("公文正文", "本次修订的主要内容：增加外出登记规定。修订前后条文对照见附件2。"),
        ("公文正文", "请结合实际，认真遵照执行。"),
        ("附件说明", "附件：1．《业务管理制度》\n2．《业务管理制度》新旧条文对照表"),
        ("发文机关署名", "测试建材有限公司"),
        ("成文日期", "2026年2月20日"),  # the revision's date, not the day it was run
        ("版记", "测试建材业务部\t2026年2月20日印发")]
    changes = docx.Document(folder / "rules-2.0-changes.docx").tables[0]
    assert [row.cells[0].text for row in changes.rows] == ["序号", "1", "2", "其余条文序号相应顺延。"]


def test_company_keys_and_a_first_issue(minimal, tmp_path, monkeypatch):
    monkeypatch.setattr("generator.render.pdf.soffice", lambda: None)
    company = minimal / "regulations" / "company.yaml"
    company.write_text(company.read_text(encoding="utf-8")
                       + "issuer_mark: 测试建材文件\nnotice_recipients: 各部门、各分公司\n",
                       encoding="utf-8")
    path = minimal / "regulations" / "rules.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r'  - version: "1.0"\n.*\n.*\n', "", text), encoding="utf-8")
    out = tmp_path / "out"
    result = run("publish", "rules", "--number", "测试发〔2025〕1号", "--root", minimal,
                 "--out", out)
    assert result.exit_code == 0, result.output
    paragraphs = _paragraphs(out / "publish" / "rules-1.1" / "rules-1.1-notice.docx")
    assert paragraphs[:4] == [("发文机关标志", "测试建材文件"), ("发文字号", "测试发〔2025〕1号"),
                              ("公文标题", "关于印发《业务管理制度》的通知"),
                              ("主送机关", "各部门、各分公司：")]
    assert ("公文正文", "《业务管理制度》已经总经理批准，现予印发，自2025年1月1日起施行。") in paragraphs
    assert ("附件说明", "附件：《业务管理制度》") in paragraphs
    assert not (out / "publish" / "rules-1.1" / "rules-1.1-changes.docx").exists()


def test_publish_refuses_what_it_cannot_publish(minimal):
    result = run("publish", "vehicle-request", "--root", minimal)
    assert result.exit_code == 2 and result.stderr == (
        "Error: `vehicle-request` is a form: forms are published with the regulations that "
        "require them\n")
    assert run("publish", "nothing", "--root", minimal).stderr == "Error: no regulation `nothing`\n"


def _red(pixel: tuple[int, int, int]) -> bool:
    r, g, b = pixel
    return r > 170 and g < 90 and b < 90


@needs_office
def test_notice_page_has_a_red_header_and_rule(revised, tmp_path):
    out = tmp_path / "out"
    assert run("publish", "rules", "--root", revised, "--out", out).exit_code == 0
    pdf = out / "publish" / "rules-2.0" / "rules-2.0-notice.pdf"
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    lines = [re.sub(r"\s+", "", line) for line in text.splitlines() if line.strip()]
    assert lines[:4] == ["测试建材有限公司文件", "CS-YW-ZD-001", "关于印发《业务管理制度》的通知",
                         "各部门："]
    start = lines.index("附件：1．《业务管理制度》")
    assert lines[start:start + 5] == [
        "附件：1．《业务管理制度》", "2．《业务管理制度》新旧条文对照表", "测试建材有限公司",
        "2026年2月20日", "测试建材业务部2026年2月20日印发"]
    subprocess.run(["pdftoppm", "-r", "70", "-f", "1", "-l", "1", str(pdf),
                    str(tmp_path / "page")], check=True)
    image = next(tmp_path.glob("page*.ppm")).read_bytes()
    header, rest = image.split(b"\n", 1)
    size, rest = rest.split(b"\n", 1)
    width, height = (int(n) for n in size.split())
    pixels = rest.split(b"\n", 1)[1]
    red_rows = {}
    for y in range(height):
        row = pixels[y * width * 3:(y + 1) * width * 3]
        count = sum(1 for x in range(width) if _red(tuple(row[x * 3:x * 3 + 3])))
        if count:
            red_rows[y] = count
    assert red_rows, "no red on the notice's first page"
    mm = 25.4 / 70
    # the red 发文机关标志: 35 mm below the text block's top (37 mm margin) ± a few mm
    first = min(red_rows) * mm
    assert 60 < first < 85, first
    # the red rule: one or two pixel rows across the text block (156 mm wide), below the mark
    rule = [y for y, count in red_rows.items() if count * mm > 140]
    assert rule and min(rule) * mm > first + 20
    assert max(red_rows) * mm < 140  # nothing red further down the page


@needs_office
def test_site_revision_page_and_word_table_have_the_same_rows(revised, tmp_path, monkeypatch):
    git(revised, "commit", "-q", "-am", "v2.0")
    with_site_files(revised)
    out = tmp_path / "out"
    assert run("build", "site", "--root", revised, "--out", out).exit_code == 0
    page = (out / "site" / "generated" / "changes" / "rules-2.0" / "index.html").read_text(
        encoding="utf-8")
    table = page[page.index("<table>"):page.index("</table>")]
    site_rows = [re.sub(r"<[^>]+>", "", cell).strip()
                 for cell in re.findall(r"<tr[^>]*>\s*<td[^>]*>(.*?)</td>", table, re.S)]
    # only the .docx files are read: publish them with git but without LibreOffice on the
    # PATH, which writes the same .docx files and skips their PDFs (one LibreOffice run)
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "git").symlink_to(shutil.which("git"))
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    published = run("publish", "rules", "--root", revised, "--out", out)
    assert published.exit_code == 0, published.output
    assert "PDF skipped: LibreOffice is not installed" in published.stderr
    word = docx.Document(out / "publish" / "rules-2.0" / "rules-2.0-changes.docx").tables[0]
    word_rows = [row.cells[0].text for row in word.rows][1:]
    assert site_rows == word_rows == ["1", "2", "其余条文序号相应顺延。"]
    style = docx.Document(out / "publish" / "rules-2.0" / "rules-2.0-notice.docx").styles
    color = style["发文机关标志"].element.rPr.find(qn("w:color")).get(qn("w:val"))
    assert color.upper() == "E60012"
