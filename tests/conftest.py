"""Shared helpers: fixture projects copied to a temp folder, and the CLI runner."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, settings

from generator.cli import cli

TESTS = Path(__file__).parent
ROOT = TESTS.parent
FIXTURES = TESTS / "fixtures"
MINIMAL = FIXTURES / "minimal"

# Property tests: a quick, repeatable run by default (`make test`); the long search behind
# HANDBOOK_HYPOTHESIS=thorough (10,000 examples a test, about ten minutes).
settings.register_profile("fast", max_examples=120, deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("thorough", max_examples=10_000, deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HANDBOOK_HYPOTHESIS", "fast"))


@pytest.fixture
def minimal(tmp_path: Path) -> Path:
    """A writable copy of the minimal fixture project."""
    target = tmp_path / "project"
    shutil.copytree(MINIMAL, target)
    return target


@pytest.fixture(scope="session")
def bundled_build(tmp_path_factory) -> Path:
    """The bundled regulations built once for the whole run (Word, PDF, forms and site);
    the tests that use it only read it."""
    out = tmp_path_factory.mktemp("bundled") / "out"
    result = run("build", "docx", "pdf", "forms", "site", "--root", ROOT, "--out", out)
    assert result.exit_code == 0, result.output
    return out


def run(*args: str | Path):
    """Run the handbook CLI in-process; returns click's Result (stdout, stderr, exit_code)."""
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def with_site_files(project: Path) -> Path:
    """Give a fixture project the repository's mkdocs.yml, site/ and templates/."""
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copytree(ROOT / "site", project / "site", ignore=shutil.ignore_patterns("generated"))
    shutil.copytree(ROOT / "templates", project / "templates")
    return project
