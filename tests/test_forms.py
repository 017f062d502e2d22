"""Blank forms: Word files, fillable PDFs read back with pypdf, LibreOffice page counts, fill."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import docx
import pytest
import yaml
from conftest import ROOT, run
from pypdf import PdfReader, PdfWriter

from generator.load import load_project
from generator.render import form_layout
from generator.render.pdf import environment, uno_python

PROJECT = load_project(ROOT)
REQUIRED_TITLES = {
    "派车申请单", "业务员物品申请单", "请假申请单", "出差费用报销单", "客户回访报告", "客户回访记录表",
    "客户档案卡", "客户投诉处理单", "销售合同", "合同审批表", "月销售工作计划表", "月销售工作总结表",
    "员工绩效自评表", "上级评价表", "会议纪要", "印章使用登记表", "文件借阅登记表", "发货申请单",
}
MULTILINE_FLAG = 1 << 12
RADIO_FLAG = 1 << 15


@pytest.fixture(scope="module")
def built(bundled_build) -> Path:
    return bundled_build


def test_the_forms_a_company_needs_are_shipped():
    titles = {form.title for form in PROJECT.forms}
    assert titles >= REQUIRED_TITLES
    assert len(PROJECT.forms) >= 15


@pytest.mark.parametrize("form", PROJECT.forms, ids=[f.id for f in PROJECT.forms])
def test_pdf_fields_match_the_yaml(built, form):
    reader = PdfReader(built / "forms" / f"{form.id}.pdf")
    fields = reader.get_fields()
    expected = form_layout.field_kinds(PROJECT, form)
    assert set(fields) == set(expected)
    for name, kind in expected.items():
        field = fields[name]
        assert field["/FT"] == ("/Btn" if kind in ("checkbox", "choice") else "/Tx"), name
        if kind == "multiline":
            assert int(field.get("/Ff", 0)) & MULTILINE_FLAG, name
        if kind == "choice":  # one answer of several: a radio group
            assert int(field.get("/Ff", 0)) & RADIO_FLAG, name
    dates = [name for name, kind in expected.items() if kind == "date"]
    for page in reader.pages:
        for annotation in page.get("/Annots", []) or []:
            widget = annotation.get_object()
            if widget.get("/T") in dates:
                assert "AFDate_FormatEx" in widget["/AA"]["/F"]["/JS"]
    assert len(reader.pages) <= form.pages


def test_every_form_field_of_the_yaml_is_in_the_pdf(built):
    form = PROJECT.form_index["vehicle-request"]
    fields = PdfReader(built / "forms" / "vehicle-request.pdf").get_fields()
    for form_field in form.all_fields():
        assert form_field.name in fields


def test_filling_a_field_with_pypdf_reads_back(built, tmp_path):
    reader = PdfReader(built / "forms" / "leave-request.pdf")
    writer = PdfWriter(clone_from=reader)
    writer.update_page_form_field_values(writer.pages[0], {"reason": "家中有事"},
                                         auto_regenerate=False)
    target = tmp_path / "filled.pdf"
    with target.open("wb") as stream:
        writer.write(stream)
    assert PdfReader(target).get_fields()["reason"]["/V"] == "家中有事"


def test_pdf_embeds_the_chinese_font_and_renders(built, tmp_path):
    pdf = built / "forms" / "vehicle-request.pdf"
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True,
                           check=True).stdout
    line = next(line for line in fonts.splitlines() if "NotoSerifCJKsc" in line)
    assert line.split()[-5:-2] == ["yes", "yes", "yes"]  # embedded, subset, unicode map
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "派车申请单" in text and "用车人" in text and "业务部经理意见" in text
    subprocess.run(["pdftoppm", "-r", "30", "-gray", "-f", "1", "-l", "1", str(pdf),
                    str(tmp_path / "page")], check=True)
    image = next(tmp_path.glob("page*.pgm")).read_bytes()
    pixels = image.split(b"\n", 3)[3]
    assert sum(1 for value in pixels if value < 128) > 2000  # ink on the page, not blank


def test_word_forms(built):
    document = docx.Document(built / "forms" / "vehicle-request.docx")
    section = document.sections[0]
    assert "临江云石建材有限公司" in section.header.paragraphs[0].text
    assert "YW-BD-001" in section.header.paragraphs[0].text
    assert section.footer.paragraphs[0].text == "依据《业务部差旅费用管理制度》第一部分第3点设置。"
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "☐ 正常　☐ 有损伤或故障（请在备注中说明）" in cells
    assert "业务部经理意见" in cells and "总经理意见" in cells
    reimbursement = docx.Document(built / "forms" / "expense-reimbursement.docx")
    texts = [cell.text for table in reimbursement.tables for row in table.rows
             for cell in row.cells]
    assert "100-150元/天" in texts  # the allowance table of the travel regulation
    contract = docx.Document(built / "forms" / "sales-contract.docx")
    texts = [cell.text for table in contract.tables for row in table.rows for cell in row.cells]
    assert "临江云石建材有限公司" in texts  # our party is pre-filled from company.yaml
    assert any(text.startswith("第九条　违约责任") for text in texts)  # clauses numbered


@pytest.mark.skipif(shutil.which("soffice") is None or uno_python() is None,
                    reason="LibreOffice with python3-uno is installed by `make test`")
def test_libreoffice_prints_each_one_page_form_on_one_page(built, tmp_path):
    from generator.render import pdf as pdf_renderer

    files = sorted((built / "forms").glob("*.docx"))
    completed = subprocess.run(
        [uno_python(), str(pdf_renderer.CONVERTER), str(tmp_path)] + [str(f) for f in files],
        capture_output=True, text=True, env=environment(ROOT), timeout=900, check=False)
    assert completed.stdout.count("ok ") == len(files), completed.stdout
    for form in PROJECT.forms:
        info = subprocess.run(["pdfinfo", str(tmp_path / f"{form.id}.pdf")],
                              capture_output=True, text=True, check=True).stdout
        pages = int(next(line for line in info.splitlines() if line.startswith("Pages")).split()[1])
        assert pages <= form.pages, form.id


def test_approval_chain_follows_the_regulation(minimal, tmp_path):
    out = tmp_path / "out"
    assert run("build", "forms", "--root", minimal, "--out", out).exit_code == 0
    cells = _cells(out / "forms" / "vehicle-request.docx")
    assert "业务部经理意见" in cells and "总经理意见" in cells
    assert "approval-2-signed" in PdfReader(out / "forms" / "vehicle-request.pdf").get_fields()
    rules = minimal / "regulations" / "rules.yaml"
    data = yaml.safe_load(rules.read_text(encoding="utf-8"))
    data["processes"][0]["steps"][0]["approvers"] = ["sales-manager"]
    rules.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert run("build", "forms", "--root", minimal, "--out", out).exit_code == 0
    cells = _cells(out / "forms" / "vehicle-request.docx")
    assert "业务部经理意见" in cells and "总经理意见" not in cells
    fields = PdfReader(out / "forms" / "vehicle-request.pdf").get_fields()
    assert "approval-1-signed" in fields and "approval-2-signed" not in fields


def _cells(path: Path) -> list[str]:
    document = docx.Document(path)
    return [cell.text for table in document.tables for row in table.rows for cell in row.cells]


def test_fill_writes_a_filled_contract(tmp_path):
    values = tmp_path / "customer.yaml"
    values.write_text("contract-no: YS-XS-2026-001\nsigning-date: 2026-11-23\n"
                      "buyer-name: 临江市鸿达装饰工程有限公司\nprice-terms: 含税含运费\n"
                      "products:\n  - [抛光砖, YS-6601, 片, 1200, 38.00, 45600.00]\n"
                      "  - {产品名称: 大理石台面, 数量: 20}\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run("fill", "sales-contract", values, "--partial", "--root", ROOT, "--out", out)
    assert result.exit_code == 0, result.output
    pdf = out / "filled" / "sales-contract-customer.pdf"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "临江市鸿达装饰工程有限公司" in text and "45600.00" in text
    assert "■含税含运费" in text.replace(" ", "")
    cells = _cells(out / "filled" / "sales-contract-customer.docx")
    assert "大理石台面" in cells and "YS-XS-2026-001" in cells


def test_fill_rejects_bad_field_names_and_values(tmp_path):
    values = tmp_path / "bad.yaml"
    values.write_text("buyer-nmae: 某公司\nprice-terms: 面议\nproducts: 很多\n", encoding="utf-8")
    result = run("fill", "sales-contract", values, "--root", ROOT, "--out", tmp_path / "out")
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[0] == (f"{values}:1:1: error: form `sales-contract` has no field `buyer-nmae` "
                        "(hint: did you mean `buyer-name`?)")
    assert lines[1].startswith(f"{values}:2:14: error: `面议` is not an option of `price-terms`")
    assert lines[2].startswith(f"{values}:3:11: error: `products` is a table")
    assert not (tmp_path / "out").exists()
    result = run("fill", "no-such-form", values, "--root", ROOT)
    assert result.exit_code == 2 and "no form `no-such-form`" in result.stderr
