"""Periods of time: parse how facts and articles name them into date ranges.

Matching a claim to a fact is mostly a question of "the same stretch of
time?", so both sides are reduced to inclusive date ranges and compared by
overlap. Fiscal periods keep their label too, because a fiscal quarter is
known by its label even when its dates are not given.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from claims.model import Period

MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9

_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def quarter_range(year: int, quarter: int) -> tuple[date, date]:
    first = 3 * (quarter - 1) + 1
    return date(year, first, 1), month_end(year, first + 2)


def half_range(year: int, half: int) -> tuple[date, date]:
    first = 6 * (half - 1) + 1
    return date(year, first, 1), month_end(year, first + 5)


def _iso(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


_FISCAL = re.compile(r"\bFY\s?'?(\d{4}|\d{2})(?!\d)(?:\s*(Q[1-4]|H[12]))?", re.I)
_ENDED = re.compile(r"(?:quarter|period|year|months?)\s+end(?:ed|ing)\s+(\d{4}-\d{2}-\d{2})", re.I)
_TO = re.compile(r"^(\d{4})\s*\((?:to|through|until)\s+(\d{4}-\d{2}-\d{2})\)$", re.I)
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\s*(?:/|\.\.|–|—| to )\s*(\d{4}-\d{2}-\d{2})$")
_YEAR_Q = re.compile(r"^(?:(\d{4})\s*[-\s]?\s*(Q[1-4]|H[12])|(Q[1-4]|H[12])\s*[-\s]?\s*(\d{4}))$", re.I)
_MONTH_YEAR = re.compile(rf"^({_MONTH_RE})\.?\s+(\d{{4}})$", re.I)


def _fiscal_year(text: str) -> int:
    year = int(text)
    return 2000 + year if year < 100 else year


def _span(year: int, part: str | None) -> tuple[date, date]:
    if not part:
        return date(year, 1, 1), date(year, 12, 31)
    part = part.upper()
    if part.startswith("Q"):
        return quarter_range(year, int(part[1]))
    return half_range(year, int(part[1]))


def fiscal_label(text: str | None) -> str | None:
    """"FY2025 Q1" from "FY2025 Q1 (quarter ended 2024-12-28)", "FY25" -> "FY2025"."""
    fiscal = _FISCAL.search(text or "")
    if not fiscal:
        return None
    return f"FY{_fiscal_year(fiscal.group(1))}" + (f" {fiscal.group(2).upper()}" if fiscal.group(2) else "")


def parse_period(text: str | None) -> Period | None:
    """Parse a period as a reference source states it ("2024 Q3",
    "FY2025 Q1 (quarter ended 2024-12-28)", "2025 (to 2025-02-14)", "2025-02").

    Returns None when the text names no period we can place in time (or a
    date the calendar does not have, like year 0); the caller keeps the
    text as written either way.
    """
    if not text or not text.strip():
        return None
    try:
        return _parse_period(text)
    except (ValueError, OverflowError):
        return None


def _parse_period(text: str) -> Period | None:
    raw = text.strip()
    fiscal = _FISCAL.search(raw)
    if fiscal:
        label = fiscal_label(raw)
        ended = _ENDED.search(raw)
        if ended and (end := _iso(ended.group(1))):
            months = 3 if fiscal.group(2) and fiscal.group(2).upper().startswith("Q") else (
                6 if fiscal.group(2) else 12)
            start = _months_before(end, months)
            return Period(raw, start, end, label)
        # Without an end date, assume the fiscal year ends with the calendar
        # year: right for most firms, and the label still matches exactly.
        start, end = _span(_fiscal_year(fiscal.group(1)), fiscal.group(2))
        return Period(raw, start, end, label)
    if m := _TO.match(raw):
        end = _iso(m.group(2))
        if end:
            return Period(raw, date(int(m.group(1)), 1, 1), end)
    if m := _RANGE.match(raw):
        start, end = _iso(m.group(1)), _iso(m.group(2))
        if start and end and start <= end:
            return Period(raw, start, end)
    if re.fullmatch(r"\d{4}", raw):
        year = int(raw)
        return Period(raw, date(year, 1, 1), date(year, 12, 31))
    if m := _YEAR_Q.match(raw):
        year = int(m.group(1) or m.group(4))
        start, end = _span(year, m.group(2) or m.group(3))
        return Period(raw, start, end)
    if m := re.fullmatch(r"(\d{4})-(\d{2})", raw):
        year, month = int(m.group(1)), int(m.group(2))
        if 1 <= month <= 12:
            return Period(raw, date(year, month, 1), month_end(year, month))
    if day := _iso(raw):
        return Period(raw, day, day)
    if m := _MONTH_YEAR.match(raw):
        year, month = int(m.group(2)), MONTHS[m.group(1).lower()]
        return Period(raw, date(year, month, 1), month_end(year, month))
    return None


def _months_before(end: date, months: int) -> date:
    """First day of a period of `months` months that ends on `end`."""
    month = end.month - months
    year = end.year
    while month < 1:
        month += 12
        year -= 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(end.day, last)) + timedelta(days=1)


def overlap(a: tuple[date, date], b: tuple[date, date]) -> float:
    """Intersection over union of two inclusive date ranges, in [0, 1]."""
    lo, hi = max(a[0], b[0]), min(a[1], b[1])
    if hi < lo:
        return 0.0
    inter = (hi - lo).days + 1
    union = (max(a[1], b[1]) - min(a[0], b[0])).days + 1
    return inter / union


# --- Periods as articles write them -------------------------------------

ORDINAL_WORDS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
                 "final": 4, "last": 4}
_ORD = r"(first|second|third|fourth|final|1st|2nd|3rd|4th)"
_YEAR = r"((?:19|20)\d{2})"
_QWORD = r"(?:quarter|qtr)"


@dataclass(frozen=True, slots=True)
class PeriodMention:
    """A period named in a sentence. `base` marks a comparison point
    ("a year earlier", "from the previous year") rather than the period a
    figure is about."""

    start: int
    end: int
    period: Period | None
    base: bool = False
    shift_years: int = 0
    year_level: bool = False


def _q_of_year(year: int, q: int, text: str) -> Period:
    start, end = quarter_range(year, q)
    return Period(text, start, end, f"FY{year} Q{q}")


def _latest_completed_quarter(ref: date, q: int) -> int:
    """Year of the most recent quarter `q` that has ended by `ref`."""
    _, end = quarter_range(ref.year, q)
    return ref.year if end < ref else ref.year - 1


def _latest_month_end(ref: date, month: int) -> int:
    return ref.year if month_end(ref.year, month) <= ref else ref.year - 1


def _month_range(year: int, month: int, text: str) -> Period:
    return Period(text, date(year, month, 1), month_end(year, month))


class _Rules:
    """Regular expressions for period phrases, tried in order; each returns
    a PeriodMention or None given the match, the article date and the year
    the surrounding text is about."""

    def __init__(self) -> None:
        m = _MONTH_RE
        self.rules: list[tuple[re.Pattern[str], str]] = [
            (re.compile(rf"\b(?:the\s+)?{_ORD}\s+{_QWORD}\s+of\s+(?:fiscal\s+(?:year\s+)?|FY\s?)?{_YEAR}\b", re.I), "q_of_year"),
            (re.compile(rf"\b(?:the\s+)?{_ORD}\s+{_QWORD}\s+of\s+(last|this|the\s+previous|the\s+prior)\s+year\b", re.I), "q_of_rel_year"),
            (re.compile(rf"\b(?:fiscal\s+)?{_ORD}[-\s]{_QWORD}(?:\s+(?:of\s+)?fiscal)?\s+(?:year\s+)?{_YEAR}\b", re.I), "q_of_year"),
            (re.compile(rf"\bQ([1-4])\s*[-/ ]?\s*(?:FY\s?)?{_YEAR}\b|\b{_YEAR}\s*[-/ ]?\s*Q([1-4])\b", re.I), "q_code"),
            (re.compile(rf"\b(?:the\s+)?({m})\.?\s*[-–—/]+\s*({m})\.?\s+{_QWORD}(?:\s+of\s+{_YEAR})?", re.I), "month_span_q"),
            (re.compile(rf"\b(?:the\s+)?({m})\s+{_QWORD}\b(?:\s+of\s+{_YEAR})?", re.I), "month_q"),
            (re.compile(rf"\b(?:the\s+)?(?:three\s+months|quarter|period|six\s+months|(?:fiscal\s+|financial\s+|tax\s+)?year|twelve\s+months|12\s+months)\s+(?:ended|ending|to|through)\s+(?:the\s+end\s+of\s+)?({m})\.?(?:\s+(\d{{1,2}})(?:st|nd|rd|th)?)?(?:,?\s+{_YEAR})?", re.I), "ended"),
            (re.compile(rf"\b(?:the\s+)?(first|second|1st|2nd)\s+half\s+of\s+{_YEAR}\b", re.I), "half_of_year"),
            (re.compile(rf"\bH([12])\s*{_YEAR}\b|\b{_YEAR}\s*H([12])\b", re.I), "h_code"),
            (re.compile(rf"\b(?:in\s+)?fiscal\s+(?:year\s+)?{_YEAR}\b|\bFY\s?'?(\d{{4}}|\d{{2}})\b", re.I), "fiscal_year"),
            (re.compile(rf"\b(?:the\s+)?{_ORD}[-\s]{_QWORD}\b", re.I), "q_alone"),
            (re.compile(r"\bQ([1-4])\b"), "q_code_alone"),
            (re.compile(rf"\b(?:the\s+)?(first|second|1st|2nd)\s+half\b", re.I), "half_alone"),
            (re.compile(rf"\b({m})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+{_YEAR}\b", re.I), "day"),
            (re.compile(rf"\b(\d{{4}})-(\d{{2}})-(\d{{2}})\b"), "iso_day"),
            (re.compile(rf"\b(?:in\s+|of\s+)?({m})\.?\s+{_YEAR}\b", re.I), "month_year"),
            (re.compile(r"\b(?:since\s+the\s+(?:beginning|start)\s+of\s+(?:the|this)\s+year|year[-\s]to[-\s]date|so\s+far\s+this\s+year|this\s+year\s+so\s+far|ytd)\b", re.I), "ytd"),
            (re.compile(r"\b(?:a|one)\s+year\s+(?:earlier|ago|before)\b|\b(?:the\s+)?(?:previous|prior|preceding)\s+year(?:'s)?\b|\blast\s+year's\b|\byear[-\s](?:on|over)[-\s]year\b", re.I), "base_year"),
            (re.compile(r"\blast\s+year\b|\bin\s+the\s+past\s+year\b", re.I), "last_year"),
            (re.compile(r"\bthis\s+year\b|\bthe\s+current\s+year\b", re.I), "this_year"),
            (re.compile(r"\b(?:for\s+)?the\s+(?:full|whole|entire)\s+year\b|\bfull[-\s]year\b|\bannual\b", re.I), "full_year"),
            (re.compile(r"\blast\s+quarter\b|\bthe\s+previous\s+quarter\b", re.I), "last_quarter"),
            (re.compile(r"\bthis\s+week\b", re.I), "this_week"),
            (re.compile(r"\blast\s+week\b", re.I), "last_week"),
            (re.compile(r"\bthis\s+month\b", re.I), "this_month"),
            (re.compile(r"\blast\s+month\b", re.I), "last_month"),
            (re.compile(r"\btoday\b|\bon\s+the\s+day\b", re.I), "today"),
            (re.compile(r"\byesterday\b", re.I), "yesterday"),
            (re.compile(rf"\bbetween\s+{_YEAR}\s+and\s+{_YEAR}\b", re.I), "year_span"),
            (re.compile(rf"\b(?:since|before|until|till|as\s+far\s+back\s+as)\s+(?:records\s+began\s+in\s+)?{_YEAR}\b", re.I), "since_year"),
            (re.compile(rf"\b(?:in|during|for|of|by|through|throughout)\s+{_YEAR}\b(?![-/]\d)", re.I), "year"),
            (re.compile(rf"(?<![\w$€£.,-]){_YEAR}(?:'s)?(?![\w%.,-]|\s*(?:percent|per\s+cent|million|billion|units|points)|\s+[A-Z]{{1,3}}\d)"), "bare_year"),
            (re.compile(rf"\b(?:in|during|for|of|since|by)\s+({m})\b(?!\s+\d)", re.I), "month_alone"),
        ]


_RULES = _Rules().rules
# Every rule needs a digit or one of these words; sentences without any skip the rules.
_TRIGGER = re.compile(
    rf"\d|quarter|qtr|half|year|fiscal|month|week|today|yesterday|ytd|annual|\bQ[1-4]\b|\bH[12]\b|\bFY|"
    rf"on\s+the\s+day|\b(?:{_MONTH_RE})\b", re.I)


_SPEECH_BEFORE = re.compile(
    r"\b(?:said|says|told|announced|reported|published|released|wrote|added|noted|warned|confirmed)\b[^.,;\d]{0,30}$",
    re.I)


def find_periods(text: str, published: date | None = None, context_year: int | None = None) -> list[PeriodMention]:
    """Periods named in `text`, earliest first, without overlaps.

    `published` resolves relative phrases ("last year", "the December
    quarter"); `context_year` is the year the article is talking about
    when a sentence says only "the fourth quarter" or "the full year".
    """
    found: list[PeriodMention] = []
    taken: list[tuple[int, int]] = []
    if not _TRIGGER.search(text):
        return found  # most sentences name no period: one scan instead of thirty
    for pattern, kind in _RULES:
        for m in pattern.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            mention = _resolve(kind, m, published, context_year)
            if mention is None:
                continue
            if mention.period and _SPEECH_BEFORE.search(text[max(0, m.start() - 45):m.start()]):
                # "..., the forum said in its report last week": when it was
                # said, not what the figure is about.
                mention = PeriodMention(mention.start, mention.end, None, base=True)
            taken.append((m.start(), m.end()))
            found.append(mention)
    found.sort(key=lambda p: p.start)
    return found


def _ref_year(published: date | None, context_year: int | None) -> int | None:
    if context_year:
        return context_year
    return published.year - 1 if published else None


def _resolve(kind: str, m: re.Match[str], published: date | None, context_year: int | None) -> PeriodMention | None:
    text = m.group(0).strip()
    s, e = m.start(), m.end()
    g = m.groups()

    def mention(period: Period | None, **kw: object) -> PeriodMention:
        return PeriodMention(s, e, period, **kw)  # type: ignore[arg-type]

    if kind == "q_of_year":
        return mention(_q_of_year(int(g[1]), ORDINAL_WORDS[g[0].lower()], text))
    if kind == "q_of_rel_year":
        if not published:
            return mention(None)
        year = published.year if g[1].lower() == "this" else published.year - 1
        return mention(_q_of_year(year, ORDINAL_WORDS[g[0].lower()], text))
    if kind == "year_span":
        a, b = sorted((int(g[0]), int(g[1])))
        return mention(Period(text, date(a, 1, 1), date(b, 12, 31)), year_level=True)
    if kind == "since_year":
        return mention(None, base=True)  # "the lowest since 2009" compares; it is not the claim's period
    if kind == "month_alone":
        month = MONTHS[g[0].lower()]
        if published:
            year = published.year if date(published.year, month, 1) <= published else published.year - 1
        elif context_year:
            year = context_year
        else:
            return mention(None)
        return mention(_month_range(year, month, text))
    if kind == "q_code":
        q, year = (g[0], g[1]) if g[0] else (g[3], g[2])
        return mention(_q_of_year(int(year), int(q), text))
    if kind in ("month_span_q", "month_q"):
        last_month = MONTHS[(g[1] if kind == "month_span_q" else g[0]).lower()]
        year_text = g[2] if kind == "month_span_q" else g[1]
        if year_text:
            year = int(year_text)
        elif published:
            year = _latest_month_end(published, last_month)
        elif context_year:
            year = context_year
        else:
            return mention(None)
        end = month_end(year, last_month)
        return mention(Period(text, _months_before(end, 3) if end.day != 1 else end, end))
    if kind == "ended":
        month = MONTHS[g[0].lower()]
        day = int(g[1]) if g[1] else None
        span = 12 if re.match(r"(?:the\s+)?(?:fiscal\s+|financial\s+|tax\s+)?(?:year|twelve|12)", text, re.I) else (
            6 if "six" in text.lower() else 3)
        if g[2]:
            year = int(g[2])
        elif published:
            year = published.year if date(published.year, month, min(day or 28, 28)) <= published else published.year - 1
        elif context_year:
            year = context_year
        else:
            return mention(None)
        try:
            end = date(year, month, day) if day else month_end(year, month)
        except ValueError:
            return None
        return mention(Period(text, _months_before(end, span), end))
    if kind == "half_of_year":
        start, end = half_range(int(g[1]), 1 if g[0].lower() in ("first", "1st") else 2)
        return mention(Period(text, start, end))
    if kind == "h_code":
        half, year = (g[0], g[1]) if g[0] else (g[3], g[2])
        start, end = half_range(int(year), int(half))
        return mention(Period(text, start, end))
    if kind == "fiscal_year":
        year = _fiscal_year(g[0] or g[1])
        return mention(Period(text, date(year, 1, 1), date(year, 12, 31), f"FY{year}"), year_level=True)
    if kind in ("q_alone", "q_code_alone"):
        q = int(g[0]) if kind == "q_code_alone" else ORDINAL_WORDS[g[0].lower()]
        if context_year:
            year = context_year
        elif published:
            year = _latest_completed_quarter(published, q)
        else:
            return mention(None)
        return mention(_q_of_year(year, q, text))
    if kind == "half_alone":
        year = context_year or (published.year if published else None)
        if year is None:
            return mention(None)
        start, end = half_range(year, 1 if g[0].lower() in ("first", "1st") else 2)
        return mention(Period(text, start, end))
    if kind == "day":
        try:
            day = date(int(g[2]), MONTHS[g[0].lower()], int(g[1]))
        except ValueError:
            return None
        return mention(Period(text, day, day))
    if kind == "iso_day":
        try:
            day = date(int(g[0]), int(g[1]), int(g[2]))
        except ValueError:
            return None
        return mention(Period(text, day, day))
    if kind == "month_year":
        return mention(_month_range(int(g[1]), MONTHS[g[0].lower()], text))
    if kind == "ytd":
        if not published:
            return mention(None)
        return mention(Period(text, date(published.year, 1, 1), published))
    if kind == "base_year":
        return mention(None, base=True, shift_years=-1)
    if kind == "last_year":
        if not published:
            return mention(None, year_level=True)
        y = published.year - 1
        return mention(Period(text, date(y, 1, 1), date(y, 12, 31)), year_level=True)
    if kind == "this_year":
        if not published:
            return mention(None, year_level=True)
        return mention(Period(text, date(published.year, 1, 1), published), year_level=True)
    if kind == "full_year":
        year = _ref_year(published, context_year)
        if year is None:
            return mention(None, year_level=True)
        return mention(Period(text, date(year, 1, 1), date(year, 12, 31)), year_level=True)
    if kind == "last_quarter":
        if not published:
            return mention(None)
        q = (published.month - 1) // 3  # the quarter before the current one
        year = published.year if q else published.year - 1
        return mention(_q_of_year(year, q or 4, text))
    if kind in ("this_week", "last_week", "this_month", "last_month", "today", "yesterday"):
        if not published:
            return mention(None)
        if kind == "today":
            return mention(Period(text, published, published))
        if kind == "yesterday":
            day = published - timedelta(days=1)
            return mention(Period(text, day, day))
        if kind == "this_week":
            monday = published - timedelta(days=published.weekday())
            return mention(Period(text, monday, monday + timedelta(days=6)))
        if kind == "last_week":
            monday = published - timedelta(days=published.weekday() + 7)
            return mention(Period(text, monday, monday + timedelta(days=6)))
        if kind == "this_month":
            return mention(_month_range(published.year, published.month, text))
        first = date(published.year, published.month, 1) - timedelta(days=1)
        return mention(_month_range(first.year, first.month, text))
    if kind in ("year", "bare_year"):
        year = int(g[0])
        return mention(Period(text, date(year, 1, 1), date(year, 12, 31)), year_level=True)
    return None


def shift(period: Period, years: int) -> Period:
    """The same period `years` later (negative: earlier), for "a year earlier"."""
    def move(d: date) -> date:
        try:
            return d.replace(year=d.year + years)
        except ValueError:  # 29 February
            return d.replace(year=d.year + years, day=28)
    fiscal = period.fiscal
    if fiscal and (m := re.match(r"FY(\d{4})(.*)", fiscal)):
        fiscal = f"FY{int(m.group(1)) + years}{m.group(2)}"
    return Period(f"{period.text} ({years:+d} y)", move(period.start), move(period.end), fiscal)


_DATE_LINE = re.compile(
    rf"\b(\d{{4}})-(\d{{2}})-(\d{{2}})\b|\b({_MONTH_RE})\.?\s+(\d{{1,2}}),?\s+(\d{{4}})\b|\b(\d{{1,2}})\s+({_MONTH_RE})\.?\s+(\d{{4}})\b"
    rf"|\b(\d{{1,2}})/(\d{{1,2}})[ /](\d{{4}})\b", re.I)


def find_article_date(text: str, lines: int = 6) -> date | None:
    """The publication date from an article's first lines ("Published
    2025-02-03", "Feb 3, 2025", "02/14 2025"), so a pasted article resolves
    "last year" without --published."""
    head = "\n".join(text.strip().splitlines()[:lines])
    for m in _DATE_LINE.finditer(head):
        g = m.groups()
        try:
            if g[0]:
                return date(int(g[0]), int(g[1]), int(g[2]))
            if g[3]:
                return date(int(g[5]), MONTHS[g[3].lower()], int(g[4]))
            if g[6]:
                return date(int(g[8]), MONTHS[g[7].lower()], int(g[6]))
            if g[9]:
                return date(int(g[11]), int(g[9]), int(g[10]))
        except (ValueError, KeyError):
            continue
    return None
