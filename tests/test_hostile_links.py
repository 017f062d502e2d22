"""Symlinks in the project's inputs: nothing outside the project reaches the site."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from conftest import ROOT, run, with_site_files

SECRET = "TOP-SECRET-7f3a9c"


@pytest.fixture
def project(minimal: Path) -> Path:
    """The minimal project with the repository's site files (mkdocs.yml, site/, templates/)."""
    return with_site_files(minimal)


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A file outside the project that must never be published."""
    path = tmp_path / "secret.txt"
    path.write_text(f"{SECRET}\n", encoding="utf-8")
    return path


def _leaked(out: Path) -> list[Path]:
    """Files under out holding the secret."""
    return [path for path in out.rglob("*") if path.is_file() and
            SECRET.encode() in path.read_bytes()] if out.exists() else []


@pytest.mark.parametrize("link", ["site/assets/secret.txt", "site/notes.md",
                                  "templates/site/secret.md.j2",
                                  "templates/site/overrides/partials/secret.html",
                                  "regulations/secret.yaml"])
def test_link_to_a_file_outside_is_refused(project, secret, tmp_path, link):
    (project / link).parent.mkdir(parents=True, exist_ok=True)
    os.symlink(secret, project / link)
    out = tmp_path / "out"
    result = run("build", "site", "--root", project, "--out", out)
    assert result.exit_code == 2
    assert f"{link}: error: refused: symlink to a place outside the project" in result.stderr
    assert "Traceback" not in result.output
    assert not _leaked(out)


def test_linked_folder_outside_is_refused(project, secret, tmp_path):
    os.symlink(secret.parent, project / "site" / "shared")
    result = run("build", "site", "--root", project, "--out", tmp_path / "out")
    assert result.exit_code == 2
    assert "site/shared: error: refused: symlink to a place outside the project" \
        in result.stderr


def test_style_template_linked_from_outside_is_refused(project, secret, tmp_path):
    (project / "templates" / "reference.docx").unlink()
    os.symlink(secret, project / "templates" / "reference.docx")
    result = run("build", "docx", "--root", project, "--out", tmp_path / "out")
    assert result.exit_code == 2
    assert "templates/reference.docx: error: refused: symlink to a place outside the project" \
        in result.stderr


def test_an_old_generated_folder_in_the_project_is_ignored_and_nothing_is_written(
        project, tmp_path):
    """Older versions wrote pages into site/generated/; the build now writes nothing into
    the project, so a folder left there (even holding a link) is neither read nor written."""
    generated = project / "site" / "generated"
    generated.mkdir()
    os.symlink("../../regulations", generated / "roles")
    (generated / "stale.md").write_text("# 旧页面\n", encoding="utf-8")
    before = _tree(project)
    result = run("build", "site", "--root", project, "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert _tree(project) == before
    assert not (tmp_path / "out" / "site" / "generated" / "stale").exists()


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): (os.readlink(p).encode() if p.is_symlink() else
                                          p.read_bytes() if p.is_file() else b"/")
            for p in sorted(folder.rglob("*"))}


def test_link_inside_the_project_is_allowed(project, tmp_path):
    shared = project / "shared"
    shared.mkdir()
    (shared / "logo.txt").write_text("shared logo\n", encoding="utf-8")
    os.symlink("../../shared/logo.txt", project / "site" / "assets" / "logo.txt")
    result = run("build", "site", "--root", project, "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "site" / "assets" / "logo.txt").read_text(encoding="utf-8") \
        == "shared logo\n"


def test_broken_link_is_named(project, tmp_path):
    os.symlink("missing.md", project / "site" / "gone.md")
    result = run("build", "site", "--root", project, "--out", tmp_path / "out")
    assert result.exit_code == 2
    assert "site/gone.md: error: broken symlink: site/missing.md does not exist" \
        in result.stderr


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def test_serve_never_returns_a_file_outside_the_site(project, secret, tmp_path):
    """A real `handbook serve` on 127.0.0.1: the project's link is refused by the build,
    and a link planted in the built site itself (e.g. a build folder that came with the
    project) is answered 404."""
    out = tmp_path / "out"
    assert run("build", "site", "--root", project, "--out", out).exit_code == 0
    os.symlink(secret, out / "site" / "planted.txt")
    os.symlink(secret, project / "site" / "assets" / "secret.txt")
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "--no-watch", "--port", str(port),
         "--root", str(project), "--out", str(out)], cwd=ROOT, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                status, body = _get(f"http://127.0.0.1:{port}/")
                break
            except OSError:
                assert process.poll() is None and time.monotonic() < deadline, \
                    "serve did not start"
                time.sleep(0.2)
        assert status == 200 and "管理制度手册".encode() in body
        for path in ("planted.txt", "assets/secret.txt", "../../secret.txt",
                     "%2e%2e/%2e%2e/secret.txt"):
            status, body = _get(f"http://127.0.0.1:{port}/{path}")
            assert status == 404, path
            assert SECRET.encode() not in body
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=10)
    assert "assets/secret.txt: error: refused: symlink to a place outside the project" \
        in output
    assert "Traceback" not in output
