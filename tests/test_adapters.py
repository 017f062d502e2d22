"""The two places that replace a method of a third-party object, checked against the
upstream behaviour each relies on, so that an upgrade that changes it fails here first.

- python-docx: `DocumentPart.get_style_id(style, style_type)` is the one lookup behind
  `paragraph.style = …` and `run.style = …`; `ooxml.remember_style_ids` answers it once per
  template.
- MkDocs: `mkdocs.commands.build` asks `config.theme.get_env()` for the theme's Jinja
  environment; `site_mkdocs._use_theme_cache` makes that environment sandboxed and lists
  the installed theme's files once.
- python-docx and zipfile: `word_template.save` writes a package through python-docx's
  `PackageWriter` steps (content types, package relationships, parts) into its own zip,
  and hands zipfile's member stream the template's styles compressed once (the stream's
  `_compressor` is what turns written bytes into stored ones).
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


def test_python_docx_still_writes_a_package_in_these_three_steps():
    from docx.opc.pkgwriter import PackageWriter

    source = inspect.getsource(PackageWriter.write)
    assert all(step in source for step in ("_write_content_types_stream", "_write_pkg_rels",
                                           "_write_parts"))


def test_a_saved_document_is_a_whole_zip_with_the_template_styles(tmp_path):
    import zipfile

    import docx

    from generator.render import word_template

    document = word_template.open_template(TEMPLATE, ())
    document.add_paragraph("第一条　测试。")
    target = tmp_path / "saved.docx"
    word_template.save(document, target)
    with zipfile.ZipFile(target) as package, zipfile.ZipFile(TEMPLATE) as template:
        assert package.testzip() is None  # every member's CRC and size as zipfile counted
        assert package.read("word/styles.xml") == template.read("word/styles.xml")
    assert docx.Document(str(target)).paragraphs[-1].text == "第一条　测试。"
