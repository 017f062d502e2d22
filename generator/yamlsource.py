"""Safe YAML reading that remembers where every value came from.

PyYAML (libyaml when installed) parses the text into events carrying marks; we turn
the events into plain Python values ourselves (:mod:`generator.yamlbuild`: never
constructing objects, so tags such as ``!!python/object`` cannot run code, and within
the limits of :mod:`generator.yamlbounds`) and keep a table from each value's path
(``('chapters', 0, 'title')``) to its line and column. Later checks use that
table to point at the exact place of a mistake.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner

from . import yamlbounds
from .errors import Location, Problem
from .sourcemap import SourceMap
from .yamlbuild import BOOL, INT, NULL, Builder, mark_location


class _Resolver(BaseResolver):
    """Resolves only null, true/false and decimal integers; everything else stays text.

    Dates, versions such as 1.10 and words such as `no` are kept as written, so a
    version is never turned into a float and 2025-02-30 is reported by the validator
    with its position instead of crashing the YAML constructor.
    """


_Resolver.add_implicit_resolver(
    BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
_Resolver.add_implicit_resolver(INT, re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"),
                                list("-+0123456789"))
_Resolver.add_implicit_resolver(NULL, re.compile(r"^(?:~|null|Null|NULL|)$"),
                                ["~", "n", "N", ""])


class _PyParser(Reader, Scanner, Parser, _Resolver):
    """PyYAML's own reader → scanner → parser, with our resolver."""

    def __init__(self, stream: str) -> None:
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)
        _Resolver.__init__(self)


try:
    from yaml.cyaml import CParser
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    _FastParser = None
else:
    class _FastParser(CParser, _Resolver):  # type: ignore[no-redef]
        """libyaml's parser (about ten times faster), with our resolver."""

        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            _Resolver.__init__(self)


def _events(parser) -> Iterator[yaml.Event]:
    while True:
        event = parser.get_event()
        yield event
        if isinstance(event, yaml.StreamEndEvent):
            return


def _build(text: str, file: str) -> Builder:
    """The text's values read by libyaml when it is there.

    A document libyaml refuses is read again by PyYAML's own parser, so the error
    message and position reported are the same with and without libyaml.
    """
    kinds = ([_FastParser] if _FastParser is not None else []) + [_PyParser]
    for index, kind in enumerate(kinds):
        parser = kind(text)
        parser.name = file
        builder = Builder(SourceMap(file), parser)
        try:
            builder.run(_events(parser))
            return builder
        except yaml.YAMLError:
            if index == len(kinds) - 1:
                raise
        finally:
            parser.dispose()
    raise AssertionError("unreachable")  # pragma: no cover


@dataclass
class YamlDocument:
    """The plain data of one YAML file and where each part of it was written."""

    data: Any
    source: SourceMap


class YamlProblems(Exception):
    """Raised when a file cannot be read as YAML; carries the problems found."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


_FORBIDDEN_CONTROL = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
"""Characters XML (Word, HTML) cannot hold or YAML does not accept."""


def decode(raw: bytes, file: str) -> str:
    """Decode a YAML file's bytes as UTF-8 (a BOM is allowed), explaining other encodings."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise YamlProblems([Problem(Location(file, 1, 1), "file is encoded as UTF-16, not UTF-8",
                                    "save it as UTF-8 (Notepad: Save As → Encoding: UTF-8)")])
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad_at = exc.start
    line_start = raw.rfind(b"\n", 0, bad_at) + 1
    # a GBK character can look like valid UTF-8 for a byte or two: point at the first
    # non-ASCII byte of the line, and count columns in characters, not bytes
    first_high = next((i for i in range(line_start, bad_at + 1) if raw[i] >= 0x80), bad_at)
    line = raw.count(b"\n", 0, bad_at) + 1
    column = len(raw[line_start:first_high].decode("ascii", errors="replace")) + 1
    if b"\x00" in raw[:8192] or _looks_binary(raw):
        raise YamlProblems([Problem(Location(file, 1, 1),
                                    "file is binary data, not YAML text",
                                    "regulations/ may only hold .yaml text files; "
                                    "move this file elsewhere")])
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError:
        text = ""
    if text and re.search(r"[\u4e00-\u9fff]", text):
        raise YamlProblems([Problem(Location(file, line, column),
                                    "file is encoded as GBK/GB18030, not UTF-8",
                                    "save it as UTF-8 (Notepad: Save As → Encoding: UTF-8), "
                                    "or convert it: iconv -f GB18030 -t UTF-8")])
    raise YamlProblems([Problem(Location(file, line, column),
                                f"invalid UTF-8 byte 0x{raw[bad_at]:02x}",
                                "save the file as UTF-8")])


def _looks_binary(raw: bytes) -> bool:
    sample = raw[:8192]
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
    return controls > max(8, len(sample) // 100)


def check_characters(text: str, file: str) -> None:
    """Reject characters that XML (and so Word and HTML) cannot hold, naming each position."""
    problems = []
    for match in _FORBIDDEN_CONTROL.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
        problems.append(Problem(Location(file, line, column),
                                f"control character U+{ord(match.group()):04X} is not allowed",
                                "delete it: it is invisible in most editors and cannot be "
                                "written to Word or HTML"))
        if len(problems) >= 20:
            break
    if problems:
        raise YamlProblems(problems)


def parse(text: str, file: str) -> YamlDocument:
    """Parse YAML text into plain data plus a SourceMap, or raise YamlProblems."""
    check_characters(text, file)
    try:
        builder = _build(text, file)
    except yamlbounds.LimitExceeded as exc:
        raise YamlProblems([exc.problem]) from None
    except yaml.MarkedYAMLError as exc:
        raise YamlProblems([_full_width_colon(text, file, exc) or _syntax_problem(exc, file)]) \
            from None
    except yaml.YAMLError as exc:  # e.g. a character the YAML reader refuses
        position = getattr(exc, "position", 0) or 0
        line = text.count("\n", 0, position) + 1
        column = position - (text.rfind("\n", 0, position) + 1) + 1
        raise YamlProblems([Problem(Location(file, line, column), f"cannot read YAML: {exc}",
                                    "remove the character or save the file as UTF-8 text")]
                           ) from None
    if builder.problems:
        raise YamlProblems(builder.problems)
    return YamlDocument(builder.root, builder.source)


def load_file(path: Path, display: str) -> YamlDocument:
    """Read and parse one YAML file from disk; `display` is the name used in messages."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(yamlbounds.MAX_FILE_BYTES + 1)
            size = os.fstat(handle.fileno()).st_size
    except OSError as exc:
        raise YamlProblems([Problem(Location(display), f"cannot read file: {exc.strerror}")]) \
            from None
    too_big = yamlbounds.size_problem(display, max(size, len(raw)))
    if too_big:
        raise YamlProblems([too_big])
    return parse(decode(raw, display), display)


_SYNTAX_HINTS = (
    ("found character '\\t'", "YAML indents with spaces, not tabs: replace the tab by spaces"),
    ("while scanning a quoted scalar", "a quote is not closed: add the closing quote"),
    ("mapping values are not allowed here",
     "check the indentation, or put text containing ': ' in quotes"),
    ("expected <block end>", "this line is indented differently from the lines around it"),
    ("while parsing a block mapping", "this line is indented differently from the lines around it"),
    ("could not find expected ':'", "a key needs a colon and a space after it (`title: …`)"),
    ("found undefined alias", "an alias (*name) needs an anchor (&name) above it"),
    ("but found another document", "a file holds one YAML document: remove the extra '---'"),
)


_FULL_WIDTH_KEY = re.compile(r"^(\s*(?:-\s+)?)([A-Za-z_][\w-]*)\s*：")


def _full_width_colon(text: str, file: str, exc: yaml.MarkedYAMLError) -> Problem | None:
    """The syntax error a Chinese input method causes — `key：` with a full-width colon —
    named at its own line (the YAML parser notices it a line or more later)."""
    mark = exc.problem_mark or exc.context_mark
    if mark is None:
        return None
    lines = text.split("\n")
    for number in range(min(mark.line, len(lines) - 1), max(mark.line - 4, -1), -1):
        found = _FULL_WIDTH_KEY.match(lines[number])
        if found:
            column = found.end() - 1
            return Problem(Location(file, number + 1, column + 1),
                           f"YAML syntax error: full-width `：` after the key `{found[2]}`",
                           f"write `{found[2]}: ` — a half-width colon and a space (the Chinese "
                           "input method types `：`)")
    return None


def _syntax_problem(exc: yaml.MarkedYAMLError, file: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    location = mark_location(file, mark) if mark else Location(file)
    message = " ".join(part for part in (exc.context, exc.problem) if part)
    text = str(exc)
    hint = next((h for needle, h in _SYNTAX_HINTS if needle in text), "check the YAML syntax here")
    return Problem(location, f"YAML syntax error: {message}", hint)
