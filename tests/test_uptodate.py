"""A build with nothing changed since the last one into the same --out does nothing."""

from __future__ import annotations

import json
import os

from conftest import run

from generator import atomic


def _build(project, out, *extra):
    result = run("build", "docx", "--root", project, "--out", out, *extra)
    assert result.exit_code == 0, result.output
    return result


def test_an_unchanged_project_is_not_built_again(minimal, tmp_path):
    out = tmp_path / "out"
    first = _build(minimal, out)
    generation = atomic.current(out)
    second = _build(minimal, out)
    assert atomic.current(out) == generation  # no new generation: nothing was done
    built = first.stdout.strip().splitlines()[-1]  # Built 4 files into … (4 rebuilt, 0 …)
    files = built.split()[1]
    assert second.stdout.strip() == (f"Nothing changed: {files} files in {out} "
                                     "(0 rebuilt, 3 unchanged)")
    summary = json.loads(_build(minimal, out, "--json").stdout)
    assert summary["rebuilt"] == {} and summary["reused"] == 3
    assert summary["files"] == int(files)


def test_an_edit_a_lost_output_a_new_day_or_force_build_again(minimal, tmp_path,
                                                                 monkeypatch):
    out = tmp_path / "out"
    _build(minimal, out)
    path = minimal / "regulations" / "rules.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("为规范业务管理", "为规范其他管理"),
                    encoding="utf-8")
    assert "rebuilt docx/rules.docx (changed)" in _build(minimal, out).stdout
    assert "Nothing changed" in _build(minimal, out).stdout
    (out / "docx" / "rules.docx").unlink()
    assert "Built" in _build(minimal, out).stdout
    assert (out / "docx" / "rules.docx").is_file()
    template = minimal / "templates"
    template.mkdir(exist_ok=True)
    (template / "notes.txt").write_text("a file the build might read", encoding="utf-8")
    assert "Built" in _build(minimal, out).stdout
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(2_000_000_000))  # another day
    assert "Built" in _build(minimal, out).stdout
    assert "Nothing changed" in _build(minimal, out).stdout
    assert "Built" in _build(minimal, out, "--force").stdout
    assert "Built" in _build(minimal, out, "--include-drafts").stdout  # other options


def test_an_unchanged_build_repeats_the_warnings(minimal, tmp_path):
    path = minimal / "regulations" / "rules.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "为规范业务管理", "填写《不存在的登记单》为规范业务管理"), encoding="utf-8")
    out = tmp_path / "out"
    first = _build(minimal, out)
    assert "不存在的登记单" in first.stderr
    second = _build(minimal, out)
    assert "Nothing changed" in second.stdout and second.stderr == first.stderr


def test_a_failed_build_leaves_no_stamp_that_would_skip_the_next(minimal, tmp_path):
    out = tmp_path / "out"
    _build(minimal, out)
    path = minimal / "regulations" / "rules.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("title:", "title: [", 1), encoding="utf-8")
    assert run("build", "docx", "--root", minimal, "--out", out).exit_code == 2
    os.utime(path)
    path.write_text(text, encoding="utf-8")  # back as it was, but written again
    assert "Built" in _build(minimal, out).stdout
