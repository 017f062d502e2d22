"""The site's search script under Node.js (tests/js/*.test.js), on the bundled handbook's
index as the site build writes it (whole, and in parts), and its tokenizer and term hash
against the Python ones."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest
import yaml
from conftest import FIXTURES, ROOT, TESTS

from generator.load import load_project
from generator.render import search_answers, search_index, search_shards

NODE = shutil.which("node")
SAMPLES = ["出差住宿标准", "试用期３个月", "ＫＰＩ怎么定", "打车 报销", "第十二条（一）1.",
           "合同审批表 v2.0 100%", "", "ｗｉｆｉ密码", "𠀀字"]
"""Texts whose tokens both implementations must agree on: full-width letters and digits,
spaces, numbers, punctuation, characters outside the basic plane."""
QUESTION_FILES = (ROOT / "bench" / "search_dev" / "questions.yaml", FIXTURES / "search_questions.yaml")

pytestmark = pytest.mark.skipif(NODE is None, reason="Node.js runs the site's search script")


def test_search_script(tmp_path):
    index = tmp_path / "index.json"
    project = load_project(ROOT)
    index.write_text(search_index.render(project), encoding="utf-8")
    search_shards.write(project, tmp_path / "shards")
    answers = tmp_path / "answers.json"
    answers.write_text(search_answers.render(project), encoding="utf-8")
    tokens = tmp_path / "tokens.json"
    tokens.write_text(json.dumps({text: search_index.tokens(text) for text in SAMPLES},
                                 ensure_ascii=False), encoding="utf-8")
    hashes = tmp_path / "hashes.json"
    terms = [t for text in SAMPLES for t in search_index.tokens(text)] + ["𠀀字", "a"]
    hashes.write_text(json.dumps({t: search_shards.term_hash(t) for t in terms},
                                 ensure_ascii=False), encoding="utf-8")
    queries = tmp_path / "queries.json"
    queries.write_text(json.dumps([str(q["q"]) for path in QUESTION_FILES for q in
                                   yaml.safe_load(path.read_text(encoding="utf-8"))],
                                  ensure_ascii=False), encoding="utf-8")
    done = subprocess.run([NODE, "--test", str(TESTS / "js")], capture_output=True, text=True,
                          env={**os.environ, "HB_INDEX": str(index), "HB_TOKENS": str(tokens),
                               "HB_ANSWERS": str(answers), "HB_SHARDS": str(tmp_path / "shards"),
                               "HB_HASHES": str(hashes), "HB_QUERIES": str(queries)})
    assert done.returncode == 0, done.stdout + done.stderr
    assert "# fail 0" in done.stdout
