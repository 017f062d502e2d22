"""Finding a project's files and reading each one: YAML → validated file model, with the
place every value was written (for located errors)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import ids
from .errors import Location, Problem, ProblemSink, ProjectInvalid, display_path
from .memo import Deferred, DeferredUnreadable
from .sourcemap import SourceMap
from .validate import validate
from .yamlsource import YamlProblems, load_file

if TYPE_CHECKING:
    from .session import ParseStore

REGULATIONS_DIR = "regulations"
FORMS_DIR = "forms"
COMPANY_FILE = "company.yaml"
ORG_FILE = "org.yaml"
SYNONYMS_FILE = "synonyms.yaml"
PEOPLE_FILE = "people.yaml"


@dataclass(frozen=True)
class Head:
    """What the loader reads of every file before it knows which models to make again:
    its id, title, document number and the regulation it replaces (None where the file
    has none)."""

    id: str | None = None
    title: str | None = None
    number: str | None = None
    supersedes: str | None = None

    @classmethod
    def of(cls, data: Any) -> Head:
        """The head of a validated file model."""
        return cls(**{name: getattr(data, name, None)
                      for name in ("id", "title", "number", "supersedes")})


class Parsed:
    """One validated file: its file model (`data`) and where its values were written
    (`source`). Read back from the parse store, both stay pickled until first used: a
    file whose model is stored too is only ever asked for its `head`."""

    def __init__(self, data: Any, source: SourceMap | None, path: Path,
                 stored: StoredParse | None = None,
                 reparse: Callable[[], StoredParse] | None = None) -> None:
        self.path = path
        self._data, self._source = data, source
        self._stored, self._reparse = stored, reparse
        self.head = stored.head if stored is not None else Head.of(data)

    @property
    def data(self) -> Any:
        """The validated file model."""
        if self._stored is not None:
            self._unpack()
        return self._data

    @property
    def source(self) -> SourceMap:
        """Where each value of the file was written."""
        if self._stored is not None:
            self._unpack()
        return self._source

    def _unpack(self) -> None:
        stored, self._stored = self._stored, None
        try:
            document, self._data = stored.body.value()
        except DeferredUnreadable:  # a damaged store entry: the file is read again
            document, self._data = self._reparse().body.value()
        self._source = document.source


@dataclass
class StoredParse:
    """What the parse store keeps of a file: its head, the problems found reading it,
    and (deferred) the YAML document and its validated model (None when invalid)."""

    head: Head
    problems: list
    body: Deferred
    valid: bool


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
        return True
    except ValueError:
        return False


_SPECIAL = {Path(COMPANY_FILE).stem: "company", Path(ORG_FILE).stem: "org",
            Path(SYNONYMS_FILE).stem: "synonyms", Path(PEOPLE_FILE).stem: "people"}
"""The files that are not regulations, by name (.yaml or .yml)."""


def discover(root: Path, sink: ProblemSink) -> dict[str, Any]:
    """The project's files by kind (company, org, synonyms, regulations, forms); a
    missing folder or a link out of the project is an error in sink."""
    folder = root / REGULATIONS_DIR
    result: dict[str, Any] = {"company": None, "org": None, "synonyms": None, "people": None,
                              "regulations": [], "forms": []}
    if not folder.is_dir():
        sink.error(Location(REGULATIONS_DIR), f"no `{REGULATIONS_DIR}/` folder in {root}",
                   "run in the project folder or pass --root DIR")
        raise ProjectInvalid(sink.problems)
    if not _inside(folder, root):
        sink.error(Location(REGULATIONS_DIR), "`regulations/` points outside the project",
                   "replace the symlink by a real folder")
        raise ProjectInvalid(sink.problems)

    def safe(path: Path) -> bool:
        if path.is_symlink() and not _inside(path, root):
            sink.error(Location(display_path(path, root)),
                       "refused: symlink to a place outside the project",
                       "copy the file into regulations/ instead of linking to it")
            return False
        return True

    for path in sorted(folder.iterdir()):
        if not safe(path):
            continue
        kind = _SPECIAL.get(path.stem) if path.suffix in (".yaml", ".yml") else None
        if kind and result[kind] is not None:  # company.yaml and company.yml both
            sink.error(Location(display_path(path, root)), f"a second `{path.stem}` file "
                       f"beside {result[kind].name}", "keep one of the two files")
        elif kind:
            result[kind] = path
        elif path.suffix in (".yaml", ".yml") and path.is_file():
            result["regulations"].append(path)
    forms_folder = folder / FORMS_DIR
    if forms_folder.is_dir() and safe(forms_folder):
        result["forms"] = [p for p in sorted(forms_folder.iterdir())
                           if p.suffix in (".yaml", ".yml") and p.is_file() and safe(p)]
    for key, name in (("company", COMPANY_FILE), ("org", ORG_FILE)):
        if result[key] is None:
            sink.error(Location(f"{REGULATIONS_DIR}/{name}"), f"`{name}` is missing",
                       f"create {REGULATIONS_DIR}/{name}; see README.md for its keys")
    return result


def parse(path: Path | None, file_model: type, root: Path, sink: ProblemSink,
          parses: ParseStore | None = None, rejected: list | None = None) -> Parsed | None:
    """The file read and validated against file_model (problems go to sink), or None;
    `parses` keeps the parses of unchanged files (see session.py). A file that is YAML
    but fails validation is added to `rejected` as written (a Parsed of its plain data)."""
    if path is None:
        return None
    display = display_path(path, root)

    def read() -> StoredParse:
        try:
            document = load_file(path, display)
        except YamlProblems as exc:
            return StoredParse(Head(), exc.problems, Deferred((None, None)), False)
        data, problems = validate(file_model, document.data, document.source)
        if data is not None:
            problems = problems + _id_problems(data, document.source, path,
                                               file_model.__name__.lower())
        return StoredParse(Head.of(data) if data is not None else Head(), problems,
                           Deferred((document, data)), data is not None)

    stored = parses.parse(path, display, file_model.__name__, read) \
        if parses is not None else read()
    sink.problems.extend(stored.problems)
    if not stored.valid:
        document, _ = stored.body.value()
        if document is not None and rejected is not None:
            rejected.append(Parsed(document.data, document.source, path))
        return None
    return Parsed(None, None, path, stored, read)


def _id_problems(data: Any, source: SourceMap, path: Path, kind: str) -> list:
    """The file's id differing from its name, or one the site keeps for itself."""
    file_id = getattr(data, "id", None)
    if file_id is None:
        return []
    problems = []
    if file_id != path.stem:
        problems.append(Problem(source.value(("id",)),
                                f"id `{file_id}` differs from the file name `{path.name}`",
                                f"rename the file to {file_id}.yaml or set `id: {path.stem}`"))
    reserved = ids.reserved(source.value(("id",)), kind, file_id)
    return problems + ([reserved] if reserved else [])
