"""Jinja templates of the project (templates/site/ and the theme's overrides): sandboxed,
and every mistake in them a located error."""

from __future__ import annotations

import pickle
from pathlib import Path

import jinja2
import pytest
from conftest import run, with_site_files


@pytest.fixture
def project(minimal: Path) -> Path:
    """The minimal project with the repository's site files (mkdocs.yml, site/, templates/)."""
    return with_site_files(minimal)


def _append(path: Path, text: str) -> int:
    """Append text to a template; return the line it starts on."""
    before = path.read_text(encoding="utf-8")
    path.write_text(before + text, encoding="utf-8")
    return before.count("\n") + 1


def _override(project: Path, text: str) -> int:
    """Put text into the content block of the theme override main.html; return its line."""
    path = project / "templates" / "site" / "overrides" / "main.html"
    source = path.read_text(encoding="utf-8")
    assert "{{ super() }}" in source
    path.write_text(source.replace("{{ super() }}", text + "\n{{ super() }}"), encoding="utf-8")
    return source[:source.index("{{ super() }}")].count("\n") + 1


def _build(project: Path, out: Path):
    result = run("build", "site", "--root", project, "--out", out, "--quiet")
    assert "Traceback" not in result.output
    return result


def test_syntax_error_is_located(project, tmp_path):
    line = _append(project / "templates" / "site" / "role.md.j2", "{% if x %}\nunclosed\n")
    result = _build(project, tmp_path / "out")
    assert result.exit_code == 2
    assert (f"templates/site/role.md.j2:{line + 1}:1: error: template syntax error: "
            "Unexpected end of template.") in result.stderr
    assert "Error: the site could not be built: a mistake in templates/site/role.md.j2" \
        in result.stderr


def test_undefined_name_is_located(project, tmp_path):
    line = _append(project / "templates" / "site" / "forms.md.j2", "{{ no_such_name }}\n")
    result = _build(project, tmp_path / "out")
    assert result.exit_code == 2
    assert (f"templates/site/forms.md.j2:{line}:1: error: template error: 'no_such_name' is "
            "undefined") in result.stderr


def test_missing_template_is_named(project, tmp_path):
    (project / "templates" / "site" / "org.md.j2").unlink()
    result = _build(project, tmp_path / "out")
    assert result.exit_code == 2
    assert "templates/site: error: template not found: org.md.j2" in result.stderr


def test_page_template_cannot_reach_python(project, tmp_path):
    marker = tmp_path / "marker"
    line = _append(project / "templates" / "site" / "role.md.j2",
                   f"{{{{ cycler.__init__.__globals__.os.system('touch {marker}') }}}}\n")
    result = _build(project, tmp_path / "out")
    assert result.exit_code == 2
    assert (f"templates/site/role.md.j2:{line}:1: error: refused by the template sandbox: "
            "access to attribute '__init__'") in result.stderr
    assert not marker.exists()


def test_theme_override_cannot_reach_python(project, tmp_path):
    """MkDocs renders the theme (and the project's overrides) with a plain Jinja
    environment: an override could run any command. Here it is sandboxed."""
    marker = tmp_path / "marker"
    line = _override(project, f"{{{{ lipsum.__globals__.os.popen('touch {marker}').read() }}}}")
    result = _build(project, tmp_path / "out")
    assert result.exit_code == 2
    assert (f"templates/site/overrides/main.html:{line}:1: error: refused by the template "
            "sandbox: access to attribute '__globals__'") in result.stderr
    assert not marker.exists()


def test_theme_override_mistakes_are_located(project, tmp_path):
    path = project / "templates" / "site" / "overrides" / "main.html"
    original = path.read_text(encoding="utf-8")
    line = _override(project, "{% if %}")
    result = _build(project, tmp_path / "out")
    assert result.exit_code == 2
    assert f"templates/site/overrides/main.html:{line}:1: error: template syntax error: " \
        in result.stderr
    path.write_text(original, encoding="utf-8")
    line = _override(project, "{{ nothing_here.title }}")
    result = _build(project, tmp_path / "out")
    assert result.exit_code == 2
    assert (f"templates/site/overrides/main.html:{line}:1: error: template error: "
            "'nothing_here' is undefined") in result.stderr


class _Touch:
    def __init__(self, path: Path) -> None:
        self.path = str(path)

    def __reduce__(self):
        return (open, (self.path, "w"))


def test_compiled_templates_are_not_read_from_the_build_folder(project, tmp_path):
    """A project can ship its build folder. Jinja unpickles its compiled-template cache:
    a forged one in --out/.cache must not be read."""
    out = tmp_path / "out"
    assert _build(project, out).exit_code == 0
    marker = tmp_path / "marker"
    folder = out / ".cache" / "templates"
    folder.mkdir(parents=True, exist_ok=True)
    forged = jinja2.bccache.bc_magic + pickle.dumps(_Touch(marker))
    cache = jinja2.FileSystemBytecodeCache(str(folder))
    overrides = project / "templates" / "site" / "overrides"
    for name in ("main.html", "base.html"):
        key = cache.get_cache_key(name, str(overrides / name))
        (folder / (cache.pattern % key)).write_bytes(forged)
    assert _build(project, out).exit_code == 0
    result = run("build", "site", "--root", project, "--out", out, "--force", "--quiet")
    assert result.exit_code == 0, result.output
    assert not marker.exists()
