"""Ordinals rank only in a ranking context; rank phrases state rank 1."""
import re

import pytest

from claims.rankings import find_rank_phrases, is_rank_context


def context(sentence, word):
    m = re.search(rf"\b{word}\b", sentence)
    return is_rank_context(sentence, m.start(), m.end())


@pytest.mark.parametrize("sentence, word", [
    ("The club finished third in the league.", "third"),
    ("It slipped to fifth place.", "fifth"),
    ("The model ranked second globally.", "second"),
    ("Its chip is now the second-largest seller.", "second"),
    ("The airline came first, the railway came second.", "second"),
    ("She was named No. 4 on the list.", "4"),
])
def test_ranks(sentence, word):
    assert context(sentence, word)


@pytest.mark.parametrize("sentence, word", [
    ("For the first time, sales fell.", "first"),
    ("In the third quarter profit rose.", "third"),
    ("It was the second half of the year.", "second"),
    ("They proposed a third option.", "third"),
])
def test_not_ranks(sentence, word):
    assert not context(sentence, word)


@pytest.mark.parametrize("sentence, phrase", [
    ("Lumo topped the list with 20%.", "topped the list"),
    ("Northwind led the market in Europe.", "led the market"),
    ("It was the country's best-selling car.", "the country's best-selling"),
    ("The bank is the world's largest lender.", "the world's largest"),
    ("The team took the top spot.", "took the top spot"),
])
def test_rank_phrases(sentence, phrase):
    assert [p.text for p in find_rank_phrases(sentence)] == [phrase]


@pytest.mark.parametrize("sentence", [
    "It is one of the largest banks.",
    "It was the largest ever recorded.",
    "They are leading the charge on regulation.",
])
def test_no_rank_phrase(sentence):
    assert find_rank_phrases(sentence) == []
