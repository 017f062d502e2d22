"""The build reads the project and writes only under --out: the checkout is left exactly
as it was, and two builds of one checkout into two folders run side by side."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, run, with_site_files


def _tree(folder: Path) -> dict[str, str]:
    """Every file of folder with its digest (links by their target)."""
    found = {}
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(folder).as_posix()
        if path.is_symlink():
            found[name] = "-> " + os.readlink(path)
        elif path.is_file():
            found[name] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def _pages(out: Path) -> dict[str, str]:
    site = out / "site"
    return {name: digest for name, digest in _tree(site).items() if name.endswith(".html")
            and not name.startswith("sitemap")}


def test_a_build_writes_nothing_into_the_project(minimal, tmp_path):
    project = with_site_files(minimal)
    before = _tree(project)
    assert run("build", "--root", project, "--out", tmp_path / "out").exit_code == 0
    assert _tree(project) == before
    assert (tmp_path / "out" / "site" / "generated" / "regulations" / "rules" /
            "index.html").is_file()


def test_two_builds_of_one_checkout_into_two_folders_at_once(minimal, tmp_path):
    project = with_site_files(minimal)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH",
                                                                                 "")]))
    outs = [tmp_path / "one", tmp_path / "two"]
    builds = [subprocess.Popen([sys.executable, "-m", "generator", "build", "site", "--root",
                                str(project), "--out", str(out), "--quiet"], env=env,
                               stderr=subprocess.PIPE, text=True) for out in outs]
    errors = [build.communicate(timeout=300)[1] for build in builds]
    assert [build.returncode for build in builds] == [0, 0], errors
    assert not any("Traceback" in error for error in errors)
    first, second = (_pages(out) for out in outs)
    assert len(first) >= 8
    assert "generated/regulations/rules/index.html" in first
    assert first == second  # the same pages, byte for byte
    alone = tmp_path / "alone"
    assert run("build", "site", "--root", project, "--out", alone, "--quiet").exit_code == 0
    assert _pages(alone).keys() == first.keys()
