"""Periods from sources and from article wording become date ranges."""
from datetime import date

import pytest

from claims.periods import find_article_date, find_periods, overlap, parse_period, shift


@pytest.mark.parametrize("text, start, end, fiscal", [
    ("2024", date(2024, 1, 1), date(2024, 12, 31), None),
    ("2024 Q3", date(2024, 7, 1), date(2024, 9, 30), None),
    ("Q1 2023", date(2023, 1, 1), date(2023, 3, 31), None),
    ("H2 2022", date(2022, 7, 1), date(2022, 12, 31), None),
    ("2025-02", date(2025, 2, 1), date(2025, 2, 28), None),
    ("2025-02-13", date(2025, 2, 13), date(2025, 2, 13), None),
    ("March 2024", date(2024, 3, 1), date(2024, 3, 31), None),
    ("2025 (to 2025-02-14)", date(2025, 1, 1), date(2025, 2, 14), None),
    ("FY2025 Q1 (quarter ended 2024-12-28)", date(2024, 9, 29), date(2024, 12, 28), "FY2025 Q1"),
    ("FY24", date(2024, 1, 1), date(2024, 12, 31), "FY2024"),
])
def test_source_periods(text, start, end, fiscal):
    p = parse_period(text)
    assert (p.start, p.end, p.fiscal) == (start, end, fiscal)


@pytest.mark.parametrize("text", ["", "recently", "the 1990s maybe", None])
def test_unplaceable_source_periods_are_none(text):
    assert parse_period(text) is None


PUB = date(2025, 3, 10)


def first(text, published=PUB, year=None):
    found = [p for p in find_periods(text, published, year) if p.period]
    return (found[0].period.start, found[0].period.end) if found else None


@pytest.mark.parametrize("text, expected", [
    ("sales rose last year", (date(2024, 1, 1), date(2024, 12, 31))),
    ("profit in the second quarter of 2023", (date(2023, 4, 1), date(2023, 6, 30))),
    ("results for Q4 2024", (date(2024, 10, 1), date(2024, 12, 31))),
    ("in the December quarter", (date(2024, 10, 1), date(2024, 12, 31))),
    ("in the July-September quarter", (date(2024, 7, 1), date(2024, 9, 30))),
    ("for the three months ended January 31", (date(2024, 11, 1), date(2025, 1, 31))),
    ("since the start of the year", (date(2025, 1, 1), PUB)),
    ("shares jumped today", (PUB, PUB)),
    ("during 2021", (date(2021, 1, 1), date(2021, 12, 31))),
    ("in the first half of 2024", (date(2024, 1, 1), date(2024, 6, 30))),
])
def test_article_periods_resolve_against_the_publication_date(text, expected):
    assert first(text) == expected


def test_a_quarter_without_a_year_takes_the_year_the_text_is_about():
    assert first("the third quarter", year=2022) == (date(2022, 7, 1), date(2022, 9, 30))
    # without one, the latest such quarter that has ended
    assert first("the fourth quarter") == (date(2024, 10, 1), date(2024, 12, 31))


def test_relative_periods_need_a_date():
    assert first("sales rose last year", published=None) is None


def test_comparison_base_is_marked_not_used_as_the_period():
    found = find_periods("an increase of 10% from the previous year", PUB)
    assert [p.base for p in found] == [True]


def test_amounts_are_not_years():
    assert find_periods("revenue of $2024 million and 2025 units", PUB) == []


def test_shift_moves_a_period_and_its_fiscal_label():
    p = parse_period("FY2025 Q1 (quarter ended 2024-12-28)")
    earlier = shift(p, -1)
    assert (earlier.start, earlier.end, earlier.fiscal) == (date(2023, 9, 29), date(2023, 12, 28), "FY2024 Q1")


def test_overlap_is_intersection_over_union():
    year = (date(2024, 1, 1), date(2024, 12, 31))
    q3 = (date(2024, 7, 1), date(2024, 9, 30))
    assert overlap(year, year) == 1.0
    assert 0.2 < overlap(year, q3) < 0.3
    assert overlap(q3, (date(2025, 1, 1), date(2025, 3, 31))) == 0.0


@pytest.mark.parametrize("head, expected", [
    ("Title\nPublished 2025-02-03\n\nBody.", date(2025, 2, 3)),
    ("Title\n\n03/14 2024 981\n\nBody.", date(2024, 3, 14)),
    ("Title\nBy A. Writer, June 5, 2023\n", date(2023, 6, 5)),
    ("Title\n\nNo date here.", None),
])
def test_article_date_from_the_first_lines(head, expected):
    assert find_article_date(head) == expected


def test_fiscal_year_to_a_month():
    # the latest such year that has ended by the article date (2025-03-10)
    assert first("in the fiscal year to March") == (date(2023, 4, 1), date(2024, 3, 31))
    assert first("for the year ended June 30, 2024") == (date(2023, 7, 1), date(2024, 6, 30))
