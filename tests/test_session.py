"""The build session: parses kept on disk by content, so a new `handbook build` process
parses only the files that changed since the last build into the same --out."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run

from generator import discovery
from generator.session import PARSES_DIR, for_build


@pytest.fixture
def parse_count(monkeypatch):
    """How often a YAML file is actually read and parsed, by file name."""
    counts: dict[str, int] = {}
    real = discovery.load_file

    def counting(path: Path, display: str):
        counts[path.name] = counts.get(path.name, 0) + 1
        return real(path, display)

    monkeypatch.setattr(discovery, "load_file", counting)
    return counts


def _yaml_files(project: Path) -> int:
    return len(list((project / "regulations").rglob("*.yaml")))


def test_a_build_keeps_every_parse_on_disk(minimal, tmp_path):
    out = tmp_path / "out"
    assert run("build", "text", "--root", minimal, "--out", out, "--quiet").exit_code == 0
    stored = [p for p in (out / PARSES_DIR).glob("*/*") if not p.name.startswith(".")]
    assert len(stored) == _yaml_files(minimal)


def test_a_new_process_parses_only_the_edited_file(minimal, tmp_path, parse_count):
    out = tmp_path / "out"
    assert run("build", "text", "--root", minimal, "--out", out, "--quiet").exit_code == 0
    assert sum(parse_count.values()) == _yaml_files(minimal)
    parse_count.clear()
    rules = minimal / "regulations" / "rules.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").replace("为规范业务管理", "为规范管理"),
                     encoding="utf-8")
    result = run("build", "text", "--root", minimal, "--out", out, "--quiet")
    assert result.exit_code == 0
    assert parse_count == {"rules.yaml": 1}
    assert "为规范管理" in (out / "text" / "rules.txt").read_text(encoding="utf-8")
    # the parse of the old text is gone from the store, the new one is there
    assert len([p for p in (out / PARSES_DIR).glob("*/*")]) == _yaml_files(minimal)


def test_an_unreadable_store_entry_is_parsed_again(minimal, tmp_path, parse_count):
    out = tmp_path / "out"
    run("build", "text", "--root", minimal, "--out", out, "--quiet")
    for stored in (out / PARSES_DIR).glob("*/*"):
        stored.write_bytes(b"not a pickle")
    parse_count.clear()
    result = run("build", "text", "--root", minimal, "--out", out, "--quiet", "--force")
    assert result.exit_code == 0
    assert sum(parse_count.values()) == _yaml_files(minimal)


def test_a_mistake_is_reported_again_from_the_store(minimal, tmp_path, parse_count):
    out = tmp_path / "out"
    run("build", "text", "--root", minimal, "--out", out, "--quiet")
    rules = minimal / "regulations" / "rules.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").replace("status: active",
                                                               "status: activ"),
                     encoding="utf-8")
    parse_count.clear()
    session = for_build(out)
    from generator.errors import ProjectInvalid
    from generator.load import load_project

    for _ in range(2):  # parsed, then remembered: the same error both times
        with pytest.raises(ProjectInvalid) as error:
            load_project(minimal, session)
        assert any("activ" in str(p) and "rules.yaml" in str(p)
                   for p in error.value.problems)
    assert parse_count == {"rules.yaml": 1}  # the others come from the store
