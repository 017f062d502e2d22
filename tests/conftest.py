"""Shared helpers: fixture projects copied to a temp folder, and the CLI runner."""

from __future__ import annotations

import fcntl
import gc
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, settings

from generator.cli import cli
from generator.cli_common import GC_THRESHOLDS

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

# The tests run the CLI in this process (`run`): with the collector settings the `handbook`
# entry point sets, as a build run by a user has them (and the suite takes a sixth less CPU).
gc.set_threshold(*GC_THRESHOLDS)


@pytest.fixture
def minimal(tmp_path: Path) -> Path:
    """A writable copy of the minimal fixture project."""
    target = tmp_path / "project"
    shutil.copytree(MINIMAL, target)
    return target


@pytest.fixture(scope="session")
def bundled_build(tmp_path_factory, worker_id) -> Path:
    """The bundled regulations built once for the whole run (Word, PDF, forms and site);
    the tests that use it only read it. With pytest-xdist the workers share one build: the
    first to ask makes it under a lock in the run's common temporary folder."""
    if worker_id == "master":
        return _build_bundled(tmp_path_factory.mktemp("bundled") / "out")
    shared = tmp_path_factory.getbasetemp().parent / "bundled"
    shared.mkdir(exist_ok=True)
    with open(shared / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (shared / "done").exists():
            _build_bundled(shared / "out")
            (shared / "done").touch()
    return shared / "out"


def _build_bundled(out: Path) -> Path:
    result = run("build", "docx", "pdf", "forms", "site", "--root", ROOT, "--out", out,
                 "--include-drafts")
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


def git(repo: Path, *args: str) -> None:
    """Run git in repo as a fixed test author (no user configuration needed)."""
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True,
                   env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com",
                        "PATH": "/usr/bin:/bin"})
