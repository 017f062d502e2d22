"""The two places that replace a method of a third-party object, checked against the
upstream behaviour each relies on, so that an upgrade that changes it fails here first.

- python-docx: `DocumentPart.get_style_id(style, style_type)` is the one lookup behind
  `paragraph.style = …` and `run.style = …`; `ooxml.remember_style_ids` answers it once per
  template.
- MkDocs: `mkdocs.commands.build` asks `config.theme.get_env()` for the theme's Jinja
  environment; `site_mkdocs._use_theme_cache` makes that environment sandboxed and lists
  the installed theme's files once.
"""

from __future__ import annotations

import inspect
from pathlib import Path
from types import SimpleNamespace

from docx.enum.style import WD_STYLE_TYPE
from docx.parts.document import DocumentPart
from jinja2.sandbox import SandboxedEnvironment

from generator.render import ooxml, site_mkdocs

ROOT = Path(__file__).parent.parent
TEMPLATE = ROOT / "templates" / "reference.docx"


def test_python_docx_still_looks_styles_up_through_get_style_id():
    from docx.text.paragraph import Paragraph
    from docx.text.run import Run

    assert list(inspect.signature(DocumentPart.get_style_id).parameters) == \
        ["self", "style_or_name", "style_type"]
    assert "get_style_id" in inspect.getsource(Paragraph.style.fset)
    assert "get_style_id" in inspect.getsource(Run.style.fset)


def test_remembered_style_ids_are_the_ones_python_docx_finds():
    document = ooxml.empty_document(TEMPLATE)
    plain = DocumentPart.get_style_id.__get__(document.part)
    asked = []
    for style in document.styles:
        if style.type in (WD_STYLE_TYPE.PARAGRAPH, WD_STYLE_TYPE.CHARACTER):
            asked += [(style, style.type), (style.name, style.type)]
    assert len(asked) > 20
    for style, kind in asked:
        assert document.part.get_style_id(style, kind) == plain(style, kind), style
    assert document.part.get_style_id(None, WD_STYLE_TYPE.PARAGRAPH) is None
    # the remembered answers are used: a paragraph styled by name gets the template's id
    paragraph = document.add_paragraph("正文", style=asked[0][0].name)
    assert paragraph.style.style_id == asked[0][0].style_id


def test_mkdocs_still_asks_the_theme_for_its_environment():
    from mkdocs.commands import build
    from mkdocs.theme import Theme

    assert "config.theme.get_env()" in inspect.getsource(build)
    assert callable(getattr(Theme, "get_env", None))


def test_the_theme_environment_is_sandboxed_and_lists_what_mkdocs_lists():
    from mkdocs.theme import Theme

    theme = Theme(name="material")
    stock = theme.get_env()
    site_mkdocs._use_theme_cache(SimpleNamespace(theme=theme), None)
    ours = theme.get_env()
    assert isinstance(ours, SandboxedEnvironment)
    assert not isinstance(stock, SandboxedEnvironment)
    visible = {name for name in stock.loader.list_templates()
               if not name.startswith(".") and "/." not in name}
    assert set(ours.loader.list_templates()) == visible
    assert "main.html" in visible
    assert ours.get_template("main.html").name == "main.html"
