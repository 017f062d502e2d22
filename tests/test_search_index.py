"""The site's search index in Python: the same text however it is written, and the same
weights however they are counted."""

from __future__ import annotations

import dataclasses
import json
import tracemalloc
import uuid

import pytest
from conftest import ROOT

from generator.load import load_project
from generator.render import search_index


@pytest.fixture(scope="module")
def project():
    return load_project(ROOT)


def test_written_piece_by_piece_is_the_rendered_text(project, tmp_path):
    target = tmp_path / "search" / "index.json"
    assert search_index.write(project, target)
    assert target.read_bytes() == search_index.render(project).encode("utf-8")
    inode = target.stat().st_ino
    assert not search_index.write(project, target)  # unchanged: left alone
    assert target.stat().st_ino == inode
    assert [p.name for p in target.parent.iterdir()] == ["index.json"]  # no partial file left


def test_counting_in_c_gives_the_weights_counted_one_by_one(project, monkeypatch):
    fast = search_index.render(project)
    monkeypatch.setattr(search_index, "_REPEATS", None)  # the token-by-token counting
    assert search_index.render(project) == fast


def test_lengths_are_the_sums_of_the_weights(project):
    index = json.loads(search_index.render(project))
    sums = [0] * len(index["docs"])
    for postings in index["postings"].values():
        for entry, weight in zip(postings[::2], postings[1::2], strict=True):
            sums[entry] += weight
    assert index["lengths"] == sums


def test_nothing_of_an_index_is_kept_after_it_is_made(project):
    search_index.render(project)  # the word list read once
    # titles never seen before: every entry of the index is new to this process
    retitled = dataclasses.replace(project, regulations=tuple(
        dataclasses.replace(r, title=f"{r.title}{uuid.uuid4().hex}")
        for r in project.regulations))
    tracemalloc.start()
    try:
        search_index.render(retitled)
        held, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert held < 256 * 1024, f"{held / 1024:.0f} KiB kept after the index was made"
