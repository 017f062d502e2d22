"""Hostile text on the handbook site: every text field of a project carries a payload
(script tags, onerror, javascript: links, Markdown and HTML structure, Jinja syntax,
front-matter breakers). In real Chromium no script may run on any page, nothing may
log an error, and every payload must show as typed."""

from __future__ import annotations

import functools
import http.server
import itertools
import shutil
import threading
from pathlib import Path

import pytest
import yaml
from conftest import MINIMAL, git, run, with_site_files

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
needs_chromium = pytest.mark.skipif(not Path(CHROMIUM).exists(),
                                    reason="Debian chromium is installed by `make test`")

PAYLOAD = ("<script>alert(1)</script><img src=x onerror=alert(2)> [a](javascript:alert(3)) "
           "<a href=\"javascript:alert(4)\">b</a> {{ 7*7 }} {% raw %} |a|b| a: b *x* _y_ `z` "
           "&amp; ~~s~~ <!-- c --> {: .x } \\")
"""Carried by every text field, after a tag naming the field."""

STARTS = ["# 标题", "- 列表", "1. 一", "> 引用", "!!! note", "--- a: b", "=== x", "|a|b|",
          "+ x", '--8<-- "mkdocs.yml"', "<b>x</b>", "{{ 7*7 }}", "hide: [navigation]", "~~~",
          "```", "[TOC]", "* x", ": x", "&lt;b&gt;"]
"""What a field starts with: Markdown that only counts at the start of a line."""

LINES = ["---", "hide: [navigation]", "# 标题", "    缩进", "!!! note", "<b>x</b>",
         '--8<-- "mkdocs.yml"', "| a | b |", "{% raw %}"]
"""Further lines of the multi-line text fields."""

# text fields the site does not show (they go to the Word and PDF documents only)
NOT_ON_SITE = {"company.name", "company.short_name", "department.description", "department.alias",
               "role.alias",
               "regulation.source", "form.notes", "form.clause.title", "form.clause.text"}


class _Payloads:
    """Hands out a payload per field and remembers which tag went where."""

    def __init__(self) -> None:
        self.starts = itertools.cycle(STARTS)
        self.count = itertools.count(1)
        self.single: dict[str, str] = {}   # tag -> the whole one-line value
        self.multi: dict[str, list[str]] = {}  # tag -> the lines of a multi-line value
        self.fields: dict[str, str] = {}   # tag -> field name
        self.last = ""

    def line(self, field: str) -> str:
        tag = f"P{next(self.count)}"
        value = f"{next(self.starts)} {tag} {PAYLOAD}"
        self.single[tag], self.fields[tag], self.last = value, field, tag
        return value

    def text(self, field: str) -> str:
        lines = [self.line(field)] + LINES
        self.multi[self.last] = lines
        return "\n".join(lines)


def _dump(path: Path, data: dict) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                    encoding="utf-8")


def _hostile_project(project: Path) -> _Payloads:
    """Rewrite the minimal fixture with a payload in every text field."""
    p = _Payloads()
    folder = project / "regulations"
    company = yaml.safe_load((folder / "company.yaml").read_text(encoding="utf-8"))
    company.update(name=p.line("company.name"), short_name=p.line("company.short_name"))
    _dump(folder / "company.yaml", company)
    org = yaml.safe_load((folder / "org.yaml").read_text(encoding="utf-8"))
    for department in org["departments"]:
        department.update(name=p.line("department.name"), aliases=[p.line("department.alias")],
                          description=p.text("department.description"))
    for role in org["roles"]:
        role.update(name=p.line("role.name"), aliases=[p.line("role.alias")],
                    duties=[p.text("role.duty")], authorities=[p.text("role.authority")])
    _dump(folder / "org.yaml", org)
    _dump(folder / "rules.yaml", _hostile_regulation(
        yaml.safe_load((folder / "rules.yaml").read_text(encoding="utf-8")), p))
    form_file = folder / "forms" / "vehicle-request.yaml"
    form = yaml.safe_load(form_file.read_text(encoding="utf-8"))
    form.update(title=p.line("form.title"), number=p.line("form.number"),
                description=p.text("form.description"), notes=[p.text("form.notes")])
    for field in form["fields"]:
        field["label"] = p.line("form.field.label")
    form["fields"].append({"id": "pick", "label": p.line("form.field.label"), "type": "choice",
                           "options": [p.line("form.option"), p.line("form.option")]})
    form["fields"].append({"id": "rows", "label": p.line("form.field.label"), "type": "table",
                           "columns": [{"label": p.line("form.column.label")}], "rows": 1})
    _dump(form_file, form)
    # a second form of the contract kind, for clauses
    _dump(folder / "forms" / "deal.yaml", {
        "id": "deal", "title": p.line("form.title"), "kind": "contract",
        "fields": [{"id": "party", "label": p.line("form.field.label")}],
        "clauses": [{"title": p.line("form.clause.title"), "text": p.text("form.clause.text")}],
        "pages": 2})
    return p


def _hostile_regulation(rules: dict, p: _Payloads) -> dict:
    rules.update(title=p.line("regulation.title"), category=p.line("regulation.category"),
                 note=p.text("regulation.note"), source=p.text("regulation.source"),
                 preamble=[p.text("regulation.preamble")],
                 postscript=[p.text("regulation.postscript")])
    for revision in rules["revisions"]:
        revision["summary"] = p.text("revision.summary")
    for chapter in rules["chapters"]:
        chapter.update(title=p.line("chapter.title"), intro=[p.text("chapter.intro")])
        for article in chapter["articles"]:
            article["title"] = p.line("article.title")
            article["text"] = (p.text("article.text") + " " + article["text"]
                               + " {岗位:salesperson|<img src=x onerror=alert(5)>*w*}")
            article["paragraphs"] = [{"text": p.text("article.paragraph"),
                                      "items": [p.text("article.item")]}]
            for item in article.get("items", []):
                if isinstance(item, dict):
                    item["text"] = p.text("article.item")
            if "table" in article:
                table = article["table"]
                table["title"] = p.line("table.title")
                table["columns"][0]["title"] = p.line("table.column")
                table["rows"][0][0] = p.text("table.cell")
                table["note"] = p.text("table.note")
    rules["chapters"].append({"title": p.line("chapter.title"), "sections": [
        {"title": p.line("section.title"), "intro": [p.text("section.intro")],
         "articles": [{"id": "in-section", "title": p.line("article.title"),
                       "text": p.text("article.text")}]}]})
    for process in rules["processes"]:
        process["title"] = p.line("process.title")
        for step in process["steps"]:
            step["action"] = p.line("process.action")
    rules["processes"].append({"id": "second", "title": p.line("process.title"), "steps": [
        {"role": "salesperson", "action": p.line("process.action")},
        {"role": "sales-manager", "action": p.line("process.action")}]})
    return rules


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> tuple[Path, _Payloads]:
    """The hostile project built into a site (with a 新旧条文对照表 from git history)."""
    project = tmp_path_factory.mktemp("hostile") / "project"
    shutil.copytree(MINIMAL, project)
    with_site_files(project)
    payloads = _hostile_project(project)
    if shutil.which("git"):  # version 1.0 in one commit, 1.1 in the next: a comparison page
        rules_file = project / "regulations" / "rules.yaml"
        current = rules_file.read_text(encoding="utf-8")
        rules = yaml.safe_load(current)
        rules["version"], rules["revisions"] = "1.0", rules["revisions"][:1]
        rules["chapters"][0]["articles"][0]["text"] = payloads.text("article.old-text")
        _dump(rules_file, rules)
        git(project, "init", "-q")
        git(project, "add", "-A")
        git(project, "commit", "-q", "-m", "1.0")
        rules_file.write_text(current, encoding="utf-8")
        git(project, "commit", "-q", "-am", "1.1")
    out = project.parent / "out"
    result = run("build", "site", "--root", project, "--out", out)
    assert result.exit_code == 0, result.output
    return out / "site", payloads


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def server(hostile):
    handler = functools.partial(_Quiet, directory=str(hostile[0]))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    page.dialogs, page.errors = [], []

    def dialog(d) -> None:
        page.dialogs.append(d.message)
        d.dismiss()

    page.on("dialog", dialog)
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    yield page
    context.close()


_OWN_TEXT = ("e => [...e.childNodes].filter(n => !(n.classList && n.classList.contains("
             "'headerlink'))).map(n => n.textContent).join('').trim()")
"""An element's text without its permalink mark."""


def _pages(site: Path) -> list[str]:
    pages = sorted(p.parent.relative_to(site).as_posix() + "/"
                   for p in site.rglob("index.html"))
    return [("" if p == "./" else p) for p in pages] + ["404.html"]


@needs_chromium
def test_no_script_runs_and_every_payload_shows_as_typed(hostile, server, page):
    site, payloads = hostile
    pages = _pages(site)
    assert any(p.startswith("generated/changes/") for p in pages) or not shutil.which("git")
    shown: list[str] = []
    for path in pages:
        page.goto(server + path)
        page.wait_for_load_state("load")
        assert (page.dialogs, page.errors) == ([], []), path
        ids = page.eval_on_selector_all("[id]", "els => els.map(e => e.id)")
        assert sorted({i for i in ids if ids.count(i) > 1}) == [], f"{path}: duplicate ids"
        assert page.locator(".md-nav--primary").count() > 0, f"{path}: navigation hidden"
        page.eval_on_selector_all("details", "els => els.forEach(e => e.open = true)")
        body = page.locator("article").first.inner_text()  # folded notes opened
        nav = page.eval_on_selector_all(".md-tabs__link, .md-nav__link",
                                        "els => els.map(e => e.textContent.trim())")
        shown += [page.title(), body, *nav]
        if path == "generated/org/":
            names = [v for t, v in payloads.single.items() if payloads.fields[t] == "role.name"]
            chart = page.locator(".hb-diagram svg").text_content()
            assert all(name in chart for name in names), chart
        if path.startswith("generated/regulations/"):
            title = payloads.single[next(t for t, f in payloads.fields.items()
                                         if f == "regulation.title")]
            assert page.title().startswith(title)
            assert page.locator("h1").first.evaluate(_OWN_TEXT) == title
            assert title in nav, f"{path}: the navigation does not show the title as typed"
    assert page.dialogs == []
    assert page.errors == []
    text = "\n".join(shown)
    missing = sorted(f"{tag} ({payloads.fields[tag]})" for tag, value in payloads.single.items()
                     if value not in text and payloads.fields[tag] not in NOT_ON_SITE)
    assert not missing, "; ".join(missing)
    assert "<img src=x onerror=alert(5)>*w*" in text  # a reference's own wording
    for tag, lines in payloads.multi.items():
        if payloads.fields[tag] not in NOT_ON_SITE:
            assert all(line.strip() in text for line in lines), tag


@needs_chromium
def test_search_box_takes_payloads_and_prototype_names(hostile, server, page):
    _, payloads = hostile
    page.goto(server)
    page.wait_for_selector("html[data-hb-search=ready][data-hb-answers=ready]", timeout=10_000)
    queries = ["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf",
               "constructor prototype", PAYLOAD, *STARTS, *(s + "谁批" for s in STARTS),
               *(s + "负责什么" for s in STARTS)]
    # typed in turn in the page (no round trip to the test per query); each one's results,
    # or its "nothing found", must be shown within 5 s
    unanswered = page.evaluate("""async (queries) => {
        const input = document.getElementById('hb-search-input');
        const list = document.getElementById('hb-search-results');
        const unanswered = [];
        for (const q of queries) {
            input.value = q;
            input.dispatchEvent(new Event('input'));
            const until = performance.now() + 5000;
            while (list.getAttribute('data-query') !== q.trim() && performance.now() < until)
                await new Promise(r => setTimeout(r, 2));
            if (list.getAttribute('data-query') !== q.trim()) unanswered.push(q);
        }
        return unanswered; }""", queries)
    assert unanswered == []
    box = page.locator("#hb-search-input")
    title = payloads.single[next(t for t, f in payloads.fields.items() if f == "article.title")]
    box.fill(title)
    page.wait_for_selector("#hb-search-results a", timeout=5000)
    hits = page.eval_on_selector_all("#hb-search-results strong",
                                     "els => els.map(e => e.textContent)")
    assert any(title in hit for hit in hits), hits
    assert page.dialogs == []
    assert page.errors == []


def test_front_matter_is_yaml_with_the_escaped_title(hostile):
    import html

    site, payloads = hostile
    generated = site.parent / ".cache" / "site-docs" / "generated"  # the build's docs
    title = payloads.single[next(t for t, f in payloads.fields.items()
                                 if f == "regulation.title")]
    roles = [v for t, v in payloads.single.items() if payloads.fields[t] == "role.name"]
    pages = {"regulations/rules.md": title, "roles/salesperson.md": roles[2]}  # org.yaml order
    for name, expected in pages.items():
        text = (generated / name).read_text(encoding="utf-8")
        assert text.startswith("---\n")
        front, _ = text[4:].split("\n---\n", 1)
        assert yaml.safe_load(front) == {"title": html.escape(expected)}, name
