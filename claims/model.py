"""Plain records passed along text -> figures -> claims -> matches -> verdicts.

They live here, in the pure layer, so `sources/` can return facts in the
shape the verdict logic reads without either side importing the other's
machinery.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

QUALIFIERS = ("exact", "approx", "over", "under")
KINDS = ("quantity", "change", "rank")
VERDICTS = ("supported", "contradicted", "unverified", "disputed")


@dataclass(frozen=True, slots=True)
class Figure:
    """One number as the text states it, already in base units.

    `precision` is the size of one step in the last digit the writer gave,
    in base units ("$18.51 billion" -> 1e7, "17.2%" -> 0.1, "seventh" -> 1):
    a claim is only as exact as its author wrote it, and verdicts compare
    at that precision.
    """

    text: str
    start: int
    end: int
    value: float
    unit: str
    kind: str = "quantity"
    qualifier: str = "exact"
    precision: float = 1.0


@dataclass(frozen=True, slots=True)
class Period:
    """A stretch of time, as written and as an inclusive date range.

    `fiscal` keeps a fiscal label ("FY2025 Q1") because companies' fiscal
    quarters do not line up with calendar quarters, and articles often
    write "the first quarter of 2025" for a fiscal quarter.
    """

    text: str
    start: date
    end: date
    fiscal: str | None = None


@dataclass(frozen=True, slots=True)
class Fact:
    """A reference fact from the database, with its provenance."""

    id: int
    entity: str
    metric: str
    value: float
    unit: str
    source: str
    qualifier: str = "exact"
    period: str | None = None
    period_start: date | None = None
    period_end: date | None = None
    region: str | None = None
    url: str | None = None
    published: str | None = None
    note: str | None = None
    aliases: tuple[str, ...] = field(default=())


@dataclass(slots=True)
class Claim:
    """A check-worthy figure or ranking, tied to what it is about.

    `metric_direct` is False when the metric was inferred from elsewhere in
    the sentence or from an earlier one; the matcher then trusts it less.
    `scope` keeps a ranking's field ("in tests of mathematics") so a rank in
    one field is never checked against a rank in another.
    """

    sentence: str
    quote: str
    start: int
    end: int
    kind: str
    value: float
    unit: str
    qualifier: str = "exact"
    precision: float = 1.0
    subject: str | None = None
    subject_score: float = 0.0
    metric: str | None = None
    metric_direct: bool = False
    scope: str | None = None
    period: Period | None = None
    region: str | None = None
    cited_source: str | None = None
    forecast: bool = False  # an expectation, target or projection, not a result
