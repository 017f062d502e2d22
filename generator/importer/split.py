"""Split a cleaned text into regulations: each starts with a title line (…制度, …办法 …)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..cleanup import PAGE_BREAK

TITLE_ENDINGS = ("制度", "办法", "规定", "细则", "规范", "条例", "守则", "规程", "章程",
                 "方案", "范本", "全套", "内容", "流程", "职责", "标准", "须知", "准则",
                 "规则", "模板", "篇)", "篇）")
_NOT_TITLE = re.compile(r"[。，,；;：:！？!?、]"
                        r"|^第[一二三四五六七八九十百零]+[章节条]"
                        r"|^[（(]?[一二三四五六七八九十\d]")


@dataclass
class Block:
    """One regulation in a text: its title, body lines and where it starts (1-based)."""

    title: str
    lines: list[str] = field(default_factory=list)
    first_line: int = 1
    last_line: int = 1
    numbers: list[int] = field(default_factory=list)
    """The file line number of each entry of `lines`."""

    def add(self, line: str, number: int) -> None:
        """Append a line and remember where it was in the file."""
        self.lines.append(line)
        self.numbers.append(number)
        if line.strip():
            self.last_line = number

    @property
    def body(self) -> str:
        """The body text, its first line stripped of a repeated title."""
        lines = [line for line in self.lines if line.strip()]
        if lines:
            first = lines[0].lstrip()
            while self.title and first.startswith(self.title) and len(first) > len(self.title):
                first = first[len(self.title):]
            lines[0] = first
        return "\n".join(lines)


def is_title(line: str) -> bool:
    """A standalone line that names a regulation (short, unpunctuated, ends like a title)."""
    text = line.strip()
    return (4 <= len(text) <= 40 and not _NOT_TITLE.search(text)
            and text.endswith(TITLE_ENDINGS))


_GLUED_TITLE = re.compile(
    r"^\s*([^。，,；;：:！？!?\s]{2,36}?(?:制度|办法|规定|细则|条例|规程))(?=\S)")


def split(lines: list[str]) -> list[Block]:
    """Cut lines into regulation blocks; repeated titles collapse, empty blocks vanish.

    After removed page furniture (a form feed), a line that starts with a title
    glued to its text (`某公司业务部管理制度业务部实行……`) also starts a block.
    """
    blocks: list[Block] = []
    current: Block | None = None
    after_break = False
    for number, line in enumerate(lines, start=1):
        if line == PAGE_BREAK:
            after_break = True
            if current is not None:
                current.add("", number)
            continue
        glued = _GLUED_TITLE.match(line) if after_break else None
        if line.strip():
            after_break = False
        if glued and not is_title(line):
            current = Block(glued.group(1), [], number, number)
            current.add(line[glued.end():], number)
            blocks.append(current)
            continue
        if is_title(line):
            title = line.strip()
            if current is not None and not any(x.strip() for x in current.lines):
                current.title, current.first_line = title, number  # header or repeat: replace
                continue
            current = Block(title, [], number, number)
            blocks.append(current)
            continue
        if current is None:
            if not line.strip():
                continue
            current = Block("", [], number, number)
            blocks.append(current)
        current.add(line, number)
    blocks = [member for block in blocks for member in _collection_members(block)]
    return [b for b in blocks if any(x.strip() for x in b.lines)
            and (b.title or re.search(r"[。；;！？!?]", b.body))]  # untitled scraps go


def _collection_members(block: Block) -> list[Block]:
    """Split a web collection (`XX制度1第一条… XX制度2第一条…`) into its numbered members.

    The text before member 1 is the collection's blurb and is dropped.
    """
    core = re.sub(r"[（(][^）)]*[）)]$", "", block.title)
    if not core:
        return [block]
    pattern = re.compile(
        rf"(?:^|(?<=[。；;！？!?]))\s*{re.escape(core)}(\d{{1,2}})(?![\d.．、])")
    members: list[Block] = []
    expected = 1
    for line, number in zip(block.lines, block.numbers, strict=True):
        position = 0
        for match in pattern.finditer(line):
            if int(match.group(1)) != expected:
                continue
            if members:
                members[-1].add(line[position:match.start()], number)
            members.append(Block(f"{core}{expected}", [], number, number))
            position = match.end()
            expected += 1
        if members:
            members[-1].add(line[position:], number)
    return members or [block]
