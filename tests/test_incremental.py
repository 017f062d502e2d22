"""The build cache: unchanged outputs are reused, changed inputs rebuild what depends on them."""

from __future__ import annotations

import json
import shutil

import docx
import yaml
from conftest import run

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
                                     "forms/vehicle-request.docx", "forms/vehicle-request.pdf"}
    before = (out / "docx" / "rules.docx").read_bytes()
    second = _summary(minimal, out, "docx", "forms")
    assert second["rebuilt"] == {} and second["reused"] == 5
    assert (out / "docx" / "rules.docx").read_bytes() == before


def test_one_edit_rebuilds_what_depends_on_it(minimal, tmp_path):
    _second_regulation(minimal)
    out = tmp_path / "out"
    _summary(minimal, out, "docx", "forms")
    path = minimal / "regulations" / "other.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("为规范业务管理", "为规范其他管理"),
                    encoding="utf-8")
    summary = _summary(minimal, out, "docx", "forms")
    assert summary["rebuilt"] == {"docx/other.docx": "changed", "docx/制度汇编.docx": "changed"}
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
    assert set(summary["rebuilt"]) == {"forms/vehicle-request.docx", "forms/vehicle-request.pdf"}


def test_template_change_and_force_rebuild_everything(minimal, tmp_path):
    out = tmp_path / "out"
    _summary(minimal, out, "docx")
    assert _summary(minimal, out, "docx", force=True)["rebuilt"] == {
        "docx/rules.docx": "forced", "docx/制度汇编.docx": "forced"}
    templates = minimal / "templates"
    templates.mkdir()
    shutil.copy(DEFAULT_TEMPLATE, templates / "reference.docx")
    with (templates / "reference.docx").open("ab") as stream:
        stream.write(b"\0")  # any byte of the template counts
    summary = _summary(minimal, out, "docx")
    assert set(summary["rebuilt"]) == {"docx/rules.docx", "docx/制度汇编.docx"}
