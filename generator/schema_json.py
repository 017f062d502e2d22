"""The JSON Schema of the YAML file formats (regulations/schema.json), for editors that
complete keys and flag mistakes while typing (yaml-language-server)."""

from __future__ import annotations

import json
from typing import Any

from .schema import FILE_MODELS


def json_schema() -> dict[str, Any]:
    """The JSON Schema of every regulations/ file kind, for editors (yaml-language-server)."""
    defs: dict[str, Any] = {}
    branches = []
    for model in FILE_MODELS.values():
        schema = model.model_json_schema(ref_template="#/$defs/{model}")
        defs.update(schema.pop("$defs", {}))
        defs[model.__name__] = schema
        branches.append({"$ref": f"#/$defs/{model.__name__}"})
    result = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "handbook-regulations.schema.json",
        "title": "Handbook regulation data (company, org, regulation or form file)",
        "anyOf": branches,
        "$defs": defs,
    }
    return _allow_text_shorthand(result)


def _allow_text_shorthand(node: Any) -> Any:
    if isinstance(node, dict):
        if node.get("$ref") in ("#/$defs/Item", "#/$defs/Paragraph") and len(node) == 1:
            return {"anyOf": [{"type": "string", "minLength": 1}, node]}
        return {key: _allow_text_shorthand(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_allow_text_shorthand(value) for value in node]
    return node


def json_schema_text() -> str:
    """json_schema() serialised the way it is committed to regulations/schema.json."""
    return json.dumps(json_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
