"""Who or what a figure is about.

Subjects come from two places: the names the reference database knows
(aliases, matched exactly after normalisation) and capitalised noun
phrases the text itself introduces. Places are kept apart (they scope a
claim, "Apple's share in China"), so are cited sources ("IDC said"), and
"its", "the company" or "the iPhone maker" point back to the entity the
text is about.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from claims.regions import GLOBAL, find_places, mentions_global

ENTITY, PLACE, SOURCE, REFERENCE, PERSON = "entity", "place", "source", "reference", "person"

# Words before a name that make it a person: people are quoted and ranked
# (a striker, a candidate) but are rarely what a company figure is about.
_TITLE = re.compile(
    r"(?i:\b(?:minister|president|premier|chancellor|governor|secretary|senator|mayor|ceo|cfo|coo|chief\s+executive|"
    r"chief\s+financial\s+officer|chairman|chairwoman|chair|spokes(?:man|woman|person)|analyst|economist|director|"
    r"head|founder|co-founder|coach|manager|striker|midfielder|defender|goalkeeper|author|researcher|scientist|"
    r"professor|candidate|leader|boss|executive|officer|trader|strategist|dr|mr|mrs|ms|prof|sir|dame))\.?\s+"
    r"(?:[A-Z][\w'’-]*\s+){0,2}$")


@functools.lru_cache(maxsize=65536)
def normalize(name: str) -> str:
    """Lookup key for a name: case, spacing and punctuation do not matter,
    so "Qwen 2.5-Max" and "Qwen2.5-Max" are the same key, and neither does
    a possessive ("Apple's"). NFKC first, so full-width letters and
    ligatures compare like ASCII ones. The fact database keys its aliases
    with this same function."""
    name = re.sub(r"['’]s\b", "", unicodedata.normalize("NFKC", name).casefold())
    return "".join(ch for ch in name if ch.isalnum())


@dataclass
class Gazetteer:
    """The entity names a check can recognise, from the fact database.

    Exact lookups use a dict of normalised aliases. Fuzzy resolution only
    compares names that share a word with the query (an inverted index),
    so it costs the same with a hundred entities or a hundred thousand.
    """

    by_key: dict[str, str] = field(default_factory=dict)
    by_word: dict[str, list[str]] = field(default_factory=dict)
    max_tokens: int = 1

    @classmethod
    def from_names(cls, names: Mapping[str, Iterable[str]]) -> "Gazetteer":
        by_key: dict[str, str] = {}
        by_word: dict[str, list[str]] = {}
        longest = 1
        for canonical, aliases in names.items():
            for word in set(_words(canonical)):
                by_word.setdefault(word, []).append(canonical)
            for alias in (canonical, *aliases):
                key = normalize(alias)
                if len(key) < 2:
                    continue
                by_key.setdefault(key, canonical)
                longest = max(longest, len(_TOKEN.findall(alias)))
        return cls(by_key, by_word, min(longest, 8))

    def exact(self, text: str) -> str | None:
        return self.by_key.get(normalize(text))

    def fuzzy(self, text: str, cutoff: float = 0.86) -> tuple[str, float] | None:
        """Best canonical name for a noun phrase, or None below `cutoff`.

        token_set_ratio lets "smartphone China" find "China smartphone
        market" (the caller removes metric words first), and the cutoff
        keeps a weak resemblance from becoming a subject.
        """
        # Candidates share a word with the query; starting from its rarest
        # words keeps the pool small when a common word ("Systems") is in
        # thousands of names.
        pools = sorted((p for p in (self.by_word.get(word) for word in set(_words(text))) if p), key=len)
        if not pools:
            return None
        pool: set[str] = set(pools[0])
        for names in pools[1:]:
            if len(pool) > _FUZZY_POOL:
                pool &= set(names)  # all words common: a name must share the rarer ones too
            elif len(pool) + len(names) <= _FUZZY_POOL:
                pool.update(names)
        if not pool or len(pool) > 4 * _FUZZY_POOL:
            return None  # only everyday words ("Group", "Systems"): nothing to tell names apart
        hit = process.extractOne(text, sorted(pool), scorer=fuzz.token_set_ratio,
                                 processor=str.lower, score_cutoff=cutoff * 100)
        return (hit[0], hit[1] / 100.0) if hit else None


_FUZZY_POOL = 200


def _words(text: str) -> list[str]:
    """Content words for the fuzzy index: common words would pull in
    every name that contains them."""
    return [w for w in re.findall(r"[a-z0-9]+", text.casefold()) if len(w) > 1 and w not in _INDEX_STOPWORDS]


_INDEX_STOPWORDS = frozenset("the of and in on for at to by with a an inc ltd co corp plc group holdings company".split())


@dataclass(frozen=True, slots=True)
class Mention:
    text: str
    start: int
    end: int
    kind: str
    canonical: str | None = None
    score: float = 1.0


_TOKEN = re.compile(r"[A-Za-z0-9][\w.&'’+-]*[\w+]|[A-Za-z0-9]")

# Capitalised words that start sentences or name things that are not
# subjects of figures (months, days, titles, generic acronyms).
_NOT_NAMES = frozenset("""
The A An It Its This That These Those There Their They He She We I You In On At For But And Or Nor So Yet
Meanwhile However Still Also Since While When As If Although Though Despite After Before During Upon Under
Over From To By With Without Of Earlier Later Last Next Previously Currently Recently Overall Moreover
Furthermore Consequently Subsequently Historically Traditionally Unlike Compared According Behind Beyond
Between Among Amid Across Around Against Once Even Only Just More Most Less Some Many Much Such Each Every
All Both Either Neither Other Another What Which Who Whom Whose Why How Where Here Now Then Than Thus Hence
Indeed Instead Otherwise Nevertheless Nonetheless Besides Likewise Similarly Accordingly Ultimately Finally
First Second Third Fourth Fifth Sales Revenue Revenues Shares Share Stocks Stock Profit Profits Prices Price
Smartphone Smartphones Shipments Market Markets Analysts Investors Image Source Photo Read Click Published
Updated Solemnly Note Editor Image Copyright Chief Executive Officer President Minister Mr Mrs Ms Dr Prof
January February March April May June July August September October November December Monday Tuesday
Wednesday Thursday Friday Saturday Sunday Q1 Q2 Q3 Q4 H1 H2 FY AI CEO CFO COO CTO GDP CPI EV EVs IPO ETF
Inc Ltd Corp Co Plc LLC Group Holdings Company Yesterday Today Tomorrow Tonight Separately Elsewhere
Globally Additionally Officials Economists Experts Critics Traders Shoppers Consumers Customers Voters Fans
Scientists Researchers Executives Managers Workers Employees Residents Sources People Companies Firms Brands
Rivals Peers Prices Costs Earnings Deliveries Orders Exports Imports Inflation Unemployment Growth Demand
Supply Output Production Profit Losses Data Figures Results Reports Report Survey Study Estimates Forecasts
Please Contact Call Email Visit See Subscribe Sign Follow Share Watch Listen Related Advertisement Sponsored
""".split())

_REFERENCES = re.compile(
    r"\b(?:its|it|the\s+(?:company|firm|group|business|brand|maker|manufacturer|carmaker|automaker|retailer|"
    r"chain|bank|lender|insurer|airline|operator|giant|tech\s+giant|startup|start-up|conglomerate|team|club|side|party|"
    r"government|ministry|agency|country|nation|state|city|region|market|index|model|device|product|platform|"
    r"provider|developer|producer|supplier|utility|miner|insurer|fund|exchange)|the\s+[\w-]+\s+(?:maker|giant|firm|"
    r"company|group|brand|retailer|operator|provider|producer|developer|carmaker|automaker))\b", re.I)

# Phrases that introduce the source of a figure ("according to IDC").
_SOURCE_BEFORE = re.compile(
    r"(?i:\b(?:according\s+to|data\s+from|figures\s+from|estimates?\s+(?:from|by)|(?:released|published|compiled|"
    r"conducted|reported|issued)\s+by|research\s+(?:firm|company|group)|analysts?\s+at|report\s+(?:from|by)|"
    r"tracker\s+from))\s+(?i:the\s+|an?\s+)?(?:(?:[A-Z][\w-]*|research|firm|company|consultancy|market|data|analytics|"
    r"industry|provider|group|tracker|platform|agency|evaluation|authoritative|independent|analyst|analysts|"
    r"statistics|statistical|office|bureau|institute)\s+){0,4}$")
# "..., IDC said" and "..., said IDC": attribution after the claim. A name
# that opens the sentence ("BYD said its revenue rose") is its subject.
_SAID_AFTER = re.compile(r"^\s*(?:said|says|reported|estimated|estimates|noted|wrote)\b", re.I)
_SAID_BEFORE = re.compile(r",\s*(?:said|says|reported|according\s+to)\s+$", re.I)
_SOURCE_AFTER = re.compile(
    r"^(?:['’]s)?\s*(?:data|figures|research|report|survey|analysts?|estimates)\b|^\s+(?:data\s+)?(?:showed|shows)\b",
    re.I)


_LEADING_TITLE = re.compile(
    r"(?:(?:Finance|Foreign|Prime|Deputy|Health|Energy|Economy|Trade|Interior|Defence|Defense|Education|Transport|"
    r"Environment|Chief|Vice|Managing|Executive|Technical|Sporting|Head)\s+)*"
    r"(?:Minister|President|Premier|Chancellor|Governor|Secretary|Senator|Mayor|CEO|CFO|Chairman|Chairwoman|Director|"
    r"Coach|Manager|Professor|Prof\.?|Dr\.?|Mr\.?|Mrs\.?|Ms\.?|Sir|Dame|Officer)\s+")


_FINITE_VERB = re.compile(
    r"\s+(?:[a-z]+ed|said|says|has|had|have|is|was|were|are|will|would|can|could|may|might|must|sold|made|"
    r"took|won|lost|rose|fell|grew|hit|cut|saw|paid|kept|built|bought|spent|set|put|led|became|remains|plans|"
    r"expects|reports|posts|sells|makes|says|aims|wants|also|now|still)\b")


# "Bank of England", "Office for National Statistics": names that hold a
# place, which must not be split into a name and a region.
_INSTITUTION = re.compile(
    r"\b((?!(?:The|A|An|In|On|At|For|Of|By|From|With)\s)(?:[A-Z][\w&'’-]*\s+){1,3}(?:of|for)\s+(?:the\s+)?"
    r"[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,2})")


def proper_words(sentences: Iterable[str]) -> frozenset[str]:
    """Capitalised words seen after the first word of a sentence.

    A capital at the start of a sentence proves nothing ("Online sales
    rose"); the same word capitalised mid-sentence elsewhere in the article
    shows it is a name ("... ahead of Contoso").
    """
    seen: set[str] = set()
    for sentence in sentences:
        for m in list(_TOKEN.finditer(sentence))[1:]:
            word = m.group(0)
            if word[0].isupper():
                seen.add(re.sub(r"['’]s$", "", word))
    return frozenset(seen)


def find_mentions(text: str, gazetteer: Gazetteer | None, names: frozenset[str] | None = None) -> list[Mention]:
    """Entity, place, source and back-reference mentions in one sentence,
    in text order, without overlaps (known names first, longest first).

    `names` are the words the article capitalises mid-sentence (see
    `proper_words`); without it, a capitalised first word counts as a name."""
    tokens = [(m.start(), m.end()) for m in _TOKEN.finditer(text)]
    taken = [False] * len(tokens)
    found: list[Mention] = []

    def take(i: int, j: int, kind: str, canonical: str | None, score: float = 1.0) -> None:
        start, end = tokens[i][0], tokens[j][1]
        surface = re.sub(r"['’]s$", "", text[start:end])
        found.append(Mention(surface, start, start + len(surface), kind, canonical, score))
        for k in range(i, j + 1):
            taken[k] = True

    if gazetteer and gazetteer.by_key:
        # Each token is normalised once; a window's key is the join of its
        # tokens' keys, the same as normalising the window's text.
        keys = [normalize(text[a:b]) for a, b in tokens]
        for width in range(gazetteer.max_tokens, 0, -1):
            for i in range(len(tokens) - width + 1):
                j = i + width - 1
                if any(taken[i:j + 1]):
                    continue
                surface = text[tokens[i][0]:tokens[j][1]]
                canonical = gazetteer.by_key.get("".join(keys[i:j + 1]))
                if canonical is None or _looks_like_common_word(surface, canonical):
                    continue
                take(i, j, ENTITY, canonical)

    for m in _INSTITUTION.finditer(text):
        if m.group(1).split()[0] in _NOT_NAMES:
            continue  # "Shares of Nvidia" is a metric of a name
        idx = [k for k, (a, b) in enumerate(tokens) if a >= m.start(1) and b <= m.end(1)]
        if idx and not any(taken[k] for k in idx):
            canonical = gazetteer.exact(m.group(1)) if gazetteer else None
            take(idx[0], idx[-1], ENTITY, canonical, 1.0 if canonical else 0.0)

    place_spans = find_places(text)
    for start, end, name in place_spans:
        idx = [k for k, (s, e) in enumerate(tokens) if s >= start and e <= end]
        if idx and not any(taken[k] for k in idx):
            found.append(Mention(text[start:end], start, end, PLACE, name))
            for k in idx:
                taken[k] = True

    i = 0
    while i < len(tokens):
        if taken[i] or not _capitalised(text, tokens[i], i == 0) or text[tokens[i][0]:tokens[i][1]] in _NOT_NAMES:
            i += 1
            continue
        j = i
        while j + 1 < len(tokens) and not taken[j + 1] and _continues_name(text, tokens, j + 1):
            j += 1
        surface = text[tokens[i][0]:tokens[j][1]]
        bare = re.sub(r"['’]s$", "", surface)
        opening = i == 0 or not text[:tokens[i][0]].strip(" \"'“‘(")
        if opening and j == i and names is not None and bare not in names \
                and not _FINITE_VERB.match(text[tokens[i][1]:tokens[i][1] + 20]):
            # "Online sales rose": a sentence's first word, capitalised only
            # by position; "Walmart reported" keeps its name: a verb follows.
            i = j + 1
            continue
        if bare not in _NOT_NAMES:
            kind = PERSON if _TITLE.search(text[max(0, tokens[i][0] - 60):tokens[i][0]]) else ENTITY
            titled = _LEADING_TITLE.match(surface)
            if titled and i + len(titled.group(0).split()) <= j:
                # "Finance Minister Lena Duarte": the title is not part of the name
                i += len(titled.group(0).split())
                kind = PERSON
            take(i, j, kind, None, 0.0)
        i = j + 1

    for m in _REFERENCES.finditer(text):
        if any(m.start() < f.end and f.start < m.end() for f in found):
            continue
        if re.search(r"[A-Z][\w'’.-]*,\s*$", text[max(0, m.start() - 40):m.start()]):
            continue  # "Norvik, the third-largest producer": an apposition, not a back-reference
        found.append(Mention(m.group(0), m.start(), m.end(), REFERENCE))

    found.sort(key=lambda f: f.start)
    return [_mark_source(text, f) for f in found]


def _looks_like_common_word(surface: str, canonical: str) -> bool:
    """An alias that is also an everyday word ("Apple" the fruit is rare in
    business news, but "Target", "Meta", "Shell", "Next" in lower case are
    words): require a capital letter unless the name itself is lower case
    ("vivo")."""
    return surface.islower() and not canonical.islower() and len(surface) <= 6


def _capitalised(text: str, span: tuple[int, int], first: bool) -> bool:
    word = text[span[0]:span[1]]
    if not word[0].isupper():
        return False
    if first and word.endswith(("ly", "ing")) and word[1:].islower():
        return False  # "Separately, ..." or "Counting ..." opens a sentence; it names nothing
    return not (word.isupper() and len(word) <= 1)


def _continues_name(text: str, tokens: list[tuple[int, int]], k: int) -> bool:
    gap = text[tokens[k - 1][1]:tokens[k][0]]
    if gap.strip() == "&" and text[tokens[k][0]].isupper():
        return True  # "Holt & Weiss"
    if gap not in (" ", ""):
        return False
    if re.search(r"['’]s$", text[tokens[k - 1][0]:tokens[k - 1][1]]):
        return False  # "Manchester City's Erling Haaland" is two names
    word = text[tokens[k][0]:tokens[k][1]]
    if word[0].isupper():
        return True
    # Model and version names continue a name: "Qwen 2.5-Max", "Model 3".
    return bool(re.fullmatch(r"\d[\w.+-]*", word)) and any(ch.isalpha() for ch in word[1:]) or bool(
        re.fullmatch(r"\d+(?:\.\d+)?-?[A-Za-z][\w-]*", word))


def _mark_source(text: str, mention: Mention) -> Mention:
    if mention.kind == PERSON and _SAID_AFTER.match(text[mention.end:mention.end + 30]):
        return Mention(mention.text, mention.start, mention.end, SOURCE, mention.canonical, mention.score)
    if mention.kind != ENTITY:
        return mention
    before = text[max(0, mention.start - 60):mention.start]
    after = text[mention.end:mention.end + 30]
    attributed_after = _SAID_AFTER.match(after) and re.search(r",\s*(?:the\s+)?$", before)
    said_before = _SAID_BEFORE.search(before) and re.match(r"^\s*(?:[.,;]|$)", after)
    if _SOURCE_BEFORE.search(before) or attributed_after or said_before or _SOURCE_AFTER.match(after):
        return Mention(mention.text, mention.start, mention.end, SOURCE, mention.canonical, mention.score)
    return mention


def region_of(text: str, mentions: list[Mention]) -> str | None:
    """The region a clause is scoped to: a named place, else "global"."""
    places = [m.canonical for m in mentions if m.kind == PLACE]
    if places:
        return places[0]
    return GLOBAL if mentions_global(text) else None


def resolve_entity(mention: Mention, gazetteer: Gazetteer | None,
                   strip: Callable[[str], str] | None = None) -> tuple[str, float]:
    """Canonical name and confidence for an entity mention."""
    if mention.canonical:
        return mention.canonical, mention.score or 1.0
    if gazetteer:
        hit = gazetteer.fuzzy(strip(mention.text) if strip else mention.text)
        if hit:
            return hit
    return mention.text, 0.5
