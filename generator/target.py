"""What every output of a build is: a class with a name, its progress steps, and how it
renders into the build's staging folder (targets.py lists them)."""

from __future__ import annotations

from .build_job import Job
from .model import Project


class Target:
    """One output of a build. Subclasses set `name` and implement `render`."""

    name = ""
    chosen = True
    """Named on the command line (`handbook build docx …`); False: made by every build."""

    def __init__(self, job: Job) -> None:
        self.job = job

    @classmethod
    def wanted(cls, targets: tuple[str, ...]) -> bool:
        """Whether a build of targets makes this output."""
        return cls.name in targets

    @classmethod
    def steps(cls, project: Project) -> int:
        """How many progress steps rendering this output takes."""
        return 0

    def render(self) -> None:
        """Render the output into the staging folder, reusing what did not change."""
        raise NotImplementedError

    def finish(self) -> None:
        """Complete what `render` left running while later targets render (the PDF
        conversions), and raise its failures."""

    def abandon(self) -> None:
        """Another target failed: stop what `render` left running, raising nothing."""
