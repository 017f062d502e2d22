"""A build that cannot finish (a full disk, a read-only folder, a failed PDF) changes
nothing in --out and says why; a damaged PDF is never reused; relative paths work."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from conftest import ROOT, run, with_site_files
from test_faults import _manifest, _ours, _wait

from generator.render import pdf

OLD, NEW = "为规范业务管理", "为规范本公司业务管理"


def _edit(project: Path) -> None:
    path = project / "regulations" / "rules.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(OLD, NEW), encoding="utf-8")


@pytest.fixture
def small_disk(tmp_path):
    """A 16 MB tmpfs, to be filled (skipped where mounting is not permitted)."""
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(disk)],
                             capture_output=True, text=True, check=False)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def _fill(disk: Path) -> Path:
    """Write into disk until it is full."""
    filler = disk / "filler"
    with open(filler, "wb", buffering=0) as stream:
        try:
            while True:
                stream.write(b"\0" * 65536)
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
    return filler


def _stderr_lines(result) -> list[str]:
    return result.stderr.splitlines()


def test_a_full_disk_fails_the_build_with_the_reason_and_keeps_the_last_build(
        minimal, small_disk):
    with_site_files(minimal)
    out = small_disk / "out"
    assert run("build", "text", "docx", "--root", minimal, "--out", out).exit_code == 0
    before = _manifest(out)
    _edit(minimal)
    _fill(small_disk)
    for targets in (("text", "docx"), ("site",)):
        result = run("build", *targets, "--root", minimal, "--out", out)
        assert result.exit_code == 2
        assert _stderr_lines(result) == [
            f"Error: cannot write the build: No space left on device; {out} is left as it was"]
        assert _manifest(out) == before
    assert sorted(os.listdir(small_disk)) == [".out.generations", ".out.lock", "filler", "out"]
    assert os.listdir(small_disk / ".out.generations") == [os.readlink(out).split("/")[1]]


def test_a_read_only_folder_fails_the_build_with_the_reason(minimal, small_disk):
    out = small_disk / "out"
    assert run("build", "text", "--root", minimal, "--out", out).exit_code == 0
    before = _manifest(out)
    _edit(minimal)
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    try:
        result = run("build", "text", "--root", minimal, "--out", out)
    finally:
        subprocess.run(["mount", "-o", "remount,rw", str(small_disk)], check=True)
    assert result.exit_code == 2
    assert _stderr_lines(result) == [
        f"Error: cannot write the build: Read-only file system ({small_disk}/.out.lock); "
        f"{out} is left as it was"]
    assert _manifest(out) == before


needs_office = pytest.mark.skipif(pdf.soffice() is None or pdf.uno_python() is None,
                                  reason="LibreOffice or its Python bridge is not installed")


@needs_office
def test_a_disk_full_while_converting_fails_the_build_and_keeps_the_old_pdfs(minimal,
                                                                             small_disk):
    out = small_disk / "out"
    assert run("build", "pdf", "--root", minimal, "--out", out).exit_code == 0
    before = _manifest(out)
    _edit(minimal)
    mark = uuid.uuid4().hex
    env = dict(os.environ, HANDBOOK_FAULT_MARK=mark,
               PYTHONPATH=os.pathsep.join([os.environ.get("PYTHONPATH", ""), str(ROOT)]))
    build = subprocess.Popen([sys.executable, "-m", "generator", "build", "pdf", "--root",
                              str(minimal), "--out", str(out)], env=env, text=True,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _wait(lambda: any("soffice.bin" in p for p in _ours(mark)), "LibreOffice starting")
    filler = _fill(small_disk)  # as LibreOffice starts: the conversions meet a full disk
    stdout, stderr = build.communicate(timeout=120)
    assert build.returncode == 2, stdout + stderr
    assert stderr.splitlines() == [
        "pdf/rules.pdf: error: PDF conversion of rules.docx failed: No space left on device",
        "pdf/制度汇编.pdf: error: PDF conversion of 制度汇编.docx failed: "
        "No space left on device",
        "Error: 2 PDF conversions failed; the previous build is left as it was"]
    assert _manifest(out) == before  # the good PDFs and their cache entries are kept
    _wait(lambda: not _ours(mark), "LibreOffice gone", 10)
    filler.unlink()
    result = run("build", "pdf", "--root", minimal, "--out", out, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["rebuilt"]["pdf/rules.pdf"] == "changed"


@needs_office
def test_a_damaged_pdf_of_the_last_build_is_converted_again(minimal, tmp_path):
    out = tmp_path / "out"
    assert run("build", "pdf", "--root", minimal, "--out", out).exit_code == 0
    target = out / "pdf" / "rules.pdf"
    with open(target, "r+b") as stream:  # as a full disk left it
        stream.truncate(target.stat().st_size // 2)
    assert pdf.verify(target) is not None
    result = run("build", "pdf", "--root", minimal, "--out", out, "--json")
    assert result.exit_code == 0, result.output
    rebuilt = json.loads(result.stdout)["rebuilt"]
    assert rebuilt["pdf/rules.pdf"] == "damaged" and "pdf/制度汇编.pdf" not in rebuilt
    assert pdf.verify(target) is None


def test_a_file_that_is_not_a_pdf_fails_verification(tmp_path):
    empty, text = tmp_path / "empty.pdf", tmp_path / "text.pdf"
    empty.write_bytes(b"")
    text.write_text("%PDF-1.7\nnot really\n", encoding="ascii")
    assert pdf.verify(empty).startswith("not a valid PDF")
    assert pdf.verify(text).startswith("not a valid PDF")
    assert pdf.verify(tmp_path / "missing.pdf") == "no PDF was written"


def test_relative_root_and_out_are_those_of_the_folder_the_command_runs_in(
        minimal, tmp_path, monkeypatch):
    with_site_files(minimal)
    monkeypatch.chdir(tmp_path)
    result = run("build", "site", "--root", "project", "--out", "project/build")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1].startswith(
        f"Built 68 files into {tmp_path}/project/build (")
    assert (tmp_path / "project" / "build" / "site" / "index.html").is_file()
    assert not (tmp_path / "project" / "project").exists()
    assert sorted(p.name for p in (tmp_path / "project").iterdir() if p.name.startswith(".")) \
        == [".build.generations", ".build.lock"]


def test_a_real_build_folder_becomes_a_link_to_the_first_generation(minimal, tmp_path):
    """--out of an earlier version (a real folder) is taken over whole, other files kept."""
    out = tmp_path / "out"
    (out / "text").mkdir(parents=True)
    (out / "text" / "old.txt").write_text("旧", encoding="utf-8")
    (out / "filled").mkdir()
    (out / "filled" / "mine.docx").write_text("填好的", encoding="utf-8")
    (out / ".docx-previous").mkdir()  # left by a build of an earlier version
    (tmp_path / ".out-abcd1234").mkdir()  # its staging folder, as a killed build left it
    assert run("build", "docx", "--root", minimal, "--out", out).exit_code == 0
    assert out.is_symlink() and os.readlink(out).startswith(".out.generations/")
    assert (out / "filled" / "mine.docx").read_text(encoding="utf-8") == "填好的"
    assert (out / "text" / "old.txt").exists() and (out / "docx" / "rules.docx").exists()
    assert not (out / ".docx-previous").exists()
    assert not (tmp_path / ".out-abcd1234").exists()
    assert len(os.listdir(tmp_path / ".out.generations")) == 1
