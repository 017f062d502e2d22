"""`handbook import`: structure recognition, cleaning, inputs, linking, CLI behaviour."""

from __future__ import annotations

import docx
import pytest
import yaml
from conftest import run

from generator.cleanup import repair_mojibake, strip_furniture, strip_pinyin
from generator.importer.split import split
from generator.importer.structure import parse


def _articles(body):
    found = list(body.get("articles", []))
    for chapter in body.get("chapters", []):
        found += chapter.get("articles", [])
        for section in chapter.get("sections", []):
            found += section.get("articles", [])
    return found


def test_run_on_articles_and_glued_chapter_titles():
    parsed = parse("第一章总则第一条为加强管理，特制定本制度。第二条本制度适用于全体员工。"
                   "第二章职责第三条部门经理负责本部门工作。")
    assert parsed.numbering == "article"
    assert [c["title"] for c in parsed.body["chapters"]] == ["总则", "职责"]
    assert [a["text"] for a in _articles(parsed.body)] == [
        "为加强管理，特制定本制度。", "本制度适用于全体员工。", "部门经理负责本部门工作。"]
    assert parsed.counts == {"chapters": 2, "articles": 3, "items": 0}


def test_references_to_articles_are_not_split():
    parsed = parse("第一条依照第二条规定执行。\n第二条违反第一条的，予以处罚。\n第三条本制度自发布之日起施行。")
    assert [a["text"] for a in _articles(parsed.body)] == [
        "依照第二条规定执行。", "违反第一条的，予以处罚。", "本制度自发布之日起施行。"]


def test_inline_items_and_article_headings():
    parsed = parse("第一条领导小组职责：（一）贯彻法规；（二）组织培训；（三）检查落实。\n"
                   "第二条客户开发与维护1. 收集信息。\n2. 筛选客户。")
    first, second = _articles(parsed.body)
    assert first["text"] == "领导小组职责："
    assert first["items"] == ["贯彻法规；", "组织培训；", "检查落实。"]
    assert first["items_style"] == "（一）"
    assert second["title"] == "客户开发与维护"
    assert second["items"] == ["收集信息。", "筛选客户。"]
    assert second["items_style"] == "1."


def test_outline_numbering_levels():
    parsed = parse("一、总则\n（一）目的\n为规范管理，制定本制度。\n（二）原则\n1.合法原则：遵守法律。\n"
                   "2.效率原则：提高效率。\n二、职责\n（一）经理职责\n1.全面负责。\n(1)制定计划；\n(2)组织实施。")
    assert parsed.numbering == "outline"
    chapters = parsed.body["chapters"]
    assert [c["title"] for c in chapters] == ["总则", "职责"]
    assert [s["title"] for s in chapters[0]["sections"]] == ["目的", "原则"]
    assert chapters[0]["sections"][0]["intro"] == ["为规范管理，制定本制度。"]
    assert [a["text"] for a in chapters[0]["sections"][1]["articles"]] == [
        "合法原则：遵守法律。", "效率原则：提高效率。"]
    last = chapters[1]["sections"][0]["articles"][0]
    assert last["items"] == ["制定计划；", "组织实施。"]
    assert parsed.counts["articles"] == 3


def test_outline_chapters_around_articles():
    parsed = parse("一、总则第一条为规范管理，制定本制度。\n第二条本制度适用于全体员工。\n"
                   "二、附则第三条本制度自发布之日起施行。")
    assert parsed.numbering == "article"
    assert [c["title"] for c in parsed.body["chapters"]] == ["总则", "附则"]
    assert parsed.counts["articles"] == 3


def test_list_glued_to_previous_text_is_split():
    parsed = parse("一、请假\n1.请假必须由部门经理签字生效2.特殊情况应事后补办手续。\n3.办公室加强考勤。")
    articles = _articles(parsed.body)
    assert [a["text"] for a in articles] == [
        "请假必须由部门经理签字生效", "特殊情况应事后补办手续。", "办公室加强考勤。"]


def test_irregular_numbers_are_kept_and_reported():
    parsed = parse("一、出差\n1、业务总监：所有交通工具。\n2、经理：火车。\n4、员工：巴士。")
    assert parsed.counts["articles"] == 3
    assert any("4、 follows 2" in w for w in parsed.warnings)


def test_text_without_numbers_becomes_articles():
    parsed = parse("员工应遵守制度。\n违者按规定处理。")
    assert [a["text"] for a in parsed.body["articles"]] == ["员工应遵守制度。", "违者按规定处理。"]
    assert parsed.warnings


def test_split_into_regulations():
    lines = ["合集下载", "甲公司考勤管理制度", "甲公司考勤管理制度", "第一条员工按时上下班。", "",
             "乙部门安全管理办法", "第一条注意安全。", "第二条定期检查。"]
    blocks = split(lines)
    assert [(b.title, b.first_line, b.last_line) for b in blocks] == [
        ("甲公司考勤管理制度", 3, 4), ("乙部门安全管理办法", 6, 8)]


def test_cleaning_pinyin_furniture_and_mojibake():
    assert strip_pinyin("公司業(yè)務(wù)精細化") == "公司業務精細化"
    assert strip_pinyin("第(一)项(1)和(A级)") == "第(一)项(1)和(A级)"
    lines, dropped = strip_furniture(["某制度_第1頁", "某制度_第2頁", "已閱讀5頁,還剩6頁未讀",
                                      "第一条正文。", "下載本文檔", "  • 1. 本站所有资源如无特殊说明"])
    assert lines[0] == "某制度" and lines[3] == "第一条正文。"
    assert dropped == 4 and len(lines) == 6
    text, repairs = repair_mojibake("確??蛻粜畔⒌臏蚀_性")
    assert text == "確□客戶信息的準確性" and len(repairs) == 1


@pytest.fixture
def project(minimal):
    return minimal


def _write(path, text, encoding="utf-8"):
    path.write_bytes(text.encode(encoding))
    return path


def test_cli_import_writes_valid_linked_yaml(project, tmp_path):
    source = _write(tmp_path / "用车.txt",
                    "公司用车管理制度\n第一章总则第一条为规范用车，特制定本制度。\n"
                    "第二条业务员用车须填写《派车申请单》，报销时填写《出差报销单》。\n"
                    "第二章附则第三条本制度由业务部经理负责解释。\n", "gb18030")
    result = run("import", source, "--root", project, "--id", "car-use")
    assert result.exit_code == 0, result.output
    assert "公司用车管理制度 — 2 chapters, 3 articles, 0 items" in result.stdout
    assert "form 《出差报销单》 is not in regulations/forms/" in result.stdout
    written = project / "regulations" / "car-use.yaml"
    text = written.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=schema.json\n")
    data = yaml.safe_load(text)
    assert data["id"] == "car-use" and data["title"] == "公司用车管理制度"
    article = data["chapters"][0]["articles"][1]["text"]
    assert article == "{岗位:salesperson}用车须填写{表:vehicle-request}，报销时填写《出差报销单》。"
    assert data["chapters"][1]["articles"][0]["text"] == "本制度由{岗位:sales-manager}负责解释。"
    check = run("check", "--root", project)
    assert check.exit_code == 0, check.stderr
    show = run("show", "car-use", "--root", project)
    assert "第二条　业务员用车须填写《派车申请单》" in show.stdout


def test_cli_import_refuses_to_overwrite(project, tmp_path):
    source = _write(tmp_path / "a.txt", "第一条内容。\n第二条内容。\n")
    target = project / "regulations" / "rules.yaml"
    before = target.read_bytes()
    result = run("import", source, "--root", project, "--id", "rules")
    assert result.exit_code == 2
    assert "exists (use --force to overwrite" in result.stderr
    assert target.read_bytes() == before


def test_cli_import_split_and_simplify(project, tmp_path):
    source = _write(tmp_path / "seeds.txt",
                    "公司業(yè)務(wù)管理制度_第1頁\n公司業(yè)務(wù)管理制度_第2頁\n"
                    "下載本文檔\n公司業(yè)務(wù)管理制度第一條為規(guī)範業務，特制定本制度。第二條本制度適用於業務部。\n"
                    "公司考勤管理办法\n一、总则\n1.按时上班。\n2.不得迟到。\n")
    out = tmp_path / "out"
    result = run("import", source, "--root", project, "--split", "--simplify", "--out", out)
    assert result.exit_code == 0, result.output
    files = sorted(out.glob("*.yaml"))
    assert len(files) == 2
    first = yaml.safe_load(files[0].read_text(encoding="utf-8"))
    titles = {yaml.safe_load(f.read_text(encoding="utf-8"))["title"] for f in files}
    assert titles == {"公司业务管理制度", "公司考勤管理办法"}
    assert "(yè)" not in files[0].read_text(encoding="utf-8") + files[1].read_text(encoding="utf-8")
    assert first["source"].startswith("seeds.txt 第")


def test_import_markdown(project, tmp_path):
    source = _write(tmp_path / "rules.md", "# 会议管理制度\n\n## 第一章 总则\n\n**第一条** 为规范会议，"
                    "制定本制度。\n\n第二条 会议由经理主持：\n\n- 按时参加；\n- 做好记录。\n")
    result = run("import", source, "--root", project, "--id", "meetings", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "会议管理制度 — 1 chapters, 2 articles" in result.stdout
    assert not (project / "regulations" / "meetings.yaml").exists()


def test_import_docx_with_word_numbering(project, tmp_path):
    document = docx.Document()
    document.add_paragraph("印章管理制度", style="Title")
    document.add_paragraph("第一章　总则")
    document.add_paragraph("第一条　为规范印章使用，制定本制度。")
    document.add_paragraph("第二条　印章使用应遵守以下规定：")
    document.add_paragraph("专人保管；", style="List Number")
    document.add_paragraph("使用登记。", style="List Number")
    path = tmp_path / "seal.docx"
    document.save(path)
    result = run("import", path, "--root", project, "--id", "seals")
    assert result.exit_code == 0, result.output
    data = yaml.safe_load((project / "regulations" / "seals.yaml").read_text(encoding="utf-8"))
    assert data["title"] == "印章管理制度"
    article = data["chapters"][0]["articles"][1]
    assert article["text"] == "印章使用应遵守以下规定："
    assert article["items"] == ["专人保管；", "使用登记。"]


def test_import_unreadable_inputs(project, tmp_path):
    result = run("import", tmp_path / "missing.txt", "--root", project)
    assert result.exit_code == 2 and "no such file" in result.stderr
    binary = tmp_path / "x.txt"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    result = run("import", binary, "--root", project)
    assert result.exit_code == 2 and "binary file" in result.stderr
    other = tmp_path / "x.pdf"
    other.write_bytes(b"%PDF-1.4")
    result = run("import", other, "--root", project)
    assert result.exit_code == 2 and "cannot import .pdf" in result.stderr


def test_import_makes_half_width_marks_between_chinese_full_width(project, tmp_path):
    source = _write(tmp_path / "纪律.txt",
                    "员工纪律制度\n第一条员工应恪守职业道德,严格遵守公司制度; 不得迟到?\n"
                    "第二条上班时间为9:00, 午休12:00-13:00。\n", "utf-8")
    result = run("import", source, "--root", project, "--id", "discipline")
    assert result.exit_code == 0, result.output
    data = yaml.safe_load((project / "regulations" / "discipline.yaml").read_text(
        encoding="utf-8"))
    texts = [a["text"] for a in data["articles"]]
    assert texts == ["员工应恪守职业道德，严格遵守公司制度；不得迟到？",
                     "上班时间为9:00, 午休12:00-13:00。"]  # times and Latin text stay


def test_arabic_article_and_chapter_numbers_with_or_without_spaces():
    parsed = parse("第1章 总则\n第1条 为规范管理，制定本制度。\n第 2 条 本制度适用于全体员工：\n"
                   "(1) 正式员工；\n(2) 试用期员工。\n第2章 附则\n第3条 依照第2条规定执行。")
    assert [c["title"] for c in parsed.body["chapters"]] == ["总则", "附则"]
    assert [a["text"] for a in _articles(parsed.body)] == [
        "为规范管理，制定本制度。", "本制度适用于全体员工：", "依照第2条规定执行。"]
    assert parsed.counts == {"chapters": 2, "articles": 3, "items": 2}


def test_article_titles_before_the_text_on_the_same_line():
    parsed = parse("第一条 目的 为规范管理，制定本制度。\n第二条 本制度适用于全体员工。")
    first, second = _articles(parsed.body)
    assert (first["title"], first["text"]) == ("目的", "为规范管理，制定本制度。")
    assert "title" not in second


def test_decimal_outline_becomes_chapters_articles_and_items():
    parsed = parse("1 总则\n1.1 为规范管理，制定本规范。\n1.2 本规范适用于全体员工。\n"
                   "2 密码\n2.1 密码应当：\n2.1.1 不少于十位；\n2.1.2 定期更换。\n"
                   "2.2 离职当日注销账号，保留3.5年记录。")
    assert [c["title"] for c in parsed.body["chapters"]] == ["总则", "密码"]
    assert [a["text"] for a in _articles(parsed.body)] == [
        "为规范管理，制定本规范。", "本规范适用于全体员工。", "密码应当：",
        "离职当日注销账号，保留3.5年记录。"]
    assert _articles(parsed.body)[2]["items"] == ["不少于十位；", "定期更换。"]
    assert any("decimal outline" in w for w in parsed.warnings)


def test_an_enumeration_inside_a_sentence_is_not_a_heading():
    parsed = parse("一、销售管理\n1.合同\n这样会带来好处：一、体现公平；二、名正言顺；三、提高服务意识。\n"
                   "2.送货\n送至客户指定处。\n二、后勤管理\n1.库管\n及时备货。")
    assert [c["title"] for c in parsed.body["chapters"]] == ["销售管理", "后勤管理"]
    assert _articles(parsed.body)[0] == {
        "title": "合同", "text": "这样会带来好处：一、体现公平；二、名正言顺；三、提高服务意识。"}


def test_a_reference_mid_line_is_not_the_article_that_follows_on_its_own_line():
    parsed = parse("第一条 违反第二条的，按规定处理。\n第二条 本制度自发布之日起施行。")
    assert [a["text"] for a in _articles(parsed.body)] == ["违反第二条的，按规定处理。",
                                                           "本制度自发布之日起施行。"]


def test_one_two_items_inside_an_article_are_not_chapters():
    parsed = parse("第一条　公司实行以下制度：\n一、考勤制度；\n二、请假制度。\n"
                   "第二条　本制度自2026年1月1日起施行。")
    assert "chapters" not in parsed.body
    assert _articles(parsed.body)[0]["items"] == ["考勤制度；", "请假制度。"]
    assert _articles(parsed.body)[0]["items_style"] == "一、"


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_text_without_a_byte_order_mark(tmp_path, encoding):
    from generator.importer.reading import read_source

    source = _write(tmp_path / "rules.txt", "规定\n第一条 一律登记。\n", encoding)
    assert read_source(source).text == "规定\n第一条 一律登记。\n"
