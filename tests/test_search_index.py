"""The site's search index in Python: the same text however it is written, and the same
weights however they are counted."""

from __future__ import annotations

import dataclasses
import gc
import json
import tracemalloc
import uuid

import pytest
from conftest import ROOT

from generator.load import load_project
from generator.render import search_index, search_shards


@pytest.fixture(scope="module")
def project():
    return load_project(ROOT)


@pytest.fixture(scope="module")
def rendered(project) -> str:
    """The bundled index as search_index.render makes it (the tests only read it)."""
    return search_index.render(project)


def test_written_piece_by_piece_is_the_rendered_text(project, rendered, tmp_path):
    target = tmp_path / "search" / "index.json"
    assert search_index.write(project, target)
    assert target.read_bytes() == rendered.encode("utf-8")
    inode = target.stat().st_ino
    assert not search_index.write(project, target)  # unchanged: left alone
    assert target.stat().st_ino == inode
    assert [p.name for p in target.parent.iterdir()] == ["index.json"]  # no partial file left


def test_counting_in_c_gives_the_weights_counted_one_by_one(project, rendered, monkeypatch):
    monkeypatch.setattr(search_index, "_REPEATS", None)  # the token-by-token counting
    assert search_index.render(project) == rendered


def test_lengths_are_the_sums_of_the_weights(rendered):
    index = json.loads(rendered)
    sums = [0] * len(index["docs"])
    for postings in index["postings"].values():
        for entry, weight in zip(postings[::2], postings[1::2], strict=True):
            sums[entry] += weight
    assert index["lengths"] == sums


def test_nothing_of_an_index_is_kept_after_it_is_made(project, rendered):
    # rendered: the word list was read once, in this process
    # titles never seen before: every entry of the index is new to this process
    retitled = dataclasses.replace(project, regulations=tuple(
        dataclasses.replace(r, title=f"{r.title}{uuid.uuid4().hex}")
        for r in project.regulations))
    tracemalloc.start()
    try:
        search_index.render(retitled)
        gc.collect()  # garbage waiting for the collector is not kept (cli_common.GC_THRESHOLDS)
        held, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert held < 256 * 1024, f"{held / 1024:.0f} KiB kept after the index was made"


def test_the_index_in_parts_holds_the_whole_index(project, tmp_path):
    folder = tmp_path / "search"
    written = search_shards.write(project, folder)
    assert search_shards.assemble(folder) == search_index.build(project)
    first = (folder / "index.json").stat().st_size
    rest = sum(path.stat().st_size for path in written) - first
    assert first < rest / 8, (first, rest)  # the page fetches a small part of it at load
    # a term file holds no more than about TERM_FILE_BYTES, unless one term fills it alone
    alone = json.loads((folder / "index.json").read_text(encoding="utf-8"))["parts"]["alone"]
    for path in (folder / "terms").glob("*.json"):
        terms = json.loads(path.read_text(encoding="utf-8"))
        assert len(terms) == 1 or path.stat().st_size < 8 * search_shards.TERM_FILE_BYTES
        if path.stem.startswith("a"):
            assert list(terms) == [alone[int(path.stem[1:])]]


def test_the_parts_are_rewritten_only_when_changed_and_old_ones_go(project, tmp_path):
    folder = tmp_path / "search"
    search_shards.write(project, folder)
    inodes = {path: path.stat().st_ino for path in folder.rglob("*.json")}
    stale = folder / "terms" / "99999.json"
    stale.write_text("{}", encoding="utf-8")
    written = search_shards.write(project, folder)
    assert not stale.exists()
    assert {path: path.stat().st_ino for path in written} == inodes
    assert not list(folder.rglob(".*"))  # no partial file left


def test_the_term_hash_is_fnv1a():
    assert search_shards.term_hash("") == 0x811C9DC5
    assert search_shards.term_hash("a") == 0xE40C292C  # the published FNV-1a test vector
