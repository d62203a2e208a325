"""The check result as the JSON of CONTRACTS.md, and the labels people
read. Pure data shaping, shared by the command line and the Discord bot so
both say the same thing."""
from __future__ import annotations

from datetime import date
from typing import Any

from claims.check import CheckResult, CheckedClaim
from claims.match import Match
from claims.model import Period
from claims.periods import quarter_range


def period_label(period: Period | None) -> str | None:
    """"2024", "2024 Q3", "2025-02-13" or "2024-09-29/2024-12-28"."""
    if period is None:
        return None
    s, e = period.start, period.end
    if s == e:
        return s.isoformat()
    if s.year == e.year and (s.month, s.day, e.month, e.day) == (1, 1, 12, 31):
        return str(s.year)
    for q in range(1, 5):
        if (s, e) == quarter_range(s.year, q):
            return f"{s.year} Q{q}"
    return f"{s.isoformat()}/{e.isoformat()}"


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() and abs(value) < 2**53 else round(value, 10)


def evidence_dict(match: Match) -> dict[str, Any]:
    f = match.fact
    return {"entity": f.entity, "metric": f.metric, "value": _number(f.value), "unit": f.unit,
            "qualifier": f.qualifier, "period": f.period, "source": f.source, "url": f.url,
            "published": f.published, "score": round(match.score, 3), "fact_id": f.id}


def claim_dict(item: CheckedClaim) -> dict[str, Any]:
    c, v = item.claim, item.verdict
    metric = c.metric
    if metric and c.kind == "change" and "change" not in metric:
        metric = f"{metric} change"
    return {
        "sentence": c.sentence, "quote": c.quote, "subject": c.subject, "metric": metric, "kind": c.kind,
        "value": _number(c.value), "unit": c.unit, "qualifier": c.qualifier, "period": period_label(c.period),
        "verdict": v.verdict, "confidence": round(v.confidence, 2),
        "evidence": [evidence_dict(m) for m in v.evidence],
        # extensions beyond the contract
        "period_text": c.period.text if c.period else None, "region": c.region, "cited_source": c.cited_source,
        "note": v.note, "offset": [c.start, c.end],
    }


def result_dict(result: CheckResult, input_name: str) -> dict[str, Any]:
    out: dict[str, Any] = {
        "input": input_name,
        "title": result.title,
        "published": result.published.isoformat() if isinstance(result.published, date) else None,
        "claims": [claim_dict(c) for c in result.claims],
        "summary": dict(result.summary),
    }
    if result.more:
        out["more_claims"] = result.more
    return out


def format_value(value: float, unit: str, qualifier: str = "exact") -> str:
    """A value for people: "$18.51 billion", "17.2%", "No. 3", "286.2 million units"."""
    hedge = {"approx": "about ", "over": "over ", "under": "under "}.get(qualifier, "")
    if unit == "rank":
        return f"{hedge}No. {int(value)}"
    if unit in ("%", "pp"):
        return f"{hedge}{value:+g}{' pp' if unit == 'pp' else '%'}" if value < 0 else f"{hedge}{value:g}{' pp' if unit == 'pp' else '%'}"
    scaled = _scaled(value)
    symbol = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥"}.get(unit)
    if symbol:
        return f"{hedge}{'-' if value < 0 else ''}{symbol}{scaled.lstrip('-')}"
    if unit.isupper() and len(unit) == 3:
        return f"{hedge}{unit} {scaled}"
    return f"{hedge}{scaled} {unit}"


def _scaled(value: float) -> str:
    for size, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if abs(value) >= size:
            return f"{value / size:.4g} {word}"
    return f"{value:,.10g}"
