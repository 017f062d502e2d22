"""The site's review and reading pages: the policy office's review table (a page outside
the employees' navigation) and, on each role page, the regulations the role must read."""

from __future__ import annotations

from .. import readers, review
from ..model import Project, Role
from .escaping import md
from .site_mkdocs import GENERATED

REVIEW_PAGE = f"{GENERATED}/review.md"
"""The policy office's page; linked from nowhere in the navigation."""


def reading_key(project: Project, role: Role) -> tuple:
    """What the role's reading list depends on (for the page cache)."""
    return tuple((r.id, r.title, r.number, r.version, r.effective)
                 for r in readers.for_role(project, role))


def reading(pages, page: str, project: Project, role: Role) -> list[str]:
    """One line per regulation the role must read: link, 文号 and version in force."""
    return [f"{pages.regulation_link(page, r)}　{md(r.number)}　版本 {r.version}"
            f"（{r.effective.isoformat()} 起施行）" for r in readers.for_role(project, role)]


def review_page(environment, pages, project: Project) -> str:
    """The review table of every regulation in force with a review cycle, as of the
    model's day."""
    rows = []
    for due in review.schedule(project):
        regulation = due.regulation
        revision = regulation.last_substantive
        rows.append({"state": due.state, "state_name": due.state_name,
                     "link": pages.regulation_link(REVIEW_PAGE, regulation),
                     "number": md(regulation.number), "owner": md(due.owner),
                     "revision": f"{revision.version}（{revision.date.isoformat()}）",
                     "reviewed": due.last_reviewed.isoformat(),
                     "next": due.next_review.isoformat()})
    # no date on the page: it changes only when a state does (a new day rebuilds nothing else)
    return environment.get_template("review.md.j2").render(rows=rows,
                                                          soon=review.DUE_SOON_DAYS)


def write_review_page(environment, pages, project: Project, docs, write) -> None:
    """Write the policy office's page with `write(path, content)`."""
    write(docs / REVIEW_PAGE, review_page(environment, pages, project))


def not_in_nav(configured):
    """MkDocs' `not_in_nav` patterns with the review page added: it is built and reachable
    by its address, but MkDocs does not ask for it in the navigation."""
    import pathspec

    own = pathspec.gitignore.GitIgnoreSpec.from_lines([f"/{REVIEW_PAGE}"])
    return configured + own if configured else own
