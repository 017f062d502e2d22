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
    """Every file's digest, but the build's working cache (.cache: not an output)."""
    return {path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*"))
            if path.is_file() and not path.relative_to(folder).as_posix().startswith(".cache/")}


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


def test_a_read_only_project_builds(project, small_disk, tmp_path):
    """The build writes nothing into the project: a checkout on a read-only file system
    builds, and its files are as they were."""
    copy = small_disk / "project"
    subprocess.run(["cp", "-a", str(project), str(copy)], check=True)
    before = _digests(copy)
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    result = run("build", "site", "--root", copy, "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "site" / "generated" / "regulations" / "rules" /
            "index.html").is_file()
    assert _digests(copy) == before
    assert not (copy / "site" / "generated").exists()


def test_file_where_a_folder_goes_is_named(project, tmp_path):
    (tmp_path / "blocker").write_text("not a folder\n", encoding="utf-8")
    out = tmp_path / "blocker" / "out"
    result = run("build", "site", "--root", project, "--out", out)
    assert result.exit_code == 2
    assert (f"Error: cannot make the folder of --out {out}: {tmp_path / 'blocker'} is a file, "
            "not a folder (hint: choose another --out") in result.stderr
    assert "Traceback" not in result.output
    assert (tmp_path / "blocker").read_text(encoding="utf-8") == "not a folder\n"

