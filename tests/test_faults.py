"""A build killed (SIGKILL) at any instant: --out is the old build or the new one, whole;
the next build is not refused; nothing of the killed build keeps running or lying about."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, run, with_site_files

from generator.render import pdf

OLD, NEW = "为规范业务管理", "为规范本公司业务管理"
EXTRA = 7
"""Regulations added to the fixture: with the compendium, enough for forked Word workers."""


def _project(minimal: Path, extra: int = EXTRA) -> Path:
    with_site_files(minimal)
    regulations = minimal / "regulations"
    data = yaml.safe_load((regulations / "rules.yaml").read_text(encoding="utf-8"))
    for n in range(extra):
        data.update(id=f"extra-{n}", title=f"附加制度{n}", number=f"YW-ZD-1{n:02d}")
        (regulations / f"extra-{n}.yaml").write_text(
            yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return minimal


def _manifest(out: Path) -> dict[str, str]:
    """Every file of the build and a hash of its content (the caches and the sitemap,
    written again by every site build, left out)."""
    files = {}
    for folder, subfolders, names in os.walk(out):
        subfolders[:] = [d for d in subfolders if d != ".cache"]
        for name in names:
            path = Path(folder, name)
            relative = path.relative_to(out).as_posix()
            if name.startswith("sitemap.xml"):
                continue
            files[relative] = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
            if name.endswith(".pdf"):
                assert pdf.verify(path) is None, relative
    return files


def _ours(mark: str) -> list[str]:
    """Processes started by the killed build (they carry its mark in their environment)."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if f"HANDBOOK_FAULT_MARK={mark}".encode() in Path(f"/proc/{pid}/environ").read_bytes():
                found.append(Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
                             .decode(errors="replace")[:120])
        except OSError:  # gone meanwhile, or not ours to read
            pass
    return found


def _children(build: int, mark: str) -> int:
    """Forked workers of the build."""
    count = 0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == build and \
                "generator" in Path(f"/proc/{pid}/cmdline").read_text(errors="replace"):
            count += 1
    return count


def _wait(condition: Callable[[], bool], what: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"never saw {what}")
        time.sleep(0.02)


def _edit(project: Path, old: str, new: str) -> None:
    path = project / "regulations" / "rules.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def _kill_and_check(project: Path, out: Path, targets: tuple[str, ...], instant: str,
                    force: bool = False) -> str:
    """Build the other version of the project, kill the build at instant; check the output,
    the processes and the next build. Returns which build --out held after the kill."""
    before = _manifest(out)
    text = (project / "regulations" / "rules.yaml").read_text(encoding="utf-8")
    _edit(project, *((NEW, OLD) if NEW in text else (OLD, NEW)))
    mark = uuid.uuid4().hex
    flag = out.parent / f"flag-{mark}"
    env = dict(os.environ, HANDBOOK_FAULT_MARK=mark, HANDBOOK_FAULT_FLAG=str(flag),
               PYTHONPATH=os.pathsep.join([os.environ.get("PYTHONPATH", ""), str(ROOT)]))
    if instant in ("swap", "swapped"):
        env["HANDBOOK_FAULT_PAUSE"] = instant
    command = [sys.executable, "-m", "generator", "build", *targets, "--root", str(project),
               "--out", str(out), "--quiet", *(["--force"] if force else [])]
    build = subprocess.Popen(command, env=env, stderr=subprocess.PIPE)
    generations = out.parent / f".{out.name}.generations"
    started = time.monotonic()
    if instant.startswith("after "):
        time.sleep(float(instant.split()[1]))
    elif instant == "staging":
        _wait(lambda: len(os.listdir(generations)) > 1, "a staging folder")
    elif instant == "workers":
        _wait(lambda: _children(build.pid, mark) >= 2, "two forked workers")
    elif instant == "soffice":
        _wait(lambda: any("soffice.bin" in p for p in _ours(mark)), "LibreOffice")
        time.sleep(0.3)
    else:
        _wait(flag.exists, f"the build at {instant}")
    assert build.poll() is None, f"the build ended before {instant}: {build.stderr.read()}"
    build.kill()
    build.wait()
    build.stderr.close()
    killed_at = time.monotonic() - started
    after = _manifest(out)
    _wait(lambda: not _ours(mark), f"no process left by the build killed at {instant}", 10)
    result = run("build", *targets, "--root", project, "--out", out, "--quiet")
    assert result.exit_code == 0, result.output  # not refused by a lock of the dead build
    new = _manifest(out)
    assert new != before
    assert after in (before, new), f"mixed build after a kill at {instant}"
    assert os.listdir(generations) == [os.readlink(out).split("/")[-1]]  # no staging left
    assert not [p for p in out.parent.iterdir() if p.name.startswith(f".{out.name}-")]
    print(f"killed at {instant} ({killed_at:.1f} s): {'old' if after == before else 'new'}")
    return "old" if after == before else "new"


def test_a_build_killed_at_any_instant_leaves_the_old_or_the_new_build(minimal, tmp_path):
    project, out = _project(minimal), tmp_path / "out"
    quick = ("text", "docx")
    assert run("build", *quick, "--root", project, "--out", out).exit_code == 0
    for instant in ("after 0.3", "staging", "after 0.2"):
        _kill_and_check(project, out, quick, instant)
    _kill_and_check(project, out, quick, "workers", force=True)
    assert _kill_and_check(project, out, quick, "swap") == "old"
    assert _kill_and_check(project, out, quick, "swapped") == "new"
    _kill_and_check(project, out, ("site",), "staging")
    assert _kill_and_check(project, out, ("site",), "swap") == "old"


@pytest.mark.skipif(pdf.soffice() is None, reason="LibreOffice is not installed")
def test_a_build_killed_while_converting_leaves_no_libreoffice(minimal, tmp_path):
    project, out = minimal, tmp_path / "out"
    assert run("build", "pdf", "--root", project, "--out", out).exit_code == 0
    _kill_and_check(project, out, ("pdf",), "soffice")
    assert _kill_and_check(project, out, ("pdf",), "swapped") == "new"


def test_a_build_stopped_by_sigterm_stops_its_libreoffice_and_staging(minimal, tmp_path):
    """SIGTERM (a service manager, `kill`) ends the build as an error does."""
    out = tmp_path / "out"
    mark = uuid.uuid4().hex
    flag = tmp_path / "flag"
    env = dict(os.environ, HANDBOOK_FAULT_MARK=mark, HANDBOOK_FAULT_FLAG=str(flag),
               HANDBOOK_FAULT_PAUSE="swap",
               PYTHONPATH=os.pathsep.join([os.environ.get("PYTHONPATH", ""), str(ROOT)]))
    build = subprocess.Popen([sys.executable, "-m", "generator", "build", "text", "--root",
                              str(minimal), "--out", str(out)], env=env,
                             stderr=subprocess.PIPE, text=True)
    _wait(flag.exists, "the build at its swap")
    build.send_signal(signal.SIGTERM)
    assert build.wait(timeout=10) == 128 + signal.SIGTERM
    assert "Traceback" not in build.stderr.read()
    build.stderr.close()
    assert not out.exists()
    assert os.listdir(tmp_path / ".out.generations") == []  # staging removed on the way out


@pytest.mark.skipif(pdf.soffice() is None or pdf.uno_python() is None,
                    reason="LibreOffice or its Python bridge is not installed")
def test_a_build_stopped_by_sigterm_while_converting_stops_at_once(minimal, tmp_path):
    """LibreOffice converts while the forms and the site are made: SIGTERM then stops the
    conversions too, at once (60 regulations take longer than the limit below to
    convert), and leaves no LibreOffice behind."""
    project, out = _project(minimal, 60), tmp_path / "out"
    mark = uuid.uuid4().hex
    env = dict(os.environ, HANDBOOK_FAULT_MARK=mark,
               PYTHONPATH=os.pathsep.join([os.environ.get("PYTHONPATH", ""), str(ROOT)]))
    build = subprocess.Popen([sys.executable, "-m", "generator", "build", "pdf", "forms",
                              "site", "--root", str(project), "--out", str(out)], env=env,
                             stderr=subprocess.PIPE, text=True)
    _wait(lambda: any("soffice.bin" in p for p in _ours(mark)), "LibreOffice", 60)
    time.sleep(0.5)
    stopped = time.monotonic()
    build.send_signal(signal.SIGTERM)
    assert build.wait(timeout=30) == 128 + signal.SIGTERM
    took = time.monotonic() - stopped
    assert took < 8
    assert "Traceback" not in build.stderr.read()
    build.stderr.close()
    _wait(lambda: not _ours(mark), "no process left by the stopped build", 10)
    assert not out.exists()
    assert os.listdir(tmp_path / ".out.generations") == []
