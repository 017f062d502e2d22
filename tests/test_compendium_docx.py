"""The Word 制度汇编 joined from each regulation's section kept between builds: an edit
renders only its own section; a section linking to a regulation that leaves the compendium
is made again; the joined file is the whole render, member for member;
its ids are unique and its links land on bookmarks."""

from __future__ import annotations

import dataclasses
import re
import zipfile
from pathlib import Path

import docx
import pytest
import yaml
from conftest import ROOT, run

from generator import compendium_build, compendium_word
from generator.load import load_project
from generator.render import docx as docx_renderer
from generator.render import docx_compendium, docx_contents

COMPENDIUM = "制度汇编.docx"


def _add(project: Path, regulation_id: str, number: str, extra: str = "") -> None:
    """A copy of the fixture's rules.yaml as another regulation, with an extra article."""
    regulations = project / "regulations"
    data = yaml.safe_load((regulations / "rules.yaml").read_text(encoding="utf-8"))
    data.update(id=regulation_id, title=f"{regulation_id}管理制度", number=number)
    if extra:
        data["chapters"][0]["articles"].append({"id": "links", "text": extra})
    (regulations / f"{regulation_id}.yaml").write_text(
        yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.fixture
def sections(monkeypatch) -> list[str]:
    """The ids of the sections rendered, in this process (fewer than eight documents to
    render are rendered without worker processes), and "(front)" for the cover and
    contents."""
    rendered: list[str] = []
    original, front = compendium_word.render_file, docx_compendium.render_word_front

    def counted(project, template, path):
        rendered.append(path.name.split(".")[0])
        return original(project, template, path)

    def counted_front(*args):
        rendered.append("(front)")
        return front(*args)

    monkeypatch.setattr(compendium_word, "render_file", counted)
    monkeypatch.setattr(docx_compendium, "render_word_front", counted_front)
    return rendered


def _build(project: Path, out: Path) -> None:
    result = run("build", "docx", "--root", project, "--out", out, "--quiet")
    assert result.exit_code == 0, result.output


def _document(path: Path) -> str:
    with zipfile.ZipFile(path) as package:
        return package.read("word/document.xml").decode()


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_an_edit_renders_only_its_own_section(minimal, tmp_path, sections):
    _add(minimal, "other", "YW-ZD-002", "本制度与{制度:rules}配套执行，用车见{条:rules#car}。")
    _add(minimal, "third", "YW-ZD-003")
    out = tmp_path / "out"
    _build(minimal, out)
    assert sorted(sections) == ["(front)", "other", "rules", "third"]
    sections.clear()
    _edit(minimal / "regulations" / "third.yaml", "为规范业务管理", "为规范第三项管理")
    _build(minimal, out)
    assert sections == ["third"]  # the contents list the same headings: kept
    text = [p.text for p in docx.Document(str(out / "docx" / COMPENDIUM)).paragraphs]
    assert "第一条　为规范第三项管理，特制定本制度。" in text
    assert text.count("第一条　为规范业务管理，特制定本制度。") == 2  # rules and other, kept
    sections.clear()
    _build(minimal, out)  # nothing changed: the compendium itself is reused
    assert sections == []
    _edit(minimal / "regulations" / "third.yaml", "title: 总则", "title: 总　则")
    _build(minimal, out)
    assert sections == ["third", "(front)"]  # a heading of the contents changed
    assert "第一章　总　则" in docx_contents.entry_texts(out / "docx" / COMPENDIUM)


def test_a_section_linking_to_a_regulation_that_leaves_is_made_again(minimal, tmp_path,
                                                                      sections):
    _add(minimal, "other", "YW-ZD-002", "本制度与{制度:rules}配套执行，用车见{条:rules#car}。")
    _add(minimal, "third", "YW-ZD-003")
    out = tmp_path / "out"
    _build(minimal, out)
    prefix = docx_compendium.anchor_prefixes(
        compendium_build.compendium_order(load_project(minimal)))["rules"]
    document = _document(out / "docx" / COMPENDIUM)
    assert f'w:anchor="{prefix}_car"' in document and f'w:anchor="{prefix}_"' in document
    _assert_links_land(document)
    sections.clear()
    _edit(minimal / "regulations" / "rules.yaml", "status: active", "status: draft")
    _build(minimal, out)
    assert sections == ["other", "(front)"]  # its links to rules are plain text now
    document = _document(out / "docx" / COMPENDIUM)
    assert f'w:anchor="{prefix}' not in document and f'w:name="{prefix}_' not in document
    assert "《业务管理制度》第三条" in document  # the reference, as text
    _assert_links_land(document)
    assert len(list((out / ".cache" / "compendium-docx").glob("*.section"))) == 2
    sections.clear()
    _edit(minimal / "regulations" / "rules.yaml", "status: draft", "status: active")
    _build(minimal, out)
    assert sorted(sections) == ["(front)", "other", "rules"]  # other links to it again
    document = _document(out / "docx" / COMPENDIUM)
    assert f'w:anchor="{prefix}_car"' in document
    _assert_links_land(document)


def _assert_links_land(document: str) -> None:
    """Bookmark ids and names unique, each start with its end; every link's anchor a
    bookmark of the document."""
    starts = re.findall(r'<w:bookmarkStart w:id="(\d+)" w:name="([^"]*)"', document)
    ends = re.findall(r'<w:bookmarkEnd w:id="(\d+)"', document)
    ids = [identifier for identifier, _ in starts]
    names = {name for _, name in starts}
    assert len(set(ids)) == len(ids) and len(names) == len(starts)
    assert sorted(ends) == sorted(ids)
    anchors = re.findall(r'w:anchor="([^"]*)"', document)
    assert anchors and set(anchors) <= names
    docpr = re.findall(r'<wp:docPr id="(\d+)"', document)
    assert len(set(docpr)) == len(docpr)


def _whole(project_root: Path, target: Path, drafts: bool) -> Path:
    project = load_project(project_root)
    project = dataclasses.replace(project, compendium_drafts=drafts)
    return docx_compendium.render_compendium(project, compendium_build.compendium_order(project),
                                             docx_renderer.template_for(project_root), target)


def test_the_joined_compendium_is_the_whole_render_member_for_member(bundled_build, tmp_path):
    """Byte for byte, every member: so LibreOffice lays the joined file out page for page as
    the whole render (the page numbers its contents were given included)."""
    joined = bundled_build / "docx" / COMPENDIUM
    whole = _whole(ROOT, tmp_path / COMPENDIUM, drafts=True)
    laid_out = compendium_build.toc_lines(bundled_build)
    if laid_out:  # the build wrote the PDF's page numbers into the contents
        docx_contents.fill_page_numbers(whole, laid_out)
    with zipfile.ZipFile(joined) as ours, zipfile.ZipFile(whole) as reference:
        assert sorted(ours.namelist()) == sorted(reference.namelist())
        for name in reference.namelist():
            assert ours.read(name) == reference.read(name), name
        document = ours.read("word/document.xml").decode()
    _assert_links_land(document)
    assert document.count('<w:pgNumType w:fmt="decimal" w:start="1"/>') == 1


@pytest.mark.parametrize("shown", [("rules", "other"), ()])
def test_a_small_or_empty_compendium_is_the_whole_render(minimal, tmp_path, shown):
    _add(minimal, "other", "YW-ZD-002", "见{条:rules#car}。")
    for regulation_id in {"rules", "other"} - set(shown):
        _edit(minimal / "regulations" / f"{regulation_id}.yaml", "status: active",
              "status: draft")
    _build(minimal, tmp_path / "out")
    joined = tmp_path / "out" / "docx" / COMPENDIUM
    whole = _whole(minimal, tmp_path / COMPENDIUM, drafts=False)
    with zipfile.ZipFile(joined) as ours, zipfile.ZipFile(whole) as reference:
        assert sorted(ours.namelist()) == sorted(reference.namelist())
        for name in reference.namelist():
            assert ours.read(name) == reference.read(name), name
    assert docx.Document(str(joined)).paragraphs[0].text == "管理制度汇编"


def test_the_joined_compendium_is_rebuilt_byte_for_byte(minimal, tmp_path):
    _add(minimal, "other", "YW-ZD-002", "见{条:rules#car}。")
    first, second = tmp_path / "a", tmp_path / "b"
    _build(minimal, first)
    result = run("build", "docx", "--root", minimal, "--out", second, "--quiet", "--force")
    assert result.exit_code == 0, result.output
    assert (first / "docx" / COMPENDIUM).read_bytes() == (second / "docx" / COMPENDIUM).read_bytes()


def test_text_that_looks_like_the_markup_the_join_renumbers_is_kept_as_text(minimal, tmp_path):
    forged = ('<w:bookmarkStart w:id="1" w:name="_Toc00001"/> r:id="rId1" '
              '<w:pgNumType w:fmt="decimal"/><w:sectPr><w:body>')
    _add(minimal, "other", "YW-ZD-002", f"本条原样保留：{forged}。")
    _build(minimal, tmp_path / "out")
    joined = tmp_path / "out" / "docx" / COMPENDIUM
    texts = [p.text for p in docx.Document(str(joined)).paragraphs]
    assert any(forged in text for text in texts)
    whole = _whole(minimal, tmp_path / COMPENDIUM, drafts=False)
    assert _document(joined) == _document(whole)
