"""One build's job: what every output of it reads (the model, the folders, the cache, the
session) and the progress it reports. The outputs themselves are in targets.py."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

from .build_cache import BuildCache, BuildResult, content_key, regulation_names, shown_names
from .export import regulation_json, to_data
from .model import Project
from .outputs import code_version
from .session import BuildSession


class Progress:
    """Told of each step of a build; the CLI shows it as a progress bar. Does nothing here."""

    def start(self, total: int) -> None:
        """The build is about to take `total` steps."""

    def advance(self, label: str) -> None:
        """One step is done; label names it."""


@dataclass
class Job:
    """What every target of one build reads: the model, the folders, the cache."""

    project: Project
    root: Path
    staging: Path
    cache: BuildCache
    progress: Progress
    targets: tuple[str, ...]
    defer: bool = False
    session: BuildSession = field(default_factory=BuildSession)
    """What the previous builds of this process made (see session.py)."""
    made: dict[str, object] = field(default_factory=dict)
    """The targets of this build (targets.Target objects), by name, in the order they are
    rendered."""

    @property
    def result(self) -> BuildResult:
        """The build's record of what was written and rebuilt."""
        return self.cache.result

    @functools.cached_property
    def names(self) -> dict[str, object]:
        """Every name the model shows (what handbook.json and the search index read)."""
        return shown_names(self.project)

    @functools.cached_property
    def regulation_names(self) -> dict[str, dict[str, object]]:
        """What each regulation's own outputs show besides its data and the company
        (build_cache.regulation_names), by id."""
        return {r.id: regulation_names(self.project, r) for r in self.project.regulations}

    @functools.cached_property
    def company(self) -> object:
        """The company as data: every document and form shows it."""
        return to_data(self.project.company)

    @functools.cached_property
    def regulation_texts(self) -> dict[str, str]:
        """Each regulation as JSON text (export.regulation_json), by id; kept in the
        session while the regulation's model is the same object."""
        kept = self.session.regulation_texts
        kept.keep_only(self.project.regulations)
        return {r.id: kept.get(r, regulation_json) for r in self.project.regulations}

    @functools.cached_property
    def digests(self) -> dict[str, str]:
        """A content hash of each regulation, by id."""
        return {key: content_key(text.encode()) for key, text in self.regulation_texts.items()}

    @functools.cached_property
    def model_key(self) -> str:
        """What handbook.json and the search index are made from: when unchanged, so are
        they."""
        project = self.project
        return content_key(code_version(), self.names, self.digests, to_data(project.company),
                           [to_data(x) for x in
                            project.departments + project.roles + project.forms],
                           project.synonyms)
