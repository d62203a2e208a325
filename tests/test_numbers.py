"""Numerals: digits, words, fractions and ordinals read to their value and
precision, from the corpus and as properties over generated numbers."""
from __future__ import annotations

import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claims.numbers import find_numerals, numeral_precision, parse_number, parse_ordinal, tokenize

CORPUS = Path(__file__).parent / "corpus" / "figures" / "numerals.txt"


def _numeral_cases() -> list[tuple[str, str]]:
    cases = []
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        text, _, expected = line.partition(" ⇒ ")
        cases.append((text, expected.strip()))
    return cases


@pytest.mark.parametrize("text, expected", _numeral_cases(), ids=lambda x: x if isinstance(x, str) else None)
def test_numeral_corpus(text: str, expected: str) -> None:
    if expected == "none":
        assert parse_number(text) is None
        assert parse_ordinal(text) is None
        return
    if expected.startswith("ordinal "):
        assert parse_ordinal(text) == int(expected.split()[1])
        assert parse_number(text) is None
        return
    value, _, precision = expected.partition(" @")
    got = parse_number(text)
    assert got is not None, text
    assert math.isclose(got, float(value), rel_tol=1e-5, abs_tol=1e-9)
    if precision:
        assert math.isclose(numeral_precision(text), float(precision), rel_tol=1e-9)


def test_numerals_are_found_left_to_right_without_overlap() -> None:
    text = "4000 3 hundred and 21 and then forty-five, 1,250.75 and two thirds"
    nums = find_numerals(tokenize(text), text)
    assert [text[n.start:n.end] for n in nums] == ["4000", "3 hundred and 21", "forty-five", "1,250.75",
                                                    "two thirds"]
    assert [n.value for n in nums[:4]] == [4000, 321, 45, 1250.75]


def test_and_joins_only_a_smaller_part() -> None:
    text = "45 and 50"
    assert [n.value for n in find_numerals(tokenize(text), text)] == [45, 50]
    assert parse_number("two thousand and two hundred") == 2200


def test_ambiguous_letter_is_left_to_the_unit_reader() -> None:
    # "3.4m" is a million after a currency and a length otherwise
    text = "3.4m"
    (num,) = find_numerals(tokenize(text), text)
    assert (num.value, num.suffix) == (3.4, "m")
    assert parse_number(text) is None


# ---------------------------------------------------------------------------------------------
# Properties

@settings(max_examples=300)
@given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False, allow_infinity=False))
def test_python_grouped_decimals_round_trip(x: float) -> None:
    text = f"{x:,.2f}"
    assert parse_number(text) == pytest.approx(float(text.replace(",", "")), rel=1e-12, abs=1e-12)
    assert numeral_precision(text) == pytest.approx(0.01)


@settings(max_examples=300)
@given(st.integers(min_value=-10**15, max_value=10**15))
def test_python_grouped_integers_round_trip(n: int) -> None:
    assert parse_number(f"{n:,}") == n
    assert parse_number(str(n)) == n


@settings(max_examples=300)
@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e300, max_value=1e300))
def test_python_repr_round_trips(x: float) -> None:
    text = repr(x)  # may use an exponent: "1e-05", "1.5e+20"
    assert parse_number(text) == pytest.approx(x, rel=1e-9, abs=1e-300)


@settings(max_examples=200)
@given(st.floats(min_value=0, max_value=1e6, allow_nan=False), st.integers(min_value=0, max_value=4))
def test_precision_is_the_last_written_digit(x: float, decimals: int) -> None:
    text = f"{x:.{decimals}f}"
    assert numeral_precision(text) == pytest.approx(10.0 ** -decimals)


_SMALL = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
          "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_SCALES = [(10**12, "trillion"), (10**9, "billion"), (10**6, "million"), (10**3, "thousand")]


def _words(n: int, british: bool) -> str:
    """An independent spelling of n, to check the reader against."""
    if n < 20:
        return _SMALL[n]
    if n < 100:
        return _TENS[n // 10] + ("-" + _SMALL[n % 10] if n % 10 else "")
    if n < 1000:
        rest = n % 100
        head = _SMALL[n // 100] + " hundred"
        return head + ((" and " if british else " ") + _words(rest, british) if rest else "")
    for value, name in _SCALES:
        if n >= value:
            rest = n % value
            head = _words(n // value, british) + " " + name
            if not rest:
                return head
            joiner = " and " if british and rest < 100 else " "
            return head + joiner + _words(rest, british)
    raise AssertionError(n)


@settings(max_examples=400)
@given(st.integers(min_value=0, max_value=10**15 - 1), st.booleans())
def test_number_words_round_trip(n: int, british: bool) -> None:
    assert parse_number(_words(n, british)) == n


@given(st.integers(min_value=1, max_value=99))
def test_ordinal_words_round_trip(n: int) -> None:
    irregular = {1: "first", 2: "second", 3: "third", 5: "fifth", 8: "eighth", 9: "ninth", 12: "twelfth"}
    if n in irregular:
        word = irregular[n]
    elif n < 20:
        word = _SMALL[n] + "th"
    elif n % 10 == 0:
        word = _TENS[n // 10][:-1] + "ieth"
    else:
        last = irregular.get(n % 10) or _SMALL[n % 10] + "th"
        word = _TENS[n // 10] + "-" + last
    assert parse_ordinal(word) == n
    suffix = "th" if 10 <= n % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    assert parse_ordinal(f"{n}{suffix}") == n
