"""Ids that name outputs: one file per id, and none the site keeps for its own pages.

A regulation's id names its Word file, PDF, text and site page, a form's id its files
and page, a role's id its page (see :mod:`generator.outputs`), so two files with the
same id would overwrite each other's outputs.
"""

from __future__ import annotations

from .errors import Location, Problem

RESERVED_IDS = {
    "index": "on the site, a page named index is the page of its whole folder (as the "
             "forms library and the list of roles are)",
}
"""Ids no regulation, form or role may take, and why."""


def reserved(location: Location, kind: str, value: str) -> Problem | None:
    """The problem with a regulation, form or role id the site keeps for itself, if any."""
    if value not in RESERVED_IDS:
        return None
    return Problem(location, f"{kind} id `{value}` is reserved: {RESERVED_IDS[value]}",
                   f"choose another id, e.g. `{value}-{kind}`"
                   + (", and rename the file to match" if kind != "role" else ""))


def duplicates(kind: str, files: list[tuple[str, str, Location]]) -> list[Problem]:
    """Problems for ids given by more than one file, as (id, file, location of its id)
    in reading order; each names the file that has the id first."""
    first: dict[str, str] = {}
    problems = []
    for value, file, location in files:
        if value not in first:
            first[value] = file
            continue
        problems.append(Problem(
            location, f"{kind} id `{value}` is also used by {first[value]}",
            f"{first[value]} and {file} would write the same outputs: "
            "keep one of the two files (.yaml and .yml count as the same name)"))
    return problems
