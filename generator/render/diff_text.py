"""The 新旧条文对照表 as plain text for the terminal: [-deleted-] and {+added+}."""

from __future__ import annotations

from ..diff import SHIFTED, RegulationDiff


def render(diffs: list[RegulationDiff]) -> str:
    """Every comparison table, one block per regulation; each article's number shown once
    (第四条, or 第四条 → 第五条 when it changed)."""
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
            lines.append(f"{row.number}. {row.label}　{row.note}")
            lines += ["   " + line for line in marked.splitlines()]
        if diff.shifted:
            lines.append(SHIFTED)
        lines.append("")
    return "\n".join(lines)
