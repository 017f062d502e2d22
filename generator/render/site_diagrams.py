"""Process and org-chart diagrams of the handbook site: Graphviz SVG, cached by source."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
from pathlib import Path

from .. import files
from ..model import Process, Project
from .escaping import dot_label

_PAGE_PREFIX = re.compile(r'(?<= id=")page\d+,\d+_')


class Diagrams:
    """Graphviz SVG for diagram sources, remembered by content in a cache folder.

    Calling dot costs tens of milliseconds; with hundreds of processes the cache keeps a
    rebuild from paying it again for diagrams that did not change.
    """

    def __init__(self, cache: Path | None) -> None:
        self.cache = cache
        self.notices: list[str] = []

    def prefetch(self, sources: list[str]) -> None:
        """Draw the graphs not in the cache yet with one run of dot (which takes many
        graphs and writes one SVG document after another): starting dot costs more than
        drawing a small graph. Anything odd leaves them to `svg`, one by one."""
        if self.cache is None:
            return
        missing = list(dict.fromkeys(s for s in sources if not self._cached(s).exists()))
        dot = shutil.which("dot")
        if len(missing) < 2 or dot is None:
            return
        completed = subprocess.run([dot, "-Tsvg"], input="\n".join(missing).encode("utf-8"),
                                   capture_output=True, check=False)
        documents = completed.stdout.decode("utf-8").split("<?xml ")[1:]
        if completed.returncode != 0 or len(documents) != len(missing):
            return
        for source, document in zip(missing, documents, strict=True):
            # dot prefixes the graph's id with its page when it draws several graphs
            document = _PAGE_PREFIX.sub("", document, count=1)
            files.write_text(self._cached(source), _wrapped(document))

    def _cached(self, source: str) -> Path:
        digest = hashlib.sha256(source.encode("utf-8")).hexdigest()[:24]
        return self.cache / f"{digest}.svg"

    def svg(self, source: str) -> str:
        """Inline SVG of a Graphviz graph, or '' (with a notice) when dot is missing."""
        cached = self._cached(source) if self.cache else None
        if cached is not None and cached.exists():
            return cached.read_text(encoding="utf-8")
        dot = shutil.which("dot")
        if dot is None:
            if not any("Graphviz" in n for n in self.notices):
                self.notices.append("diagrams skipped: Graphviz is not installed "
                                    "(Debian: graphviz)")
            return ""
        completed = subprocess.run([dot, "-Tsvg"], input=source.encode("utf-8"),
                                   capture_output=True, check=False)
        if completed.returncode != 0:
            self.notices.append("diagram failed: "
                                f"{completed.stderr.decode('utf-8', 'replace')[:200]}")
            return ""
        svg = _wrapped(completed.stdout.decode("utf-8"))
        if cached is not None:
            files.write_text(cached, svg)
        return svg


def _wrapped(document: str) -> str:
    """An SVG document from dot as the site shows it (its <svg> element in a box)."""
    return f'<div class="hb-diagram">{document[document.find("<svg"):]}</div>'


def process_diagram(project: Project, process: Process, diagrams: Diagrams) -> str:
    """A process as an SVG flow chart (its steps left to right, approvals beside them)."""
    return diagrams.svg(process_source(project, process))


def process_source(project: Project, process: Process) -> str:
    """The Graphviz source of a process's flow chart."""
    # the graph's id prefixes the SVG's element ids: two diagrams on a page do not clash,
    # and no article id (no '_') can equal one
    lines = [f'digraph process {{ id="hb_process_{process.id}";',
             'rankdir=LR; node [shape=box, style="rounded,filled", '
             'fillcolor="#eef4fb", fontname="Noto Sans CJK SC", fontsize=11];',
             'edge [fontname="Noto Sans CJK SC", fontsize=9];']
    for step in process.steps:
        role = project.role_index[step.role].name
        label = dot_label(f"{step.number}. {role}", *_short(step.action))
        lines.append(f"s{step.number} [label={label}];")
        if step.number > 1:
            lines.append(f"s{step.number - 1} -> s{step.number};")
        if step.approvers:
            approvers = "→".join(project.role_index[a].name for a in step.approvers)
            lines.append(f'a{step.number} [label={dot_label("审批：" + approvers)}, '
                         'shape=note, fillcolor="#fff6e0"];')
            lines.append(f"s{step.number} -> a{step.number} [style=dashed];")
    lines.append("}")
    return "\n".join(lines)


def _short(text: str, width: int = 14) -> list[str]:
    return [text[i:i + width] for i in range(0, len(text), width)]


def org_diagram(project: Project, diagrams: Diagrams) -> str:
    """The org chart as SVG, each role linking to its page."""
    return diagrams.svg(org_source(project))


def all_sources(project: Project) -> list[str]:
    """The Graphviz source of every diagram of the site."""
    return [process_source(project, process) for regulation in project.regulations
            for process in regulation.processes] + [org_source(project)]


def org_source(project: Project) -> str:
    """The Graphviz source of the org chart."""
    # left to right: the levels of the hierarchy across, the roles of a level down the page,
    # so the chart is as wide as the hierarchy is deep, not as the company has roles
    lines = ['digraph org { id="hb_org";', 'rankdir=LR; node [shape=box, style="rounded,filled", '
             'fillcolor="#eef4fb", fontname="Noto Sans CJK SC", fontsize=11];']
    for role in project.roles:
        lines.append(f'"{role.id}" [label={dot_label(role.name)}, '
                     f'URL="../roles/{role.id}/", target="_top"];')
        if role.reports_to:
            lines.append(f'"{role.reports_to}" -> "{role.id}";')
    lines.append("}")
    return "\n".join(lines)
