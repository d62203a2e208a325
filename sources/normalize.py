"""Normalisation of names, metrics and units, shared by import, search and lookup.

Every comparison of names in this package goes through these functions, so
"Qwen 2.5-Max" typed by an editor, "Qwen2.5-Max" in a CSV and "qwen2.5 max"
in an article land on the same key however each of them was written.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from claims.metrics import CONCEPTS
from claims.subjects import normalize as normalize_name

_NON_ALNUM = re.compile(r"[\W_]+")
_WORD = re.compile(r"\w+")


def _fold(text: str) -> str:
    # NFKC first so full-width letters and ligatures compare like ASCII ones.
    return unicodedata.normalize("NFKC", text).casefold()


def clean_text(text: str | None) -> str:
    """Collapse runs of whitespace and trim: the form a free-text field is stored in,
    so a stray double space in a spreadsheet does not make a "new" fact."""
    return " ".join(text.split()) if text else ""


def norm_alias(text: str) -> str:
    """The lookup key of a name: casefolded, with punctuation and spaces dropped.

    Spaces and hyphens are dropped rather than kept because writers disagree
    about them ("Qwen 2.5-Max" / "Qwen2.5-Max", "Hang Seng" / "HangSeng") far
    more often than two different entities differ only by them.
    """
    return normalize_name(text)


# Corporate-form words that may trail a name. Only used as a fallback after an
# exact alias lookup failed: "Group" or "Co" can be a real part of a name.
CORPORATE_SUFFIXES = frozenset({
    "inc", "incorporated", "ltd", "limited", "corp", "corporation", "co", "company",
    "plc", "llc", "lp", "llp", "group", "holding", "holdings", "ag", "sa", "se", "nv",
    "bv", "gmbh", "spa", "ab", "asa", "oyj", "kk", "pte", "pty", "bhd",
})


def strip_corporate(text: str) -> str:
    """`norm_alias` of `text` with trailing corporate-form words removed
    ("Alibaba Group Holding Ltd." -> "alibaba"); never strips a name to nothing."""
    tokens = words(text)
    while len(tokens) > 1 and tokens[-1] in CORPORATE_SUFFIXES:
        tokens.pop()
    return norm_alias("".join(tokens))


def words(text: str) -> list[str]:
    """Casefolded word tokens: what search and metric matching compare."""
    return _WORD.findall(_fold(text))


def norm_metric(text: str) -> str:
    """Identity key of a metric: casefold, punctuation to spaces, single spaces.

    Deliberately no synonyms here: "revenue" and "net sales" from the same
    source are two facts to keep, not one to overwrite.
    """
    return " ".join(_NON_ALNUM.split(_fold(text))).strip()


def norm_period(text: str | None) -> str:
    """Identity key of a period as written ("2024  q3" == "2024 Q3")."""
    return clean_text(text).casefold()


# Metric words that mean the same thing in news copy: the claim engine's
# concept table (claims.metrics.CONCEPTS), so a search and a check agree on
# what "revenue" means. Each group maps to one canonical token; the longest
# phrase wins, which keeps "share price" from reading as "share".
METRIC_SYNONYMS: dict[str, tuple[str, ...]] = {
    concept.replace(" ", "_"): tuple(p.lower() for p in phrases) for concept, phrases in CONCEPTS.items()
}

_PHRASES: dict[tuple[str, ...], str] = {
    tuple(phrase.split()): canon for canon, phrases in METRIC_SYNONYMS.items() for phrase in phrases
}
_MAX_PHRASE = max(len(p) for p in _PHRASES)


def canonical_tokens(tokens: list[str]) -> list[str]:
    """Replace synonym phrases in a token list by their canonical token, longest first."""
    out: list[str] = []
    i = 0
    while i < len(tokens):
        for size in range(min(_MAX_PHRASE, len(tokens) - i), 0, -1):
            canon = _PHRASES.get(tuple(tokens[i:i + size]))
            if canon:
                out.append(canon)
                i += size
                break
        else:
            out.append(tokens[i])
            i += 1
    return out


@lru_cache(maxsize=65536)
def canonical_metric(text: str) -> str:
    """Metric text with synonyms folded: the form metric similarity is measured on."""
    return " ".join(canonical_tokens(words(text)))


def synonym_phrases(canon: str) -> tuple[str, ...]:
    """All phrases that fold to a canonical metric token (for full-text queries)."""
    return METRIC_SYNONYMS.get(canon, ())


# ISO 4217: active codes plus the common historical ones old figures are
# quoted in (pre-euro currencies and recently replaced codes). XXX ("no
# currency") and XTS ("testing") are left out on purpose.
CURRENCIES = frozenset("""
AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BOV BRL BSD BTN BWP
BYN BZD CAD CDF CHE CHF CHW CLF CLP CNY COP COU CRC CUC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB
EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY
KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR
MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB
RWF SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD
TWD TZS UAH UGX USD USN UYI UYU UYW UZS VED VES VND VUV WST XAF XAG XAU XBA XBB XBC XBD XCD XCG
XDR XOF XPD XPF XPT XSU XUA YER ZAR ZMW ZWG ZWL
ATS BEF BYR CYP DEM EEK ESP FIM FRF GRD HRK IEP ITL LTL LUF LVL MRO MTL NLG PTE SIT SKK STD VEF
""".split())

SPECIAL_UNITS = frozenset({"%", "pp", "points", "rank"})

# Plurals without a final "s" that are fine count units.
_IRREGULAR_PLURALS = frozenset({
    "people", "children", "men", "women", "staff", "personnel", "cattle", "sheep", "fish",
    "deer", "aircraft", "livestock", "police", "poultry", "swine", "offspring",
})
# Plural-looking words that are scales or money, not units.
_NOT_UNITS = {
    "thousands": "a scale word", "millions": "a scale word", "billions": "a scale word",
    "trillions": "a scale word", "hundreds": "a scale word", "lakhs": "a scale word",
    "crores": "a scale word", "dollars": "a currency name (use an ISO 4217 code such as USD)",
    "euros": "a currency name (use EUR)", "cents": "a fraction of a currency (convert to the currency)",
    "pence": "a fraction of a currency (convert to GBP)",
    "percents": "a percentage (use %)", "percentage points": "percentage points (use pp)",
}
_SINGULAR_HINTS = {
    "percent": "%", "per cent": "%", "percentage": "%", "point": "points", "unit": "units",
    "person": "people", "vehicle": "vehicles", "subscriber": "subscribers", "user": "users",
}
_CURRENCY_SYMBOLS = {"$": "USD", "us$": "USD", "hk$": "HKD", "nt$": "TWD", "€": "EUR", "£": "GBP",
                     "¥": "JPY or CNY", "rmb": "CNY", "yuan": "CNY", "yen": "JPY", "dollar": "USD"}
_NOUN = re.compile(r"[a-z]+(?:[ -][a-z]+)*")


def _is_measure(unit: str) -> bool:
    from claims.lexicon import MEASURE_UNITS
    low = unit.strip().lower()
    names = set(MEASURE_UNITS.values())
    return (unit in MEASURE_UNITS or low in MEASURE_UNITS or low in names
            or (low.endswith("s") and (low[:-1] in MEASURE_UNITS or low[:-1] in names)))


def unit_problem(unit: str) -> str | None:
    """Why `unit` is not acceptable, or None if it is.

    Units are compared verbatim by the checker, so spelling variants are
    refused here with a hint rather than stored as near-duplicates.
    """
    if unit in SPECIAL_UNITS or unit in CURRENCIES:
        return None
    low = unit.casefold()
    if _is_measure(unit):
        return None  # km, kilometres, degree celsius, barrels per day: the checker reads them all
    if unit.upper() in CURRENCIES:
        return f"unit '{unit}' is not a known unit: currency codes are upper case ({unit.upper()})"
    if low in _CURRENCY_SYMBOLS:
        return f"unit '{unit}' is not a known unit: use an ISO 4217 code such as {_CURRENCY_SYMBOLS[low]}"
    if low in _SINGULAR_HINTS:
        return f"unit '{unit}' is not a known unit: use '{_SINGULAR_HINTS[low]}'"
    if low in ("million", "billion", "thousand", "trillion", "bn", "mn", "m", "k", "b", "tn", "mln"):
        return (f"unit '{unit}' is a scale, not a unit: write the value in base units "
                "and give the unit (e.g. USD, units)")
    if low in _NOT_UNITS:
        return f"unit '{unit}' is {_NOT_UNITS[low]}"
    if re.fullmatch(r"[A-Z]{3}", unit):
        return f"unit '{unit}' is not an ISO 4217 currency code"
    if _NOUN.fullmatch(unit):
        words = re.split(r"[ -]", unit)
        head = re.split(r" (?:of|per|a) ", unit)[0].split()[-1]  # "barrels of oil equivalent per day"
        if any(w.endswith("s") or w in _IRREGULAR_PLURALS for w in (words[-1], head)):
            return None
        return f"unit '{unit}' is not a known unit: counts use a plural noun (e.g. '{unit}s')"
    return (f"unit '{unit}' is not a known unit: use an ISO 4217 code (USD, EUR...), %, pp, "
            "points, rank or a lowercase plural noun (units, people...)")
