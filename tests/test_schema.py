"""The JSON Schema: up to date, referenced from every YAML file, and right about the data."""

from __future__ import annotations

import json

import jsonschema
import pytest
import yaml
from conftest import ROOT, run

from generator import schema_json

REGULATIONS = ROOT / "regulations"
YAML_FILES = sorted(REGULATIONS.glob("*.yaml")) + sorted((REGULATIONS / "forms").glob("*.yaml"))


def test_committed_schema_is_current():
    assert (REGULATIONS / "schema.json").read_text(encoding="utf-8") == schema_json.json_schema_text()
    assert run("schema", "--check", "--root", ROOT).exit_code == 0


def test_schema_check_detects_stale_schema(minimal):
    (minimal / "regulations" / "schema.json").write_text("{}", encoding="utf-8")
    result = run("schema", "--check", "--root", minimal)
    assert result.exit_code == 2
    assert "is out of date" in result.stderr
    assert run("schema", "--root", minimal).exit_code == 0
    assert run("schema", "--check", "--root", minimal).exit_code == 0


@pytest.mark.parametrize("path", YAML_FILES, ids=[p.name for p in YAML_FILES])
def test_every_file_references_the_schema(path):
    first = path.read_text(encoding="utf-8").splitlines()[0]
    expected = "../schema.json" if path.parent.name == "forms" else "schema.json"
    assert first == f"# yaml-language-server: $schema={expected}"


def _json_ready(value):
    """YAML as an editor's language server sees it: dates stay text."""
    return json.loads(json.dumps(value, default=str))


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    """A validator of the schema, which is itself checked once against its meta-schema
    (what jsonschema.validate would do again for every file)."""
    schema = schema_json.json_schema()
    assert jsonschema.validators.validator_for(schema) is jsonschema.Draft202012Validator
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize("path", YAML_FILES, ids=[p.name for p in YAML_FILES])
def test_bundled_files_validate_against_the_schema(path, validator):
    document = _json_ready(yaml.safe_load(path.read_text(encoding="utf-8")))
    validator.validate(document)


def test_schema_rejects_unknown_keys_and_accepts_shorthand(validator):
    article = {"text": "条文。", "items": ["一项", {"text": "二项", "items": ["子项"]}]}
    regulation = {
        "id": "x", "title": "制度", "number": "YW-ZD-001", "category": "业务管理",
        "version": "1.0", "status": "active", "effective": "2025-01-01", "department": "sales",
        "approver": "general-manager", "applies_to": ["sales"],
        "revisions": [{"version": "1.0", "date": "2025-01-01", "summary": "首次发布。"}],
        "articles": [article],
    }
    assert validator.is_valid(regulation)
    assert not validator.is_valid({**regulation, "artcles": []})


def test_field_reference_page_is_current():
    from generator import fieldref

    readme = (ROOT / "docs" / "fields.md").read_text(encoding="utf-8")
    assert fieldref.markdown() in readme
