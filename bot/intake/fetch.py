"""Fetch one web page a user linked to, without letting the link reach inside.

The link comes from anyone on Discord, so fetching it is the bot's largest
attack surface. The defences, each for a named attack:

- SSRF into the host network: every URL (first and after each redirect) is
  checked by `addresses.url_refusal` before a request is made, and the
  connector's resolver refuses forbidden addresses after DNS, so the socket
  can only ever be opened to an address that was checked (no gap between
  check and connect for DNS rebinding to use). Redirects are followed here,
  not by aiohttp, so each hop is checked. Proxies from the environment are
  ignored (`trust_env=False`): a proxy would do its own DNS behind our back.
- Memory exhaustion: the body is streamed and counted after decompression,
  which is done here with a bounded inflater (aiohttp's `auto_decompress`
  is off), so a gzip bomb stops at `max_bytes` without being inflated.
- Slow-drip connections: one `asyncio.timeout` covers DNS, connects,
  redirects and the body, so a server sending a byte a second still ends
  within `timeout_seconds`.

Every failure is a `FetchError` whose `reason` can be shown to the user.
"""
from __future__ import annotations

import asyncio
import codecs
import ipaddress
import logging
import re
import socket
import time
import zlib
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult
from yarl import URL

from bot.config import SCHEMA, Config, ConfigError
from bot.intake import addresses
from bot.intake.addresses import AllowList

log = logging.getLogger(__name__)

DEFAULT_CONTENT_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
DEFAULT_USER_AGENT = "factbot/0.1 (fact-check bot)"
MAX_REDIRECTS = 5
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_CHUNK = 64 * 1024


class FetchError(Exception):
    """A link could not be turned into a page.

    `reason` is a short sentence fragment meant for the person who posted the
    link ("HTTP 404", "timed out after 10 s", "address not allowed (private
    network)"); `str(error)` is the same text. `url` is the link as given.
    """

    def __init__(self, reason: str, url: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.url = url


@dataclass(frozen=True)
class FetchLimits:
    """What one fetch may cost; built from bot.toml's [fetch] by `from_config`."""

    max_bytes: int = 5_000_000
    timeout_seconds: float = 10.0
    content_types: tuple[str, ...] = DEFAULT_CONTENT_TYPES
    allow_hosts: AllowList = field(default_factory=AllowList)
    cache_ttl_seconds: int = 3600
    user_agent: str = DEFAULT_USER_AGENT
    max_redirects: int = MAX_REDIRECTS

    @classmethod
    def from_config(cls, config: Config) -> FetchLimits:
        """Read [fetch]; a Config built without that section gets the defaults."""
        values = {key: default for key, (_, default) in SCHEMA["fetch"].items()}
        values.update(config.values.get("fetch") or {})
        try:
            allow = AllowList.from_entries(values["allow_hosts"])
        except ValueError as exc:
            raise ConfigError(f"fetch.{exc}") from exc
        return cls(
            max_bytes=int(values["max_bytes"]),
            timeout_seconds=float(values["timeout_seconds"]),
            content_types=tuple(t.strip().lower() for t in values["content_types"]),
            allow_hosts=allow,
            cache_ttl_seconds=int(values["cache_ttl_seconds"]),
            user_agent=values["user_agent"],
        )


@dataclass(frozen=True)
class FetchedPage:
    """A successfully fetched page, decoded to text."""

    url: str  # the link as given
    final_url: str  # where the body came from, after redirects
    status: int
    content_type: str  # media type without parameters, lower case
    charset: str  # the codec `text` was decoded with
    text: str
    raw_size: int  # body bytes after content decoding (gzip), before charset decoding
    redirects: tuple[str, ...] = ()  # URLs that redirected, in order


def too_large(max_bytes: int) -> str:
    return f"page too large (over {_human_bytes(max_bytes)})"


def _human_bytes(n: int) -> str:
    if n >= 1_000_000:
        return f"{n / 1_000_000:g} MB"
    if n >= 1000:
        return f"{n / 1000:g} kB"
    return f"{n} bytes"


class AddressRefused(OSError):
    """Raised by the resolver; an OSError so aiohttp reports it as a failed
    lookup (and never tries to connect), carrying the reason through."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class GuardedResolver(AbstractResolver):
    """Resolves with `inner`, then refuses the lookup if any address is
    forbidden, so the connector only ever sees allowed addresses.

    Refusing the whole answer (rather than dropping the bad addresses) keeps
    a name that mixes public and private answers from being half-trusted.
    """

    def __init__(self, allow: AllowList, inner: AbstractResolver) -> None:
        self._allow = allow
        self._inner = inner

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        reason = addresses.host_refusal(host, self._allow)
        if reason:
            raise AddressRefused(reason)
        results = await self._inner.resolve(host, port, family)
        if not results:
            raise OSError(f"no address for {host}")
        for result in results:
            try:
                ip = ipaddress.ip_address(result["host"].partition("%")[0])
            except ValueError:
                raise AddressRefused(addresses.INVALID_LINK) from None
            reason = addresses.resolved_refusal(host, ip, self._allow)
            if reason:
                log.info("refused %s: resolves to %s (%s)", host, ip, reason)
                raise AddressRefused(reason)
        return results

    async def close(self) -> None:
        await self._inner.close()


async def fetch(url: str, limits: FetchLimits, *, resolver: AbstractResolver | None = None) -> FetchedPage:
    """Fetch `url` within `limits`; raise FetchError for anything else.

    `resolver` replaces DNS (tests map names to addresses with it); it is
    always wrapped by the address guard, never trusted on its own.
    """
    target = _checked(url, url, limits)
    started = time.monotonic()
    try:
        async with asyncio.timeout(limits.timeout_seconds):
            raw = await _download(url, target, limits, resolver)
    except TimeoutError:
        log.info("fetch %s: timed out", url)
        raise FetchError(f"timed out after {limits.timeout_seconds:g} s", url) from None
    except (aiohttp.ClientError, OSError, ValueError) as exc:
        reason = _reason_for(exc)
        log.info("fetch %s: %s (%r)", url, reason, exc)
        raise FetchError(reason, url) from exc
    text, charset = await asyncio.to_thread(decode_text, raw.body, raw.charset, raw.content_type)
    log.debug("fetched %s: %d bytes, %s, in %.2f s", raw.final_url, len(raw.body), charset,
              time.monotonic() - started)
    return FetchedPage(
        url=url,
        final_url=raw.final_url,
        status=raw.status,
        content_type=raw.content_type,
        charset=charset,
        text=text,
        raw_size=len(raw.body),
        redirects=raw.redirects,
    )


def _checked(link: str | URL, original: str, limits: FetchLimits) -> URL:
    reason = addresses.url_refusal(link, limits.allow_hosts)
    if reason:
        log.info("refused %s: %s", link, reason)
        raise FetchError(reason, original)
    parsed = addresses.parse_url(link)
    assert parsed is not None
    return parsed.with_fragment(None)


@dataclass(frozen=True)
class _Raw:
    status: int
    final_url: str
    content_type: str
    charset: str | None
    body: bytes
    redirects: tuple[str, ...]


async def _download(url: str, target: URL, limits: FetchLimits, resolver: AbstractResolver | None) -> _Raw:
    inner = resolver or aiohttp.ThreadedResolver()
    connector = aiohttp.TCPConnector(
        resolver=GuardedResolver(limits.allow_hosts, inner), use_dns_cache=False, force_close=True
    )
    headers = {
        "User-Agent": limits.user_agent,
        "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.1",
        # Only what the bounded inflater below understands.
        "Accept-Encoding": "gzip, deflate",
    }
    try:
        async with aiohttp.ClientSession(
            connector=connector,
            trust_env=False,
            auto_decompress=False,
            headers=headers,
            timeout=aiohttp.ClientTimeout(total=None),  # asyncio.timeout in fetch() is the budget
        ) as session:
            return await _follow(session, url, target, limits)
    finally:
        if resolver is None:
            await inner.close()


async def _follow(session: aiohttp.ClientSession, url: str, target: URL, limits: FetchLimits) -> _Raw:
    current = target
    redirects: list[str] = []
    while True:
        async with session.get(current, allow_redirects=False) as resp:
            location = resp.headers.get("Location") if resp.status in _REDIRECT_STATUSES else None
            if location is not None:
                if len(redirects) >= limits.max_redirects:
                    raise FetchError("too many redirects", url)
                try:
                    following = current.join(URL(location.strip()))
                except ValueError:
                    raise FetchError("the server sent an invalid redirect", url) from None
                log.debug("redirect %s -> %s", current, following)
                redirects.append(str(current))
                current = _checked(following, url, limits)
                continue
            if not 200 <= resp.status < 300:
                raise FetchError(f"HTTP {resp.status}", url)
            if "Content-Type" not in resp.headers:
                raise FetchError("not an article (no content type)", url)
            content_type = resp.content_type.lower()
            if content_type not in limits.content_types:
                raise FetchError(f"not an article (content type {content_type})", url)
            if resp.content_length is not None and resp.content_length > limits.max_bytes:
                raise FetchError(too_large(limits.max_bytes), url)
            body = await _read_body(resp, url, limits.max_bytes)
            return _Raw(resp.status, str(current), content_type, resp.charset, body, tuple(redirects))


async def _read_body(resp: aiohttp.ClientResponse, url: str, max_bytes: int) -> bytes:
    """Stream the body, decompressing with a bound; stop as soon as the page
    (or the compressed stream itself) passes `max_bytes`."""
    inflater = Inflater(resp.headers.get("Content-Encoding", ""), url)
    parts: list[bytes] = []
    size = wire = 0
    async for chunk in resp.content.iter_chunked(_CHUNK):
        wire += len(chunk)
        data = inflater.feed(chunk, max_bytes - size + 1)
        size += len(data)
        if size > max_bytes or wire > max_bytes:
            log.info("fetch %s: over %d bytes, stopped", url, max_bytes)
            raise FetchError(too_large(max_bytes), url)
        parts.append(data)
    data = inflater.flush()
    size += len(data)
    if size > max_bytes:
        raise FetchError(too_large(max_bytes), url)
    parts.append(data)
    return b"".join(parts)


class Inflater:
    """Content-Encoding decoder that never produces more than asked for.

    zlib's `max_length` leaves the rest of the input unconsumed, so memory
    stays at the cap plus one network chunk however well the data compresses.
    """

    def __init__(self, content_encoding: str, url: str | None = None) -> None:
        codings = [c.strip().lower() for c in content_encoding.split(",")]
        codings = [c for c in codings if c and c != "identity"]
        self._url = url
        self._gzip = False
        self._active = bool(codings)
        self._pending = b""
        self._z: Any = None
        if not codings:
            return
        if codings in (["gzip"], ["x-gzip"]):
            self._gzip = True
            self._z = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif codings != ["deflate"]:
            raise FetchError(f"unsupported compression ({', '.join(codings)})", url)

    def feed(self, data: bytes, room: int) -> bytes:
        """Decode `data`, returning at most `room` bytes (the caller treats
        exactly `room` as "over the limit" when room is limit + 1)."""
        if not self._active:
            return data[:room]
        if self._z is None:  # "deflate" is zlib-wrapped or raw in the wild; sniff
            self._pending += data
            if len(self._pending) < 2:
                return b""
            data, self._pending = self._pending, b""
            zlib_header = (data[0] & 0x0F) == 8 and ((data[0] << 8) | data[1]) % 31 == 0
            self._z = zlib.decompressobj(zlib.MAX_WBITS if zlib_header else -zlib.MAX_WBITS)
        out: list[bytes] = []
        try:
            while data and room > 0:
                chunk = self._z.decompress(data, room)
                out.append(chunk)
                room -= len(chunk)
                if self._z.unconsumed_tail:
                    data = self._z.unconsumed_tail
                    continue
                data = self._z.unused_data if self._z.eof else b""
                if data and self._gzip and data[:2] == b"\x1f\x8b":  # another gzip member
                    self._z = zlib.decompressobj(16 + zlib.MAX_WBITS)
                    continue
                break
        except zlib.error:
            raise FetchError("the page's compressed data is corrupt", self._url) from None
        return b"".join(out)

    def flush(self) -> bytes:
        if self._z is None:
            return b""
        try:
            tail = self._z.flush()
        except zlib.error:
            raise FetchError("the page's compressed data is corrupt", self._url) from None
        if not self._z.eof:  # cut short: the article's end is missing
            raise FetchError("the page's compressed data is corrupt", self._url)
        return tail


def _reason_for(exc: BaseException) -> str:
    """A user-facing reason for an aiohttp / OS failure."""
    seen: BaseException | None = exc
    while seen is not None:  # the resolver's refusal arrives wrapped
        if isinstance(seen, AddressRefused):
            return seen.reason
        seen = seen.__cause__ or seen.__context__
    if isinstance(exc, (aiohttp.ClientSSLError, aiohttp.ServerFingerprintMismatch)):
        return "TLS error"
    if isinstance(exc, aiohttp.ClientConnectorDNSError):
        return "could not resolve host"
    if isinstance(exc, aiohttp.ClientConnectorError):
        return "could not connect to the server"
    if isinstance(exc, aiohttp.ServerDisconnectedError):
        return "the server closed the connection"
    if isinstance(exc, aiohttp.ClientPayloadError):
        return "the connection broke off while reading the page"
    if isinstance(exc, aiohttp.InvalidURL):
        return addresses.INVALID_LINK
    if isinstance(exc, aiohttp.ClientResponseError):
        return "the server sent an invalid response"
    if isinstance(exc, aiohttp.ClientError):
        return "could not fetch the page"
    return "could not fetch the page"


# --- charset -----------------------------------------------------------------

# Labels browsers read as another encoding (WHATWG Encoding Standard), so a
# page decodes the way its author saw it.
_ALIASES = {
    "iso-8859-1": "cp1252", "iso8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252",
    "l1": "cp1252", "ascii": "cp1252", "us-ascii": "cp1252", "iso_8859-1": "cp1252",
    "cp819": "cp1252", "ibm819": "cp1252",
    "iso-8859-9": "cp1254", "latin5": "cp1254",
    "iso-8859-11": "cp874", "tis-620": "cp874",
    "shift_jis": "cp932", "shift-jis": "cp932", "sjis": "cp932", "x-sjis": "cp932",
    "ms_kanji": "cp932", "csshiftjis": "cp932", "windows-31j": "cp932",
    "gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "chinese": "gb18030",
    "csgb2312": "gb18030", "gb_2312-80": "gb18030",
    "euc-kr": "cp949", "ks_c_5601-1987": "cp949", "korean": "cp949",
    "big5": "big5hkscs",
}
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_META_CHARSET = re.compile(rb"""<meta\s[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_PRESCAN_BYTES = 4096


_NOT_PAGE_ENCODINGS = frozenset({"undefined", "unicode-escape", "raw-unicode-escape", "unicode_escape",
                                 "raw_unicode_escape", "punycode", "idna", "mbcs", "oem", "utf-7", "utf_7"})


def _codec(label: str | None, from_meta: bool = False) -> str | None:
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    if from_meta and label.startswith("utf-16"):
        return "utf-8"  # an ASCII-readable <meta> proves the page is not UTF-16
    label = _ALIASES.get(label, label)
    try:
        info = codecs.lookup(label)
    except LookupError:
        return None
    # Only real text encodings: Python also knows "rot13", "hex", "zlib" and
    # "unicode_escape", which a hostile page could name to break decoding.
    if not getattr(info, "_is_text_encoding", True) or info.name in _NOT_PAGE_ENCODINGS:
        return None
    return info.name


def meta_charset(body: bytes) -> str | None:
    """The charset a page declares in <meta>, looked for where browsers look."""
    match = _META_CHARSET.search(body[:_PRESCAN_BYTES])
    return match.group(1).decode("ascii") if match else None


def decode_text(body: bytes, header_charset: str | None, content_type: str) -> tuple[str, str]:
    """Decode a body: BOM, then the header's charset, then <meta>, then
    detection. Returns (text, codec name). Never fails: undecodable bytes
    become U+FFFD, since a mostly readable article beats none."""
    for bom, codec in _BOMS:
        if body.startswith(bom):
            return body.decode(codec, errors="replace"), codec
    declared = _codec(header_charset)
    if declared is None and content_type != "text/plain":
        declared = _codec(meta_charset(body), from_meta=True)
    first_try = declared or "utf-8"
    try:
        return body.decode(first_try), first_try
    except UnicodeDecodeError:
        pass
    detected = _detect(body)
    if detected and detected != first_try:
        try:
            return body.decode(detected), detected
        except (UnicodeDecodeError, LookupError):
            pass
    fallback = declared or detected or "utf-8"
    return body.decode(fallback, errors="replace"), fallback


def _detect(body: bytes) -> str | None:
    import charset_normalizer

    best = charset_normalizer.from_bytes(body).best()
    return _codec(best.encoding) if best is not None else None
