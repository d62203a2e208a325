"""The link intake against a real aiohttp server on 127.0.0.1.

The server is allowed through `fetch.allow_hosts` in the test config only.
A socket watch blocks (and fails the test on) any connection to an address
other than 127.0.0.1, so a redirect to 10.0.0.1 can never send a packet.
"""
from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import gzip
import socket
import sqlite3
import time
import tracemalloc
import zlib
from pathlib import Path
from typing import AsyncIterator, Awaitable, Callable

import pytest
from aiohttp import web
from aiohttp.abc import AbstractResolver

from bot.config import Config, validate
from bot.intake import Article, FetchError, FetchLimits, get_cached_result, read_article, store_result
from bot.intake.article import NOTHING_READABLE
from bot.intake.cache import normalise_url
from bot.intake.fetch import Inflater, fetch
from tests.loopback import only_loopback  # noqa: F401  (autouse fixture)

FIXTURES = Path(__file__).parent / "fixtures" / "intake"
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


# --- harness -------------------------------------------------------------------




class Server:
    def __init__(self) -> None:
        self.port = 0
        self.paths: list[str] = []
        self.headers: list[dict[str, str]] = []

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"


@contextlib.asynccontextmanager
async def serve(routes: dict[str, Handler]) -> AsyncIterator[Server]:
    state = Server()

    @web.middleware
    async def record(request: web.Request, handler: Handler) -> web.StreamResponse:
        state.paths.append(request.path_qs)
        state.headers.append(dict(request.headers))
        return await handler(request)

    app = web.Application(middlewares=[record])
    for path, handler in routes.items():
        app.router.add_get(path, handler)
    runner = web.AppRunner(app, shutdown_timeout=0.2)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    state.port = runner.addresses[0][1]
    try:
        yield state
    finally:
        await runner.cleanup()


def make_config(tmp_path: Path, **fetch: object) -> Config:
    settings = {"allow_hosts": ["127.0.0.1"], **fetch}
    return validate({"fetch": settings, "database": {"path": str(tmp_path / "factbot.db")}})


def limits(**overrides: object) -> FetchLimits:
    settings = {"allow_hosts": ["127.0.0.1"], **overrides}
    return FetchLimits.from_config(validate({"fetch": settings}))


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def html(text: str, status: int = 200, charset: str | None = "utf-8") -> Handler:
    async def handler(request: web.Request) -> web.Response:
        return web.Response(text=text, status=status, content_type="text/html", charset=charset)
    return handler


def raw(body: bytes, content_type: str = "text/html", **headers: str) -> Handler:
    async def handler(request: web.Request) -> web.Response:
        return web.Response(body=body, headers={"Content-Type": content_type, **headers})
    return handler


def redirect(location: str, status: int = 302) -> Handler:
    async def handler(request: web.Request) -> web.Response:
        return web.Response(status=status, headers={"Location": location})
    return handler


ARTICLE = "<html><head><title>Budget</title></head><body><article>" + (
    "<p>The council approved a budget of $18.51 billion, up 17.2% on last year, on Tuesday night.</p>" * 3
) + "</article></body></html>"


def fetch_error(coro: Awaitable[object]) -> FetchError:
    with pytest.raises(FetchError) as caught:
        asyncio.run(coro)  # type: ignore[arg-type]
    return caught.value


class FakeDNS(AbstractResolver):
    def __init__(self, table: dict[str, list[str]]) -> None:
        self.table = table

    async def resolve(self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET):
        return [{"hostname": host, "host": a, "port": port, "family": socket.AF_INET, "proto": 0,
                 "flags": socket.AI_NUMERICHOST} for a in self.table[host]]

    async def close(self) -> None:
        pass


# --- redirects -------------------------------------------------------------------


@pytest.mark.parametrize(("location", "reason"), [
    ("http://10.0.0.1/", "address not allowed (private network)"),
    ("http://2130706433:{port}/", "address not allowed (loopback)"),  # 127.0.0.1 is allowed, this form is not
    ("http://0x7f.1:{port}/", "address not allowed (loopback)"),
    ("http://169.254.169.254/latest/meta-data/", "address not allowed (cloud metadata)"),
    ("http://[::1]:{port}/", "address not allowed (loopback)"),
    ("http://localhost:{port}/", "address not allowed (local name)"),
    ("http://inside.example/", "address not allowed (private network)"),  # resolves to 192.168.1.5
    ("ftp://127.0.0.1/", "only http and https links are supported"),
    ("http://admin:admin@127.0.0.1:{port}/", "links with credentials are not allowed"),
])
def test_redirect_into_a_refused_address(location: str, reason: str) -> None:
    async def hop(request: web.Request) -> web.Response:
        return web.Response(status=302, headers={"Location": request.query["to"]})

    async def run() -> tuple[FetchError, Server]:
        async with serve({"/hop": hop, "/": html(ARTICLE)}) as server:
            with pytest.raises(FetchError) as caught:
                await fetch(server.url("/hop?to=" + location.format(port=server.port)), limits(),
                            resolver=FakeDNS({"inside.example": ["192.168.1.5"]}))
            return caught.value, server

    error, server = asyncio.run(run())
    assert error.reason == reason
    assert [p.split("?")[0] for p in server.paths] == ["/hop"]  # nothing after the refused hop


def test_six_redirects_are_too_many_and_five_are_fine() -> None:
    async def chain(request: web.Request) -> web.Response:
        left = int(request.match_info["left"])
        target = f"/chain/{left - 1}" if left > 0 else "/article"
        return web.Response(status=302, headers={"Location": target})

    async def run() -> tuple[FetchError, list[str], object]:
        async with serve({"/chain/{left}": chain, "/article": html(ARTICLE)}) as server:
            with pytest.raises(FetchError) as caught:
                await fetch(server.url("/chain/5"), limits())  # 6 redirects
            refused_paths = list(server.paths)
            page = await fetch(server.url("/chain/4"), limits())  # 5 redirects
            return caught.value, refused_paths, page

    error, refused_paths, page = asyncio.run(run())
    assert error.reason == "too many redirects"
    assert len(refused_paths) == 6  # the 6th redirect is never followed
    assert page.final_url.endswith("/article")
    assert len(page.redirects) == 5


@pytest.mark.parametrize("status", [301, 303, 307, 308])
def test_relative_redirects_are_followed(status: int) -> None:
    async def run():
        async with serve({"/old/story": redirect("../new/story#section", status), "/new/story": html(ARTICLE)}) as s:
            return await fetch(s.url("/old/story"), limits()), s

    page, server = asyncio.run(run())
    assert page.final_url == server.url("/new/story")
    assert page.redirects == (server.url("/old/story"),)


# --- time and size budgets --------------------------------------------------------


async def slow_drip(request: web.Request) -> web.StreamResponse:
    response = web.StreamResponse(headers={"Content-Type": "text/html"})
    await response.prepare(request)
    with contextlib.suppress(Exception):
        for _ in range(100):
            await response.write(b"<p>.")
            await asyncio.sleep(0.1)
    return response


async def endless(request: web.Request) -> web.StreamResponse:
    response = web.StreamResponse(headers={"Content-Type": "text/html"})
    await response.prepare(request)
    with contextlib.suppress(Exception):
        while True:
            await response.write(b"<p>spam</p>" * 1500)
    return response


def test_slow_drip_body_hits_the_time_budget() -> None:
    async def run():
        async with serve({"/": slow_drip}) as server:
            return await fetch(server.url(), limits(timeout_seconds=1))

    started = time.monotonic()
    error = fetch_error(run())
    assert error.reason == "timed out after 1 s"
    assert time.monotonic() - started < 2


def test_time_budget_covers_the_whole_redirect_chain() -> None:
    """Each hop is quick enough on its own; together they are not."""
    async def sleepy(request: web.Request) -> web.Response:
        await asyncio.sleep(0.3)
        left = int(request.match_info["left"])
        return web.Response(status=302, headers={"Location": f"/hop/{left - 1}" if left else "/done"})

    async def run():
        async with serve({"/hop/{left}": sleepy, "/done": html(ARTICLE)}) as server:
            return await fetch(server.url("/hop/4"), limits(timeout_seconds=0.5))

    assert fetch_error(run()).reason == "timed out after 0.5 s"


def test_endless_body_hits_the_byte_cap() -> None:
    async def run():
        async with serve({"/": endless}) as server:
            return await fetch(server.url(), limits(max_bytes=50_000))

    assert fetch_error(run()).reason == "page too large (over 50 kB)"


def test_declared_length_over_the_cap_is_refused_before_reading() -> None:
    async def run():
        async with serve({"/": html("x" * 60_000)}) as server:
            return await fetch(server.url(), limits(max_bytes=50_000))

    assert fetch_error(run()).reason == "page too large (over 50 kB)"


BOMB_SIZE = 20_000_000
ZEROS = b"\0" * BOMB_SIZE


@pytest.mark.parametrize(("encoding", "compress"), [
    ("gzip", gzip.compress),
    ("deflate", zlib.compress),  # zlib-wrapped, as the RFC says
    ("deflate", lambda data: zlib.compress(data)[2:-4]),  # raw deflate, as some servers send
])
def test_compression_bomb_stops_at_the_cap_without_inflating(encoding: str, compress) -> None:
    bomb = compress(ZEROS)
    assert len(bomb) < 100_000  # small on the wire

    async def run():
        async with serve({"/": raw(bomb, **{"Content-Encoding": encoding})}) as server:
            tracemalloc.start()
            try:
                with pytest.raises(FetchError) as caught:
                    await fetch(server.url(), limits(max_bytes=100_000))
                return caught.value, tracemalloc.get_traced_memory()[1]
            finally:
                tracemalloc.stop()

    error, peak = asyncio.run(run())
    assert error.reason == "page too large (over 100 kB)"
    assert peak < 4_000_000, f"peak {peak} bytes: the bomb was inflated"


def test_gzip_page_is_decompressed() -> None:
    async def run():
        async with serve({"/": raw(gzip.compress(ARTICLE.encode()), "text/html; charset=utf-8",
                                   **{"Content-Encoding": "gzip"})}) as server:
            return await fetch(server.url(), limits()), server

    page, server = asyncio.run(run())
    assert page.text == ARTICLE
    assert page.raw_size == len(ARTICLE)
    assert server.headers[0]["Accept-Encoding"] == "gzip, deflate"  # only what we can bound
    assert server.headers[0]["User-Agent"] == "factbot/0.1 (fact-check bot)"


def test_inflater_handles_tiny_chunks_and_gzip_members() -> None:
    data = gzip.compress(b"first ") + gzip.compress(b"second")
    inflater = Inflater("gzip")
    out = b"".join(inflater.feed(data[i:i + 1], 1000) for i in range(len(data))) + inflater.flush()
    assert out == b"first second"
    assert Inflater("deflate").feed(zlib.compress(b"x" * 10_000), 101) == b"x" * 101
    with pytest.raises(FetchError, match="unsupported compression"):
        Inflater("br")


# --- what is not an article ------------------------------------------------------


@pytest.mark.parametrize(("content_type", "reason"), [
    ("image/png", "not an article (content type image/png)"),
    ("application/json", "not an article (content type application/json)"),
    ("application/pdf", "not an article (content type application/pdf)"),
])
def test_wrong_content_type(content_type: str, reason: str) -> None:
    async def run():
        async with serve({"/": raw(b"\x89PNG\r\n\x1a\n....", content_type)}) as server:
            return await fetch(server.url(), limits())

    assert fetch_error(run()).reason == reason


@pytest.mark.parametrize("status", [404, 410, 500, 503])
def test_http_errors(status: int) -> None:
    async def run():
        async with serve({"/": html(ARTICLE, status=status)}) as server:
            return await fetch(server.url(), limits())

    assert fetch_error(run()).reason == f"HTTP {status}"


def test_javascript_only_page_has_nothing_readable(tmp_path: Path) -> None:
    async def run():
        async with serve({"/": html(fixture("javascript_only.html"))}) as server:
            return await read_article(server.url(), make_config(tmp_path))

    assert fetch_error(run()).reason == NOTHING_READABLE


def test_tls_error(tmp_path: Path) -> None:
    async def run():
        async with serve({"/": html(ARTICLE)}) as server:  # plain HTTP behind an https link
            return await fetch(f"https://127.0.0.1:{server.port}/", limits())

    assert fetch_error(run()).reason == "TLS error"


def test_nothing_listening() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    error = fetch_error(fetch(f"http://127.0.0.1:{port}/", limits()))
    assert error.reason == "could not connect to the server"


def test_proxies_from_the_environment_are_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    async def run():
        async with serve({"/": html(ARTICLE)}) as proxy, serve({"/": html(ARTICLE)}) as target:
            for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
                monkeypatch.setenv(name, proxy.url())
            monkeypatch.delenv("NO_PROXY", raising=False)
            monkeypatch.delenv("no_proxy", raising=False)
            await fetch(target.url(), limits())
            return proxy, target

    proxy, target = asyncio.run(run())
    assert proxy.paths == [] and target.paths == ["/"]


# --- extraction ---------------------------------------------------------------------


def test_only_the_article_body_is_returned(tmp_path: Path) -> None:
    async def run():
        async with serve({"/news/city-housing-budget": html(fixture("cluttered_article.html"))}) as server:
            return await read_article(server.url("/news/city-housing-budget"), make_config(tmp_path))

    article = asyncio.run(run())
    for figure in ("$18.51 billion", "17.2%", "4,200 new homes", "seventh largest"):
        assert figure in article.text
    # navigation, ads, related-story teasers, comments, footer
    for clutter in ("7,654", "1.99", "73%", "5,000,000", "62%", "8.8%", "41 cents", "61 reasons",
                    "314", "999 billion", "55%", "2019", "Subscribe", "Related stories", "skeptic_42"):
        assert clutter not in article.text, clutter
    assert article.title == "City approves record housing budget"
    assert article.site_name == "The Example Gazette"
    assert article.canonical_url == "https://gazette.example/news/city-housing-budget"
    assert article.published == dt.date(2024, 3, 5)


def test_publication_date_found_in_meta_tags_only(tmp_path: Path) -> None:
    body = fixture("meta_date_only.html")
    assert "2023" not in body.split("<body>")[1]  # the date really is only in <head>

    async def run():
        async with serve({"/story/traffic-falls": html(body)}) as server:
            return await read_article(server.url("/story/traffic-falls"), make_config(tmp_path))

    article = asyncio.run(run())
    assert article.published == dt.date(2023, 11, 2)  # published, not modified (2024-01-15)
    assert article.title == "Harbour traffic falls for a second year"
    assert article.site_name == "Harbour Times"
    assert "1.2 million containers" in article.text


def test_windows_1252_declared_in_meta_only(tmp_path: Path) -> None:
    body = fixture("windows1252_meta.html").encode("cp1252")

    async def run():
        async with serve({"/": raw(body, "text/html")}) as server:  # no charset in the header
            return await read_article(server.url(), make_config(tmp_path))

    article = asyncio.run(run())
    assert "Le café du port" in article.text
    assert "4,5 millions d’euros, soit plus de 4 500 000 €" in article.text
    assert "« C’est la fin d’une époque »" in article.text
    assert article.title == "Le café du port ferme ses portes"


def test_shift_jis_declared_in_headers_only(tmp_path: Path) -> None:
    source = fixture("shift_jis_headers.html")
    assert "charset" not in source
    body = source.encode("shift_jis")

    async def run():
        async with serve({"/": raw(body, "text/html; charset=Shift_JIS")}) as server:
            return await read_article(server.url(), make_config(tmp_path))

    article = asyncio.run(run())
    assert "総額八兆五千億円" in article.text
    assert article.title == "東京都、過去最大の予算案を発表"


def test_undeclared_charset_is_detected() -> None:
    source = fixture("windows1252_meta.html")
    body = source.replace('<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">', "")
    assert "charset" not in body

    async def run():
        async with serve({"/": raw(body.encode("cp1252"), "text/html")}) as server:
            return await fetch(server.url(), limits())

    page = asyncio.run(run())
    assert "Après quarante-deux ans" in page.text
    assert "\ufffd" not in page.text


def test_plain_text_passes_through(tmp_path: Path) -> None:
    text = "Statement from the council\n\nThe budget is $18.51 billion, 17.2% more than last year.\n"

    async def run():
        async with serve({"/statement.txt": raw(text.encode(), "text/plain; charset=utf-8")}) as server:
            return await read_article(server.url("/statement.txt"), make_config(tmp_path))

    article = asyncio.run(run())
    assert article.text == text.strip()
    assert article.title is None and article.published is None


# --- caches --------------------------------------------------------------------------


def test_second_read_within_ttl_makes_no_request(tmp_path: Path) -> None:
    config = make_config(tmp_path)
    db = sqlite3.connect(tmp_path / "cache.db")

    async def run():
        async with serve({"/story": html(fixture("meta_date_only.html"))}) as server:
            first = await read_article(server.url("/story"), config, db)
            again = await read_article(server.url("/story"), config, db)
            tracked = await read_article(server.url("/story?utm_source=discord#comments"), config, db)
            requests_within_ttl = len(server.paths)
            db.execute("UPDATE fetch_cache SET fetched_at = '2000-01-01T00:00:00Z'")
            expired = await read_article(server.url("/story"), config, db)
            return first, again, tracked, expired, requests_within_ttl, len(server.paths)

    first, again, tracked, expired, within, total = asyncio.run(run())
    assert within == 1
    assert total == 2
    assert first == again == tracked == expired
    assert isinstance(first, Article) and first.published == dt.date(2023, 11, 2)


def test_ttl_zero_disables_the_cache(tmp_path: Path) -> None:
    config = make_config(tmp_path, cache_ttl_seconds=0)

    async def run():
        async with serve({"/": html(ARTICLE)}) as server:
            await read_article(server.url(), config)
            await read_article(server.url(), config)
            return len(server.paths)

    assert asyncio.run(run()) == 2
    assert not (tmp_path / "factbot.db").exists()


def test_default_database_is_opened_from_config(tmp_path: Path) -> None:
    config = make_config(tmp_path)

    async def run():
        async with serve({"/": html(ARTICLE)}) as server:
            await read_article(server.url(), config)
            await read_article(server.url(), config)
            return len(server.paths)

    assert asyncio.run(run()) == 1
    with sqlite3.connect(tmp_path / "factbot.db") as db:
        assert db.execute("SELECT count(*) FROM fetch_cache").fetchone()[0] == 1


def test_check_result_cache(tmp_path: Path) -> None:
    db = sqlite3.connect(tmp_path / "results.db")
    article = Article("https://a.example/", "T", "Some text", dt.date(2024, 1, 2), "A", "https://a.example/")
    assert get_cached_result(db, article.content_hash, "engine-1") is None
    store_result(db, article.content_hash, "engine-1", {"claims": [{"text": "x", "verdict": "true"}]})
    assert get_cached_result(db, article.content_hash, "engine-1") == {"claims": [{"text": "x", "verdict": "true"}]}
    assert get_cached_result(db, article.content_hash, "engine-2") is None
    store_result(db, article.content_hash, "engine-1", {"claims": []})
    assert get_cached_result(db, article.content_hash, "engine-1") == {"claims": []}
    # The hash covers what the checker reads: the date resolves "last year".
    moved = Article(article.url, article.title, article.text, dt.date(2025, 1, 2), "A", article.url)
    assert moved.content_hash != article.content_hash


def test_cache_key_normalisation() -> None:
    assert normalise_url("HTTP://Example.COM:80") == "http://example.com/"
    assert normalise_url("https://example.com./a?utm_medium=x&id=3&fbclid=1#top") == "https://example.com/a?id=3"
    assert normalise_url("https://example.com/a?b=1&a=2") == "https://example.com/a?b=1&a=2"


def test_limits_come_from_config_with_user_facing_defaults() -> None:
    defaults = FetchLimits.from_config(validate({}))
    assert defaults.max_bytes == 5_000_000
    assert defaults.timeout_seconds == 10
    assert defaults.content_types == ("text/html", "application/xhtml+xml", "text/plain")
    assert defaults.cache_ttl_seconds == 3600
    assert not defaults.allow_hosts.names and not defaults.allow_hosts.networks
    from bot.intake.fetch import too_large

    assert too_large(defaults.max_bytes) == "page too large (over 5 MB)"
