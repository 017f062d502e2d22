"""The handbook site, built with MkDocs (strict) and driven in real headless Chromium."""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import shutil
import subprocess
import threading
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES, ROOT, run, with_site_files

from generator.render import search_shards

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]
QUESTIONS = yaml.safe_load((FIXTURES / "search_questions.yaml").read_text(encoding="utf-8"))
TARGET_ACCURACY = 0.90
DEV_QUESTIONS = ROOT / "bench" / "search_dev" / "questions.yaml"

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(),
                                reason="Debian chromium is installed by `make test`")


@pytest.fixture(scope="module")
def built(bundled_build) -> Path:
    return bundled_build / "site"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # keep test output clean
        pass


@pytest.fixture(scope="module")
def server(built):
    handler = functools.partial(_Quiet, directory=str(built))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        chromium.close()


def _watched(page):
    """The page, with the errors its scripts log or throw collected in page.errors."""
    page.errors = []
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    return page


@pytest.fixture(scope="module")
def tab(browser):
    """One browser tab for the tests that only load pages and look at them (a tab of its
    own per test costs a renderer process started and stopped, about 0.35 s of CPU)."""
    context = browser.new_context(accept_downloads=True)
    yield _watched(context.new_page())
    context.close()


@pytest.fixture
def page(tab):
    """The shared tab, on a blank page, with no errors collected yet; each test loads its
    pages into it anew."""
    tab.goto("about:blank")
    tab.errors.clear()
    yield tab
    tab.goto("about:blank")


@pytest.fixture
def fresh_page(browser):
    """A tab in a context of its own: nothing in its cache, for the tests that count what
    the page fetches."""
    context = browser.new_context(accept_downloads=True)
    yield _watched(context.new_page())
    context.close()


def _search_all(page, questions: list[str]) -> list[list[str]]:
    """Each question typed into the page's search box in turn (in the page, without a round
    trip to the test per question), and the links of the results it showed."""
    return page.evaluate("""async (questions) => {
        const input = document.getElementById('hb-search-input');
        const list = document.getElementById('hb-search-results');
        const found = [];
        for (const q of questions) {
            input.value = q;
            input.dispatchEvent(new Event('input'));
            while (list.getAttribute('data-query') !== q.trim())
                await new Promise(r => setTimeout(r, 2));
            found.push([...list.querySelectorAll('li:not(.hb-answer) a')].map(a => a.href));
        }
        return found; }""", questions)


def _search(page, query: str) -> list[str]:
    box = page.locator("#hb-search-input")
    box.fill(query)
    page.wait_for_function("q => q === '' || document.getElementById('hb-search-results')"
                           ".getAttribute('data-query') === q", arg=query.strip(), timeout=5000)
    return page.eval_on_selector_all("#hb-search-results li:not(.hb-answer) a",
                                     "links => links.map(a => a.href)")


def _article(href: str, base: str) -> str:
    return href.removeprefix(base).removeprefix("generated/regulations/").replace("/#", "#")


def test_search_finds_the_answering_article_in_the_top_five(page, server, tmp_path):
    page.goto(server)
    page.wait_for_selector("html[data-hb-search=ready][data-hb-answers=ready]", timeout=10_000)
    found, misses = 0, []
    shown = _search_all(page, [str(question["q"]) for question in QUESTIONS])
    for question, links in zip(QUESTIONS, shown, strict=True):
        hits = [_article(h, server) for h in links[:5]]
        if any(hit in question["expect"] for hit in hits):
            found += 1
        else:
            misses.append(f"{question['q']}: {hits[:3]}")
    accuracy = found / len(QUESTIONS)
    assert accuracy >= TARGET_ACCURACY, f"{found}/{len(QUESTIONS)} = {accuracy:.1%}: {misses}"
    assert page.errors == []


def test_search_result_opens_the_article(page, server):
    page.goto(server)
    page.wait_for_selector("html[data-hb-search=ready][data-hb-answers=ready]", timeout=10_000)
    _search(page, "住宿标准")
    page.locator("#hb-search-results li:not(.hb-answer) a").first.click()
    page.wait_for_url("**/generated/regulations/travel-expense/#*")
    anchor = page.url.split("#", 1)[1]
    assert page.locator(f"[id='{anchor}']").is_visible()
    assert page.errors == []


def test_search_marks_the_words_found_and_says_when_nothing_matches(page, server):
    page.goto(server)
    page.wait_for_selector("html[data-hb-search=ready][data-hb-answers=ready]", timeout=10_000)
    _search(page, "住宿标准")
    first = page.locator("#hb-search-results li:not(.hb-answer) .hb-hit").first
    marked = first.locator("mark").all_inner_texts()
    assert "住宿" in "".join(marked) and "标准" in "".join(marked), marked
    assert set(marked) <= {"住宿标准", "住宿", "标准"}, marked
    _search(page, "食堂几点开饭")
    page.wait_for_selector("#hb-search-results .hb-none", timeout=5000)
    assert page.locator("#hb-search-results a").count() == 0
    assert "没有找到" in page.locator("#hb-search-results").inner_text()
    assert page.errors == []


@pytest.mark.parametrize(("question", "title", "says"), [
    ("用公司的车要找谁批", "《派车申请单》", "审批：业务部经理 → 总经理"),
    ("部门经理出差能坐软卧吗", "各级别可乘交通工具", "火车（软卧）"),
    ("业务员负责什么", "业务员（业务部 · 上级：业务部经理） 的职责", "1. 负责具体业务操作"),
])
def test_search_answers_directly_what_the_model_knows(page, server, question, title, says):
    page.goto(server)
    page.wait_for_selector("html[data-hb-search=ready][data-hb-answers=ready]", timeout=10_000)
    _search(page, question)
    card = page.locator("#hb-search-results li.hb-answer")
    assert card.count() == 1
    assert card.locator("strong").inner_text() == title
    assert says in card.inner_text()
    box, first_hit = card.bounding_box(), page.locator("#hb-search-results li").nth(1)
    assert box["y"] + box["height"] <= first_hit.bounding_box()["y"] + 1  # above the list
    assert page.errors == []


def test_no_direct_answer_when_the_question_does_not_ask_for_one(page, server):
    page.goto(server)
    page.wait_for_selector("html[data-hb-search=ready][data-hb-answers=ready]", timeout=10_000)
    assert _search(page, "业务员")  # a role named, but no question about its duties
    assert page.locator("#hb-search-results li.hb-answer").count() == 0
    assert page.errors == []


def test_the_search_files_are_fetched_once_per_page(fresh_page, server):
    page = fresh_page
    fetched = []
    page.on("request", lambda request: fetched.append(request.url))
    page.goto(server)
    page.wait_for_selector("html[data-hb-search=ready][data-hb-answers=ready]", timeout=10_000)
    _search(page, "请假找谁批")
    assert fetched.count(server + "generated/search/index.json") == 1  # preloaded, then read
    assert fetched.count(server + "generated/search/answers.json") == 1
    assert len(fetched) == len(set(fetched))  # each part of the index once
    assert page.errors == []


def test_the_page_ranks_every_question_as_the_whole_index(page, server, built, tmp_path):
    questions = sorted({str(q["q"]).strip()
                        for q in yaml.safe_load(DEV_QUESTIONS.read_text(encoding="utf-8"))})
    whole = tmp_path / "index.json"
    whole.write_text(json.dumps(search_shards.assemble(built / "generated" / "search"),
                                ensure_ascii=False), encoding="utf-8")
    ranked = subprocess.run(["node", str(ROOT / "bench" / "search_dev" / "rank.js"), "handbook",
                             str(whole), str(ROOT / "site" / "assets" / "handbook-search.js")],
                            input=json.dumps(questions), capture_output=True, text=True, check=True)
    expected = [[server + url for url in urls] for urls in json.loads(ranked.stdout)]
    page.goto(server)
    page.wait_for_selector("html[data-hb-search=ready][data-hb-answers=ready]", timeout=10_000)
    shown = _search_all(page, questions)
    assert len(questions) > 200
    for question, got, want in zip(questions, shown, expected, strict=True):
        assert got == want, question
    assert page.errors == []


def test_a_question_fetches_a_few_parts_of_the_index(fresh_page, server, built):
    page = fresh_page
    sizes: dict[str, int] = {}
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    urls: dict[str, str] = {}
    cdp.on("Network.requestWillBeSent", lambda e: urls.__setitem__(e["requestId"], e["request"]["url"]))
    cdp.on("Network.loadingFinished",
           lambda e: sizes.__setitem__(urls[e["requestId"]], e["encodedDataLength"]))
    page.goto(server)
    page.wait_for_selector("html[data-hb-search=ready][data-hb-answers=ready]", timeout=10_000)
    on_load = [url.removeprefix(server) for url in sizes if "/search/" in url]
    assert sorted(on_load) == ["generated/search/answers.json", "generated/search/index.json"]
    _search(page, "出差住酒店能报多少钱")
    search = {url.removeprefix(server + "generated/search/"): size for url, size in sizes.items()
              if "/search/" in url}
    files = [p for p in (built / "generated" / "search").rglob("*.json")]
    whole = sum(p.stat().st_size for p in files)
    assert 2 < len(search) < len(files) / 5, sorted(search)
    assert sum(search.values()) < whole / 3, (sum(search.values()), whole)
    assert page.errors == []


def test_role_page_links_to_article_anchors(page, server):
    page.goto(server + "generated/roles/salesperson/")
    assert page.locator("h1").inner_text().startswith("业务员")
    assert page.locator("#duties").is_visible()
    link = page.locator("#articles ~ ul a[href*='#']").first
    href = link.get_attribute("href")
    link.click()
    page.wait_for_load_state()
    anchor = href.split("#", 1)[1]
    assert page.url.endswith("#" + anchor)
    target = page.locator(f"[id='{anchor}']")
    assert target.is_visible() and target.evaluate("e => e.tagName") in ("H4", "P")
    assert page.errors == []


def test_role_page_names_each_article_once_under_its_regulation(page, server):
    page.goto(server + "generated/roles/salesperson/")
    groups = page.evaluate("""() => {
        const found = []; let e = document.getElementById('articles').nextElementSibling;
        for (; e && e.tagName !== 'H2'; e = e.nextElementSibling) {
            if (e.tagName === 'P') found.push({title: e.innerText, links: []});
            if (e.tagName === 'UL') found[found.length - 1].links.push(
                ...[...e.querySelectorAll('li')].map(li => [li.querySelector('a').href,
                                                            li.innerText]));
        }
        return found; }""")
    titles = [g["title"] for g in groups]
    assert len(groups) >= 5 and len(titles) == len(set(titles))
    hrefs = [href for g in groups for href, _ in g["links"]]
    assert len(hrefs) == len(set(hrefs))  # each article once
    assert all(text.partition("　")[2].strip() for g in groups for _, text in g["links"])


def test_red_lines_on_the_role_page(page, server):
    page.goto(server + "generated/roles/salesperson/")
    assert "严禁" in page.locator("#red-lines ~ ul").first.inner_text()


def test_every_download_is_a_valid_file(page, server, built):
    for path in ("generated/forms/", "generated/regulations/sales-red-lines/"):
        page.goto(server + path)
        links = page.eval_on_selector_all(
            "a[href$='.docx'], a[href$='.pdf']", "links => links.map(a => a.href)")
        assert links
        for href in links:
            response = page.request.get(href)
            assert response.ok, href
            magic = response.body()[:4]
            assert magic == (b"PK\x03\x04" if href.endswith(".docx") else b"%PDF"), href
    assert page.errors == []


def test_regulation_page_has_card_permalinks_and_crossrefs(page, server):
    page.goto(server + "generated/regulations/sales-internal-control/")
    card = page.locator(".hb-card").inner_text()
    assert "YW-ZD-001" in card and "草案" in card
    articles = page.locator("h4.hb-article[id] a.headerlink, p.hb-article-text[id] a.headerlink")
    assert articles.count() == 16  # every article has its anchor and permalink
    assert page.locator("details.note:not([open])").count() == 1  # the editor's note, closed


def test_article_numbers_lead_their_text_and_the_outline_keeps_titled_ones(page, server):
    page.goto(server + "generated/regulations/sales-red-lines/")
    first = page.locator("#purpose")
    assert first.evaluate("e => e.tagName") == "P"
    assert first.inner_text().startswith("第一条　为加强公司业务部管理")
    bare = page.evaluate("""[...document.querySelectorAll('.md-content p, .md-content h4')]
        .map(e => e.textContent.replace('¶', '').trim())
        .filter(t => /^(第[一二三四五六七八九十百]+条|\\d+\\.)$/.test(t))""")
    assert bare == []  # no number stands alone, away from its text
    outline = page.locator(".md-sidebar--secondary .md-nav__link").all_inner_texts()
    assert "第一章 总则" in [" ".join(t.split()) for t in outline]
    assert not [t for t in outline if t.strip().startswith("第一条")]
    page.goto(server + "generated/regulations/travel-expense/")
    link = page.locator("a:has-text('《派车申请单》')").first
    assert link.get_attribute("href").endswith("forms/vehicle-request/")


def test_org_chart_and_process_diagrams(page, server):
    page.goto(server + "generated/org/")
    assert page.locator(".hb-diagram svg").count() == 1
    page.goto(server + "generated/regulations/sales-management/")
    assert page.locator(".hb-diagram svg").count() >= 1
    assert page.errors == []


def test_html_in_regulation_text_is_shown_not_run(minimal, tmp_path, browser):
    rules = minimal / "regulations" / "rules.yaml"
    text = rules.read_text(encoding="utf-8").replace(
        "为规范业务管理，特制定本制度。", "<script>window.pwned=1</script>{{ 7*7 }} *不加粗*")
    rules.write_text(text, encoding="utf-8")
    with_site_files(minimal)
    out = tmp_path / "out"
    result = run("build", "site", "--root", minimal, "--out", out)
    assert result.exit_code == 0, result.output
    html = (out / "site" / "generated" / "regulations" / "rules" / "index.html").read_text(
        encoding="utf-8")
    assert "&lt;script&gt;window.pwned=1&lt;/script&gt;{{ 7*7 }} *不加粗*" in html
    page = browser.new_page()
    page.goto((out / "site" / "generated" / "regulations" / "rules" / "index.html").as_uri())
    assert page.evaluate("window.pwned") is None
    assert "<script>window.pwned=1</script>{{ 7*7 }} *不加粗*" in page.locator(
        "#purpose").inner_text()
    page.close()


def test_list_json_names_the_site_pages(built):
    import json

    data = json.loads(run("list", "--json", "--root", ROOT, "--out", built.parent).stdout)
    regulation = next(r for r in data["regulations"] if r["id"] == "travel-expense")
    assert regulation["outputs"]["page"] == (
        built / "generated" / "regulations" / "travel-expense" / "index.html").as_posix()
    form = next(f for f in data["forms"] if f["id"] == "vehicle-request")
    assert form["outputs"]["page"].endswith("generated/forms/vehicle-request/index.html")
    assert form["outputs"]["pdf"].endswith("forms/vehicle-request.pdf")


def test_drafts_are_told_apart_from_regulations_in_force(page, server):
    page.goto(server)
    in_force = page.locator("#in-force").evaluate("e => e.nextElementSibling.innerText")
    drafts = page.locator("#drafts").evaluate("e => e.nextElementSibling.innerText")
    assert "公司业务部红线管理制度" in in_force  # active
    assert "公司业务部内控管理制度" not in in_force and "公司业务部内控管理制度" in drafts
    page.goto(server + "generated/regulations/sales-red-lines/")  # its section's navigation
    nav = page.eval_on_selector_all(".md-nav__link", "els => els.map(e => e.textContent.trim())")
    assert "公司业务部内控管理制度（草案）" in nav
    assert "公司业务部红线管理制度" in nav


@pytest.mark.parametrize("width,height", [(1280, 800), (390, 844)])
def test_diagram_text_is_readable_on_desktop_and_phone(browser, server, width, height):
    """Diagram text is drawn at 12 px or more (charts scroll sideways instead of shrinking)."""
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    smallest = {}
    for path in ("generated/org/", "generated/regulations/sales-management/"):
        page.goto(server + path)
        heights = page.eval_on_selector_all(
            ".hb-diagram svg text", "els => els.map(e => e.getBoundingClientRect().height)")
        assert heights, f"{path}: no diagram text"
        smallest[path] = min(heights)
    context.close()
    assert min(smallest.values()) >= 12, smallest


def test_footer_names_the_company_and_how_current_the_rules_are(page, server):
    page.goto(server + "generated/regulations/travel-expense/")
    footer = page.locator(".md-copyright").inner_text()
    assert re.fullmatch(r"临江云石建材有限公司 · 管理制度手册 · 内容更新至 \d{4}-\d\d-\d\d",
                        footer.strip()), footer
    assert "Material for MkDocs" not in footer


def test_search_results_say_where_and_what_and_mark_drafts(page, server):
    page.goto(server)
    page.wait_for_function("document.documentElement.dataset.hbSearch === 'ready'")
    page.locator("#hb-search-input").fill("业务部内部控制的原则是什么")
    page.wait_for_selector("#hb-search-results .hb-hit")
    titles = page.locator(".hb-hit strong").all_inner_texts()
    contexts = page.locator(".hb-hit .hb-context").all_inner_texts()
    bare = [t for t in titles if re.fullmatch(r"第[一二三四五六七八九十百零]+条|\d+\.", t.strip())]
    assert titles and bare == []  # a number alone says nothing
    assert any("公司业务部内控管理制度（草案）" in c for c in contexts), contexts


def test_no_page_shows_markdown_marks_or_escaped_line_breaks(built):
    """No `####` (a heading swallowed by a table) and no literal \\n on any page."""
    import html as html_module

    found = {}
    for path in sorted((built / "generated").rglob("index.html")):
        body = path.read_text(encoding="utf-8").split('<article', 1)[-1]
        text = html_module.unescape(re.sub(r"<[^>]+>", " ", re.sub(
            r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)))
        bad = [mark for mark in ("####", "\\n", "| ---") if mark in text]
        if bad:
            found[path.relative_to(built).as_posix()] = bad
    assert len(list((built / "generated").rglob("index.html"))) > 50
    assert found == {}


def test_pages_and_search_results_fit_a_phone(browser, server):
    """At 390 px nothing runs off the side: no page scrolls sideways, regulation titles on
    the home page have room, and search results wrap inside the screen."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    widths = {}
    for path in ("", "generated/regulations/travel-expense/", "generated/roles/salesperson/",
                 "generated/forms/"):
        page.goto(server + path)
        widths[path] = page.evaluate("document.documentElement.scrollWidth")
    titles = page.goto(server) and page.eval_on_selector_all(
        "#in-force + ul > li > a", "els => els.map(e => e.getBoundingClientRect().width)")
    page.wait_for_function("document.documentElement.dataset.hbSearch === 'ready'")
    page.locator("#hb-search-input").fill("出差住宿每天能报多少钱")
    page.wait_for_selector("#hb-search-results .hb-hit")
    results = page.eval_on_selector_all(
        "#hb-search-results li", "els => els.map(e => e.getBoundingClientRect().right)")
    context.close()
    assert widths == dict.fromkeys(widths, 390), widths
    assert titles and min(titles) >= 8 * 14  # eight characters at least, not four
    assert results and max(results) <= 390


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz (dot) is not installed")
def test_diagrams_are_drawn_by_one_run_of_dot_as_they_would_be_one_by_one(tmp_path,
                                                                           monkeypatch):
    from generator.load import load_project
    from generator.render.site_diagrams import Diagrams, all_sources

    sources = all_sources(load_project(ROOT))
    one_by_one = [Diagrams(tmp_path / "single").svg(source) for source in sources]
    log, wrapper = tmp_path / "dot.log", tmp_path / "bin" / "dot"
    wrapper.parent.mkdir()
    wrapper.write_text(f'#!/bin/sh\necho run >> {log}\nexec {shutil.which("dot")} "$@"\n')
    wrapper.chmod(0o755)
    monkeypatch.setenv("PATH", f"{wrapper.parent}{os.pathsep}{os.environ['PATH']}")
    diagrams = Diagrams(tmp_path / "batch")
    diagrams.prefetch(sources)
    assert [diagrams.svg(source) for source in sources] == one_by_one
    assert len(sources) > 10 and log.read_text().count("run") == 1
    assert 'id="hb_process_' in one_by_one[0]  # dot's page prefix taken off the graph's id
