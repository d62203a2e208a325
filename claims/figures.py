"""The figure reader: every number a text states, with its unit, in base units.

`find_figures("Sales fell 11.1% to $18.51 billion.")` gives two figures:
-11.1 "%" (a change) and 18510000000 "USD" (a quantity). Numerals come
from `claims.numbers`; this module reads what stands around them:

* what is not a figure at all — dates, times, years, periods, phone
  numbers, addresses, versions and model names ("iPhone 16"), page and
  section numbers. These are found first, as blocked spans, the way
  duckling lets its time dimension win over numerals;
* the unit — a currency before or after the number, "%", percentage
  points, points, a unit of measure, an age, or the counted noun;
* the hedge before it ("nearly", "more than") and whether the figure is
  the size of a change ("rose 5%", "a drop of about 11%"), signed.

Everything is rules over regular expressions compiled once at import and a
lexicon (`claims.lexicon`); there is no model and no I/O.
"""
from __future__ import annotations

import math
import re
from bisect import bisect_left

from claims import lexicon as lx
from claims.model import Figure
from claims.numbers import (DASHES, MINUS_SIGNS, NUMBER_WORDS, ORDINALS, SCALES, TEENS, TENS, UNITS, Numeral, Tok,
                            find_numerals, tokenize)

__all__ = ["find_figures"]

_MONTH = lx.MONTH_RE
_WEEKDAY = lx.WEEKDAY_RE
_ORD_SFX = r"(?:st|nd|rd|th)"
_NUMWORD = "(?:" + "|".join(sorted(set(UNITS) | set(TEENS) | set(TENS), key=len, reverse=True)) + ")"
_ORDWORD = "(?:" + "|".join(sorted(ORDINALS, key=len, reverse=True)) + ")"
_ORDINAL_ANY = rf"(?:\d{{1,2}}{_ORD_SFX}|(?:{_NUMWORD}[\s-]+)?{_ORDWORD}|{_NUMWORD}[\s-]+{_NUMWORD})"

# --------------------------------------------------------------------------------------------------
# Spans that hold no figure. Each pattern blocks the whole match, or only
# the group named "b" when it has one.

_I = re.I
_MONTH_PATTERNS = [
    # "May 4th", "December 28", "Feb. 13", "Dec31", "Nov 18-Dec 19, 2015", "sept . 30", "Oct/2", "Dec-2018"
    re.compile(rf"\b{_MONTH}\.?(?:\s*[,./-]\s*|\s+|(?=\d))(?:the\s+)?\d{{1,2}}{_ORD_SFX}?(?![\d,.]\d)"
               rf"(?!\s*(?:%|percent|per\s+cent|million|billion|thousand|[$€£]))"
               rf"(?:\s*(?:[-–]|to|through|thru|and|until)\s*(?:{_MONTH}\.?\s*)?\d{{1,2}}{_ORD_SFX}?\b)?"
               rf"(?:\s*[,/-]?\s*\d{{4}}\b)?", _I),
    re.compile(rf"\b{_MONTH}\.?\s*[,/-]?\s*(?:of\s+)?\d{{4}}\b", _I),
    # "26 june", "4th of July", "15 April of 87", "9 to 12 of June", "05-Aug-2016", "23/Sep/2020"
    re.compile(rf"(?<![\d.,])\d{{1,2}}{_ORD_SFX}?(?:\s*(?:[-–]|to|and|through)\s*\d{{1,2}}{_ORD_SFX}?)?"
               rf"\s*(?:of\s+)?(?:the\s+)?[-/ ]?{_MONTH}\b\.?(?:\s*[,/-]?\s*(?:of\s+)?\d{{2,4}}\b)?", _I),
    # "May twenty nine", "the fourth of July", "second of Aug."
    re.compile(rf"\b{_MONTH}\s+(?:the\s+)?{_ORDINAL_ANY}\b", _I),
    re.compile(rf"\b{_MONTH}[-/]\d{{4}}[-/]\d{{1,2}}\b|\b\d{{1,2}}[-/]\d{{4}}[-/]{_MONTH}\b", _I),
    re.compile(rf"\b{_ORDINAL_ANY}\s+of\s+{_MONTH}\b", _I),
]
_NUMERIC_DATE_PATTERNS = [
    # ISO and other numeric dates
    re.compile(rf"(?<![\d.])\d{{4}}\s*[-/.]\s*(?:\d{{1,2}}|{_MONTH})\s*[-/.]\s*\d{{1,2}}(?![\d.]\d)", _I),
    re.compile(rf"(?<![\d.])\d{{4}}[-/](?:0?[1-9]|1[0-2]|{_MONTH})(?![\d.]?\d)", _I),
    re.compile(r"(?<![\d.,])\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}(?![\d]|[.,]\d)"),
    re.compile(r"(?<![\d.])(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?!\d)"),
    re.compile(r"(?<![\d.])(?:19|20)\d{2}\s(?:0?[1-9]|1[0-2])\s(?:0?[1-9]|[12]\d|3[01])(?![\d.])"),
    re.compile(r"(?<![\d.,])(?:0?[1-9]|1[0-2])[-/](?:19|20)\d{2}(?![\d])"),
]
_WEEKDAY_PATTERNS = [
    # weekday + day: "Monday 21", "Fri 14th", "Friday 7/6", "wednesday the thirty first"
    re.compile(rf"\b{_WEEKDAY}\.?,?\s+(?:the\s+)?(?:\d{{1,2}}{_ORD_SFX}?(?:[./-]\d{{1,2}}(?:[./-]\d{{2,4}})?)?\b"
               rf"|{_ORDINAL_ANY}\b)", _I),
]
_PREPOSITION_DATE_PATTERNS = [
    # "on the 18th", "on 22/04", "from 10/1 to 11/7"
    re.compile(rf"\b(?:on|by|until|till|from|since|before|after|through|starting|beginning|due)\s+(?:the\s+)?"
               rf"(?P<b>\d{{1,2}}{_ORD_SFX}|{_ORDWORD}(?:[\s-]+{_ORDWORD})?|(?:thirty|twenty)[\s-]+{_ORDWORD})"
               rf"(?!\s*[-\s](?:place|largest|biggest|highest|best|most|time|consecutive|straight))\b", _I),
    re.compile(r"\b(?:on|from|to|until|till|since|by|between|through|and|due)\s+(?P<b>\d{1,2}/\d{1,2})"
               r"(?![\d/.]|\s*(?:%|percent|per\s+cent|cups?|inch|inches|in\b|miles?|pounds?|points?))", _I),
    re.compile(r"\b(?:on|due)\s+(?P<b>(?:[12]\d|3[01]|0?[1-9])\.(?:1[0-2]|0?[1-9]))(?![\d/.]|\s*(?:%|percent|[a-z]))",
               _I),
    re.compile(r"(?<![\d.])\d{1,2}/\d{1,2}\s*[-–]\s*\d{1,2}/\d{1,2}(?:/\d{2,4})?(?![\d.])"),
]
_YEAR_PATTERNS = [
    re.compile(r"(?<![\d.,])(?:1[5-9]|20)\d{2}\s*[-–/]\s*(?:\d{2}|(?:1[5-9]|20)\d{2})(?![\d.,]?\d)"),
    re.compile(r"(?<![\w.,])['’]?\d{0,3}0['’]?s\b"),
    re.compile(r"\b(?:fiscal|financial|fy|f\.y\.|year|years|class\s+of|season|vintage)\s*['’]?\d{2,4}\b", _I),
]
_TIME_PATTERNS = [
    re.compile(r"(?<![\d.,:])\d{1,2}(?::\d{2}){1,2}(?!\d)(?:\s*[ap]\.?\s?m\b\.?)?", _I),
    re.compile(r"(?<![\d.,])(?P<h>\d{1,2})(?:[.:]\d{2})?\s*(?:[ap]\.m\.|[ap]m\b|[AP]M\b)", _I),
    re.compile(r"(?<![\d.,])\d{1,2}\s*o['’]?\s?clock\b", _I),
]
# URLs, e-mail addresses, file names
_URL = re.compile(r"(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+\.[\w.]+|\b[\w-]+\.(?:xlsx?|csv|pdf|docx?|pptx?|txt|"
                  r"json|html?|png|jpe?g|gif|zip)\b", _I)
_URL_HINTS = ("://", "www.", "@", ".xls", ".csv", ".pdf", ".doc", ".ppt", ".txt", ".json", ".htm", ".png", ".jp",
              ".gif", ".zip")
_OTHER_PATTERNS = [
    # phone numbers
    re.compile(r"(?<![\w.,])(?:\+\d{1,3}[\s.-]?)?(?:\(?\d{2,4}\)?[\s.-])?\d{3}[\s.-]\d{4}(?![\d]|[.,]\d)"),
    re.compile(r"\+\d{1,3}(?:[\s.-]\d{2,4}){2,}"),
    # versions, IP addresses
    re.compile(r"(?<![\d.])\d+(?:\.\d+){2,}"),
    # zip codes after a state, addresses
    re.compile(r"\b[A-Z]{2}\s\d{5}(?:-\d{4})?\b"),
    re.compile(r"\b\d+[A-Za-z]?\s+(?:(?:[A-Z][a-z]+|\d+(?:st|nd|rd|th))\s+){1,3}(?:"
               + "|".join(lx.STREET_WORDS) + r")\b"),
    # scores and ranges written with a dash between digits: "2-1", "10-15"
    re.compile(r"(?<![\w.,/-])\d+(?:\.\d+)?\s?[-–—]\s?\d+(?:\.\d+)?(?![\w.,/]?\d)(?!\s*[-–—]\s*\d)"),
    # the age in a byline: "John Smith, 45, said"
    re.compile(r"\b[A-Z][a-z]+,\s(?P<b>\d{1,3}),\s"),
    # list markers "1 ) ..." and "(a)"-style counters
    re.compile(r"(?:^|(?<=[\s;:]))(?P<b>\d{1,2})\s?\)\s"),
]
_DIGIT_FRACTION = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})(?![\d/])")

# --------------------------------------------------------------------------------------------------
# Units after a number

_PP_AFTER = re.compile(r"\s*-?\s*(?:" + lx.compile_phrases(lx.PP_WORDS) + r")(?![\w-])", _I)
_BP_AFTER = re.compile(r"\s*-?\s*(?:" + lx.compile_phrases(lx.BASIS_POINT_WORDS) + r")(?![\w-])", _I)
_PCT_AFTER = re.compile(r"\s*-?\s*(?:%|٪|percents?(?!\s*-?\s*points?)\b|per[\s-]?cents?\b|percentage\b(?!\s*-?\s*points?)"
                        r"|pct\b|(?<=\d)pc\b)", _I)
_POINTS_AFTER = re.compile(r"\s*-?\s*(?:points?|pts?)(?![\w-])(?!\s*\d)", _I)
_AGE_AFTER = re.compile(r"\s*-?\s*(?P<u>years?|months?|weeks?|days?)\s*-?\s*(?:old\b|of\s+age\b)", _I)
_YO_AFTER = re.compile(r"\s*(?:yo|y/o|y\.o\.)(?![\w/])", _I)
_AGE_BEFORE = re.compile(r"\b(?:age|aged)\s+$", _I)
_CURRENCY_NAME_AFTER = re.compile(r"\s*-?\s*(?P<c>" + lx.compile_phrases(lx.CURRENCY_NAMES) + r")(?![\w-])", _I)
_SUBUNIT_AFTER = re.compile(r"\s*-?\s*(?P<c>" + lx.compile_phrases(k for k in lx.SUBUNITS if len(k) > 1)
                            + r")(?![\w])", _I)
_DOLLAR_PREFIX = re.compile(r"(?:(?<![\w.])(?P<p>u\.\s?s\.?|u\s\.\s?s\s?\.|[a-z]{1,3})\s?)$", _I)
_PERCENT_OF = re.compile(r"\b(?:percents?|per\s+cents?|percentage)\s+of\s+$", _I)
_HEDGE_AFTER = re.compile(r"\s*(?:(?P<over>\+|or\s+more|or\s+higher|or\s+above|plus\b)|(?P<approx>or\s+so\b)"
                          r"|(?P<under>or\s+less|or\s+fewer|or\s+below|or\s+under)\b)", _I)
_AFTER_WORDS = "|".join(sorted(lx.CHANGE_UP_AFTER | lx.CHANGE_DOWN_AFTER, key=len, reverse=True))
_CHANGE_AFTER = re.compile(rf"\s*-?\s*(?:(?:year-on-year|year-over-year|annual|yearly|quarterly|monthly|"
                           rf"on-year|y/y|yoy)\s+)?(?P<w>{_AFTER_WORDS})\b", _I)
_MULTIPLIER = re.compile(r"(?:\b(?P<h>more\s+than|nearly|almost|roughly|about|over|at\s+least|around)\s+)?\b"
                         r"(?P<w>" + "|".join(lx.MULTIPLIER_VERBS) + r")\b(?!\s+down\b)", _I)
_MAYBE_MULTIPLIER = re.compile(r"oubl|ripl|alv|rebl|uadrupl|uintupl", _I)
_PERIOD_BEFORE = re.compile(r"\b(?:first|last|past|next|previous|coming|following|recent|final|initial|"
                            r"opening|closing|consecutive|straight|successive)\s+$", _I)
_OF_AFTER = re.compile(r"\s+of\b", _I)
_DIGIT_BEFORE = re.compile(r"\d\s*$")
_COMPARATIVE_AFTER = re.compile(r"\s+(?P<w>higher|lower|more|less|bigger|smaller|larger|cheaper|up|down)\b", _I)
_BLANKS = re.compile(r"\s+")


def _squash(phrase: str) -> str:
    """Lower case with single spaces, as lexicon keys are written."""
    return _BLANKS.sub(" ", phrase.lower()).strip()


_SENT_END = re.compile(r"\s*(?:$|[.!?;:,)\]]|\s[-–—]\s)")


_WINDOW = 40  # how far around a numeral a date or code can reach


class _Clues:
    """Cheap facts about a text that say which blocking patterns can match
    at all, so that a sentence pays only for the patterns it could trigger."""

    __slots__ = ("low", "words", "digits", "year4", "dash", "slash", "ordinal", "upper2", "street")

    def __init__(self, text: str, toks: list[Tok], words: set[str]) -> None:
        self.low = text.lower()
        self.words = words
        nums = [t.text for t in toks if t.kind == "num"]
        self.digits = bool(nums)
        self.year4 = any(len(x) == 4 and x.isdigit() for x in nums)
        self.dash = any(c in text for c in "-–—")
        self.slash = "/" in text
        self.ordinal = bool(words & _ORDINAL_WORDS) or any(t.low in ("st", "nd", "rd", "th") for t in toks)
        self.upper2 = any(len(t.text) == 2 and t.text.isupper() for t in toks if t.kind == "word")
        self.street = any(t.text in _STREET_WORDS for t in toks if t.kind == "word")


_ORDINAL_WORDS = frozenset(ORDINALS)
_STREET_WORDS = frozenset(lx.STREET_WORDS)
_FISCAL_WORDS = frozenset({"fiscal", "financial", "fy", "year", "years", "class", "season", "vintage"})
# (pattern, test on the clues): a pattern runs only when its test passes
_RULES: list[tuple[re.Pattern, "callable"]] = [
    (_MONTH_PATTERNS[0], lambda c: c.words & _MONTH_WORDS),
    (_MONTH_PATTERNS[1], lambda c: c.year4 and c.words & _MONTH_WORDS),
    (_MONTH_PATTERNS[2], lambda c: c.digits and c.words & _MONTH_WORDS),
    (_MONTH_PATTERNS[3], lambda c: c.words & _MONTH_WORDS),
    (_MONTH_PATTERNS[4], lambda c: c.year4 and (c.dash or c.slash) and c.words & _MONTH_WORDS),
    (_MONTH_PATTERNS[5], lambda c: " of " in c.low and c.words & _MONTH_WORDS),
    (_NUMERIC_DATE_PATTERNS[0], lambda c: c.year4),
    (_NUMERIC_DATE_PATTERNS[1], lambda c: c.year4 and (c.dash or c.slash)),
    (_NUMERIC_DATE_PATTERNS[2], lambda c: c.dash or c.slash or "." in c.low),
    (_NUMERIC_DATE_PATTERNS[3], lambda c: c.digits),
    (_NUMERIC_DATE_PATTERNS[4], lambda c: c.year4),
    (_NUMERIC_DATE_PATTERNS[5], lambda c: c.year4 and (c.dash or c.slash)),
    (_WEEKDAY_PATTERNS[0], lambda c: c.words & lx.WEEKDAYS),
    (_PREPOSITION_DATE_PATTERNS[0], lambda c: c.ordinal and c.words & _DATE_PREPOSITIONS),
    (_PREPOSITION_DATE_PATTERNS[1], lambda c: c.slash and c.words & _DATE_PREPOSITIONS),
    (_PREPOSITION_DATE_PATTERNS[2], lambda c: ("on" in c.words or "due" in c.words) and c.digits),
    (_PREPOSITION_DATE_PATTERNS[3], lambda c: c.slash),
    (_YEAR_PATTERNS[0], lambda c: c.year4 and (c.dash or c.slash)),
    (_YEAR_PATTERNS[1], lambda c: "0s" in c.low or "0's" in c.low or "0’s" in c.low),
    (_YEAR_PATTERNS[2], lambda c: c.digits and (c.words & _FISCAL_WORDS or "f.y." in c.low)),
    (_TIME_PATTERNS[0], lambda c: ":" in c.low),
    (_TIME_PATTERNS[1], lambda c: "am" in c.low or "pm" in c.low or "a.m" in c.low or "p.m" in c.low),
    (_TIME_PATTERNS[2], lambda c: "clock" in c.low),
    (_OTHER_PATTERNS[0], lambda c: c.digits),
    (_OTHER_PATTERNS[1], lambda c: "+" in c.low),
    (_OTHER_PATTERNS[2], lambda c: c.low.count(".") >= 2),
    (_OTHER_PATTERNS[3], lambda c: c.upper2),
    (_OTHER_PATTERNS[4], lambda c: c.street),
    (_OTHER_PATTERNS[5], lambda c: c.dash),
    (_OTHER_PATTERNS[6], lambda c: "," in c.low),
    (_OTHER_PATTERNS[7], lambda c: ")" in c.low),
]


def _blocked_spans(text: str, toks: list[Tok], words: set[str], numerals: list[Numeral]) -> list[tuple[int, int]]:
    """Character spans that are dates, times, years, identifiers... Patterns
    run only near numerals, and only those whose clues occur in the text."""
    windows = _windows(text, toks, numerals)
    if not windows:
        return []
    clues = _Clues(text, toks, words)
    patterns = [pat for pat, test in _RULES if test(clues)]
    spans: list[tuple[int, int]] = []
    if any(h in text for h in _URL_HINTS):
        spans.extend(m.span() for m in _URL.finditer(text))
    for pat in patterns:
        has_b = "b" in pat.groupindex
        has_h = "h" in pat.groupindex
        for lo, hi in windows:
            for m in pat.finditer(text, lo, hi):
                if has_b and m.group("b") is not None:
                    spans.append(m.span("b"))
                elif has_h:
                    if int(m.group("h")) <= 12:
                        spans.append(m.span())
                else:
                    spans.append(m.span())
    if "/" in text:
        for m in _DIGIT_FRACTION.finditer(text):
            a, b = int(m.group(1)), int(m.group(2))
            if (1 <= a <= 12 and 13 <= b <= 31 and b != 16) or (13 <= a <= 31 and 1 <= b <= 12):
                spans.append(m.span())
    return spans


_MONTH_WORDS = frozenset(lx.MONTHS)
_DATE_PREPOSITIONS = frozenset({"on", "from", "to", "until", "till", "since", "by", "between", "through", "and",
                                "due", "before", "after", "starting", "beginning"})


def _windows(text: str, toks: list[Tok], numerals: list[Numeral]) -> list[tuple[int, int]]:
    """Merged stretches of text around numerals and digits."""
    n = len(text)
    raw = sorted([(n_.start, n_.end) for n_ in numerals] + [(t.start, t.end) for t in toks if t.kind == "num"])
    out: list[tuple[int, int]] = []
    for s, e in raw:
        lo, hi = max(0, s - _WINDOW), min(n, e + _WINDOW)
        if out and lo <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return out


class _Spans:
    """Blocked character spans, sorted, with a logarithmic overlap test:
    a long text can hold thousands of dates."""

    __slots__ = ("starts", "ends")

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        merged: list[list[int]] = []
        for s, e in sorted(spans):
            if merged and s < merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], e)
            else:
                merged.append([s, e])
        self.starts = [s for s, _ in merged]
        self.ends = [e for _, e in merged]

    def overlaps(self, start: int, end: int) -> bool:
        k = bisect_left(self.starts, end) - 1  # last span starting before `end`
        return k >= 0 and self.ends[k] > start


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in spans)


# --------------------------------------------------------------------------------------------------
# Reading one figure


class _Ctx:
    """Per-text state shared by the helpers below."""

    __slots__ = ("text", "toks", "n", "words", "blocked", "temp_context", "weight_context", "starts")

    def __init__(self, text: str, toks: list[Tok], numerals: list[Numeral]) -> None:
        self.text = text
        self.toks = toks
        self.n = len(toks)
        self.words = {t.low for t in toks if t.kind == "word"}
        self.blocked = _Spans(_blocked_spans(text, toks, self.words, numerals))
        low = text.lower()
        self.temp_context = bool(self.words & lx.TEMPERATURE_CONTEXT) or "°" in text or "weather" in low
        self.weight_context = bool(self.words & lx.WEIGHT_CONTEXT)
        self.starts = [t.start for t in toks]


def _glued(a: Tok, b: Tok) -> bool:
    return a.end == b.start


def _near(text: str, a: Tok, b: Tok) -> bool:
    """a and b glued or one blank apart."""
    gap = b.start - a.end
    return gap == 0 or (gap == 1 and text[a.end] in " \u00a0")


def _prev_word(ctx: _Ctx, k: int, skip_quotes: bool = True) -> Tok | None:
    j = k - 1
    while j >= 0 and skip_quotes and ctx.toks[j].text in ("'", "‘", "’", '"', "“", "”"):
        j -= 1
    if j >= 0 and ctx.toks[j].kind == "word":
        return ctx.toks[j]
    return None


def _unit_phrase(ctx: _Ctx, k: int, max_len: int = 4) -> tuple[str, int] | None:
    """The longest measure unit starting at token k: (canonical name, end token)."""
    toks, text = ctx.toks, ctx.text
    best = None
    phrase = ""
    for j in range(k, min(ctx.n, k + max_len)):
        t = toks[j]
        if j > k:
            gap = text[toks[j - 1].end:t.start]
            if gap and (gap.strip() or len(gap) > 2):
                break
            phrase += " " if gap else ""
        phrase += t.text
        if t.kind == "num" and j == k:
            return None
        canon = lx.MEASURE_UNITS.get(phrase)
        if canon is None:
            low = phrase.lower()
            if low not in lx.CASE_SENSITIVE_UNITS or len(low) > 3:
                canon = lx.MEASURE_UNITS.get(low)
                if canon is not None and phrase in ("M", "B", "T", "K", "S", "H", "G"):
                    canon = None
        if canon is not None:
            best = (canon, j + 1)
    return best


def _unit_exponent(ctx: _Ctx, canon: str, end: int) -> tuple[str, int]:
    """"km2", "m^2", "km cubed" -> square/cubic units."""
    toks = ctx.toks
    if end < ctx.n:
        t = toks[end]
        power = None
        nxt = end + 1
        if t.kind == "num" and _glued(toks[end - 1], t) and t.text in ("2", "3"):
            power = t.text
        elif t.text == "^" and end + 1 < ctx.n and toks[end + 1].text in ("2", "3"):
            power, nxt = toks[end + 1].text, end + 2
        elif t.low in ("squared", "cubed"):
            power = "2" if t.low == "squared" else "3"
        if power and canon in ("kilometer", "meter", "centimeter", "millimeter", "mile", "foot", "inch", "yard"):
            return ("square " if power == "2" else "cubic ") + canon, nxt
    return canon, end


def _per_unit(ctx: _Ctx, end: int) -> tuple[str, int] | None:
    """"/hour", "per millisecond", "/m^2 per year" after a unit."""
    toks = ctx.toks
    if end + 1 < ctx.n and (toks[end].text == "/" and _glued(toks[end - 1], toks[end]) or toks[end].low == "per"):
        u = _unit_phrase(ctx, end + 1)
        if u:
            canon, e2 = _unit_exponent(ctx, *u)
            if canon == "milliliter" and toks[end + 1].low.startswith("cm"):
                canon = "cubic centimeter"
            more = _per_unit(ctx, e2)
            if more:
                return canon + " per " + more[0], more[1]
            return canon, e2
    return None


class _Fig:
    """A figure being assembled."""

    __slots__ = ("start", "end", "value", "unit", "kind", "qualifier", "precision", "tok_end", "noun", "money",
                 "num")

    def __init__(self, num: Numeral) -> None:
        self.num = num
        self.start = num.start
        self.end = num.end
        self.value = num.value
        self.precision = num.precision
        self.unit = "count"
        self.kind = "quantity"
        self.qualifier = "exact"
        self.tok_end = num.j
        self.noun = False
        self.money = False


def _apply_scale_suffix(fig: _Fig, ctx: _Ctx, mult: float) -> None:
    num = fig.num
    fig.value *= mult
    fig.precision *= mult
    fig.end = max(fig.end, ctx.toks[num.suffix_tok].end)
    fig.tok_end = max(fig.tok_end, num.suffix_tok + 1)
    num.suffix = None


def _currency_before(ctx: _Ctx, num: Numeral, floor: int = 0) -> tuple[str, int, float] | None:
    """A currency written before the number: "$", "US$", "HK$", "c $", "€",
    "EUR", "Rs.", "RM", "MAUD". Returns (code, start offset, multiplier)."""
    toks, text = ctx.toks, ctx.text
    k = num.i
    j = k - 1
    if j < 0:
        return None
    t = toks[j]
    if not _near(text, t, toks[k]) or t.start < floor:
        return None
    if t.kind == "sym" and t.text in lx.CURRENCY_SYMBOLS:
        code = lx.CURRENCY_SYMBOLS[t.text]
        start = t.start
        if t.text in ("$", "¥"):
            m = _DOLLAR_PREFIX.search(text, max(0, t.start - 8), t.start)
            if m:
                p = m.group("p")
                key = _squash(p).replace(" .", ".")
                glued = m.end() == t.start
                single = len(p) == 1
                if key in lx.DOLLAR_PREFIXES and (not single or glued and p.isupper() or key == "c"):
                    if t.text == "¥":
                        code = {"cn": "CNY", "rmb": "CNY", "jp": "JPY"}.get(key, code)
                    else:
                        code = lx.DOLLAR_PREFIXES[key]
                    start = m.start("p")
        return code, start, 1.0
    if t.kind == "sym" and t.text == "." and j > 0 and toks[j - 1].low == "rs" and _glued(toks[j - 1], t):
        return "INR", toks[j - 1].start, 1.0
    if t.kind == "word":
        code = _code_of(t.text)
        if code and (t.text not in _WORDLIKE_CODES or _glued(t, toks[k])):
            return code, t.start, 1.0
        if len(t.text) == 4 and t.text[0] in "MK" and t.text[1:] in lx.ISO_4217:
            return t.text[1:], t.start, 1e6 if t.text[0] == "M" else 1e3
        if t.low in ("ringgit", "ringgits"):
            prev = _prev_word(ctx, j)
            start = prev.start if prev and prev.low in ("malaysia", "malaysian") else t.start
            return "MYR", start, 1.0
    return None


_WORDLIKE_CODES = frozenset({"ALL", "CUP", "MAD", "TOP", "SOS", "PEN", "BOB", "GEL", "TRY", "MOP", "BAM", "AMD",
                             "CVE", "DOP", "ERN", "GIP", "HUF", "MDL", "NIO", "PAB", "SHP", "SLE", "STN", "VES",
                             "WST", "YER", "LE", "le", "rs", "rm"})


def _code_of(word: str) -> str | None:
    if word in lx.ISO_4217:
        return word
    if word in lx.CODE_ALIASES:
        return lx.CODE_ALIASES[word]
    low = word.lower()
    if low in lx.LOWER_CODES:
        return "CNY" if low == "rmb" else low.upper()
    return None


def _currency_after(ctx: _Ctx, fig: _Fig) -> tuple[str, int, float] | None:
    """A currency written after the number: "10$", "20 euros", "115USD",
    "125 million australian dollars", "30 MUSD". Returns (code, end token,
    multiplier)."""
    toks, text = ctx.toks, ctx.text
    j = fig.tok_end
    if j >= ctx.n:
        return None
    if toks[j].text in DASHES and _glued(toks[j - 1], toks[j]) and j + 1 < ctx.n and _glued(toks[j], toks[j + 1]):
        j += 1  # "one-yen", "12-cent"
    elif not _near(text, toks[j - 1], toks[j]):
        return None
    t = toks[j]
    if j + 1 < ctx.n and toks[j + 1].kind == "num" and _glued(t, toks[j + 1]):
        return None  # "1 $10", "3 USD50": the sign belongs to the next number
    if t.text in lx.CURRENCY_SYMBOLS:
        return lx.CURRENCY_SYMBOLS[t.text], j + 1, 1.0
    if text.startswith("ரூ", t.start):
        return "LKR", _tok_at(ctx, t.start + 2, j), 1.0
    if t.kind == "word":
        # "3.14US$"
        if j + 1 < ctx.n and toks[j + 1].text == "$" and _glued(t, toks[j + 1]) and t.low in lx.DOLLAR_PREFIXES:
            return lx.DOLLAR_PREFIXES[t.low], j + 2, 1.0
        if t.text == "€ur":
            return "EUR", j + 1, 1.0
        code = _code_of(t.text)
        if code and (t.text.isupper() or t.low in lx.LOWER_CODES or t.text in lx.CODE_ALIASES):
            end, mult = j + 1, 1.0
            if end < ctx.n and toks[end].low in SCALES and toks[end].low not in ("k", "cr") \
                    and _near(text, toks[end - 1], toks[end]):
                mult = SCALES[toks[end].low]  # "75 USD million"
                end += 1
            return code, end, mult
        if len(t.text) == 4 and t.text[0] in "MK" and t.text[1:] in lx.ISO_4217:
            return t.text[1:], j + 1, 1e6 if t.text[0] == "M" else 1e3
        m = _CURRENCY_NAME_AFTER.match(text, toks[j - 1].end)
        if m:
            name = _squash(m.group("c"))
            code = lx.CURRENCY_NAMES[name]
            if name in ("pound", "pounds") and not _pound_is_money(ctx, fig, m.end()):
                return None
            end = _tok_at(ctx, m.end(), j)
            return code, end, 1.0
    return None


def _pound_is_money(ctx: _Ctx, fig: _Fig, after: int) -> bool:
    """"361 million pounds" is money, "25 pounds" of a baby is weight."""
    text = ctx.text
    if fig.num.scaled or "£" in text or "sterling" in ctx.words:
        return True
    if _OF_AFTER.match(text, after):
        return False
    if fig.num.j < ctx.n and ctx.toks[fig.num.j].text in DASHES:
        return False  # "a twenty-pound bag"
    return not ctx.weight_context


def _tok_at(ctx: _Ctx, offset: int, hint: int) -> int:
    """Index of the first token starting at or after offset."""
    j = hint
    while j < ctx.n and ctx.toks[j].start < offset:
        j += 1
    return j


def _subunit_after(ctx: _Ctx, fig: _Fig) -> tuple[str, float, int] | None:
    """"50 cents", "43c", "470 pence", "10¢", "12-cent". Returns (currency,
    factor, end token)."""
    toks, text = ctx.toks, ctx.text
    j = fig.tok_end
    if j >= ctx.n:
        return None
    t = toks[j]
    if t.text == "¢" and _near(text, toks[j - 1], t):
        return "USD", 0.01, j + 1
    if t.kind == "word" and t.text in lx.GLUED_SUBUNITS and _glued(toks[j - 1], t) and not fig.num.words:
        if j + 1 < ctx.n and toks[j + 1].text == "/":
            return "USD", 0.01, j + 1  # "14.7c/ per security"
        if j + 1 < ctx.n and _glued(t, toks[j + 1]) and toks[j + 1].kind in ("word", "num"):
            return None
        return lx.SUBUNITS[t.text][0], 0.01, j + 1
    m = _SUBUNIT_AFTER.match(text, toks[j - 1].end)
    if m:
        name = _squash(m.group("c"))
        code, factor = lx.SUBUNITS[name]
        return code, factor, _tok_at(ctx, m.end(), j)
    return None


def _add_subunit_tail(ctx: _Ctx, fig: _Fig, code: str) -> None:
    """"3 dollars 50 cents", "$20 and 43c", "thirteen dollars and forty-five cents"."""
    toks, n = ctx.toks, ctx.n
    j = fig.tok_end
    if j < n and toks[j].low == "and":
        j += 1
    if j >= n:
        return
    nums = find_numerals(toks[j:j + 6], ctx.text)
    if not nums or nums[0].i != 0 or nums[0].kind != "cardinal" or nums[0].value >= 100 or nums[0].value < 0:
        return
    sub = nums[0]
    probe = _Fig(Numeral(j + sub.i, j + sub.j, sub.start, sub.end, sub.value, sub.precision, words=sub.words))
    found = _subunit_after(ctx, probe)
    if found is None:
        return
    _, factor, end = found
    fig.value += sub.value * factor
    fig.precision = min(fig.precision, factor)
    fig.end = toks[end - 1].end
    fig.tok_end = end


def _count_noun(ctx: _Ctx, fig: _Fig) -> tuple[str, int] | None:
    """The counted noun after a number: "286.2 million units", "3 new
    stores", "12,000 jobs". Returns (noun, end token)."""
    toks, text = ctx.toks, ctx.text
    j = fig.tok_end
    skipped = 0
    value = abs(fig.value)
    while j < ctx.n and skipped <= 2:
        t = toks[j]
        if not _near(text, toks[j - 1], t) and not (t.kind == "word" and text[toks[j - 1].end:t.start].isspace()
                                                     and "\n" not in text[toks[j - 1].end:t.start]):
            return None
        if t.kind != "word":
            return None
        w = t.low
        # hyphenated adjectives "full-time", "low-income"
        if j + 2 < ctx.n and toks[j + 1].text in ("-",) and _glued(t, toks[j + 1]) and _glued(toks[j + 1], toks[j + 2]):
            j += 3
            skipped += 1
            continue
        if _is_plural_noun(t) and not (value == 1 and fig.num.words):
            return w, j + 1
        if j + 1 < ctx.n and toks[j + 1].kind == "word" and _near(text, t, toks[j + 1]) and _modifier(t):
            j += 1  # "3 new stores", "11 board members", "306 electoral votes"
            skipped += 1
            continue
        return None
    return None


def _modifier(t: Tok) -> bool:
    """A word that can stand between a number and its noun: an adjective or
    a noun used as one; not a function word, verb form or adverb."""
    w = t.low
    if w in lx.COUNT_ADJECTIVES:
        return True
    if not w.isalpha() or w in NUMBER_WORDS or w in _FUNCTION_WORDS or w.endswith(("ly", "ing")):
        return False
    if w.endswith("ed") and w not in lx.COUNT_ADJECTIVES:
        return False
    return not _is_plural_noun(t)


_FUNCTION_WORDS = (lx.PREPOSITIONS | lx.DETERMINERS | lx.PRONOUNS | lx.CONJUNCTIONS | lx.AUXILIARIES | lx.ADVERBS
                   | lx.NOT_PLURAL)


def _is_plural_noun(t: Tok) -> bool:
    w = t.low
    if w in lx.IRREGULAR_PLURALS:
        return True
    if len(w) < 3 or not w.isalpha() or not w.endswith("s"):
        return False
    if w in lx.NOT_PLURAL or w in lx.PREPOSITIONS or w in lx.AUXILIARIES or w in lx.PRONOUNS:
        return False
    if w.endswith(("ss", "us", "ous", "is")) or w in NUMBER_WORDS:
        return False
    return True


def _hedge(ctx: _Ctx, start: int) -> tuple[str, int] | None:
    """The hedge right before a figure: the longest phrase of up to five
    tokens that the lexicon knows ("more than", "approx.", "~")."""
    toks, text = ctx.toks, ctx.text
    k = bisect_left(ctx.starts, start)
    if k == 0 or not text[toks[k - 1].end:start].isspace() and toks[k - 1].end != start:
        return None
    best = None
    for n in range(1, 6):
        if k - n < 0:
            break
        first = toks[k - n]
        if first.kind not in ("word", "sym"):
            break
        phrase = " ".join(text[first.start:start].lower().split())
        if phrase in lx.HEDGE_WORDS and phrase != "+":
            best = (lx.HEDGE_WORDS[phrase], first.start)
        elif phrase == "~":
            best = ("approx", first.start)
    if best is not None and best[1] > 0 and text[best[1] - 1].isalnum():
        return None
    if best is not None and text[best[1]:start].lower().split()[:1] == ["up"]:
        # "edged up to $97.7 billion", "went up to 5%": after a verb, "up"
        # is its particle and the figure is the new level, not a ceiling.
        prev = bisect_left(ctx.starts, best[1]) - 1
        if prev >= 0 and toks[prev].kind == "word" and _is_verb_like(toks[prev].low):
            return None
    return best


def _is_verb_like(word: str) -> bool:
    if word in lx.AUXILIARIES:
        return False  # "the share was up to 5%" is a ceiling
    return (word in _CHANGE_VOCAB or word in lx.PARTICLE_VERBS or word.endswith("ed")
            or word in ("go", "goes", "gone", "move", "moves", "shoot", "shoots", "tick", "ticks", "inch", "inches"))


def _change_direction(ctx: _Ctx, fig: _Fig, start: int) -> int:
    """+1 / -1 when the figure is the size of a change, 0 otherwise."""
    text = ctx.text
    unit = fig.unit
    rate = unit in ("%", "pp", "points")
    if start > 0 and text[start - 1] == "+" and (start < 2 or not text[start - 2].isalnum()):
        return 1
    before = _words_back(ctx, start)
    if before and not set(before) & _CHANGE_VOCAB:
        before = []
    d = _change_before(before, fig, rate) if before else None
    if d is not None:
        return d
    m = _CHANGE_AFTER.match(text, fig.end)
    if m and (rate or unit not in ("count",) and not fig.noun):
        return _direction_after(m.group("w").lower(), rate)
    return 0


def _words_back(ctx: _Ctx, start: int, limit: int = 9) -> list[str]:
    """The words before `start`, nearest first, up to a clause break;
    hyphenated words count as their parts ("year-on-year")."""
    toks = ctx.toks
    k = bisect_left(ctx.starts, start) - 1
    out: list[str] = []
    while k >= 0 and len(out) < limit:
        t = toks[k]
        if t.kind == "word":
            out.append(t.low)
        elif not (t.text in DASHES and k > 0 and _glued(toks[k - 1], t)) and t.text not in ("'", "’"):
            break
        k -= 1
    return out


_STRONG_VERBS = frozenset({"rose", "fell", "increased", "decreased", "grew", "declined", "dropped", "jumped",
                           "surged", "climbed", "plunged", "slipped", "soared", "tumbled", "sank", "slumped"})
_POSSESSIVES = frozenset({"its", "their", "the", "his", "her", "our", "a", "an", "this", "that"})


def _change_before(words: list[str], fig: _Fig, rate: bool) -> int | None:
    """Read a change word back from the figure: "rose 5%", "fell sharply
    by 11%", "was up 9%", "raised rates by 0.25", "an increase of 10.3%",
    "a rise in sales of 5%". None when there is none."""
    n = len(words)
    i = 0
    while i < n and words[i] in _ADVERB_SET:
        i += 1
    via = None
    if i < n and words[i] in ("by", "of"):
        via = words[i]
        i += 1
        while i < n and words[i] in _ADVERB_SET:
            i += 1
    if i >= n:
        return None
    w = words[i]
    if w in ("up", "down", "higher", "lower"):
        j = i + 1
        while j < n and words[j] in _ADVERB_SET:
            j += 1
        if w == "up" and j < n and words[j] in ("made", "make", "makes", "making", "take", "takes", "took", "taking"):
            return None  # "made up 16.2% of registrations", "took up 5%": a share, not a change
        if j < n and (words[j] in _ALL_VERBS or words[j] in lx.PARTICLE_VERBS):
            return 1 if w in ("up", "higher") else -1
        if w in ("up", "down") and fig.unit != "count" and not fig.noun:
            return 1 if w == "up" else -1
        return None
    if w in _ALL_VERBS:
        return _verb_direction(w, fig, rate, by=via == "by")
    if w in _CHANGE_NOUN_SET and via is not None:
        return 1 if w in _UP_NOUNS else -1
    if via == "by":
        # "raised rates by", "cut its forecast by", "cut the risk of death by"
        for j in range(i, min(n, i + 5)):
            if words[j] in _ALL_VERBS:
                return _verb_direction(words[j], fig, rate, by=True)
            if words[j] in _POSSESSIVES and j + 1 < n and words[j + 1] in _ALL_VERBS:
                return _verb_direction(words[j + 1], fig, rate, by=True)
    if via == "of" and "in" in words[i:i + 4]:
        # "a rise in sales of 5%", "an increase in revenue of 3%"
        j = words.index("in", i)
        if j + 1 < n and words[j + 1] in _CHANGE_NOUN_SET:
            return 1 if words[j + 1] in _UP_NOUNS else -1
    return None


def _verb_direction(v: str, fig: _Fig, rate: bool, by: bool = False) -> int:
    """+1/-1 for a change verb, 0 when the verb moves an amount rather than
    changes a level ("lost $5m"), unless "by" says it is the size of a
    change ("debt was cut by 18 trillion won")."""
    if v in lx.WEAK_CHANGE_VERBS and not rate and not by:
        return 0
    if fig.noun and not rate and v not in _STRONG_VERBS:
        return 0
    return 1 if v in _UP_VERBS else -1


_COMPARATIVES = frozenset({"more", "less", "fewer", "higher", "lower", "up", "down", "bigger", "smaller", "larger",
                           "greater", "cheaper", "dearer", "pricier", "stronger", "weaker", "faster", "slower"})


def _direction_after(w: str, rate: bool) -> int:
    """"a 42% increase" (+), "11% lower" (-); comparatives only after rates."""
    if w in _COMPARATIVES and not rate:
        return 0
    return 1 if w in lx.CHANGE_UP_AFTER else -1


_UP_VERBS = frozenset(lx.CHANGE_UP_VERBS)
_ALL_VERBS = frozenset(lx.CHANGE_UP_VERBS) | frozenset(lx.CHANGE_DOWN_VERBS)
_CHANGE_NOUN_SET = frozenset(lx.CHANGE_UP_NOUNS) | frozenset(lx.CHANGE_DOWN_NOUNS)
_ADVERB_SET = frozenset(w for a in lx.CHANGE_ADVERBS for w in a.split()) - {"by"}
_CHANGE_VOCAB = (frozenset(lx.CHANGE_UP_VERBS) | frozenset(lx.CHANGE_DOWN_VERBS) | frozenset(lx.CHANGE_UP_NOUNS)
                 | frozenset(lx.CHANGE_DOWN_NOUNS) | {"up", "down", "higher", "lower"})
_UP_NOUNS = frozenset(lx.CHANGE_UP_NOUNS)
_PERCENT_VOCAB = frozenset({"percent", "percents", "cent", "cents", "percentage"})


def _ordinal_is_rank(ctx: _Ctx, num: Numeral) -> bool:
    """Ordinals name a rank unless they name a period, a date or an idiom
    ("the first quarter", "May 4th", "first-ever", "at first")."""
    toks, text = ctx.toks, ctx.text
    j = num.j
    first = toks[num.i]
    nxt = toks[j] if j < ctx.n else None
    prev = _prev_word(ctx, num.i)
    if nxt is not None and nxt.kind == "word" and _near(text, toks[j - 1], nxt):
        if nxt.low in lx.PERIOD_NOUNS:
            return False
        if nxt.low in ORDINALS or nxt.low == "-":
            return False
    if nxt is not None and nxt.text in DASHES and _glued(toks[j - 1], nxt) and j + 1 < ctx.n:
        after = toks[j + 1].low
        if after in lx.RANK_HYPHEN_BLOCK or after in lx.PERIOD_NOUNS:
            return False
    if prev is not None:
        if prev.low == "at" and first.low == "first":
            return False
        if prev.low in ("a", "an") and nxt is not None and nxt.kind == "word" and nxt.low not in ("of",) \
                and nxt.low not in lx.SUPERLATIVE_AFTER:
            return False  # "a third option"
        if first.low == "second" and prev.low in ("a", "per", "split", "each", "every", "one", "nano", "milli",
                                                  "micro"):
            return False
        if prev.low in lx.MONTHS or prev.low in lx.WEEKDAYS:
            return False
    if first.low == "first" and nxt is not None and nxt.low == "of" and j + 1 < ctx.n and toks[j + 1].low == "all":
        return False
    if first.low == "first" and nxt is not None and nxt.kind == "word" and nxt.low.endswith("ed") \
            and (prev is None or prev.low not in ("the", "a", "its", "their", "his", "her")):
        return False  # "he first joined": an adverb
    if nxt is not None and nxt.low in ("to", "from") and j + 1 < ctx.n and toks[j + 1].low == "last":
        return False  # "the second to last"
    if first.low == "first" and nxt is not None and nxt.text == "," and (prev is None or num.i == 0
                                                                        or toks[num.i - 1].text in ".!?\n"):
        return False  # "First, ..."
    # "Fifth Avenue", "Second World War", "2nd Circuit", "1st Amendment": part of a name
    if nxt is not None and nxt.kind == "word" and nxt.text[0].isupper() and _near(text, toks[j - 1], nxt) \
            and nxt.low not in lx.SUPERLATIVE_AFTER and nxt.text != "I":
        return False
    return True


_NUMBER_SIGN = re.compile(r"(?:\b[Nn]o\s?\.|#)\s?$")


def _number_sign_before(ctx: _Ctx, num: Numeral) -> int | None:
    """Start of "No." or "#" before a rank number ("No. 3", "#1")."""
    if not num.plain or num.value < 1 or num.value > 1000:
        return None
    m = _NUMBER_SIGN.search(ctx.text, max(0, num.start - 5), num.start)
    return m.start() if m else None


def _rank_figure(ctx: _Ctx, num: Numeral) -> _Fig | None:
    if not _ordinal_is_rank(ctx, num):
        return None
    fig = _Fig(num)
    fig.unit = "rank"
    fig.kind = "rank"
    fig.precision = 1.0
    m = _SUPERLATIVE.match(ctx.text, fig.end)
    if m:
        fig.end = m.end()  # "third-largest"
        fig.tok_end = _tok_at(ctx, m.end(), fig.tok_end)
    return fig


_SUPERLATIVE = re.compile(r"[-\s](?:" + "|".join(sorted(lx.SUPERLATIVE_AFTER, key=len, reverse=True)) + r")\b",
                          _I)


def _one_is_pronoun(ctx: _Ctx, num: Numeral) -> bool:
    """"the one that", "one of the", "which one": "one" is no figure there."""
    toks = ctx.toks
    prev = _prev_word(ctx, num.i)
    nxt = toks[num.j] if num.j < ctx.n else None
    if prev is not None and prev.low in lx.ONE_PRONOUN_BEFORE:
        return True
    if nxt is None:
        return False
    if nxt.kind == "word" and (nxt.low in lx.ONE_PRONOUN_AFTER or nxt.low in lx.AUXILIARIES
                               or nxt.low in lx.PRONOUNS or nxt.low in lx.PREPOSITIONS
                               or nxt.low in lx.CONJUNCTIONS or nxt.low in lx.DETERMINERS):
        return True
    if nxt.text in ("'", "’") and num.j + 1 < ctx.n and ctx.toks[num.j + 1].low == "s":
        return True
    return nxt.kind == "word"  # "one analyst said": an article, not a count


def _is_model_name(ctx: _Ctx, num: Numeral) -> bool:
    """A bare number after a capitalised name is part of it: "Windows 11",
    "Boeing 737", "Qwen 2.5-Max", "FTSE 100", "S&P 500"."""
    toks, text = ctx.toks, ctx.text
    i = num.i
    if i == 0:
        return False
    prev = toks[i - 1]
    if prev.kind == "sym" and prev.text == "&":
        return True
    if prev.kind != "word" or not _near(text, prev, toks[i]):
        return False
    if not any(c.isupper() for c in prev.text):
        return False
    if prev.low in lx.CAPITALISED_FUNCTION_WORDS or prev.low in lx.MONTHS or prev.low in NUMBER_WORDS:
        return False
    if _code_of(prev.text) or prev.text in lx.CURRENCY_SYMBOLS:
        return False
    return True


def _is_label(ctx: _Ctx, num: Numeral) -> bool:
    """A number named by the word before it: "page 3", "Section 230",
    "exit 436", "week 31", "p. 12", "version 2"."""
    if num.words or num.kind != "cardinal" or "." in ctx.text[num.start:num.end].lstrip("-").rstrip("."):
        return False
    toks = ctx.toks
    k = num.i - 1
    dotted = False
    while k >= 0 and toks[k].text in ("#", ".", ":") and num.i - k <= 2:
        dotted = dotted or toks[k].text == "."
        k -= 1
    if k < 0 or toks[k].kind != "word":
        return False
    w = toks[k].low
    if w in ("p", "pp", "nr", "nrs", "fig", "vol", "ch", "art", "sec", "ver", "ep", "apt", "para", "chap"):
        return dotted or w in ("nr", "nrs", "ch", "para", "chap")
    return w in lx.IDENTIFIER_BEFORE and ctx.text[toks[k].end:num.start].strip(" .#:") == ""


def _is_glued_code(ctx: _Ctx, num: Numeral) -> bool:
    """Digits glued to letters are codes ("LGA1156", "Q3", "COVID-19",
    "777F", "scp-173m", "2.5-Max") unless the letters are a currency or unit."""
    toks = ctx.toks
    i = num.i
    first = toks[i]
    j = num.j
    if j + 1 < ctx.n and toks[j].text in DASHES and _glued(toks[j - 1], toks[j]) and _glued(toks[j], toks[j + 1]) \
            and toks[j + 1].kind == "word" and toks[j + 1].text[0].isupper() and not num.words \
            and toks[j + 1].low not in lx.MEASURE_UNITS and toks[j + 1].low not in lx.CURRENCY_NAMES:
        return True
    if i > 0 and _glued(toks[i - 1], first):
        prev = toks[i - 1]
        if prev.kind == "word" and not _code_of(prev.text) and not (
                len(prev.text) == 4 and prev.text[0] in "MK" and prev.text[1:] in lx.ISO_4217):
            return True
        if prev.kind == "num":
            return True
        if prev.text in DASHES and i > 1 and _glued(toks[i - 2], prev) and toks[i - 2].kind in ("word", "num") \
                and toks[i - 2].low not in NUMBER_WORDS:
            return True
        if prev.kind == "sym" and prev.text not in lx.CURRENCY_SYMBOLS and prev.text not in "([{\"'“‘~<=:" \
                and i > 1 and _glued(toks[i - 2], prev) and toks[i - 2].kind in ("word", "num"):
            return True
    return False



def _take_money(fig: _Fig, toks: list[Tok], code: str, factor: float, end: int) -> None:
    """The figure extends over a currency written after it ("500 million
    euros", "5 cents"), scaled by the unit's factor (a cent is 0.01)."""
    fig.value *= factor
    fig.precision *= factor
    fig.unit, fig.money = code, True
    fig.tok_end = end
    fig.end = toks[end - 1].end

def _read_figure(ctx: _Ctx, num: Numeral, floor: int = 0) -> _Fig | None:
    """The unit, hedge and kind of one numeral; None if it is no figure."""
    toks, text = ctx.toks, ctx.text
    if ctx.blocked.overlaps(num.start, num.end):
        return None
    if _is_glued_code(ctx, num) or _is_label(ctx, num):
        return None
    if num.words and toks[num.i].low in ("hundred", "thousand"):
        prev = _prev_word(ctx, num.i)
        if prev is not None and prev.low in ("several", "few", "many", "some", "couple", "hundreds", "thousands",
                                             "of", "the", "every", "per"):
            return None  # "several hundred": no number is stated
    if num.kind == "ordinal":
        return _rank_figure(ctx, num)
    sign_start = _number_sign_before(ctx, num)
    if sign_start is not None:
        fig = _Fig(num)
        fig.unit = fig.kind = "rank"
        fig.start = sign_start
        return fig
    fig = _Fig(num)
    before = _currency_before(ctx, num, floor)
    if before:
        code, start, mult = before
        if num.suffix:
            _apply_scale_suffix(fig, ctx, {"m": 1e6, "M": 1e6, "b": 1e9, "B": 1e9, "T": 1e12, "K": 1e3,
                                           "k": 1e3}[num.suffix])
        fig.value *= mult
        fig.precision *= mult
        fig.unit, fig.money = code, True
        fig.start = start
        # "($99.99)": accounting negative
        if start > 0 and text[start - 1] == "(" and fig.end < len(text) and text[fig.end] == ")" and fig.value > 0:
            fig.value = -fig.value
        elif start > 0 and text[start - 1] in MINUS_SIGNS and (start < 2 or not text[start - 2].isalnum()):
            fig.value = -fig.value
            fig.start = start - 1
        _currency_after_scale(ctx, fig)
        _add_subunit_tail(ctx, fig, code)
        _finish_money_rate(ctx, fig)
        return fig
    if num.suffix and not _resolve_suffix(ctx, fig):
        return None
    if _glued_letters_after(ctx, fig):
        return None
    # percentages and points
    m = _PP_AFTER.match(text, fig.end)
    if m:
        fig.unit, fig.end, fig.tok_end = "pp", m.end(), _tok_at(ctx, m.end(), fig.tok_end)
        return fig
    m = _BP_AFTER.match(text, fig.end)
    if m:
        fig.unit, fig.end, fig.tok_end = "pp", m.end(), _tok_at(ctx, m.end(), fig.tok_end)
        fig.value /= 100
        fig.precision /= 100
        return fig
    m = _PCT_AFTER.match(text, fig.end)
    if m:
        fig.unit, fig.end, fig.tok_end = "%", m.end(), _tok_at(ctx, m.end(), fig.tok_end)
        return fig
    m = _PERCENT_OF.search(text, max(0, fig.start - 25), fig.start) if ctx.words & _PERCENT_VOCAB else None
    if m and not _DIGIT_BEFORE.search(text, max(0, m.start() - 4), m.start()):
        fig.unit, fig.start = "%", m.start()
        return fig
    # money after the number
    after = _currency_after(ctx, fig)
    if after:
        code, end, mult = after
        _take_money(fig, toks, code, mult, end)
        _add_subunit_tail(ctx, fig, code)
        return fig
    sub = _subunit_after(ctx, fig)
    if sub:
        code, factor, end = sub
        _take_money(fig, toks, code, factor, end)
        return fig
    m = _POINTS_AFTER.match(text, fig.end)
    if m:
        fig.unit, fig.end, fig.tok_end = "points", m.end(), _tok_at(ctx, m.end(), fig.tok_end)
        return fig
    if _age(ctx, fig):
        return fig
    measure = _measure(ctx, fig)
    if measure is False:
        return None
    if measure:
        return fig
    noun = _count_noun(ctx, fig) if num.kind != "fraction" else None
    if noun:
        fig.unit, fig.noun = noun[0], True
        fig.tok_end = noun[1]
        fig.end = toks[noun[1] - 1].end
    return fig


def _currency_after_scale(ctx: _Ctx, fig: _Fig) -> bool:
    """A scale word after a prefixed amount that the numeral did not take
    ("$ 1 MM", "US$ 4.7 bn")."""
    toks = ctx.toks
    j = fig.tok_end
    if j < ctx.n and toks[j].kind == "word" and toks[j].text in ("MM", "mm", "m", "M", "bn", "b", "B", "T", "tn") \
            and _near(ctx.text, toks[j - 1], toks[j]) and not (j + 1 < ctx.n and _glued(toks[j], toks[j + 1])
                                                              and toks[j + 1].kind in ("word", "num")):
        mult = {"MM": 1e6, "mm": 1e6, "m": 1e6, "M": 1e6, "bn": 1e9, "b": 1e9, "B": 1e9, "T": 1e12,
                "tn": 1e12}[toks[j].text]
        fig.value *= mult
        fig.precision *= mult
        fig.tok_end = j + 1
        fig.end = toks[j].end
        return True
    return False


def _finish_money_rate(ctx: _Ctx, fig: _Fig) -> None:
    """"$15.4/hour" -> "USD per hour"."""
    per = _per_unit(ctx, fig.tok_end)
    if per and ctx.toks[fig.tok_end].text == "/":
        fig.unit = f"{fig.unit} per {per[0]}"
        fig.tok_end = per[1]
        fig.end = ctx.toks[per[1] - 1].end


def _resolve_suffix(ctx: _Ctx, fig: _Fig) -> bool:
    """An ambiguous letter glued to digits without a currency: "1.8m" is a
    length, "5m people" a count, "1.2b" a billion, "1500b" bits."""
    num = fig.num
    s = num.suffix
    toks = ctx.toks
    k = num.suffix_tok
    if s == "K":
        if ctx.temp_context:
            num.suffix = None  # a kelvin, read as a unit
        else:
            _apply_scale_suffix(fig, ctx, 1e3)
        return True
    nxt = toks[k + 1] if k + 1 < ctx.n else None
    # a currency after: "1.8M dollars", "10k$"
    probe = _Fig(num)
    probe.tok_end = k + 1
    probe.end = toks[k].end
    if _currency_after(ctx, probe) or s in ("M", "T"):
        if s == "T" and not _currency_after(ctx, probe):
            return True  # "2 T" tesla/tonne: leave as a plain number
        _apply_scale_suffix(fig, ctx, {"m": 1e6, "M": 1e6, "b": 1e9, "B": 1e9, "T": 1e12}[s])
        return True
    if s == "m" and nxt is not None and nxt.kind == "word" and _is_plural_noun(nxt) \
            and lx.MEASURE_UNITS.get(nxt.low) is None:
        _apply_scale_suffix(fig, ctx, 1e6)  # "5m people"
        return True
    if s in ("b", "B") and not num.plain:
        _apply_scale_suffix(fig, ctx, 1e9)  # "1.2b"
        return True
    num.suffix = None
    return True


def _glued_letters_after(ctx: _Ctx, fig: _Fig) -> bool:
    """Digits with letters glued after them that are no unit: "777F", "06F6",
    "5G", "3x". Plural or decade "s" ("1990s", "20s") too."""
    toks = ctx.toks
    j = fig.tok_end
    if j >= ctx.n or fig.num.words:
        return False
    t = toks[j]
    if not _glued(toks[j - 1], t) or t.kind not in ("word", "num"):
        return False
    if t.kind == "num":
        return True
    if _PCT_AFTER.match(ctx.text, fig.end) or _PP_AFTER.match(ctx.text, fig.end) or _BP_AFTER.match(ctx.text, fig.end):
        return False  # "4.5pc", "3pp", "25bp"
    if t.low == "s":
        return True
    if t.low in lx.DOLLAR_PREFIXES and j + 1 < ctx.n and toks[j + 1].text == "$" and _glued(t, toks[j + 1]):
        return False  # "3.14US$"
    if _unit_phrase(ctx, j) or t.text in lx.GLUED_SUBUNITS or _code_of(t.text) or t.low in lx.CURRENCY_NAMES:
        if _code_after_unit(ctx, j):
            return True
        if t.text in ("F", "C") and not ctx.temp_context and t.text == "F":
            return True  # "13F filing", "777F"
        return False
    if t.low in SCALES or t.text in lx.CURRENCY_SYMBOLS or len(t.text) == 4 and t.text[1:] in lx.ISO_4217:
        return False
    if t.text in ("x", "X") and j + 1 < ctx.n and toks[j + 1].kind == "num":
        return False
    return True


def _code_after_unit(ctx: _Ctx, j: int) -> bool:
    """A unit letter with more digits glued after it is a code: "L202",
    "m212", "L-202", "s-1"."""
    toks = ctx.toks
    u = _unit_phrase(ctx, j)
    e = u[1] if u else j + 1
    if e < ctx.n and _glued(toks[e - 1], toks[e]):
        nxt = toks[e]
        if nxt.kind == "num" and nxt.text not in ("2", "3"):
            return True
        if nxt.kind == "word" and not u:
            return True
        if nxt.text in DASHES and e + 1 < ctx.n and toks[e + 1].kind == "num" and _glued(nxt, toks[e + 1]):
            return True
    return False


def _age(ctx: _Ctx, fig: _Fig) -> bool:
    """"five years old", "a 20-year-old man", "87 yo", "age 87"."""
    text = ctx.text
    m = _AGE_AFTER.match(text, fig.end)
    if m:
        fig.unit = lx.MEASURE_UNITS[m.group("u").lower()]
        fig.end, fig.tok_end = m.end(), _tok_at(ctx, m.end(), fig.tok_end)
        return True
    m = _YO_AFTER.match(text, fig.end)
    if m:
        fig.unit = "year"
        fig.end, fig.tok_end = m.end(), _tok_at(ctx, m.end(), fig.tok_end)
        return True
    if ("age" in ctx.words or "aged" in ctx.words) and _AGE_BEFORE.search(text, max(0, fig.start - 8), fig.start) \
            and not fig.num.scaled:
        nxt = fig.tok_end
        if nxt >= ctx.n or not ctx.toks[nxt].kind == "word" or not _unit_phrase(ctx, nxt):
            fig.unit = "year"
            fig.start = _AGE_BEFORE.search(text, max(0, fig.start - 8), fig.start).start()
            return True
    return False


def _measure(ctx: _Ctx, fig: _Fig) -> bool | None:
    """A unit of measure after the number. False when the unit makes the
    number a label instead ("the 10-year yield")."""
    toks, text = ctx.toks, ctx.text
    j = fig.tok_end
    if j >= ctx.n:
        return None
    hyphen = False
    t = toks[j]
    if t.text in DASHES and _glued(toks[j - 1], t) and j + 1 < ctx.n and _glued(t, toks[j + 1]):
        j += 1
        hyphen = True
    elif t.text in lx.INCH_MARKS or (t.text == "'" and j + 1 < ctx.n and toks[j + 1].text == "'"):
        if _near(text, toks[j - 1], t):
            fig.unit = "inch"
            end = j + 2 if t.text == "'" else j + 1
            fig.tok_end, fig.end = end, toks[end - 1].end
            return True
        return None
    elif t.text in ("(", "[", "{", "<") and j + 2 < ctx.n and toks[j + 2].text in (")", "]", "}", ">"):
        u = _unit_phrase(ctx, j + 1, 1)
        if u and u[1] == j + 2:
            fig.unit = u[0]
            fig.tok_end, fig.end = j + 3, toks[j + 2].end
            return True
        return None
    elif not _near(text, toks[j - 1], t):
        gap = text[toks[j - 1].end:t.start]
        if gap.strip() or "\n" in gap:
            return None
    u = _unit_phrase(ctx, j)
    if u is None or _code_after_unit(ctx, j):
        return None
    canon, end = u
    unit_tok = toks[j]
    glued = _glued(toks[j - 1], unit_tok) or hyphen
    # Everyday words that are also unit symbols need a reason to be units
    if unit_tok.text in lx.AMBIGUOUS_UNITS or unit_tok.low in lx.AMBIGUOUS_UNITS and len(unit_tok.text) <= 3:
        if not glued and not _ambiguous_unit_ok(ctx, fig, unit_tok, end):
            return None
    if canon == "degree celsius" and unit_tok.text in ("c", "C"):
        if unit_tok.text == "c" and not ctx.temp_context:
            return None
        if end < ctx.n and toks[end].text == "/":
            return None
    if canon == "degree fahrenheit" and unit_tok.text in ("f", "F") and not ctx.temp_context and not glued:
        return None
    canon, end = _unit_exponent(ctx, canon, end)
    if hyphen and canon in lx.TIME_UNITS and end < ctx.n and toks[end].low in lx.MATURITY_NOUNS:
        return False
    if hyphen and canon in lx.TIME_UNITS and end + 1 < ctx.n and toks[end].text in DASHES \
            and toks[end + 1].low == "old":
        end += 2  # "a 20-year-old"
    if canon in lx.TIME_UNITS and not hyphen:
        if _PERIOD_BEFORE.search(text, max(0, fig.start - 12), fig.start):
            return False  # "the first eight months", "the past three years"
    per = _per_unit(ctx, end)
    if per:
        canon = f"{canon} per {per[0]}"
        end = per[1]
    elif canon in ("mile", "kilometer") and end + 1 < ctx.n and toks[end].low == "an" and toks[end + 1].low == "hour":
        canon, end = canon + " per hour", end + 2
    fig.unit = canon
    fig.tok_end = end
    fig.end = toks[end - 1].end
    return True


def _ambiguous_unit_ok(ctx: _Ctx, fig: _Fig, unit_tok: Tok, end: int) -> bool:
    """"2 in" ends a sentence or measures ("2 in thick"); "2 in my car" does not."""
    toks = ctx.toks
    if unit_tok.low in ("am", "pm"):
        return True  # times were blocked before: "2.123 pm" is a length
    if _SENT_END.match(ctx.text, toks[end - 1].end):
        return True
    nxt = toks[end] if end < ctx.n else None
    if nxt is None:
        return True
    if unit_tok.low in ("in", "a", "cup", "cups", "bar", "turn", "turns", "mo", "min", "sec", "ha"):
        return nxt.low in lx.MEASURING_WORDS or (
            unit_tok.low in ("cup", "cups", "turns", "turn", "min", "sec", "mo") and nxt.kind == "word")
    return True


def _drop_year(ctx: _Ctx, fig: _Fig) -> bool:
    """A bare 4-digit number between 1100 and 2100 is a year ("in 2024",
    "the 2024 elections"), unless it carries a unit ("1332 points")."""
    num = fig.num
    if not num.plain or fig.money or fig.unit not in ("count",) and not fig.noun:
        return False
    digits = ctx.text[num.start:num.end]
    if len(digits) != 4 or not 1100 <= fig.value <= 2100:
        return False
    if fig.noun:
        prev = _prev_word(ctx, num.i)
        return prev is None or prev.low in lx.YEAR_BEFORE or prev.low in lx.DETERMINERS
    return True


def _drop_word_year(ctx: _Ctx, fig: _Fig) -> bool:
    """"in two thousand and fifteen", "in nineteen ninety six"."""
    num = fig.num
    if not num.words or not 1100 <= fig.value <= 2100 or fig.unit != "count":
        return False
    prev = _prev_word(ctx, num.i)
    return prev is not None and prev.low in ("in", "since", "until", "till", "before", "after", "by", "from",
                                             "during", "year", "of")


def _qualify(ctx: _Ctx, fig: _Fig) -> None:
    h = _hedge(ctx, fig.start)
    if h:
        fig.qualifier, fig.start = h
    m = _HEDGE_AFTER.match(ctx.text, fig.end)
    if m and fig.qualifier == "exact":
        fig.qualifier = "over" if m.group("over") else "approx" if m.group("approx") else "under"
        fig.end = m.end()


def _change(ctx: _Ctx, fig: _Fig) -> None:
    if fig.kind == "rank":
        return
    if fig.unit == "count" and fig.num.kind == "fraction":
        # "cut the risk by a quarter": a fraction that is the size of a change is a percentage
        if fig.num.words and abs(fig.value) < 1:
            fig.unit = "%"
            d = _change_direction(ctx, fig, fig.start)
            if d:
                fig.value, fig.precision, fig.kind = d * 100 * abs(fig.value), 1.0, "change"
            else:
                fig.unit = "count"
        return
    d = _change_direction(ctx, fig, fig.start)
    if d:
        fig.kind = "change"
        fig.value = abs(fig.value) * d


def _fraction_change(ctx: _Ctx, fig: _Fig) -> None:
    """"a third lower" (-33.3 %), "two-thirds higher" (+66.7 %)."""
    if fig.num.kind != "fraction" or fig.unit != "count":
        return
    m = _COMPARATIVE_AFTER.match(ctx.text, fig.end)
    if not m:
        return
    up = m.group("w").lower() in ("higher", "more", "bigger", "larger", "up")
    fig.value = (100 if up else -100) * abs(fig.value)
    fig.precision = 1.0
    fig.unit, fig.kind = "%", "change"
    fig.end = m.end()


def _skip_bare(ctx: _Ctx, fig: _Fig) -> bool:
    """Bare numbers that are no figures: "one" as a pronoun, model names,
    "half" of "the second half"."""
    num = fig.num
    toks = ctx.toks
    if fig.unit != "count" or fig.noun:
        return False
    first = toks[num.i]
    if num.words and num.j - num.i == 1 and first.low == "one" and num.value == 1:
        return _one_is_pronoun(ctx, num)
    prev = _prev_word(ctx, num.i)
    if num.words and first.low in ("zero", "nil", "naught", "nought") and num.j - num.i == 1 and (
            prev is not None and prev.low in ("absolute", "ground", "net", "year", "patient", "day")
            or num.j < ctx.n and toks[num.j].text in DASHES):
        return True  # "absolute zero", "zero-sum"
    if num.words and first.low in ("half", "quarter") and num.j - num.i == 1:
        prev = _prev_word(ctx, num.i)
        if prev is not None and (prev.low in ORDINALS or prev.low in ("the", "this", "that", "last", "next", "each",
                                                                      "per", "every", "a", "one", "fiscal")):
            return True
        if num.j < ctx.n and toks[num.j].text in DASHES and _glued(first, toks[num.j]):
            return True
    if num.kind == "fraction" and first.low in ("quarters", "halves"):
        return True
    if num.kind == "fraction" and toks[num.j - 1].low in ("quarters", "halves") \
            and _PERIOD_BEFORE.search(ctx.text, max(0, num.start - 14), num.start):
        return True  # "the last three quarters" are periods, not 3/4
    if num.kind == "fraction" and first.low in ("a", "an") and num.j < ctx.n and toks[num.j].kind == "word" \
            and toks[num.j].low not in ("of", "more", "less", "higher", "lower", "up", "down", "bigger", "smaller",
                                        "larger", "cheaper", "as", "or", "and", "to", "in", "on", "at", "for"):
        return True  # "a third consecutive month", "a third option"
    if not num.words and _is_model_name(ctx, num):
        return True
    return False


def _skip_counted(ctx: _Ctx, fig: _Fig) -> bool:
    """Model names with a noun ("Windows 11 users") and periods ("the past
    three quarters") are no counts either."""
    num = fig.num
    if not fig.noun:
        return False
    if not num.words and _is_model_name(ctx, num):
        return True
    if fig.unit in ("quarters", "halves", "seasons", "sessions", "innings", "terms", "semesters", "rounds"):
        return bool(_PERIOD_BEFORE.search(ctx.text, max(0, fig.start - 12), fig.start))
    return False


def _to_figure(ctx: _Ctx, fig: _Fig) -> Figure:
    return Figure(text=ctx.text[fig.start:fig.end], start=fig.start, end=fig.end, value=_clean(fig.value),
                  unit=fig.unit, kind=fig.kind, qualifier=fig.qualifier, precision=_clean(abs(fig.precision)) or 1.0)


def _clean(x: float) -> float:
    """Round away binary noise ("18.51 * 1e9" -> 18510000000.0)."""
    if x == 0 or x != x or x in (float("inf"), float("-inf")):
        return x
    r = float(f"{x:.12g}")
    return int(r) if r.is_integer() and abs(r) < 1e15 else r


def _multipliers(ctx: _Ctx) -> list[Figure]:
    """"doubled" (+100 %), "tripled" (+200 %), "halved" (-50 %)."""
    out = []
    for m in _MULTIPLIER.finditer(ctx.text):
        prev = ctx.text[max(0, m.start("w") - 5):m.start("w")].lower()
        if prev.endswith(("the ", "in ")):
            continue
        q = "exact"
        start = m.start("w")
        if m.group("h"):
            q = lx.HEDGE_WORDS.get(_squash(m.group("h")), "exact")
            start = m.start("h")
        out.append(Figure(ctx.text[start:m.end("w")], start, m.end("w"),
                          _clean(lx.MULTIPLIER_VERBS[m.group("w").lower()]), "%", "change", q, 1))
    return out


_RATIO_WORDS = re.compile(r"\s+(?:over|out\s+of|in)\s+$", _I)


def _bare_ratio_ends(ctx: _Ctx, a: Numeral, b: Numeral) -> bool:
    """No currency before the first number and no unit after the second:
    "$10000 over 3 years" is no quotient."""
    toks = ctx.toks
    if a.i > 0 and (toks[a.i - 1].text in lx.CURRENCY_SYMBOLS or _code_of(toks[a.i - 1].text)):
        return False
    if b.plain and 1100 <= b.value <= 2100:
        return False  # "5 in 2024"
    if b.j < ctx.n and toks[b.j].kind == "word" and (_unit_phrase(ctx, b.j) or _is_plural_noun(toks[b.j])
                                                      and ctx.text[a.end:b.start].strip().lower() == "over"):
        return False
    return True


def _merge_ratios(ctx: _Ctx, numerals: list[Numeral]) -> list[Numeral]:
    """"one over three" and "2000 over 3" are quotients; "one out of three"
    too when the first number is the smaller ("12 out of 10" is two)."""
    out: list[Numeral] = []
    for num in numerals:
        if out and num.kind == "cardinal" and num.value != 0 and out[-1].kind in ("cardinal", "fraction") \
                and not out[-1].suffix and not num.suffix:
            prev = out[-1]
            between = ctx.text[prev.end:num.start] + " "
            m = _RATIO_WORDS.match(between)
            over = between.strip().lower() == "over"
            if m and m.end() == len(between) and (over or abs(prev.value) < abs(num.value)) \
                    and not ctx.blocked.overlaps(prev.start, num.end) and _bare_ratio_ends(ctx, prev, num):
                out[-1] = Numeral(prev.i, num.j, prev.start, num.end, prev.value / num.value,
                                  min(prev.precision, 0.01), "fraction", words=prev.words or num.words)
                continue
        out.append(num)
    return out


def _share_units(ctx: _Ctx, figs: list[_Fig]) -> None:
    """"45 and 50 mg": the unit after the second number is the first's too."""
    for a, b in zip(figs, figs[1:]):
        if a.unit == "count" and not a.noun and b.unit in _MEASURE_CANON and a.kind == "quantity":
            between = ctx.text[a.end:b.num.start].strip().lower()
            if between == "and":
                a.unit = b.unit


_MEASURE_CANON = frozenset(lx.MEASURE_UNITS.values())
_OR_BETWEEN = re.compile(r"\s*,?\s*(?:or|and)\s*$|\s*\(\s*$", _I)


def _drop_year_words(ctx: _Ctx, figs: list[_Fig]) -> list[_Fig]:
    """"nineteen ninety six": a teen (or "twenty") then a two-digit word
    number is a year said aloud."""
    drop: set[int] = set()
    for idx, (a, b) in enumerate(zip(figs, figs[1:])):
        if a.num.words and b.num.words and a.unit == "count" and b.unit == "count" \
                and 11 <= a.value <= 20 and a.num.j - a.num.i == 1 and 0 <= b.value < 100 \
                and ctx.toks[b.num.i].low in TENS and b.num.i == a.num.j:
            drop.update((idx, idx + 1))
    return [f for k, f in enumerate(figs) if k not in drop]


def _drop_repeats(ctx: _Ctx, figs: list[_Fig]) -> list[_Fig]:
    """"forty-five (45)": the number in brackets repeats the one before."""
    out: list[_Fig] = []
    for f in figs:
        if out and f.value == out[-1].value and f.unit == out[-1].unit:
            between = ctx.text[out[-1].end:f.start]
            if between.strip() == "(" and ctx.text[f.end:f.end + 1] == ")":
                out[-1].end = f.end + 1
                continue
        out.append(f)
    return out


def _a_unit_numerals(toks: list[Tok], text: str) -> list[Numeral]:
    """"a gallon", "a dollar", "a mile": the article counts one. Not after a
    figure, where "a" means "per" ("$70 a barrel", "5 miles a day")."""
    out = []
    for k in range(len(toks) - 1):
        t = toks[k]
        if t.low not in ("a", "an") or toks[k + 1].low not in lx.A_UNIT_WORDS:
            continue
        before = text[max(0, t.start - 12):t.start].rstrip().lower()
        if before[-1:].isdigit() or before.endswith(("%", "cents", "cent", "dollars", "pence", "each")) \
                or before.split(" ")[-1:] and before.split(" ")[-1] in lx.MEASURE_UNITS:
            continue
        out.append(Numeral(k, k + 1, t.start, t.end, 1.0, 1.0, words=True))
    return out


def find_figures(text: str) -> list[Figure]:
    """Every figure in `text`, in order: money, percentages, percentage
    points, points, measures, counts with their noun, bare numbers and
    ranks, each in base units with its hedge and kind."""
    if not text:
        return []
    toks = tokenize(text)
    numerals = find_numerals(toks, text)
    a_units = _a_unit_numerals(toks, text)
    if a_units:
        numerals = sorted(numerals + a_units, key=lambda x: x.start)
    if not numerals and not _MAYBE_MULTIPLIER.search(text):
        return []
    ctx = _Ctx(text, toks, numerals)
    numerals = _merge_ratios(ctx, numerals)
    figs: list[_Fig] = []
    taken = 0
    for num in numerals:
        if num.start < taken:
            continue
        fig = _read_figure(ctx, num, taken)
        if fig is None:
            continue
        if fig.kind != "rank":
            if _skip_bare(ctx, fig) or _skip_counted(ctx, fig) or _drop_year(ctx, fig) or _drop_word_year(ctx, fig):
                continue
        taken = fig.end
        figs.append(fig)
    figs = _drop_year_words(ctx, figs)
    figs = _drop_repeats(ctx, figs)
    _share_units(ctx, figs)
    out: list[Figure] = []
    prev: _Fig | None = None
    for fig in figs:
        _qualify(ctx, fig)
        _fraction_change(ctx, fig)
        if fig.kind != "change":
            _change(ctx, fig)
        if fig.kind == "quantity" and prev is not None and prev.kind == "change" and fig.unit != "count" \
                and _OR_BETWEEN.match(text, prev.end, fig.start):
            fig.kind = "change"
            fig.value = abs(fig.value) * (1 if prev.value >= 0 else -1)
        out.append(_to_figure(ctx, fig))
        prev = fig
    if _MAYBE_MULTIPLIER.search(text):
        taken_spans = [(f.start, f.end) for f in out]
        out.extend(f for f in _multipliers(ctx) if not _overlaps(taken_spans, f.start, f.end))
        out.sort(key=lambda f: f.start)
    return _well_formed(out)


def _well_formed(figures: list[Figure]) -> list[Figure]:
    """Figures a report can carry: a finite value (a 400-digit numeral is
    not a figure anyone states) and no two claiming the same words (a
    hedge grown over the next figure's "more than" yields to it)."""
    out: list[Figure] = []
    for fig in figures:
        if not (math.isfinite(fig.value) and math.isfinite(fig.precision)):
            continue
        if out and fig.start < out[-1].end:
            prev = out[-1]
            trimmed = prev.text[:max(0, fig.start - prev.start)].rstrip()
            if not trimmed:
                continue
            out[-1] = Figure(trimmed, prev.start, prev.start + len(trimmed), prev.value, prev.unit, prev.kind,
                             prev.qualifier, prev.precision)
        out.append(fig)
    return out
