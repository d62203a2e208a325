"""Sentence splitting keeps abbreviations, decimals and quotes whole."""
import pytest

from claims.sentences import split_sentences


def texts(text):
    return [s.text for s in split_sentences(text)]


@pytest.mark.parametrize("text, expected", [
    ("Acme Inc. said profit rose 4.5% to $2.1 billion. Shares fell.",
     ["Acme Inc. said profit rose 4.5% to $2.1 billion.", "Shares fell."]),
    ("The U.S. market grew. Europe did not.", ["The U.S. market grew.", "Europe did not."]),
    ("It was the No. 1 brand. It is now No. 2.", ["It was the No. 1 brand.", "It is now No. 2."]),
    ("Output was approx. 40 tonnes a day. Demand fell.", ["Output was approx. 40 tonnes a day.", "Demand fell."]),
    ('"We grew 12%," said Dr. Lee. Rivals shrank.', ['"We grew 12%," said Dr. Lee.', "Rivals shrank."]),
    ("Sales rose 3.25 percent! Why? Nobody knows.", ["Sales rose 3.25 percent!", "Why?", "Nobody knows."]),
])
def test_splits_where_a_reader_would(text, expected):
    assert texts(text) == expected


def test_headline_and_paragraphs_are_their_own_sentences():
    text = "Carmaker Posts Record Year\n\nDeliveries rose 8% in 2024. Margins held.\nThe outlook is mixed."
    assert texts(text) == ["Carmaker Posts Record Year", "Deliveries rose 8% in 2024.", "Margins held.",
                           "The outlook is mixed."]


def test_offsets_point_back_into_the_text():
    text = "First one here.  Second one there."
    for s in split_sentences(text):
        assert text[s.start:s.end] == s.text


def test_empty_text_has_no_sentences():
    assert split_sentences("") == []
    assert split_sentences("   \n\n  ") == []
