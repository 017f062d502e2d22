"""`handbook watch` as a user runs it: a real process, real saves, real rebuilds."""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path

import docx
import pytest

HANDBOOK = [sys.executable, "-m", "generator"]


class Watching:
    """A running `handbook watch`, its output read line by line."""

    def __init__(self, project: Path, out: Path) -> None:
        self.process = subprocess.Popen(
            [*HANDBOOK, "watch", "docx", "--root", str(project), "--out", str(out)],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            cwd=Path(__file__).parent.parent, env={**os.environ, "PYTHONUNBUFFERED": "1"})
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def wait_for(self, start: str, timeout: float = 60) -> list[str]:
        """Lines printed until one starting with `start` (which is included)."""
        seen = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.5)
            except queue.Empty:
                continue
            seen.append(line)
            if line.startswith(start):
                return seen
        pytest.fail(f"no line starting {start!r} within {timeout} s; saw {seen}")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture
def watching(minimal, tmp_path):
    watcher = Watching(minimal, tmp_path / "out")
    yield watcher
    watcher.stop()


def _texts(path: Path) -> list[str]:
    return [p.text for p in docx.Document(path).paragraphs]


def test_watch_rebuilds_on_save_and_survives_a_yaml_mistake(watching, minimal, tmp_path):
    rules = minimal / "regulations" / "rules.yaml"
    document = tmp_path / "out" / "docx" / "rules.docx"
    watching.wait_for("watching")
    assert "第一条　为规范业务管理，特制定本制度。" in _texts(document)

    good = rules.read_text(encoding="utf-8")
    rules.write_text(good.replace("为规范业务管理", "为规范本公司业务管理"), encoding="utf-8")
    lines = watching.wait_for("ready")
    assert any(line.startswith("changed: regulations/rules.yaml") for line in lines)
    assert "docx/rules.docx (changed)" in lines[-1]
    assert lines[-1].endswith("; next: docx/制度汇编.docx, handbook.json")  # gathered ones second
    assert "第一条　为规范本公司业务管理，特制定本制度。" in _texts(document)
    lines = watching.wait_for("all ready")
    assert "docx/制度汇编.docx (changed)" in lines[-1]
    compendium = tmp_path / "out" / "docx" / "制度汇编.docx"
    assert "第一条　为规范本公司业务管理，特制定本制度。" in _texts(compendium)

    rules.write_text(good.replace("title: 总则", "title: [总则"), encoding="utf-8")
    lines = watching.wait_for("Error:")
    assert any(line.startswith("regulations/rules.yaml:") and "YAML syntax error" in line
               for line in lines), lines
    assert "the last good build stays in" in lines[-1]
    assert watching.process.poll() is None  # still running
    assert "第一条　为规范本公司业务管理，特制定本制度。" in _texts(document)

    rules.write_text(good, encoding="utf-8")
    watching.wait_for("all ready")
    assert "第一条　为规范业务管理，特制定本制度。" in _texts(document)


def test_a_build_on_a_terminal_shows_a_progress_bar(minimal, tmp_path):
    """On a real terminal (a pseudo-terminal here) rich draws the bar on stderr; it is
    gone when the build ends, leaving the summary."""
    import pty

    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [*HANDBOOK, "build", "text", "docx", "--root", str(minimal), "--out",
         str(tmp_path / "out")], stdin=follower, stdout=follower, stderr=follower,
        cwd=Path(__file__).parent.parent, env={**os.environ, "COLUMNS": "100"})
    os.close(follower)
    output = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal closes when the process ends
            break
        if not chunk:
            break
        output += chunk
    assert process.wait(timeout=60) == 0
    text = output.decode("utf-8", "replace")
    assert "━" in text  # the bar
    assert "Built 4 files" in text


def test_a_save_between_the_first_build_and_the_watch_loop_is_built(minimal, tmp_path):
    """`handbook watch` prints `watching` after its first build; a file saved right then,
    before the loop looked at the sources, was never rebuilt for."""
    from generator.serving import Watcher

    said: list[str] = []
    watcher = Watcher(minimal, tmp_path / "out", ("text",), said.append)
    assert watcher.first_build()
    first = len(said)
    rules = minimal / "regulations" / "rules.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").replace("为规范业务管理", "为规范本公司业务管理"),
                     encoding="utf-8")
    stop = threading.Event()
    loop = threading.Thread(target=watcher.run, args=(stop,))
    loop.start()
    try:
        deadline = time.monotonic() + 30
        while not any(line.startswith("ready") for line in said[first:]) and \
                time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        stop.set()
        loop.join(timeout=30)
    assert any(line.startswith("changed: regulations/rules.yaml") for line in said), said
    text = (tmp_path / "out" / "text" / "rules.txt").read_text(encoding="utf-8")
    assert "为规范本公司业务管理" in text
