"""Every .docx we write opens in Microsoft Word without a repair prompt.

Word is stricter than LibreOffice: elements out of schema order, `w:val="true"` where
Word takes only on/off, or a stylesWithEffects.xml that disagrees with styles.xml make it
"repair" the file. openxml-audit (the Open XML SDK's checks plus Word's own) finds these;
each output may show no finding beyond those of python-docx's own blank document.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import docx
import pytest
import yaml
from conftest import ROOT, run

openxml_audit = pytest.importorskip(
    "openxml_audit", reason="openxml-audit is a test tool: `make test` installs it")

SAMPLE_REGULATIONS = ("travel-expense", "sales-management", "business-refinement",
                      "commerce-daily", "sales-internal-control", "sales-red-lines")
SAMPLE_FORMS = ("sales-contract", "expense-reimbursement", "leave-request", "contract-ledger",
                "supervisor-evaluation", "customer-visit-report")
KINDS = ("regulations", "compendium", "forms", "comparison", "filled", "notice", "templates")
CUSTOMER = """\
contract-no: YS-XS-2026-001
signing-date: 2026-11-23
buyer-name: 临江市鸿达装饰工程有限公司
price-terms: 含税含运费
products:
  - [抛光砖, YS-6601, 片, 1200, 38.00, 45600.00]
"""


@pytest.fixture(scope="module")
def validator():
    return openxml_audit.OpenXmlValidator(max_errors=0)


@pytest.fixture(scope="module")
def blank_findings(validator, tmp_path_factory) -> set[str]:
    """What the audit says of python-docx's own blank document (it does find something)."""
    path = tmp_path_factory.mktemp("blank") / "blank.docx"
    docx.Document().save(str(path))
    return {_finding(error) for error in validator.validate(path).errors}


@pytest.fixture(scope="module")
def outputs(bundled_build, tmp_path_factory) -> dict[str, list[Path]]:
    """Every kind of .docx the handbook writes, from the bundled regulations."""
    work = tmp_path_factory.mktemp("word")
    out, extra = bundled_build, work / "out"  # the shared build is only read
    old = _older_version(work / "old")
    result = run("diff", old, ROOT, "--root", ROOT, "--out", extra)
    assert result.exit_code == 0, result.output
    values = work / "customer.yaml"
    values.write_text(CUSTOMER, encoding="utf-8")
    result = run("fill", "sales-contract", values, "--partial", "--root", ROOT, "--out", extra)
    assert result.exit_code == 0, result.output
    with pytest.MonkeyPatch.context() as patch:
        # the notice's .docx is what is audited; without LibreOffice on the PATH publish
        # writes the same .docx files and skips their PDFs (one LibreOffice run, ~3 s)
        (work / "bin").mkdir()
        patch.setenv("PATH", str(work / "bin"))
        result = run("publish", "travel-expense", "--root", ROOT, "--out", extra)
    assert result.exit_code == 0, result.output
    assert "PDF skipped: LibreOffice is not installed" in result.stderr
    regulations = sorted((out / "docx").glob("*.docx"))
    compendium = [path for path in regulations if path.name == "制度汇编.docx"]
    return {
        "regulations": _sample([path for path in regulations if path not in compendium],
                               SAMPLE_REGULATIONS),
        "compendium": compendium,
        "forms": _sample(sorted((out / "forms").glob("*.docx")), SAMPLE_FORMS),
        "comparison": sorted((extra / "diff").glob("*.docx")),
        "filled": sorted((extra / "filled").glob("*.docx")),
        "notice": sorted((extra / "publish").glob("*/*-notice.docx")),
        "templates": sorted([*(ROOT / "templates").glob("*.docx"),
                             *(ROOT / "generator" / "resources").glob("*.docx")]),
    }


def _sample(paths: list[Path], names: tuple[str, ...]) -> list[Path]:
    """The named files, standing for all of their kind (every element the renderer
    writes shows up in them: tables, processes, outline numbering, long texts, each form
    layout); HANDBOOK_WORD_AUDIT=all audits every file (about a minute)."""
    if os.environ.get("HANDBOOK_WORD_AUDIT") == "all":
        return paths
    chosen = [path for path in paths if path.stem in names]
    assert len(chosen) == len(names), f"missing from the sample: {names}"
    return chosen


def _older_version(target: Path) -> Path:
    """A copy of the bundled regulations in which one article reads differently and the
    next is missing, so that the comparison table has rows."""
    shutil.copytree(ROOT / "regulations", target / "regulations")
    for path in sorted((target / "regulations").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        articles = _first_articles(data)
        if articles:
            articles[0]["text"] = "旧文：" + articles[0]["text"]
            del articles[1]
            path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                            encoding="utf-8")
            return target
    raise AssertionError("no regulation with two articles that have a text")


def _first_articles(node) -> list:
    """The first list (depth first) of at least two articles (id and text)."""
    if isinstance(node, list):
        if len(node) >= 2 and all(isinstance(e, dict) and "id" in e
                                  and isinstance(e.get("text"), str) for e in node[:2]):
            return node
        children = node
    elif isinstance(node, dict):
        children = list(node.values())
    else:
        return []
    for child in children:
        found = _first_articles(child)
        if found:
            return found
    return []


def _finding(error) -> str:
    return f"{error.part_uri}: {error.description}"


def test_the_audit_finds_what_word_repairs(blank_findings):
    """The check is live: python-docx's blank document has Word-compatibility findings."""
    assert any("stylesWithEffects" in finding for finding in blank_findings)


@pytest.mark.parametrize("kind", KINDS)
def test_every_docx_opens_in_word_without_repair(outputs, kind, validator, blank_findings):
    paths = outputs[kind]
    assert paths, f"no {kind} .docx was written"
    report = {}
    audited: dict[str, list[str]] = {}  # by content: the templates ship twice, byte-identical
    for path in paths:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if digest not in audited:
            audited[digest] = [_finding(error) for error in validator.validate(path).errors]
        extra = [finding for finding in audited[digest] if finding not in blank_findings]
        if extra:
            report[path.name] = extra
    assert report == {}
