"""The figure reader: the corpus of positive and negative sentences, the
semantics callers rely on (offsets, signs, hedges, precision), the CLI, and
properties over arbitrary text."""
from __future__ import annotations

import argparse
import io
import json
import math
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot import cmd_figures
from claims.figures import find_figures
from claims.model import KINDS, QUALIFIERS, Figure

CORPUS = Path(__file__).parent / "corpus" / "figures"
_KINDS = set(KINDS)
_QUALIFIERS = set(QUALIFIERS)


def _lines(name: str) -> list[str]:
    return [line for line in (CORPUS / name).read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.lstrip().startswith("#")]


def _expected(spec: str) -> dict:
    """"$18.51 billion = 18510000000 USD change over @1e7" -> its fields."""
    text, _, rest = spec.partition(" = ")
    words = rest.split()
    value = float(words.pop(0))
    out = {"text": text.strip(), "value": value, "kind": None, "qualifier": "exact", "precision": None}
    while len(words) > 1 and (words[-1] in _KINDS or words[-1] in _QUALIFIERS or words[-1].startswith("@")):
        last = words.pop()
        if last in _KINDS:
            out["kind"] = last
        elif last in _QUALIFIERS:
            out["qualifier"] = last
        else:
            out["precision"] = float(last[1:])
    out["unit"] = " ".join(words)
    out["kind"] = out["kind"] or ("rank" if out["unit"] == "rank" else "quantity")
    return out


def _positive_cases() -> list[tuple[str, list[dict]]]:
    cases = []
    for line in _lines("positives.txt"):
        sentence, _, figures = line.partition(" ⇒ ")
        cases.append((sentence, [_expected(f) for f in figures.split(" ; ")]))
    return cases


@pytest.mark.parametrize("sentence, expected", _positive_cases(), ids=lambda x: x[:60] if isinstance(x, str) else "")
def test_positive_corpus(sentence: str, expected: list[dict]) -> None:
    got = find_figures(sentence)
    assert [f.text for f in got] == [e["text"] for e in expected], got
    for fig, exp in zip(got, expected):
        assert math.isclose(fig.value, exp["value"], rel_tol=1e-5, abs_tol=1e-9), fig
        assert (fig.unit, fig.kind, fig.qualifier) == (exp["unit"], exp["kind"], exp["qualifier"]), fig
        if exp["precision"] is not None:
            assert math.isclose(fig.precision, exp["precision"], rel_tol=1e-9), fig


@pytest.mark.parametrize("sentence", _lines("negatives.txt"))
def test_negative_corpus(sentence: str) -> None:
    assert find_figures(sentence) == []


# ---------------------------------------------------------------------------------------------
# What callers rely on

def test_offsets_point_at_the_text_as_written() -> None:
    text = "In the first quarter, sales decreased by 11.1% year-on-year, with revenue falling to $18.51 billion."
    figures = find_figures(text)
    assert [text[f.start:f.end] for f in figures] == [f.text for f in figures] == ["11.1%", "$18.51 billion"]


def test_a_change_is_signed_and_a_level_is_not() -> None:
    fall, level = find_figures("Apple's sales fell 11.1% to $18.51 billion.")
    assert (fall.kind, fall.value, fall.unit) == ("change", -11.1, "%")
    assert (level.kind, level.value, level.unit) == ("quantity", 18510000000, "USD")


def test_hedge_is_part_of_the_quote_but_not_the_change_verb() -> None:
    (fig,) = find_figures("Alibaba's share price surged nearly 9% to a record.")
    assert (fig.text, fig.qualifier, fig.kind, fig.value) == ("nearly 9%", "approx", "change", 9)


@pytest.mark.parametrize("phrase, qualifier", [
    ("nearly 9%", "approx"), ("about 11%", "approx"), ("around 11%", "approx"), ("roughly 11%", "approx"),
    ("approximately 11%", "approx"), ("almost 11%", "approx"), ("close to 11%", "approx"), ("some 11%", "approx"),
    ("an estimated 11%", "approx"), ("~11%", "approx"),
    ("more than 50%", "over"), ("over 50%", "over"), ("above 50%", "over"), ("at least 50%", "over"),
    ("exceeding 50%", "over"), ("upwards of 50%", "over"), ("in excess of 50%", "over"), ("north of 50%", "over"),
    ("less than 5%", "under"), ("under 5%", "under"), ("below 5%", "under"), ("at most 5%", "under"),
    ("fewer than 5%", "under"), ("up to 5%", "under"), ("5%", "exact"),
])
def test_qualifiers(phrase: str, qualifier: str) -> None:
    (fig,) = find_figures(f"The share was {phrase} last year.")
    assert (fig.text, fig.qualifier) == (phrase, qualifier)


@pytest.mark.parametrize("text, precision", [
    ("$18.51 billion", 1e7), ("17.2%", 0.1), ("17%", 1), ("286.2 million units", 1e5), ("1332 points", 1),
    ("seven people", 1), ("5 cents", 0.01), ("three million people", 1e6),
])
def test_precision_is_in_base_units(text: str, precision: float) -> None:
    (fig,) = find_figures(text)
    assert fig.precision == pytest.approx(precision)


def test_fraction_precision_is_two_decimals() -> None:
    (fig,) = find_figures("two-thirds of voters")
    assert fig.value == pytest.approx(2 / 3) and fig.precision == pytest.approx(0.01)


def test_the_seed_article_paragraph() -> None:
    text = ("Apple's market share in China's smartphone market fell to 15.6% in 2024, ranking third; vivo topped "
            "the list with a market share of 17.2%, an increase of 10.3% from the previous year; followed by "
            "Huawei with a market share of 16.6%, a significant increase of 50.1%.")
    got = [(f.text, f.value, f.unit, f.kind) for f in find_figures(text)]
    assert got == [("15.6%", 15.6, "%", "quantity"), ("third", 3, "rank", "rank"), ("17.2%", 17.2, "%", "quantity"),
                   ("10.3%", 10.3, "%", "change"), ("16.6%", 16.6, "%", "quantity"),
                   ("50.1%", 50.1, "%", "change")]


def test_a_score_gives_no_figure() -> None:
    # documented choice: "2-1" is a result, not a pair of claims
    assert find_figures("They won 2-1 in extra time.") == []


def test_pounds_are_money_or_weight_by_context() -> None:
    (money,) = find_figures("Its quarterly profit improved to 361 million pounds.")
    (weight,) = find_figures("The baby weighed seven pounds at birth.")
    assert (money.unit, weight.unit) == ("GBP", "pound-mass")


def test_figures_are_frozen_records() -> None:
    (fig,) = find_figures("42")
    assert fig == Figure("42", 0, 2, 42, "count", "quantity", "exact", 1)


# ---------------------------------------------------------------------------------------------
# Properties

_PIECES = st.sampled_from([
    "$", "US$", "€", "£", "HK$", "%", " percent", " per cent", "-", "−", ".", ",", "/", "^", "e", "x", "10", "3",
    "0", "1,234", "4.5", ".08", "2024", "12:30", " pm", " million", "bn", "m", "k", "K", "b", " and ", " a ", " one",
    " twenty", "-five", " hundred", " half", " third", " thirds", " first", " second", " point", " over ", " out of ",
    " dozen", " cents", " pounds", " kg", "km", "°", "C", " years old", "-year-old", " No.", "#", "(", ")", " May",
    " rose", " fell", " by", " up", " nearly", " more than", "½", "元", "\n", " zero", " people", " Street", " lakh",
    " basis points", " doubled", " the", "th", "e-5", "×10", "'", '"'])


def _check(text: str) -> list[Figure]:
    figures = find_figures(text)
    for fig in figures:
        assert text[fig.start:fig.end] == fig.text
        assert math.isfinite(fig.value) and fig.precision > 0
        assert fig.kind in _KINDS and fig.qualifier in _QUALIFIERS and fig.unit
    assert [f.start for f in figures] == sorted(f.start for f in figures)
    return figures


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_never_crashes_on_arbitrary_text(text: str) -> None:
    _check(text)


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECES, max_size=40).map("".join))
def test_never_crashes_on_number_like_text(text: str) -> None:
    _check(text)


@settings(max_examples=20, deadline=None)
@given(st.lists(_PIECES, min_size=50, max_size=100).map("".join), st.integers(min_value=20, max_value=60))
def test_time_stays_linear_in_length(chunk: str, copies: int) -> None:
    text = (chunk + " ") * copies
    started = time.perf_counter()
    _check(text)
    # a generous bound: ~20 µs a character would be two orders of magnitude over the normal cost
    assert time.perf_counter() - started < 0.5 + len(text) * 2e-5


@settings(max_examples=200)
@given(st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False))
def test_money_written_by_python_reads_back(x) -> None:
    text = f"The company paid ${x:,.2f} for the site."
    (fig,) = find_figures(text)
    assert (fig.unit, fig.text) == ("USD", f"${x:,.2f}")
    assert fig.value == pytest.approx(float(x), rel=1e-12, abs=1e-9)


@settings(max_examples=200)
@given(st.floats(min_value=0, max_value=999, allow_nan=False), st.integers(min_value=0, max_value=3))
def test_percentages_written_by_python_read_back(x: float, decimals: int) -> None:
    written = f"{x:.{decimals}f}"
    (fig,) = find_figures(f"Support reached {written}% in the poll.")
    assert (fig.unit, fig.value) == ("%", pytest.approx(float(written)))
    assert fig.precision == pytest.approx(10.0 ** -decimals)


# ---------------------------------------------------------------------------------------------
# The command line

def _run(path: str, monkeypatch, capsys, stdin: str | None = None) -> tuple[int, str, str]:
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = cmd_figures.run(argparse.Namespace(file=path))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_prints_one_line_per_input(tmp_path, monkeypatch, capsys) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": "a", "text": "Revenue was $18.51 billion."}\n'
                   '\n'
                   'not json\n'
                   '{"id": "b"}\n'
                   '{"id": 3, "text": "No numbers here."}\n', encoding="utf-8")
    code, out, err = _run(str(src), monkeypatch, capsys)
    assert code == 0
    lines = [json.loads(line) for line in out.splitlines()]
    assert [line["id"] for line in lines] == ["a", 3]
    (fig,) = lines[0]["figures"]
    assert {k: fig[k] for k in ("text", "value", "unit", "kind")} == {
        "text": "$18.51 billion", "value": 18510000000, "unit": "USD", "kind": "quantity"}
    assert lines[1]["figures"] == []
    assert "line 3" in err and "line 4" in err


def test_cli_reads_standard_input(monkeypatch, capsys) -> None:
    code, out, _ = _run("-", monkeypatch, capsys, stdin='{"id": 1, "text": "It rose 5%."}\n')
    assert code == 0
    assert json.loads(out)["figures"][0]["value"] == 5


def test_cli_unreadable_file_exits_2(tmp_path, monkeypatch, capsys) -> None:
    code, out, err = _run(str(tmp_path / "missing.jsonl"), monkeypatch, capsys)
    assert (code, out) == (2, "")
    assert "cannot read" in err


def test_cli_registers_the_subcommand() -> None:
    parser = argparse.ArgumentParser()
    cmd_figures.register(parser.add_subparsers())
    args = parser.parse_args(["figures", "x.jsonl"])
    assert (args.file, args.handler) == ("x.jsonl", cmd_figures.run)
