"""`handbook check --fix`: mistakes the tool can mend itself, mended in the YAML files.

Today one kind: numbering typed at the start of a text (第八条 , （一）, 1. …), which the
loader reports with the exact text to delete at the value's location. The file is edited
in place at that line and column only; comments and layout stay.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from . import files
from .errors import Problem


def apply(root: Path, problems: tuple[Problem, ...] | list[Problem]) -> list[str]:
    """Delete the removable text of each problem from its file; one line per change made
    (`file:line:col: removed `第八条``)."""
    by_file: dict[str, list[Problem]] = defaultdict(list)
    for problem in problems:
        if problem.removable and problem.location.line:
            by_file[problem.location.file].append(problem)
    done = []
    for name, found in sorted(by_file.items()):
        path = root / name
        lines = path.read_text(encoding="utf-8").split("\n")
        changed = False
        for problem in sorted(found, key=lambda p: (p.location.line, p.location.column),
                              reverse=True):
            where = problem.location
            line = lines[where.line - 1]
            start = where.column - 1
            at = start + 1 if line[start:start + 1] in ("'", '"') else start
            if line[at:at + len(problem.removable)] != problem.removable:
                continue  # not where the loader saw it (a block scalar): left to the user
            lines[where.line - 1] = line[:at] + line[at + len(problem.removable):]
            changed = True
            done.append(f"{where}: removed `{problem.removable.strip()}`")
        if changed:
            files.write_text(path, "\n".join(lines))
    return sorted(done)
