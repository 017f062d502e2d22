"""`handbook import EDITED.docx --update ID`: our own Word file of a bundled regulation,
edited as a colleague would (an article reworded, one inserted, one deleted, a tracked
change, a comment), taken back into the regulation's YAML in a copy of the project."""

from __future__ import annotations

import copy
import difflib
import shutil
from pathlib import Path

import docx
import pytest
import yaml
from conftest import ROOT, git, run
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from generator.zh import article_label

REGULATION = "meeting-room-management"
FILE = Path("regulations") / f"{REGULATION}.yaml"
W = nsdecls("w")
COMMENTS_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"
REWORDED = "会议必须有记录，重要会议的纪要须经与会者会签确认。"
INSERTED = "会议室使用完毕后，使用部门应及时归还钥匙。"


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """A copy of the bundled project, committed in git, with YAML comments added to the
    regulation, and our own Word files of it built by the CLI (in word/)."""
    root = tmp_path_factory.mktemp("update") / "project"
    shutil.copytree(ROOT / "regulations", root / "regulations")
    shutil.copytree(ROOT / "templates", root / "templates")
    path = root / FILE
    text = path.read_text(encoding="utf-8")
    text = text.replace("  - id: booking\n", "  # 预约：提前一天\n  - id: booking\n")
    text = text.replace("  - id: phones\n", "  - id: phones  # 手机静音\n")
    path.write_text(text, encoding="utf-8")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "start")
    out = root.parent / "build"
    result = run("build", "docx", "--root", root, "--out", out, "--include-drafts")
    assert result.exit_code == 0, result.output
    shutil.copytree(out / "docx", root / "word")
    return root


@pytest.fixture
def project(template: Path, tmp_path: Path) -> Path:
    """A fresh copy of the template project for one test."""
    root = tmp_path / "project"
    shutil.copytree(template, root, symlinks=True)
    return root


def _paragraph(document, label: str):
    return next(p for p in document.paragraphs if p.text.startswith(label))


def _set_text(paragraph, text: str) -> None:
    """Keep the label runs (第五条, the full-width space), replace the words after them."""
    runs = paragraph.runs
    runs[2].text = text
    for piece in runs[3:]:
        piece._r.getparent().remove(piece._r)


def _edit(source: Path, target: Path) -> None:
    document = docx.Document(str(source))
    _set_text(_paragraph(document, "第五条"), REWORDED)
    ninth = _paragraph(document, "第九条")
    ninth.insert_paragraph_before(f"第九条\u3000{INSERTED}", style=ninth.style)
    sixth = _paragraph(document, "第六条")._p
    sixth.getparent().remove(sixth)
    third = _paragraph(document, "第三条")
    for piece in third.runs[2:]:
        piece._r.getparent().remove(piece._r)
    third._p.append(parse_xml(f"<w:r {W}><w:t>会议室内的设备由办公室统一管理，如麦克风、音响</w:t></w:r>"))
    third._p.append(parse_xml(f'<w:del {W} w:id="901" w:author="李四" w:date="2026-03-01T00:00:00Z">'
                              "<w:r><w:delText>、空调</w:delText></w:r></w:del>"))
    third._p.append(parse_xml(f"<w:r {W}><w:t>等，办公室负责设备调试。</w:t></w:r>"))
    third._p.append(parse_xml(f'<w:ins {W} w:id="902" w:author="李四" w:date="2026-03-01T00:00:00Z">'
                              "<w:r><w:t>设备损坏应及时报修。</w:t></w:r></w:ins>"))
    _comment(document, _paragraph(document, "第七条"), "分管副总", "王五", "改为“分管领导”？")
    document.save(str(target))


def _comment(document, paragraph, words: str, author: str, text: str) -> None:
    """A Word comment on `words` of the paragraph, written as raw XML parts."""
    run = next(r for r in paragraph.runs if r.text == words)._r
    run.addprevious(parse_xml(f'<w:commentRangeStart {W} w:id="7"/>'))
    run.addnext(parse_xml(f'<w:r {W}><w:commentReference w:id="7"/></w:r>'))
    run.addnext(parse_xml(f'<w:commentRangeEnd {W} w:id="7"/>'))
    blob = (f'<w:comments {W}><w:comment w:id="7" w:author="{author}" w:initials="W">'
            f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:comment></w:comments>").encode()
    part = Part(PackURI("/word/comments-extra.xml"), COMMENTS_TYPE, blob, document.part.package)
    document.part.relate_to(part, RT.COMMENTS)


def _update_from(document, project: Path, regulation: str, name: str):
    """Save document as name, run `import --update regulation` on it; return the CLI result
    and the lines of the regulation's YAML that changed (unified diff, headers included)."""
    edited = project / name
    document.save(str(edited))
    path = project / "regulations" / f"{regulation}.yaml"
    before = path.read_text(encoding="utf-8")
    result = run("import", edited, "--update", regulation, "--root", project)
    changed = [line for line in difflib.unified_diff(before.splitlines(), path.read_text(
        encoding="utf-8").splitlines(), n=0, lineterm="") if line[:1] in "+-"]
    return result, changed


def _ids(root: Path) -> list[str]:
    data = yaml.safe_load((root / FILE).read_text(encoding="utf-8"))
    return [article["id"] for article in data["articles"]]


def test_word_edits_come_back_as_exactly_those_changes(project: Path):
    edited = project / "edited.docx"
    _edit(project / "word" / f"{REGULATION}.docx", edited)
    before = (project / FILE).read_bytes()
    old_ids = _ids(project)

    dry = run("import", edited, "--update", REGULATION, "--root", project, "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert (project / FILE).read_bytes() == before  # --dry-run writes nothing
    assert "新增 1 条，修改 2 条，删除 1 条" in dry.output
    assert "would write" in dry.output

    result = run("import", edited, "--update", REGULATION, "--root", project)
    assert result.exit_code == 0, result.output
    assert result.output.split("matched")[0] == dry.output.split("matched")[0]
    assert "Word comment by 王五 on “分管副总”: 改为“分管领导”？" in result.output

    ids = _ids(project)
    new_ids = [i for i in ids if i not in old_ids]
    assert len(new_ids) == 1
    assert [i for i in old_ids if i not in ids] == ["follow-up"]
    expected = [i for i in old_ids if i != "follow-up"]
    expected.insert(expected.index("phones") + 1, new_ids[0])
    assert ids == expected  # every other article keeps its id and place

    compared = run("diff", "--root", project, "--format", "text")
    assert compared.exit_code == 0, compared.output
    assert "新增 1 条，修改 2 条，删除 1 条" in compared.output
    assert "移动 0 条" in compared.output
    rows = [line for line in compared.output.splitlines() if line[:1].isdigit()]
    assert [row.split("　")[-1] for row in rows] == ["修改", "修改", "删除", "新增"]
    assert "[-、空调-]" in compared.output and "{+设备损坏应及时报修。+}" in compared.output
    assert INSERTED in compared.output and "做好会议的贯彻执行工作" in compared.output

    text = (project / FILE).read_text(encoding="utf-8")
    assert "  # 预约：提前一天\n  - id: booking\n" in text  # YAML comments survive
    assert "  - id: phones  # 手机静音\n" in text
    assert "note: 原文此条标为第十一条" in text  # notes and metadata too
    assert before.decode("utf-8").split("articles:")[0] == text.split("articles:")[0]
    equipment = yaml.safe_load(text)["articles"][ids.index("equipment")]["text"]
    assert equipment == ("会议室内的设备由{部门:hr-admin|办公室}统一管理，如麦克风、音响等，"
                         "{部门:hr-admin|办公室}负责设备调试。设备损坏应及时报修。")
    assert run("check", "--root", project).exit_code == 0


def test_an_unedited_file_changes_nothing(project: Path):
    before = (project / FILE).read_bytes()
    result = run("import", project / "word" / f"{REGULATION}.docx", "--update",
                 REGULATION, "--root", project)
    assert result.exit_code == 0, result.output
    assert "nothing to write" in result.output
    assert (project / FILE).read_bytes() == before


def test_every_bundled_regulation_reads_back_unchanged_from_its_word_file(template: Path):
    """Our own Word file of each bundled regulation, not edited: every article matched by
    its bookmark, no line of any YAML file would change."""
    from generator.importer import update
    from generator.load import load_project

    project = load_project(template)
    changed = {}
    for regulation in project.regulations:
        planned = update.plan(template / "word" / f"{regulation.id}.docx", template,
                              regulation.id, project)
        if planned.changed or planned.diff.rows or planned.matched["similar"] or \
                planned.matched["bookmark"] != regulation.article_count:
            changed[regulation.id] = (planned.matched, planned.diff.summary())
    assert len(project.regulations) > 30
    assert changed == {}


def test_a_colleagues_own_word_file_is_matched_by_similar_text(project: Path):
    """A Word file typed anew (no bookmarks, no styles of ours), one article reworded."""
    document = docx.Document()
    document.add_paragraph("公司运营管理制度（会议室管理）")
    data = yaml.safe_load((project / FILE).read_text(encoding="utf-8"))
    for number, article in enumerate(data["articles"], start=1):
        lines = [article["text"]] + article.get("paragraphs", [])
        lines = [line.replace("{部门:hr-admin|办公室}", "办公室")
                 .replace("{岗位:deputy-general-manager|分管副总}", "分管副总")
                 .replace("{岗位:general-manager}", "总经理") for line in lines]
        if article["id"] == "damage":
            lines = ["会议期间损坏设备的，由相关部门或当事人按原价赔偿；"]
        document.add_paragraph(f"{article_label(number)} {lines[0]}")
        for line in lines[1:]:
            document.add_paragraph(line)
    edited = project / "colleague.docx"
    document.save(str(edited))
    old_ids = _ids(project)
    result = run("import", edited, "--update", REGULATION, "--root", project)
    assert result.exit_code == 0, result.output
    assert "matched 0 articles by bookmark and 10 by similar text" in result.output
    assert "新增 0 条，修改 1 条，删除 0 条" in result.output
    assert _ids(project) == old_ids
    text = (project / FILE).read_text(encoding="utf-8")
    assert "text: 会议期间损坏设备的，由相关部门或当事人按原价赔偿；" in text
    assert "{岗位:deputy-general-manager|分管副总}" in text  # untouched articles as written
    compared = run("diff", "--root", project, "--format", "text")
    assert "新增 0 条，修改 1 条，删除 0 条，条号变化 0 条" in compared.output


def test_bad_input_is_refused_with_nothing_written(project: Path):
    before = (project / FILE).read_bytes()
    ours = project / "word" / f"{REGULATION}.docx"
    text = project / "notes.txt"
    text.write_text("第一条 会议室统一管理。\n", encoding="utf-8")
    fake = project / "fake.docx"
    fake.write_text("not a zip", encoding="utf-8")
    cases = [
        ((text, "--update", REGULATION), "--update reads a Word .docx file"),
        ((fake, "--update", REGULATION), "fake.docx"),
        ((ours, "--update", "meeting-room-managment"), "did you mean `meeting-room-management`"),
        ((project / "word" / "travel-expense.docx", "--update", REGULATION),
         "no article matches one of `meeting-room-management` (the file is of "
         "`travel-expense`)"),
        ((ours, "--update", REGULATION, "--id", "x"), "--update takes no --id"),
    ]
    for arguments, message in cases:
        result = run("import", *arguments, "--root", project)
        assert result.exit_code == 2, result.output
        assert message in result.output
        assert "Traceback" not in result.output
        assert (project / FILE).read_bytes() == before


def test_a_copied_article_keeps_one_id(project: Path):
    """A paragraph copied with its bookmark: the copy is a new article, not a second
    `booking`."""
    document = docx.Document(str(project / "word" / f"{REGULATION}.docx"))
    second = _paragraph(document, "第二条")._p
    duplicate = copy.deepcopy(second)
    for t in duplicate.iter(qn("w:t")):
        if "各部门" in (t.text or ""):
            t.text = "临时会议可当天到"
    second.addnext(duplicate)
    edited = project / "copied.docx"
    document.save(str(edited))
    result = run("import", edited, "--update", REGULATION, "--root", project)
    assert result.exit_code == 0, result.output
    ids = _ids(project)
    assert ids.count("booking") == 1 and len(ids) == len(set(ids)) == 11


def test_items_and_an_article_new_at_the_start_of_a_chapter(project: Path):
    """A regulation in chapters: an item reworded, one deleted, an article put first in
    chapter 3 (typed with the number of the one it pushes down), another deleted."""
    regulation = "operating-period-management"
    document = docx.Document(str(project / "word" / f"{regulation}.docx"))
    sixth = _paragraph(document, "第六条")
    sixth.insert_paragraph_before("第六条　运营管理部每季度召开一次运营分析会。", style=sixth.style)
    item = _paragraph(document, "2.运营管理部定期对各部门运营执行情况")
    item.runs[-1].text = item.runs[-1].text.replace("定期", "每月")
    for start in ("2.各部门建立健全风险防范措施", "第五条"):
        gone = _paragraph(document, start)._p
        gone.getparent().remove(gone)
    result, changed = _update_from(document, project, regulation, "chapters.docx")
    assert result.exit_code == 0, result.output
    path = project / "regulations" / f"{regulation}.yaml"
    assert "新增 1 条，修改 2 条，删除 1 条，条号变化 0 条，移动 0 条" in result.output
    assert "第六条 follows a higher or equal number" in result.output
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    third = data["chapters"][2]["articles"]
    assert third[0]["text"] == "运营管理部每季度召开一次运营分析会。"
    assert [a["id"] for a in third[1:]] == ["planning", "execution", "risk",
                                             "appraisal-and-incentives"]
    assert third[2]["items"][1] == "运营管理部每月对各部门运营执行情况进行检查，发现问题及时纠正；"
    assert len(third[3]["items"]) == 2
    assert "department-heads" not in path.read_text(encoding="utf-8")
    assert len(changed) == 2 + 2 + 2 + 2 + 1  # headers, article gone, new one, item, item gone


def test_a_retyped_file_keeps_article_titles(project: Path):
    """A Word file typed from the printed text (`handbook show`), no styles of ours: an
    item of a titled article reworded, its title typed as the start of its text; the
    title stays a title, every other line stays."""
    regulation = "operating-period-management"
    shown = run("show", regulation, "--root", project).output.splitlines()
    document = docx.Document()
    for line in shown:
        if line.strip() and not line.startswith(("文号：", "发布部门：")):
            line = line.strip().replace("第六条　运营计划管理", "第六条 运营计划管理：")
            document.add_paragraph(line.replace("制定年度运营计划", "制定年度和季度运营计划"))
    result, changed = _update_from(document, project, regulation, "retyped.docx")
    assert result.exit_code == 0, result.output
    assert "matched 0 articles by bookmark" in result.output
    assert "新增 0 条，修改 1 条，删除 0 条" in result.output
    assert changed[2:] == ["-          - 运营管理部根据公司发展战略，制定年度运营计划，报公司领导审批；",
                           "+          - 运营管理部根据公司发展战略，制定年度和季度运营计划，报公司领导审批；"]
