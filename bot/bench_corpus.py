"""Synthetic material for `factbot bench`: labelled news sentences, a fact
database and an article about it.

Everything is generated from code with fixed seeds, so two runs (and two
machines) measure the same work, and nothing depends on a corpus file that
could drift or be tuned. Three generators:

* `labelled_sentences(n)` — news-style sentences from ~45 templates, each
  with the figures a careful reader would list (value in base units, unit,
  kind). The labels come from the same numbers the text was formatted
  from, so they are right by construction, not by what any reader found.
* `entity_name(i)` / `entity_facts(i)` / `build_fact_db(path, n)` — about
  10 facts per entity, derived from the entity's index alone: entity 7 has
  the same name and facts in a database of 10^3 facts as in one of 10^6,
  which is what lets one article be checked against every size.
* `make_article()` — a ~1,500-word article with ~40 figures about entities
  that exist at every size, some stated wrongly, plus unknown companies and
  a misspelt name, with the verdict each claim should get.
"""
from __future__ import annotations

import logging
import random
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from claims import lexicon as lx
from claims.periods import parse_period
from sources.db import open_db
from sources.normalize import norm_alias, norm_metric, norm_period

log = logging.getLogger(__name__)

# ==================================================================================================
# Labelled sentences


@dataclass(frozen=True, slots=True)
class Expected:
    """One figure a sentence states: `value` in base units, signed when
    `kind` is "change"; `unit` as `claims.figures` names units (ISO code,
    "%", "pp", "points", "rank", a canonical measure, or the counted noun);
    `quote` is the number as written (without its hedge)."""

    value: float
    unit: str
    kind: str
    quote: str


@dataclass(frozen=True, slots=True)
class LabelledSentence:
    template: int
    text: str
    figures: tuple[Expected, ...]


_ENTITIES = ("Xiaomi", "BYD", "Tesla", "Alibaba", "Siemens", "Unilever", "Toyota", "Samsung Electronics", "HSBC",
             "Nvidia", "Meituan", "Rio Tinto", "Nestle", "Infosys", "Petrobras", "Volkswagen", "Sony", "Tencent",
             "Airbus", "Maersk", "Lenovo", "Reliance Industries", "Shopify", "Zalando", "Ryanair", "Baidu",
             "Hyundai Motor", "TSMC", "Foxconn", "Ping An", "Carrefour", "Anglo American", "Iberdrola", "Naspers")
_PLACES = ("China", "Europe", "India", "Hong Kong", "Brazil", "Japan", "Germany", "Indonesia", "Mexico", "Australia")
_SOURCES = ("IDC", "Canalys", "Counterpoint Research", "the statistics bureau", "S&P Global", "the industry group")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
_QUARTERS = ("first", "second", "third", "fourth")
_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")
_SMALL_WORDS = ("two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve")
_HEDGES = ("nearly ", "more than ", "about ", "almost ", "roughly ", "over ", "some ", "around ")

# (prefix, suffix, ISO code, weight): dollars dominate business news
_CURRENCIES = (("$", "", "USD", 6), ("US$", "", "USD", 1), ("HK$", "", "HKD", 1), ("NT$", "", "TWD", 1),
               ("S$", "", "SGD", 1), ("A$", "", "AUD", 1), ("€", "", "EUR", 3), ("£", "", "GBP", 2),
               ("", " yuan", "CNY", 2), ("", " yen", "JPY", 1), ("", " euros", "EUR", 1), ("", " won", "KRW", 1))
_CURRENCY_WEIGHTS = tuple(c[3] for c in _CURRENCIES)
# Counted nouns whose numbers are small ("14 countries") rather than large
_SMALL_NOUNS = frozenset({"countries", "stores", "factories", "plants", "markets", "airports"})
# canonical measure -> ways news writes it
_MEASURES = {
    "kilometer": ("kilometres", "km", "kilometers"), "gigawatt": ("gigawatts", "GW"), "megawatt": ("megawatts", "MW"),
    "tonne": ("tonnes", "metric tons"), "barrel": ("barrels",), "square meter": ("square metres", "square meters"),
    "degree celsius": ("degrees Celsius",), "hectare": ("hectares",), "mile": ("miles",),
}
assert set(_MEASURES) <= set(lx.MEASURE_UNITS.values()), "bench measures must be canonical unit names"

# The sentences. Slots: {money}, {price}, {pct}, {pp}, {points}, {count:NOUN}, {measure:UNIT}, {rank},
# {rank:adj}; changes {chg_pct:+|-}, {chg_pp:+|-}, {chg_money:+|-}, {chg_points:+|-}, {chg_count:+|-:NOUN};
# context that holds no figure: {entity}, {entity2}, {place}, {source}, {year}, {date}, {weekday},
# {month}, {quarter}, {fy}.
TEMPLATES: tuple[str, ...] = (
    "{entity}'s revenue rose {chg_pct:+} to {money} in {year}, the company said on {weekday}.",
    "Net profit fell {chg_pct:-} to {money} in the {quarter} quarter, missing analysts' forecasts.",
    "{entity} sold {count:vehicles} in {year}, a jump of {chg_pct:+} from the year before.",
    "{entity} ranked {rank} in the global smartphone market with a share of {pct}, according to {source}.",
    "Shares of {entity} closed down {chg_pct:-} at {price} in Hong Kong on {weekday}.",
    "The benchmark index gained {chg_points:+}, or {chg_pct:+}, to close at {points}.",
    "{entity} employs {count:people} in {count:countries}, its annual report shows.",
    "Unemployment edged down {chg_pp:-} to {pct} in {month}, the statistics office said.",
    "{entity} plans to cut {count:jobs} by {year}, or {pct} of its workforce.",
    "Operating margin widened by {chg_pp:+} to {pct} in {fy}.",
    "The company shipped {count:smartphones} in the {quarter} quarter, up {chg_pct:+} year on year, {source} said.",
    "{entity} agreed to buy {entity2} for {money}, a premium of {pct} to its last closing price.",
    "The wind farm will add {measure:gigawatt} of capacity at a cost of {money}.",
    "{entity} produced {measure:barrel} of crude oil in {year}, {chg_pct:+} more than a year earlier.",
    "The new rail line runs {measure:kilometer} and cost {money} to build.",
    "{entity} came {rank} in the annual brand ranking, behind {entity2}, with {count:users}.",
    "The operator added {count:subscribers} in the {quarter} quarter, taking its total to {count:subscribers}.",
    "Inflation slowed to {pct} in {month} from {pct} a month earlier.",
    "The central bank raised its policy rate by {chg_pp:+} to {pct} on {date}.",
    "{entity}'s market value topped {money} for the first time on {weekday}.",
    "{pct} of respondents said prices were too high, according to the survey of {count:adults}.",
    "The board approved a final dividend of {price} a share, payable on {date}.",
    "Sales in {place} slumped {chg_pct:-} to {money}, while sales in Europe climbed {chg_pct:+}.",
    "The fund raised {money} from {count:investors} in its latest round.",
    "Home prices fell {chg_pct:-} over the year, the steepest drop since {year}.",
    "{entity} was the {rank:adj}-largest seller of electric cars in {year}.",
    "Exports to the United States dropped {chg_pct:-} to {money} in {month}, customs data showed.",
    "Deliveries reached {count:cars} in the {quarter} quarter, beating the {count:cars} analysts had expected.",
    "Average daily ridership hit {count:passengers}, {chg_pct:+} higher than before the pandemic.",
    "{entity} will invest {money} in new factories by {year}, creating {count:jobs}.",
    "The chain now has {count:stores} in {count:countries} after opening {count:stores} last year.",
    "Tickets cost {price} each, and {count:people} attended the opening weekend.",
    "Turnout was {pct}, down from {pct} at the previous election in {year}.",
    "{entity}'s model scored {points} on the leaderboard, ranking {rank} overall.",
    "Temperatures reached {measure:degree celsius} in {place} on {date}, a record for {month}.",
    "The factory covers {measure:square meter} and employs {count:workers}.",
    "Net debt was cut by {chg_money:-} to {money} at the end of {fy}.",
    "Revenue per user was {price}, {chg_pct:+} more than a year earlier.",
    "{count:people} visited the fair, organisers said on {weekday}.",
    "{entity} lost {count:customers} in {year} and its market share fell {chg_pp:-} to {pct}.",
    "The airline carried {count:passengers} in {month}, {chg_pct:+} more than in the same month last year.",
    "{entity} raised its full-year revenue forecast to {money}, from {money} previously.",
    "Coffee consumption in {place} reached {measure:tonne} in {year}, up {chg_pct:+}.",
    "The index has fallen {chg_points:-} since {month} to {points}.",
    "Smartphone shipments in {place} fell {chg_pct:-} to {count:units}, the {rank:adj} consecutive quarterly decline.",
    "The company bought back {count:shares} worth {money} during the {quarter} quarter.",
)

_SLOT = re.compile(r"\{(\w+)(?::([^}]*))?\}")
_SlotFn = Callable[[random.Random, str | None], tuple[str, list[Expected]]]


def _hedge(rng: random.Random) -> str:
    """A hedge before some figures ("nearly 900 jobs"): labels ignore it,
    but a reader has to read past it."""
    return rng.choice(_HEDGES) if rng.random() < 0.15 else ""


def _mantissa(rng: random.Random, lo: float, hi: float) -> tuple[str, float]:
    decimals = rng.choice((0, 1, 1, 2))
    value = round(rng.uniform(lo, hi), decimals)
    return f"{value:,.{decimals}f}", value


def _grouped(value: int) -> str:
    return f"{value:,}"


def _amount(rng: random.Random, prefix: bool) -> tuple[str, float]:
    """A large amount: "18.51 billion", "4.2bn", "40m", "250,000"."""
    style = rng.random()
    if style < 0.15:
        value = rng.randrange(10_000, 5_000_000, 250)
        return _grouped(value), float(value)
    scales = [(" million", 1e6), (" billion", 1e9)] * 3 + [(" trillion", 1e12)]
    if prefix:
        scales += [("bn", 1e9), ("m", 1e6)]
    word, scale = rng.choice(scales)
    text, m = _mantissa(rng, 1, 20) if scale == 1e12 else _mantissa(rng, 1, 999)
    return text + word, m * scale


def _money_surface(rng: random.Random, small: bool) -> tuple[str, float, str]:
    prefix, suffix, code, _ = rng.choices(_CURRENCIES, weights=_CURRENCY_WEIGHTS)[0]
    if small:
        number, value = f"{rng.uniform(1, 999):,.2f}", 0.0
        value = float(number.replace(",", ""))
    else:
        number, value = _amount(rng, prefix=bool(prefix))
    return f"{prefix}{number}{suffix}", value, code


def _money(rng: random.Random, arg: str | None) -> tuple[str, list[Expected]]:
    text, value, code = _money_surface(rng, small=False)
    return _hedge(rng) + text, [Expected(value, code, "quantity", text)]


def _price(rng: random.Random, arg: str | None) -> tuple[str, list[Expected]]:
    text, value, code = _money_surface(rng, small=True)
    return text, [Expected(value, code, "quantity", text)]


def _percent_surface(rng: random.Random) -> tuple[str, float]:
    number, value = _mantissa(rng, 0.1, 60) if rng.random() < 0.7 else (str(v := rng.randint(1, 60)), float(v))
    word = rng.choices(("%", " percent", " per cent"), weights=(6, 3, 1))[0]
    return number + word, value


def _pct(rng: random.Random, arg: str | None) -> tuple[str, list[Expected]]:
    text, value = _percent_surface(rng)
    return text, [Expected(value, "%", "quantity", text)]


def _sign(arg: str | None) -> int:
    return -1 if arg and arg.startswith("-") else 1


def _chg_pct(rng: random.Random, arg: str | None) -> tuple[str, list[Expected]]:
    text, value = _percent_surface(rng)
    return _hedge(rng) + text, [Expected(_sign(arg) * value, "%", "change", text)]


def _pp_surface(rng: random.Random) -> tuple[str, float]:
    if rng.random() < 0.2:
        bps = rng.randrange(10, 200, 5)
        return f"{bps} basis points", bps / 100
    number, value = _mantissa(rng, 0.1, 5)
    return number + (" percentage point" if value <= 1 and rng.random() < 0.5 else " percentage points"), value


def _pp(rng: random.Random, arg: str | None) -> tuple[str, list[Expected]]:
    text, value = _pp_surface(rng)
    return text, [Expected(value, "pp", "quantity", text)]


def _chg_pp(rng: random.Random, arg: str | None) -> tuple[str, list[Expected]]:
    text, value = _pp_surface(rng)
    return text, [Expected(_sign(arg) * value, "pp", "change", text)]


def _points_surface(rng: random.Random, lo: float, hi: float) -> tuple[str, float]:
    number, value = _mantissa(rng, lo, hi)
    return f"{number} points", value


def _points(rng: random.Random, arg: str | None) -> tuple[str, list[Expected]]:
    text, value = _points_surface(rng, 800, 40_000)
    return text, [Expected(value, "points", "quantity", text)]


def _chg_points(rng: random.Random, arg: str | None) -> tuple[str, list[Expected]]:
    text, value = _points_surface(rng, 1, 900)
    return text, [Expected(_sign(arg) * value, "points", "change", text)]


def _chg_money(rng: random.Random, arg: str | None) -> tuple[str, list[Expected]]:
    text, value, code = _money_surface(rng, small=False)
    return text, [Expected(_sign(arg) * value, code, "change", text)]


def _count_number(rng: random.Random, noun: str) -> tuple[str, float]:
    """"12,500", "4.27 million", "twelve", "two million"."""
    if noun in _SMALL_NOUNS:
        if rng.random() < 0.3:
            k = rng.randrange(len(_SMALL_WORDS))
            return _SMALL_WORDS[k], float(k + 2)
        value = rng.randint(2, 900)
        return _grouped(value), float(value)
    style = rng.random()
    if style < 0.45:
        value = rng.randrange(20, 900_000)
        return _grouped(value), float(value)
    if style < 0.9:
        text, m = _mantissa(rng, 1, 99)
        return text + " million", m * 1e6
    k = rng.randrange(len(_SMALL_WORDS))
    return f"{_SMALL_WORDS[k]} million", (k + 2) * 1e6


def _count(rng: random.Random, arg: str | None) -> tuple[str, list[Expected]]:
    noun = arg or "people"
    number, value = _count_number(rng, noun)
    text = f"{number} {noun}"
    return _hedge(rng) + text, [Expected(value, noun, "quantity", text)]


def _measure(rng: random.Random, arg: str | None) -> tuple[str, list[Expected]]:
    canon = arg or "kilometer"
    if canon == "degree celsius":
        number, value = _mantissa(rng, 30, 49)
    elif rng.random() < 0.3:
        number, value = _grouped(v := rng.randrange(20, 200_000)), float(v)
    else:
        number, value = _mantissa(rng, 1, 999)
        if canon in ("tonne", "barrel", "square meter", "hectare") and rng.random() < 0.5:
            number, value = number + " million", value * 1e6
    text = f"{number} {rng.choice(_MEASURES[canon])}"
    return _hedge(rng) + text, [Expected(value, canon, "quantity", text)]


def _ordinal_digits(n: int) -> str:
    return f"{n}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(n if n < 20 else n % 10, 'th') }"


def _rank(rng: random.Random, arg: str | None) -> tuple[str, list[Expected]]:
    n = rng.randint(1, 10) if arg != "adj" else rng.randint(2, 10)
    style = rng.random()
    if style < 0.6:
        text = _ORDINALS[n - 1]
    elif style < 0.85 or arg == "adj":
        text = _ordinal_digits(n)
    else:
        text = f"No. {n}"
    return text, [Expected(float(n), "rank", "rank", text)]


def _pick(options: tuple[str, ...]) -> _SlotFn:
    return lambda rng, arg: (rng.choice(options), [])


def _date(rng: random.Random, arg: str | None) -> tuple[str, list[Expected]]:
    month, day = rng.choice(_MONTHS), rng.randint(1, 28)
    return (f"{month} {day}" if rng.random() < 0.7 else f"{day} {month}"), []


_SLOTS: dict[str, _SlotFn] = {
    "money": _money, "price": _price, "pct": _pct, "pp": _pp, "points": _points, "count": _count,
    "measure": _measure, "rank": _rank, "chg_pct": _chg_pct, "chg_pp": _chg_pp, "chg_money": _chg_money,
    "chg_points": _chg_points,
    "entity": _pick(_ENTITIES), "entity2": _pick(_ENTITIES), "place": _pick(_PLACES), "source": _pick(_SOURCES),
    "year": lambda rng, arg: (str(rng.randint(2015, 2024)), []), "date": _date, "weekday": _pick(_WEEKDAYS),
    "month": _pick(_MONTHS), "quarter": _pick(_QUARTERS),
    "fy": lambda rng, arg: (rng.choice(("fiscal {y}", "the {y} financial year", "FY{y}")).format(
        y=rng.randint(2019, 2025)), []),
}


def render(template: str, rng: random.Random) -> tuple[str, list[Expected]]:
    """Fill a template's slots; return the sentence and its figures in order."""
    parts: list[str] = []
    figures: list[Expected] = []
    pos = 0
    for m in _SLOT.finditer(template):
        surface, found = _SLOTS[m.group(1)](rng, m.group(2))
        parts.append(template[pos:m.start()])
        parts.append(surface)
        figures.extend(found)
        pos = m.end()
    parts.append(template[pos:])
    text = "".join(parts)
    if text[:1].islower():  # a sentence that opens with a figure ("two million people ...")
        head = text[:1].upper()
        figures = [replace(e, quote=head + e.quote[1:]) if text.startswith(e.quote) else e for e in figures]
        text = head + text[1:]
    return text, figures


def labelled_sentences(count: int, seed: int = 2025) -> list[LabelledSentence]:
    """`count` sentences cycling through every template, each rendered
    from its own seeded generator (sentence k is the same whatever `count`)."""
    out = []
    for k in range(count):
        t = k % len(TEMPLATES)
        text, figures = render(TEMPLATES[t], random.Random(seed * 1_000_003 + k))
        out.append(LabelledSentence(t, text, tuple(figures)))
    return out


# ==================================================================================================
# Fact database

_SYLLABLES = ("ka", "lo", "ri", "ven", "to", "mar", "sel", "qui", "dra", "no", "bel", "zu", "fen", "ga", "ho",
              "li", "mo", "pra", "sun", "te", "vi", "xo", "yu", "cor", "dan", "el", "fi", "gor", "is", "jun")
_ROOTS = len(_SYLLABLES) ** 4          # 810,000 distinct four-syllable roots
_ROOT_STEP = 7919                      # prime to _ROOTS: i -> root is one-to-one
# kind of company -> (market it reports a share of, volume metric, its unit)
_KINDS: tuple[tuple[str, str, str, str], ...] = (
    ("Motors", "electric vehicle", "vehicle deliveries", "vehicles"),
    ("Bank", "retail banking", "customers", "customers"),
    ("Energy", "power generation", "customers", "customers"),
    ("Foods", "packaged food", "customers", "customers"),
    ("Telecom", "mobile", "subscribers", "subscribers"),
    ("Systems", "enterprise software", "customers", "customers"),
    ("Pharma", "generic drug", "customers", "customers"),
    ("Airlines", "domestic aviation", "passengers carried", "passengers"),
    ("Mining", "iron ore", "customers", "customers"),
    ("Retail", "grocery", "store count", "stores"),
    ("Semiconductor", "memory chip", "unit shipments", "units"),
    ("Insurance", "life insurance", "customers", "customers"),
    ("Logistics", "parcel delivery", "customers", "customers"),
    ("Media", "streaming", "subscribers", "subscribers"),
    ("Steel", "crude steel", "customers", "customers"),
    ("Chemicals", "specialty chemicals", "customers", "customers"),
    ("Games", "mobile gaming", "subscribers", "subscribers"),
    ("Solar", "solar panel", "unit shipments", "units"),
    ("Cloud", "cloud infrastructure", "customers", "customers"),
    ("Textiles", "apparel", "store count", "stores"),
)
_CURRENCY_OF = ("USD", "USD", "EUR", "CNY", "HKD")
FACTS_PER_ENTITY = 10
_NOW = "2025-01-01T00:00:00Z"


@dataclass(frozen=True, slots=True)
class FactRow:
    metric: str
    value: float
    unit: str
    period: str
    source: str


def entity_root(i: int) -> str:
    """The one-word name of entity `i` ("Kalovenri"): distinct for every
    i below 810,000 and the same in every database size."""
    j = (i * _ROOT_STEP + 12_345) % _ROOTS
    syl = []
    for _ in range(4):
        j, r = divmod(j, len(_SYLLABLES))
        syl.append(_SYLLABLES[r])
    return "".join(syl).capitalize()


def entity_kind(i: int) -> tuple[str, str, str, str]:
    return _KINDS[(i * 7 + 3) % len(_KINDS)]


def entity_name(i: int) -> str:
    return f"{entity_root(i)} {entity_kind(i)[0]}"


def entity_aliases(i: int) -> tuple[str, ...]:
    """Canonical name first, then the forms an article uses."""
    name = entity_name(i)
    return name, f"{name} Inc.", entity_root(i)


def entity_currency(i: int) -> str:
    return _CURRENCY_OF[i % len(_CURRENCY_OF)]


def has_rank_fact(i: int) -> bool:
    """A third of the entities have a stated market-share rank; for the
    rest a rank claim can only be derived from peers' shares."""
    return i % 3 == 0


def entity_facts(i: int) -> list[FactRow]:
    """The entity's ~10 facts, from its index alone (a seeded generator per
    entity), with values in realistic ranges for their metric."""
    rng = random.Random(i * 7_919 + 17)
    _, market, volume_metric, volume_unit = entity_kind(i)
    cur = entity_currency(i)
    source = f"{entity_name(i)} 2024 annual report"
    revenue = float(f"{10 ** rng.uniform(8.5, 11.5):.4g}")
    growth = round(rng.uniform(-20, 45), 1)
    profit = float(f"{revenue * rng.uniform(0.03, 0.2):.4g}")
    rows = [
        FactRow("revenue", revenue, cur, "2024", source),
        FactRow("revenue", float(f"{revenue / (1 + growth / 100):.4g}"), cur, "2023", source),
        FactRow("revenue change year over year", growth, "%", "2024", source),
        FactRow("net profit", profit, cur, "2024", source),
        FactRow("net profit change year over year", round(rng.uniform(-50, 80), 1), "%", "2024", source),
        FactRow("revenue", float(f"{revenue * rng.uniform(0.22, 0.3):.4g}"), cur, "2024 Q4", source),
        FactRow("employees", float(round(10 ** rng.uniform(3, 5.5), -1)), "people", "2024", source),
        FactRow(volume_metric, float(f"{10 ** rng.uniform(4, 7):.3g}") if volume_unit != "stores"
                else float(rng.randint(40, 3000)), volume_unit, "2024", source),
        FactRow(f"{market} market share", round(rng.uniform(0.5, 25), 1), "%", "2024", source),
    ]
    if has_rank_fact(i):
        rows.append(FactRow(f"{market} market share rank", float(rng.randint(1, 10)), "rank", "2024", source))
    else:
        rows.append(FactRow("operating margin", round(rng.uniform(2, 35), 1), "%", "2024", source))
    return rows


@lru_cache(maxsize=None)
def _period_columns(period: str) -> tuple[str, str | None, str | None]:
    span = parse_period(period)
    return norm_period(period), (span.start.isoformat() if span else None), (span.end.isoformat() if span else None)


@lru_cache(maxsize=None)
def _metric_norm(metric: str) -> str:
    return norm_metric(metric)


def _fact_rows(entities: int, facts: int) -> Iterator[tuple[Any, ...]]:
    written = 0
    for i in range(entities):
        for row in entity_facts(i):
            if written == facts:
                return
            period_norm, start, end = _period_columns(row.period)
            yield (i + 1, row.metric, _metric_norm(row.metric), row.value, row.unit, "exact", row.period,
                   period_norm, start, end, row.source, "bench", _NOW)
            written += 1


@dataclass(frozen=True, slots=True)
class BuiltDatabase:
    path: Path
    facts: int
    entities: int
    seconds: float


def build_fact_db(path: Path, facts: int) -> BuiltDatabase:
    """Bulk-load `facts` facts (about 10 per entity) into a database with
    the real schema (`open_db` runs the migrations, the FTS and metrics
    triggers do their normal work).

    Speed comes from what a throwaway file allows: no fsync, a large page
    cache, one transaction, rows in entity order so the (entity_id, ...)
    indexes only append. 10^6 facts take ~20-30 s on the bench machines.
    """
    started = time.perf_counter()
    entities = max(1, -(-facts // FACTS_PER_ENTITY))
    db = open_db(path)
    try:
        db.execute("PRAGMA synchronous = OFF")
        db.execute("PRAGMA cache_size = -400000")
        with db.conn:
            db.conn.executemany("INSERT INTO entities (id, name, added_at) VALUES (?, ?, ?)",
                                ((i + 1, entity_name(i), _NOW) for i in range(entities)))
            db.conn.executemany("INSERT INTO aliases (entity_id, alias, norm) VALUES (?, ?, ?)",
                                ((i + 1, alias, norm_alias(alias)) for i in range(entities)
                                 for alias in entity_aliases(i)))
            db.conn.executemany(
                "INSERT INTO facts (entity_id, metric, metric_norm, value, unit, qualifier, period, period_norm,"
                " period_start, period_end, source, added_by, added_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                _fact_rows(entities, facts))
        db.execute("PRAGMA optimize")
    finally:
        db.close()
    seconds = time.perf_counter() - started
    log.info("built %s: %d facts, %d entities in %.1f s", path.name, facts, entities, seconds)
    return BuiltDatabase(path, facts, entities, seconds)


# ==================================================================================================
# The article

ARTICLE_PUBLISHED = date(2025, 3, 1)
# Entities the article is about: all below 100, so they exist in a database of 10^3 facts.
ARTICLE_ENTITIES = (0, 7, 12, 18, 23, 31, 42, 55, 64, 77, 86, 93)
# Companies no database holds; their kind words are shared with many that it does.
UNKNOWN_COMPANIES = ("Halvorsen Foods", "Peregrine Motors", "Ostrava Steel", "Maribel Bank")

# Sentences without figures: quotes and context, the bulk of real articles.
# Subjects x predicates give ~150 distinct ones, so padding does not repeat.
_FILLER_SUBJECTS = (
    "Analysts at a Hong Kong brokerage", "Some investors", "The chief executive, who took over last year,",
    "Trade unions", "A spokesperson", "Regulators in Brussels", "Rivals in Germany", "Suppliers in Mexico",
    "Industry executives", "Bond investors", "Several brokers", "Management", "Consumer groups",
)
_FILLER_PREDICATES = (
    "said the outlook remained uncertain despite the stronger finish to the year.",
    "warned that competition from lower-cost rivals would intensify.",
    "expected demand to recover only gradually in the second half.",
    "questioned whether the pace of expansion could be sustained.",
    "declined to comment on the figures beyond the statement.",
    "pointed to currency swings that flattered the reported numbers.",
    "called for a clearer explanation of the planned restructuring.",
    "described the results as cautious but credible.",
    "said cost cuts announced last spring were starting to pay off.",
    "raised concerns about the company's reliance on a handful of large customers.",
    "noted that the figures include a business bought at the start of the year.",
    "argued that heavy investment in automation would take years to pay back.",
)
_QUOTES = (
    "“We are confident about the year ahead,” chief executive Maria Lopez told analysts on a conference call.",
    "“Demand held up better than we feared,” said finance chief Daniel Okafor.",
    "“This is a business in transition, and the numbers show it,” said Priya Raman, an analyst at "
    "Northgate Securities.",
    "“Nobody expected the second half to be this strong,” one shareholder said after the meeting.",
    "The results were published after the market closed.",
    "The company did not give a forecast for the current year.",
    "Shares rose in early trading in Frankfurt before paring gains.",
)


def _fillers() -> list[str]:
    out = list(_QUOTES)
    for k, predicate in enumerate(_FILLER_PREDICATES):
        for j in range(len(_FILLER_SUBJECTS)):
            out.append(f"{_FILLER_SUBJECTS[(j * 5 + k) % len(_FILLER_SUBJECTS)]} {predicate}")
    return out


_FILLERS = tuple(_fillers())


@dataclass
class Article:
    text: str
    words: int
    # (quote, expected verdict); "derived" for a rank only peers' shares can
    # settle, whose verdict depends on how many peers the database holds
    planned: list[tuple[str, str]] = field(default_factory=list)

    def agreement(self, found: list[tuple[str, str]]) -> tuple[int, int]:
        """(claims whose verdict is the planned one, claims with a plan):
        `found` is (quote, verdict) in text order, matched to the plan by
        quote in order. Derived ranks have no fixed plan and are left out."""
        unused = [(q, v) for q, v in self.planned if v != "derived"]
        agree = 0
        for quote, verdict in found:
            for k, (q, v) in enumerate(unused):
                if q == quote:
                    agree += v == verdict
                    del unused[k]
                    break
        return agree, sum(1 for _, v in self.planned if v != "derived")

    def planned_summary(self) -> dict[str, int]:
        out = {v: 0 for v in ("supported", "contradicted", "unverified", "derived")}
        for _, verdict in self.planned:
            out[verdict] += 1
        return out


def _money_text(value: float, cur: str) -> str:
    """"$18.51 billion", "€512.3 million", "777.1 billion yuan": four
    significant figures at most, as a reporter would round."""
    scale, word = (1e9, "billion") if abs(value) >= 1e9 else (1e6, "million")
    number = f"{value / scale:.4g}"
    if cur == "CNY":
        return f"{number} {word} yuan"
    return f"{ {'USD': '$', 'EUR': '€', 'HKD': 'HK$'}[cur] }{number} {word}"


def _count_text(value: float) -> str:
    return f"{value / 1e6:.3g} million" if value >= 1e6 else f"{int(value):,}"


class _Writer:
    """Collects paragraphs and the verdict each figure should get."""

    def __init__(self) -> None:
        self.paragraphs: list[list[str]] = []
        self.planned: list[tuple[str, str]] = []
        self._fill = 0

    def para(self, *sentences: str) -> None:
        self.paragraphs.append(list(sentences))

    def expect(self, quote: str, verdict: str) -> str:
        self.planned.append((quote, verdict))
        return quote

    def filler(self) -> str:
        text = _FILLERS[self._fill % len(_FILLERS)]
        self._fill += 1
        return text

    def words(self) -> int:
        return sum(len(s.split()) for p in self.paragraphs for s in p)


def _facts_by_metric(i: int) -> dict[tuple[str, str], FactRow]:
    return {(f.metric, f.period): f for f in entity_facts(i)}


def _results_paragraph(w: _Writer, i: int, wrong: bool) -> None:
    """Revenue, its change and profit for 2024; `wrong` overstates revenue."""
    facts = _facts_by_metric(i)
    cur = entity_currency(i)
    revenue, growth = facts[("revenue", "2024")], facts[("revenue change year over year", "2024")]
    profit, profit_chg = facts[("net profit", "2024")], facts[("net profit change year over year", "2024")]
    stated = revenue.value * (1.18 if wrong else 1)
    verb = "rose" if growth.value >= 0 else "fell"
    pverb = "climbed" if profit_chg.value >= 0 else "dropped"
    w.para(f"{entity_name(i)} said on Tuesday that its revenue {verb} "
           f"{w.expect(f'{abs(growth.value):.1f}%', 'supported')} to "
           f"{w.expect(_money_text(stated, cur), 'contradicted' if wrong else 'supported')} in 2024.",
           f"Net profit {pverb} {w.expect(f'{abs(profit_chg.value):.1f}%', 'supported')} to "
           f"{w.expect(_money_text(profit.value, cur), 'supported')}.",
           w.filler(), w.filler())


def _quarter_paragraph(w: _Writer, i: int) -> None:
    """The fourth quarter, last year's total against 2023, and volume."""
    facts = _facts_by_metric(i)
    cur = entity_currency(i)
    _, _, volume_metric, noun = entity_kind(i)
    q4, rev24, rev23 = facts[("revenue", "2024 Q4")], facts[("revenue", "2024")], facts[("revenue", "2023")]
    volume = facts[(volume_metric, "2024")]
    verb = {"vehicles": "delivered", "passengers": "carried", "stores": "operated"}.get(noun, "served")
    w.para(f"At {entity_name(i)}, fourth-quarter revenue came in at "
           f"{w.expect(_money_text(q4.value, cur), 'supported')}.",
           f"For the full year, revenue reached {w.expect(_money_text(rev24.value, cur), 'supported')}, compared with "
           f"{w.expect(_money_text(rev23.value, cur), 'supported')} in 2023.",
           w.filler(),
           f"{entity_root(i)} {verb} {w.expect(_count_text(volume.value) + ' ' + noun, 'supported')} last year.",
           w.filler())


def _rank_paragraph(w: _Writer, i: int) -> None:
    """Market share and rank; without a stated rank the check derives one
    from every peer's share of the same market (FactIndex.peer_share_standing)."""
    facts = _facts_by_metric(i)
    _, market, _, _ = entity_kind(i)
    share = facts[(f"{market} market share", "2024")]
    rank_fact = facts.get((f"{market} market share rank", "2024"))
    rank = int(rank_fact.value) if rank_fact else 3
    employees = facts[("employees", "2024")]
    planned = "supported" if rank_fact else "derived"
    w.para(f"In the {market} market, {entity_name(i)} ranked {w.expect(_ORDINALS[rank - 1], planned)} "
           f"last year with a share of {w.expect(f'{share.value:.1f}%', 'supported')}.",
           w.filler(),
           f"Its workforce stood at {w.expect(f'{int(employees.value):,} people', 'supported')} at the end of 2024.",
           w.filler())


def _margin_paragraph(w: _Writer, i: int) -> None:
    """A wrong growth figure and a metric the database lacks."""
    facts = _facts_by_metric(i)
    cur = entity_currency(i)
    growth = facts[("revenue change year over year", "2024")]
    margin = facts.get(("operating margin", "2024"))
    wrong = abs(growth.value) + 7.5
    sentences = [f"{entity_root(i)} reported that revenue grew {w.expect(f'{wrong:.1f}%', 'contradicted')} last year."]
    if margin:
        sentences.append(f"Its operating margin was {w.expect(f'{margin.value:.1f}%', 'supported')} in 2024.")
    sentences += [w.filler(),
                  f"The company spent "
                  f"{w.expect(_money_text(facts[('revenue', '2024')].value * 0.06, cur), 'unverified')} "
                  f"on research and development in 2024.", w.filler()]
    w.para(*sentences)


def _unknown_paragraph(w: _Writer, name: str, k: int) -> None:
    w.para(f"{name}, a privately held rival, said its revenue rose {w.expect(f'{11 + k}.4%', 'unverified')} to "
           f"{w.expect(f'${2 + k}.3 billion', 'unverified')} in 2024, and that it now employs "
           f"{w.expect(f'about {4 + k},800 people', 'unverified')}.", w.filler())


def _typo_paragraph(w: _Writer, i: int) -> None:
    """A misspelt known name ("Kalovenr Motors"): found only by fuzzy matching."""
    facts = _facts_by_metric(i)
    root = entity_root(i)
    typo = root[:-2] + root[-1] + " " + entity_kind(i)[0]
    employees = facts[("employees", "2024")]
    w.para(f"{typo} employed {w.expect(f'{int(employees.value):,} people', 'supported')} at the end of 2024.",
           w.filler())


def make_article(target_words: int = 1500) -> Article:
    """The benchmark article: same text every run, ~40 figures, ~1,500 words."""
    w = _Writer()
    w.paragraphs.append(["Results season: who grew, who stalled, and what the numbers say"])
    w.paragraphs.append(["Published 2025-03-01"])
    known = ARTICLE_ENTITIES
    for n, i in enumerate(known[:9]):
        form = n % 4
        if form == 0:
            _results_paragraph(w, i, wrong=(n == 4))
        elif form == 1:
            _quarter_paragraph(w, i)
        elif form == 2:
            _rank_paragraph(w, i)
        else:
            _margin_paragraph(w, i)
        if n in (2, 5, 7):
            k = (2, 5, 7).index(n)
            _unknown_paragraph(w, UNKNOWN_COMPANIES[k], k)
    _unknown_paragraph(w, UNKNOWN_COMPANIES[3], 3)
    _rank_paragraph(w, known[9])
    _typo_paragraph(w, known[10])
    body = w.paragraphs[2:]
    k = 0
    while w.words() < target_words:
        body[k % len(body)].insert(-1, w.filler())
        k += 1
    text = "\n\n".join(" ".join(p) for p in w.paragraphs) + "\n"
    return Article(text, len(text.split()), w.planned)
