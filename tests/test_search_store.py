"""The search index kept between builds (search_store.py): after any edit, the index a
build makes from what the last build kept is byte for byte the index made from scratch;
a new process tokenizes only the entries that changed; a damaged store is made again."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, run, with_site_files

from generator.load import load_project
from generator.render import search_shards, search_store
from generator.render.site import SEARCH_STORE

SEARCH = Path("site", "generated", "search")


def _build(project: Path, out: Path, *extra: str) -> None:
    result = run("build", "site", "--root", project, "--out", out, "--quiet", *extra)
    assert result.exit_code == 0, result.output


def _build_in_new_process(project: Path, out: Path) -> int:
    """Build the site in a new process; return how many entries it tokenized."""
    done = subprocess.run([sys.executable, "-m", "generator", "build", "site", "--root",
                           str(project), "--out", str(out), "--quiet"], cwd=ROOT,
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    return _tokenized(out)


def _tokenized(out: Path) -> int:
    state = search_store.read(out / ".cache" / SEARCH_STORE)
    assert state is not None, "no search index kept"
    return state["tokenized"]


def _index_files(out: Path) -> dict[str, bytes]:
    folder = out / SEARCH
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*.json")) if path.name != "answers.json"}


def _reference(project: Path) -> dict[str, bytes]:
    """The index files as the index's reference code writes them (no store)."""
    return {name: text.encode("utf-8")
            for name, text in search_shards.files(load_project(project))}


def _edit(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                    encoding="utf-8")


def _articles(data: dict) -> list[dict]:
    return data["chapters"][0]["articles"]


@pytest.fixture
def project(minimal):
    """The minimal project with the site's files and a second regulation."""
    with_site_files(minimal)
    regulations = minimal / "regulations"
    data = yaml.safe_load((regulations / "rules.yaml").read_text(encoding="utf-8"))
    data.update(id="other", title="其他管理制度", number="YW-ZD-002")
    _articles(data).append({"id": "extra", "text": "出差住宿按标准报销，超出部分自理。"})
    (regulations / "other.yaml").write_text(yaml.safe_dump(data, allow_unicode=True,
                                                           sort_keys=False), encoding="utf-8")
    return minimal


EDITS = {
    "edit an article": ("rules.yaml", lambda d: _articles(d)[0].update(
        text="为规范业务管理和出差报销，特制定本制度。")),
    "add an article": ("rules.yaml", lambda d: _articles(d).insert(
        1, {"id": "added", "text": "新增条款：住宿标准另行规定。"})),
    "remove an article": ("other.yaml", lambda d: _articles(d).pop()),
    "edit synonyms": ("synonyms.yaml", lambda d: d.update(
        synonyms={"报账": ["报销"], "酒店": ["住宿"]})),
    "rename a regulation": ("rules.yaml", lambda d: d.update(title="业务与出差管理制度")),
    "change entry order": ("rules.yaml", lambda d: _articles(d).reverse()),
    "remove a regulation": ("other.yaml", None),
    "bring it back": ("other.yaml", "restore"),
}


def test_the_index_kept_between_builds_is_the_index_made_from_scratch(project, tmp_path):
    out = tmp_path / "out"
    _build(project, out)
    regulations = project / "regulations"
    (regulations / "synonyms.yaml").write_text("synonyms:\n  打车: [派车]\n", encoding="utf-8")
    saved = (regulations / "other.yaml").read_text(encoding="utf-8")
    tokenized = []
    for step, (name, change) in EDITS.items():
        path = regulations / name
        if change is None:
            path.unlink()
        elif change == "restore":
            path.write_text(saved, encoding="utf-8")
        else:
            _edit(path, change)
        _build(project, out)
        assert _index_files(out) == _reference(project), f"after: {step}"
        tokenized.append(_tokenized(out))
    assert tokenized[-1] > 0  # the regulation brought back: its entries are new again
    assert tokenized[list(EDITS).index("edit synonyms")] == 0
    assert tokenized[list(EDITS).index("remove a regulation")] == 0
    incremental = _index_files(out)
    _build(project, out, "--force")
    assert _index_files(out) == incremental
    _build(project, tmp_path / "empty")
    assert _index_files(tmp_path / "empty") == incremental


def test_a_new_process_tokenizes_only_the_entries_that_changed(project, tmp_path):
    out = tmp_path / "out"
    first = _build_in_new_process(project, out)
    entries = json.loads((out / SEARCH / "index.json").read_text(encoding="utf-8"))["count"]
    assert first == entries > 10
    _edit(project / "regulations" / "rules.yaml",
          lambda d: _articles(d)[1].update(text="本制度适用于全体业务人员。"))
    assert _build_in_new_process(project, out) == 1
    terms = {path: path.stat().st_mtime_ns for path in (out / SEARCH / "terms").glob("*")}
    # the synonyms change the index (its first part), not the entries: none tokenized
    (project / "regulations" / "synonyms.yaml").write_text("synonyms:\n  打车: [派车]\n",
                                                           encoding="utf-8")
    assert _build_in_new_process(project, out) == 0
    assert b"\xe6\x89\x93\xe8\xbd\xa6" in (out / SEARCH / "index.json").read_bytes()  # 打车
    assert {path: path.stat().st_mtime_ns for path in terms} == terms  # not written again
    assert _index_files(out) == _reference(project)


def test_a_damaged_store_is_made_again(project, tmp_path):
    """Truncated, garbage, of another shape, or a folder that can be neither read nor
    written: the build goes on, and its index is the one made from scratch."""
    out = tmp_path / "out"
    _build(project, out)
    kept = out / ".cache" / SEARCH_STORE
    entries = _tokenized(out)
    for number, damage in enumerate(["truncated", "garbage", "other shape", "a folder"]):
        data = kept.read_bytes()
        if damage == "a folder":
            kept.unlink()
            (kept / "x").mkdir(parents=True)
        else:
            kept.write_bytes({"truncated": data[:len(data) // 2], "garbage": os.urandom(256),
                              "other shape": pickle.dumps(
                                  {"version": search_store._version(), "entries": 1})}[damage])
        _edit(project / "regulations" / "rules.yaml", lambda d, n=number: _articles(d)[0]
              .update(text=f"为规范业务管理，特制定本办法（{n}）。"))
        _build(project, out)  # in-process: an exception would fail the test
        assert _index_files(out) == _reference(project), damage
        if damage == "a folder":
            assert kept.is_dir() and not [p for p in kept.parent.glob(".part-*")]
        else:
            assert _tokenized(out) == entries, damage  # made again from scratch, and kept
