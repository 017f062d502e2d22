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


def _stored(project: Path) -> int:
    """What a build keeps: each file's parse, and each regulation's numbering and model."""
    regulations = [p for p in (project / "regulations").glob("*.yaml")
                   if p.name not in ("company.yaml", "org.yaml", "synonyms.yaml")]
    return _yaml_files(project) + 2 * len(regulations)


def test_a_build_keeps_every_parse_on_disk(minimal, tmp_path):
    out = tmp_path / "out"
    assert run("build", "text", "--root", minimal, "--out", out, "--quiet").exit_code == 0
    stored = [p for p in (out / PARSES_DIR).glob("*/*") if not p.name.startswith(".")]
    assert len(stored) == _stored(minimal)


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
    assert len([p for p in (out / PARSES_DIR).glob("*/*")]) == _stored(minimal)


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


def test_a_new_process_resolves_only_the_edited_regulation(minimal, tmp_path, monkeypatch):
    """Each regulation's model (and its JSON text) is kept with the parses, by its file's
    content and everything else it reads: a new process resolves only what changed, and
    reports the stored model's warnings again."""
    from generator.load import Resolver

    resolved: list[str] = []
    real = Resolver._regulation

    def counting(self, parsed):
        resolved.append(parsed.path.name)
        return real(self, parsed)

    monkeypatch.setattr(Resolver, "_regulation", counting)
    rules = minimal / "regulations" / "rules.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").replace(
        "为规范业务管理", "填写《不存在的登记单》为规范业务管理"), encoding="utf-8")
    other = minimal / "regulations" / "other.yaml"
    other.write_text(rules.read_text(encoding="utf-8").replace("id: rules", "id: other")
                     .replace("title: ", "title: 其他", 1).replace("number: ", "number: X", 1),
                     encoding="utf-8")
    out = tmp_path / "out"
    first = run("build", "text", "--root", minimal, "--out", out)
    assert first.exit_code == 0, first.output
    assert sorted(resolved) == ["other.yaml", "rules.yaml"] and "不存在的登记单" in first.stderr
    resolved.clear()
    other.write_text(other.read_text(encoding="utf-8").replace("为规范业务管理", "为规范管理"),
                     encoding="utf-8")
    second = run("build", "text", "--root", minimal, "--out", out)
    assert resolved == ["other.yaml"]
    assert second.stderr.count("不存在的登记单") == first.stderr.count("不存在的登记单")
    assert "为规范管理" in (out / "text" / "other.txt").read_text(encoding="utf-8")
    resolved.clear()
    org = minimal / "regulations" / "org.yaml"  # a name every regulation may show
    org.write_text(org.read_text(encoding="utf-8").replace("name: 总经理\n", "name: 总裁\n"),
                   encoding="utf-8")
    assert run("build", "text", "--root", minimal, "--out", out).exit_code == 0
    assert sorted(resolved) == ["other.yaml", "rules.yaml"]


def _two_regulations(minimal: Path) -> Path:
    """A second regulation, other.yaml, beside the fixture's rules.yaml; its path."""
    rules = minimal / "regulations" / "rules.yaml"
    other = minimal / "regulations" / "other.yaml"
    other.write_text(rules.read_text(encoding="utf-8").replace("id: rules", "id: other")
                     .replace("title: ", "title: 其他", 1).replace("number: ", "number: X", 1),
                     encoding="utf-8")
    return other


@pytest.fixture
def unpacked(monkeypatch) -> list[str]:
    """The files whose stored parse was read back whole (beyond its head), by name."""
    names: list[str] = []
    real = discovery.Parsed._unpack

    def counting(self):
        names.append(self.path.name)
        return real(self)

    monkeypatch.setattr(discovery.Parsed, "_unpack", counting)
    return names


def test_a_new_process_reads_back_only_the_parses_of_the_models_it_makes(minimal, tmp_path,
                                                                         unpacked):
    other = _two_regulations(minimal)
    out = tmp_path / "out"
    assert run("build", "text", "--root", minimal, "--out", out, "--quiet").exit_code == 0
    assert {"rules.yaml", "other.yaml"} <= set(unpacked)
    unpacked.clear()
    other.write_text(other.read_text(encoding="utf-8").replace("为规范业务管理", "为规范管理"),
                     encoding="utf-8")
    assert run("build", "text", "--root", minimal, "--out", out, "--quiet").exit_code == 0
    assert "other.yaml" in unpacked and "rules.yaml" not in unpacked
    assert "为规范管理" in (out / "text" / "other.txt").read_text(encoding="utf-8")


def test_a_damaged_parse_inside_a_readable_entry_is_parsed_again(minimal, tmp_path,
                                                                  parse_count):
    import pickle

    out = tmp_path / "out"
    assert run("build", "text", "--root", minimal, "--out", out, "--quiet").exit_code == 0
    damaged = 0
    for stored in (out / PARSES_DIR).glob("*/*"):
        value = pickle.loads(stored.read_bytes())
        if isinstance(value, discovery.StoredParse) and value.head.id == "rules":
            value.body.__setstate__(b"\x80\x05damaged")  # the head reads, the rest does not
            stored.write_bytes(pickle.dumps(value))
            damaged += 1
    assert damaged == 1
    org = minimal / "regulations" / "org.yaml"  # every model is made again: rules' parse read
    org.write_text(org.read_text(encoding="utf-8").replace("name: 总经理\n", "name: 总裁\n"),
                   encoding="utf-8")
    parse_count.clear()
    result = run("build", "text", "--root", minimal, "--out", out)
    assert result.exit_code == 0, result.output
    assert parse_count == {"org.yaml": 1, "rules.yaml": 1}
    assert "总裁" in (out / "text" / "rules.txt").read_text(encoding="utf-8")


def test_a_stored_source_map_gives_the_same_places(minimal):
    """The parse store keeps source maps as (line, column) pairs: every place read back
    is the place parsed."""
    import pickle

    from generator.yamlsource import load_file

    path = minimal / "regulations" / "rules.yaml"
    source = load_file(path, "regulations/rules.yaml").source
    stored = pickle.loads(pickle.dumps(source, protocol=pickle.HIGHEST_PROTOCOL))
    assert len(pickle.dumps(source)) < len(pickle.dumps(dict(source.__dict__))) * 0.7
    assert stored == source and len(source.values) > 20
    for where in list(source.values) + [("chapters", 0, "articles", 99, "text")]:
        assert stored.value(where) == source.value(where)
        assert stored.key(where) == source.key(where)
