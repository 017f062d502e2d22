"""The 新旧条文对照表 as a standalone HTML page: <del> for removed, <ins> for added text."""

from __future__ import annotations

import html

from ..diff import SHIFTED, RegulationDiff

STYLE = """body{font-family:"Noto Serif CJK SC","SimSun",serif;margin:2em;}
table{border-collapse:collapse;width:100%}
th,td{border:1px solid #888;padding:.4em;vertical-align:top}
th{background:#eee}del{color:#b00;text-decoration:line-through}ins{color:#05a;text-decoration:underline}
.label{white-space:nowrap;font-weight:bold}"""


def _side(row, keep: str) -> str:
    parts = []
    for piece in row.pieces:
        text = html.escape(piece.text).replace("\n", "<br>")
        if piece.kind == "equal":
            parts.append(text)
        elif piece.kind == keep:
            parts.append(f"<{'del' if keep == 'delete' else 'ins'}>{text}</"
                         f"{'del' if keep == 'delete' else 'ins'}>")
    return "".join(parts)


def render(diff: RegulationDiff) -> str:
    """One regulation's comparison table as HTML (all text escaped): the same rows as the
    Word table, closed by 其余条文序号相应顺延 when numbers shifted."""
    rows = []
    for row in diff.rows:
        before = (f'<span class="label">{html.escape(row.old_label)}</span> '
                  + _side(row, "delete")) if row.old_label else ""
        after = (f'<span class="label">{html.escape(row.new_label)}</span> '
                 + _side(row, "insert")) if row.new_label else ""
        rows.append(f"<tr><td>{row.number}</td><td>{before}</td><td>{after}</td>"
                    f"<td>{html.escape(row.note)}</td></tr>")
    if diff.shifted:
        rows.append(f'<tr class="shifted"><td colspan="4">{SHIFTED}</td></tr>')
    title = html.escape(f"《{diff.title}》新旧条文对照表")
    return (f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{title}</title>'
            f"<style>{STYLE}</style></head><body><h1>{title}</h1>"
            f"<p>版本 {html.escape(diff.old_version or '—')} → "
            f"{html.escape(diff.new_version or '—')}。{html.escape(diff.summary())}</p>"
            "<table><thead><tr><th>序号</th><th>修订前</th><th>修订后</th><th>说明</th></tr>"
            f"</thead><tbody>{''.join(rows)}</tbody></table></body></html>\n")
