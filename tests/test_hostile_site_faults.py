"""The site build on a failing machine: a full disk, a read-only folder, a file where a
folder goes. Each is a clear error naming the path and the reason, exit 2, no traceback,
and the previous build stays as it was."""

from __future__ import annotations

import hashlib
import re
import subprocess
from pathlib import Path

import pytest
from conftest import run, with_site_files


@pytest.fixture
def project(minimal: Path) -> Path:
    """The minimal project with the repository's site files (mkdocs.yml, site/, templates/)."""
    return with_site_files(minimal)


@pytest.fixture
def small_disk(tmp_path: Path):
    """A real 4 MB file system (tmpfs): room for one build of the minimal site, not two."""
    folder = tmp_path / "disk"
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(folder)],
                             capture_output=True, text=True, check=False)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {mounted.stderr.strip()}")
    yield folder
    subprocess.run(["umount", "-l", str(folder)], check=False)


def _digests(folder: Path) -> dict[str, str]:
    return {path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def test_full_disk_is_a_clear_error_and_the_old_site_survives(project, small_disk):
    out = small_disk / "out"
    assert run("build", "site", "--root", project, "--out", out, "--quiet").exit_code == 0
    before = _digests(out)
    result = run("build", "site", "--root", project, "--out", out, "--force")
    assert result.exit_code == 2
    assert re.search(r"error: cannot write: No space left on device \(hint: free some space "
                     r"on that disk, then build again; the previous build is untouched\)",
                     result.stderr), result.stderr
    assert "Error: the site could not be written: No space left on device" in result.stderr
    assert "Traceback" not in result.output
    assert _digests(out) == before
    assert sorted(p.name for p in small_disk.iterdir()) == [".out.generations", ".out.lock",
                                                            "out"]
    kept = [p.name for p in (small_disk / ".out.generations").iterdir()]
    assert kept == [out.resolve().name]  # the failed build's generation is gone


def test_read_only_project_is_a_clear_error(project, small_disk, tmp_path):
    """The site's pages are written into the project's site/generated/: a project on a
    read-only file system is named, not a traceback."""
    copy = small_disk / "project"
    subprocess.run(["cp", "-a", str(project), str(copy)], check=True)
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    result = run("build", "site", "--root", copy, "--out", tmp_path / "out")
    assert result.exit_code == 2
    assert re.search(r"site/generated\S*: error: cannot write: Read-only file system \(hint: "
                     r"build into a writable folder", result.stderr), result.stderr
    assert "Traceback" not in result.output


def test_file_where_a_folder_goes_is_named(project, tmp_path):
    (project / "site" / "generated").write_text("not a folder\n", encoding="utf-8")
    result = run("build", "site", "--root", project, "--out", tmp_path / "out")
    assert result.exit_code == 2
    assert re.search(r"site/generated/\S+: error: cannot write: Not a directory \(hint: a file "
                     r"stands where a folder is needed: move it away", result.stderr), \
        result.stderr
    assert "Traceback" not in result.output
    assert not (tmp_path / "out" / "site").exists()
