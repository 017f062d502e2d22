"""How soon the site search is ready and answers, and how many bytes that takes, in Chromium.

Run by hand: .venv/bin/python bench/search_ready.py [SITE ...] [--mbit 10] [--runs 5]
Builds nothing: point it at built sites (`make build` makes build/site); several sites (the
previous code's and this one's) are measured one after another and shown side by side.

Each run is a fresh browser context (nothing cached) on a link throttled through CDP
(Network.emulateNetworkConditions: --mbit down, half that up, --latency ms each way). It
records, from the start of navigation: when the search says it is ready
(html[data-hb-search=ready]); after a question is typed into the box, when its first result
shows (the first item added to the result list); and the bytes transferred until then (the
encoded sizes of every response finished by then, headers included).
"""

from __future__ import annotations

import argparse
import functools
import http.server
import statistics
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
QUESTIONS = ("出差住宿标准是多少", "合同要谁审批", "员工离职要提前多久说")
WATCH = """() => {
  new MutationObserver((changes, observer) => {
    const list = document.getElementById('hb-search-results');
    if (list && list.children.length) {
      window.hbShownAt = performance.now();
      observer.disconnect();
    }
  }).observe(document, {childList: true, subtree: true});
}"""


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def serve(site: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """A local HTTP server for site, and its address."""
    handler = functools.partial(Quiet, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}/"


def one_run(browser, url: str, question: str, args) -> tuple[float, float, int]:
    """Ready time, time of the first result shown (ms from navigation) and bytes until then."""
    context = browser.new_context()
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    rate = args.mbit * 1e6 / 8
    cdp.send("Network.emulateNetworkConditions", {
        "offline": False, "latency": args.latency, "downloadThroughput": rate,
        "uploadThroughput": rate / 2})
    finished: list[int] = []
    cdp.on("Network.loadingFinished", lambda event: finished.append(event["encodedDataLength"]))
    page.add_init_script(f"({WATCH})()")
    page.goto(url, wait_until="commit")
    page.wait_for_selector("html[data-hb-search=ready]", timeout=args.timeout * 1000)
    ready = page.evaluate("window.hbSearchReadyAt")
    page.locator("#hb-search-input").fill(question)
    page.wait_for_function("window.hbShownAt !== undefined", timeout=args.timeout * 1000)
    shown = page.evaluate("window.hbShownAt")
    received = sum(finished)
    context.close()
    return ready, shown, received


def measure(site: Path, args) -> dict:
    """Medians and maxima over args.runs loads for each question, of one built site."""
    httpd, url = serve(site)
    ready, shown, received = [], [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
        for _ in range(args.runs):
            for question in QUESTIONS:
                r, s, b = one_run(browser, url, question, args)
                ready.append(r)
                shown.append(s)
                received.append(b)
        browser.close()
    httpd.shutdown()
    search = site / "generated" / "search"
    first = (search / "index.json").stat().st_size
    total = sum(p.stat().st_size for p in search.rglob("*.json"))
    return {"site": str(site), "first": first, "total": total,
            "ready": (statistics.median(ready), max(ready)),
            "shown": (statistics.median(shown), max(shown)),
            "bytes": (statistics.median(received), max(received))}


def main() -> None:
    """Measure each site given and print one table row for each."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sites", nargs="*", type=Path, default=[Path("build/site")])
    parser.add_argument("--mbit", type=float, default=10.0, help="link speed down, Mbit/s")
    parser.add_argument("--latency", type=float, default=20.0, help="added latency, ms")
    parser.add_argument("--runs", type=int, default=5, help="fresh loads per question")
    parser.add_argument("--timeout", type=float, default=180.0, help="seconds per wait")
    args = parser.parse_args()
    print(f"{args.mbit:g} Mbit/s, {args.latency:g} ms latency; {args.runs} fresh loads for each "
          f"of {len(QUESTIONS)} questions; times from the start of navigation, median / max")
    print("| site | first part fetched | all search files | ready | first result shown | "
          "bytes until the first result |")
    print("|---|---:|---:|---:|---:|---:|")
    for site in args.sites:
        row = measure(site, args)
        print(f"| {row['site']} | {row['first'] / 1024:,.0f} KiB | {row['total'] / 1024:,.0f} KiB "
              f"| {row['ready'][0]:,.0f} / {row['ready'][1]:,.0f} ms "
              f"| {row['shown'][0]:,.0f} / {row['shown'][1]:,.0f} ms "
              f"| {row['bytes'][0] / 1e6:.2f} / {row['bytes'][1] / 1e6:.2f} MB |", flush=True)


if __name__ == "__main__":
    main()
