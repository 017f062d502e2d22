"""mkdocs.yml read safely: MkDocs never parses the project's YAML itself.

MkDocs loads its configuration with PyYAML's full loader, under which a tag such as
`!!python/object/apply:os.system` runs a command. Here the file is read with PyYAML's
safe loader extended by MkDocs' own `!ENV` and `!relative` constructors, and the
parsed values are handed to MkDocs' config object. What else would run code from the
project is refused with a located error: other Python tags (except a few named
functions of installed Markdown extensions, see PYTHON_NAMES), `hooks:` (Python files),
Markdown extensions importable from the project or the current folder. `INHERIT` is
followed only to a file inside the project; `docs_dir` and `theme.custom_dir` must be
inside the project too.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.metadata
import importlib.util
import os
import sysconfig
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..errors import HandbookError, Location, Problem, display_path

CONFIG_FILE = "mkdocs.yml"
MAX_INHERIT = 8
"""How many `INHERIT` steps are followed before the chain is refused as a loop."""

PYTHON_NAMES = frozenset({
    "pymdownx.superfences.fence_code_format", "pymdownx.superfences.fence_div_format",
    "pymdownx.arithmatex.arithmatex_fenced_format",
    "pymdownx.arithmatex.arithmatex_inline_format",
    "pymdownx.emoji.twemoji", "pymdownx.emoji.emojione", "pymdownx.emoji.gemoji",
    "pymdownx.emoji.to_svg", "pymdownx.emoji.to_png", "pymdownx.emoji.to_alt",
    "pymdownx.slugs.slugify", "material.extensions.emoji.twemoji",
    "material.extensions.emoji.to_svg", "markdown.extensions.toc.slugify",
    "markdown.extensions.toc.slugify_unicode",
})
"""Python functions mkdocs.yml may name with `!!python/name:` (and call with
`!!python/object/apply:`): the formatters and slug makers Material's documentation
configures this way. Any other Python tag is refused."""

_PYTHON_TAG = "tag:yaml.org,2002:python/"


@dataclass
class Loaded:
    """The validated MkDocs configuration, the files it was read from and a key of its
    content (for the site's shell key)."""

    config: Any
    files: list[Path]
    key: str


class ConfigError(HandbookError):
    """mkdocs.yml cannot be used; `problems` says where and why."""


def load(root: Path, overrides: dict[str, Any]) -> Loaded:
    """Read root/mkdocs.yml safely, apply overrides (e.g. site_dir) and validate it."""
    from mkdocs.config.defaults import MkDocsConfig

    root = Path(root).resolve()
    path = root / CONFIG_FILE
    config = MkDocsConfig(config_file_path=str(path))
    files: list[Path] = []
    digest = hashlib.sha256()
    data, marks = _read_chain(root, path, config, files, digest)
    _refuse_code(root, data, path, marks)
    config.load_dict(data)
    config.load_dict(overrides)
    _validate(root, config, path, marks)
    return Loaded(config, files, digest.hexdigest()[:24])


def _problem(root: Path, path: Path, message: str, hint: str = "",
             mark: yaml.Mark | None = None) -> ConfigError:
    where = Location(display_path(path, root), mark.line + 1 if mark else 0,
                     mark.column + 1 if mark else 0)
    return ConfigError(f"{where.file} cannot be used", (Problem(where, message, hint),))


def _read_chain(root: Path, path: Path, config, files: list[Path],
                digest) -> tuple[dict, dict[str, yaml.Mark]]:
    """Parse path and the files it INHERITs from, merged the way MkDocs merges them; also
    where each top-level key of path is written."""
    import mergedeep

    chain: list[dict] = []
    inherit_mark = None
    top_marks: dict[str, yaml.Mark] = {}
    while True:
        if len(files) > MAX_INHERIT or path in files:
            raise _problem(root, files[-1], f"`INHERIT` goes round in a loop or deeper than "
                           f"{MAX_INHERIT} files", "inherit from one shared file", inherit_mark)
        _confined(root, path, files[-1] if files else path, inherit_mark)
        files.append(path)
        data, marks = _parse(root, path, config, digest)
        top_marks = marks if len(files) == 1 else top_marks
        inherit_mark = marks.get("INHERIT")
        parent = data.pop("INHERIT", None)
        chain.append(data)
        if parent is None:
            break
        if not isinstance(parent, str):
            raise _problem(root, path, "`INHERIT` must be a file name",
                           "write INHERIT: base.yml", inherit_mark)
        path = Path(os.path.normpath(path.parent / parent))
    merged: dict = {}
    for data in reversed(chain):  # the parent first, each child on top of it
        merged = mergedeep.merge(merged, data)
    return merged, top_marks


def _confined(root: Path, path: Path, named_in: Path, mark: yaml.Mark | None) -> None:
    """Refuse a configuration file outside the project (also through a symlink)."""
    try:
        path.resolve().relative_to(root)
    except ValueError:
        raise _problem(root, path if path.is_symlink() else named_in,
                       f"refused: {display_path(path, root)} is outside the project",
                       "keep the configuration files inside the project folder",
                       mark) from None
    if not path.is_file():
        raise _problem(root, named_in, f"{display_path(path, root)} does not exist",
                       "INHERIT names a file relative to the file that inherits", mark)


def _parse(root: Path, path: Path, config, digest) -> tuple[dict, dict[str, yaml.Mark]]:
    """One configuration file as data, and where each of its top-level keys is written."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise _problem(root, path, f"cannot read: {_reason(exc)}",
                       "save it as UTF-8 text") from None
    digest.update(text.encode())
    loader = _loader_class(config)(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else {}
    except yaml.MarkedYAMLError as exc:
        raise _problem(root, path, _yaml_message(exc), _yaml_hint(exc),
                       exc.problem_mark or exc.context_mark) from None
    except yaml.YAMLError as exc:
        raise _problem(root, path, str(exc)) from None
    finally:
        loader.dispose()
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise _problem(root, path, "the configuration must be a mapping of keys to values",
                       "see https://www.mkdocs.org/user-guide/configuration/",
                       node.start_mark if node is not None else None)
    digest.update(repr(sorted(loader.env_values)).encode())
    pairs = node.value if isinstance(node, yaml.MappingNode) else []
    return data, {key.value: key.start_mark for key, _ in pairs
                  if isinstance(key, yaml.ScalarNode)}


def _yaml_message(exc: yaml.MarkedYAMLError) -> str:
    problem = exc.problem or "YAML error"
    if "could not determine a constructor for the tag" in problem:
        tag = problem.split("tag", 1)[1].strip().strip("'")
        tag = tag.replace("tag:yaml.org,2002:", "!!")
        return f"refused: the tag `{tag}` is not allowed in mkdocs.yml"
    return f"{exc.context + ': ' if exc.context else ''}{problem}"


def _yaml_hint(exc: yaml.MarkedYAMLError) -> str:
    if "constructor for the tag" in (exc.problem or ""):
        return ("mkdocs.yml may use !ENV and !relative; Python tags run code and are "
                "refused (except !!python/name: of a few Markdown formatters)")
    return "check the indentation and quoting near this place"


def _loader_class(config) -> type:
    """PyYAML's safe loader with MkDocs' own !ENV and !relative constructors."""
    from mkdocs.utils.yaml import get_yaml_loader

    base = get_yaml_loader(yaml.SafeLoader, config)
    env = base.yaml_constructors["!ENV"]

    class Loader(base):
        def __init__(self, stream) -> None:
            super().__init__(stream)
            self.env_values: list[tuple[int, str]] = []

        def construct_env(self, node):
            value = env(self, node)
            self.env_values.append((node.start_mark.line, repr(value)))
            return value

    Loader.add_constructor("!ENV", Loader.construct_env)
    Loader.add_multi_constructor(_PYTHON_TAG + "name:", _python_name)
    Loader.add_multi_constructor(_PYTHON_TAG + "object/apply:", _python_apply)
    return Loader


def _python_function(name: str, node: yaml.Node):
    if name not in PYTHON_NAMES:
        raise yaml.constructor.ConstructorError(
            None, None, f"could not determine a constructor for the tag "
            f"'{node.tag}'", node.start_mark)
    module, _, attribute = name.rpartition(".")
    try:
        return getattr(importlib.import_module(module), attribute)
    except (ImportError, AttributeError) as exc:
        raise yaml.constructor.ConstructorError(
            None, None, f"{name} is not installed ({exc})", node.start_mark) from None


def _python_name(loader, suffix: str, node: yaml.Node):
    return _python_function(suffix, node)


def _python_apply(loader, suffix: str, node: yaml.Node):
    function = _python_function(suffix, node)
    if isinstance(node, yaml.SequenceNode):
        return function(*loader.construct_sequence(node, deep=True))
    value = loader.construct_mapping(node, deep=True) if isinstance(node, yaml.MappingNode) \
        else {}
    return function(*value.get("args", ()), **value.get("kwds", {}))


def _refuse_code(root: Path, data: dict, path: Path, marks: dict[str, yaml.Mark]) -> None:
    """Refuse the keys that load Python from the project: hooks, local extensions."""
    if data.get("hooks"):
        raise _problem(root, path, "refused: `hooks` runs Python files from the project",
                       "remove hooks: the handbook's site is built without them",
                       marks.get("hooks"))
    for name in _extension_names(data.get("markdown_extensions") or []):
        where = _local_module(root, name)
        if where is not None:
            raise _problem(root, path, f"refused: the Markdown extension `{name}` would be "
                           f"imported from {where}", "install the extension as a package, "
                           "outside the project and the current folder",
                           marks.get("markdown_extensions"))


def _extension_names(value) -> list[str]:
    items = value.items() if isinstance(value, dict) else \
        [next(iter(i.items())) if isinstance(i, dict) and i else (i, None) for i in value] \
        if isinstance(value, list) else []
    return [name for name, _ in items if isinstance(name, str)]


def _local_module(root: Path, name: str) -> str | None:
    """Where a Markdown extension would be imported from, when that is the project or
    the current folder (both hold files anyone sending a project can write)."""
    if name in {e.name for e in importlib.metadata.entry_points(group="markdown.extensions")}:
        return None
    top = name.split(":", 1)[0].split(".", 1)[0]
    try:
        spec = importlib.util.find_spec(top)  # a top-level name: found, not imported
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.origin:
        return None
    origin = Path(spec.origin).resolve()
    if any(lib in origin.parents for lib in _installed_package_folders()):
        return None  # installed into the interpreter, even when its venv sits in the project
    folder = origin.parent.parent if origin.name == "__init__.py" else origin.parent
    if folder == Path.cwd().resolve() or root in origin.parents:
        return str(origin)
    return None


def _installed_package_folders() -> set[Path]:
    """The folders this interpreter installs packages and its standard library into."""
    paths = sysconfig.get_paths()
    return {Path(paths[key]).resolve() for key in ("purelib", "platlib", "stdlib", "platstdlib")
            if paths.get(key)}


def _validate(root: Path, config, path: Path, marks: dict[str, yaml.Mark]) -> None:
    """Run MkDocs' own validation; refuse docs_dir or custom_dir outside the project."""
    errors, warnings = config.validate()
    problems = [Problem(Location(display_path(path, root), *_line(marks.get(name))),
                        f"`{name}`: {_without_stack(str(error))}", "see https://www.mkdocs.org/user-guide/"
                        "configuration/") for name, error in errors + warnings]
    if problems:
        raise ConfigError(f"{display_path(path, root)} has {len(problems)} "
                          f"error{'s' * (len(problems) != 1)}", tuple(problems))
    for name, folder in (("docs_dir", config["docs_dir"]),
                         ("theme", config["theme"].custom_dir)):
        if folder and not _inside(Path(folder), root):
            raise _problem(root, path, f"refused: `{name}` points outside the project "
                           f"({folder})", "keep the site's pages and templates inside the "
                           "project folder", marks.get(name))


def _without_stack(message: str) -> str:
    """MkDocs' message without the Python stack it quotes for a failing extension."""
    lines = message.splitlines()
    if len(lines) > 2 and any(line.startswith("  File ") for line in lines):
        return f"{lines[0]} {lines[-1]}"
    return message


def _line(mark: yaml.Mark | None) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1) if mark else (0, 0)


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root)
        return True
    except ValueError:
        return False


def _reason(exc: BaseException) -> str:
    return exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)


