"""`handbook serve` as an editor uses it: a real server process, a real Chromium page, real
saves. The open page reloads itself after a rebuild and shows a broken save's problems."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import ROOT, with_site_files

from generator import live

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PAGE = "generated/regulations/rules/"
BODY = "(document.body ? document.body.innerText : '')"
"""The page's text, also while it reloads (between two documents there is no body)."""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _start(project: Path, out: Path, *extra: str) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "--port", str(port), "--root", str(project),
         "--out", str(out), *extra], cwd=ROOT, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    base = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 90
    while True:
        try:
            urllib.request.urlopen(base, timeout=5).read()
            return process, base
        except OSError:
            assert process.poll() is None and time.monotonic() < deadline, "serve did not start"
            time.sleep(0.2)


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is installed by "
                                                         "`make test`")
def test_the_open_page_reloads_after_a_save_and_shows_a_broken_one(minimal, tmp_path):
    from playwright.sync_api import sync_playwright

    project = with_site_files(minimal)
    rules = project / "regulations" / "rules.yaml"
    good = rules.read_text(encoding="utf-8")
    process, base = _start(project, tmp_path / "out")
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            page = browser.new_page()
            page.goto(base + PAGE)
            page.wait_for_function(f"{BODY}.includes('为规范业务管理')")
            page.evaluate("window.notReloaded = true")

            rules.write_text(good.replace("为规范业务管理", "为规范本公司业务管理"), encoding="utf-8")
            page.wait_for_function(f"{BODY}.includes('为规范本公司业务管理')",
                                   timeout=30_000)
            assert page.evaluate("window.notReloaded") is None  # the page was reloaded

            rules.write_text(good.replace("title: 总则", "title: [总则"), encoding="utf-8")
            alert = page.locator("#hb-live-problems")
            alert.wait_for(timeout=30_000)
            assert "保存的文件有错误" in alert.inner_text()
            assert "regulations/rules.yaml:" in alert.inner_text()
            assert "YAML syntax error" in alert.inner_text()
            assert "为规范本公司业务管理" in page.inner_text("body")  # the last good page stays

            rules.write_text(good, encoding="utf-8")
            page.wait_for_function(f"{BODY}.includes('为规范业务管理') && "
                                   "!document.getElementById('hb-live-problems')",
                                   timeout=30_000)
            browser.close()
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=10)
    assert '"GET /' not in output  # no access lines without --verbose
    assert "Traceback" not in output


def test_the_built_site_itself_has_no_live_reload_script(minimal, tmp_path):
    from conftest import run

    project = with_site_files(minimal)
    out = tmp_path / "out"
    assert run("build", "site", "--root", project, "--out", out).exit_code == 0
    page = (out / "site" / PAGE / "index.html").read_bytes()
    assert live.TAG not in page
    assert live.with_script(page).count(live.TAG) == 1
    assert live.with_script(page).index(live.TAG) < page.rindex(b"</body>") + len(live.TAG)


def test_a_waiting_page_is_answered_as_soon_as_the_state_changes():
    import threading

    state = live.BuildState()
    first = state.wait("")
    assert b'"serial": 0' in first
    answers = []
    waiting = threading.Thread(target=lambda: answers.append(state.wait("0", timeout=10)))
    waiting.start()
    time.sleep(0.2)
    assert not answers
    started = time.monotonic()
    state.failed(["rules.yaml:3:1: error: x"])
    waiting.join(5)
    assert time.monotonic() - started < 1
    assert b"rules.yaml:3:1" in answers[0]
    state.built()
    assert b'"problems": []' in state.wait("1") and b'"generation": 1' in state.wait("1")
