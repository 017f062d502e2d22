"""Property tests: numbering is gapless for any structure; the loader only ever raises our error."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import yaml
from conftest import MINIMAL
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator import zh
from generator.errors import HandbookError
from generator.load import load_project

HEADER = {
    "id": "rules", "title": "业务管理制度", "number": "YW-ZD-001", "category": "业务管理",
    "version": "1.0", "status": "active", "effective": "2025-01-01", "department": "sales",
    "approver": "general-manager", "applies_to": ["sales"],
    "revisions": [{"version": "1.0", "date": "2025-01-01", "summary": "首次发布。"}],
}

items = st.recursive(st.just("一项内容。"),
                     lambda inner: st.builds(lambda subs: {"text": "带子项的项：", "items": subs},
                                             st.lists(inner, min_size=1, max_size=4)),
                     max_leaves=12)
articles = st.lists(st.builds(lambda subs: {"text": "条文。", "items": subs} if subs
                              else {"text": "条文。"}, st.lists(items, max_size=5)),
                    min_size=1, max_size=6)
chapters = st.lists(st.one_of(
    st.builds(lambda a: {"title": "章", "articles": a}, articles),
    st.builds(lambda s: {"title": "章", "sections": [{"title": "节", "articles": a} for a in s]},
              st.lists(articles, min_size=1, max_size=3))), min_size=1, max_size=5)


def _project(tmp: Path, body: dict) -> Path:
    root = tmp / "project"
    if not root.exists():
        shutil.copytree(MINIMAL, root)
        (root / "regulations" / "forms" / "vehicle-request.yaml").unlink()
    (root / "regulations" / "rules.yaml").write_text(
        yaml.safe_dump({**HEADER, **body}, allow_unicode=True, sort_keys=False),
        encoding="utf-8")
    return root


def _check_list(labels: list[str], style: str) -> None:
    assert labels == [zh.list_label(style, n) for n in range(1, len(labels) + 1)]


def _check_items(items_, style: str, levels) -> None:
    _check_list([i.label for i in items_], style)
    for item in items_:
        if item.items:
            _check_items(item.items, zh.next_style(style, levels), levels)


@settings(suppress_health_check=[HealthCheck.too_slow], max_examples=50)
@given(chapters, st.sampled_from(["article", "outline"]))
def test_numbering_of_any_structure_is_gapless(structure, numbering):
    with tempfile.TemporaryDirectory() as tmp:
        root = _project(Path(tmp), {"numbering": numbering, "chapters": structure})
        regulation = load_project(root).regulation("rules")
    all_articles = list(regulation.all_articles())
    assert [a.ordinal for a in all_articles] == list(range(1, len(all_articles) + 1))
    if numbering == "article":
        assert [a.label for a in all_articles] == [zh.article_label(n) for n in
                                                   range(1, len(all_articles) + 1)]
        assert [c.label for c in regulation.chapters] == [
            zh.chapter_label(n) for n in range(1, len(regulation.chapters) + 1)]
        levels = zh.ARTICLE_STYLE_LEVELS
    else:
        _check_list([c.label for c in regulation.chapters], "一、")
        for chapter in regulation.chapters:
            _check_list([a.label for a in chapter.articles], "1.")
            _check_list([s.label for s in chapter.sections], "（一）")
            for section in chapter.sections:
                _check_list([a.label for a in section.articles], "1.")
        levels = zh.OUTLINE_STYLE_LEVELS[3:]
    for article in all_articles:
        for paragraph in article.paragraphs:
            if paragraph.items:
                _check_items(paragraph.items, levels[0], levels)


keys = st.sampled_from(list(HEADER) + ["chapters", "articles", "text", "items", "title",
                                       "sections", "paragraphs", "table", "processes", "x"])
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                    st.text(max_size=20), st.sampled_from(["sales", "2025-02-30", "1.0", "{条:x}",
                                                           "{岗位:salesperson}", "../..", "&a"]))
documents = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=6)), max_leaves=20)


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.one_of(documents.map(lambda d: yaml.safe_dump(d, allow_unicode=True)),
                 documents.map(lambda d: yaml.safe_dump({**HEADER, "chapters": d},
                                                        allow_unicode=True)),
                 st.text(max_size=200)))
def test_the_loader_only_raises_its_own_error(text):
    folder = _FOLDER / "project"
    if not folder.exists():
        shutil.copytree(MINIMAL, folder)
    (folder / "regulations" / "rules.yaml").write_text(text, encoding="utf-8")
    try:
        load_project(folder)
    except HandbookError as error:
        # a refusal always names at least one error, located in the file that was read
        errors = [p for p in error.problems if p.is_error]
        assert errors, f"refused without a located problem: {error}"
        assert all(p.location.file == "regulations/rules.yaml" for p in errors), errors


_FOLDER = Path(tempfile.mkdtemp(prefix="handbook-properties-"))
