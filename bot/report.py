"""The terminal report of `factbot check`: one line per claim, colour only
on a terminal, the correct value and its source for contradicted claims."""
from __future__ import annotations

import shutil
import textwrap

from claims.check import CheckResult
from claims.report import format_value, period_label

MARKS = {"supported": "✔ supported", "contradicted": "✘ contradicted", "unverified": "? unverified",
         "disputed": "⚠ disputed"}
COLOURS = {"supported": "32", "contradicted": "31", "unverified": "90", "disputed": "33"}


def render(result: CheckResult, name: str, colour: bool = False) -> str:
    width = max(60, min(shutil.get_terminal_size((100, 20)).columns, 140))
    lines = []
    title = result.title or name
    lines.append(f"{title}")
    meta = [f"source: {name}"]
    if result.published:
        meta.append(f"published {result.published.isoformat()}")
    lines.append("  ".join(meta))
    counts = ", ".join(f"{n} {v}" for v, n in result.summary.items() if n)
    lines.append(f"{len(result.claims)} claim{'s' if len(result.claims) != 1 else ''}" + (f": {counts}" if counts else ""))
    if result.more:
        lines.append(f"(and {result.more} more claims not checked: over the limit)")
    lines.append("")
    for item in result.claims:
        c, v = item.claim, item.verdict
        mark = MARKS[v.verdict]
        if colour:
            mark = f"\033[{COLOURS[v.verdict]}m{mark}\033[0m"
        where = " · ".join(x for x in (c.subject, c.metric if c.metric != "rank" else None, period_label(c.period)) if x)
        lines.append(f"{mark:<16} {c.quote!r}  {where}")
        lines.extend(textwrap.wrap(c.sentence, width - 6, initial_indent="      ", subsequent_indent="      ",
                                   max_lines=3, placeholder=" …"))
        if v.evidence and v.verdict in ("contradicted", "disputed", "supported"):
            shown = v.evidence[:1] if v.verdict != "disputed" else v.evidence[:3]
            for m in shown:
                f = m.fact
                label = "correct value" if v.verdict == "contradicted" else "source says"
                lines.append(f"      {label}: {format_value(f.value, f.unit, f.qualifier)}"
                             f" ({f.metric}, {f.period or 'no period'}) — {f.source}" + (f" <{f.url}>" if f.url else ""))
        if v.note:
            lines.append(f"      note: {v.note}")
    if not result.claims:
        lines.append("No figure or ranking claims found.")
    return "\n".join(lines) + "\n"
