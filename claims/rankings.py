"""Rankings: ordinals in a ranking context, and the phrases that state a
rank without a number ("topped the list", "best-selling", "followed by").

An ordinal alone is not a claim ("the first time", "a third option"); the
words around it say whether something is being ranked.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_BEFORE = re.compile(
    r"(?:\b(?:rank(?:ed|ing|s)?|came|comes?|coming|finish(?:ed|es|ing)?|plac(?:ed|es|ing)|took|takes?|taking|"
    r"slipped|slips?|slipping|fell|falls?|falling|dropped|drops?|dropping|rose|rises?|rising|climbed|climbs?|"
    r"moved|moves?|jumped|jumps?|sank|sinks?|slid|slides?|remain(?:ed|s)?|stay(?:ed|s)?|sits?|sat|stood|stands?|"
    r"ended|ends?|held|holds?|secured|claimed|grabbed|retained|was|were|is|are|be|been|become|became|rated|listed|"
    r"voted|named|and|or|up|down|back)\s+(?:up\s+|down\s+|back\s+)?(?:to\s+|at\s+|in\s+|into\s+)?(?:the\s+)?"
    r"(?:no\.\s*|number\s+)?$)", re.I)
_AFTER = re.compile(
    r"^(?:[-\s]+(?:place|position|spot|slot|rank|largest|biggest|best[-\s]selling|top[-\s]selling|most|highest|"
    r"lowest|richest|busiest|fastest|strongest|largest|smallest|best|worst|ranked|popular|leading)\b|"
    r"\s+(?:globally|worldwide|overall|in\s+the\s+world|on\s+the\s+list|in\s+the\s+rankings?|among|out\s+of|of\s+\d+|"
    r"in\s+(?:the\s+)?(?:market|sector|industry|league|table|standings|poll|race)))", re.I)
_NOT_RANK_AFTER = re.compile(
    r"^[-\s]+(?:quarter|half|time|times|day|week|month|year|term|class|century|floor|edition|anniversary|"
    r"generation|round|stage|phase|step|option|path|wave|batch|season|leg|game|match|period|place\s+(?:to|where))\b", re.I)
_SUPERLATIVE_IN = re.compile(r"[-\s](?:largest|biggest|highest|lowest|richest|busiest|fastest|strongest|smallest|"
                             r"best|worst|most|least|oldest|youngest|poorest|cheapest|heaviest|longest|leading)\b", re.I)
_NUMBER_SIGN = re.compile(r"\b(?:No\.|Number|number)\s*$")


def is_rank_context(text: str, start: int, end: int) -> bool:
    """Whether the ordinal at text[start:end] ranks something."""
    before, after = text[max(0, start - 40):start], text[end:end + 40]
    if _SUPERLATIVE_IN.search(text[start:end]):
        return True  # "third-largest", "fourth-richest": the figure itself ranks
    if _NOT_RANK_AFTER.match(after):
        return False
    return bool(_BEFORE.search(before) or _AFTER.match(after) or _NUMBER_SIGN.search(before))


@dataclass(frozen=True, slots=True)
class RankPhrase:
    text: str
    start: int
    end: int
    value: int
    subject_hint: str | None = None  # for "followed by X": the entity named


_TOP = re.compile(
    r"\b(?:top(?:ped|s|ping)?\s+the\s+(?:list|rankings?|charts?|table|league|market|leaderboard|standings|poll|"
    r"survey|sales\s+charts?)|(?:led|leads|lead|leading)\s+the\s+(?:market|list|rankings?|charts?|table|league|"
    r"leaderboard|standings|field|pack|sector|industry|polls?|race)|(?:took|takes?|taking|claimed|claims|held|holds|"
    r"retained|retains|kept|keeps|grabbed|seized|secured|won|regained|reclaimed)\s+(?:the\s+)?(?:top\s+(?:spot|position|"
    r"place|slot)|first\s+place|pole\s+position|number\s+one\s+(?:spot|position))|number\s+one|No\.\s?1\b)", re.I)
_SUPERLATIVE = re.compile(
    r"\b(?:(?:the\s+)?(?:world|country|nation|region|continent|industry|market|sector|[A-Z][\w.-]*)['’]s|the)\s+"
    r"(?:(?:single|very)\s+)?(best[-\s]selling|top[-\s]selling|largest|biggest)\b")
_FOLLOWED = re.compile(r"\bfollowed\s+by\b(?=\s)", re.I)


def find_rank_phrases(text: str) -> list[RankPhrase]:
    """Rank statements without an ordinal figure, as rank 1 (or the next
    ranks for "followed by"), in text order."""
    out: list[RankPhrase] = []
    for m in _TOP.finditer(text):
        out.append(RankPhrase(m.group(0), m.start(), m.end(), 1))
    for m in _SUPERLATIVE.finditer(text):
        if any(p.start <= m.start(1) < p.end for p in out):
            continue
        before = text[max(0, m.start() - 12):m.start()]
        if re.search(r"\b(?:one|some|among)\s+of\s*$", before, re.I):
            continue  # "one of the largest" ranks nothing
        if re.match(r"\s+(?:ever|since|in\s+(?:years|decades|history))", text[m.end():m.end() + 20]):
            continue  # a record, not a rank among rivals
        out.append(RankPhrase(m.group(0), m.start(), m.end(), 1))
    out.sort(key=lambda p: p.start)
    return out


def followed_by(text: str) -> list[tuple[int, int]]:
    """Spans of "followed by" phrases: what comes after names the next ranks."""
    return [(m.start(), m.end()) for m in _FOLLOWED.finditer(text)]
