"""The import pipeline: a file in, one regulation YAML (or several with split) out."""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .. import files, schema, zh
from ..cleanup import repair_mojibake, strip_furniture, strip_pinyin, to_simplified
from ..errors import HandbookError
from ..yamlsource import YamlProblems
from ..yamlsource import parse as parse_yaml
from . import emit, furniture, references, structure, tables
from .link import Linker
from .reading import Source, read_source
from .split import Block, split

CATEGORY_WORDS = (("业务", "业务管理"), ("销售", "业务管理"), ("营销", "业务管理"),
                  ("商务", "商务管理"), ("运营", "运营管理"), ("安全", "安全管理"),
                  ("财务", "财务管理"), ("费用", "财务管理"), ("差旅", "财务管理"),
                  ("人事", "人事行政管理"), ("考勤", "人事行政管理"), ("培训", "人事行政管理"),
                  ("行政", "人事行政管理"), ("会议", "人事行政管理"))


YAML_SUFFIXES = (".yaml", ".yml")


@dataclass
class Imported:
    """One imported regulation: its data, YAML text, target path and what to check."""

    id: str
    title: str
    yaml_text: str
    path: Path
    counts: dict[str, int]
    warnings: list[str] = field(default_factory=list)
    first_line: int = 1
    last_line: int = 1


@dataclass
class Options:
    """What `handbook import` was asked to do."""

    regulation_id: str | None = None
    out: Path | None = None
    split: bool = False
    simplify: bool = False
    encoding: str | None = None
    force: bool = False


def import_file(source: Path, root: Path, options: Options, project=None) -> list[Imported]:
    """Read, clean, split, parse and link a file; return the regulations, not yet written."""
    _check_request(options)
    read, blocks, office, notes = prepare(source, options)
    linker = Linker.from_project(project)
    taken = {r.id for r in project.regulations} if project else set()
    numbers = {r.number for r in project.regulations} if project else set()
    results = []
    for index, block in enumerate(blocks):
        word = read if len(blocks) == 1 else None  # what a Word file of ours says of itself
        title = block.title or source.stem
        warnings = list(notes if index == 0 else [])
        regulation_id = _choose_id(options, word, title, taken, warnings)
        taken.add(regulation_id)
        number = _next_number(numbers)
        numbers.add(number)
        results.append(_regulation(source, root, options, block, word, linker, project,
                                   (regulation_id, title, number), warnings, len(blocks),
                                   read.tables, office if index == 0 else furniture.Furniture(),
                                   numbers))
    if results:
        results[-1].warnings += linker.warnings()
    return results


def prepare(source: Path, options: Options
            ) -> tuple[Source, list[Block], furniture.Furniture, list[str]]:
    """The file read and cleaned, its document furniture taken off and its text cut into
    regulations (one block unless options.split); with what the reading noticed."""
    read = read_source(source, options.encoding)
    import jieba  # imported before it is used: importing it sets its logger to print every step

    jieba.setLogLevel(logging.ERROR)
    text = read.text
    notes: list[str] = list(read.comments)
    text, repairs = repair_mojibake(text)
    notes += [f"repaired GBK mojibake (□ = a lost character, check it): {r}" for r in repairs]
    text = strip_pinyin(text)
    if options.simplify:
        text = to_simplified(text)
    text = zh.full_width_marks(text)  # 职业道德,严格 → 职业道德，严格
    lines, _dropped = strip_furniture(text.splitlines())
    lines, office = furniture.strip(lines)
    blocks = split(lines)
    if not blocks:
        raise HandbookError(f"{source}: no regulation text found")
    if not options.split:
        if len(blocks) > 1:
            notes.append(f"the file seems to hold {len(blocks)} regulations "
                         f"({', '.join(b.title or '?' for b in blocks[:4])}…): use --split")
        first = blocks[0]
        merged = Block(first.title, [], first.first_line, first.first_line)
        for block in blocks:
            if block is not first and block.title:
                merged.add(block.title, block.first_line)
            for line, number in zip(block.lines, block.numbers, strict=True):
                merged.add(line, number)
        blocks = [merged]
    return read, blocks, office, notes


def _regulation(source: Path, root: Path, options: Options, block: Block, word,
                linker: Linker, project, names: tuple[str, str, str], warnings: list[str],
                count: int, found_tables: list, office: furniture.Furniture,
                numbers: set[str]) -> Imported:
    """One block of text as a regulation: parsed, linked, given metadata, checked."""
    regulation_id, title, number = names
    parsed = structure.parse(block.body)
    warnings += parsed.warnings
    body = link_names(parsed.body, linker)
    tables.attach(body, found_tables, warnings)
    if word is not None and word.article_ids:
        _restore_article_ids(body, word.article_ids, warnings)
    references.assign_ids(body)
    references.link(body, project, parsed.numbering, warnings)
    guessed = _metadata(regulation_id, title, number, parsed.numbering, source, block, project)
    hints, notes = furniture.metadata_hints(office, block.body, project, numbers)
    warnings += notes
    if "number_note" in hints:
        guessed["number"] = (number, hints.pop("number_note"))
    guessed.update(hints)
    if "effective" in hints:  # the version imported is the one that took effect then
        guessed["revisions"][0]["date"] = hints["effective"][0]
    if "department" in hints:
        guessed["applies_to"] = ([hints["department"][0]], "导入：请核对")
    found = _our_metadata(word.metadata, project, guessed["source"]) \
        if word is not None and word.metadata else {}
    if word is not None and word.metadata.get("postscript"):
        body["postscript"] = [link_names(p, linker) for p in word.metadata["postscript"]]
    header = [
        "yaml-language-server: $schema=schema.json",
        f"导入自 {source.name} 第{_line_range(block)}行，"
        f"{dt.date.today().isoformat()}，由 handbook import 生成。",
        "请核对标有“导入：”的注释，补全文号、类别、发布部门与批准人后将 status 改为 active。",
    ]
    yaml_text = emit.emit({**guessed, **found, **body}, header)
    errors = _schema_errors(yaml_text, regulation_id)
    refused = {str(error["loc"][0]) for error in errors if error["loc"]} & set(found)
    if refused:  # the Word file's own properties do not fit: the guesses stand instead
        warnings += [f"the Word file's {key} `{str(found[key])[:60]}` is not valid: "
                     "guessed instead, check it" for key in sorted(refused)]
        found = {k: v for k, v in found.items() if k not in refused}
        yaml_text = emit.emit({**guessed, **found, **body}, header)
        errors = _schema_errors(yaml_text, regulation_id)
    if errors:  # the loader would refuse the file: write nothing
        where = ".".join(str(part) for part in errors[0]["loc"]) or "the regulation"
        raise HandbookError(f"{source}: the imported text does not make a valid regulation "
                            f"({where}: {errors[0]['msg']}) (hint: check the file, or save "
                            "it as .txt and import that)")
    return Imported(regulation_id, title, yaml_text,
                    _target(root, options, regulation_id, count), parsed.counts, warnings,
                    block.first_line, block.last_line)


def _choose_id(options: Options, word, title: str, taken: set[str],
               warnings: list[str]) -> str:
    """--id when given (for a file of one regulation), else the id a Word file of ours
    carries, else one made from the title."""
    if options.regulation_id and word is not None:
        return options.regulation_id
    if word is not None and word.metadata.get("id"):
        found = str(word.metadata["id"])
        if re.fullmatch(schema.ID_PATTERN, found):
            return found
        chosen = _unique(_slug(title), taken)
        warnings.append(f"the Word file's identifier `{found}` is not a valid id: "
                        f"used `{chosen}` (or give one with --id)")
        return chosen
    return _unique(_slug(title), taken)


def _check_request(options: Options) -> None:
    """Refuse an --id the loader would refuse, and an --out that is a file but not YAML."""
    if options.regulation_id is not None and \
            not re.fullmatch(schema.ID_PATTERN, options.regulation_id):
        raise HandbookError(f"--id `{options.regulation_id}` is not a valid id (hint: "
                            "lowercase letters, digits and hyphens, starting with a letter or "
                            "digit, at most 63 characters, e.g. seal-management)")
    out = options.out
    if out is None or out.is_dir() or not os.path.lexists(out):
        return
    if options.split:
        raise HandbookError(f"--out {out} is a file; with --split it must be a folder: "
                            "nothing was written (hint: give a folder)")
    if out.suffix not in YAML_SUFFIXES:
        raise HandbookError(f"--out {out} is an existing file that is not YAML: nothing was "
                            "written (hint: give a .yaml file name, or a folder)")


def write_all(results: list[Imported], force: bool) -> None:
    """Write every file atomically; refuse to overwrite unless forced (nothing half-written)."""
    existing = [r.path for r in results if os.path.lexists(r.path)]
    if existing and not force:
        raise HandbookError(f"{existing[0]} exists (use --force to overwrite, "
                            "or --id / --out to choose another name)")
    for result in results:
        if result.path.is_dir():
            raise HandbookError(f"{result.path} is a folder: nothing was written there "
                                "(hint: choose another name with --id or --out)")
        with files.reported(result.path):
            files.write_text(result.path, result.yaml_text)


def _line_range(block: Block) -> str:
    if block.first_line == block.last_line:
        return str(block.first_line)
    return f"{block.first_line}–{block.last_line}"


def _schema_errors(yaml_text: str, regulation_id: str) -> list[dict[str, Any]]:
    """What the schema refuses in the YAML (pydantic's error records), or []."""
    try:
        data = parse_yaml(yaml_text, f"{regulation_id}.yaml").data
    except YamlProblems as exc:  # a mistake of the importer's own: said, not a traceback
        raise HandbookError(f"the YAML made for {regulation_id} does not read back ({exc}); "
                            "(hint: save the file as .txt and import that)") from None
    try:
        schema.Regulation.model_validate(data)
    except ValidationError as exc:
        return exc.errors()
    return []


def _target(root: Path, options: Options, regulation_id: str, count: int) -> Path:
    if options.out is None:
        return root / "regulations" / f"{regulation_id}.yaml"
    if count > 1 or options.out.suffix not in YAML_SUFFIXES:
        return options.out / f"{regulation_id}.yaml"
    return options.out


def _slug(title: str) -> str:
    """An ASCII id from a Chinese title: 公司运营部管理制度 → gongsi-yunyingbu-guanli-zhidu."""
    import jieba
    from pypinyin import lazy_pinyin

    words = [w for w in jieba.lcut(re.sub(r"[^\u4e00-\u9fffA-Za-z0-9]", "", title)) if w]
    parts = ["".join(lazy_pinyin(w)).lower() for w in words]
    slug = re.sub(r"[^a-z0-9]+", "-", "-".join(parts)).strip("-")[:60].strip("-")
    return slug or "imported"


def _unique(slug: str, taken: set[str]) -> str:
    candidate, number = slug, 2
    while candidate in taken:
        candidate = f"{slug}-{number}"
        number += 1
    return candidate


def _next_number(taken: set[str]) -> str:
    number = 1
    while f"DR-ZD-{number:03d}" in taken:
        number += 1
    return f"DR-ZD-{number:03d}"


def _metadata(regulation_id: str, title: str, number: str, numbering: str, source: Path,
              block: Block, project) -> dict[str, Any]:
    today = dt.date.today().isoformat()
    category = next((c for word, c in CATEGORY_WORDS if word in title), "综合管理")
    department, approver = _guess_owner(title, project)
    return {
        "id": regulation_id,
        "title": title,
        "number": (number, "导入：请填写正式文号"),
        "category": (category, "导入：按标题推测，请核对"),
        "version": "1.0",
        "status": "draft",
        "effective": (today, "导入：请填写生效日期"),
        "department": (department, "导入：按标题推测，请核对"),
        "approver": (approver, "导入：请核对"),
        "applies_to": ([department], "导入：请核对"),
        "numbering": numbering,
        "revisions": [{"version": "1.0", "date": today, "summary": f"由 {source.name} 导入。"}],
        "source": f"{source.name} 第{_line_range(block)}行（{title}）",
    }


def _restore_article_ids(body: dict[str, Any], ids: list[str], warnings: list[str]) -> None:
    """Give articles back the stable ids our own Word files carry as bookmarks."""
    articles = list(structure.walk_articles(body))
    if len(articles) != len(ids):
        return
    wrong = [key for key in ids if not re.fullmatch(schema.ID_PATTERN, key)]
    if wrong or len(set(ids)) != len(ids):
        shown = f"`{wrong[0]}` is not a valid id" if wrong else "some repeat"
        warnings.append(f"article ids of the Word file not kept: {shown}")
        return
    for article, key in zip(articles, ids, strict=True):
        article["id"] = key


_STATUS_BY_NAME = {"草案": "draft", "现行有效": "active", "已被替代": "superseded",
                   "已废止": "repealed"}


def _our_metadata(found: dict[str, object], project, source: str) -> dict[str, Any]:
    """Metadata read back from a Word file this tool wrote, names mapped to ids."""
    data: dict[str, Any] = {}
    for key in ("title", "number", "version", "category", "status", "numbering"):
        if found.get(key):
            data[key] = found[key]
    if isinstance(found.get("effective"), str):
        data["effective"] = _iso_date(found["effective"]) or data.get("effective")
    if project is not None:
        departments = {d.name: d.id for d in project.departments}
        roles = {r.name: r.id for r in project.roles}
        if found.get("department_name") in departments:
            data["department"] = departments[found["department_name"]]
        if found.get("approver_name") in roles:
            data["approver"] = roles[found["approver_name"]]
        names = str(found.get("applies_to_names", "")).split("、")
        parties = [departments.get(n) or roles.get(n) for n in names]
        if parties and all(parties):
            data["applies_to"] = parties
    revisions = []
    for version, date, summary in found.get("revisions", []) or []:
        iso = _iso_date(date)
        if iso:
            revisions.append({"version": version, "date": iso, "summary": summary})
    if revisions:
        data["revisions"] = revisions
    data["source"] = source
    return {k: v for k, v in data.items() if v}


def _iso_date(text: str) -> str | None:
    match = re.match(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$", text.strip())
    if not match:
        return None
    year, month, day = (int(g) for g in match.groups())
    return f"{year:04d}-{month:02d}-{day:02d}"


def _guess_owner(title: str, project) -> tuple[str, str]:
    if project is None:
        return "office", "general-manager"
    roles = project.role_index
    approver = "general-manager" if "general-manager" in roles else project.roles[0].id
    fallback = roles[approver].department or project.departments[0].id
    department = next((d.id for d in project.departments
                       if d.name in title or any(a in title for a in d.aliases)), fallback)
    return department, approver


def link_names(node: Any, linker: Linker) -> Any:
    """The node (a text, or lists and mappings of texts) with known forms and roles
    turned into references; titles, comments and item styles left as they are."""
    if isinstance(node, str):
        return linker.link(node)
    if isinstance(node, list):
        return [link_names(v, linker) for v in node]
    if isinstance(node, dict):
        return {k: (v if k in ("title", emit.COMMENT, "items_style") else link_names(v, linker))
                for k, v in node.items()}
    return node
