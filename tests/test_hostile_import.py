"""Hostile or mistaken input to `handbook import`: zip bombs and damaged .docx packages,
Word files whose own properties are not valid, ids that are paths, an --out that is
not YAML, a full disk. Each ends with exit code 2 and a clear error (or, for a Word
file's properties, a warning and a guess), and changes no file."""

from __future__ import annotations

import io
import json
import os
import struct
import subprocess
import sys
import time
import zipfile
import zlib
from pathlib import Path

import docx
import pytest
import yaml
from conftest import ROOT, run
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from test_build_safety import _fill, small_disk  # noqa: F401 (a fixture)

from generator.importer import package

MIB = 1 << 20
HINT = ("(hint: open it in Word and save a copy without embedded pictures or objects, or "
        "save it as .txt and import that)")
ARTICLE = "第{}条　为规范公司各部门的日常管理工作，明确岗位职责，提高工作效率，特制定本条规定。"


# ---------------------------------------------------------------- building zip files


def _deflated_zeros(size: int) -> tuple[bytes, int]:
    """Raw deflate of size zero bytes (whole MiB), built from one compressed MiB repeated
    (each ends in a full flush, so the copies join into one valid stream), and its CRC."""
    zeros = bytes(MIB)
    block = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = block.compress(zeros) + block.flush(zlib.Z_FULL_FLUSH)
    last = zlib.compressobj(9, zlib.DEFLATED, -15)
    last = last.compress(zeros) + last.flush()
    crc = 0
    for _ in range(size // MIB):
        crc = zlib.crc32(zeros, crc)
    return block * (size // MIB - 1) + last, crc


def _write_zip(path: Path, members: dict[str, bytes | tuple[bytes, int, int]]) -> Path:
    """A zip file written by hand, so that a member can be given already deflated (bytes,
    declared size, CRC), whatever the size it declares."""
    out = io.BytesIO()
    directory = []
    for name, value in members.items():
        if isinstance(value, bytes):
            packer = zlib.compressobj(9, zlib.DEFLATED, -15)
            value = (packer.compress(value) + packer.flush(), len(value), zlib.crc32(value))
        data, size, crc = value
        raw, offset = name.encode(), out.tell()
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(data), size,
                              len(raw), 0) + raw + data)
        directory.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0,
                                     crc, len(data), size, len(raw), 0, 0, 0, 0, 0, offset)
                         + raw)
    start = out.tell()
    out.write(b"".join(directory))
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(directory), len(directory),
                          out.tell() - start, start, 0))
    path.write_bytes(out.getvalue())
    return path


def _word_members(tmp_path: Path, paragraphs=("第一条　内容。",)) -> dict[str, bytes]:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    path = tmp_path / "base.docx"
    document.save(path)
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


@pytest.fixture
def project(minimal) -> Path:
    return minimal


def _refusal(project: Path, source: Path) -> str:
    """Import source and return what it said last (after `Error: <source>: `), having
    checked the refusal came within a second, with exit code 2, and wrote nothing."""
    before = sorted(p.name for p in (project / "regulations").iterdir())
    started = time.perf_counter()
    result = run("import", source, "--root", project)
    elapsed = time.perf_counter() - started
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert elapsed < 1.0
    assert sorted(p.name for p in (project / "regulations").iterdir()) == before
    last, prefix = result.stderr.splitlines()[-1], f"Error: {source}: "
    assert last.startswith(prefix), last
    return last[len(prefix):]


# ---------------------------------------------------------------- zip bombs


def test_a_zip_bomb_is_refused_from_its_directory(project, tmp_path):
    """400 MB of zeros in 0.4 MB: the 396 KB bomb that did not finish in 15 minutes."""
    members = _word_members(tmp_path)
    data, crc = _deflated_zeros(400 * MIB)
    members["word/document.xml"] = (data, 400 * MIB, crc)
    bomb = _write_zip(tmp_path / "bomb.docx", members)
    assert bomb.stat().st_size < 500_000
    assert _refusal(project, bomb) == (
        "the .docx unpacks to 401 MB, more than the limit of 256 MB "
        + HINT)


def test_a_small_bomb_is_refused_by_its_compression_ratio(project, tmp_path):
    members = _word_members(tmp_path)
    data, crc = _deflated_zeros(8 * MIB)
    members["word/media/image1.png"] = (data, 8 * MIB, crc)
    bomb = _write_zip(tmp_path / "bomb.docx", members)
    assert _refusal(project, bomb) == (
        "word/media/image1.png in the .docx unpacks to 1,012 times its "
        "stored size, more than the limit of 200 times, as only a zip bomb does " + HINT)


def test_too_many_files_are_refused(project, tmp_path):
    bomb = tmp_path / "many.docx"
    with zipfile.ZipFile(bomb, "w") as archive:
        for name, data in _word_members(tmp_path).items():
            archive.writestr(name, data)
        for number in range(package.MAX_ENTRIES):
            archive.writestr(f"word/media/x{number}.bin", b"")
    count = package.MAX_ENTRIES + len(_word_members(tmp_path))
    assert _refusal(project, bomb) == (
        f"the .docx holds {count:,} files, more than the limit of 2,000 "
        + HINT)


def test_too_much_xml_is_refused(project, tmp_path):
    """Stored, not compressed: no ratio to see, but more text than an import should parse."""
    bomb = tmp_path / "long.docx"
    with zipfile.ZipFile(bomb, "w") as archive:
        for name, data in _word_members(tmp_path).items():
            archive.writestr(name, data, zipfile.ZIP_STORED)
        archive.writestr("word/glossary.xml", b" " * (33 * MIB), zipfile.ZIP_STORED)
    assert _refusal(project, bomb) == (
        "the text of the .docx unpacks to 34 MB of XML, more than the "
        "limit of 32 MB (hint: split the document into several files, or save it as .txt "
        "and import that)")


def test_a_compression_word_does_not_use_is_refused(project, tmp_path):
    packed = tmp_path / "bzip2.docx"
    with zipfile.ZipFile(packed, "w") as archive:
        for name, data in _word_members(tmp_path).items():
            archive.writestr(name, data, zipfile.ZIP_BZIP2 if name.endswith("document.xml")
                             else zipfile.ZIP_DEFLATED)
    assert _refusal(project, packed) == (
        "word/document.xml in the .docx is compressed with method 12, "
        "which Word does not use (hint: open it in Word and save it again)")


def test_a_directory_that_understates_sizes_is_caught_after_the_declared_size(
        project, tmp_path):
    """The directory says 400 KB; the data holds 400 MB. Unpacking stops at 400 KB."""
    members = _word_members(tmp_path)
    data, crc = _deflated_zeros(400 * MIB)
    members["word/document.xml"] = (data, 400_000, crc)
    liar = _write_zip(tmp_path / "liar.docx", members)
    assert _refusal(project, liar) == (
        "not a readable .docx (Bad CRC-32 for file 'word/document.xml') "
        "(hint: open it in Word and save it again)")


_MEMORY_PROBE = """
import resource, sys, time
from generator.cli import cli
for source in sys.argv[2:]:
    started = time.perf_counter()
    try:
        cli(["import", source, "--root", sys.argv[1], "--dry-run"], standalone_mode=False)
    except SystemExit as exc:
        print(exc.code, round(time.perf_counter() - started, 2))
def peak_mib():
    # this program's own high-water mark: Linux keeps the parent's in ru_maxrss across the
    # exec, so a large test process would count (VmHWM belongs to this program's memory)
    try:
        for line in open("/proc/self/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) // 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
print(peak_mib())
"""


def test_bombs_are_refused_in_little_memory(project, tmp_path):
    """The 3.9 MB bomb (4 GB of zeros) took 6 GB of memory; a lying directory 0.9 GB."""
    members = _word_members(tmp_path)
    data, crc = _deflated_zeros(4000 * MIB)
    big = _write_zip(tmp_path / "big.docx", {**members, "word/document.xml":
                                             (data, 4000 * MIB, crc)})
    data, crc = _deflated_zeros(400 * MIB)
    liar = _write_zip(tmp_path / "liar.docx", {**members, "word/document.xml":
                                               (data, 400_000, crc)})
    assert big.stat().st_size < 5 * MIB
    probe = subprocess.run([sys.executable, "-c", _MEMORY_PROBE, str(project), str(big),
                            str(liar)], capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONPATH": str(ROOT)})
    *refusals, megabytes = probe.stdout.split("\n")[:-1]
    assert [line.split()[0] for line in refusals] == ["2", "2"]
    assert all(float(line.split()[1]) < 1.0 for line in refusals)
    assert int(megabytes) < 400, probe.stdout
    assert probe.stderr.splitlines() == [
        f"Error: {big}: the .docx unpacks to 4,001 MB, more than the limit of 256 MB " + HINT,
        f"Error: {liar}: not a readable .docx (Bad CRC-32 for file 'word/document.xml') "
        "(hint: open it in Word and save it again)"]


# ---------------------------------------------------------------- a long Word file


def test_a_long_word_file_imports_about_as_fast_as_the_same_text(project, tmp_path):
    """2,000 articles: the .docx took 10 s more than the .txt (a style lookup that scanned
    every style of the document for every paragraph); now a fraction of a second."""
    lines = ["公司大文本管理制度"] + [ARTICLE.format(n) for n in range(1, 2001)]
    text = tmp_path / "long.txt"
    text.write_text("\n".join(lines) + "\n", encoding="utf-8")
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    word = tmp_path / "long.docx"
    document.save(word)
    run("import", text, "--root", project, "--id", "long", "--dry-run")  # loads word lists
    times = {}
    for source in (text, word):
        started = time.process_time()
        result = run("import", source, "--root", project, "--id", "long", "--dry-run")
        times[source.suffix] = time.process_time() - started
        assert result.exit_code == 0, result.output
        assert "公司大文本管理制度 — 0 chapters, 2000 articles" in result.stdout
    assert times[".docx"] < 2 * times[".txt"] + 1.0, times


# ---------------------------------------------------------------- ids and properties


def test_an_id_must_be_an_id_not_a_path(project, tmp_path):
    source = tmp_path / "a.txt"
    source.write_text("第一条　内容。\n", encoding="utf-8")
    before = sorted(str(p) for p in tmp_path.rglob("*"))
    result = run("import", source, "--root", project, "--id", "../../x")
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert result.stderr == (
        "Error: --id `../../x` is not a valid id (hint: lowercase letters, digits and "
        "hyphens, starting with a letter or digit, at most 63 characters, e.g. "
        "seal-management)\n")
    assert sorted(str(p) for p in tmp_path.rglob("*")) == before


def _our_kind_of_word_file(path: Path, identifier: str, **properties) -> Path:
    """A Word file that looks like one of ours: document properties and a front table."""
    document = docx.Document()
    document.add_paragraph("印章管理制度")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "备注"
    first = document.add_paragraph("第一条　为规范印章使用，制定本制度。")
    second = document.add_paragraph("第二条　印章由行政部保管。")
    for paragraph, name in ((first, "a_Bad Id"), (second, "a_keep")):
        bookmark = OxmlElement("w:bookmarkStart")
        bookmark.set(qn("w:id"), "0")
        bookmark.set(qn("w:name"), name)
        paragraph._p.append(bookmark)
    document.core_properties.identifier = identifier
    for key, value in properties.items():
        setattr(document.core_properties, key, value)
    document.save(path)
    return path


def test_a_word_files_invalid_properties_give_way_to_guesses(project, tmp_path):
    source = _our_kind_of_word_file(tmp_path / "seal.docx", "../../Evil Id",
                                    content_status="bogus", version="v1")
    result = run("import", source, "--root", project)
    assert result.exit_code == 0, result.output
    written = project / "regulations" / "yinzhang-guanlizhidu.yaml"
    assert result.stdout.splitlines() == [
        f"wrote {written}: 印章管理制度 — 0 chapters, 2 articles, 0 items, 4 warnings",
        "  warning: the Word file's identifier `../../Evil Id` is not a valid id: used "
        "`yinzhang-guanlizhidu` (or give one with --id)",
        "  warning: article ids of the Word file not kept: `Bad Id` is not a valid id",
        "  warning: the Word file's status `bogus` is not valid: guessed instead, check it",
        "  warning: the Word file's version `v1` is not valid: guessed instead, check it",
    ]
    data = yaml.safe_load(written.read_text(encoding="utf-8"))
    assert (data["id"], data["status"], data["version"]) == ("yinzhang-guanlizhidu", "draft",
                                                             "1.0")
    assert run("check", "--root", project).exit_code == 0


# ---------------------------------------------------------------- where it writes


def test_out_naming_an_existing_file_that_is_not_yaml_is_refused(project, tmp_path):
    source = tmp_path / "a.txt"
    source.write_text("第一条　内容。\n", encoding="utf-8")
    existing = tmp_path / "existing.txt"
    existing.write_bytes(b"precious\n")
    for force in ((), ("--force",)):
        result = run("import", source, "--root", project, "--id", "a", "--out", existing,
                     *force)
        assert result.exit_code == 2 and "Traceback" not in result.output
        assert result.stderr == (
            f"Error: --out {existing} is an existing file that is not YAML: nothing was "
            "written (hint: give a .yaml file name, or a folder)\n")
        assert existing.read_bytes() == b"precious\n"
    yaml_file = tmp_path / "existing.yaml"
    yaml_file.write_bytes(b"id: x\n")
    result = run("import", source, "--root", project, "--split", "--out", yaml_file)
    assert result.exit_code == 2
    assert result.stderr == (f"Error: --out {yaml_file} is a file; with --split it must be "
                             "a folder: nothing was written (hint: give a folder)\n")
    assert yaml_file.read_bytes() == b"id: x\n"


@pytest.mark.parametrize("umask, mode", [(0o022, "0o644"), (0o027, "0o640")])
def test_imported_yaml_gets_the_permissions_of_any_new_file(project, tmp_path, monkeypatch,
                                                           umask, mode):
    """Written through a temporary file beside it (none left), with the umask applied: not
    0600. The source is given relative to the current folder."""
    monkeypatch.chdir(tmp_path)
    Path("a.txt").write_text("第一条　内容。\n", encoding="utf-8")
    previous = os.umask(umask)
    try:
        result = run("import", "a.txt", "--root", project, "--id", "perm")
    finally:
        os.umask(previous)
    assert result.exit_code == 0, result.output
    written = project / "regulations" / "perm.yaml"
    assert oct(written.stat().st_mode & 0o777) == mode
    assert sorted(p.name for p in written.parent.iterdir()) == [
        "company.yaml", "forms", "org.yaml", "perm.yaml", "rules.yaml"]


def test_import_onto_a_full_disk_writes_nothing(project, tmp_path, small_disk):  # noqa: F811
    source = tmp_path / "a.txt"
    source.write_text("第一条　内容。\n" * 2000, encoding="utf-8")
    target = small_disk / "drafts" / "a.yaml"
    target.parent.mkdir()
    _fill(small_disk)
    result = run("import", source, "--root", project, "--id", "a", "--out", target)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert result.stderr.splitlines()[-1] == (
        f"Error: cannot write {target}: No space left on device (hint: check the folder exists "
        "and can be written, or write elsewhere with --out)")
    assert list(target.parent.iterdir()) == []


def test_the_limits_are_documented():
    """The figures the docs give are the ones the code applies."""
    page = " ".join((ROOT / "docs" / "importing.md").read_text(encoding="utf-8").split())
    figures = json.dumps([package.MAX_ENTRIES, package.MAX_TOTAL_BYTES // MIB,
                          package.MAX_XML_BYTES // MIB, package.MAX_RATIO])
    assert figures == "[2000, 256, 32, 200]"
    assert "at most 2,000 files, 256 MB unpacked, 32 MB of XML" in page
    assert "unpacking to more than 200 times its stored size" in page
