"""The build cache: unchanged outputs are reused, changed inputs rebuild what depends on them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import docx
import yaml
from conftest import run, with_site_files

from generator.render.docx import DEFAULT_TEMPLATE


def _summary(project, out, *targets, force=False):
    args = ["build", *targets, "--root", project, "--out", out, "--json"]
    result = run(*args, *(["--force"] if force else []))
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _second_regulation(project):
    regulations = project / "regulations"
    data = yaml.safe_load((regulations / "rules.yaml").read_text(encoding="utf-8"))
    data.update(id="other", title="其他管理制度", number="YW-ZD-002")
    (regulations / "other.yaml").write_text(yaml.safe_dump(data, allow_unicode=True,
                                                           sort_keys=False), encoding="utf-8")


def test_unchanged_outputs_are_reused(minimal, tmp_path):
    _second_regulation(minimal)
    out = tmp_path / "out"
    first = _summary(minimal, out, "docx", "forms")
    assert set(first["rebuilt"]) == {"docx/rules.docx", "docx/other.docx", "docx/制度汇编.docx",
                                     "forms/vehicle-request.docx", "forms/vehicle-request.pdf",
                                     "handbook.json"}
    before = (out / "docx" / "rules.docx").read_bytes()
    second = _summary(minimal, out, "docx", "forms")
    assert second["rebuilt"] == {} and second["reused"] == 6
    assert (out / "docx" / "rules.docx").read_bytes() == before


def test_one_edit_rebuilds_what_depends_on_it(minimal, tmp_path):
    _second_regulation(minimal)
    out = tmp_path / "out"
    _summary(minimal, out, "docx", "forms")
    path = minimal / "regulations" / "other.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("为规范业务管理", "为规范其他管理"),
                    encoding="utf-8")
    summary = _summary(minimal, out, "docx", "forms")
    assert summary["rebuilt"] == {"docx/other.docx": "changed", "docx/制度汇编.docx": "changed",
                                  "handbook.json": "changed"}
    texts = [p.text for p in docx.Document(out / "docx" / "other.docx").paragraphs]
    assert "第一条　为规范其他管理，特制定本制度。" in texts


def test_an_approver_change_rebuilds_the_form(minimal, tmp_path):
    out = tmp_path / "out"
    _summary(minimal, out, "forms")
    path = minimal / "regulations" / "rules.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["processes"][0]["steps"][0]["approvers"] = ["sales-manager"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    summary = _summary(minimal, out, "forms")
    assert set(summary["rebuilt"]) == {"forms/vehicle-request.docx", "forms/vehicle-request.pdf",
                                       "handbook.json"}


def test_template_change_and_force_rebuild_everything(minimal, tmp_path):
    out = tmp_path / "out"
    _summary(minimal, out, "docx")
    assert _summary(minimal, out, "docx", force=True)["rebuilt"] == {
        "docx/rules.docx": "forced", "docx/制度汇编.docx": "forced", "handbook.json": "forced"}
    templates = minimal / "templates"
    templates.mkdir()
    shutil.copy(DEFAULT_TEMPLATE, templates / "reference.docx")
    with (templates / "reference.docx").open("ab") as stream:
        stream.write(b"\0")  # any byte of the template counts
    summary = _summary(minimal, out, "docx")
    assert set(summary["rebuilt"]) == {"docx/rules.docx", "docx/制度汇编.docx"}  # not the model


def _site_files(out):
    return {p.relative_to(out).as_posix(): p.read_bytes()
            for p in (out / "site").rglob("*") if p.is_file()}


def _edit_purpose(project, words):
    path = project / "regulations" / "rules.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("为规范业务管理", words),
                    encoding="utf-8")


def test_the_site_renders_only_the_pages_that_changed(minimal, tmp_path):
    with_site_files(minimal)
    out = tmp_path / "out"
    first = _summary(minimal, out, "site")
    pages = len(list((out / "site").rglob("index.html")))
    assert first["rebuilt"]["site"].startswith(f"{pages} pages rendered")
    assert "site" not in _summary(minimal, out, "site")["rebuilt"]
    role_page = out / "site" / "generated" / "roles" / "salesperson" / "index.html"
    role_inode = role_page.stat().st_ino
    _edit_purpose(minimal, "为规范本公司业务管理")
    summary = _summary(minimal, out, "site")
    assert summary["rebuilt"]["site"] == "1 page rendered"
    html = (out / "site" / "generated" / "regulations" / "rules" / "index.html").read_text(
        encoding="utf-8")
    assert "为规范本公司业务管理" in html
    assert role_page.stat().st_ino == role_inode  # the unchanged page is the same file
    shown = out / "site" / "generated" / "search" / "docs"  # the search's rows, in parts
    assert "为规范本公司业务管理" in "".join(p.read_text(encoding="utf-8") for p in shown.glob("*.json"))
    docx_download = out / "site" / "generated" / "downloads" / "docx" / "rules.docx"
    assert docx_download.read_bytes() == (out / "docx" / "rules.docx").read_bytes()


def test_a_new_page_renders_the_whole_site_and_a_removed_one_disappears(minimal, tmp_path):
    with_site_files(minimal)
    out = tmp_path / "out"
    _summary(minimal, out, "site")
    _second_regulation(minimal)
    summary = _summary(minimal, out, "site")
    assert summary["rebuilt"]["site"].endswith("(navigation, theme or generator changed)")
    other = out / "site" / "generated" / "regulations" / "other" / "index.html"
    assert "其他管理制度" in other.read_text(encoding="utf-8")
    rules = (out / "site" / "generated" / "regulations" / "rules" / "index.html")
    assert "其他管理制度" in rules.read_text(encoding="utf-8")  # its navigation shows the new one
    (minimal / "regulations" / "other.yaml").unlink()
    _summary(minimal, out, "site")
    assert not other.exists()
    assert not (out / ".cache" / "site-docs" / "generated" / "regulations" / "other.md").exists()


def test_a_failing_site_build_leaves_the_last_site_untouched(minimal, tmp_path):
    """Pages are shared with the last site by hard links: a failed build must not write
    into them."""
    with_site_files(minimal)
    out = tmp_path / "out"
    _summary(minimal, out, "site")
    before = _site_files(out)
    _edit_purpose(minimal, "为规范本公司业务管理")
    index = minimal / "site" / "index.md"
    index.write_text(index.read_text(encoding="utf-8") + "\n[坏链接](missing.md)\n",
                     encoding="utf-8")
    result = run("build", "site", "--root", minimal, "--out", out)
    assert result.exit_code == 2
    assert "missing.md" in result.stderr
    assert _site_files(out) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out-")]


HOLD_LOCK = """
import fcntl, os, sys, time
with open(sys.argv[1], "a+", encoding="utf-8") as lock:
    lock.write("process 4242, started 10:00:00")
    lock.flush()
    fcntl.lockf(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    print("locked", flush=True)
    time.sleep(60)
"""


def test_a_second_build_into_the_same_folder_is_refused(minimal, tmp_path):
    import subprocess
    import sys

    out = tmp_path / "out"
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, tmp_path / ".out.lock"],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "locked\n"
        result = run("build", "docx", "--root", minimal, "--out", out)
    finally:
        holder.kill()  # a build that died: its lock goes with it
        holder.wait()
    assert result.exit_code == 2
    assert f"another build is writing to {out} (process 4242, started 10:00:00)" in \
        result.stderr
    assert not out.exists()
    assert run("build", "docx", "--root", minimal, "--out", out).exit_code == 0


def test_progress_is_told_of_every_step(minimal, tmp_path):
    from generator.build import Progress, build
    from generator.load import load_project

    class Recorder(Progress):
        def start(self, total):
            self.total, self.steps = total, []

        def advance(self, label):
            self.steps.append(label)

    recorder = Recorder()
    project = load_project(minimal)
    build(project, minimal, tmp_path / "out", ("text", "docx", "forms"), progress=recorder)
    assert len(recorder.steps) == recorder.total == 1 + 2 + 2
    assert "rules.docx" in recorder.steps and "vehicle-request.pdf" in recorder.steps


def test_a_watching_process_reparses_only_changed_files(minimal):
    from generator.load import load_project
    from generator.session import BuildSession

    session = BuildSession()
    load_project(minimal, session)
    parsed, loaded = session.parses.kept(), dict(session.loaded)
    _edit_purpose(minimal, "为规范本公司业务管理")
    project = load_project(minimal, session)
    assert project.regulation("rules").article_index["purpose"].first_text.startswith(
        "为规范本公司业务管理")
    rules = str(minimal / "regulations" / "rules.yaml")
    now = session.parses.kept()
    assert {slot for slot in now if now[slot] is not parsed.get(slot)} == \
        {(rules, "Regulation")}  # parsed again
    assert {slot for slot in session.loaded if session.loaded[slot] is not loaded.get(slot)} \
        == {("numbering", rules), ("model", rules)}  # numbered again, built again


def test_a_watching_process_keeps_models_until_something_they_show_changes(minimal):
    from generator.load import load_project

    _second_regulation(minimal)
    from generator.session import BuildSession

    session = BuildSession()
    first = load_project(minimal, session)
    again = load_project(minimal, session)
    assert again.regulation("other") is first.regulation("other")  # nothing changed
    rules = minimal / "regulations" / "rules.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").replace("title: 业务管理制度",
                                                               "title: 业务工作制度"),
                     encoding="utf-8")
    renamed = load_project(minimal, session)
    assert renamed.regulation("rules").title == "业务工作制度"
    # a title another regulation may show: the other one is built again, not reused
    assert renamed.regulation("other") is not again.regulation("other")
    assert load_project(minimal, session).regulation("other") is renamed.regulation("other")


def _rename(path, old, new):
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def test_a_watcher_remakes_pages_when_a_name_they_show_changes(minimal, tmp_path):
    """Pages are kept between a watcher's builds. A role renamed in org.yaml leaves the
    regulation's own data as it was, yet its page shows the role's name (approver, process
    steps): the page must be made again, and so must the role's own page."""
    from generator.serving import Watcher

    with_site_files(minimal)
    out, said = tmp_path / "out", []
    watcher = Watcher(minimal, out, ("site",), said.append)
    assert watcher.rebuild(), said
    page = out / ".cache" / "site-docs" / "generated" / "regulations" / "rules.md"
    assert "总经理" in page.read_text(encoding="utf-8")
    _rename(minimal / "regulations" / "org.yaml", "name: 总经理\n", "name: 总裁\n")
    assert watcher.rebuild(), said
    markdown = page.read_text(encoding="utf-8")
    assert "[总裁]" in markdown and "[总经理]" not in markdown
    role = out / ".cache" / "site-docs" / "generated" / "roles" / "sales-manager.md"
    assert "[总裁]" in role.read_text(encoding="utf-8")  # the superior it reports to
    _rename(minimal / "regulations" / "forms" / "vehicle-request.yaml", "title: 派车申请单",
            "title: 用车申请单")
    assert watcher.rebuild(), said
    markdown = page.read_text(encoding="utf-8")
    assert "《用车申请单》" in markdown and "《派车申请单》" not in markdown
    assert "用车申请单" in role.read_text(encoding="utf-8")


def test_a_watcher_starts_the_next_build_from_a_copy_made_while_waiting(minimal, tmp_path):
    from generator.build import build
    from generator.load import load_project
    from generator.serving import Watcher

    with_site_files(minimal)
    out, said = tmp_path / "out", []
    watcher = Watcher(minimal, out, ("site",), said.append)
    assert watcher.rebuild(), said
    copy = out / ".cache" / "site-copy"
    role_page = "generated/roles/salesperson/index.html"
    assert (copy / role_page).stat().st_ino == (out / "site" / role_page).stat().st_ino
    copy_folder = copy.stat().st_ino
    _edit_purpose(minimal, "为规范本公司业务管理")
    result = build(load_project(minimal), minimal, out, ("site",), defer=True)
    assert result.rebuilt["site"] == "1 page rendered"
    assert (out / "site").stat().st_ino == copy_folder  # the copy became the new site
    assert not (out / "site" / ".handbook-copy-of").exists()
    html = (out / "site" / "generated" / "regulations" / "rules" / "index.html").read_text(
        encoding="utf-8")
    assert "为规范本公司业务管理" in html
    assert not copy.exists()
    _rename(minimal / "regulations" / "rules.yaml", "为规范本公司业务管理", "为规范公司业务管理")
    said.clear()
    assert watcher.rebuild(), said
    assert said[0].startswith("ready") and "site (1 page rendered)" in said[0], said
    assert (copy / role_page).stat().st_ino == (out / "site" / role_page).stat().st_ino
    assert not [p.name for p in out.iterdir() if p.name.endswith("-previous")]


def test_a_copy_of_an_older_site_is_not_used(minimal, tmp_path):
    from generator.build import prepare_next

    with_site_files(minimal)
    out = tmp_path / "out"
    _summary(minimal, out, "site")
    prepare_next(out)
    (out / ".cache" / "site-copy" / "stale.html").write_text("旧", encoding="utf-8")
    _summary(minimal, out, "site", force=True)  # a new site: the copy is of the one before
    _edit_purpose(minimal, "为规范本公司业务管理")
    assert _summary(minimal, out, "site")["rebuilt"]["site"] == "1 page rendered"
    assert not (out / "site" / "stale.html").exists()
    assert not (out / "site" / ".handbook-copy-of").exists()


def test_a_deferred_build_leaves_the_old_outputs_for_its_caller(minimal, tmp_path):
    from generator.build import build, discard
    from generator.load import load_project

    out = tmp_path / "out"
    build(load_project(minimal), minimal, out, ("docx",))
    _edit_purpose(minimal, "为规范本公司业务管理")
    previous = out.resolve()
    result = build(load_project(minimal), minimal, out, ("docx",), defer=True)
    assert result.replaced == [previous]  # the previous build, whole
    old = [p.text for p in docx.Document(previous / "docx" / "rules.docx").paragraphs]
    assert "第一条　为规范业务管理，特制定本制度。" in old
    texts = [p.text for p in docx.Document(out / "docx" / "rules.docx").paragraphs]
    assert "第一条　为规范本公司业务管理，特制定本制度。" in texts
    discard(result.replaced)
    assert not previous.exists()
    stale = out.resolve().parent / "gleft"
    stale.mkdir()  # left by a watcher that was stopped
    build(load_project(minimal), minimal, out, ("docx",))
    assert not stale.exists()
    assert sorted(p.name for p in stale.parent.iterdir()) == [out.resolve().name]


def test_an_edited_theme_override_shows_although_templates_are_kept_compiled(minimal,
                                                                              tmp_path):
    with_site_files(minimal)
    out = tmp_path / "out"
    _summary(minimal, out, "site")
    from generator.render import site_guard

    kept = Path(site_guard._bytecode_cache().directory)  # Jinja's private folder, not --out
    assert list(kept.glob("__handbook_sandboxed_*.cache"))  # compiled templates are kept
    assert not (out / ".cache" / "templates").exists()
    override = minimal / "templates" / "site" / "overrides" / "main.html"
    _rename(override, "{{ super() }}", '<p class="hb-test">改过的模板</p>\n{{ super() }}')
    _summary(minimal, out, "site")
    html = (out / "site" / "generated" / "regulations" / "rules" / "index.html").read_text(
        encoding="utf-8")
    assert "改过的模板" in html


def _day(monkeypatch, day: str) -> None:
    """Build as if today were day (SOURCE_DATE_EPOCH, the reproducible-builds variable)."""
    import datetime as dt

    midnight = dt.datetime.fromisoformat(day).replace(tzinfo=dt.UTC)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(midnight.timestamp()) + 3600))


def test_a_new_day_rebuilds_only_what_it_changes(minimal, tmp_path, monkeypatch):
    """Nothing is rebuilt on the next day unless a status it shows changes there."""
    with_site_files(minimal)
    _second_regulation(minimal)
    _rename(minimal / "regulations" / "other.yaml", "effective: 2025-01-01",
            "effective: 2026-03-05")
    out = tmp_path / "out"
    targets = ("text", "docx", "forms", "site")
    _day(monkeypatch, "2026-03-01")
    _summary(minimal, out, *targets)
    assert "即将生效（2026-03-05）" in _front_block(out / "docx" / "other.docx")
    _day(monkeypatch, "2026-03-02")
    assert _summary(minimal, out, *targets)["rebuilt"] == {}
    _day(monkeypatch, "2026-03-06")
    rebuilt = _summary(minimal, out, *targets)["rebuilt"]
    assert {"docx/other.docx", "docx/制度汇编.docx", "site"} <= set(rebuilt)
    assert "现行有效" in _front_block(out / "docx" / "other.docx")


def _front_block(path: Path) -> str:
    document = docx.Document(str(path))
    return "\n".join(cell.text for table in document.tables[:1] for row in table.rows
                     for cell in row.cells)


def _fake_office(monkeypatch) -> tuple[list[list[str]], list[list[str]]]:
    """LibreOffice replaced: each file handed over becomes a one-page PDF, and the 制度汇编
    has a part per regulation. Returns the regulations' files handed to each conversion, and
    the 制度汇编's pieces fed in order."""
    import pypdf

    from generator import compendium_build
    from generator.render import pdf

    monkeypatch.setattr(compendium_build, "CHUNK", 1)

    handed: list[list[str]] = []
    fed: list[list[str]] = []

    def blank(path):
        writer = pypdf.PdfWriter()
        writer.add_blank_page(595, 842)
        writer.write(path)

    def convert(files, out_dir, root, done=None, sequence=None):
        handed.append(sorted(f.name for f in files))
        out_dir.mkdir(parents=True, exist_ok=True)
        for document in files:
            blank(out_dir / f"{document.stem}.pdf")
            done(f"{document.stem}.pdf")
        fed.append([])
        while sequence is not None and (source := sequence.take()) is not None:
            fed[-1].append(source.name)
            blank(sequence.out_dir(source) / f"{source.stem}.pdf")
            sequence.finished(source, True)
        return pdf.PdfResult()

    monkeypatch.setattr(pdf, "convert", convert)
    return handed, fed


def test_a_pdf_build_converts_every_word_file_and_keeps_none(minimal, tmp_path, monkeypatch):
    """Without LibreOffice running: the PDF target is handed every regulation's Word file
    and, in order, the 制度汇编's parts and front matter (then reuses what is current), and
    the Word files made only for it are gone."""
    import pypdf

    from generator.build import build
    from generator.load import load_project

    handed, fed = _fake_office(monkeypatch)
    _second_regulation(minimal)
    out = tmp_path / "out"
    first = build(load_project(minimal), minimal, out, ("pdf",))
    assert handed == [["other.docx", "rules.docx"]]
    assert fed == [["rules.docx", "other.docx", "_front.docx"]]  # by 文号
    assert sorted(p.name for p in (out / "pdf").iterdir()) == [
        "other.pdf", "rules.pdf", "制度汇编.pdf"]
    assert len(pypdf.PdfReader(out / "pdf" / "制度汇编.pdf").pages) == 3
    assert not (out / "docx").exists()
    assert {p.name for p in first.written} == {"other.pdf", "rules.pdf", "制度汇编.pdf",
                                               "handbook.json"}
    build(load_project(minimal), minimal, out, ("pdf",))
    assert handed[1:] == [[]] and fed[1:] == [[]]


def test_an_edit_converts_its_part_of_the_compendium_pdf_after_the_first_pass(
        minimal, tmp_path, monkeypatch):
    """The watcher's first pass keeps the last 制度汇编.pdf; the second converts only the
    edited regulation's part (its pages unchanged, the others keep their numbers)."""
    from generator.build import build
    from generator.load import load_project

    handed, fed = _fake_office(monkeypatch)
    _second_regulation(minimal)
    out = tmp_path / "out"
    build(load_project(minimal), minimal, out, ("pdf",))
    path = minimal / "regulations" / "other.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("特制定本制度", "特制定本办法"),
                    encoding="utf-8")
    first_pass = build(load_project(minimal), minimal, out, ("pdf",), defer=True)
    assert "pdf/制度汇编.pdf" in first_pass.deferred and fed[1] == []
    assert handed[1] == ["other.docx"]
    second = build(load_project(minimal), minimal, out, ("pdf",))
    assert fed[2] == ["other.docx", "_front.docx"]
    assert second.rebuilt["pdf/制度汇编.pdf"] == "changed"


def test_the_compendium_pdf_parts_change_only_where_a_regulation_is_added():
    from types import SimpleNamespace

    from generator.compendium_build import CHUNK, chunks

    regulations = [SimpleNamespace(id=f"reg-{n:04d}") for n in range(400)]
    before = chunks(regulations)
    assert 400 / CHUNK / 2 < len(before) < 400 / CHUNK * 2
    assert all(len(part) <= 3 * CHUNK for part in before)
    after = chunks(regulations[:200] + [SimpleNamespace(id="added")] + regulations[200:])
    changed = [part for part in after if [r.id for r in part] not in
               [[r.id for r in old] for old in before]]
    assert len(changed) <= 2 and any("added" in [r.id for r in part] for part in changed)


def test_adding_a_regulation_role_or_form_rebuilds_only_what_shows_it(minimal, tmp_path):
    out = tmp_path / "out"
    _summary(minimal, out, "text", "docx", "forms")
    regulations = minimal / "regulations"
    (regulations / "new-rule.yaml").write_text(
        "id: new-rule\ntitle: 新增管理制度\nnumber: YW-ZD-009\ncategory: 业务管理\n"
        "version: \"1.0\"\nstatus: active\neffective: 2025-01-01\ndepartment: sales\n"
        "approver: general-manager\napplies_to: [sales]\n"
        "revisions:\n  - {version: \"1.0\", date: 2025-01-01, summary: 首次发布。}\narticles:\n"
        "  - text: 为规范新增事项，特制定本制度。\n", encoding="utf-8")
    assert set(_summary(minimal, out, "text", "docx", "forms")["rebuilt"]) == {
        "text/new-rule.txt", "docx/new-rule.docx", "docx/制度汇编.docx", "handbook.json"}
    org = regulations / "org.yaml"
    data = yaml.safe_load(org.read_text(encoding="utf-8"))
    role = dict(data["roles"][-1], id="clerk", name="文员")
    role.pop("aliases", None)
    data["roles"].append(role)
    org.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert set(_summary(minimal, out, "text", "docx", "forms")["rebuilt"]) == {"handbook.json"}
    form = yaml.safe_load((regulations / "forms" / "vehicle-request.yaml").read_text(
        encoding="utf-8"))
    form.update(id="stamp-request", title="用印申请单", number=None)
    form.pop("approval", None)
    (regulations / "forms" / "stamp-request.yaml").write_text(
        yaml.safe_dump(form, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert set(_summary(minimal, out, "text", "docx", "forms")["rebuilt"]) == {
        "forms/stamp-request.docx", "forms/stamp-request.pdf", "handbook.json"}


def test_outputs_carry_no_clock(minimal, tmp_path):
    """Word files (every zip member) and form PDFs hold no build time: the same input gives
    the same bytes on any day."""
    import zipfile

    out = tmp_path / "out"
    _summary(minimal, out, "docx", "forms")
    for path in [*(out / "docx").iterdir(), out / "forms" / "vehicle-request.docx"]:
        with zipfile.ZipFile(path) as package:
            assert {info.date_time for info in package.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    pdf = (out / "forms" / "vehicle-request.pdf").read_bytes()
    assert b"/CreationDate (D:20000101000000" in pdf


def test_a_new_process_makes_only_the_pages_whose_inputs_changed(minimal, tmp_path,
                                                                 monkeypatch):
    """Each `handbook build` is a new process: the pages of the last build are kept on disk
    by a digest of their inputs, so an edit makes only its regulation's page (and the role
    pages that quote it) again, and an unchanged project makes none; the roles' mentions
    are looked for again only in the edited regulation."""
    from generator import queries
    from generator.render import site_pages

    made: list[str] = []
    for module, name in ((site_pages, "regulation_markdown"), (site_pages, "role_markdown"),
                         (queries, "mention_places")):
        real = getattr(module, name)

        def spy(*args, _real=real, _name=name, **kwargs):
            made.append(_name)
            return _real(*args, **kwargs)

        monkeypatch.setattr(module, name, spy)
    with_site_files(minimal)
    _second_regulation(minimal)
    out = tmp_path / "out"
    _summary(minimal, out, "site")
    roles = made.count("role_markdown")
    assert made.count("regulation_markdown") == 2 and roles > 0
    assert made.count("mention_places") == 2
    made.clear()
    (minimal / "regulations" / "rules.yaml").touch()  # a build runs, and finds every page
    _summary(minimal, out, "site")
    assert made == []
    path = minimal / "regulations" / "other.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("为规范业务管理", "为规范其他管理"),
                    encoding="utf-8")
    _summary(minimal, out, "site")
    assert made.count("regulation_markdown") == 1 and made.count("role_markdown") < roles
    assert made.count("mention_places") == 1
    page = out / ".cache" / "site-docs" / "generated" / "regulations" / "other.md"
    assert "为规范其他管理" in page.read_text(encoding="utf-8")
    made.clear()
    _rename(minimal / "regulations" / "org.yaml", "name: 总经理\n", "name: 总裁\n")
    _summary(minimal, out, "site")  # every page shows the roles' names
    assert made.count("regulation_markdown") == 2 and made.count("role_markdown") == roles
    assert made.count("mention_places") == 2
    rules = page.with_name("rules.md").read_text(encoding="utf-8")
    assert "[总裁]" in rules and "[总经理]" not in rules
