"""The one escaping path of the site: every value from the project data that reaches a page
goes through one of these functions, chosen by where it lands.

* ``md`` — inside Markdown (page bodies, headings, tables, list items, link texts): the
  text shows as typed. HTML is escaped, Markdown marks are escaped wherever they are, line
  starts that would open a block (``#``, ``- ``, ``1.``, ``~~~``, ``!!!``, ``===``) are
  neutralised, and line breaks become ``<br>``, so a value always stays inside the one
  line the template put it on.
* ``html_text`` — where MkDocs and its theme print a value as HTML without Markdown
  (navigation titles, page titles): HTML-escaped, on one line.
* ``front_matter`` — a page's YAML front matter, written by a YAML emitter.
* ``dot_label`` — a Graphviz label; Graphviz escapes it again for SVG.
"""

from __future__ import annotations

import html
import re

import yaml

_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]")
"""Control characters: invisible, and \\x02/\\x03 are Python-Markdown's own placeholders."""
_BREAKS = re.compile(r"\r\n|[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
"""Everything str.splitlines() breaks a line at."""
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_\[\]|{}])")
_LINE_START = re.compile(r"^(?:(\d+)([.)])|([#+!-])|([=~:]))")


def _clean(text: object) -> str:
    return _CONTROLS.sub("\ufffd", str(text))


def _line_start(line: str) -> str:
    """Neutralise what a line may start with to open a Markdown block."""
    line = line.lstrip(" \t")  # leading blanks would open a code block; HTML drops them anyway
    match = _LINE_START.match(line)
    if match is None:
        return line
    digits, mark, escapable, other = match.groups()
    if digits:
        return f"{digits}\\{mark}{line[match.end():]}"
    if escapable:
        return f"\\{escapable}{line[1:]}"
    return f"&#{ord(other)};{line[1:]}"


def md(text: object) -> str:
    """Escape text for Markdown: HTML is shown as written, Markdown marks stay literal, and
    the result is one line (line breaks become <br>)."""
    escaped = html.escape(_clean(text), quote=True)
    escaped = _MARKDOWN_SPECIALS.sub(r"\\\1", escaped)
    return "<br>".join(_line_start(line) for line in _BREAKS.split(escaped))


def html_text(text: object) -> str:
    """Escape text for HTML printed as is (navigation and page titles), on one line."""
    return html.escape(" ".join(_BREAKS.split(_clean(text))), quote=True)


def front_matter(**fields: object) -> str:
    """A page's YAML front matter (between --- lines); text values are HTML-escaped, as the
    theme prints them as they are."""
    values = {key: html_text(value) if isinstance(value, str) else value
              for key, value in fields.items()}
    body = yaml.safe_dump(values, allow_unicode=True, sort_keys=False, width=float("inf"))
    return f"---\n{body}---\n"


def dot_label(*lines: str) -> str:
    """A quoted Graphviz label showing lines as typed (no \\N-style escapes, no HTML label)."""
    # Graphviz reads HTML entities in every label: & is escaped first
    escaped = [" ".join(_BREAKS.split(_clean(line))).replace("&", "&amp;").replace("\\", "\\\\")
               .replace('"', '\\"') for line in lines]
    return '"' + "\\n".join(escaped) + '"'
