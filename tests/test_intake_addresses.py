"""Links that must never be fetched, and a few that may.

Each refused form is checked twice: by the pure classifier, and through the
real fetcher against a real server on 127.0.0.1 that counts connections,
with the socket layer watched so that any attempt to open a socket, or to
connect anywhere but 127.0.0.1, is seen (and blocked: no packet leaves).
"""
from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import socket
from typing import AsyncIterator

import pytest
from aiohttp import web
from aiohttp.abc import AbstractResolver
from hypothesis import given
from hypothesis import strategies as st

from bot.config import ConfigError, validate
from bot.intake import FetchError, FetchLimits, read_article
from bot.intake.fetch import fetch
from bot.intake.addresses import AllowList, parse_ipv4, url_refusal

LOOPBACK = "address not allowed (loopback)"
PRIVATE = "address not allowed (private network)"
LOCAL_NAME = "address not allowed (local name)"
METADATA = "address not allowed (cloud metadata)"
SCHEME = "only http and https links are supported"
CREDENTIALS = "links with credentials are not allowed"
INVALID = "not a valid link"

# {port} is the counting server's port: had a form slipped through, the
# connection would land there (or be caught by the socket watch).
REFUSED = [
    # IPv4 loopback in every form getaddrinfo / browsers accept
    ("http://127.0.0.1:{port}/", LOOPBACK),
    ("http://127.0.0.1.:{port}/", LOOPBACK),
    ("http://127.255.255.254:{port}/", LOOPBACK),
    ("http://2130706433:{port}/", LOOPBACK),
    ("http://0177.0.0.1:{port}/", LOOPBACK),
    ("http://0x7f.0.0.1:{port}/", LOOPBACK),
    ("http://0x7F000001:{port}/", LOOPBACK),
    ("http://017700000001:{port}/", LOOPBACK),
    ("http://127.1:{port}/", LOOPBACK),
    ("http://127.0.1:{port}/", LOOPBACK),
    ("http://0x7f.1:{port}/", LOOPBACK),
    ("http://127.000.000.001:{port}/", LOOPBACK),
    ("http://\uff11\uff12\uff17.\uff10.\uff10.\uff11:{port}/", LOOPBACK),  # full-width digits
    # IPv6 loopback and IPv4 embedded in IPv6
    ("http://[::1]:{port}/", LOOPBACK),
    ("http://[0:0:0:0:0:0:0:1]:{port}/", LOOPBACK),
    ("http://[::ffff:127.0.0.1]:{port}/", "address not allowed (IPv4-mapped IPv6)"),
    ("http://[::ffff:7f00:1]:{port}/", "address not allowed (IPv4-mapped IPv6)"),
    ("http://[64:ff9b::127.0.0.1]:{port}/", "address not allowed (NAT64)"),
    ("http://[64:ff9b:1::a00:1]/", "address not allowed (NAT64)"),
    ("http://[::127.0.0.1]:{port}/", "address not allowed (reserved)"),  # IPv4-compatible
    ("http://[2002:7f00:1::1]:{port}/", "address not allowed (6to4 to loopback)"),
    ("http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/", "address not allowed (Teredo tunnel)"),
    # unspecified: Linux connects these to the local host
    ("http://0.0.0.0:{port}/", "address not allowed (unspecified)"),
    ("http://0:{port}/", "address not allowed (unspecified)"),
    ("http://[::]:{port}/", "address not allowed (unspecified)"),
    # cloud metadata
    ("http://169.254.169.254/latest/meta-data/", METADATA),
    ("http://[fd00:ec2::254]/latest/meta-data/", METADATA),
    ("http://metadata.google.internal/computeMetadata/v1/", METADATA),
    ("http://metadata/computeMetadata/v1/", METADATA),
    ("http://100.100.100.200/latest/meta-data/", METADATA),
    # private, shared, link-local
    ("http://10.0.0.1/", PRIVATE),
    ("http://10.255.255.255/", PRIVATE),
    ("http://172.16.0.1/", PRIVATE),
    ("http://172.31.255.254/", PRIVATE),
    ("http://192.168.0.1/", PRIVATE),
    ("http://[fc00::1]/", PRIVATE),
    ("http://[fd12:3456:789a::1]/", PRIVATE),
    ("http://100.64.0.1/", "address not allowed (shared CGNAT network)"),
    ("http://169.254.1.1/", "address not allowed (link-local)"),
    ("http://[fe80::1]/", "address not allowed (link-local)"),
    ("http://[fe80::1%25eth0]/", "address not allowed (link-local)"),
    # multicast, broadcast, reserved, benchmarking, documentation
    ("http://224.0.0.1/", "address not allowed (multicast)"),
    ("http://239.255.255.250:1900/", "address not allowed (multicast)"),
    ("http://[ff02::1]/", "address not allowed (multicast)"),
    ("http://255.255.255.255/", "address not allowed (broadcast)"),
    ("http://240.0.0.1/", "address not allowed (reserved)"),
    ("http://198.18.0.1/", "address not allowed (benchmarking)"),
    ("http://192.0.2.10/", "address not allowed (documentation)"),
    ("http://203.0.113.7/", "address not allowed (documentation)"),
    ("http://[2001:db8::1]/", "address not allowed (documentation)"),
    # local names, refused before DNS
    ("http://localhost:{port}/", LOCAL_NAME),
    ("http://localhost.:{port}/", LOCAL_NAME),
    ("http://LocalHost:{port}/", LOCAL_NAME),
    ("http://app.localhost:{port}/", LOCAL_NAME),
    ("http://printer.local/", LOCAL_NAME),
    ("http://db.internal/", LOCAL_NAME),
    ("http://intranet/", LOCAL_NAME),
    # public-looking names whose DNS answer is not public (fake DNS below)
    ("http://evil.example:{port}/", LOOPBACK),
    ("http://rebind.example:{port}/", PRIVATE),
    ("http://mapped.example:{port}/", "address not allowed (IPv4-mapped IPv6)"),
    # schemes and credentials
    ("ftp://example.org/file.txt", SCHEME),
    ("file:///etc/passwd", SCHEME),
    ("javascript:alert(1)", SCHEME),
    ("data:text/html,<p>hello</p>", SCHEME),
    ("gopher://127.0.0.1:{port}/", SCHEME),
    ("ws://127.0.0.1:{port}/", SCHEME),
    ("http://user:secret@example.org/", CREDENTIALS),
    ("https://:secret@example.org/", CREDENTIALS),
    ("http://example.org@127.0.0.1:{port}/", CREDENTIALS),
    # malformed hosts
    ("http://1.2.3.256/", INVALID),
    ("http://%31%32%37.0.0.1:{port}/", INVALID),
    ("http:///no-host", INVALID),
    ("http://exa mple.org/", INVALID),
    ("http://0x7g.0.0.1/", INVALID),
]

ALLOWED = [
    "http://example.org/",
    "https://news.example.org:8443/story?id=1#top",
    "https://EXAMPLE.org./path",
    "http://93.184.216.34/",
    "http://1.1.1.1./",
    "http://[2606:4700:4700::1111]/",
    "http://[2002:808:808::1]/",  # 6to4 around a public address
    "https://xn--bcher-kva.example/",
    "https://b\u00fccher.example/",
]

# What the fake DNS answers: the names a hostile page would use.
FAKE_DNS = {
    "evil.example": ["127.0.0.1"],
    "rebind.example": ["93.184.216.34", "10.0.0.7"],
    "mapped.example": ["::ffff:127.0.0.1"],
    "public.example": ["127.0.0.1"],
    "localhost": ["127.0.0.1"],
}


class FakeDNS(AbstractResolver):
    """Answers from a table and records every lookup; never sends a packet."""

    def __init__(self, table: dict[str, list[str]]) -> None:
        self.table = table
        self.lookups: list[str] = []

    async def resolve(self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET):
        self.lookups.append(host)
        answers = self.table.get(host.rstrip(".").lower())
        if answers is None:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [
            {"hostname": host, "host": a, "port": port, "proto": 0, "flags": socket.AI_NUMERICHOST,
             "family": socket.AF_INET6 if ":" in a else socket.AF_INET}
            for a in answers
        ]

    async def close(self) -> None:
        pass


class SocketWatch:
    """Records sockets the process opens and connections it attempts;
    connections anywhere but 127.0.0.1 are blocked before any packet."""

    def __init__(self) -> None:
        self.opened: list[tuple[int, int]] = []
        self.connects: list[object] = []

    def reset(self) -> None:
        self.opened.clear()
        self.connects.clear()


@pytest.fixture
def sockets(monkeypatch: pytest.MonkeyPatch) -> SocketWatch:
    watch = SocketWatch()
    real_init, real_connect, real_connect_ex = socket.socket.__init__, socket.socket.connect, socket.socket.connect_ex

    def init(self, family=-1, type=-1, proto=-1, fileno=None):  # noqa: A002 - socket's own names
        if fileno is None:  # accepted and wrapped sockets pass a fileno
            watch.opened.append((family, type))
        real_init(self, family, type, proto, fileno)

    def guard(address: object) -> None:
        watch.connects.append(address)
        if not (isinstance(address, tuple) and address[0] == "127.0.0.1"):
            raise ConnectionRefusedError(f"test: blocked a connection to {address!r}")

    def connect(self, address):
        guard(address)
        return real_connect(self, address)

    def connect_ex(self, address):
        guard(address)
        return real_connect_ex(self, address)

    monkeypatch.setattr(socket.socket, "__init__", init)
    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    return watch


class CountingServer:
    def __init__(self) -> None:
        self.connections = 0
        self.requests = 0
        self.port = 0


@contextlib.asynccontextmanager
async def counting_server() -> AsyncIterator[CountingServer]:
    """An aiohttp server on 127.0.0.1 that counts TCP connections (not just
    requests, so even a connection that never sent a request is seen)."""
    state = CountingServer()

    async def handler(request: web.BaseRequest) -> web.StreamResponse:
        state.requests += 1
        body = "<html><body><article><p>" + "A public page with 12 figures. " * 10 + "</p></article></body></html>"
        return web.Response(text=body, content_type="text/html")

    server = web.Server(handler)

    def protocol_factory():
        state.connections += 1
        return server()

    loop = asyncio.get_running_loop()
    listener = await loop.create_server(protocol_factory, "127.0.0.1", 0)
    state.port = listener.sockets[0].getsockname()[1]
    try:
        yield state
    finally:
        listener.close()
        await listener.wait_closed()
        await server.shutdown()


# --- the pure classifier -------------------------------------------------------


def test_table_is_large_enough() -> None:
    assert len(REFUSED) >= 40


@pytest.mark.parametrize(("form", "reason"), [(f, r) for f, r in REFUSED if ".example" not in f])
def test_refused_by_classifier(form: str, reason: str) -> None:
    """(Forms that need DNS are checked through the fetcher below.)"""
    assert url_refusal(form.format(port=8080)) == reason


@pytest.mark.parametrize("form", ALLOWED)
def test_allowed_by_classifier(form: str) -> None:
    assert url_refusal(form) is None


def test_allow_list_lets_named_hosts_and_networks_through() -> None:
    allow = AllowList.from_entries(["127.0.0.1", "10.20.0.0/16", "localhost", "fd00::/8"])
    assert url_refusal("http://127.0.0.1:8000/", allow) is None
    assert url_refusal("http://10.20.3.4/", allow) is None
    assert url_refusal("http://localhost./", allow) is None
    assert url_refusal("http://[fd00::5]/", allow) is None
    assert url_refusal("http://10.21.0.1/", allow) == PRIVATE
    # Obfuscated forms are refused even when the address itself is allowed.
    assert url_refusal("http://2130706433/", allow) == LOOPBACK
    assert url_refusal("http://127.1/", allow) == LOOPBACK
    # Schemes and credentials are never allowed.
    assert url_refusal("ftp://127.0.0.1/", allow) == SCHEME
    assert url_refusal("http://a:b@127.0.0.1/", allow) == CREDENTIALS


def _ipv4_forms(value: int) -> st.SearchStrategy[str]:
    """The ways one IPv4 address can be written: 1 to 4 parts, each in
    decimal, octal or hex, the last part taking the remaining bytes."""
    def render(n: int, style: str) -> str:
        return {"dec": str(n), "oct": "0" + format(n, "o"), "hex": "0x" + format(n, "x")}[style]

    def forms(parts_count: int, styles: list[str]) -> str:
        octets = value.to_bytes(4, "big")
        head = list(octets[: parts_count - 1])
        tail = int.from_bytes(octets[parts_count - 1:], "big")
        return ".".join(render(n, s) for n, s in zip([*head, tail], styles))

    return st.integers(1, 4).flatmap(
        lambda k: st.lists(st.sampled_from(["dec", "oct", "hex"]), min_size=k, max_size=k).map(
            lambda styles: forms(k, styles)))


@given(st.integers(0, 2**32 - 1).flatmap(lambda v: st.tuples(st.just(v), _ipv4_forms(v))))
def test_ipv4_forms_read_like_inet_aton(case: tuple[int, str]) -> None:
    value, form = case
    assert parse_ipv4(form) == ipaddress.IPv4Address(value)
    assert socket.inet_aton(form) == value.to_bytes(4, "big")  # the C library agrees


@given(st.sampled_from(["127.0.0.0/8", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16",
                        "169.254.0.0/16", "100.64.0.0/10", "0.0.0.0/8", "224.0.0.0/4"])
       .flatmap(lambda net: st.integers(int(ipaddress.ip_network(net).network_address),
                                        int(ipaddress.ip_network(net).broadcast_address)))
       .flatmap(_ipv4_forms))
def test_every_form_of_a_forbidden_ipv4_is_refused(form: str) -> None:
    assert url_refusal(f"http://{form}/") is not None


def test_config_names_a_bad_allow_hosts_entry() -> None:
    with pytest.raises(ConfigError, match="'not a host!'"):
        validate({"fetch": {"allow_hosts": ["127.0.0.1", "not a host!"]}})
    with pytest.raises(ConfigError, match="'127.1'"):
        validate({"fetch": {"allow_hosts": ["127.1"]}})
    config = validate({"fetch": {"allow_hosts": ["127.0.0.1", "10.0.0.0/8", "intranet.example"]}})
    limits = FetchLimits.from_config(config)
    assert limits.allow_hosts.names == {"intranet.example"}
    assert len(limits.allow_hosts.networks) == 2


# --- through the real fetcher: nothing connects -----------------------------------


@pytest.mark.parametrize(("form", "reason"), REFUSED)
def test_refused_before_any_connection(form: str, reason: str, sockets: SocketWatch) -> None:
    async def run() -> tuple[FetchError, CountingServer, FakeDNS]:
        dns = FakeDNS(FAKE_DNS)
        async with counting_server() as server:
            sockets.reset()
            with pytest.raises(FetchError) as caught:
                await fetch(form.format(port=server.port), FetchLimits(timeout_seconds=2), resolver=dns)
            return caught.value, server, dns

    error, server, dns = asyncio.run(run())
    assert error.reason == reason
    assert server.connections == 0
    assert sockets.opened == []
    assert sockets.connects == []
    if ".example" not in form:
        assert dns.lookups == []  # refused before DNS too


def test_read_article_refuses_before_the_cache_or_network(sockets: SocketWatch, tmp_path) -> None:
    config = validate({"database": {"path": str(tmp_path / "bot.db")}})
    sockets.reset()
    with pytest.raises(FetchError, match="loopback"):
        asyncio.run(read_article("http://0x7f.1/", config))
    assert sockets.opened == [] and sockets.connects == []
    assert not (tmp_path / "bot.db").exists()


def test_allowed_forms_do_connect(sockets: SocketWatch) -> None:
    """The control for the test above: when allowed, the same server sees
    the connection, so a zero count there means something."""
    async def run() -> CountingServer:
        dns = FakeDNS(FAKE_DNS)
        async with counting_server() as server:
            by_address = FetchLimits(allow_hosts=AllowList.from_entries(["127.0.0.1"]))
            by_name = FetchLimits(allow_hosts=AllowList.from_entries(["localhost"]))
            by_network = FetchLimits(allow_hosts=AllowList.from_entries(["127.0.0.0/8"]))
            pages = [
                await fetch(f"http://127.0.0.1:{server.port}/", by_address, resolver=dns),
                await fetch(f"http://localhost:{server.port}/", by_name, resolver=dns),
                await fetch(f"http://public.example:{server.port}/", by_network, resolver=dns),
            ]
            assert all(page.status == 200 for page in pages)
            return server

    server = asyncio.run(run())
    assert server.connections == 3
    assert sockets.connects and all(address[0] == "127.0.0.1" for address in sockets.connects)


def test_unknown_name_is_reported_as_such(sockets: SocketWatch) -> None:
    with pytest.raises(FetchError) as caught:
        asyncio.run(fetch("http://no-such-name.example/", FetchLimits(), resolver=FakeDNS({})))
    assert caught.value.reason == "could not resolve host"
    assert sockets.connects == []
