"""How long after page load the site search is ready (index fetched and parsed), in Chromium.

Run by hand: .venv/bin/python bench/search_ready.py [build/site]
Builds nothing: point it at a built site (`make build` makes build/site).
"""

from __future__ import annotations

import functools
import http.server
import statistics
import sys
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

SITE = Path(sys.argv[1] if len(sys.argv) > 1 else "build/site")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
RUNS = 10


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def main() -> None:
    handler = functools.partial(Quiet, directory=str(SITE))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}/"
    ready = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
        for _ in range(RUNS):
            page = browser.new_page()  # a fresh page each time: nothing cached in memory
            page.goto(url)
            page.wait_for_selector("html[data-hb-search=ready]", timeout=10_000)
            ready.append(page.evaluate("window.hbSearchReadyAt"))
            page.close()
        browser.close()
    httpd.shutdown()
    size = (SITE / "generated" / "search" / "index.json").stat().st_size
    print(f"index {size / 1024:.0f} KiB; search ready after page load: median "
          f"{statistics.median(ready):.0f} ms, max {max(ready):.0f} ms over {RUNS} loads")


if __name__ == "__main__":
    main()
