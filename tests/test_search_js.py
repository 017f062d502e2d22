"""The site's search script under Node.js (tests/js/*.test.js), on the bundled handbook's
index as the site build writes it, and its tokenizer against the Python one."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest
from conftest import ROOT, TESTS

from generator.load import load_project
from generator.render import search_answers, search_index

NODE = shutil.which("node")
SAMPLES = ["出差住宿标准", "试用期３个月", "ＫＰＩ怎么定", "打车 报销", "第十二条（一）1.",
           "合同审批表 v2.0 100%", "", "ｗｉｆｉ密码", "𠀀字"]
"""Texts whose tokens both implementations must agree on: full-width letters and digits,
spaces, numbers, punctuation, characters outside the basic plane."""

pytestmark = pytest.mark.skipif(NODE is None, reason="Node.js runs the site's search script")


def test_search_script(tmp_path):
    index = tmp_path / "index.json"
    project = load_project(ROOT)
    index.write_text(search_index.render(project), encoding="utf-8")
    answers = tmp_path / "answers.json"
    answers.write_text(search_answers.render(project), encoding="utf-8")
    tokens = tmp_path / "tokens.json"
    tokens.write_text(json.dumps({text: search_index.tokens(text) for text in SAMPLES},
                                 ensure_ascii=False), encoding="utf-8")
    done = subprocess.run([NODE, "--test", str(TESTS / "js")], capture_output=True, text=True,
                          env={**os.environ, "HB_INDEX": str(index), "HB_TOKENS": str(tokens),
                                                    "HB_ANSWERS": str(answers)})
    assert done.returncode == 0, done.stdout + done.stderr
    assert "# fail 0" in done.stdout
