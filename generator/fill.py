"""`handbook fill`: a form pre-filled from a YAML file of values (a contract for a customer)."""

from __future__ import annotations

import difflib
from pathlib import Path

from .errors import Problem, ProjectInvalid
from .model import Form, Project
from .render.form_layout import approval_field_names
from .yamlsource import YamlProblems, load_file


def read_values(project: Project, form: Form, path: Path, display: str) -> dict[str, object]:
    """Read and check field values for a form; every problem is reported with its line."""
    try:
        document = load_file(path, display)
    except YamlProblems as exc:
        raise ProjectInvalid(exc.problems) from None
    data = document.data
    if not isinstance(data, dict):
        raise ProjectInvalid([Problem(document.source.value(()),
                                      "expected `field-id: value` lines",
                                      "write one `field-id: value` per line")])
    fields = {f.name: f for f in form.all_fields()}
    allowed = list(fields) + approval_field_names(form)
    problems = []
    for key, value in data.items():
        location = document.source.key((key,))
        if key not in allowed:
            close = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.5)
            problems.append(Problem(location, f"form `{form.id}` has no field `{key}`",
                                    f"did you mean `{close[0]}`?" if close else
                                    "fields: " + ", ".join(allowed)))
            continue
        form_field = fields.get(key)
        if form_field is None:
            continue
        value_location = document.source.value((key,))
        if form_field.type == "choice" and str(value) not in form_field.options:
            problems.append(Problem(value_location, f"`{value}` is not an option of `{key}`",
                                    "use one of: " + "、".join(form_field.options)))
        if form_field.type == "table" and not isinstance(value, list):
            problems.append(Problem(value_location, f"`{key}` is a table: give a list of rows",
                                    "each row a list of cells or a mapping column → value"))
        if form_field.type == "checkbox" and not isinstance(value, bool):
            problems.append(Problem(value_location, f"`{key}` is a checkbox",
                                    "write true or false"))
    if problems:
        raise ProjectInvalid(problems)
    return dict(data)
