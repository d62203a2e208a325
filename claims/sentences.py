"""Split article text into sentences without breaking on "U.S.", "Inc.",
"No. 1", "approx." or decimals.

Claims are reported with their whole sentence, and subjects, periods and
hedges are looked up within it, so a wrong split loses context on both
sides of the cut.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# Abbreviations after which a full stop does not end a sentence (lower-case,
# without the dot). Titles and corporate suffixes are the common cases in news.
ABBREVIATIONS = frozenset("""
mr mrs ms dr prof sr jr st mt ft gen col lt sgt capt cmdr adm gov sen rep pres rev hon
inc ltd co corp plc llc bros dept univ assn est
no nos vs etc approx appx ca cf al e.g i.e fig figs vol vols ch pp p para sec art
jan feb mar apr jun jul aug sep sept oct nov dec mon tue wed thu fri sat sun
u.s u.k u.n e.u a.m p.m
""".split())

# A capitalised word after which a full stop usually does end the sentence is
# the normal case; these are the abbreviations that are usually followed by a
# number, so "No. 1" and "approx. 5" never split.
_BEFORE_NUMBER = frozenset({"no", "nos", "approx", "appx", "ca", "fig", "figs", "vol", "ch", "p", "pp", "sec", "art", "para"})

_BOUNDARY = re.compile(r"""([.!?…]+)(["'”’)\]]*)(\s+)(?=["'“‘(\[]?[A-Z0-9])""")
_LINES = re.compile(r"\n\s*\n|\n(?=\s*[-*•]\s)")


@dataclass(frozen=True, slots=True)
class Sentence:
    text: str
    start: int
    end: int


def _is_abbreviation(text: str, dot: int) -> bool:
    """True when the full stop at `dot` closes an abbreviation, not a sentence."""
    i = dot
    while i > 0 and (text[i - 1].isalpha() or text[i - 1] == "."):
        i -= 1
    word = text[i:dot].lower()
    if not word:
        return False
    if word in ABBREVIATIONS:
        return True
    # Initials: "J. Smith", "U.S." spelled with dots between single letters.
    if len(word) == 1 and text[i].isupper():
        return True
    return bool(re.fullmatch(r"(?:[a-z]\.)+[a-z]", word))


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of `text` with their offsets; paragraphs and list items
    always end a sentence (a headline has no full stop)."""
    out: list[Sentence] = []
    for block in _blocks(text):
        b_start, b_end = block
        cut = b_start
        for m in _BOUNDARY.finditer(text, b_start, b_end):
            punct_start = m.start(1)
            if text[m.start(1)] == "." and len(m.group(1)) == 1 and _is_abbreviation(text, punct_start):
                word_start = punct_start
                while word_start > 0 and text[word_start - 1].isalpha():
                    word_start -= 1
                if text[word_start:punct_start].lower() in _BEFORE_NUMBER or not _sentence_like_after(text, m.end()):
                    continue
            end = m.end(2)
            _append(out, text, cut, end)
            cut = m.end()
        _append(out, text, cut, b_end)
    return out


def _sentence_like_after(text: str, at: int) -> bool:
    """After an abbreviation, a new sentence usually starts with a
    capitalised common word ("The", "It"), not a name ("Inc. Chief Tim")."""
    m = re.match(r"[\"'“‘(]?([A-Z][a-z]+)", text[at:at + 30])
    return bool(m and m.group(1) in _SENTENCE_STARTERS)


_SENTENCE_STARTERS = frozenset("""
The A An It Its This That These Those There Their They He She We I In On At For But And
Meanwhile However Still Also Yet So Shares Sales Revenue Analysts According After Before
Since While When As If Although Despite Last Next Earlier Later Overall
""".split())


def _blocks(text: str) -> list[tuple[int, int]]:
    blocks = []
    start = 0
    for m in _LINES.finditer(text):
        blocks.append((start, m.start()))
        start = m.end()
    blocks.append((start, len(text)))
    # A single line break that follows a line with no closing punctuation is a
    # headline or a list entry, not a wrapped sentence.
    out = []
    for b_start, b_end in blocks:
        seg_start = b_start
        for m in re.finditer(r"\n", text[b_start:b_end]):
            nl = b_start + m.start()
            before = text[seg_start:nl].rstrip()
            after = text[nl + 1:nl + 3].lstrip()
            short_line = len(before.strip()) < 60 and after[:1].isupper()
            if before and before[-1] not in ",;:-–—(" and (not before[-1].isalpha() or short_line) or _looks_like_heading(before):
                out.append((seg_start, nl))
                seg_start = nl + 1
        out.append((seg_start, b_end))
    return out


def _looks_like_heading(line: str) -> bool:
    words = line.split()
    return 0 < len(words) <= 14 and line[-1:] not in ".,;:" and sum(w[:1].isupper() for w in words) >= len(words) * 0.6


def _append(out: list[Sentence], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        out.append(Sentence(text[start:end], start, end))
