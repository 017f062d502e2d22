"""Where each page of the site is, and the Markdown links between pages."""

from __future__ import annotations

import functools
import posixpath

from ..model import Form, Project, Regulation, RichText
from .escaping import md
from .site_mkdocs import GENERATED


def regulation_page(regulation_id: str) -> str:
    """Docs path of a regulation page."""
    return f"{GENERATED}/regulations/{regulation_id}.md"


@functools.lru_cache(maxsize=65536)
def rel_link(from_page: str, to_page: str) -> str:
    """Relative link between two docs paths (MkDocs resolves .md links)."""
    return posixpath.relpath(to_page, posixpath.dirname(from_page))


class Pages:
    """Knows where every page is and writes links between them."""

    def __init__(self, project: Project, downloads: dict[str, dict[str, str]]) -> None:
        self.project = project
        self.downloads = downloads

    def link_text(self, page: str, text: RichText) -> str:
        """text as Markdown on page, its references as links."""
        parts = []
        for segment in text:
            if isinstance(segment, str):
                parts.append(md(segment))
                continue
            target = self._target(page, segment.kind, segment.target)
            parts.append(f"[{md(segment.text)}]({target})" if target else md(segment.text))
        return "".join(parts)

    def _target(self, page: str, kind: str, target: str) -> str | None:
        if kind == "article":
            regulation_id, _, key = target.partition("#")
            here = page == regulation_page(regulation_id)
            return f"#{key}" if here else f"{rel_link(page, regulation_page(regulation_id))}#{key}"
        if kind == "regulation":
            return rel_link(page, regulation_page(target))
        if kind == "role":
            return rel_link(page, f"{GENERATED}/roles/{target}.md")
        if kind == "form":
            return rel_link(page, f"{GENERATED}/forms/{target}.md")
        return None

    def regulation_link(self, page: str, regulation: Regulation, key: str | None = None,
                        text: str | None = None) -> str:
        """A link from page to the regulation (at the anchor key), showing text or its title."""
        anchor = f"#{key}" if key else ""
        target = rel_link(page, regulation_page(regulation.id))
        return f"[{md(text or regulation.title)}]({target}{anchor})"

    def role_link(self, page: str, role_id: str) -> str:
        """A link from page to the role's page, showing its name."""
        role = self.project.role_index[role_id]
        return f"[{md(role.name)}]({rel_link(page, f'{GENERATED}/roles/{role_id}.md')})"

    def form_link(self, page: str, form: Form) -> str:
        """A link from page to the form's page, showing 《its title》."""
        return f"[《{md(form.title)}》]({rel_link(page, f'{GENERATED}/forms/{form.id}.md')})"

    def download(self, page: str, kind: str, key: str) -> str | None:
        """The link from page to a download (kind docx, pdf or forms), if it was built."""
        path = self.downloads.get(kind, {}).get(key)
        return rel_link(page, f"{GENERATED}/{path}") if path else None


def party_link(pages: Pages, page: str, party: str) -> str:
    """A role as a link to its page, a department as its name."""
    if party in pages.project.role_index:
        return pages.role_link(page, party)
    return md(pages.project.department_index[party].name)

