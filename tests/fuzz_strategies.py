"""Shared hypothesis strategies and harness for the fuzz tests (tests/test_fuzz_*.py).

Strategies aim deep rather than wide: news sentences are built from a small
grammar (subjects, metrics, change verbs, figures in every notation, periods,
hedges, lists, quotes), source files from real CSV/JSON/ClaimReview shapes
that are then damaged (encodings, truncation, odd quoting, huge fields), and
HTML from a tag grammar. Plain random text and bytes are mixed in so the
shallow paths are covered too.

How many examples each fuzz test runs comes from the hypothesis profile
chosen in tests/conftest.py: "ci" (a few hundred per target, the normal
suite) or "full" (`FACTBOT_FUZZ_EXAMPLES=100000` or `pytest --fuzz-full`).

Known bugs: a fuzz test that meets a bug already pinned by a strict xfail
test records it as a hypothesis event ("known bug: ...") and goes on, so one
known bug does not hide the next. `KNOWN_BUGS` names the xfail test for
each; when the owners fix a bug its xfail test starts passing (XPASS is a
failure under strict), and the entry here is deleted with it.
"""
from __future__ import annotations

import codecs
import contextlib
import csv
import gc
import io
import json
import math
import os
import re
import signal
import string
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st

# --------------------------------------------------------------------------------------------------
# Profiles and example counts

ENV_EXAMPLES = "FACTBOT_FUZZ_EXAMPLES"
FULL_DEFAULT = 100_000
_SUPPRESS = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much,
             HealthCheck.large_base_example]

# Set by tests/conftest.py from --fuzz-full / --fuzz-examples / FACTBOT_FUZZ_EXAMPLES.
_state = {"full": 0, "registered": False}


def register_profiles(full_examples: int = 0) -> str:
    """Register the "ci" and "full" profiles; return the one fuzz tests use.

    `full_examples` > 0 selects "full" with that many inputs per target.
    The profiles are applied to the fuzz tests only (through `fuzz_settings`),
    never loaded globally: the suite's other property tests keep their own
    example counts however the fuzz run is sized.
    """
    _state["full"] = max(0, int(full_examples))
    _state["registered"] = True
    settings.register_profile("ci", deadline=None, derandomize=True, print_blob=True,
                              suppress_health_check=_SUPPRESS)
    settings.register_profile("full", deadline=None, derandomize=False, print_blob=True,
                              max_examples=max(1, _state["full"]), suppress_health_check=_SUPPRESS)
    return active_profile()


def active_profile() -> str:
    return "full" if _state["full"] else "ci"


def full_examples() -> int:
    return _state["full"]


def env_examples() -> int:
    raw = os.environ.get(ENV_EXAMPLES, "").strip()
    if not raw:
        return 0
    try:
        return max(0, int(raw.replace("_", "").replace(",", "")))
    except ValueError:
        raise ValueError(f"{ENV_EXAMPLES}={raw!r} is not a whole number") from None


def fuzz_settings(*, ci: int, share: float = 1.0) -> settings:
    """Settings for one fuzz test: `ci` examples in the normal suite; in the
    full run `share` of the per-target count (the shares of one target's
    tests add up to 1, so a target gets FACTBOT_FUZZ_EXAMPLES inputs in all)."""
    if not _state["registered"]:
        # conftest has not run (a module imported outside pytest): register now.
        register_profiles(env_examples())
    name = active_profile()
    count = max(1, round(_state["full"] * share)) if name == "full" else ci
    return settings(settings.get_profile(name), max_examples=count)


# --------------------------------------------------------------------------------------------------
# Harness: time bounds, one-line messages, known bugs

CALL_BUDGET_S = 2.0
HANG_AFTER_S = 10.0
TALLY: dict[str, int] = {}


def tally(name: str) -> None:
    """Count one input run by fuzz test `name` (conftest prints the counts at the end of a run,
    failures and shrinking included, which hypothesis's own statistics leave out for failed tests)."""
    TALLY[name] = TALLY.get(name, 0) + 1


class Hang(BaseException):
    """A call ran past its time budget. BaseException, so code under test that
    catches Exception (extract_article wraps trafilatura so) cannot swallow it."""


@contextlib.contextmanager
def within(seconds: float = CALL_BUDGET_S, what: str = "call") -> Iterator[None]:
    """Fail (raise Hang) if the block uses more than `seconds` of CPU time, or
    is still running after HANG_AFTER_S of wall time (a real hang: an endless
    loop or a lock that is never released).

    CPU time, not wall time, is held to the budget: the full run puts two
    fuzz processes on two cores, and a neighbour's load must not read as a
    slow input. The cyclic garbage collector is paused for the call, so a
    collection of hypothesis's own (large, long-lived) heap is not charged to
    the code under test. SIGALRM interrupts pure Python and the regex engine
    alike.
    """
    def ring(signum, frame):  # noqa: ARG001
        raise Hang(f"{what} still running after {HANG_AFTER_S:g} s")

    previous = signal.signal(signal.SIGALRM, ring)
    collecting = gc.isenabled()
    gc.disable()
    signal.setitimer(signal.ITIMER_REAL, max(HANG_AFTER_S, seconds))
    started = time.process_time()
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if collecting:
            gc.enable()
    used = time.process_time() - started
    if used > seconds:
        raise Hang(f"{what} took {used:.2f} s of CPU (budget {seconds:g} s)")


def assert_one_line(message: str, what: str = "message") -> None:
    assert message and message.strip(), f"{what} is empty"
    assert "\n" not in message and "\r" not in message, f"{what} is not one line: {message!r}"


def one_line(message: str) -> bool:
    return bool(message.strip()) and "\n" not in message and "\r" not in message


@dataclass(frozen=True)
class KnownBug:
    key: str
    xfail_test: str  # where the bug is pinned
    matches: Callable[[BaseException], bool]


def _raised_in(exc: BaseException, filename_part: str, function: str | None = None) -> bool:
    tb = exc.__traceback__
    found = False
    while tb is not None:
        code = tb.tb_frame.f_code
        if filename_part in code.co_filename and (function is None or code.co_name == function):
            found = True
        tb = tb.tb_next
    return found


def _multiline(pattern: str) -> Callable[[BaseException], bool]:
    rx = re.compile(pattern, re.S)
    return lambda exc: not one_line(str(exc)) and bool(rx.search(str(exc)))


KNOWN_BUGS: list[KnownBug] = [
    # Fixed bugs are deleted from here and kept as regression tests (see README "Robustness").
]


def known_bug(exc: BaseException) -> str | None:
    """The key of the pinned bug `exc` is an instance of, else None. Records a
    hypothesis event so `--hypothesis-show-statistics` counts the hits."""
    for bug in KNOWN_BUGS:
        try:
            hit = bug.matches(exc)
        except Exception:  # a matcher must never turn a report into a different failure
            hit = False
        if hit:
            event(f"known bug: {bug.key}")
            return bug.key
    return None


# --------------------------------------------------------------------------------------------------
# Text pieces

NOISE = st.sampled_from([
    "", " ", "  ", "\n", "\n\n", "\t", "\u00a0", "\u2009", "\u200b", "\u200e", "\u202e", "\ufeff", "\r\n",
    "**", "_", "> ", "- ", "* ", "1. ", "(", ")", "\"", "“", "”", "'", "’", "«", "»", "—", "–", "-", "…",
    "@everyone", "<@123456789012345678>", "<#42>", "https://news.example/a/b?utm_source=x&id=3",
    "www.example.com", "press@example.com", "report-2024.pdf", "555-0199", "+1 (212) 555-0100",
    "iPhone 16", "version 2.3.1", "10.0.0.1", "9:30 a.m.", "on May 4th", "2024-12-31", "12/31/2024",
    "Section 3", "page 12", "1990s", "Covid-19", "G7", "F-35", "A320", "4x4", "½", "¾", "²", "①",
    "😀", "🇬🇧", "e\u0301", "ﬁ", "Ｆｕｌｌ", "١٢٣", "٫", "🤖" * 3, "&amp;", "&#8364;", "<b>", "</b>",
])

FIRST_NAMES = ["Ana", "Wei", "John", "Priya", "Olu", "Marta", "Kenji", "Zoë", "Chloé", "Jürgen"]
LAST_NAMES = ["Smith", "Chen", "García", "Okafor", "Müller", "Tanaka", "O'Brien", "Nguyen", "Kowalski"]
ENTITIES = ["Northwind", "Contoso", "Harbour Line", "Acme Corp.", "Alibaba", "Apple", "Toyota", "BYD",
            "Tesla", "the ministry", "Fabrikam Holdings Ltd.", "Qwen2.5-Max", "Hang Seng", "S&P 500",
            "Nikkei", "the council", "Xiaomi", "Samsung Electronics", "Ørsted", "Nestlé", "Tata Motors"]
METRICS = ["revenue", "net profit", "sales", "market share", "operating margin", "deliveries", "passengers",
           "Greater China net sales", "unemployment rate", "share price", "users", "subscribers", "exports",
           "inflation", "turnover", "debt", "budget", "vote share", "turnout", "output", "emissions"]
CHANGE_UP = ["rose", "rose by", "increased", "increased by", "climbed", "jumped", "grew", "surged", "gained",
             "was up", "edged up", "soared", "rebounded", "advanced"]
CHANGE_DOWN = ["fell", "fell by", "decreased", "decreased by", "dropped", "declined", "slipped", "slumped",
               "was down", "shrank", "tumbled", "plunged", "eased", "contracted"]
LEVEL_VERBS = ["reached", "stood at", "was", "totalled", "totaled", "hit", "came in at", "amounted to",
               "reported", "posted", "recorded", "edged up to", "fell to", "rose to"]
HEDGES = ["", "", "", "nearly ", "about ", "around ", "roughly ", "more than ", "over ", "almost ",
          "at least ", "up to ", "some ", "just under ", "less than ", "an estimated ", "close to "]
PERIODS = ["", "in 2024", "in 2025", "in the first quarter", "in the third quarter of 2024", "in Q3 2024",
           "in Q1", "last year", "this year", "in fiscal 2025", "in FY2024", "in the year to March",
           "year-on-year", "from a year earlier", "in the three months to June", "in January",
           "in the first half", "since 2019", "between 2020 and 2023", "on Tuesday", "in the 2023/24 season",
           "over the past decade", "in H1 2025", "for the quarter ended Dec. 28, 2024"]
SOURCES = ["the company said", "according to the statistics office", "data from Reuters showed",
           "its annual report showed", "the ministry said on Friday", "analysts estimated"]
COUNT_NOUNS = ["units", "vehicles", "people", "subscribers", "passengers", "homes", "jobs", "visitors",
               "employees", "votes", "users", "stores", "cars", "phones", "students", "flights"]
ORDINAL_WORDS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
                 "eleventh", "twelfth", "twentieth", "twenty-first", "hundredth"]

# Money written before the number, and what it is.
MONEY_PREFIX = {"$": "USD", "US$": "USD", "HK$": "HKD", "€": "EUR", "£": "GBP", "C$": "CAD", "A$": "AUD",
                "NT$": "TWD", "S$": "SGD", "USD ": "USD", "EUR ": "EUR", "CNY ": "CNY", "RMB ": "CNY",
                "HKD ": "HKD", "CHF ": "CHF", "¥": "JPY", "₹": "INR"}
MONEY_SUFFIX = {" euros": "EUR", " dollars": "USD", " yuan": "CNY", " yen": "JPY", " pounds": "GBP",
                " ringgit": "MYR", " Swiss francs": "CHF", " rupees": "INR", " won": "KRW",
                " Hong Kong dollars": "HKD"}
SCALE_WORDS = {"": 0, " thousand": 3, " million": 6, " billion": 9, " trillion": 12, "m": 6, "bn": 9,
               " mln": 6, " bln": 9, "k": 3, " crore": 7, " lakh": 5}


@st.composite
def plain_number(draw, *, max_int_digits: int = 6, max_decimals: int = 2, grouping: bool = True) -> str:
    """A decimal as a newsroom writes it: "18.51", "4,200", "0.5", "12"."""
    whole = draw(st.integers(0, 10 ** draw(st.integers(1, max_int_digits)) - 1))
    decimals = draw(st.integers(0, max_decimals))
    text = f"{whole:,}" if grouping and draw(st.booleans()) else str(whole)
    if decimals:
        text += "." + "".join(draw(st.lists(st.sampled_from(string.digits), min_size=decimals,
                                            max_size=decimals)))
    return text


@st.composite
def number_notation(draw) -> str:
    """A number in any notation a text might use, valid or not."""
    return draw(st.one_of(
        plain_number(),
        plain_number(max_int_digits=15, max_decimals=6),
        st.integers(-10**20, 10**20).map(str),
        st.floats(allow_nan=True, allow_infinity=True).map(repr),
        st.floats(allow_nan=False, allow_infinity=False).map(lambda x: f"{x:e}"),
        st.floats(allow_nan=False, allow_infinity=False).map(lambda x: f"{x:,.3f}"),
        st.decimals(allow_nan=False, allow_infinity=False, places=3).map(str),
        st.sampled_from([
            "1 234 567", "1\u202f234", "1.234.567", "1.234,5", "1'234'567", "1,5", "12,34", ",5", "5.", ".5",
            "−7.2", "+3.4", "(2.4)", "0x1F", "1e400", "-1e-400", "NaN", "inf", "Infinity", "１２３", "١٢٣",
            "٣٫٥", "½", "1½", "3/4", "two-thirds", "a dozen", "three and a half million", "twenty-one",
            "one hundred and five", "a quarter", "half a million", "nought point five", "1.5k", "2bn", "£3.4m",
            "$18.51 billion", "17.2%", "1e6", "1E+06", "9" * 40, "0" * 30 + "1", "00012", "-0", "1_000",
        ]),
    ))


@st.composite
def figure_phrase(draw) -> str:
    """A figure as written in news: money, percentages, points, counts, ranks, in many notations."""
    number = draw(st.one_of(plain_number(), number_notation()))
    kind = draw(st.sampled_from(["money_pre", "money_post", "pct", "pp", "count", "points", "rank", "bare",
                                 "words", "multiplier", "bp", "fraction"]))
    scale = draw(st.sampled_from(list(SCALE_WORDS)))
    if kind == "money_pre":
        text = draw(st.sampled_from(list(MONEY_PREFIX))) + number + scale
    elif kind == "money_post":
        text = number + scale + draw(st.sampled_from(list(MONEY_SUFFIX)))
    elif kind == "pct":
        text = number + draw(st.sampled_from(["%", " percent", " per cent", " pct", "pc", " %", "٪"]))
    elif kind == "pp":
        text = number + draw(st.sampled_from([" percentage points", " percentage point", " pp", " pts",
                                              " points"]))
    elif kind == "count":
        text = number + scale + " " + draw(st.sampled_from(COUNT_NOUNS))
    elif kind == "points":
        text = number + " points"
    elif kind == "rank":
        text = draw(st.sampled_from([
            "No. {n}", "number {n}", "{o}", "{o}-largest", "{o} largest", "{o} place", "{d}th", "{d}st", "#{d}",
            "top {d}", "ranked {o}", "the {o}-biggest", "{o}-highest",
        ])).format(n=draw(st.integers(1, 200)), o=draw(st.sampled_from(ORDINAL_WORDS)), d=draw(st.integers(1, 99)))
    elif kind == "words":
        text = draw(st.sampled_from(["two-thirds", "a dozen", "half", "three and a half million",
                                     "twenty-one", "one in five", "a fifth", "a third", "hundreds of",
                                     "tens of thousands of", "a million", "nine out of ten"]))
    elif kind == "multiplier":
        text = draw(st.sampled_from(["doubled", "tripled", "halved", "quadrupled", "twice", "three times"]))
    elif kind == "bp":
        text = number + " basis points"
    elif kind == "fraction":
        text = draw(st.sampled_from(["3/4", "1/2", "2/3", "9 out of 10", "one in four"]))
    else:
        text = number + scale
    return draw(st.sampled_from(HEDGES)) + text


def _sentence_templates() -> list[str]:
    return [
        "{subj}'s {metric} {up} {fig} to {fig2} {period}.",
        "{subj}'s {metric} {down} {fig} {period}, {source}.",
        "{subj} {level} {metric} of {fig} {period}.",
        "{Subj} said {metric} {level} {fig} {period}, {up} {fig2} from a year earlier.",
        "{subj} ranked {ord} in {metric} {period}.",
        "{subj} was the {ord}-largest {noun} in the world {period}.",
        "{subj} topped the list with {fig}, followed by {subj2} with {fig2}.",
        "{subj} and {subj2} posted {metric} of {fig} and {fig2}, respectively.",
        "According to {subj2}, {subj} carried {fig} {period}.",
        "\"{Subj} {level} {fig},\" said {person}, {age}, on Monday.",
        "{metric} {up} {fig} in Europe, {fig2} in Asia and {down} {fig3} in the Americas {period}.",
        "{subj} sold {fig} {noun} {period}, {source}.",
        "{subj}'s {metric} {down} to {fig}, its lowest since {year}.",
        "{subj} expects {metric} of {fig} {period} if demand holds.",
        "{subj}'s share of the market {up} {fig} {period}, giving it {fig2}.",
        "{subj} {level} {fig}, {down} {fig2} {period} and {fig3} below forecasts.",
        "Of the {fig} {noun}, {fig2} were sold by {subj}.",
        "{subj} cut its {metric} forecast by {fig} to {fig2}.",
        "{fig} of {noun} said they trust {subj}, {source}.",
        "{subj} ({fig}) and {subj2} ({fig2}) led the field {period}.",
    ]


TEMPLATES = _sentence_templates()


_FIELDS = {
    "subj": lambda: st.sampled_from(ENTITIES), "subj2": lambda: st.sampled_from(ENTITIES),
    "metric": lambda: st.sampled_from(METRICS),
    "up": lambda: st.sampled_from(CHANGE_UP), "down": lambda: st.sampled_from(CHANGE_DOWN),
    "level": lambda: st.sampled_from(LEVEL_VERBS),
    "fig": figure_phrase, "fig2": figure_phrase, "fig3": figure_phrase,
    "period": lambda: st.sampled_from(PERIODS), "source": lambda: st.sampled_from(SOURCES),
    "ord": lambda: st.sampled_from(ORDINAL_WORDS), "noun": lambda: st.sampled_from(COUNT_NOUNS),
    "person": lambda: st.tuples(st.sampled_from(FIRST_NAMES), st.sampled_from(LAST_NAMES)).map(" ".join),
    "age": lambda: st.integers(18, 99).map(str), "year": lambda: st.integers(1900, 2030).map(str),
}
_TEMPLATE_FIELDS = {t: sorted({f for _, f, _, _ in string.Formatter().parse(t) if f}) for t in TEMPLATES}


@st.composite
def news_sentence(draw) -> str:
    """One sentence from the grammar, figures in every notation; only the
    slots the template uses are drawn (generation speed matters at 100,000)."""
    template = draw(st.sampled_from(TEMPLATES))
    fields = {}
    for name in _TEMPLATE_FIELDS[template]:
        if name == "Subj":
            subj = fields.get("subj") or draw(st.sampled_from(ENTITIES))
            fields["Subj"] = subj[:1].upper() + subj[1:]
        else:
            fields[name] = draw(_FIELDS[name]())
    sentence = template.format(**fields)
    sentence = re.sub(r" +([,.])", r"\1", sentence.replace("  ", " "))
    if draw(st.integers(0, 3)) == 0:  # sprinkle noise between words
        words = sentence.split(" ")
        for _ in range(draw(st.integers(1, 4))):
            at = draw(st.integers(0, len(words)))
            words.insert(at, draw(NOISE))
        sentence = " ".join(words)
    return sentence


@st.composite
def news_article(draw) -> str:
    """Title, optional dateline, paragraphs of grammar sentences mixed with
    random text."""
    parts: list[str] = []
    if draw(st.booleans()):
        parts.append(draw(news_sentence()).rstrip(".") + "\n")
    if draw(st.booleans()):
        parts.append(draw(st.sampled_from(["Published 2025-04-14", "March 5, 2024", "By Ana Smith | 12 Jan 2025",
                                           "Updated: 2023-11-02T08:00:00Z", "Tuesday, 4 February 2025"])) + "\n")
    for _ in range(draw(st.integers(1, 4))):
        sentences = draw(st.lists(st.one_of(news_sentence(), news_sentence(),
                                            st.text(max_size=80)), min_size=1, max_size=5))
        parts.append(" ".join(sentences))
    return draw(st.sampled_from(["\n\n", "\n", " ", "\r\n\r\n"])).join(parts)


any_text = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=300),
    st.lists(st.one_of(st.sampled_from(ENTITIES + METRICS + CHANGE_UP + CHANGE_DOWN + ORDINAL_WORDS),
                       figure_phrase(), number_notation(), NOISE), max_size=40).map(" ".join),
)

claim_text = st.one_of(news_article(), news_article(), news_sentence(), any_text)


# --------------------------------------------------------------------------------------------------
# Round trip: values written by claims.report.format_value

ROUND_TRIP_UNITS = ["USD", "EUR", "GBP", "JPY", "CNY", "HKD", "TWD", "CHF", "CAD", "%", "pp", "points", "rank",
                    "units", "vehicles", "people", "subscribers", "passengers", "homes", "employees", "votes"]


@st.composite
def reportable_value(draw) -> tuple[float, str, str]:
    """(value, unit, qualifier) as a fact or claim holds them, in the ranges
    news uses: money up to 100 trillion, percentages to 10,000, counts to a
    trillion, ranks to 500."""
    unit = draw(st.sampled_from(ROUND_TRIP_UNITS))
    qualifier = draw(st.sampled_from(["exact", "exact", "approx", "over", "under"]))
    if unit == "rank":
        return float(draw(st.integers(1, 500))), unit, qualifier
    digits = draw(st.integers(1, 4))
    mantissa = draw(st.integers(10 ** (digits - 1), 10 ** digits - 1))
    if unit in ("%", "pp", "points"):
        exponent = draw(st.integers(-3, 4 - digits))
    else:
        exponent = draw(st.integers(-2 if unit in ("USD", "EUR", "GBP") else 0, 14 - digits))
    value = float(Decimal(mantissa).scaleb(exponent))
    if unit in ("%", "pp", "USD", "EUR") and draw(st.integers(0, 4)) == 0:
        value = -value
    return value, unit, qualifier


ROUND_TRIP_FRAMES = ["The figure was {} in 2024.", "{}", "Last year it reached {}.", "It stood at {}, the report said."]


# --------------------------------------------------------------------------------------------------
# Source files for the importer

FACT_COLUMNS = ["entity", "metric", "value", "unit", "source", "qualifier", "period", "url", "published",
                "aliases", "note", "region"]
VALID_UNITS = ["USD", "HKD", "CNY", "EUR", "GBP", "TWD", "JPY", "%", "pp", "points", "rank", "units", "people",
               "vehicles", "subscribers", "passengers"]
FAIL_INJECT = "FAIL-INJECT"      # a note the fuzz database's trigger refuses (RAISE ABORT)
FAIL_ROLLBACK = "FAIL-ROLLBACK"  # ... and one that rolls the whole transaction back (RAISE ROLLBACK)

odd_text = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40),
    st.sampled_from(["", " ", "\t", "\"", "\"\"", "'", ",", ";", "|", "||", "a|b||c", "\n", "\r\n", "\\",
                     "=cmd|' /C calc'!A0", "NULL", "None", "null", "N/A", "-", "—", "0", "true",
                     "Ünïcödé", "日本語", "العربية", "עברית", "😀", "e\u0301", "\u200b", "\ufeff", "\u2028"]),
)


@st.composite
def cell_for(draw, column: str) -> str:
    if draw(st.integers(0, 7)) == 0:
        return draw(odd_text)
    if column == "entity":
        return draw(st.sampled_from(ENTITIES + ["Acme", "ACME", "acme", "Acme Inc.", "Zeta", "Ωmega"]))
    if column == "metric":
        return draw(st.sampled_from(METRICS))
    if column == "value":
        return draw(st.one_of(number_notation(), st.integers(-10**15, 10**15).map(str),
                              st.floats(-1e15, 1e15).map(repr)))
    if column == "unit":
        return draw(st.sampled_from(VALID_UNITS + ["usd", "dollars", "percent", "%%", "bn", "Rank", "unit", "kg"]))
    if column == "source":
        return draw(st.sampled_from(["Annual report", "Reuters", "Statistics office", "annual report",
                                     "Company filing 2024"]))
    if column == "qualifier":
        return draw(st.sampled_from(["", "exact", "approx", "over", "under", "EXACT", "about", "≈"]))
    if column == "period":
        return draw(st.sampled_from(["", "2024", "2024 Q3", "FY2025 Q1 (quarter ended 2024-12-28)", "2025-02-13",
                                     "2023/24", "Q5 2024", "H1 2025", "1999-02-30", "next year", "0000"]))
    if column == "url":
        return draw(st.sampled_from(["", "https://example.com/report", "http://x", "ftp://example.com/",
                                     "javascript:alert(1)", "https://", "http://[::1", "https://ex ample.com",
                                     "https://例え.jp/パス"]))
    if column == "published":
        return draw(st.sampled_from(["", "2024-02-29", "2023-02-29", "2024-13-01", "2024-1-1", "yesterday",
                                     "20240101", "2024-01-01T00:00:00Z"]))
    if column == "aliases":
        return "|".join(draw(st.lists(st.sampled_from(ENTITIES + ["", " ", "A.C.M.E."]), max_size=4)))
    if column == "note":
        return draw(st.sampled_from(["", "from p. 4", FAIL_INJECT, FAIL_ROLLBACK, "x" * 300]))
    return draw(odd_text)


@st.composite
def fact_rows(draw, columns: list[str]) -> list[dict[str, str]]:
    rows = draw(st.lists(st.fixed_dictionaries({c: cell_for(c) for c in columns}), max_size=12))
    if rows and draw(st.integers(0, 4)) == 0:  # repeats and near-repeats within the file
        rows.append(dict(draw(st.sampled_from(rows))))
    if rows and draw(st.integers(0, 5)) == 0:
        row = dict(draw(st.sampled_from(rows)))
        if "value" in row:
            row["value"] = draw(plain_number())
        rows.append(row)
    # Facts must rarely hit the injected failure, or failed imports would crowd out the rest.
    for row in rows:
        if row.get("note") in (FAIL_INJECT, FAIL_ROLLBACK) and draw(st.integers(0, 3)):
            row["note"] = ""
    return rows


@st.composite
def header_columns(draw) -> list[str]:
    columns = list(FACT_COLUMNS[:5])
    columns += draw(st.lists(st.sampled_from(FACT_COLUMNS[5:]), unique=True, max_size=7))
    if draw(st.integers(0, 5)) == 0:
        columns.remove(draw(st.sampled_from(columns)))  # a required column missing
    if draw(st.integers(0, 5)) == 0:
        columns.append(draw(st.sampled_from(["extra", "Comment", "", "value", "ENTITY", " unit ", "\ufeffentity"])))
    return draw(st.permutations(columns))


def _case(draw, name: str) -> str:
    return draw(st.sampled_from([name, name.upper(), name.title(), f" {name} ", name]))


ENCODINGS = ["utf-8", "utf-8", "utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1252", "latin-1", "shift_jis",
             "gb18030", "koi8-r", "mac_roman", "utf-32"]


@st.composite
def damaged(draw, data: bytes) -> bytes:
    """Truncate, splice garbage into, or leave `data` alone."""
    how = draw(st.sampled_from(["none", "none", "none", "truncate", "splice", "garbage_tail", "nul"]))
    if how == "truncate" and data:
        return data[: draw(st.integers(0, len(data)))]
    if how == "splice" and data:
        at = draw(st.integers(0, len(data)))
        return data[:at] + draw(st.binary(max_size=16)) + data[at:]
    if how == "garbage_tail":
        return data + draw(st.binary(max_size=64))
    if how == "nul" and data:
        at = draw(st.integers(0, len(data)))
        return data[:at] + b"\0" + data[at:]
    return data


def _encode(text: str, encoding: str) -> bytes:
    return text.encode(encoding, errors="replace" if encoding not in ("utf-16", "utf-32") else "surrogatepass")


@st.composite
def csv_file(draw) -> tuple[str, bytes]:
    columns = draw(header_columns())
    rows = draw(fact_rows([c.strip().casefold() for c in columns]))
    delimiter = draw(st.sampled_from([",", ",", ";", "\t", "|"]))
    quoting = draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC, "none", "broken"]))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r", "\n"]))
    header = [_case(draw, c) for c in columns]
    if quoting in ("none", "broken"):
        def line(cells: list[str]) -> str:
            out = delimiter.join(cells)
            if quoting == "broken" and draw(st.integers(0, 2)) == 0:
                at = draw(st.integers(0, len(out)))
                out = out[:at] + "\"" + out[at:]
            return out
        lines = [line(header)] + [line([str(r.get(c.strip().casefold(), "")) for c in columns]) for r in rows]
        text = newline.join(lines) + draw(st.sampled_from(["", newline]))
    else:
        buf = io.StringIO()
        writer = csv.writer(buf, delimiter=delimiter, quoting=quoting, lineterminator=newline)
        writer.writerow(header)
        for r in rows:
            cells = [r.get(c.strip().casefold(), "") for c in columns]
            if draw(st.integers(0, 8)) == 0:
                cells = cells[: draw(st.integers(0, len(cells)))]  # missing fields
            if draw(st.integers(0, 8)) == 0:
                cells = cells + draw(st.lists(odd_text, min_size=1, max_size=3))  # extra fields
            writer.writerow(cells)
        text = buf.getvalue()
    if draw(st.integers(0, 15)) == 0:  # a huge field: over csv's 128 kB field limit, or just under it
        size = draw(st.sampled_from([1000, 131_000, 140_000]))
        text = text.replace(newline, newline + "x" * size, 1) if draw(st.booleans()) else text + "x" * size
    if draw(st.integers(0, 10)) == 0:
        text = "\n" * draw(st.integers(1, 3)) + text  # blank lines before the header
    data = _encode(text, draw(st.sampled_from(ENCODINGS)))
    name = draw(st.sampled_from(["facts.csv", "facts.CSV", "facts.txt", "facts", "facts.tsv", "facts.json"]))
    return name, draw(damaged(data))


json_scalar = st.one_of(
    st.none(), st.booleans(), st.integers(-10**18, 10**18), st.floats(allow_nan=False, allow_infinity=False),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=30), number_notation(),
)
_no_surrogates = st.characters(exclude_categories=["Cs"])
json_value = st.recursive(json_scalar, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(_no_surrogates, max_size=8), inner, max_size=4)),
    max_leaves=12)


@st.composite
def jsonl_file(draw) -> tuple[str, bytes]:
    lines: list[str] = []
    for _ in range(draw(st.integers(0, 10))):
        shape = draw(st.sampled_from(["fact", "fact", "fact", "odd", "broken", "blank", "scalar", "list",
                                      "raw"]))
        if shape in ("fact", "odd"):
            keys = draw(st.lists(st.sampled_from(FACT_COLUMNS), unique=True, min_size=3, max_size=12))
            obj: dict = {}
            for key in keys:
                shown = _case(draw, key) if draw(st.integers(0, 5)) == 0 else key
                if shape == "odd" or draw(st.integers(0, 6)) == 0:
                    obj[shown] = draw(json_value)
                elif key == "value" and draw(st.booleans()):
                    obj[shown] = draw(st.one_of(st.integers(-10**15, 10**15), st.floats(-1e15, 1e15)))
                elif key == "aliases" and draw(st.booleans()):
                    obj[shown] = draw(st.lists(st.sampled_from(ENTITIES), max_size=3))
                else:
                    obj[shown] = draw(cell_for(key))
            line = json.dumps(obj, ensure_ascii=draw(st.booleans()))
            if shape == "odd" and draw(st.integers(0, 4)) == 0:
                line = line.replace("1", "1" * draw(st.integers(2, 30)), 1)  # long numbers
        elif shape == "raw":  # what json.dumps never writes: escapes, nesting and numbers as they come
            piece = draw(st.sampled_from(["escape", "nested", "number"]))
            if piece == "escape":
                cell = "".join(draw(st.lists(st.sampled_from(["\\ud800", "\\udfff", "\\u0000", "\\u2028",
                                                              "\\ud83d\\ude00", "\\n", "x", "\\\"", "\\t"]),
                                             min_size=1, max_size=4)))
                key = draw(st.sampled_from(FACT_COLUMNS))
                line = ('{"entity": "Zeta", "metric": "revenue", "value": 1, "unit": "USD", "source": "Fuzz", '
                        f'"{key}": "{cell}"}}')
            elif piece == "nested":
                depth = draw(st.sampled_from([1, 10, 100, 900, 1100, 5000]))
                line = ('{"entity": "Zeta", "metric": "revenue", "unit": "USD", "source": "Fuzz", "value": '
                        + "[" * depth + "1" + "]" * depth + "}")
            else:
                digits = draw(st.sampled_from([1, 20, 300, 310, 4300, 4400]))
                line = ('{"entity": "Zeta", "metric": "revenue", "unit": "USD", "source": "Fuzz", "value": '
                        + draw(st.sampled_from(["", "-"])) + "9" * digits
                        + draw(st.sampled_from(["", ".5", "e5", "e400", "e-400"])) + "}")
        elif shape == "broken":
            line = json.dumps({"entity": "Acme", "value": 1})[: draw(st.integers(0, 20))]
        elif shape == "blank":
            line = draw(st.sampled_from(["", " ", "\t", "\ufeff"]))
        elif shape == "scalar":
            line = json.dumps(draw(json_scalar))
        else:
            line = json.dumps(draw(st.lists(json_scalar, max_size=3)))
        lines.append(line)
    text = draw(st.sampled_from(["\n", "\r\n"])).join(lines)
    data = _encode(text, draw(st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "utf-16", "cp1252"])))
    name = draw(st.sampled_from(["facts.jsonl", "facts.ndjson", "facts.json", "facts.txt", "facts.csv"]))
    return name, draw(damaged(data))


@st.composite
def claim_review(draw) -> dict:
    item: dict = {}
    if draw(st.integers(0, 5)):
        item["@type"] = draw(st.sampled_from(["ClaimReview", "schema:ClaimReview", "https://schema.org/ClaimReview",
                                              ["ClaimReview", "Thing"], "Review", "claimreview"]))
    if draw(st.integers(0, 3)):
        item["@context"] = draw(st.sampled_from(["https://schema.org", "http://schema.org/", {"@vocab": "x"}]))
    if draw(st.integers(0, 6)):
        item["claimReviewed"] = draw(st.one_of(st.sampled_from(
            ["Harbour Line carried 12.4 million passengers in 2024.", "Revenue rose 8% to 1.92 billion euros.",
             "", "  "]), json_value))
    if draw(st.integers(0, 3)):
        verdict = draw(st.sampled_from(["supported", "contradicted", "unverified", "disputed", "False", None]))
        rating: object = {"@type": "Rating", "alternateName": verdict,
                          "ratingValue": draw(st.one_of(st.integers(1, 4), st.sampled_from(["1", "", None]),
                                                        json_value)),
                          "worstRating": 1, "bestRating": 4}
        if draw(st.integers(0, 5)) == 0:
            rating = draw(st.one_of(json_value, st.just([rating])))
        item["reviewRating"] = rating
    if draw(st.integers(0, 3)):
        reviewed: object = {"@type": "Claim", "author": draw(st.one_of(
            st.sampled_from([{"@type": "Organization", "name": "Harbour Times"}, "Harbour Times",
                             [{"name": "A"}, {"name": "B"}], None]), json_value)),
            "datePublished": draw(st.sampled_from(["2025-04-14", "2025-04-14T10:00:00Z", "14/04/2025", "", None,
                                                   "2025-02-30", "9999-99-99", "2025-04-14T25:00:00"])),
            "appearance": {"url": "https://news.example/a"}}
        if draw(st.integers(0, 6)) == 0:
            reviewed = draw(json_value)
        item["itemReviewed"] = reviewed
    if draw(st.integers(0, 2)):
        item["author"] = draw(st.one_of(st.just({"@type": "Organization", "name": "factbot"}), json_value))
    if draw(st.integers(0, 2)):
        item["datePublished"] = draw(st.one_of(st.sampled_from(["2025-04-20", "2025-04-20T08:00:00+02:00", "",
                                                                "April 20"]), json_value))
    if draw(st.integers(0, 2)):
        item["url"] = draw(st.sampled_from(["https://factbot.example/r/1", "https://factbot.example/r/2",
                                            "not a url", "", "ftp://x/"]))
    return item


@st.composite
def claimreview_file(draw) -> tuple[str, bytes]:
    items = draw(st.lists(claim_review(), max_size=6))
    shape = draw(st.sampled_from(["list", "list", "single", "graph", "nested"]))
    if shape == "single" and items:
        doc: object = items[0]
    elif shape == "graph":
        doc = {"@context": "https://schema.org", "@graph": items}
    elif shape == "nested":
        doc = [{"@context": "https://schema.org", "@graph": items[: len(items) // 2]}, *items[len(items) // 2:]]
    else:
        doc = items
    text = json.dumps(doc, ensure_ascii=draw(st.booleans()), indent=draw(st.sampled_from([None, 1, 2, "\t"])))
    if draw(st.integers(0, 9)) == 0:  # an escape json.dumps never writes, inside a string
        text = text.replace("Harbour", "Harbour" + draw(st.sampled_from(["\\ud800", "\\u0000", "\\n"])), 1)
    data = _encode(text, draw(st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "utf-16"])))
    name = draw(st.sampled_from(["reviews.jsonld", "reviews.json", "reviews.txt", "reviews.jsonl"]))
    return name, draw(damaged(data))


@st.composite
def random_file(draw) -> tuple[str, bytes]:
    name = draw(st.sampled_from(["facts.csv", "facts.jsonl", "facts.json", "facts.jsonld", "facts", "facts.xlsx"]))
    data = draw(st.one_of(
        st.binary(max_size=400),
        st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass")),
        st.sampled_from([b"", b" \n", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff\x00", b"{", b"[", b"[]", b"{}",
                         b"null", b"\"entity\"", b"entity,metric,value,unit,source", b"PK\x03\x04",
                         b"entity;metric;value;unit;source\n\"A;m;1;USD;s", b"{\"@type\": \"ClaimReview\"}"]),
    ))
    return name, data


source_file = st.one_of(csv_file(), csv_file(), jsonl_file(), claimreview_file(), random_file())


# --------------------------------------------------------------------------------------------------
# Configuration

toml_key = st.one_of(st.sampled_from(["path", "max_claims", "max_bytes", "timeout_seconds", "allow_hosts",
                                      "content_types", "newsroom", "min_confidence", "reply_style", "x"]),
                     st.text(_no_surrogates, min_size=1, max_size=10))


def schema_value(expected, default):
    """A value of the declared type, near the edges of what is valid."""
    types = expected if isinstance(expected, tuple) else (expected,)
    options = []
    if bool in types:
        options.append(st.booleans())
    if int in types:
        options.append(st.one_of(st.integers(-3, 12), st.integers(-2**63, 2**63 - 1), st.just(default)
                                 if isinstance(default, int) and not isinstance(default, bool) else st.integers()))
    if float in types:
        options.append(st.floats(allow_nan=True, allow_infinity=True))
    if str in types:
        options.append(st.one_of(st.just(default) if isinstance(default, str) else st.text(_no_surrogates, max_size=5),
                                 st.sampled_from(["", " ", "full", "compact", "off", "on", "quiet",
                                                  "https://news.example", "ftp://x", "factbot.db", "\n"]),
                                 st.text(_no_surrogates, max_size=20)))
    if list in types:
        item = st.one_of(st.sampled_from(["text/html", "text/plain", "application/xhtml+xml", "127.0.0.1",
                                          "10.0.0.0/8", "::1", "example.com", "news.example.", "1.2.3.4/33",
                                          "0x7f.1", "a..b", "*", "", " ", "Moderators"]),
                         st.integers(-5, 2**64), st.text(_no_surrogates, max_size=12), st.booleans(), st.floats())
        options.append(st.lists(item, max_size=4))
    return st.one_of(*options)


@st.composite
def config_dict(draw, *, valid_types: bool = True) -> dict:
    """A bot.toml as a dict: known sections and keys with values of their
    declared types (or any type), plus unknown ones now and then."""
    from bot.config import SCHEMA

    raw: dict = {}
    for section in draw(st.lists(st.sampled_from(list(SCHEMA)), unique=True, max_size=len(SCHEMA))):
        table: dict = {}
        for key in draw(st.lists(st.sampled_from(list(SCHEMA[section])), unique=True,
                                 max_size=len(SCHEMA[section]))):
            expected, default = SCHEMA[section][key]
            table[key] = draw(schema_value(expected, default)) if valid_types or draw(st.booleans()) \
                else draw(json_value)
        raw[section] = table
    if draw(st.integers(0, 6)) == 0:
        raw[draw(toml_key)] = draw(st.one_of(st.dictionaries(toml_key, json_scalar, max_size=2), json_scalar))
    if raw and draw(st.integers(0, 6)) == 0:
        section = draw(st.sampled_from(sorted(raw, key=str)))
        if isinstance(raw[section], dict):
            raw[section][draw(toml_key)] = draw(json_scalar)
    return raw


def toml_string(s: str) -> str:
    out = ['"']
    for ch in s:
        code = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\u{code:04x}")
        elif 0xD800 <= code <= 0xDFFF:
            raise ValueError("TOML cannot hold a lone surrogate")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, list):  # TOML has no null: None items are left out
        return "[" + ", ".join(toml_value(v) for v in value if v is not None) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{toml_string(str(k))} = {toml_value(v)}" for k, v in value.items()
                               if v is not None) + "}"
    if value is None:
        raise ValueError("TOML has no null")
    raise TypeError(type(value))


def to_toml(raw: dict) -> str:
    """Write a dict as TOML (tables for dict sections, keys quoted)."""
    top = [f"{toml_string(str(k))} = {toml_value(v)}" for k, v in raw.items()
           if not isinstance(v, dict) and v is not None]
    tables = [f"[{toml_string(str(k))}]\n" + "".join(f"{toml_string(str(key))} = {toml_value(val)}\n"
                                                    for key, val in v.items() if val is not None)
              for k, v in raw.items() if isinstance(v, dict)]
    return "\n".join(top) + ("\n" if top else "") + "\n".join(tables)


def toml_representable(value) -> bool:
    try:
        toml_value(value) if not isinstance(value, dict) else to_toml(value)
    except (ValueError, TypeError):
        return False
    return True


toml_text = st.one_of(
    st.text(max_size=200),
    st.lists(st.sampled_from([
        "[fetch]", "[database]", "[discord]", "[review]", "[autoscan]", "[check]", "[[fetch]]", "[fetch.x]",
        "path = \"f.db\"", "max_claims = 0", "max_claims = 5", "timeout_seconds = nan", "timeout_seconds = inf",
        "timeout_seconds = -0.0", "timeout_seconds = 1e-300", "max_bytes = 9223372036854775807",
        "max_bytes = 0x10", "allow_hosts = [\"127.0.0.1\", 5]", "allow_hosts = \"x\"", "content_types = []",
        "content_types = [\"text/html\", \"image/*\"]", "newsroom = \"\"", "newsroom_url = \"ftp://x\"",
        "min_confidence = 1.5", "reply_style = \"compact\"", "default_mode = \"loud\"", "x = 1",
        "\"a\\nb\" = 1", "path = 1979-05-27", "path = 07:32:00", "dev_guild_id = -1", "shard_count = 2",
        "auto_shard = true", "moderator_roles = [0, \"\", \"Mods\", 12]", "a.b.c = 1", "= 1", "key = ",
        "key = \"unterminated", "'''", "[", "]", "#comment", "path = '''multi\nline'''", "\ufeff",
        "max_links = 11", "check_workers = 0", "enabled = \"yes\"", "user_cooldown_seconds = nan",
    ]), max_size=12).map("\n".join),
    config_dict().filter(toml_representable).map(to_toml),
    config_dict(valid_types=False).filter(toml_representable).map(to_toml),
)


# --------------------------------------------------------------------------------------------------
# HTML

TAGS = ["p", "div", "span", "article", "section", "main", "nav", "aside", "header", "footer", "h1", "h2", "ul",
        "li", "table", "tr", "td", "a", "b", "i", "em", "strong", "blockquote", "figure", "figcaption", "script",
        "style", "noscript", "iframe", "form", "br", "hr", "img", "svg", "math", "template", "pre", "code",
        "time", "button", "select", "option", "textarea", "title", "meta", "html", "body", "head", "frameset"]
ATTRS = ["class", "id", "href", "src", "style", "hidden", "aria-hidden", "itemprop", "datetime", "lang", "dir",
         "onclick", "content", "property", "name", "rel", "charset"]


def _attr_value(draw) -> str:
    return draw(st.one_of(st.sampled_from(["article", "content", "nav", "ad", "comments", "related", "footer",
                                           "headline", "articleBody", "datePublished", "2024-03-05",
                                           "javascript:alert(1)", "https://news.example/x", "display:none",
                                           "rtl", "\"", "'", "<", ">", "&", "&amp;", ""]),
                          st.text(max_size=12)))


_HTML_SNIPPETS = st.sampled_from([
    "&nbsp;", "&amp;", "&lt;p&gt;", "&#x1F600;", "&#0;", "&#xD800;", "&#1114112;", "&bogus;", "&", "<!-- c -->",
    "<![CDATA[ x ]]>", "<?php echo 1; ?>", "</p>", "<p", "<", ">", "\x00", "\x0b", "Subscribe now", "Related stories",
    "Advertisement", "Read more", "© 2019 The Example Gazette", "Share this article", "7,654 comments",
    "Sign in to continue reading", "Please enable JavaScript", "Top 10 reasons", "skeptic_42: fake!",
])


@st.composite
def html_text(draw) -> str:
    branch = draw(st.integers(0, 5))
    if branch == 0:
        text = draw(news_sentence())
    elif branch == 1:
        text = draw(st.text(max_size=40))
    elif branch == 2:
        text = draw(NOISE)
    else:
        text = draw(_HTML_SNIPPETS)
    return text


def _element(draw, children: list[str]) -> str:
    tag = draw(st.sampled_from(TAGS))
    attrs = "".join(
        f" {name}" + draw(st.sampled_from(["", "=", "=\"{v}\"", "='{v}'", "={v}"])).format(v=_attr_value(draw))
        for name in draw(st.lists(st.sampled_from(ATTRS), max_size=3)))
    inner = "".join(children)
    close = draw(st.sampled_from([f"</{tag}>", f"</{tag}>", f"</{tag}>", "", f"</{tag.upper()}>", "</div>"]))
    return f"<{tag}{attrs}>{inner}{close}"


@st.composite
def html_fragment(draw, depth: int = 0) -> str:
    if depth > 3 or draw(st.integers(0, 2)) == 0:
        return draw(html_text())
    children = draw(st.lists(html_fragment(depth + 1), max_size=3))
    return _element(draw, children)


@st.composite
def html_document(draw) -> str:
    head: list[str] = []
    if draw(st.booleans()):
        head.append(f"<title>{draw(html_text())}</title>")
    for _ in range(draw(st.integers(0, 4))):
        head.append(draw(st.sampled_from([
            '<meta charset="{v}">', '<meta property="og:title" content="{v}">',
            '<meta property="article:published_time" content="{v}">', '<meta name="date" content="{v}">',
            '<meta property="og:site_name" content="{v}">', '<link rel="canonical" href="{v}">',
            '<meta property="og:url" content="{v}">', '<meta name="author" content="{v}">',
            '<script type="application/ld+json">{{"@type": "NewsArticle", "datePublished": "{v}"}}</script>',
        ])).format(v=draw(st.sampled_from([
            "2024-03-05", "2024-03-05T10:00:00+01:00", "99999-01-01", "0000-00-00", "2024-02-30", "yesterday",
            "utf-8", "windows-1252", "rot13", "The Example Gazette", "https://gazette.example/news/x",
            "/relative/path", "http://[::1", "javascript:alert(1)", "//cdn.example/x", "", "\"><script>",
        ]))))
    body_parts = [draw(html_fragment()) for _ in range(draw(st.integers(0, 4)))]
    if draw(st.booleans()):  # a real article body somewhere, so extraction has something to find
        paragraphs = draw(st.lists(news_sentence(), min_size=2, max_size=6))
        body_parts.insert(draw(st.integers(0, len(body_parts))),
                          "<article>" + "".join(f"<p>{p}</p>" for p in paragraphs) + "</article>")
    if draw(st.integers(0, 10)) == 0:  # deep nesting
        depth = draw(st.integers(50, 600))
        body_parts.append("<div>" * depth + draw(news_sentence()) + "</div>" * depth)
    if draw(st.integers(0, 15)) == 0:  # a long page
        body_parts.append("<p>" + draw(news_sentence()) * draw(st.integers(50, 400)) + "</p>")
    doctype = draw(st.sampled_from(["<!DOCTYPE html>", "", "<?xml version='1.0'?>", "<!doctype html5>"]))
    return (f"{doctype}<html><head>{''.join(head)}</head><body>{''.join(body_parts)}</body></html>"
            if draw(st.integers(0, 5)) else "".join(head + body_parts))


html_input = st.one_of(html_document(), html_document(), html_document(), st.text(max_size=400),
                       news_article())

CHARSET_LABELS = st.one_of(
    st.none(),
    st.sampled_from(["utf-8", "UTF-8", "utf8", "iso-8859-1", "latin1", "windows-1252", "shift_jis", "sjis", "gbk",
                     "gb2312", "big5", "euc-kr", "koi8-r", "utf-16", "utf-16le", "utf-16be", "utf-32", "ascii",
                     "us-ascii", "x-unknown", "", " ", "\"utf-8\"", "'latin1'", "utf-7", "cp1006", "mac-roman",
                     "hz", "iso-2022-jp", "euc-jp", "tis-620", "x-user-defined"]),
    st.text(alphabet=string.ascii_letters + string.digits + "-_.:", max_size=12),
)

# Python codecs that are not text encodings: a page or server may name them.
PY_CODEC_LABELS = ["rot13", "hex", "base64", "zlib", "bz2", "uu", "quopri", "undefined", "unicode_escape",
                   "raw_unicode_escape", "idna", "punycode", "palmos", "mbcs"]


def codec_ok(name: str) -> bool:
    try:
        codecs.lookup(name)
    except LookupError:
        return False
    return True
