"""Importing Word files as offices make them: automatic numbering computed as Word shows
it, tracked changes accepted, comments listed, tables kept, document furniture recognised.
The files are in tests/fixtures/import/ (made by bench/import_dev/make_fixtures.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import run
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from generator.importer.reading import read_source
from generator.importer.word_numbering import Numbering, format_number

FIXTURES = Path(__file__).parent / "fixtures" / "import"
W = nsdecls("w")


@pytest.mark.parametrize(("n", "fmt", "shown"), [
    (12, "chineseCountingThousand", "十二"), (3, "chineseCounting", "三"),
    (21, "japaneseCounting", "二十一"), (2, "ideographTraditional", "乙"),
    (4, "decimalEnclosedCircle", "④"), (28, "upperLetter", "BB"), (3, "lowerLetter", "c"),
    (14, "upperRoman", "XIV"), (7, "decimal", "7"), (5, "chineseLegalSimplified", "伍")])
def test_word_number_formats(n, fmt, shown):
    assert format_number(n, fmt) == shown


def _numbering(levels: str, nums: str, styles: str = "") -> Numbering:
    root = parse_xml(f'<w:numbering {W}><w:abstractNum w:abstractNumId="0">{levels}'
                     f"</w:abstractNum>{nums}</w:numbering>")
    return Numbering(root, parse_xml(f"<w:styles {W}>{styles}</w:styles>"))


def _p(num: str | None = None, ilvl: int = 0, style: str | None = None):
    properties = f'<w:pStyle w:val="{style}"/>' if style else ""
    if num is not None:
        properties += f'<w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num}"/></w:numPr>'
    return parse_xml(f"<w:p {W}><w:pPr>{properties}</w:pPr></w:p>")


def _lvl(ilvl, fmt, text, extra=""):
    return (f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>{extra}'
            f'<w:suff w:val="nothing"/><w:lvlText w:val="{text}"/></w:lvl>')


def test_levels_restart_and_lists_of_one_abstract_share_their_count():
    numbering = _numbering(
        _lvl(0, "chineseCountingThousand", "第%1条", '<w:lvlRestart w:val="0"/>')
        + _lvl(1, "chineseCounting", "（%2）") + _lvl(2, "decimal", "%1.%3", "<w:isLgl/>"),  # legal: 1.1, not 一.1
        '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
        '<w:num w:numId="2"><w:abstractNumId w:val="0"/></w:num>'
        '<w:num w:numId="3"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0">'
        '<w:startOverride w:val="1"/></w:lvlOverride></w:num>')
    shown = [numbering.label(_p("1", 0)), numbering.label(_p("1", 1)),
             numbering.label(_p("1", 1)), numbering.label(_p("1", 2)),
             numbering.label(_p("2", 0)), numbering.label(_p("2", 1)),
             numbering.label(_p("3", 0)), numbering.label(_p("0", 0)), numbering.label(_p())]
    assert shown == ["第一条", "（一）", "（二）", "1.1", "第二条", "（一）", "第一条", "", ""]


def test_numbering_through_a_paragraph_style_and_its_base():
    numbering = _numbering(
        _lvl(0, "chineseCountingThousand", "第%1章", '<w:pStyle w:val="H1"/>'),
        '<w:num w:numId="4"><w:abstractNumId w:val="0"/></w:num>',
        '<w:style w:type="paragraph" w:styleId="H1"><w:pPr><w:numPr><w:numId w:val="4"/>'
        '</w:numPr></w:pPr></w:style><w:style w:type="paragraph" w:styleId="Mine">'
        '<w:basedOn w:val="H1"/></w:style>')
    assert [numbering.label(_p(style="H1")), numbering.label(_p(style="Mine")),
            numbering.label(_p("0", style="H1"))] == ["第一章", "第二章", ""]


def test_word_numbering_tracked_changes_and_comments_read_as_word_shows_them():
    numbered = read_source(FIXTURES / "word-numbered.docx").text.splitlines()
    assert "第一章 总则" in numbered and "第二章 用车与费用" in numbered
    assert "第三条 用车应当履行以下手续：" in numbered and "（二）部门负责人签字。" in numbered
    assert "第五条 本办法自2026年4月1日起施行。" in numbered  # articles run on
    tracked = read_source(FIXTURES / "word-tracked.docx")
    assert "第二条　借阅档案须经分管领导批准。" in tracked.text.splitlines()
    assert "办公室主任" not in tracked.text
    assert tracked.comments == ["Word comment by 李明 on “第二条　借阅档案须经分管领导批准。”: "
                                "是否需要两级审批？"]


def test_import_word_file_with_automatic_numbering(minimal, tmp_path):
    out = tmp_path / "vehicles.yaml"
    result = run("import", FIXTURES / "word-numbered.docx", "--root", minimal, "--out", out)
    assert result.exit_code == 0, result.output
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert [c["title"] for c in data["chapters"]] == ["总则", "用车与费用", "附则"]
    assert [len(c["articles"]) for c in data["chapters"]] == [2, 2, 1]
    assert data["chapters"][1]["articles"][0]["items"] == ["填写用车申请；", "部门负责人签字。"]


def test_a_table_inside_an_article_is_kept_with_its_merged_header_joined(minimal, tmp_path):
    out = tmp_path / "vehicles.yaml"
    result = run("import", FIXTURES / "word-numbered.docx", "--root", minimal, "--out", out)
    assert result.exit_code == 0, result.output
    article = yaml.safe_load(out.read_text(encoding="utf-8"))["chapters"][1]["articles"][1]
    assert article["text"] == "油费补贴标准如下："
    table = article["table"]
    assert [c["title"] for c in table["columns"]] == ["车型", "补贴（元/公里）市内",
                                                      "补贴（元/公里）市外"]
    assert table["rows"] == [["轿车", "1.2", "1.0"], ["商务车", "1.5", "1.3"]]
    assert "header of two rows with merged cells was joined" in result.output


def test_furniture_becomes_metadata_not_articles(minimal, tmp_path):
    out = tmp_path / "vehicles.yaml"
    result = run("import", FIXTURES / "word-numbered.docx", "--root", minimal, "--out", out)
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert data["number"] == "BC-2026-015"
    assert "# 导入：原文发文字号 北辰〔2026〕15号" in text
    assert str(data["effective"]) == "2026-04-01"
    body = str(data["chapters"])
    for furniture in ("北辰仓储有限公司文件", "2026年3月20日", "〔2026〕"):
        assert furniture not in body
    assert data["chapters"][2]["articles"] == [{"id": "effective-date",
                                                "text": "本办法自2026年4月1日起施行。"}]


def test_numbered_text_file_with_signature(minimal, tmp_path):
    out = tmp_path / "keys.yaml"
    result = run("import", FIXTURES / "gbk-articles.txt", "--root", minimal, "--out", out)
    assert result.exit_code == 0, result.output
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert len(data["articles"]) == 4 and data["articles"][2]["items"] == [
        "登记借用时间；", "当日归还。"]
    assert data["articles"][-1] == {"id": "effective-date", "text": "本规定自2026年5月1日起施行。"}
    assert str(data["effective"]) == "2026-05-01"


def test_furniture_lines_and_dates():
    from generator.importer import furniture

    lines, found = furniture.strip([
        "远帆科技有限公司文件", "远帆〔2026〕8号", "差旅管理办法", "各部门：", "目 录",
        "第一章 总则……………1", "第一章 总则", "第一条 本办法自发布之日起施行。", "- 2 -",
        "第 2 页 共 3 页", "远帆科技有限公司", "二〇二六年一月五日", "抄送：董事会。"])
    assert [line for line in lines if line] == ["差旅管理办法", "第一章 总则",
                                                "第一条 本办法自发布之日起施行。"]
    assert (found.number, found.issuer, found.addressees) == ("远帆〔2026〕8号", "远帆科技有限公司",
                                                             "各部门：")
    assert furniture.document_number(found, set()) == "YF-2026-008"
    assert furniture.effective("本办法自发布之日起施行。", found.signed)[0].isoformat() == \
        "2026-01-05"
    assert furniture.parse_date("2026年2月30日") is None


def test_articles_get_readable_ids_and_references_become_references():
    from generator.importer import references
    from generator.importer.structure import parse

    parsed = parse("第一条 为规范管理，制定本办法。\n第二条 报销审批\n违反本办法第一条、第三条第二款的，"
                   "按第9条处理；参照本制度第二章。\n第三条 本办法自2026年1月1日起施行。\n"
                   "第四条 员工应当遵守《员工手册》第五条。")
    warnings: list[str] = []
    references.assign_ids(parsed.body)
    references.link(parsed.body, None, "article", warnings)
    articles = parsed.body["articles"]
    assert [a["id"] for a in articles] == ["purpose", "baoxiao-shenpi", "effective-date",
                                           "yuangong-zunshou-yuangong"]
    assert articles[1]["text"] == ("违反本办法{条:purpose}、{条:effective-date}第二款的，按第9条处理；"
                                   "参照本制度第二章。")
    assert articles[3]["text"] == "员工应当遵守《员工手册》第五条。"  # not a new article
    assert warnings == [
        "第二条: `第9条` names an article this regulation does not have (4 articles): kept as "
        "text",
        "第二条: `本制度第二章` kept as text (chapters and sections are not referenced by id)",
        "第四条: `《员工手册》第五条` refers to a regulation not in the project: kept as text"]


def test_the_department_the_text_names_is_the_issuing_department(minimal, tmp_path):
    source = tmp_path / "rules.txt"
    source.write_text("总经理办公室用车规定\n第一条 为规范用车，制定本规定。\n"
                      "第二条 本规定由业务部负责解释。\n第三条 本规定于2026年3月1日起实行。\n",
                      encoding="utf-8")
    out = tmp_path / "cars.yaml"
    result = run("import", source, "--root", minimal, "--out", out)
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert (data["department"], str(data["effective"])) == ("sales", "2026-03-01")
    assert "# 导入：按原文“由业务部负责解释”" in text


def test_a_list_linked_to_a_numbering_style_takes_that_styles_levels():
    root = parse_xml(
        f'<w:numbering {W}><w:abstractNum w:abstractNumId="0">'
        + _lvl(0, "chineseCountingThousand", "第%1章") + _lvl(1, "chineseCountingThousand", "第%2条",
                                                         '<w:lvlRestart w:val="0"/>')
        + '</w:abstractNum><w:abstractNum w:abstractNumId="1"><w:numStyleLink w:val="Rules"/>'
        '</w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
        '<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num></w:numbering>')
    styles = parse_xml(f'<w:styles {W}><w:style w:type="numbering" w:styleId="Rules"><w:pPr>'
                       '<w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style></w:styles>')
    numbering = Numbering(root, styles)
    assert [numbering.label(_p("2", 0)), numbering.label(_p("2", 1)),
            numbering.label(_p("2", 0)), numbering.label(_p("2", 1))] == [
        "第一章", "第一条", "第二章", "第二条"]


def test_an_article_title_set_in_bold_is_the_articles_title(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("请假管理办法")
    for head, body in (("第一条 目的", "为规范请假管理，制定本办法。"),
                       ("第二条 ", "本办法自2026年1月1日起施行。")):
        paragraph = document.add_paragraph()
        paragraph.add_run(head).bold = True
        paragraph.add_run(body)
    document.save(tmp_path / "leave.docx")
    from generator.importer.structure import parse

    articles = parse(read_source(tmp_path / "leave.docx").text).body["articles"]
    assert articles == [{"title": "目的", "text": "为规范请假管理，制定本办法。"},
                        {"text": "本办法自2026年1月1日起施行。"}]


def test_damaged_numbering_and_a_too_wide_table_do_not_stop_the_import(minimal, tmp_path):
    from wordgen_helpers import damaged_word_file

    out = tmp_path / "x.yaml"
    result = run("import", damaged_word_file(tmp_path / "damaged.docx"), "--root", minimal,
                 "--out", out)
    assert result.exit_code == 0 and "Traceback" not in result.output, result.output
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert data["articles"][0]["text"].endswith("本规定适用于全体员工。")  # 9999…9. shown in digits
    assert "table" not in data["articles"][0]
    assert "25 columns, more than 20, was kept as text" in result.output


def test_unnumbered_heading_1_paragraphs_between_articles_are_chapters(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("请假管理办法", style="Title")
    document.add_paragraph("总则", style="Heading 1")
    document.add_paragraph("第一条 为规范请假管理，制定本办法。")
    document.add_paragraph("附则", style="Heading 1")
    document.add_paragraph("第二条 本办法自2026年1月1日起施行。")
    document.save(tmp_path / "leave.docx")
    assert read_source(tmp_path / "leave.docx").text.splitlines() == [
        "请假管理办法", "第一章 总则", "第一条 为规范请假管理，制定本办法。", "第二章 附则",
        "第二条 本办法自2026年1月1日起施行。"]
