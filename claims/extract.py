"""From article text to claims: figures and rankings, each tied to a
subject, metric, period and region.

Data flows one way: sentences -> figures and rank phrases -> claims. The
state carried between sentences is what a reader carries too: which
entity the text is about (for "its" and "the company"), which period it
is in (for "the fourth quarter") and which metric (for "Xiaomi came fourth
with 14.8%").
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from claims.figures import find_figures
from claims.lexicon import CHANGE_DOWN_VERBS, CHANGE_UP_VERBS, MEASURE_UNITS, TIME_UNITS
from claims.metrics import concepts, find_metric_mentions
from claims.model import Claim, Figure, Period
from claims.periods import PeriodMention, find_periods, shift
from claims.rankings import find_rank_phrases, followed_by, is_rank_context
from claims.sentences import Sentence, split_sentences
from claims.subjects import (ENTITY, PERSON, PLACE, REFERENCE, SOURCE, Gazetteer, Mention, find_mentions,
                             proper_words, region_of)

# Units that are not claims on their own: a bare number says nothing
# checkable without its noun, and a duration ("two years of decline", "a
# 20-year-old") is context, not a figure a reference source states.
_NOT_CLAIMS = {"count"} | TIME_UNITS
MEASURE_NAMES = frozenset(MEASURE_UNITS.values())
_CHANGE_VERB = re.compile(r"\b(?:" + "|".join(sorted(set(CHANGE_UP_VERBS) | set(CHANGE_DOWN_VERBS), key=len, reverse=True))
                          + r"|up|down)\b", re.I)
_PREPOSITION_BEFORE = re.compile(
    r"\b(?:in|at|on|of|by|from|for|with|within|across|inside|outside|into|onto|than|like|versus|vs|against|"
    r"among|between|behind|beyond|over|under|about|via|per|to)\s+((?:[\w'’.&-]+\s+){0,4})$", re.I)
# Words that end a prepositional phrase and start a new clause: in "a report
# by IDC shows that Apple's share", Apple is the subject again.
_CLAUSE_WORDS = frozenset("""that which who whom whose shows showed show said says say is was are were has have had
and but while as when where although though because if finds found estimates reported notes noted""".split())
_CLAUSE_BREAK = re.compile(r";|:\s|\s[–—]\s|,\s*(?i:while|whereas|but|although|though)\b|,\s*(?i:and)\s+(?=[A-Z])|"
                           r"\s(?i:as|after|while|when)\s+(?=[A-Z][a-z])")


@dataclass
class Extraction:
    claims: list[Claim]
    more: int = 0  # claims found beyond the limit
    title: str | None = None


@dataclass
class _Context:
    """What the text is about so far."""

    focus: Mention | None = None
    focus_name: str | None = None
    focus_score: float = 0.0
    period: Period | None = None
    year: int | None = None
    metric_by_unit: dict[str, str] = field(default_factory=dict)
    mentions: list[Mention] = field(default_factory=list)  # of the sentence being read
    units_seen: set[str] = field(default_factory=set)  # units of the paragraph's claims so far
    paragraph: int = -1
    names_seen: dict[str, tuple[str, float]] = field(default_factory=dict)


def extract_claims(text: str, *, published: date | None = None, gazetteer: Gazetteer | None = None,
                   max_claims: int = 200) -> Extraction:
    """All check-worthy claims of an article, in text order.

    `published` resolves "last year"; `gazetteer` holds the entity names
    the fact database knows, so subjects come out under their canonical
    names. At most `max_claims` are returned; `more` says how many were left
    out, so a 10,000-number text stays bounded.
    """
    ctx = _Context()
    claims: list[Claim] = []
    more = 0
    sentences = split_sentences(text)
    paragraph_of = _paragraph_index(text)
    names = proper_words(s.text for s in sentences)
    for sentence in sentences:
        para = paragraph_of(sentence.start)
        if para != ctx.paragraph:
            ctx.paragraph = para
            ctx.period = None  # a new paragraph keeps the year, not the quarter
            ctx.metric_by_unit = {}
            ctx.units_seen = set()
        found = _claims_of_sentence(sentence, ctx, published, gazetteer, names)
        for claim in found:
            if len(claims) < max_claims:
                claims.append(claim)
            else:
                more += 1
    title = sentences[0].text if sentences and not sentences[0].text.rstrip().endswith((".", "!", "?")) else None
    return Extraction(claims, more, title)


def _paragraph_index(text: str):
    breaks = [m.start() for m in re.finditer(r"\n\s*\n", text)]

    def index(pos: int) -> int:
        return bisect.bisect_left(breaks, pos)
    return index


def _claims_of_sentence(sentence: Sentence, ctx: _Context, published: date | None,
                        gazetteer: Gazetteer | None, names: frozenset[str] | None = None) -> list[Claim]:
    text = sentence.text
    mentions = find_mentions(text, gazetteer, names)
    ctx.mentions = mentions
    periods = find_periods(text, published, ctx.year)
    metrics = find_metric_mentions(text)
    cited = next((m.text for m in mentions if m.kind == SOURCE), None)

    items: list[tuple[int, int, Figure]] = []
    previous: Figure | None = None
    for fig in find_figures(text):
        fig = _fraction_as_share(text, fig)
        if fig.unit == "count":
            fig = _bare_count(text, fig, previous, metrics)
        previous = fig
        if fig.unit in _NOT_CLAIMS:
            continue
        if fig.kind == "rank" and not is_rank_context(text, fig.start, fig.end):
            continue
        if _is_window(text, fig) or _is_hypothetical(text, fig):
            continue
        if fig.unit == "points" and "%" in ctx.units_seen and _GAP_WORDS.search(text[fig.end:fig.end + 20]):
            # "an 11.5-point lead" after vote shares in percent: percentage points
            fig = Figure(fig.text, fig.start, fig.end, fig.value, "pp", fig.kind, fig.qualifier, fig.precision)
        if _inside_name(fig, mentions):
            continue
        items.append((fig.start, fig.end, fig))
    for phrase in find_rank_phrases(text):
        if any(s < phrase.end and phrase.start < e for s, e, _ in items):
            continue
        items.append((phrase.start, phrase.end, Figure(phrase.text, phrase.start, phrase.end, 1, "rank", "rank")))
    items.sort(key=lambda it: it[0])

    claims: list[Claim] = []
    subjects = _assign_subjects(text, items, mentions, ctx, gazetteer)
    for (start, end, fig), (subject, score) in zip(items, subjects):
        claim = Claim(sentence=text, quote=fig.text, start=sentence.start + start, end=sentence.start + end,
                      kind=fig.kind, value=fig.value, unit=fig.unit, qualifier=fig.qualifier,
                      precision=fig.precision, subject=subject, subject_score=score, cited_source=cited)
        claim.period = _period_for(fig, text, periods, ctx, published)
        if published and claim.period and claim.period.start > published:
            continue  # a forecast ("300 stores by 2026") cannot be checked yet
        claim.metric, claim.metric_direct = _metric_for(fig, text, metrics, ctx)
        claim.forecast = _is_forecast(text, fig)
        if claim.unit == "points" and claim.metric and concepts(claim.metric) & _RATE_CONCEPTS:
            claim.unit = "pp"  # "cut rates by a quarter point": a rate moves in percentage points
        claim.region = region_of(_clause(text, fig.start), [m for m in mentions if _same_clause(text, m.start, fig.start)])
        if fig.kind == "rank":
            claim.scope = _rank_scope(text, fig.end)
        claims.append(claim)
    claims.extend(_followed_by_claims(text, sentence, claims, mentions, cited, periods, ctx, gazetteer))
    claims.sort(key=lambda c: c.start)
    _update_context(ctx, text, mentions, periods, metrics, claims, gazetteer)
    return claims


_FRACTION_WORD = re.compile(r"\b(?:half|halves|third|thirds|quarter|quarters|fifth|fifths|tenth|tenths|"
                            r"sixth|sixths|eighth|eighths)\b", re.I)


_LISTED_AFTER = re.compile(r"(?:,\s*|\s+and\s+)(?:the\s+)?[A-Z][\w'’&.-]*(?:\s+[A-Z][\w'’&.-]*){0,3}\s+$")
_SCALED = re.compile(r"\b(?:thousand|million|billion|trillion|mn|bn|m|k)\b", re.I)


def _bare_count(text: str, fig: Figure, previous: Figure | None, metrics) -> Figure:
    """A number without its noun is a claim when the sentence supplies the
    noun: "won 34 seats, the Greens 15" (the list's noun), or "deliveries
    ... to 151,900" (a metric that governs a large or scaled number)."""
    if previous is not None and previous.unit not in ("count", "%", "pp", "points", "rank") \
            and not previous.unit.isupper() and _LISTED_AFTER.fullmatch(text[previous.end:fig.start]):
        return Figure(fig.text, fig.start, fig.end, fig.value, previous.unit, fig.kind, fig.qualifier, fig.precision)
    if abs(fig.value) >= 1000 or _SCALED.search(fig.text):
        segment_start = max(text.rfind(",", 0, fig.start), text.rfind(";", 0, fig.start)) + 1
        governing = [m for m in metrics if segment_start <= m.start < fig.start and m.concept != "rank"]
        if governing and _governs(text, governing[-1].end, fig):
            return Figure(fig.text, fig.start, fig.end, fig.value, "units", fig.kind, fig.qualifier, fig.precision)
    return fig


def _fraction_as_share(text: str, fig: Figure) -> Figure:
    """"about a third of voters" states a share: 33.3%, as loose as the
    words are (approximate, to the percent)."""
    if fig.unit != "count" or not 0 < fig.value < 1 or not _FRACTION_WORD.search(fig.text):
        return fig
    if not re.match(r"\s+of\b", text[fig.end:fig.end + 5]):
        return fig
    qualifier = fig.qualifier if fig.qualifier != "exact" else "approx"
    return Figure(fig.text, fig.start, fig.end, round(fig.value * 100, 1), "%", fig.kind, qualifier, 1.0)


_EXPECTATION = re.compile(
    r"\b(?:expect(?:s|ed|ing|ation|ations)?|forecasts?|forecasting|forecasted|predict(?:s|ed|ion|ions)?|"
    r"projected|projections?|consensus|targets?|targeted|targeting|aims?\s+(?:to|for)|guidance|outlook|"
    r"budgeted|goal)\b", re.I)


def _is_forecast(text: str, fig: Figure) -> bool:
    """Whether the figure is what someone expects or aims for ("the $2.1bn
    analysts had expected", "a target of 320,000", "forecast growth of 2%"):
    a forecast is checked against forecasts, never against the result."""
    start = max(text.rfind(",", 0, fig.start), text.rfind(";", 0, fig.start), text.rfind(" than ", 0, fig.start)) + 1
    before = " ".join(text[start:fig.start].split()[-6:])
    after = " ".join(re.split(r"[,;.]", text[fig.end:], maxsplit=1)[0].split()[:4])
    return bool(_EXPECTATION.search(before) or _EXPECTATION.search(after))


_RATE_CONCEPTS = frozenset({"interest rate", "yield", "inflation", "unemployment", "share", "votes", "turnout",
                            "margin", "poll", "gdp"})
_GAP_WORDS = re.compile(r"^\s*(?:lead|gap|margin|swing|ahead|behind|clear)\b", re.I)
_WINDOW_NOUNS = frozenset("""games matches starts races appearances outings fixtures attempts tries seasons rounds
innings outings meetings tournaments events sessions""".split())
_WINDOW_BEFORE = re.compile(r"(?:\b\w+\s+in\s+(?:the\s+|their\s+|its\s+|his\s+|her\s+)?|"
                            r"\bof\s+(?:the\s+|their\s+|its\s+|his\s+|her\s+)?(?:last|past|first|previous|opening|final)\s+)$",
                            re.I)


def _is_window(text: str, fig: Figure) -> bool:
    """"ninth in 10 league games", "two of their last eight matches": the
    number of games a record is counted over, not a claim of its own."""
    noun = fig.unit.split()[-1] if fig.unit else ""
    words_between = text[fig.end:fig.end + 30]
    counted = noun in _WINDOW_NOUNS or bool(re.match(r"\s+\w+\s+(?:" + "|".join(_WINDOW_NOUNS) + r")\b", words_between))
    return counted and bool(_WINDOW_BEFORE.search(text[max(0, fig.start - 30):fig.start]))


def _is_hypothetical(text: str, fig: Figure) -> bool:
    """"even if warming were held to 1.5C": a condition, not a statement."""
    start = max(text.rfind(",", 0, fig.start), text.rfind(";", 0, fig.start)) + 1
    return bool(re.search(r"\b(?:if|unless|were\s+to)\b", text[start:fig.start], re.I)) and bool(
        re.search(r"\b(?:were|would|could|should|was\s+to)\b", text[start:fig.start], re.I))


def _inside_name(fig: Figure, mentions: list[Mention]) -> bool:
    """A number inside a known or capitalised name ("Qwen 2.5-Max") is part
    of the name, not a figure."""
    return any(m.kind != PLACE and m.start <= fig.start and fig.end <= m.end for m in mentions)


def _clause_bounds(text: str, pos: int) -> tuple[int, int]:
    start, end = 0, len(text)
    for m in _CLAUSE_BREAK.finditer(text):
        if m.end() <= pos:
            start = m.end()
        elif m.start() >= pos:
            end = m.start()
            break
    return start, end


def _clause(text: str, pos: int) -> str:
    s, e = _clause_bounds(text, pos)
    return text[s:e]


def _same_clause(text: str, a: int, b: int) -> bool:
    return _clause_bounds(text, a) == _clause_bounds(text, b)


def _in_prepositional_phrase(text: str, mention: Mention, clause_start: int) -> bool:
    """Whether a name sits in a phrase like "in China's market" or "by the
    platform X": such names scope a claim; they are rarely its subject."""
    before = text[max(clause_start, mention.start - 60):mention.start]
    before = re.split(r"[,;]", before)[-1]
    if re.search(r"\bfollowed\s+by\s*$", before, re.I):
        return False
    m = _PREPOSITION_BEFORE.search(before)
    if not m:
        return False
    between = m.group(1).lower().split()
    return not any(w in _CLAUSE_WORDS for w in between)


def _assign_subjects(text: str, items: list[tuple[int, int, Figure]], mentions: list[Mention], ctx: _Context,
                     gazetteer: Gazetteer | None) -> list[tuple[str | None, float]]:
    """The subject of each figure: pairs lists "respectively", else the
    grammatical subject of its clause, else the entity the text is about."""
    paired = _respectively(text, items, mentions)
    out: list[tuple[str | None, float]] = []
    for idx, (start, _end, _fig) in enumerate(items):
        if idx in paired:
            out.append(_name_of(paired[idx], ctx, gazetteer))
            continue
        out.append(_subject_at(text, start, mentions, ctx, gazetteer))
    return out


def _subject_at(text: str, pos: int, mentions: list[Mention], ctx: _Context,
                gazetteer: Gazetteer | None) -> tuple[str | None, float]:
    c_start, c_end = _clause_bounds(text, pos)
    candidates = [m for m in mentions if m.kind in (ENTITY, PERSON, REFERENCE) and c_start <= m.start < c_end]
    left = [m for m in candidates if m.start < pos]
    free = [m for m in left if not _in_prepositional_phrase(text, m, c_start) and not _object_reference(text, m)
            and not _possessor_of_name(text, m, mentions)]
    segment_start = max(text.rfind(",", 0, pos), text.rfind(";", 0, pos)) + 1
    if re.match(r"\s*(?:which|who|that)\b", text[segment_start:pos], re.I):
        # "... ahead of BYD, which ranked second": the relative pronoun
        # points at the name just before the comma, whatever phrase it is in.
        before = [m for m in mentions if m.kind in (ENTITY, PERSON) and m.end <= segment_start]
        if before:
            return _name_of(before[-1], ctx, gazetteer)
    # "closer than the Moon's average distance of 384,400 km": a possessive
    # on the metric that governs the figure names its subject, whatever
    # phrase it stands in.
    owner = _possessive_owner(text, pos, mentions, segment_start)
    if owner is not None:
        return _name_of(owner, ctx, gazetteer)
    # The grammatical subject comes first: "Contoso overtook its rival and
    # ranks first" is about Contoso. The comma segment of the figure wins
    # over the clause ("..., followed by Huawei with 16.6%").
    near = [m for m in free if m.start >= segment_start]
    for group in (near, free):
        if group:
            return _name_of(group[0], ctx, gazetteer)
    # Nothing in the clause: look back in the sentence, then to what the
    # text is about, then to places and names inside prepositional phrases.
    earlier = [m for m in mentions if m.kind in (ENTITY, REFERENCE) and m.start < c_start
               and not _in_prepositional_phrase(text, m, 0)]
    if earlier:
        return _name_of(earlier[0], ctx, gazetteer)
    # "Shares of Contoso rose 5%": a name in a phrase of the clause still
    # beats the entity of earlier sentences.
    named = [m for m in left if m.kind == ENTITY and not _is_source_like(text, m)]
    if named:
        return _name_of(named[0], ctx, gazetteer)
    if ctx.focus_name:
        # News paragraphs keep talking about the entity in focus ("Revenue
        # for the full year rose..."), even without "its" or "the company".
        return ctx.focus_name, ctx.focus_score * 0.9
    right = [m for m in candidates if m.start > pos]
    fallback = left or right
    if fallback:
        return _name_of(fallback[0], ctx, gazetteer)
    subject = _subject_phrase(text, c_start, pos, gazetteer)
    if subject:
        return subject
    places = [m for m in mentions if m.kind == PLACE and c_start <= m.start < c_end]
    if places:
        return places[0].text, 0.4
    return None, 0.0


def _possessive_owner(text: str, pos: int, mentions: list[Mention], segment_start: int) -> Mention | None:
    for m in reversed(mentions):
        if m.kind not in (ENTITY, PERSON) or not segment_start <= m.start < pos:
            continue
        after = text[m.end:pos]
        if re.search(r"[,;]|\b(?:and|while|but)\b", after) or _possessor_of_name(text, m, mentions):
            continue
        if re.match(r"['’]s\s+(?:[\w-]+\s+){0,2}", after) and find_metric_mentions(after[:40]) or \
                re.fullmatch(r"['’]s\s+(?:[a-z][\w-]*\s+){1,3}(?:of|at|was|is|stood|reached|hit|totalled|totaled)?\s*"
                             r"(?:about|nearly|around|some|more\s+than|less\s+than)?\s*", after):
            return m
    return None


def _possessor_of_name(text: str, mention: Mention, mentions: list[Mention]) -> bool:
    """"Manchester City's Erling Haaland scored": the club qualifies the
    player, who is the subject."""
    if not re.match(r"['’]s\s", text[mention.end:mention.end + 3]):
        return False
    return any(m.kind in (ENTITY, PERSON) and 0 < m.start - mention.end <= 3 for m in mentions)


def _is_source_like(text: str, mention: Mention) -> bool:
    """Names after "by", "from" or "than" are agents, origins or
    comparisons ("conducted by ChatBotArena", "more than Contoso")."""
    before = " ".join(text[max(0, mention.start - 60):mention.start].split()[-6:])
    return bool(re.search(r"\b(?:by|from|than|versus|vs\.?|against|like)\b[^,;]*$", before, re.I))


def _object_reference(text: str, mention: Mention) -> bool:
    """"its rival", "its chief executive": a possessive that names someone
    else. Only "its revenue", "its shares" (a metric) stand for the entity."""
    if mention.kind != REFERENCE or not mention.text.lower().startswith("its"):
        return False
    following = text[mention.end:mention.end + 40]
    return not any(m.start <= 12 for m in find_metric_mentions(following)) and not re.match(
        r"\s+(?:[\w-]+\s+)?(?:[\w-]+\s+)?(?:fell|rose|grew|dropped|jumped|climbed|declined|increased|decreased|was|were|reached|stood|"
        r"hit|totalled|totaled)\b", following)


_SUBJECT_WORDS = re.compile(r"[A-Za-z][\w.&'-]*")


def _subject_phrase(text: str, c_start: int, pos: int, gazetteer: Gazetteer | None) -> tuple[str, float] | None:
    """The words before the verb ("Smartphone shipments in China climbed
    5.6%") resolved against known entities, when no name stands out."""
    if not gazetteer:
        return None
    head = text[c_start:pos]
    words = [w for w in _SUBJECT_WORDS.findall(head) if w.lower() not in _FUNCTION_WORDS]
    metric_free = [w for w in words if not find_metric_mentions(w)]
    phrase = " ".join(metric_free[:6])
    hit = gazetteer.fuzzy(phrase) if phrase else None
    return hit


_FUNCTION_WORDS = frozenset("""the a an of in on at for to from by with and or its their his her this that these
those as than into over under is are was were has have had be been being climbed rose fell jumped dropped
grew increased decreased declined surged slipped gained lost reached stood totaled totalled hit came""".split())


def _name_of(mention: Mention, ctx: _Context, gazetteer: Gazetteer | None) -> tuple[str | None, float]:
    if mention.kind == REFERENCE:
        # "Norvik, the producer, kept its dividend": "its" is the last name
        # before it in the sentence, and only without one the text's focus.
        prior = [m for m in ctx.mentions if m.kind == ENTITY and m.canonical and m.end <= mention.start]
        if not prior:
            # "Halvorsen Foods, a privately held rival, said its revenue...":
            # a new name that opens the sentence is what "its" points to.
            firsts = [m for m in ctx.mentions if m.kind == ENTITY][:1]
            prior = [m for m in firsts if m.end <= mention.start]
        if prior:
            return _name_of(prior[-1], ctx, gazetteer)
        return (ctx.focus_name, ctx.focus_score * 0.9) if ctx.focus_name else (None, 0.0)
    if mention.canonical:
        return mention.canonical, 1.0
    key = mention.text.lower()
    if key in ctx.names_seen:
        return ctx.names_seen[key]
    resolved = (mention.text, 0.6)
    if gazetteer:
        hit = gazetteer.fuzzy(mention.text, cutoff=0.9)
        if hit:
            resolved = hit
    ctx.names_seen[key] = resolved
    return resolved


def _respectively(text: str, items: list[tuple[int, int, Figure]], mentions: list[Mention]) -> dict[int, Mention]:
    """Pair "A, B and C had 17%, 16% and 15% (respectively)" in order."""
    paired: dict[int, Mention] = {}
    runs: list[list[int]] = []
    for idx, (start, _end, fig) in enumerate(items):
        if runs and _listed_after(text, items[runs[-1][-1]][1], start) and items[runs[-1][-1]][2].unit == fig.unit:
            runs[-1].append(idx)
        else:
            runs.append([idx])
    for run in runs:
        if len(run) < 2:
            continue
        first = items[run[0]][0]
        c_start, _ = _clause_bounds(text, first)
        names = [m for m in mentions if m.kind == ENTITY and c_start <= m.start < first]
        names = _last_list(text, names)
        if len(names) == len(run):
            for idx, mention in zip(run, names):
                paired[idx] = mention
    return paired


def _listed_after(text: str, prev_end: int, start: int) -> bool:
    gap = text[prev_end:start]
    return bool(re.fullmatch(r"\s*(?:,\s*(?:and\s+)?|\s+and\s+|\s*/\s*)\s*", gap))


_LIST_GAP = re.compile(r"\s*(?:,\s*(?:and\s+)?|\s+and\s+|\s*&\s*)(?:the\s+)?(?:[a-z][\w-]*\s+)?\s*")


def _last_list(text: str, names: list[Mention]) -> list[Mention]:
    """The last run of names joined by commas and "and" ("the Greens, the
    Liberals and the nationalist Homeland Front")."""
    run: list[Mention] = []
    for m in names:
        if run and not _LIST_GAP.fullmatch(text[run[-1].end:m.start]):
            run = []
        run.append(m)
    return run


def _period_for(fig: Figure, text: str, periods: list[PeriodMention], ctx: _Context,
                published: date | None = None) -> Period | None:
    c_start, c_end = _clause_bounds(text, fig.start)
    own = [p for p in periods if p.period and not p.base]
    # "took 51 seats, up from 44 in 2021": the year belongs to the figure
    # it follows after "from"; the other figures keep theirs.
    mine = [p for p in own if _period_owner(text, p) in (None, fig.start)]
    in_clause = [p for p in mine if c_start <= p.start < c_end]
    pool = in_clause or mine
    chosen = min(pool, key=lambda p: abs(p.start - fig.start)).period if pool else ctx.period
    if fig.kind == "quantity":
        # "from $20.8 billion a year earlier": the figure is about the
        # comparison period, not the sentence's.
        for p in periods:
            if p.base and p.shift_years and p.start >= fig.end and p.start - fig.end <= 25 \
                    and "," not in text[fig.end:p.start]:
                reference = chosen or _recent_year(published)
                return shift(reference, p.shift_years) if reference else None
    return chosen


_FROM_FIGURE = re.compile(r"\bfrom\s+(?:about\s+|around\s+|nearly\s+)?[$€£¥]?\d[\d.,]*\s*(?:%|[a-z]+)?\s+$", re.I)


def _period_owner(text: str, period: PeriodMention) -> int | None:
    """Start of the figure a period is tied to by "from N <period>", if any."""
    m = _FROM_FIGURE.search(text[max(0, period.start - 40):period.start])
    if not m:
        return None
    number = re.search(r"[$€£¥]?\d", m.group(0))
    return max(0, period.start - 40) + m.start() + (number.start() if number else 0)


def _recent_year(published: date | None) -> Period | None:
    """The twelve months before publication: what "now" means for "a
    year earlier" when the sentence names no period."""
    if published is None:
        return None
    return Period("the past year", published - timedelta(days=364), published)


def _metric_for(fig: Figure, text: str, metrics, ctx: _Context) -> tuple[str | None, bool]:
    if fig.kind == "rank":
        return "rank", True
    segment_start = max(text.rfind(",", 0, fig.start), text.rfind(";", 0, fig.start)) + 1
    c_start, c_end = _clause_bounds(text, fig.start)
    metrics = [m for m in metrics if m.concept != "rank"]
    counted = find_metric_mentions(fig.unit) if fig.unit not in ("%", "pp", "points") else []
    if counted and counted[0].concept != "rank":
        return fig.unit, True  # "411 seats", "3 million subscribers": the noun is the metric
    if fig.unit.islower() and fig.unit not in ("%", "pp", "points", "rank", "count", "units") \
            and fig.unit not in MEASURE_NAMES:
        return None, False  # "scored 19 goals": the counted noun says more than the verb
    right_next = [m for m in metrics if fig.end <= m.start <= fig.end + 2 and not text[fig.end:m.start].strip()]
    if right_next:
        return right_next[0].text.lower(), True
    near = [m for m in metrics if segment_start <= m.start < fig.start]
    if near:
        return near[-1].text.lower(), _governs(text, near[-1].end, fig)
    clause = [m for m in metrics if c_start <= m.start < c_end and m.concept != "rank"]
    if clause:
        left = [m for m in clause if m.start < fig.start]
        return (left[-1] if left else clause[0]).text.lower(), False
    # "Xiaomi came fourth with 14.8%": the figure continues the last one
    # of its unit, so it measures the same thing.
    inherited = ctx.metric_by_unit.get(fig.unit)
    if inherited:
        return inherited, False
    return None, False


_FIGURE_LIKE = re.compile(r"\d")


def _governs(text: str, metric_end: int, fig: Figure) -> bool:
    """Whether the metric before a figure is what the figure measures.

    "Sales fell 11%" and "a market share of 17%": yes. In "its share stood
    at 16.3% after 42% growth" the share owns 16.3%, and the growth is of
    something the sentence leaves unsaid, so 42% only inherits it.
    """
    between = text[metric_end:fig.start]
    if fig.kind != "change":
        # "share price dropped nearly 7% to $48.20": the level after a
        # change still belongs to the metric.
        return not _FIGURE_LIKE.search(between) or bool(
            _CHANGE_VERB.search(between) and re.search(r"\b(?:to|at)\s*$", between) and ";" not in between)
    return bool(_CHANGE_VERB.search(between)) and not _FIGURE_LIKE.search(between)


def _rank_scope(text: str, end: int) -> str | None:
    """The field of a ranking: "first globally in individual tests of
    mathematics" ranks in mathematics, not overall."""
    m = re.match(r"(?:\s+(?:globally|worldwide|overall))?\s+in\s+([^,;.]+)", text[end:])
    if not m:
        return None
    words = m.group(1)
    if find_periods(words) or re.match(r"(?:the\s+)?(?:world|country|market|china|europe|us|u\.s\.)\b", words, re.I):
        return None
    if re.match(r"(?:the\s+)?[A-Z]", words) or re.match(r"(?:the\s+)?(?:first|second|third|fourth|q\d|\d{4})", words, re.I):
        return None
    return words.strip()


def _followed_by_claims(text: str, sentence: Sentence, claims: list[Claim], mentions: list[Mention],
                        cited: str | None, periods, ctx: _Context, gazetteer: Gazetteer | None) -> list[Claim]:
    """"X topped the list, followed by Y and Z": Y and Z rank next."""
    out: list[Claim] = []
    for start, end in followed_by(text):
        ranked = [c for c in claims if c.kind == "rank" and c.start - sentence.start < start]
        if not ranked:
            continue
        base = int(ranked[-1].value)
        names = [m for m in mentions if m.kind == ENTITY and m.start >= end]
        names = _last_list(text, names)[:4] if names and re.fullmatch(r"\s+(?:the\s+)?", text[end:names[0].start]) else []
        for offset, mention in enumerate(names, start=1):
            subject, score = _name_of(mention, ctx, gazetteer)
            claim = Claim(sentence=text, quote=text[start:end], start=sentence.start + start,
                          end=sentence.start + end, kind="rank", value=base + offset, unit="rank",
                          subject=subject, subject_score=score, metric="rank", metric_direct=True,
                          period=ranked[-1].period, region=ranked[-1].region, cited_source=cited)
            out.append(claim)
    return out


def _update_context(ctx: _Context, text: str, mentions: list[Mention], periods: list[PeriodMention], metrics,
                    claims: list[Claim], gazetteer: Gazetteer | None) -> None:
    subjects = [c for c in claims if c.subject and c.subject_score >= 0.5]
    if subjects:
        ctx.focus_name, ctx.focus_score = subjects[-1].subject, subjects[-1].subject_score
    else:
        free = [m for m in mentions if m.kind == ENTITY and not _in_prepositional_phrase(text, m, 0)]
        if free:
            name, score = _name_of(free[0], ctx, gazetteer)
            if name:
                ctx.focus_name, ctx.focus_score = name, score
        elif not ctx.focus_name:
            hit = _subject_phrase(text, 0, len(text), gazetteer)
            if hit:
                ctx.focus_name, ctx.focus_score = hit
    own = [p for p in periods if p.period and not p.base]
    if own:
        if claims:
            # Only a period that figures were stated for carries on ("In Q3
            # Apple held 15.6%. Xiaomi came fourth with 14.8%."); a date in
            # a sentence without figures is usually an event's.
            ctx.period = own[-1].period
        years = [p for p in own if p.year_level or p.period.fiscal]
        anchor = (years or own)[-1].period
        ctx.year = anchor.end.year if anchor.start.year == anchor.end.year else ctx.year
    ctx.units_seen.update(c.unit for c in claims)
    for claim in claims:
        if claim.kind != "rank" and claim.metric:
            ctx.metric_by_unit[claim.unit] = claim.metric
