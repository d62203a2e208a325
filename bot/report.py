"""The terminal report of `factbot check`: one line per claim, colour only
on a terminal, the correct value and its source for contradicted claims.

It renders the JSON report (CONTRACTS.md), so a cached result, a reviewed
result and a fresh one print the same way."""
from __future__ import annotations

import shutil
import textwrap
from typing import Any

from claims.report import format_value

MARKS = {"supported": "✔ supported", "contradicted": "✘ contradicted", "unverified": "? unverified",
         "disputed": "⚠ disputed"}
COLOURS = {"supported": "32", "contradicted": "31", "unverified": "90", "disputed": "33"}


def render_report(report: dict[str, Any], colour: bool = False) -> str:
    width = max(60, min(shutil.get_terminal_size((100, 20)).columns, 140))
    claims = report.get("claims") or []
    name = report.get("input") or ""
    lines = [report.get("title") or name]
    meta = [f"source: {name}"]
    if report.get("published"):
        meta.append(f"published {report['published']}")
    lines.append("  ".join(meta))
    counts = ", ".join(f"{n} {v}" for v, n in (report.get("summary") or {}).items() if n)
    lines.append(f"{len(claims)} claim{'s' if len(claims) != 1 else ''}" + (f": {counts}" if counts else ""))
    if report.get("more_claims"):
        lines.append(f"(and {report['more_claims']} more claims not checked: over the limit)")
    lines.append("")
    for c in claims:
        verdict = c["verdict"]
        mark = MARKS.get(verdict, verdict)
        if colour:
            mark = f"\033[{COLOURS.get(verdict, '0')}m{mark}\033[0m"
        metric = c.get("metric") if c.get("metric") != "rank" else None
        where = " · ".join(str(x) for x in (c.get("subject"), metric, c.get("period")) if x)
        lines.append(f"{mark:<16} {c['quote']!r}  {where}")
        lines.extend(textwrap.wrap(c["sentence"], width - 6, initial_indent="      ", subsequent_indent="      ",
                                   max_lines=3, placeholder=" …"))
        evidence = c.get("evidence") or []
        shown = evidence[:3] if verdict == "disputed" else evidence[:1]
        for e in shown:
            label = "correct value" if verdict == "contradicted" else "source says"
            lines.append(f"      {label}: {format_value(e['value'], e['unit'], e.get('qualifier') or 'exact')}"
                         f" ({e['metric']}, {e.get('period') or 'no period'}) — {e['source']}"
                         + (f" <{e['url']}>" if e.get("url") else ""))
        if c.get("note"):
            lines.append(f"      note: {c['note']}")
    if not claims:
        lines.append("No figure or ranking claims found.")
    return "\n".join(lines) + "\n"
