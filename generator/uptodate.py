"""Whether a build would change nothing, told before the project is loaded.

A complete build leaves beside its outputs (in `--out/.cache`) a fingerprint of
everything it read: the name, size and modification time of every file under the
project's regulations/, templates/ and site/ folders (and the docs and theme folders
mkdocs.yml names), mkdocs.yml itself, the commit git has checked out (revision
comparisons come from git history), the day the build is for, the targets and options,
this program's code, the versions of the libraries that shape the outputs, and the
tools and fonts it found (Graphviz, LibreOffice, the forms' font). When the next build
into the same --out finds the same fingerprint and its outputs still in place, it has
nothing to do: it says so and repeats the last build's summary and warnings, without
loading the project (1,000 regulations: about a second instead of twelve).

Like make, this trusts modification times: a file rewritten with other content always
gets a new one. `handbook build --force` never takes this shortcut.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import shutil
import subprocess
from importlib import metadata
from pathlib import Path

import yaml

from .load import build_day
from .outputs import code_version

STAMP = ".cache/inputs.json"
"""Where a complete build keeps its fingerprint, in the generation it made."""
FOLDERS = ("regulations", "templates", "site")
LIBRARIES = ("mkdocs", "mkdocs-material", "pymdown-extensions", "markdown", "jinja2",
             "python-docx", "reportlab", "pypdf", "fonttools", "jieba", "pyyaml")
TOOLS = ("dot", "soffice", "libreoffice")
FONTS = ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
         "/usr/share/fonts/truetype/arphic/uming.ttc")


def fingerprint(root: Path, targets: tuple[str, ...], options: dict) -> str | None:
    """A digest of everything a build of targets from root (with options) reads, or None
    when it cannot be told cheaply (then the build runs)."""
    folders = [root / name for name in FOLDERS]
    try:
        config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8")) \
            if (root / "mkdocs.yml").exists() else {}
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
        return None  # tags MkDocs understands and PyYAML does not: let the build read it
    if not isinstance(config, dict):
        return None
    theme = config.get("theme") if isinstance(config.get("theme"), dict) else {}
    for named in (config.get("docs_dir"), theme.get("custom_dir")):
        if isinstance(named, str):
            folders.append(root / named)
    digest = hashlib.sha256()
    _add(digest, code_version(), platform.python_version(), sorted(targets),
         sorted(options.items()), build_day().isoformat(), _git_head(root),
         [_version(name) for name in LIBRARIES], [shutil.which(tool) for tool in TOOLS],
         [_stat(Path(font)) for font in FONTS], _stat(root / "mkdocs.yml"))
    for folder in sorted(set(folders)):
        _add(digest, str(folder.relative_to(root)) if folder.is_relative_to(root) else "",
             _listing(folder))
    return digest.hexdigest()


def unchanged(out: Path, print_: str | None) -> dict | None:
    """The summary the last complete build into out stamped with fingerprint print_, when
    its outputs are still all there; else None."""
    if print_ is None:
        return None
    try:
        stamp = json.loads((out / STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(stamp, dict) or stamp.get("fingerprint") != print_ or \
            stamp.get("outputs") != _outputs(out):
        return None
    return stamp.get("summary")


def record(out: Path, print_: str | None, summary: dict) -> None:
    """Stamp the build just made into out with its fingerprint and summary; without a
    fingerprint, remove the last stamp."""
    path = out / STAMP
    if print_ is None:
        path.unlink(missing_ok=True)
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({"fingerprint": print_, "outputs": _outputs(out),
                                    "summary": summary}, ensure_ascii=False),
                        encoding="utf-8")
    except OSError:
        path.unlink(missing_ok=True)  # no stamp: the next build simply runs


def _outputs(out: Path) -> list:
    """How many files the outputs hold and their total size (a deleted or replaced
    output changes it)."""
    count = size = 0
    for folder, subfolders, names in os.walk(out):
        if folder == str(out):
            subfolders[:] = [name for name in subfolders if name != ".cache"]
        for name in names:
            count += 1
            size += os.lstat(os.path.join(folder, name)).st_size
    return [count, size]


def _listing(folder: Path) -> list:
    """Every file under folder (links followed), with its size and modification time."""
    found = []
    for where, subfolders, names in os.walk(folder, followlinks=True):
        subfolders.sort()
        for name in sorted(names):
            path = os.path.join(where, name)
            found.append([os.path.relpath(path, folder), *_stat(Path(path))])
    return found


def _stat(path: Path) -> list:
    try:
        stat = path.stat()
    except OSError:
        return []
    return [stat.st_size, stat.st_mtime_ns]


def _git_head(root: Path) -> str:
    """The commit checked out in root's repository ('' outside one)."""
    try:
        done = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"],
                              capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return ""


def _add(digest, *parts) -> None:
    digest.update(json.dumps(parts, ensure_ascii=False, default=str).encode() + b"\n")
