"""mkdocs.yml as an attacker writes it: nothing in it runs, every refusal is located."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from conftest import run, with_site_files


@pytest.fixture
def project(minimal: Path) -> Path:
    """The minimal project with the repository's site files (mkdocs.yml, site/, templates/)."""
    return with_site_files(minimal)


def _edit(project: Path, old: str, new: str) -> None:
    path = project / "mkdocs.yml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _line_of(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if needle in line)


def _build(project: Path, out: Path):
    return run("build", "site", "--root", project, "--out", out, "--quiet")


def test_python_tag_runs_nothing(project, tmp_path):
    marker = tmp_path / "marker"
    with open(project / "mkdocs.yml", "a", encoding="utf-8") as stream:
        stream.write(f"extra:\n  x: !!python/object/apply:os.system [\"touch {marker}\"]\n")
    result = _build(project, tmp_path / "out")
    line = _line_of(project / "mkdocs.yml", "os.system")
    assert result.exit_code == 2
    assert (f"mkdocs.yml:{line}:6: error: refused: the tag `!!python/object/apply:os.system` "
            "is not allowed in mkdocs.yml (hint: mkdocs.yml may use !ENV and !relative; "
            "Python tags run code and are refused") in result.stderr
    assert "Traceback" not in result.output
    assert not marker.exists()
    assert not (tmp_path / "out" / "site").exists()


@pytest.mark.parametrize("tag", ["!!python/name:os.system", "!!python/object:os._wrap_close",
                                 "!!python/module:os",
                                 "!!python/object/new:subprocess.Popen [[touch, m]]"])
def test_other_python_tags_are_refused(project, tmp_path, tag):
    with open(project / "mkdocs.yml", "a", encoding="utf-8") as stream:
        stream.write(f"extra:\n  x: {tag}\n")
    result = _build(project, tmp_path / "out")
    assert result.exit_code == 2
    assert re.search(r"mkdocs\.yml:\d+:6: error: refused: the tag `!!python/", result.stderr)
    assert not (project / "m").exists()


def test_env_inherit_and_named_formatters_work(project, tmp_path, monkeypatch):
    """What MkDocs' documentation configures with tags still builds: !ENV with a default,
    INHERIT of a file in the project, a superfences formatter, a slug function."""
    config = project / "mkdocs.yml"
    base = config.read_text(encoding="utf-8").replace("site_name: 管理制度手册\n", "")
    base = base.replace("  - admonition\n", "  - admonition\n  - pymdownx.superfences:\n"
                        "      custom_fences:\n        - name: mermaid\n"
                        "          class: mermaid\n          format: "
                        "!!python/name:pymdownx.superfences.fence_code_format\n")
    base = base.replace("      permalink: true\n", "      permalink: true\n      slugify: "
                        "!!python/object/apply:pymdownx.slugs.slugify {kwds: {case: lower}}\n")
    (project / "base.yml").write_text(base, encoding="utf-8")
    config.write_text('INHERIT: base.yml\nsite_name: !ENV [HB_TEST_SITE, "默认名"]\n',
                      encoding="utf-8")
    with open(project / "site" / "index.md", "a", encoding="utf-8") as stream:
        stream.write("\n```mermaid\ngraph LR; A-->B\n```\n\n## Hello Slug World\n")
    monkeypatch.setenv("HB_TEST_SITE", "环境手册")
    result = _build(project, tmp_path / "out")
    assert result.exit_code == 0, result.output
    home = (tmp_path / "out" / "site" / "index.html").read_text(encoding="utf-8")
    assert "<title>环境手册</title>" in home
    assert 'class="mermaid"' in home
    assert 'id="hello-slug-world"' in home


def test_python_tag_in_an_inherited_file_is_located_there(project, tmp_path):
    (project / "base.yml").write_text("extra:\n  x: !!python/name:os.system\n",
                                      encoding="utf-8")
    _edit(project, "site_name:", "INHERIT: base.yml\nsite_name:")
    result = _build(project, tmp_path / "out")
    assert result.exit_code == 2
    assert "base.yml:2:6: error: refused: the tag `!!python/name:os.system`" in result.stderr


def test_inherit_outside_the_project_is_refused(project, tmp_path):
    outside = tmp_path / "outside.yml"
    outside.write_text("extra:\n  x: !!python/object/apply:os.system [\"true\"]\n",
                       encoding="utf-8")
    _edit(project, "site_name:", "INHERIT: ../outside.yml\nsite_name:")
    result = _build(project, tmp_path / "out")
    line = _line_of(project / "mkdocs.yml", "INHERIT")
    assert result.exit_code == 2
    assert (f"mkdocs.yml:{line}:1: error: refused: {outside} is outside the project "
            "(hint: keep the configuration files inside the project folder)") in result.stderr


def test_inherit_loop_is_refused(project, tmp_path):
    (project / "base.yml").write_text("INHERIT: mkdocs.yml\n", encoding="utf-8")
    _edit(project, "site_name:", "INHERIT: base.yml\nsite_name:")
    result = _build(project, tmp_path / "out")
    assert result.exit_code == 2
    assert "base.yml:1:1: error: `INHERIT` goes round in a loop" in result.stderr


def test_mkdocs_yml_linked_from_outside_is_refused(project, tmp_path):
    outside = tmp_path / "elsewhere.yml"
    outside.write_text((project / "mkdocs.yml").read_text(encoding="utf-8"), encoding="utf-8")
    (project / "mkdocs.yml").unlink()
    os.symlink(outside, project / "mkdocs.yml")
    result = _build(project, tmp_path / "out")
    assert result.exit_code == 2
    assert "mkdocs.yml: error: refused: symlink to a place outside the project" in result.stderr


def test_hooks_are_refused(project, tmp_path):
    marker = tmp_path / "marker"
    (project / "hook.py").write_text(f"open({str(marker)!r}, 'w')\n", encoding="utf-8")
    with open(project / "mkdocs.yml", "a", encoding="utf-8") as stream:
        stream.write("hooks:\n  - hook.py\n")
    result = _build(project, tmp_path / "out")
    line = _line_of(project / "mkdocs.yml", "hooks:")
    assert result.exit_code == 2
    assert (f"mkdocs.yml:{line}:1: error: refused: `hooks` runs Python files from the "
            "project") in result.stderr
    assert not marker.exists()


def test_markdown_extension_from_the_project_is_refused(project, tmp_path, monkeypatch):
    marker = tmp_path / "marker"
    (project / "evilext.py").write_text(f"open({str(marker)!r}, 'w')\n", encoding="utf-8")
    _edit(project, "  - tables\n", "  - tables\n  - evilext\n")
    monkeypatch.syspath_prepend(str(project))  # as `python -m generator` run in the project
    monkeypatch.chdir(project)
    result = _build(project, tmp_path / "out")
    assert result.exit_code == 2
    assert ("error: refused: the Markdown extension `evilext` would be imported from "
            f"{project / 'evilext.py'}") in result.stderr
    assert not marker.exists()


@pytest.mark.parametrize("key,old,new", [
    ("docs_dir", "docs_dir: site", "docs_dir: /etc"),
    ("theme", "custom_dir: templates/site/overrides", "custom_dir: /usr/share"),
])
def test_folders_outside_the_project_are_refused(project, tmp_path, key, old, new):
    _edit(project, old, new)
    result = _build(project, tmp_path / "out")
    line = _line_of(project / "mkdocs.yml", f"{key}:")
    assert result.exit_code == 2
    assert f"mkdocs.yml:{line}:1: error: refused: `{key}` points outside the project" \
        in result.stderr


def test_yaml_and_config_mistakes_are_located(project, tmp_path):
    _edit(project, "use_directory_urls: true", "use_directory_urls: [true")
    result = _build(project, tmp_path / "out")
    assert result.exit_code == 2
    assert re.search(r"mkdocs\.yml:\d+:\d+: error: while parsing a flow sequence",
                     result.stderr)
    _edit(project, "use_directory_urls: [true", "use_directory_urls: true")
    _edit(project, "name: material", "name: no-such-theme")
    result = _build(project, tmp_path / "out")
    line = _line_of(project / "mkdocs.yml", "theme:")
    assert result.exit_code == 2
    assert (f"mkdocs.yml:{line}:1: error: `theme`: Unrecognised theme name: 'no-such-theme'"
            in result.stderr)
    assert "Traceback" not in result.output
