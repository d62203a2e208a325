"""Numerals: how English writes a number, as digits, words or both.

The figure reader needs the value of "1,234.5", ".08", "twenty-five",
"one hundred and three", "two-thirds", "three and a half million",
"4 thousand 3 hundred and 21", "1.2k", "13 lakh" or "seventh", and how
exactly the writer gave it (`precision`: "18.51 billion" is stated to the
nearest ten million). This module knows numerals only; what a numeral
measures (money, percent, a noun) is decided by `claims.figures`.

The text is cut into tokens once (`tokenize`); numerals are then read from
the token stream with a small left-to-right grammar (`find_numerals`), in
the manner of duckling's numeral rules: atoms (digits, number words,
fractions) are combined by scale words ("hundred", "million"), "and",
hyphens and "point". Where a sequence cannot continue, the numeral ends and
a new one may start ("45 and 50", "three-nought-four").
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

# --------------------------------------------------------------------------------------------------
# Tokens


@dataclass(slots=True)
class Tok:
    """One token: `kind` is "num" (digits), "word", "frac" (a vulgar
    fraction character) or "sym" (any other single character)."""

    kind: str
    text: str
    low: str
    start: int
    end: int


_TOKEN = re.compile(
    r"(?P<num>(?:\d{1,3}(?:,\d{3})+(?!\d)|\d{1,2}(?:,\d{2})+,\d{3}(?!\d)|\d+)(?:\.\d+)?|\.\d+)"
    r"|(?P<frac>[½⅓⅔¼¾⅕⅖⅗⅘⅙⅚⅐⅛⅜⅝⅞⅑⅒])"
    r"|(?P<word>[^\W\d_]+)"
    r"|(?P<sym>\S)")


def tokenize(text: str) -> list[Tok]:
    """Cut text into tokens, keeping character offsets.

    Digit groups with commas stay one token ("1,234,567.89", Indian
    "12,34,567"), so that the comma of a list ("2, 3") is not confused with
    a thousands separator: those need exactly three digits after the comma.
    """
    out: list[Tok] = []
    append = out.append
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        s = m.group()
        append(Tok(kind, s, s.lower(), m.start(), m.end()))
    return out


# --------------------------------------------------------------------------------------------------
# Number words

UNITS = {"zero": 0, "nought": 0, "naught": 0, "nil": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
         "six": 6, "seven": 7, "eight": 8, "nine": 9}
TEENS = {"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
         "seventeen": 17, "eighteen": 18, "nineteen": 19}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
        "eighty": 80, "ninety": 90}
_WORD_TABLES = {"unit": UNITS, "teen": TEENS, "tens": TENS}
# Scale words that multiply what precedes them. Plurals are read only after
# a numeral ("three billions"): alone, "millions of" is no number.
SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "quadrillion": 1e15,
          "lakh": 1e5, "lac": 1e5, "lkh": 1e5, "crore": 1e7, "cr": 1e7, "koti": 1e7, "krore": 1e7,
          "bn": 1e9, "bln": 1e9, "mn": 1e6, "mln": 1e6, "mil": 1e6, "tn": 1e12, "tln": 1e12, "trn": 1e12}
SCALE_PLURALS = {w + "s": v for w, v in SCALES.items() if len(w) > 3 or w in ("lac", "lkh")}
SCALE_PLURALS["lakhs"] = 1e5
# Attached after digits only ("10k", "3M"). Letters that are also units
# ("m", "b", "K", "T") are decided in context by the figure reader.
SUFFIX_SCALES = {"k": 1e3, "K": 1e3, "MM": 1e6, "bn": 1e9, "BN": 1e9, "Bn": 1e9, "bln": 1e9, "mn": 1e6, "Mn": 1e6,
                 "mln": 1e6, "MM": 1e6, "tn": 1e12, "Tn": 1e12, "tln": 1e12, "trn": 1e12, "M": 1e6}
AMBIGUOUS_SUFFIXES = {"m": 1e6, "b": 1e9, "B": 1e9, "T": 1e12}
DOZENS = {"dozen": 12, "dozens": 12, "dz": 12, "dzs": 12, "doz": 12, "dozs": 12}

ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
            "ninth": 9, "nineth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
            "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
            "nineteenth": 19, "twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50, "sixtieth": 60,
            "seventieth": 70, "eightieth": 80, "ninetieth": 90}
ORDINAL_SCALES = {"hundredth": 100, "thousandth": 1e3, "millionth": 1e6, "billionth": 1e9, "trillionth": 1e12}
_ORD_UNITS = {w: v for w, v in ORDINALS.items() if v < 10}
# Denominators of fractions, singular and plural. "second" is a unit of
# time far more often than a half, so only "half"/"halves" mean 1/2.
DENOMINATORS = {"half": 2, "halves": 2, "quarter": 4, "quarters": 4}
for _w, _v in list(ORDINALS.items()) + list(ORDINAL_SCALES.items()):
    if _w not in ("first", "second"):
        DENOMINATORS[_w] = _v
        DENOMINATORS[_w + "s"] = _v
SINGULAR_DENOMINATORS = {w for w in DENOMINATORS if not w.endswith("s")}
_COMPOUND_ORDINAL = re.compile(r"^(twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)("
                               + "|".join(_ORD_UNITS) + r")(s?)$")
SIGN_WORDS = {"minus": -1, "negative": -1}
DASHES = {"-", "‐", "‑", "–", "—"}
MINUS_SIGNS = {"-", "−", "‐", "‑"}
VULGAR = {"½": 0.5, "⅓": 1 / 3, "⅔": 2 / 3, "¼": 0.25, "¾": 0.75, "⅕": 0.2, "⅖": 0.4, "⅗": 0.6, "⅘": 0.8,
          "⅙": 1 / 6, "⅚": 5 / 6, "⅐": 1 / 7, "⅛": 0.125, "⅜": 0.375, "⅝": 0.625, "⅞": 0.875, "⅑": 1 / 9,
          "⅒": 0.1}
ORDINAL_SUFFIXES = {"st", "nd", "rd", "th"}

# Every word that can start or continue a numeral: a cheap first test.
NUMBER_WORDS = (set(UNITS) | set(TEENS) | set(TENS) | {"hundred", "hundreds"} | set(SCALES) | set(SCALE_PLURALS)
                | set(DOZENS) | set(ORDINALS) | set(ORDINAL_SCALES) | set(DENOMINATORS) | {"pair", "point"})
FRACTION_WORDS_FOR_PRECISION = 0.01  # "two-thirds" is read as stated to about two decimals


def ordinal_word_value(word: str) -> tuple[float, bool] | None:
    """Value of an ordinal word and whether it is plural ("fifths"):
    "seventh" -> (7, False), "twentyfifth" -> (25, False)."""
    w = word.lower()
    if w in ORDINALS:
        return ORDINALS[w], False
    if w in ORDINAL_SCALES:
        return ORDINAL_SCALES[w], False
    if w.endswith("s") and w[:-1] in ORDINALS:
        return ORDINALS[w[:-1]], True
    if w.endswith("s") and w[:-1] in ORDINAL_SCALES:
        return ORDINAL_SCALES[w[:-1]], True
    m = _COMPOUND_ORDINAL.match(w)
    if m:
        return TENS[m.group(1)] + _ORD_UNITS[m.group(2)], bool(m.group(3))
    return None


def ordinal_suffix_ok(digits: str, suffix: str) -> bool:
    """"1st", "22nd", "13th" — and the sloppy "04th", "01st". Anything else
    ("1th", "3st") is a code, not an ordinal."""
    suffix = suffix.lower()
    if suffix not in ORDINAL_SUFFIXES:
        return False
    n = int(digits)
    if n % 100 in (11, 12, 13):
        return suffix == "th"
    return suffix == {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


# --------------------------------------------------------------------------------------------------
# Numerals


@dataclass(slots=True)
class Numeral:
    """A number as written, before any unit.

    `i`/`j` is the token span, `start`/`end` the character span. `kind` is
    "cardinal", "fraction" or "ordinal". `plain` marks a bare digit string
    without separators or decimals ("2024", "737"): only those can be
    years, model numbers or codes. `suffix` is an attached letter whose
    meaning depends on the unit ("3.4m": million after a currency, metre
    otherwise); it is not applied to `value`.
    """

    i: int
    j: int
    start: int
    end: int
    value: float
    precision: float
    kind: str = "cardinal"
    words: bool = False
    plain: bool = False
    slash: bool = False
    scaled: bool = False
    suffix: str | None = None
    suffix_tok: int = -1


def _digit_value(s: str) -> tuple[float, int]:
    """Value and number of decimals of a digit token ("1,234.50" -> 1234.5, 2)."""
    if "," in s and "." not in s and s.count(",") == 1 and len(s.split(",")[1]) != 3:
        whole, frac = s.split(",")  # decimal comma: "5,00"
        return float(f"{whole}.{frac}"), len(frac)
    if "," in s and "." in s and s.index(".") < s.index(","):
        whole, frac = s.replace(".", "").split(",")  # European "1.111,11"
        return float(f"{whole}.{frac}"), len(frac)
    s = s.replace(",", "")
    if "." in s:
        return float(s), len(s) - s.index(".") - 1
    return float(s), 0


_THREE_DIGITS = re.compile(r"\d{3}(?:\.\d+)?")
_TWO_DIGITS = re.compile(r"\d{1,2}")
_DOT_GROUPS = re.compile(r"\d{1,3}(?:\.\d{3})+")


def _scaled(mantissa: float, decimals: int, exponent: int) -> tuple[float, float] | None:
    """mantissa × 10^exponent and its precision, through the decimal string
    so that "1.5e-07" reads back exactly; None when out of float range."""
    if len(str(abs(exponent))) > 4:
        return None
    text = repr(mantissa)
    try:
        value = float(f"{text}e{exponent}") if "e" not in text else mantissa * 10.0 ** exponent
    except OverflowError:
        return None
    if math.isinf(value):
        return None
    return value, float(f"1e{exponent - decimals}")


def _attached(a: Tok, b: Tok) -> bool:
    return a.end == b.start


class _Reader:
    """Reads numerals from a token list; one instance per text."""

    __slots__ = ("toks", "text", "n")

    def __init__(self, toks: list[Tok], text: str) -> None:
        self.toks = toks
        self.text = text
        self.n = len(toks)

    # ---- digits --------------------------------------------------------------------------------

    def digits(self, k: int) -> tuple[int, float, float, bool, bool] | None:
        """A digit numeral at token k, with its glued parts: space-grouped
        thousands ("1 234 567"), decimal comma ("5,00"), tokenised decimals
        ("6 . 2"), exponents ("1.3e6", "2.48×10−5", "1.1^23").
        Returns (end token, value, precision, plain, slash)."""
        toks, n = self.toks, self.n
        t = toks[k]
        text = t.text
        end = k + 1
        # space-grouped thousands: "1 234 567", only groups of exactly three digits
        if "," not in text and "." not in text and len(text) <= 3 and not text.startswith("0"):
            j = k
            while (j + 1 < n and toks[j + 1].kind == "num" and toks[j + 1].start == toks[j].end + 1
                   and self.text[toks[j].end] in " \u00a0\u202f" and _THREE_DIGITS.fullmatch(toks[j + 1].text)
                   and "." not in toks[j].text):
                j += 1
            if j > k and not (j + 1 < n and toks[j + 1].kind == "num" and toks[j + 1].start == toks[j].end + 1):
                text = "".join(x.text for x in toks[k:j + 1])
                end = j + 1
        # decimal comma "5,00" / European "1.111,11"
        if (end == k + 1 and end + 1 < n and toks[end].text == "," and toks[end + 1].kind == "num"
                and _attached(t, toks[end]) and _attached(toks[end], toks[end + 1])
                and _TWO_DIGITS.fullmatch(toks[end + 1].text) and "," not in t.text
                and not (end + 3 < n and toks[end + 2].text == "," and _attached(toks[end + 1], toks[end + 2])
                         and _attached(toks[end + 2], toks[end + 3]))
                and not (k > 0 and toks[k - 1].text == "," and _attached(toks[k - 1], t))):
            if "." not in t.text or _DOT_GROUPS.fullmatch(t.text):
                text = t.text + "," + toks[end + 1].text
                end += 2
        # tokenised decimal "6 . 2" (newswire text split on every symbol)
        if (end == k + 1 and end + 1 < n and "." not in t.text and toks[end].text == "."
                and toks[end + 1].kind == "num" and "." not in toks[end + 1].text and "," not in toks[end + 1].text
                and self.text[t.end:toks[end + 1].start] == " . "):
            text = t.text + "." + toks[end + 1].text
            end += 2
        value, decimals = _digit_value(text)
        prec = 10.0 ** -decimals
        plain = text.isdigit()
        slash = False
        # exponent "1e10", "12.32e+14", "-12e-1"
        if end < n and toks[end].low == "e" and _attached(toks[end - 1], toks[end]):
            j = end + 1
            sign = 1
            if j < n and toks[j].text in ("+", "-", "−") and _attached(toks[j - 1], toks[j]):
                sign = -1 if toks[j].text != "+" else 1
                j += 1
            if j < n and toks[j].kind == "num" and toks[j].text.isdigit() and _attached(toks[j - 1], toks[j]):
                scaled = _scaled(value, decimals, sign * int(toks[j].text))
                if scaled is None:
                    return None
                value, prec = scaled
                plain = False
                end = j + 1
        # "2.48×10−5", "1.3x10^6", "5.5x10-3"
        elif end + 1 < n and toks[end].text in ("×", "x", "X") and toks[end + 1].text == "10":
            j = end + 2
            if j < n and toks[j].text == "^":
                j += 1
            sign = 1
            if j < n and toks[j].text in ("+", "-", "−"):
                sign = -1 if toks[j].text != "+" else 1
                j += 1
            if j < n and toks[j].kind == "num" and toks[j].text.isdigit() and j > end + 2:
                scaled = _scaled(value, decimals, sign * int(toks[j].text))
                if scaled is None:
                    return None
                value, prec = scaled
                plain = False
                end = j + 1
        # power "1.1^23", "2.5^-1"
        elif end + 1 < n and toks[end].text == "^" and _attached(toks[end - 1], toks[end]):
            j = end + 1
            sign = 1
            if toks[j].text in ("+", "-", "−") and j + 1 < n:
                sign = -1 if toks[j].text != "+" else 1
                j += 1
            if toks[j].kind == "num" and toks[j].text.isdigit() and len(toks[j].text) <= 3:
                try:
                    value = value ** (sign * int(toks[j].text))
                except (OverflowError, ZeroDivisionError):
                    return None
                if math.isinf(value):
                    return None
                prec = abs(value) * 1e-6 or 1e-6
                plain = False
                end = j + 1
        # vulgar fraction attached: "2½"
        if end < n and toks[end].kind == "frac" and _attached(toks[end - 1], toks[end]) and plain:
            value += VULGAR[toks[end].text]
            prec = 0.01
            plain = False
            end += 1
        # digit fraction "3/4", "2 1/4", "1 / 4"
        elif end + 1 < n and toks[end].text == "/" and toks[end + 1].kind == "num" and plain and toks[end + 1].text.isdigit():
            gap1 = self.text[toks[end - 1].end:toks[end].start]
            gap2 = self.text[toks[end].end:toks[end + 1].start]
            if gap1 == gap2 and gap1 in ("", " ") and not (end + 2 < n and toks[end + 2].text == "/"
                                                            and _attached(toks[end + 1], toks[end + 2])):
                den = float(toks[end + 1].text)
                if den == 0:
                    return None
                value = value / den
                prec = FRACTION_WORDS_FOR_PRECISION
                plain = False
                slash = True
                end += 2
        return end, value, prec, plain, slash

    # ---- words ---------------------------------------------------------------------------------

    def _word_cat(self, t: Tok) -> str | None:
        w = t.low
        if t.kind != "word":
            return None
        if w in UNITS:
            return "unit"
        if w in TEENS:
            return "teen"
        if w in TENS:
            return "tens"
        if w in ("hundred", "hundreds"):
            return "hundred"
        if w in SCALES or w in SCALE_PLURALS:
            return "scale"
        if w in DOZENS:
            return "dozen"
        return None

    def _skip_dash(self, k: int) -> int:
        """Index after a dash joining two number words ("twenty-one",
        "fifty - two", "twenty—fifth"), or k when there is none."""
        toks = self.toks
        if k < self.n and toks[k].text in DASHES and k + 1 < self.n:
            return k + 1
        return k

    def denominator(self, k: int, nested: bool = False) -> tuple[int, float, bool] | None:
        """A fraction's denominator at token k: "fifths", "quarter",
        "twenty-fifth(s)", "twenty firsts", "hundred and fifth".
        Returns (end, denominator, plural)."""
        toks, n = self.toks, self.n
        if k >= n or toks[k].kind != "word":
            return None
        w = toks[k].low
        if w in DENOMINATORS:
            return k + 1, DENOMINATORS[w], w.endswith("s")
        ov = ordinal_word_value(w)
        if ov and w not in ("first", "second", "firsts", "seconds"):
            return k + 1, ov[0], ov[1]
        if w in TENS:
            j = self._skip_dash(k + 1)
            if j < n and toks[j].low in _ORD_UNITS or (j < n and toks[j].low.rstrip("s") in _ORD_UNITS):
                ow = toks[j].low
                plural = ow.endswith("s") and ow[:-1] in _ORD_UNITS
                base = ow[:-1] if plural else ow
                return j + 1, TENS[w] + _ORD_UNITS[base], plural
        if not nested and (w in UNITS and UNITS[w] > 0 or w == "hundred"):
            # "one hundred (and) fifth" as a denominator
            j = k + 1
            mult = 100 if w == "hundred" else UNITS[w]
            if w != "hundred":
                if j < n and toks[j].low == "hundred":
                    j += 1
                    mult *= 100
                else:
                    return None
            if j < n and toks[j].low == "and":
                j += 1
            sub = self.denominator(j, nested=True)
            if sub and sub[1] < 100:
                return sub[0], mult + sub[1], sub[2]
        return None

    def cardinal(self, k: int, lead: bool = False) -> tuple[int, float, float, str, bool] | None:
        """A numeral made of number words and digits, starting at token k.
        `lead` stands for an "a" before k ("a hundred", "a million").
        Returns (end, value, precision, kind, words) where kind is
        "cardinal", "fraction" or "ordinal"."""
        toks, n = self.toks, self.n
        total = 0.0        # groups already closed by a big scale word
        hi = 0.0           # hundreds of the open group
        lo = 0.0           # below-hundred part of the open group
        last: str | None = None
        last_scale = math.inf
        prec = 1.0
        end = k            # end of what is accepted so far
        j = k
        any_word = False
        any_digit = False
        after_and = False  # a fraction after "and" belongs to the whole number
        if lead:
            last, lo, any_word = "unit", 1.0, True
        while j < n:
            t = toks[j]
            cat = self._word_cat(t)
            # ---------------- connectors
            if last is not None and t.text in DASHES and last in ("tens", "unit", "teen", "hundred", "scale"):
                nxt = j + 1
                if nxt < n and last == "tens" and (self._word_cat(toks[nxt]) == "unit"
                                                  or toks[nxt].low in _ORD_UNITS):
                    j = nxt
                    continue
                den = self.denominator(nxt) if nxt < n else None
                if den and not after_and:
                    value = total + hi + lo
                    return den[0], value / den[1], FRACTION_WORDS_FOR_PRECISION, "fraction", any_word
                break
            if last is not None and t.low in ("and", "&") and last in ("hundred", "scale", "unit", "teen", "tens",
                                                                      "digit"):
                nxt = j + 1
                if nxt >= n:
                    break
                # "and a half", "and three quarters", "and two fifths"; not after decimals
                frac = self.fraction_tail(nxt) if prec >= 1 else None
                if frac:
                    fend, fval = frac
                    base = total + hi + lo
                    # "3 million and a half": the fraction is of the last scale
                    scale_after = self._scale_at(fend)
                    if scale_after:
                        sv, send = scale_after
                        if last_scale != math.inf and sv < last_scale:
                            return send, base + fval * sv, FRACTION_WORDS_FOR_PRECISION * sv, "cardinal", any_word
                        return send, (base + fval) * sv, FRACTION_WORDS_FOR_PRECISION * sv, "cardinal", any_word
                    if last == "scale" and last_scale >= 1000:
                        return fend, base + fval * last_scale, FRACTION_WORDS_FOR_PRECISION * last_scale, \
                            "cardinal", any_word
                    return fend, base + fval, min(prec, FRACTION_WORDS_FOR_PRECISION), "cardinal", any_word
                if last in ("hundred", "scale") and not self._same_scale_follows(nxt, last, last_scale):
                    c2 = self._word_cat(toks[nxt])
                    limit = 100 if last == "hundred" else last_scale
                    if c2 in ("unit", "teen", "tens"):
                        after_and = True
                        j = nxt
                        continue
                    if toks[nxt].kind == "num" and "." not in toks[nxt].text:
                        d = self.digits(nxt)
                        if d and d[1] < limit and d[3]:
                            j = nxt
                            continue
                    den = self.denominator(nxt)
                    if den and not den[2] and den[1] < limit:
                        # "one hundred and fifth" -> an ordinal
                        return den[0], total + hi + lo + den[1], 1.0, "ordinal", any_word
                break
            if (last == "scale" and t.text == "," and any_word and not any_digit and j + 1 < n
                    and self._word_cat(toks[j + 1]) in ("unit", "teen", "tens")):
                j += 1
                continue
            # ---------------- atoms
            if t.kind == "num":
                if last not in (None, "hundred", "scale"):
                    break
                if last is not None and not _plain_gap(self.text, toks[j - 1], t):
                    break
                d = self.digits(j)
                if d is None:
                    break
                dend, v, p, plain, slash = d
                if last is not None and (not plain or v >= (100 if last == "hundred" else last_scale)):
                    break
                lo = v
                prec = p
                last = "digit"
                any_digit = True
                j = dend
                end = j
                if slash:
                    return end, total + hi + lo, prec, "fraction", any_word
                # "2 1/4", "10 1/2": a whole number and a fraction
                if plain and j < n and toks[j].kind == "num" and _plain_gap(self.text, toks[j - 1], toks[j]):
                    d2 = self.digits(j)
                    if d2 and d2[4] and d2[1] < 1:
                        return d2[0], total + hi + lo + d2[1], d2[2], "cardinal", any_word
                continue
            if t.kind == "frac":
                if last in ("unit", "teen", "tens", "digit") and not _attached(toks[j - 1], t):
                    lo += VULGAR[t.text]
                    return j + 1, total + hi + lo, 0.01, "cardinal", any_word
                if last is None:
                    return j + 1, VULGAR[t.text], 0.01, "fraction", False
                break
            if t.kind != "word":
                break
            w = t.low
            if cat in ("unit", "teen", "tens"):
                # "seven", "seventeen", "seventy", and "seventy-seven" (a unit after tens)
                if cat == "unit" and last == "tens" and lo % 10 == 0 and lo < 100:
                    lo += UNITS[w]
                elif last in (None, "hundred", "scale"):
                    lo = _WORD_TABLES[cat][w]
                else:
                    break
                last = cat
                prec = 1.0
                any_word = True
                j += 1
                end = j
                continue
            if cat == "hundred":
                if w == "hundreds" and last is None:
                    break
                if last in ("unit", "teen", "tens", "digit") and hi == 0:
                    hi = (lo if lo else 1) * 100
                    lo = 0
                    prec *= 100
                elif last is None:
                    hi = 100
                    prec = 100
                else:
                    break
                last = "hundred"
                any_word = True
                j += 1
                end = j
                continue
            if cat == "scale":
                sv = SCALES.get(w) or SCALE_PLURALS.get(w)
                if w in SCALE_PLURALS and last is None:
                    break
                if w in ("mil", "cr", "mn") and last != "digit" and last not in ("unit", "teen", "tens",
                                                                                       "hundred"):
                    break
                group = hi + lo
                if last is None:
                    if w not in ("thousand",):
                        break
                    group = 1
                    prec = 1.0
                if group > 0 and sv < last_scale:
                    total += group * sv
                    hi = lo = 0
                    prec *= sv
                    last_scale = sv
                elif group == 0 and last == "scale" and sv > last_scale:
                    total *= sv   # "three thousand millions", "three lakh crore"
                    prec *= sv
                    last_scale = sv
                else:
                    break
                last = "scale"
                any_word = True
                j += 1
                end = j
                continue
            if cat == "dozen":
                if last is None:
                    break
                if lo:
                    lo *= 12
                elif hi:
                    hi *= 12
                else:
                    total *= 12
                prec *= 12
                last = "dozen"
                any_word = True
                j += 1
                end = j
                continue
            if w == "point" and (last in ("unit", "teen", "tens", "hundred", "scale") and not any_digit
                                 or last == "digit" and lo == int(lo) and prec == 1.0):
                dec = self.decimal_words(j + 1)
                if dec is None:
                    break
                dend, digits = dec
                frac_v = float("0." + digits)
                scale_v = 1.0
                s2 = self._scale_at(dend)
                p = 10.0 ** -len(digits)
                if s2 and last not in ("scale",):
                    scale_v, dend = s2
                value = (total + hi + lo + frac_v) * scale_v if scale_v != 1.0 else total + hi + lo + frac_v
                return dend, value, p * scale_v, "cardinal", True
            # ordinals inside a word numeral: "twenty fifth", "one hundred twenty-fifth", "two hundredth"
            ov = ordinal_word_value(w)
            if ov and last in ("tens", "hundred", "scale") and not ov[1] and not any_digit and (
                    (last == "tens" and ov[0] < 10) or (last in ("hundred", "scale") and ov[0] < 100)):
                return j + 1, total + hi + lo + ov[0], 1.0, "ordinal", True
            if w in ORDINAL_SCALES and last in ("unit", "teen", "tens", "digit") and lo > 1:
                return j + 1, (total + hi + lo) * ORDINAL_SCALES[w], 1.0, "ordinal", True
            break
        if last is None:
            return None
        value = total + hi + lo
        if end == k:
            return None
        # fraction tail without "and": "two thirds", "three quarters billion", "one twenty-fifth",
        # "one million two thousand two hundred three fifths"
        if last in ("unit", "teen", "tens", "digit", "hundred") and end < n:
            den = self.denominator(end)
            if den and (den[2] or value == 1) and not (last == "digit" and not _plain_gap(self.text, toks[end - 1],
                                                                                        toks[end])):
                v = value / den[1]
                s2 = self._scale_at(den[0], allow_of=True)
                if s2:
                    return s2[1], v * s2[0], FRACTION_WORDS_FOR_PRECISION * s2[0], "cardinal", True
                return den[0], v, FRACTION_WORDS_FOR_PRECISION, "fraction", True
        return end, value, prec, "cardinal", any_word

    def _same_scale_follows(self, k: int, last: str, last_scale: float) -> bool:
        """After "and": does the next number carry a scale as large as the one
        before ("3 hundred and 2 hundred" are two numbers)?"""
        toks, n = self.toks, self.n
        j = k
        while j < n and j < k + 4:
            cat = self._word_cat(toks[j])
            if cat == "hundred":
                return last == "hundred"
            if cat == "scale":
                sv = SCALES.get(toks[j].low) or SCALE_PLURALS.get(toks[j].low)
                return sv is not None and sv >= last_scale
            if cat in ("unit", "teen", "tens") or toks[j].kind == "num" or toks[j].text in DASHES:
                j += 1
                continue
            return False
        return False

    def _scale_at(self, k: int, allow_of: bool = True) -> tuple[float, int] | None:
        """A scale word at k ("million"), also as "of a million"."""
        toks, n = self.toks, self.n
        j = k
        if allow_of and j + 2 < n and toks[j].low == "of" and toks[j + 1].low in ("a", "an"):
            j += 2
        if j < n and toks[j].kind == "word":
            w = toks[j].low
            if w in SCALES and w not in ("k", "mm", "mn", "cr", "mil") or w in SCALE_PLURALS:
                return SCALES.get(w) or SCALE_PLURALS[w], j + 1
            if w in ("hundred",):
                return 100.0, j + 1
            if w in DOZENS:
                return 12.0, j + 1
        return None

    def fraction_tail(self, k: int) -> tuple[int, float] | None:
        """"a half", "one half", "a quarter", "three quarters", "two fifths",
        "a thirtieth" after "and". Returns (end, value)."""
        toks, n = self.toks, self.n
        if k >= n:
            return None
        w = toks[k].low
        if w in ("a", "an", "one"):
            den = self.denominator(k + 1)
            if den and not den[2]:
                return den[0], 1 / den[1]
            return None
        num = None
        j = k + 1
        if w in UNITS:
            num = UNITS[w]
        elif w in TEENS:
            num = TEENS[w]
        elif w in TENS:
            num = TENS[w]
            j2 = self._skip_dash(j)
            if j2 < n and toks[j2].low in UNITS and UNITS[toks[j2].low] > 0:
                num += UNITS[toks[j2].low]
                j = j2 + 1
        elif toks[k].kind == "num" and toks[k].text.isdigit():
            num = int(toks[k].text)
        if num is None or num == 0:
            return None
        j = self._skip_dash(j)
        den = self.denominator(j)
        if den and den[2] and num < den[1]:
            return den[0], num / den[1]
        return None

    def decimal_words(self, k: int) -> tuple[int, str] | None:
        """Digits after "point": "zero three", "seventy-one", "nought four", "77"."""
        toks, n = self.toks, self.n
        digits = ""
        j = k
        while j < n:
            t = toks[j]
            if t.kind == "num" and t.text.isdigit() and not digits:
                return j + 1, t.text
            w = t.low
            if w in UNITS:
                digits += str(UNITS[w])
                j += 1
            elif w in TEENS:
                digits += str(TEENS[w])
                j += 1
            elif w in TENS:
                tens = TENS[w]
                j2 = self._skip_dash(j + 1)
                if j2 < n and toks[j2].low in UNITS and UNITS[toks[j2].low] > 0:
                    digits += str(tens + UNITS[toks[j2].low])
                    j = j2 + 1
                else:
                    digits += str(tens)
                    j += 1
            else:
                break
        return (j, digits) if digits else None


def _plain_gap(text: str, a: Tok, b: Tok) -> bool:
    """Only spaces between two tokens (not a comma or a line break)."""
    gap = text[a.end:b.start]
    return gap.strip(" \t\u00a0") == "" and "\n" not in gap


_TENS_PREFIXES = tuple(TENS)


def find_numerals(toks: list[Tok], text: str) -> list[Numeral]:
    """Every numeral in the token list, left to right, non-overlapping."""
    reader = _Reader(toks, text)
    out: list[Numeral] = []
    n = len(toks)
    k = 0
    while k < n:
        t = toks[k]
        if t.kind == "word" and t.low not in NUMBER_WORDS and t.low not in ("a", "an", "minus", "negative") \
                and not (t.low.startswith(_TENS_PREFIXES) and ordinal_word_value(t.low) is not None):
            k += 1
            continue
        if t.kind == "sym" and t.text not in MINUS_SIGNS:
            k += 1
            continue
        num = _numeral_at(reader, k)
        if num is None:
            k += 1
            continue
        out.append(num)
        k = num.j
    return out


def _numeral_at(reader: _Reader, k: int) -> Numeral | None:
    toks, n, text = reader.toks, reader.n, reader.text
    t = toks[k]
    sign = 1.0
    start_k = k
    if t.low in SIGN_WORDS:
        if k + 1 >= n:
            return None
        sign = -1.0
        k += 1
    elif t.text in MINUS_SIGNS:
        if k + 1 >= n or not _sign_ok(toks, k, text):
            return None
        sign = -1.0
        k += 1
    t = toks[k]
    w = t.low
    # "a"/"an" only as "a hundred", "a dozen", "a half", "a fifth", "a pair", "a million"
    if w in ("a", "an"):
        if k + 1 >= n or sign < 0:
            return None
        nxt = toks[k + 1].low
        if nxt == "pair":
            return Numeral(start_k, k + 2, t.start, toks[k + 1].end, 2.0, 1.0, words=True)
        if nxt in ("hundred", "thousand", "million", "billion", "trillion", "lakh", "crore", "dozen"):
            res = reader.cardinal(k + 1, lead=True)
            if res is None:
                return None
            end, value, prec, kind, _ = res
            return Numeral(start_k, end, t.start, toks[end - 1].end, value, prec, kind, words=True, scaled=True)
        den = reader.denominator(k + 1)
        if den is not None:
            if den[2]:
                return None
            value = 1 / den[1]
            end = den[0]
            s2 = reader._scale_at(end)
            if s2:
                return Numeral(start_k, s2[1], t.start, toks[s2[1] - 1].end, value * s2[0],
                               FRACTION_WORDS_FOR_PRECISION * s2[0], words=True, scaled=True)
            return Numeral(start_k, end, t.start, toks[end - 1].end, value, FRACTION_WORDS_FOR_PRECISION,
                           "fraction", words=True)
        return None
    if w in ("half", "quarter"):
        # "half", "half a million", "half million", "quarter million", "half a dozen"
        j = k + 1
        if j + 1 < n and toks[j].low in ("a", "an") and toks[j + 1].low in ("dozen", "million", "billion",
                                                                          "trillion", "thousand", "hundred"):
            j += 1
        s2 = reader._scale_at(j, allow_of=False)
        if s2:
            v = 0.5 if w == "half" else 0.25
            return Numeral(start_k, s2[1], toks[start_k].start, toks[s2[1] - 1].end, sign * v * s2[0],
                           FRACTION_WORDS_FOR_PRECISION * s2[0], words=True, scaled=True)
        if w == "half":
            return Numeral(start_k, k + 1, toks[start_k].start, t.end, sign * 0.5, FRACTION_WORDS_FOR_PRECISION,
                           "fraction", words=True)
        return None
    if w == "point":
        dec = reader.decimal_words(k + 1)
        if dec is None:
            return None
        end, digits = dec
        return Numeral(start_k, end, toks[start_k].start, toks[end - 1].end, sign * float("0." + digits),
                       10.0 ** -len(digits), words=True)
    if t.kind == "word":
        ov = ordinal_word_value(w)
        if ov is not None and w not in DENOMINATORS or w in ("first", "second"):
            if ov is None or ov[1] or sign < 0:
                return None
            return Numeral(start_k, k + 1, t.start, t.end, ov[0], 1.0, "ordinal", words=True)
        if w in DENOMINATORS and w not in ("half", "quarter"):
            ov = ordinal_word_value(w)
            if ov is None or ov[1] or sign < 0:
                return None
            return Numeral(start_k, k + 1, t.start, t.end, ov[0], 1.0, "ordinal", words=True)
    if t.kind == "num":
        # ordinal digits: "7th", "21st"
        if k + 1 < n and toks[k + 1].kind == "word" and _attached(t, toks[k + 1]) and t.text.isdigit() \
                and ordinal_suffix_ok(t.text, toks[k + 1].text) and sign > 0:
            if not (k + 2 < n and _attached(toks[k + 1], toks[k + 2]) and toks[k + 2].kind in ("num", "word")):
                return Numeral(start_k, k + 2, t.start, toks[k + 1].end, float(int(t.text)), 1.0, "ordinal",
                               plain=False)
    res = reader.cardinal(k)
    if res is None:
        return None
    end, value, prec, kind, words = res
    first = toks[k]
    num = Numeral(start_k, end, toks[start_k].start, toks[end - 1].end, sign * value, prec, kind, words=words)
    if first.kind == "num":
        d = reader.digits(k)
        if d is not None:
            num.plain = d[3] and d[0] == end and sign > 0
            num.slash = d[4]
        num.scaled = end > (d[0] if d else k + 1)
        _attach_suffix(reader, num)
    elif kind == "cardinal":
        num.scaled = any(toks[x].low in SCALES or toks[x].low in SCALE_PLURALS for x in range(k, end))
    return num


def _attach_suffix(reader: _Reader, num: Numeral) -> None:
    """Scale letters glued to digits ("10k", "3M", "1.2bn") or after a
    space ("2.33 k"); ambiguous letters are recorded, not applied."""
    toks, n = reader.toks, reader.n
    j = num.j
    if j >= n or toks[j].kind != "word" or num.kind != "cardinal" or num.scaled:
        return
    t = toks[j]
    glued = _attached(toks[j - 1], t)
    if not glued and not _plain_gap(reader.text, toks[j - 1], t):
        return
    # a letter glued to digits and followed by more glued letters/digits is a code ("24703L202")
    if j + 1 < n and _attached(t, toks[j + 1]) and toks[j + 1].kind == "num":
        return
    s = t.text
    if s in SUFFIX_SCALES and (glued or s in ("k", "K", "bn", "mn", "mln", "tn", "bln")):
        if s == "K" and glued is False:
            return
        num.suffix, num.suffix_tok = s, j
        if s in ("K",):
            return  # thousand or kelvin: decided with the unit
        mult = SUFFIX_SCALES[s]
        num.value *= mult
        num.precision *= mult
        num.j = j + 1
        num.end = t.end
        num.scaled = True
        num.plain = False
        num.suffix = None
        return
    if s in AMBIGUOUS_SUFFIXES:
        num.suffix, num.suffix_tok = s, j


def _sign_ok(toks: list[Tok], k: int, text: str) -> bool:
    """Whether the dash at k is a minus sign: glued to the digits that follow
    and not joining two numbers ("2024-25", "2-1") or words ("COVID-19")."""
    t = toks[k]
    nxt = toks[k + 1]
    if nxt.kind != "num" and nxt.low not in UNITS and nxt.low not in TEENS and nxt.low not in TENS:
        return False
    if k > 0:
        prev = toks[k - 1]
        if prev.end == t.start:  # glued: "over-50s", "mid-2024" join words; "(-5" and "$-2" are signs
            return prev.text in ("(", "$", "[", "=", ":", "€", "£") or prev.kind == "sym" and prev.text in "([{"
        if prev.kind == "num" or prev.low in NUMBER_WORDS or prev.text in DASHES:
            return False
    if t.end == nxt.start:
        return True
    gap = text[t.end:nxt.start]
    return gap in (" ", "  ") and nxt.kind == "num" and (k == 0 or text[t.start - 1] in " \t")


# --------------------------------------------------------------------------------------------------
# Whole strings


def parse_number(text: str) -> float | None:
    """The value of a string that is one numeral and nothing else
    ("1,234.5", "twenty-five", "two-thirds", "3 million"); None otherwise.
    Ordinals are not numbers here: see `parse_ordinal`."""
    num = _whole(text)
    if num is None or num.kind == "ordinal":
        return None
    if num.suffix is None:
        return num.value
    # alone, without a unit to decide: "10K" and "1.2b" are scales, "3m" could be metres
    if num.suffix == "K" or num.suffix in ("b", "B") and not num.plain:
        return num.value * (1e3 if num.suffix == "K" else 1e9)
    return None


def parse_ordinal(text: str) -> int | None:
    """"seventh" -> 7, "3rd" -> 3, "twenty-fifth" -> 25; None for anything else."""
    num = _whole(text)
    if num is None or num.kind != "ordinal":
        return None
    return int(num.value)


def numeral_precision(text: str) -> float | None:
    """How exactly a numeral is written: the step of its last digit
    ("18.51 billion" -> 1e7, "17.2" -> 0.1, "seven" -> 1)."""
    num = _whole(text)
    return None if num is None else num.precision


def _whole(text: str) -> Numeral | None:
    stripped = text.strip()
    if not stripped:
        return None
    toks = tokenize(stripped)
    nums = find_numerals(toks, stripped)
    if len(nums) != 1 or nums[0].start != 0:
        return None
    num = nums[0]
    end = toks[num.suffix_tok].end if num.suffix is not None else num.end
    return num if end == len(stripped) else None
