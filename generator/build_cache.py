"""What a build reuses: content keys of its outputs and the cache of the last build's keys.

An output is rebuilt only when its key changed: the key hashes everything the output is
made from (the generator's code, the regulation's resolved data, the names it shows).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .export import canonical
from .model import Form, Project, Regulation
from .outputs import link_or_copy

CACHE_FILE = ".handbook-cache.json"


@dataclass
class BuildResult:
    """Files written (at their final place), what was rebuilt and why, notices."""

    written: list[Path] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    rebuilt: dict[str, str] = field(default_factory=dict)
    reused: int = 0
    deferred: list[str] = field(default_factory=list)
    replaced: list[Path] = field(default_factory=list)
    """With `defer`: the previous outputs, moved aside for the caller to `discard`."""


def content_key(*parts: object) -> str:
    """A short hash of parts (bytes as they are, anything else as sorted JSON)."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part if isinstance(part, bytes) else canonical(part))
    return digest.hexdigest()[:24]


class BuildCache:
    """Content keys of the last build's outputs, so unchanged ones are reused, not rebuilt."""

    def __init__(self, out: Path, staging: Path, force: bool, result: BuildResult) -> None:
        self.out, self.staging, self.force, self.result = out, staging, force, result
        self.old: dict[str, str] = {}
        cache = out / CACHE_FILE
        if cache.exists() and not force:
            try:
                self.old = json.loads(cache.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                self.old = {}
        self.new: dict[str, str] = {}
        self.folders: set[Path] = set()  # made in staging already

    def reuse(self, relative: str, key: str,
              damage: Callable[[Path], str | None] | None = None) -> bool:
        """Link the previous output into staging when its key is unchanged (and `damage`
        finds nothing wrong with it)."""
        self.new[relative] = key
        same = self.old.get(relative) == key and (self.out / relative).exists()
        damaged = same and damage is not None and damage(self.out / relative) is not None
        if same and not damaged:
            self._link_previous(relative)
            self.result.reused += 1
            return True
        self.result.rebuilt[relative] = "forced" if self.force else "damaged" if damaged else \
            "new" if relative not in self.old else "changed"
        return False

    def carry(self, relative: str) -> bool:
        """Keep the previous output and its old key, to be brought up to date later."""
        if relative not in self.old or not (self.out / relative).exists():
            return False
        self.new[relative] = self.old[relative]
        self._link_previous(relative)
        return True

    def forget(self, relative: str) -> None:
        """Neither remember relative as built nor report it rebuilt (it was not made)."""
        self.new.pop(relative, None)
        self.result.rebuilt.pop(relative, None)

    def _link_previous(self, relative: str) -> None:
        """Hard-link the previous build's output into staging at the same place."""
        target = self.staging / relative
        if target.parent not in self.folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            self.folders.add(target.parent)
        link_or_copy(self.out / relative, target)

    def save(self, built: tuple[str, ...]) -> None:
        """Keep the keys of targets not built this time; write the cache into staging."""
        merged = {k: v for k, v in self.old.items() if k.split("/", 1)[0] not in built}
        merged.update(self.new)
        (self.staging / CACHE_FILE).write_text(json.dumps(merged, indent=0), encoding="utf-8")


def regulation_names(project: Project, regulation: Regulation) -> dict[str, object]:
    """What a regulation's own text, Word and PDF show besides its data and the company:
    its status, and the names of the department, roles and forms it and its processes
    name (its references' texts are in its data). A new regulation, role or form elsewhere
    leaves this unchanged."""
    parties = {regulation.department, regulation.approver, *regulation.applies_to}
    forms = set()
    for process in regulation.processes:
        for step in process.steps:
            parties.update((step.role, *step.approvers))
            forms.update([step.form] if step.form else [])
    return {"status": project.status(regulation),
            "parties": {party: project.party_name(party) for party in sorted(parties)},
            "forms": {form: project.form_index[form].title for form in sorted(forms)}}


def form_names(project: Project, form: Form) -> dict[str, object]:
    """What a blank form shows besides its data and the company: the names of its approvers
    and the titles of the regulations its reprinted tables come from."""
    return {"roles": {role: project.role_index[role].name for role in form.approval},
            "regulations": {regulation_id: project.regulation(regulation_id).title
                            for regulation_id, _ in form.reference_tables}}


def shown_names(project: Project) -> dict[str, object]:
    """Every name the project shows, and each regulation's status: what handbook.json and
    the search index read besides the regulations' data."""
    return {"roles": {r.id: r.name for r in project.roles},
            "departments": {d.id: d.name for d in project.departments},
            "forms": {f.id: f.title for f in project.forms},
            "regulations": {r.id: r.title for r in project.regulations},
            "company": dataclasses.asdict(project.company),
            "statuses": {r.id: project.status(r) for r in project.regulations}}


