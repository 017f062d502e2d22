"""How the Word files are fed to LibreOffice: a lean copy of each (only the styles it uses)
prints the same pages, and LibreOffice converts while the forms and the site are made."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import threading
import zipfile

import pytest
from conftest import run, with_site_files

from generator.build import build
from generator.build_job import Progress
from generator.load import load_project
from generator.render import pdf as pdf_renderer
from generator.render.uno_convert import lean_copy

needs_office = pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftoppm") is None,
    reason="LibreOffice or poppler's pdftoppm is not installed")

USED = re.compile(rb'<w:(?:pStyle|rStyle|tblStyle) w:val="([^"]*)"')


def _styles(data: bytes) -> dict[bytes, bytes]:
    """Each style's id and its XML."""
    return {m.group(1): m.group(0) for m in re.finditer(
        rb'<w:style [^>]*w:styleId="([^"]*)".*?</w:style>', data, re.S)}


def test_a_lean_copy_keeps_every_style_its_parts_use_and_nothing_else_changes(
        bundled_build, tmp_path):
    source = bundled_build / "docx" / "meeting-room-management.docx"
    lean = lean_copy(source, tmp_path / "lean.docx")
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(lean) as copy:
        assert original.namelist() == copy.namelist()
        for name in original.namelist():
            if name != "word/styles.xml":
                assert original.read(name) == copy.read(name), name
        before = _styles(original.read("word/styles.xml"))
        after_xml = copy.read("word/styles.xml")
        used = {style for name in original.namelist() if name.endswith(".xml")
                and name != "word/styles.xml" for style in USED.findall(original.read(name))}
    after = _styles(after_xml)
    assert used and used <= set(after), used - set(after)
    for key, xml in after.items():  # what a kept style is based on is kept too
        for based in re.findall(rb'<w:basedOn w:val="([^"]*)"', xml):
            assert based in after, (key, based)
    assert all(before[key] == xml for key, xml in after.items())
    assert b"w:latentStyles" not in after_xml
    assert len(after) < len(before) / 3, (len(after), len(before))


@needs_office
def test_a_lean_copy_prints_the_same_pages_as_its_original(bundled_build, tmp_path):
    source = bundled_build / "docx" / "meeting-room-management.docx"
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    shutil.copy(source, tmp_path / "a.docx")
    lean_copy(source, tmp_path / "b.docx")
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(tmp_path / "a.docx"),
                    str(tmp_path / "b.docx")], check=True, capture_output=True, timeout=180)
    for folder in ("a", "b"):
        subprocess.run(["pdftoppm", "-r", "40", "-gray", str(tmp_path / f"{folder}.pdf"),
                        str(tmp_path / folder / "page")], check=True)
    pages = sorted(path.name for path in (tmp_path / "a").glob("page*"))
    assert pages and pages == sorted(path.name for path in (tmp_path / "b").glob("page*"))
    for name in pages:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


class _HeldConversions(Progress):
    """Holds the conversion thread at its first PDF until the forms are being made: a
    build that made the forms only after its conversions would wait here in vain."""

    def __init__(self) -> None:
        self.forms_started = threading.Event()
        self.held = False

    def advance(self, label: str) -> None:
        if threading.current_thread() is threading.main_thread():
            if label.endswith(".pdf"):  # a form's PDF (the main thread converts none)
                self.forms_started.set()
        elif label.endswith(".pdf") and not self.held:
            self.held = self.forms_started.wait(timeout=120)


@pytest.mark.skipif(pdf_renderer.soffice() is None or pdf_renderer.uno_python() is None,
                    reason="LibreOffice or its Python bridge is not installed")
def test_libreoffice_converts_while_the_forms_and_the_site_are_made(minimal, tmp_path):
    project = with_site_files(minimal)
    progress = _HeldConversions()
    out = tmp_path / "out"
    build(load_project(project), project, out, ("docx", "pdf", "forms", "site"),
          progress=progress)
    assert progress.held, "the forms were made only after the conversions"
    _assert_offered(out)
    rules = project / "regulations" / "rules.yaml"  # an edit: its PDF is made again
    rules.write_text(rules.read_text(encoding="utf-8").replace("为规范", "为了规范", 1),
                     encoding="utf-8")
    build(load_project(project), project, out, ("docx", "pdf", "forms", "site"))
    _assert_offered(out)


def _assert_offered(out) -> None:
    """The site and its docs folder offer every PDF of the build, as it is (MkDocs ran
    with empty stand-ins for the PDFs still being made)."""
    pdfs = sorted(path.name for path in (out / "pdf").glob("*.pdf"))
    assert len(pdfs) >= 2
    for offered in (out / "site" / "generated" / "downloads" / "pdf",
                    out / ".cache" / "site-docs" / "generated" / "downloads" / "pdf"):
        assert sorted(path.name for path in offered.glob("*.pdf")) == pdfs
        for name in pdfs:
            assert (offered / name).read_bytes() == (out / "pdf" / name).read_bytes()


@needs_office
def test_a_small_job_starts_one_libreoffice_and_a_large_one_one_per_core(
        bundled_build, minimal, tmp_path, monkeypatch):
    """A second LibreOffice costs about 2 s of CPU to start: only a job that takes longer
    than that gets one (the bundled regulations do, one small regulation does not)."""
    started: list[list[str]] = []

    class Counted(subprocess.Popen):
        def __init__(self, command, *args, **kwargs):
            started.append([str(part) for part in command])
            super().__init__(command, *args, **kwargs)

    monkeypatch.setattr(pdf_renderer.subprocess, "Popen", Counted)
    out = tmp_path / "out"
    assert run("build", "pdf", "--root", minimal, "--out", out, "--quiet").exit_code == 0
    assert (out / "pdf" / "rules.pdf").exists() and (out / "pdf" / "制度汇编.pdf").exists()
    assert sum(str(pdf_renderer.CONVERTER) in command for command in started) == 1
    large = sorted((bundled_build / "docx").glob("*.docx"))
    assert pdf_renderer.converters_for(large) == min(pdf_renderer.MAX_WORKERS,
                                                     os.cpu_count() or 1)
