"""Shared helpers: fixture projects copied to a temp folder, and the CLI runner."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli

TESTS = Path(__file__).parent
ROOT = TESTS.parent
FIXTURES = TESTS / "fixtures"
MINIMAL = FIXTURES / "minimal"


@pytest.fixture
def minimal(tmp_path: Path) -> Path:
    """A writable copy of the minimal fixture project."""
    target = tmp_path / "project"
    shutil.copytree(MINIMAL, target)
    return target


def run(*args: str | Path):
    """Run the handbook CLI in-process; returns click's Result (stdout, stderr, exit_code)."""
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def with_site_files(project: Path) -> Path:
    """Give a fixture project the repository's mkdocs.yml, site/ and templates/."""
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copytree(ROOT / "site", project / "site", ignore=shutil.ignore_patterns("generated"))
    shutil.copytree(ROOT / "templates", project / "templates")
    return project
