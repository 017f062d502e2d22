"""Pagefind (extended build: Chinese segmentation, index loaded in chunks) on the same
built site, for bench/search_dev/evaluate.py.

Pagefind returns pages, and within a page "sub-results" for the headings that carry an id.
Our articles are paragraphs with ids (`p.hb-article-text`), so the copy Pagefind indexes has
an `<h6>` with the article's id and first words put before each article paragraph — what a
site adopting Pagefind would do to get article-level results. Results are flattened the way
Pagefind's own UI shows them: pages in Pagefind's order, within a page the sub-results by
the sum of their locations' balanced scores.

Needs Node.js/npm (Pagefind installs from npm) and Chromium (its search runs in the page:
an ES module with WebAssembly that fetches its chunks over HTTP).
"""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import subprocess
import threading
import time
from pathlib import Path

VERSION = "1.6.0"
_ARTICLE = re.compile(r'<p class="hb-article-text" id="([^"]+)">(.*?)</p>', re.S)
_TAG = re.compile(r"<[^>]+>")

RANK_SCRIPT = """async (queries) => {
  const pagefind = await import("/pagefind/pagefind.js");
  await pagefind.init();
  const started = performance.now();
  await pagefind.search("出差");
  const firstSearch = performance.now() - started;
  const all = [];
  for (const query of queries) {
    const found = await pagefind.search(query);
    const pages = await Promise.all(found.results.slice(0, 10).map((r) => r.data()));
    const urls = [];
    for (const page of pages) {
      const subs = (page.sub_results || []).slice().sort((a, b) => score(b) - score(a));
      if (!subs.length) urls.push(page.url);
      for (const sub of subs) urls.push(sub.url);
    }
    all.push(urls);
  }
  return {urls: all, firstSearch};
  function score(sub) {
    return (sub.weighted_locations || []).reduce((s, l) => s + (l.balanced_score || 0), 0);
  }
}"""


def build(site: Path, work: Path) -> Path:
    """A copy of the built site with article headings and a Pagefind index; its folder."""
    npm_folder = work / "pagefind-npm"
    binary = npm_folder / "node_modules" / ".bin" / "pagefind"
    if not binary.exists():
        npm_folder.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--silent", "--prefix", str(npm_folder),
                        f"pagefind@{VERSION}"], check=True)
    copy = work / "pagefind-site"
    if copy.exists():
        shutil.rmtree(copy)
    shutil.copytree(site, copy)
    for page in copy.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        marked = _ARTICLE.sub(_with_heading, text)
        if marked != text:
            page.write_text(marked, encoding="utf-8")
    subprocess.run([str(binary), "--site", str(copy), "--output-subdir", "pagefind"],
                   check=True, capture_output=True)
    return copy


def _with_heading(match: re.Match) -> str:
    words = _TAG.sub("", match[2]).strip()[:16]
    return (f'<h6 id="{match[1]}">{words}</h6>'
            f'<p class="hb-article-text">{match[2]}</p>')


def index_bytes(site: Path) -> int:
    """Bytes of Pagefind's files (index chunks, fragments, script and WebAssembly)."""
    return sum(f.stat().st_size for f in (site / "pagefind").rglob("*") if f.is_file())


def rank(site: Path, queries: list[str]) -> tuple[list[list[str]], dict]:
    """Result URLs per query, relative to the site root, and timings (ms)."""
    from playwright.sync_api import sync_playwright

    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}/"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium",
                args=["--headless", "--no-sandbox", "--disable-gpu",
                      "--disable-background-networking"])
            page = browser.new_page()
            started = time.perf_counter()
            page.goto(base)
            result = page.evaluate(RANK_SCRIPT, queries)
            timings = {"ready_and_first_search_ms": (time.perf_counter() - started) * 1000,
                       "first_search_ms": result["firstSearch"]}
            browser.close()
    finally:
        server.shutdown()
    urls = [[url.removeprefix("/") for url in found] for found in result["urls"]]
    return urls, timings


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass
