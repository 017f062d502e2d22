"""Save to visible change with `handbook serve` on the bundled handbook, in Chromium.

    .venv/bin/python bench/live_reload.py [--saves 7]

Copies the project to a temporary folder, starts `handbook serve` there, opens a regulation
page in headless Chromium and edits one of its articles again and again; each time it
measures from the write of the file to the new text showing in the open page (which reloads
itself). Prints the median, fastest and slowest.
"""

from __future__ import annotations

import argparse
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FILE = "regulations/travel-expense.yaml"
PAGE = "generated/regulations/travel-expense/"
ORIGINAL = "市区内出差以公交为主。"


def main() -> None:
    """Run the measurement and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=7)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder:
        project = Path(folder) / "project"
        project.mkdir()
        for name in ("regulations", "templates", "site", "mkdocs.yml"):
            source = ROOT / name
            (shutil.copytree if source.is_dir() else shutil.copy)(source, project / name)
        port = _free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "generator", "serve", "--port", str(port), "--root",
             str(project), "--out", str(Path(folder) / "out")], cwd=ROOT,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            base = _wait_for(f"http://127.0.0.1:{port}/")
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path="/usr/bin/chromium",
                    args=["--headless", "--no-sandbox", "--disable-gpu",
                          "--disable-background-networking"])
                page = browser.new_page(viewport={"width": 1280, "height": 800})
                page.goto(base + PAGE)
                times = [_one_save(page, project / FILE, n) for n in range(args.saves)]
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=10)
    print(f"save → visible on the open page, {args.saves} saves: median "
          f"{statistics.median(times):.2f} s, fastest {min(times):.2f} s, slowest "
          f"{max(times):.2f} s")


def _one_save(page, path: Path, n: int) -> float:
    text = path.read_text(encoding="utf-8")
    new = f"市区内出差以公交为主（第{n + 1}次修改）。"
    current = ORIGINAL if ORIGINAL in text else text[text.index("市区内出差以公交为主（"):]
    current = current[:current.index("。") + 1]
    time.sleep(4.0)  # the previous save settled (its second pass, 制度汇编 and index, done)
    started = time.perf_counter()
    path.write_text(text.replace(current, new), encoding="utf-8")
    page.wait_for_function(f"document.body.innerText.includes({new!r})", timeout=60_000,
                           polling="raf")
    return time.perf_counter() - started


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(url: str) -> str:
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=5).read()
            return url
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"{url} did not answer")


if __name__ == "__main__":
    main()
