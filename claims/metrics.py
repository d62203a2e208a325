"""What a figure measures: a small synonym table and a similarity that
compares concepts, not spellings.

Writers and sources name the same metric differently ("revenue", "net
sales", "sales"), and a fact's metric carries context the sentence spreads
elsewhere ("China smartphone market share"). Both sides are reduced to
concept tokens; matching asks whether the claim's concepts are in the
fact's, so extra context on the fact side does not hurt and a different
concept (revenue vs. profit) never matches.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

# concept -> phrases that name it (longest phrases are tried first)
CONCEPTS: dict[str, tuple[str, ...]] = {
    "revenue": ("net sales", "sales revenue", "revenues", "revenue", "turnover", "top line", "takings",
                "billings", "bookings"),
    # "sales" is money for a retailer and units for a carmaker: it meets both.
    "sales": ("sales", "sale", "selling", "sold"),
    "profit": ("net profit", "net income", "operating profit", "operating income", "pre-tax profit", "pretax profit",
               "profits", "profit", "earnings", "net loss", "loss", "losses", "ebitda", "bottom line"),
    "share": ("market share", "share of the market", "share of sales", "share"),
    "shipments": ("shipments", "shipped", "deliveries", "delivered", "units sold", "unit sales", "sales volume",
                  "volumes", "registrations", "registered", "production volume"),
    "price": ("share price", "stock price", "shares", "stock", "stocks", "price", "prices", "trading"),
    "market value": ("market capitalisation", "market capitalization", "market cap", "market value", "valuation",
                     "valued"),
    # "points" is a unit, not a metric: "0.3 percentage points", "61 points".
    "score": ("score", "scored", "scores", "rating", "elo", "arena score"),
    # a lead or gap is a difference between two rivals, never their level
    "gap": ("lead", "gap", "margin", "clear", "behind", "ahead", "adrift", "off the top", "off the summit",
            "off the pace", "deficit to"),
    "rank": ("rank", "ranking", "ranked", "place", "position", "spot"),
    "users": ("users", "subscribers", "customers", "members", "accounts", "downloads", "visitors", "viewers",
              "listeners", "readers", "active users"),
    "employees": ("employees", "employed", "employs", "employ", "jobs", "staff", "workforce", "headcount", "workers",
                  "job cuts", "layoffs"),
    "inflation": ("inflation", "consumer prices", "cpi"),
    "unemployment": ("unemployment", "jobless rate", "unemployment rate"),
    "gdp": ("gdp", "gross domestic product", "economic growth", "economy"),
    "interest rate": ("interest rate", "interest rates", "policy rate", "base rate", "benchmark rate"),
    "yield": ("yield", "yields"),
    "debt": ("debt", "borrowing", "borrowings", "liabilities"),
    "deficit": ("deficit", "budget deficit", "shortfall"),
    "spending": ("spending", "expenditure", "outlays", "budget", "investment", "capex", "capital expenditure"),
    "exports": ("exports", "export"),
    "imports": ("imports", "import"),
    "production": ("production", "output", "produced", "capacity", "generation"),
    "emissions": ("emissions", "co2", "carbon dioxide"),
    "population": ("population", "residents", "inhabitants"),
    "votes": ("votes", "vote", "ballots", "vote share", "support", "approval"),
    "poll": ("survey", "poll", "polls", "opinion poll", "voting intention", "polling"),
    "turnout": ("turnout",),
    "seats": ("seats", "mandates"),
    "dividend": ("dividend", "dividends", "payout"),
    "eps": ("earnings per share", "eps"),
    "margin": ("margin", "margins", "gross margin", "operating margin"),
    "funding": ("funding", "raised", "financing", "round"),
    "cost": ("cost", "costs", "spent", "expenses"),
    "temperature": ("temperature", "temperatures"),
}

# Words that say the figure is a change of the metric, not its level.
CHANGE_WORDS = frozenset("""change growth increase decrease rise fall drop decline gain loss jump surge
year-over-year year-on-year yoy qoq mom over on year quarter sequential""".split())

STOPWORDS = frozenset("""a an the of in on at for to from by with and or its their his her this that these those
as per than into over under year years total overall annual quarterly""".split())

_PHRASES = sorted(((p, c) for c, ps in CONCEPTS.items() for p in ps), key=lambda pc: -len(pc[0]))
_PHRASE_RE = re.compile(r"(?<![\w-])(" + "|".join(re.escape(p) for p, _ in _PHRASES) + r")(?![\w-])", re.I)
_CONCEPT_OF = {p: c for p, c in _PHRASES}


@dataclass(frozen=True, slots=True)
class MetricMention:
    text: str
    concept: str
    start: int
    end: int


def find_metric_mentions(text: str) -> list[MetricMention]:
    """Metric phrases in `text`, longest match first at each position.

    "share price" is price, not share: the longer phrase wins because the
    regular expression tries the longest alternatives first.
    """
    return [MetricMention(m.group(1), _CONCEPT_OF[m.group(1).lower()], m.start(1), m.end(1))
            for m in _PHRASE_RE.finditer(text)]


def concepts(text: str) -> set[str]:
    return {m.concept for m in find_metric_mentions(text)}


# Concepts that can name the same measurement: "sales" is revenue or
# volume depending on the unit, which the matcher checks separately.
_OVERLAPS = {"sales": {"revenue", "shipments"}, "revenue": {"sales"}, "shipments": {"sales"}}


def _covered(want: set[str], have: set[str]) -> bool:
    return all(c in have or _OVERLAPS.get(c, set()) & have for c in want)


def context_words(text: str) -> set[str]:
    """The words of a metric that are not a known concept: product and
    market words like "smartphone", "overall", "intraday"."""
    rest = _PHRASE_RE.sub(" ", text.lower())
    return {w for w in re.findall(r"[a-z0-9]+", rest) if w not in STOPWORDS and w not in CHANGE_WORDS}


def is_change_metric(metric: str) -> bool:
    words = set(re.findall(r"[a-z-]+", metric.lower()))
    return bool(words & {"change", "growth", "increase", "decrease", "yoy", "year-over-year", "year-on-year"}) or (
        "over" in words and "year" in words)


def similarity(claim_metric: str | None, fact_metric: str) -> float | None:
    """How well a claim's metric fits a fact's, in [0, 1]; None when the
    claim names no metric we know (the caller decides what that means).

    The claim's concepts must all be in the fact's; the score then grows
    with how much of the remaining wording agrees.
    """
    if not claim_metric:
        return None
    want = concepts(claim_metric)
    have = concepts(fact_metric)
    if not want:
        return None
    if not _covered(want, have):
        return 0.0
    words = fuzz.token_set_ratio(claim_metric.lower(), fact_metric.lower()) / 100.0
    base = 0.75 if want <= have else 0.65  # "sold" is sales first, revenue only by overlap
    return base + 0.25 * words


def qualifier_fit(fact_metric: str, sentence: str) -> float:
    """Share of the fact's qualifying words ("online", "like-for-like",
    "smartphone") that the sentence also uses: plain "sales rose 4%" is
    the revenue fact, not the online-sales one."""
    extra = context_words(fact_metric) - {"change", "rate"}
    if not extra:
        return 1.0
    said = {_stem(w) for w in re.findall(r"[a-z0-9]+", sentence.lower())}
    return sum(1 for w in extra if _stem(w) in said) / len(extra)


_SAME_STEM = {"mean": "aver", "median": "aver", "overall": "tota"}


def _stem(word: str) -> str:
    """A crude stem, the first four letters ("opened" and "openings"), with a
    few words writers swap freely."""
    return _SAME_STEM.get(word, word[:4])


_STEM_STOP = STOPWORDS | CHANGE_WORDS | {"took", "take", "them", "it", "has", "have", "had", "now", "was", "were", "is"}


def _stems(text: str) -> set[str]:
    return {_stem(w) for w in re.findall(r"[a-z]+", text.lower()) if len(w) > 2 and w not in _STEM_STOP}


def stem_fit(context: str, fact_metric: str) -> float:
    """Overlap of word stems between the words around a figure and a fact's
    metric, for claims whose metric is no known concept: "opened 38
    stores" shares "open" and "store" with "store openings", and only
    "store" with "stores"."""
    want, have = _stems(context), _stems(fact_metric)
    if not want or not have:
        return 0.0
    return len(want & have) / len(have)
