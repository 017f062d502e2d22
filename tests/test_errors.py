"""Every class of input mistake gives exit 2, file:line:col messages with hints, no traceback."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest
from conftest import run

BAD = Path(__file__).parent / "bad"
CASES = sorted(BAD.glob("*.yaml"))


def _place(project: Path, case: Path) -> str:
    """Put a case file where its first line says (`# target: …`), else over rules.yaml."""
    first = case.read_bytes().split(b"\n", 1)[0]
    target = first[len(b"# target: "):].decode("ascii").strip() \
        if first.startswith(b"# target: ") else "regulations/rules.yaml"
    (project / target).write_bytes(case.read_bytes())
    return target


def test_corpus_is_complete():
    assert len(CASES) >= 30
    for case in CASES:
        assert case.with_suffix(".expected").exists(), case.name


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_bad_input(minimal, case, tmp_path):
    out = tmp_path / "out"
    assert run("build", "text", "--root", minimal, "--out", out).exit_code == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    _place(minimal, case)
    result = run("check", "--root", minimal)
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    expected = case.with_suffix(".expected").read_text(encoding="utf-8")
    assert result.stderr == expected
    for line in expected.splitlines()[:-1]:
        assert re.match(r"^regulations/\S+\.yaml:\d+:\d+: (error|warning): ", line), line
        assert "(hint: " in line
    built = run("build", "text", "--root", minimal, "--out", out)
    assert built.exit_code == 2 and built.stderr == expected
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_python_tag_runs_nothing(minimal, tmp_path):
    marker = Path("/tmp/handbook-pwned")
    marker.unlink(missing_ok=True)
    _place(minimal, BAD / "python-tag.yaml")
    assert run("check", "--root", minimal).exit_code == 2
    assert not marker.exists()


def test_alias_bomb_is_rejected_fast(minimal):
    _place(minimal, BAD / "alias-bomb.yaml")
    started = time.perf_counter()
    result = run("check", "--root", minimal)
    assert result.exit_code == 2
    assert "expands to more than 200,000 values" in result.stderr
    assert time.perf_counter() - started < 30  # generous bound: it must not expand 9**9 values


def _regulation_bytes(minimal: Path) -> bytes:
    return (minimal / "regulations" / "rules.yaml").read_bytes()


def test_gbk_file_is_explained(minimal):
    path = minimal / "regulations" / "rules.yaml"
    path.write_bytes(path.read_text(encoding="utf-8").encode("gb18030"))
    result = run("check", "--root", minimal)
    assert result.exit_code == 2
    assert "regulations/rules.yaml:2:8: error: file is encoded as GBK/GB18030, not UTF-8" \
        in result.stderr
    assert "save it as UTF-8" in result.stderr


def test_utf16_file_is_explained(minimal):
    path = minimal / "regulations" / "rules.yaml"
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))
    result = run("check", "--root", minimal)
    assert result.exit_code == 2
    assert "regulations/rules.yaml:1:1: error: file is encoded as UTF-16" in result.stderr


def test_binary_garbage_is_rejected(minimal):
    (minimal / "regulations" / "picture.yaml").write_bytes(bytes(range(256)) * 40)
    result = run("check", "--root", minimal)
    assert result.exit_code == 2
    assert "regulations/picture.yaml:1:1: error: file is binary data, not YAML text" \
        in result.stderr


def test_bom_and_crlf_are_accepted(minimal):
    path = minimal / "regulations" / "rules.yaml"
    text = path.read_text(encoding="utf-8").replace("\n", "\r\n")
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    result = run("check", "--root", minimal)
    assert result.exit_code == 0, result.output


def test_control_character_is_located(minimal):
    path = minimal / "regulations" / "rules.yaml"
    text = path.read_text(encoding="utf-8").replace("特制定本制度", "特制定\x07本制度")
    path.write_text(text, encoding="utf-8")
    result = run("check", "--root", minimal)
    assert result.exit_code == 2
    assert "regulations/rules.yaml:22:26: error: control character U+0007 is not allowed" \
        in result.stderr


def test_line_of_almost_four_megabytes_is_handled(minimal):
    path = minimal / "regulations" / "rules.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "为规范业务管理，特制定本制度。", "为规范业务管理" + "很" * 1_300_000 + "。")
    path.write_text(text, encoding="utf-8")
    result = run("check", "--root", minimal)
    assert result.exit_code == 0, result.output[:500]


def test_two_documents_in_one_file(minimal):
    path = minimal / "regulations" / "rules.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "---\nid: more\n", encoding="utf-8")
    result = run("check", "--root", minimal)
    assert result.exit_code == 2
    assert "a file holds one YAML document" in result.stderr


def test_symlink_outside_project_is_refused(minimal, tmp_path):
    outside = tmp_path / "outside.yaml"
    outside.write_text("id: outside\n", encoding="utf-8")
    os.symlink(outside, minimal / "regulations" / "outside.yaml")
    result = run("check", "--root", minimal)
    assert result.exit_code == 2
    assert ("regulations/outside.yaml: error: refused: symlink to a place outside the project"
            in result.stderr)


def test_missing_company_and_org(minimal):
    (minimal / "regulations" / "company.yaml").unlink()
    (minimal / "regulations" / "org.yaml").unlink()
    result = run("check", "--root", minimal)
    assert result.exit_code == 2
    assert "regulations/company.yaml: error: `company.yaml` is missing" in result.stderr
    assert "regulations/org.yaml: error: `org.yaml` is missing" in result.stderr


def test_no_regulations_folder(tmp_path):
    result = run("check", "--root", tmp_path)
    assert result.exit_code == 2
    assert "error: no `regulations/` folder" in result.stderr
    assert "--root" in result.stderr


def test_warnings_do_not_fail_unless_strict(minimal):
    path = minimal / "regulations" / "rules.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "为规范业务管理，特制定本制度。", "为规范业务管理，依据《出差报销单》特制定本制度。"),
        encoding="utf-8")
    result = run("check", "--root", minimal)
    assert result.exit_code == 0
    assert "warning: form 《出差报销单》 is not in regulations/forms/" in result.stderr
    assert "1 warning" in result.stdout
    assert run("check", "--strict", "--root", minimal).exit_code == 2


def test_unknown_regulation_in_show(minimal):
    result = run("show", "nothing", "--root", minimal)
    assert result.exit_code == 2
    assert result.stderr == "Error: no regulation `nothing` (known: rules)\n"


def test_half_width_marks_between_chinese_are_warned_where_they_are(minimal):
    rules = minimal / "regulations" / "rules.yaml"
    text = rules.read_text(encoding="utf-8")
    assert "        text: 为规范业务管理，特制定本制度。\n" in text
    rules.write_text(text.replace("为规范业务管理，特制定本制度。", "为规范业务管理,特制定本制度?"),
                     encoding="utf-8")
    result = run("check", "--root", minimal)
    assert result.exit_code == 0  # a warning: the text is still right
    assert ("regulations/rules.yaml:22:22: warning: half-width `,` between Chinese characters "
            "(hint: write `，` (handbook import converts these))") in result.output
    assert "regulations/rules.yaml:22:29: warning: half-width `?`" in result.output
    assert run("check", "--strict", "--root", minimal).exit_code == 2


@pytest.mark.parametrize(("word", "choices", "hint"), [
    ("sales-manger", ["sales-manager", "salesperson"], "did you mean `sales-manager`?"),
    ("gm", ["general-manager", "sales-manager"], "did you mean `general-manager`?"),
    ("派车申请表", ["请假申请单", "派车申请单"], "did you mean `派车申请单`?"),
    ("请假单", ["请假申请单", "派车申请单"], "did you mean `请假申请单`?"),
    ("用印申请单", ["请假申请单", "派车申请单"], ""),  # only the tail 申请单 agrees
    ("xyz", ["general-manager"], ""),
])
def test_did_you_mean_only_when_close(word, choices, hint):
    from generator.errors import suggest

    assert suggest(word, choices) == hint


def test_an_approver_typed_as_initials_is_suggested(minimal):
    rules = minimal / "regulations" / "rules.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").replace(
        "approver: general-manager", "approver: gm"), encoding="utf-8")
    result = run("check", "--root", minimal)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == (
        "regulations/rules.yaml:9:11: error: unknown role `gm` "
        "(hint: did you mean `general-manager`?)")


def test_a_file_that_fails_validation_still_has_its_references_checked(minimal):
    rules = minimal / "regulations" / "rules.yaml"
    text = rules.read_text(encoding="utf-8").replace("status: active", "status: activ")
    rules.write_text(text.replace("{表:vehicle-request}", "{表:vehicle-requst}"),
                     encoding="utf-8")
    result = run("check", "--root", minimal)
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if ": error: " in line]
    assert lines == [
        "regulations/rules.yaml:6:9: error: `status` cannot be `activ` "
        "(hint: did you mean `active`?)",
        "regulations/rules.yaml:28:22: error: unknown form `vehicle-requst` in "
        "`{表:vehicle-requst}` (hint: did you mean `vehicle-request`?)"]


def test_a_key_typo_a_bad_date_and_an_unknown_role_are_reported_together(minimal):
    rules = minimal / "regulations" / "rules.yaml"
    text = rules.read_text(encoding="utf-8").replace("effective: 2025-01-01",
                                                     "effective: 2025-02-30")
    text = text.replace("chapters:", "chapterz:").replace("{岗位:salesperson}。",
                                                         "{岗位:sales-persn}。")
    rules.write_text(text, encoding="utf-8")
    result = run("check", "--root", minimal)
    assert result.exit_code == 2
    assert sorted(line.split(": error: ")[0] for line in result.output.splitlines()
                  if ": error: " in line) == ["regulations/rules.yaml:18:1",
                                              "regulations/rules.yaml:24:21",
                                              "regulations/rules.yaml:7:12"]
    assert "unknown role `sales-persn`" in result.output
    assert "Aborted with 3 errors" in result.output


def _two_unknown_forms(project: Path) -> None:
    rules = project / "regulations" / "rules.yaml"
    text = rules.read_text(encoding="utf-8").replace(
        "为规范业务管理，特制定本制度。", "为规范业务管理，特制定本制度，填写《用印申请单》。")
    rules.write_text(text.replace("本制度适用于{岗位:salesperson}。",
                                  "本制度适用于{岗位:salesperson}，见《用印申请单》。"),
                     encoding="utf-8")


def test_a_warning_repeated_in_a_file_is_said_once_with_its_places(minimal):
    _two_unknown_forms(minimal)
    result = run("check", "--root", minimal)
    assert result.exit_code == 0
    assert result.stderr == (
        "regulations/rules.yaml:22:32: warning: form 《用印申请单》 is not in regulations/forms/ "
        "(also at 24:39) (hint: add regulations/forms/<id>.yaml with `title: 用印申请单`)\n")


def test_list_does_not_repeat_the_warnings(minimal):
    _two_unknown_forms(minimal)
    result = run("list", "--root", minimal)
    assert result.exit_code == 0
    assert result.stderr == "2 warnings: see `handbook check`\n"


def test_the_watcher_says_a_warning_once_not_on_every_save(minimal, tmp_path):
    from generator.serving import Watcher

    _two_unknown_forms(minimal)
    said: list[str] = []
    watcher = Watcher(minimal, tmp_path / "out", ("text",), said.append)
    assert watcher.rebuild()
    assert sum("《用印申请单》" in line for line in said) == 1
    said.clear()
    assert watcher.rebuild()
    assert not any("《用印申请单》" in line for line in said)
    assert "(1 warning as before)" in said
