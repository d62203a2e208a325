"""Import reference facts from CSV, JSON Lines or ClaimReview JSON-LD.

Files come from spreadsheets and other people's exports, so the reader is
forgiving about the container (encoding, BOM, line ends, delimiter) and
strict about the content (values in base units, known units and
qualifiers): a fact stored wrong would make the bot confidently wrong.

Decisions a user can rely on:
- One transaction per import: a file lands whole (minus its reported bad
  rows) or, on any database failure, not at all.
- `strict=True` is all-or-nothing: if any row has a problem, nothing is
  written and every problem is still reported.
- A row repeated within one file counts as "unchanged"; a row with the same
  identity (entity, metric, period, source) but different content is
  skipped as "conflicts with line N", because guessing which one is right
  would be worse than asking.
- Thousands separators are accepted when they group digits in threes
  ("18,513,000,000"); anything else with a comma ("1,5") is refused.
"""
from __future__ import annotations

import codecs
import csv
import io
import json
import logging
import math
import re
import sqlite3
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import charset_normalizer
from charset_normalizer.utils import is_multi_byte_encoding
import sqlite_utils

from claims.model import QUALIFIERS
from sources.normalize import clean_text, norm_alias, unit_problem
from sources.db import write_transaction
from sources.store import ADDED, UNCHANGED, UPDATED, FactInput, FactWriter

log = logging.getLogger(__name__)

REQUIRED = ("entity", "metric", "value", "unit", "source")
OPTIONAL = ("qualifier", "period", "url", "published", "aliases", "note", "region")
KNOWN_COLUMNS = REQUIRED + OPTIONAL
PROGRESS_EVERY = 1000
_SNIFF_BYTES = 256 * 1024
_CP1252_SLACK = 0.1


def one_line(text: str) -> str:
    """Text from a file, made safe for a one-line message: line breaks and
    other control characters are shown escaped, not acted on."""
    return "".join(ch if ch.isprintable() or ch == " " else repr(ch)[1:-1] for ch in text)


class SourceImportError(Exception):
    """The file cannot be imported at all (missing, empty, binary, wrong format,
    header without required columns). The message is one line for people.

    Not a subclass of the built-in ImportError: code that guards optional
    module imports with `except ImportError` must not swallow it.
    """

    def __init__(self, message: str) -> None:
        super().__init__(one_line(message))


class ImportAborted(SourceImportError):
    """Writing failed part-way; the transaction was rolled back, nothing changed."""


class _StrictRefusal(Exception):
    """Raised inside the import transaction to roll it back under --strict."""


@dataclass
class ImportReport:
    """What an import did; `problems` are (line in the file, reason), one per skipped row."""

    path: str
    kind: str = ""
    encoding: str = "utf-8"
    rows: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    problems: list[tuple[int, str]] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    written: bool = True

    def summary(self) -> str:
        return f"added {self.added}, updated {self.updated}, unchanged {self.unchanged}, skipped {self.skipped}"

    def count(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)

    def skip(self, line: int, reason: str) -> None:
        self.skipped += 1
        self.problems.append((line, one_line(reason)))


class RowProblem(ValueError):
    """A row that cannot be stored; the message is the reason shown to the user."""


# -- reading bytes into text ----------------------------------------------------

def read_text(path: str | Path) -> tuple[str, str]:
    """Decode a file to text; return (text, encoding).

    UTF-8 (with or without BOM) first, then charset-normalizer's guess,
    preferring cp1252 over look-alike code pages when it fits equally well:
    non-UTF-8 CSVs here are nearly always Excel exports from Western locales.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise SourceImportError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise SourceImportError(f"{path}: is a directory, not a file") from None
    except OSError as exc:
        raise SourceImportError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if not data.strip(b" \t\r\n\f\v" + codecs.BOM_UTF8):
        raise SourceImportError(f"{path}: file is empty")
    for bom, encoding in ((codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                raise SourceImportError(f"{path}: cannot decode as UTF-16 despite its byte order mark") from None
            if not text.strip():
                raise SourceImportError(f"{path}: file is empty")
            return text, encoding
    if b"\x00" in data:
        raise SourceImportError(f"{path}: looks like a binary file (it contains NUL bytes), not CSV or JSON")
    try:
        text, encoding = data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        text, encoding = _decode_guess(path, data)
    sample = text[:100_000]
    controls = sum(1 for ch in sample if unicodedata.category(ch) == "Cc" and ch not in "\t\r\n\f")
    if controls > len(sample) // 100:
        raise SourceImportError(f"{path}: looks like a binary file (control characters), not CSV or JSON")
    return text, encoding


def _decode_guess(path: Path, data: bytes) -> tuple[str, str]:
    # Statistical detection is unreliable on short files (a small French CSV
    # came back as Baltic cp775), so a close cp1252 reading wins over another
    # single-byte code page; multi-byte guesses (GB18030, Shift-JIS...) are kept.
    matches = charset_normalizer.from_bytes(data[:_SNIFF_BYTES])
    best = matches.best()
    if best is None:
        raise SourceImportError(f"{path}: cannot decode the file as text (not UTF-8 or a known encoding)")
    encoding = best.encoding
    if not is_multi_byte_encoding(encoding):
        for match in matches:
            if "cp1252" in match.could_be_from_charset and match.chaos <= best.chaos + _CP1252_SLACK:
                encoding = "cp1252"
                break
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        raise SourceImportError(f"{path}: cannot decode the file as text (tried UTF-8 and {encoding})") from None
    log.info("%s: not UTF-8, decoded as %s", path, encoding)
    return text, encoding


# -- detecting the format -------------------------------------------------------

def detect_kind(text: str, path: str | Path = "") -> tuple[str, Any]:
    """Return ("csv" | "jsonl" | "claimreview", parsed JSON document or None).

    Content decides; the extension only breaks ties (a .jsonl file holding a
    single object is still JSON Lines).
    """
    suffix = Path(path).suffix.casefold()
    head = text.lstrip("\ufeff \t\r\n")
    if not head.startswith(("{", "[")):
        if suffix in (".json", ".jsonl", ".ndjson", ".jsonld"):
            raise SourceImportError(f"{path}: has a {suffix} name but does not hold JSON")
        return "csv", None
    try:
        doc = json.loads(head)
    except (RecursionError, ValueError) as exc:
        if not isinstance(exc, json.JSONDecodeError):
            raise SourceImportError(f"{path}: JSON too deeply nested or with a number too long to read") from None
        end = head.find("\n")
        first = (head[:end] if end >= 0 else head).strip()
        if head.startswith("{") and (suffix in (".jsonl", ".ndjson") or _is_json_object(first)):
            return "jsonl", None
        raise SourceImportError(f"{path}: not valid JSON: {exc.msg} (line {exc.lineno})") from None
    if _looks_like_jsonld(doc):
        return "claimreview", doc
    if isinstance(doc, dict) and any(key.casefold() in REQUIRED for key in doc):
        return "jsonl", None
    if isinstance(doc, list):
        raise SourceImportError(f"{path}: a JSON list that is not ClaimReview JSON-LD: "
                                "write facts as JSON Lines, one object per line")
    raise SourceImportError(f"{path}: JSON that is neither ClaimReview JSON-LD nor a fact (JSON Lines)")


def _is_json_object(line: str) -> bool:
    try:
        return isinstance(json.loads(line), dict)
    except (RecursionError, ValueError):  # JSONDecodeError, or nesting/number limits
        return False


def _has_lone_surrogate(value: Any) -> bool:
    """JSON may escape half a UTF-16 pair ("\\ud800"); such text cannot be
    stored (SQLite wants valid UTF-8). Walked with a stack, not recursion:
    whatever depth json.loads accepted, this must accept too."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def _looks_like_jsonld(doc: Any) -> bool:
    items = doc if isinstance(doc, list) else [doc]
    return any(isinstance(item, dict) and ("@context" in item or "@type" in item or "@graph" in item)
               for item in items)


# -- records --------------------------------------------------------------------

def _delimiter(header_line: str) -> str:
    # Excel in many European locales writes ';'; a tab-separated export is
    # also common. A header naming our columns tells them apart safely.
    for candidate in (",", ";", "\t"):
        if candidate in header_line:
            return candidate
    return ","


def csv_records(text: str, report: ImportReport) -> Iterator[tuple[int, dict[str, str] | RowProblem]]:
    """(line where the record starts, record or problem) for each data row.

    Line numbers count physical lines, so a quoted multi-line field moves
    the next record's number on, as an editor would show it.
    """
    end = text.find("\n")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text[:end] if end >= 0 else text))
    try:
        header = next(reader)
    except csv.Error as exc:
        raise SourceImportError(f"{report.path}: cannot read the CSV header: {exc}") from None
    columns = [h.strip().lstrip("\ufeff").strip().casefold() for h in header]
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        found = ", ".join(c for c in columns if c) or "nothing"
        raise SourceImportError(f"{report.path}: header is missing required column(s) "
                                f"{', '.join(missing)} (found: {found})")
    repeated = sorted({c for c in columns if c and columns.count(c) > 1})
    if repeated:
        raise SourceImportError(f"{report.path}: column(s) {', '.join(repeated)} appear more than once in the header")
    report.ignored_columns = [c for c in columns if c and c not in KNOWN_COLUMNS]
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield start, RowProblem(f"cannot parse CSV from here on ({exc}); the rest of the file was not read")
            return
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(columns):
            yield start, RowProblem(f"row has {len(row)} fields but the header has {len(columns)} "
                                    "(a comma inside an unquoted value? quote it)")
            continue
        yield start, dict(zip(columns, row))


def jsonl_records(text: str, report: ImportReport) -> Iterator[tuple[int, dict[str, Any] | RowProblem]]:
    # split("\n"), not splitlines(): JSON strings may hold U+2028 and friends.
    for number, line in enumerate(text.split("\n"), 1):
        line = line.strip().lstrip("\ufeff")
        if not line:
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield number, RowProblem(f"not valid JSON: {exc.msg}")
            continue
        except (RecursionError, ValueError):
            yield number, RowProblem("JSON too deeply nested or with a number too long to read")
            continue
        if _has_lone_surrogate(obj):
            yield number, RowProblem("text with an invalid Unicode escape (a lone surrogate such as \\ud800)")
            continue
        if not isinstance(obj, dict):
            yield number, RowProblem("not a JSON object")
            continue
        yield number, {str(key).strip().casefold(): value for key, value in obj.items()}


# -- validating one fact ------------------------------------------------------------

_PLAIN = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_GROUPED = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_DECORATED = re.compile(
    r"(?P<sign>[+-])?\s*(?P<cur>US\$|HK\$|NT\$|S\$|A\$|C\$|RMB|[$€£¥])?\s*(?P<sign2>[+-])?"
    r"(?P<num>\d[\d,]*(?:\.\d+)?|\.\d+)\s*(?P<scale>[A-Za-z]+)?\.?\s*(?:cent)?\s*(?P<pct>%)?", re.I)
_SCALES = {"k": 3, "thousand": 3, "thousands": 3, "m": 6, "mn": 6, "mln": 6, "mil": 6, "million": 6,
           "millions": 6, "b": 9, "bn": 9, "billion": 9, "billions": 9, "t": 12, "tn": 12,
           "trillion": 12, "trillions": 12, "lakh": 5, "crore": 7}
_SYMBOL_UNITS = {"$": "USD", "us$": "USD", "hk$": "HKD", "nt$": "TWD", "s$": "SGD", "a$": "AUD", "c$": "CAD",
                 "€": "EUR", "£": "GBP", "¥": "JPY or CNY", "rmb": "CNY"}
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_value(raw: Any) -> float:
    """A plain number in base units, or RowProblem saying how to write it."""
    if isinstance(raw, bool):
        raise RowProblem(f"value {raw!r} is not a number")
    if isinstance(raw, (int, float)):
        try:
            number = float(raw)
        except OverflowError:
            raise RowProblem("value is too large to be a figure") from None
    else:
        text = clean_text(str(raw)).replace("\u2212", "-")
        if _PLAIN.fullmatch(text):
            number = float(text)
        elif _GROUPED.fullmatch(text):
            number = float(text.replace(",", ""))
        else:
            raise RowProblem(_value_hint(text))
    if not math.isfinite(number):
        raise RowProblem(f"value {raw!r} is not a finite number")
    return number


def _value_hint(text: str) -> str:
    match = _DECORATED.fullmatch(text)
    if not match or not (match.group("cur") or match.group("scale") or match.group("pct")):
        if re.fullmatch(r"[+-]?\d+(?:,\d+)+", text):
            return (f"value '{text}' is not a plain number: use '.' for decimals "
                    "and no separators except thousands in groups of three")
        return f"value '{text}' is not a number"
    scale = (match.group("scale") or "").casefold()
    percent = bool(match.group("pct")) or scale in ("percent", "pct", "per")
    if percent and scale in ("percent", "pct", "per"):
        scale = ""
    if scale and scale not in _SCALES and len(scale) < 3:
        return f"value '{text}' is not a number"
    if scale and scale not in _SCALES:
        return (f"value '{text}' is not a plain number: write only the number and "
                f"put '{match.group('scale')}' in unit")
    try:
        number = Decimal(match.group("num").replace(",", "")).scaleb(_SCALES.get(scale, 0))
    except InvalidOperation:
        return f"value '{text}' is not a number"
    if (match.group("sign") or match.group("sign2")) == "-":
        number = -number
    plain = format(number.to_integral_value() if number == number.to_integral_value() else number.normalize(), "f")
    unit = "%" if percent else _SYMBOL_UNITS.get((match.group("cur") or "").casefold())
    return (f"value '{text}' is not a plain number: write it in base units, e.g. {plain}"
            + (f" with unit {unit}" if unit else ""))


def _text(record: Mapping[str, Any], key: str) -> str:
    value = record.get(key)
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "|".join(str(v) for v in value)
    return str(value).strip()


def validate_fact(record: Mapping[str, Any]) -> FactInput:
    """Check one record (CSV row or JSON object) and build the fact, or raise
    RowProblem listing every problem found in it."""
    problems: list[str] = []
    missing = [key for key in REQUIRED if not _text(record, key)]
    if missing:
        problems.append(f"missing required value(s): {', '.join(missing)}")
    value = 0.0
    if "value" not in missing:
        try:
            value = parse_value(record["value"])
        except RowProblem as exc:
            problems.append(str(exc))
    entity, metric = clean_text(_text(record, "entity")), clean_text(_text(record, "metric"))
    if entity and not norm_alias(entity):
        problems.append(f"entity '{entity}' has no letters or digits")
    unit = _text(record, "unit")
    if unit and (why := unit_problem(unit)):
        problems.append(why)
    elif unit == "rank" and "value" not in missing and not problems and (value < 1 or not value.is_integer()):
        problems.append(f"value {_text(record, 'value')} is not a rank: ranks are whole numbers from 1")
    qualifier = _text(record, "qualifier").casefold() or "exact"
    if qualifier not in QUALIFIERS:
        problems.append(f"unknown qualifier '{qualifier}': use {', '.join(QUALIFIERS[:-1])} or {QUALIFIERS[-1]}")
    published = _text(record, "published") or None
    if published and not _is_date(published):
        problems.append(f"published '{published}' is not a date: use YYYY-MM-DD")
    url = _text(record, "url") or None
    if url and not _is_http_url(url):
        problems.append(f"url '{url}' is not an http(s) URL")
    if problems:
        raise RowProblem("; ".join(problems))
    aliases = tuple(a for a in (clean_text(x) for x in _text(record, "aliases").split("|")) if a)
    return FactInput(
        entity=entity, metric=metric, value=value, unit=unit, source=clean_text(_text(record, "source")),
        qualifier=qualifier, period=clean_text(_text(record, "period")) or None,
        region=clean_text(_text(record, "region")) or None, url=url, published=published,
        note=_text(record, "note") or None, aliases=aliases)


def _is_date(text: str) -> bool:
    if not _ISO_DATE.fullmatch(text):
        return False
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _is_http_url(text: str) -> bool:
    if any(ch.isspace() for ch in text):
        return False
    try:
        parts = urlsplit(text)
    except ValueError:
        return False
    return parts.scheme.casefold() in ("http", "https") and bool(parts.netloc)


# -- ClaimReview ----------------------------------------------------------------

_CLAIMREVIEW_TYPE = re.compile(r'"@type"\s*:\s*(?:\[[^\]]*?)?"(?:schema:|https?://schema\.org/)?ClaimReview"')


def _is_claimreview(item: Any) -> bool:
    if not isinstance(item, dict):
        return False
    types = item.get("@type")
    types = types if isinstance(types, list) else [types]
    return any(isinstance(t, str) and t.rsplit("/", 1)[-1].split(":")[-1] == "ClaimReview" for t in types)


def _walk(doc: Any) -> Iterator[Any]:
    """Every object of a JSON-LD document in document order (lists and @graph)."""
    if isinstance(doc, list):
        for item in doc:
            yield from _walk(item)
    elif isinstance(doc, dict):
        yield doc
        if "@graph" in doc:
            yield from _walk(doc["@graph"])


def _types(doc: Any) -> list[str]:
    found: list[str] = []
    for item in _walk(doc):
        types = item.get("@type")
        for t in types if isinstance(types, list) else [types]:
            if isinstance(t, str) and t not in found:
                found.append(t)
    return found


def _name(value: Any) -> str | None:
    """schema.org Person/Organization, a list of them, or a bare string -> a name."""
    if isinstance(value, list):
        names = [n for n in (_name(v) for v in value) if n]
        return ", ".join(names) or None
    if isinstance(value, dict):
        value = value.get("name")
    if value is None:
        return None
    return clean_text(str(value)) or None


def _first(value: Any) -> Any:
    return value[0] if isinstance(value, list) and value else value


def _iso_datetime(value: Any) -> str | None:
    if value in (None, ""):
        return None
    text = str(value).strip()
    if _is_date(text):
        return text
    try:
        datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise RowProblem(f"date '{text}' is not an ISO 8601 date") from None
    return text


def validate_claim_review(item: Mapping[str, Any]) -> dict[str, Any]:
    """Flatten one ClaimReview into claim_reviews columns, or raise RowProblem."""
    claim = clean_text(str(item.get("claimReviewed") or ""))
    if not claim:
        raise RowProblem("ClaimReview without claimReviewed")
    rating = _first(item.get("reviewRating")) or {}
    reviewed = _first(item.get("itemReviewed")) or {}
    if not isinstance(rating, dict) or not isinstance(reviewed, dict):
        raise RowProblem("reviewRating and itemReviewed must be objects")
    url = item.get("url")
    url = str(url).strip() if url else None
    if url and not _is_http_url(url):
        raise RowProblem(f"url '{url}' is not an http(s) URL")
    rating_value = rating.get("ratingValue")
    return {
        "claim_reviewed": claim,
        "rating": _name(rating.get("alternateName")),
        "rating_value": None if rating_value in (None, "") else str(rating_value),
        "item_reviewed_author": _name(reviewed.get("author")),
        "item_reviewed_date": _iso_datetime(reviewed.get("datePublished")),
        "author": _name(item.get("author")),
        "date_published": _iso_datetime(item.get("datePublished")),
        "url": url,
    }


def claimreview_records(doc: Any, text: str, report: ImportReport) -> Iterator[tuple[int, Any]]:
    """(line, item) for each ClaimReview; the line is where its "@type" is written.

    json does not keep positions, so items are matched to the n-th
    '"@type": "ClaimReview"' in the text; if those do not line up one to
    one, every item is reported at line 1 with its number instead.
    """
    items = [item for item in _walk(doc) if _is_claimreview(item)]
    if not items:
        found = ", ".join(_types(doc)) or "no @type"
        raise SourceImportError(f"{report.path}: JSON-LD holds no ClaimReview (found: {found})")
    lines = [text.count("\n", 0, m.start()) + 1 for m in _CLAIMREVIEW_TYPE.finditer(text)]
    aligned = len(lines) == len(items)
    for number, item in enumerate(items, 1):
        yield (lines[number - 1] if aligned else 1), (item if aligned else (number, item))


# -- the import -----------------------------------------------------------------

def import_file(db: sqlite_utils.Database, path: str | Path, *, strict: bool = False, added_by: str = "import",
                progress: Callable[[int, int], None] | None = None) -> ImportReport:
    """Import one file into `db` in a single transaction and report what happened.

    Raises SourceImportError when the file cannot be used at all (nothing is
    written), ImportAborted when the database refuses a write (rolled back).
    `progress(done, total_lines)` is called every PROGRESS_EVERY records.
    """
    report = ImportReport(path=str(path))
    text, report.encoding = read_text(path)
    report.kind, doc = detect_kind(text, path)
    if report.kind == "csv":
        records: Iterator[tuple[int, Any]] = csv_records(text, report)
    elif report.kind == "jsonl":
        records = jsonl_records(text, report)
    else:
        records = claimreview_records(doc, text, report)
    total = text.count("\n") + 1
    line = 0
    try:
        with write_transaction(db):
            writer = FactWriter(db, added_by=added_by)
            seen: dict[tuple[int, str, str, str], tuple[int, tuple[Any, ...]]] = {}
            seen_reviews: dict[tuple[str, str], tuple[int, dict[str, Any]]] = {}
            for line, record in records:
                report.rows += 1
                if progress and report.rows % PROGRESS_EVERY == 0:
                    progress(report.rows, total)
                if isinstance(record, RowProblem):
                    report.skip(line, str(record))
                    continue
                try:
                    if report.kind == "claimreview":
                        report.count(_store_review(writer, record, line, seen_reviews))
                    else:
                        report.count(_store_fact(writer, validate_fact(record), line, seen))
                except RowProblem as exc:
                    report.skip(line, str(exc))
            if strict and report.problems:
                raise _StrictRefusal
    except _StrictRefusal:
        report.written = False
        report.added = report.updated = report.unchanged = 0
    except sqlite3.Error as exc:
        raise ImportAborted(f"{path}: database write failed at line {line} ({exc}); "
                            "nothing from this file was imported") from exc
    log.info("%s: %s (%s, %s)", path, report.summary(), report.kind, report.encoding)
    return report


def _store_fact(writer: FactWriter, fact: FactInput, line: int,
                seen: dict[tuple[int, str, str, str], tuple[int, tuple[Any, ...]]]) -> str:
    key = writer.identity(fact)
    earlier = seen.get(key)
    if earlier is not None:
        first_line, content = earlier
        if content == fact.content():
            return UNCHANGED
        raise RowProblem(f"conflicts with line {first_line}: same entity, metric, period and source "
                         "but a different value or details")
    seen[key] = (line, fact.content())
    outcome, _ = writer.upsert(fact)
    return outcome


def _store_review(writer: FactWriter, record: Any, line: int,
                  seen: dict[tuple[str, str], tuple[int, dict[str, Any]]]) -> str:
    """Like facts, a review repeated within one file with other content is
    reported, not allowed to overwrite its twin: re-importing the file must
    change nothing."""
    number, item = record if isinstance(record, tuple) else (None, record)
    try:
        if _has_lone_surrogate(item):
            raise RowProblem("text with an invalid Unicode escape (a lone surrogate such as \\ud800)")
        review = validate_claim_review(item)
    except RowProblem as exc:
        raise RowProblem(f"item {number}: {exc}" if number is not None else str(exc)) from None
    key = (review.get("url") or "", review["claim_reviewed"])
    earlier = seen.get(key)
    if earlier is not None:
        if earlier[1] == review:
            return UNCHANGED
        raise RowProblem(f"conflicts with line {earlier[0]}: same claim and url but a different rating or details")
    seen[key] = (line, review)
    return writer.upsert_claim_review(review)


__all__ = ["ADDED", "UPDATED", "UNCHANGED", "ImportAborted", "ImportReport", "RowProblem", "SourceImportError",
           "detect_kind", "import_file", "parse_value", "read_text", "validate_fact", "validate_claim_review"]
