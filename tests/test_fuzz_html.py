"""Fuzz target 4: the HTML extractor (`bot.intake.article.extract_article`) and the
body decoder in front of it (`bot.intake.fetch.decode_text`).

Inputs: HTML from a tag grammar (nested elements of 50 kinds with odd
attributes and quoting, unclosed and mis-cased tags, entities valid and not,
comments, CDATA, NUL and control characters, <head> metadata: titles, dates in
every shape, canonical links relative, broken or javascript:, JSON-LD), real
article bodies of grammar sentences placed among clutter, deep nesting, long
pages, no <html> at all, random text; served as text/html, XHTML and
text/plain. For the decoder: random bytes and encoded pages under every
charset label a header or <meta> may carry.

Properties: `extract_article` returns an Article or raises FetchError with the
documented one-line reason, within CALL_BUDGET_S; an Article has readable text
(at least MIN_TEXT_CHARS, trimmed), a trimmed title or none, a real date or
none, an http(s) canonical link, and round-trips through its JSON form and the
SQLite article cache unchanged. `decode_text` never fails and gives text that
can be stored and shown (encodable as UTF-8).
"""
from __future__ import annotations

import datetime as dt
import re
import sqlite3
from urllib.parse import urlsplit

import pytest
from hypothesis import given, note
from hypothesis import strategies as st

from bot.intake import Article, FetchedPage, FetchError, extract_article
from bot.intake.article import MIN_TEXT_CHARS, NOTHING_READABLE
from bot.intake.cache import get_cached_article, store_article
from bot.intake.fetch import decode_text
from tests import fuzz_strategies as fz

pytestmark = pytest.mark.fuzz


@pytest.fixture(scope="module")
def cache_db():
    conn = sqlite3.connect(":memory:")
    yield conn
    conn.close()


def _check_article(article: Article, page: FetchedPage, cache_db: sqlite3.Connection) -> None:
    assert article.text == article.text.strip() and len(article.text) >= MIN_TEXT_CHARS
    assert article.title is None or (article.title == article.title.strip() and article.title)
    assert article.published is None or isinstance(article.published, dt.date)
    assert article.site_name is None or article.site_name.strip()
    assert urlsplit(article.canonical_url).scheme in ("http", "https"), article.canonical_url
    assert article.url == page.final_url
    assert re.fullmatch(r"[0-9a-f]{64}", article.content_hash)
    assert Article.from_json(article.to_json()) == article
    # what read_article does next: cache it, and read it back the same
    store_article(cache_db, page.url, article, 3600)
    assert get_cached_article(cache_db, page.url, 3600) == article


@fz.fuzz_settings(ci=30, share=0.7)
@given(html=fz.html_input, content_type=st.sampled_from(["text/html", "text/html", "application/xhtml+xml",
                                                         "text/plain"]),
       path=st.sampled_from(["/", "/news/2024/03/05/city-budget", "/story?id=7&utm_source=x", "/a/b/c.html"]))
def test_extract_article_returns_an_article_or_the_documented_reason(cache_db, html, content_type, path):
    fz.tally("html/extract_article")
    url = "https://news.example" + path
    page = FetchedPage(url=url, final_url=url, status=200, content_type=content_type, charset="utf-8", text=html,
                       raw_size=len(html.encode("utf-8", "surrogatepass")))
    note(f"{content_type}: {html!r}")
    try:
        with fz.within(what="extract_article"):
            article = extract_article(page)
    except FetchError as exc:
        assert exc.reason == NOTHING_READABLE and str(exc) == exc.reason
        fz.assert_one_line(exc.reason)
        return
    _check_article(article, page, cache_db)


def _utf8_ok(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


@st.composite
def page_bytes(draw) -> bytes:
    kind = draw(st.integers(0, 3))
    if kind == 0:
        return draw(st.binary(max_size=300))
    html = draw(st.one_of(fz.html_document(), st.text(max_size=200)))
    if kind == 1:
        label = draw(st.one_of(fz.CHARSET_LABELS, fz.CHARSET_LABELS, st.sampled_from(fz.PY_CODEC_LABELS)))
        html = f'<meta charset="{label}">' + html if label else html
    encoding = draw(st.sampled_from(["utf-8", "cp1252", "shift_jis", "gb18030", "utf-16", "koi8-r", "euc-kr",
                                     "latin-1", "big5"]))
    data = html.encode(encoding, errors="replace")
    if kind == 3 and data:
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(max_size=8)) + data[at:]
    return data


@fz.fuzz_settings(ci=40, share=0.3)
@given(body=page_bytes(), header=st.one_of(fz.CHARSET_LABELS, fz.CHARSET_LABELS, fz.CHARSET_LABELS,
                                           st.sampled_from(fz.PY_CODEC_LABELS)),
       content_type=st.sampled_from(["text/html", "text/plain", "application/xhtml+xml"]))
def test_decode_text_never_fails_and_gives_storable_text(body, header, content_type):
    fz.tally("html/decode_text")
    note(f"header charset={header!r}, {content_type}, body={body[:300]!r}")
    with fz.within(what="decode_text"):
        text, codec = decode_text(body, header, content_type)
    assert fz.codec_ok(codec), codec
    assert _utf8_ok(text), f"decoded text holds lone surrogates (codec {codec})"


# -- found by this target, fixed: kept as regression tests ----------------------------------------


@pytest.mark.parametrize("label, where", [("rot13", "header"), ("hex", "meta"), ("undefined", "header"),
                                         ("unicode_escape", "meta"), ("punycode", "header")])
def test_charset_label_naming_a_python_codec_decodes_as_text(label, where):
    body = b"<html><body><p>" + b"Revenue rose 8% to 1.92 billion euros. \\ud800 \xff" * 3 + b"</p></body></html>"
    if where == "meta":
        body = f'<meta charset="{label}">'.encode() + body
    text, codec = decode_text(body, label if where == "header" else None, "text/html")
    assert _utf8_ok(text)
