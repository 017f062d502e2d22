"""The 新旧条文对照表 as plain text for the terminal: [-deleted-] and {+added+}."""

from __future__ import annotations

from ..diff import RegulationDiff


def render(diffs: list[RegulationDiff]) -> str:
    """Every comparison table, one block per regulation."""
    if not diffs:
        return "没有条文变化。\n"
    lines = []
    for diff in diffs:
        versions = f"{diff.old_version or '—'} → {diff.new_version or '—'}"
        lines += [f"《{diff.title}》（{diff.id}，版本 {versions}）", diff.summary(), ""]
        for row in diff.rows:
            marked = "".join(p.text if p.kind == "equal" else
                             f"[-{p.text}-]" if p.kind == "delete" else f"{{+{p.text}+}}"
                             for p in row.pieces)
            label = f"{row.old_label or '—'} → {row.new_label or '—'}"
            lines.append(f"{row.number}. {label}　{row.note}")
            lines += ["   " + line for line in marked.splitlines()]
        lines.append("")
    return "\n".join(lines)
