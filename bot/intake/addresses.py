"""Which links and addresses the bot may fetch.

Anyone on Discord can post a link, so a link is a request to make a
connection from the bot's host. These pure functions decide, before any
connection, whether that connection may go where the link points. They are
used twice: on the URL itself (every redirect hop too) and on every address
DNS returns (by the resolver in `bot.intake.fetch`), so "a public name that
resolves to 127.0.0.1" is caught as well as "http://127.0.0.1/".

Hosts are read the way a browser or `inet_aton` reads them, not the way
`ipaddress` does: `2130706433`, `0177.0.0.1`, `0x7f.1` and `127.1` are all
127.0.0.1 to getaddrinfo, so they must be 127.0.0.1 to the checker too.

The functions return a short reason (str) or None when allowed, so callers
turn a refusal into their own error and tests can be simple tables.
"""
from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network
from typing import Iterable
from urllib.parse import unquote

from yarl import URL

IPAddress = IPv4Address | IPv6Address
IPNetwork = IPv4Network | IPv6Network

INVALID_LINK = "not a valid link"
BAD_SCHEME = "only http and https links are supported"
CREDENTIALS = "links with credentials are not allowed"


def address_not_allowed(category: str) -> str:
    """The user-facing refusal for a forbidden destination."""
    return f"address not allowed ({category})"


def _nets(*pairs: tuple[str, str]) -> tuple[tuple[IPNetwork, str], ...]:
    return tuple((ipaddress.ip_network(net), category) for net, category in pairs)


# Most specific first: the first match names the refusal.
_IPV4_RULES = _nets(
    ("169.254.169.254/32", "cloud metadata"),  # AWS, GCP, Azure, OpenStack...
    ("169.254.170.2/32", "cloud metadata"),  # AWS ECS task metadata
    ("100.100.100.200/32", "cloud metadata"),  # Alibaba Cloud
    ("192.0.0.192/32", "cloud metadata"),  # Oracle Cloud
    ("0.0.0.0/8", "unspecified"),  # Linux connects 0.0.0.0 to localhost
    ("10.0.0.0/8", "private network"),
    ("100.64.0.0/10", "shared CGNAT network"),
    ("127.0.0.0/8", "loopback"),
    ("169.254.0.0/16", "link-local"),
    ("172.16.0.0/12", "private network"),
    ("192.0.0.0/24", "reserved"),
    ("192.0.2.0/24", "documentation"),
    ("192.88.99.0/24", "reserved"),
    ("192.168.0.0/16", "private network"),
    ("198.18.0.0/15", "benchmarking"),
    ("198.51.100.0/24", "documentation"),
    ("203.0.113.0/24", "documentation"),
    ("224.0.0.0/4", "multicast"),
    ("255.255.255.255/32", "broadcast"),
    ("240.0.0.0/4", "reserved"),
)

_IPV6_RULES = _nets(
    ("::/128", "unspecified"),
    ("::1/128", "loopback"),
    ("::ffff:0:0/96", "IPv4-mapped IPv6"),
    ("64:ff9b::/96", "NAT64"),
    ("64:ff9b:1::/48", "NAT64"),
    ("fd00:ec2::254/128", "cloud metadata"),  # AWS over IPv6
    ("2001::/32", "Teredo tunnel"),  # the embedded client address is hidden
    ("2001:db8::/32", "documentation"),
    ("3fff::/20", "documentation"),
    ("2001:2::/48", "benchmarking"),
    ("fc00::/7", "private network"),
    ("fe80::/10", "link-local"),
    ("fec0::/10", "private network"),  # deprecated site-local
    ("ff00::/8", "multicast"),
)
_IPV6_6TO4 = ipaddress.ip_network("2002::/16")
_IPV6_GLOBAL_UNICAST = ipaddress.ip_network("2000::/3")

# Names that reach the host itself or its private network whatever DNS says;
# refusing them by name keeps a misconfigured resolver from mattering.
_METADATA_NAMES = frozenset({
    "metadata", "metadata.google.internal", "metadata.goog",
    "instance-data", "instance-data.ec2.internal",
})
_LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"})
_LOCAL_SUFFIXES = (
    ".localhost", ".local", ".localdomain", ".internal", ".intranet",
    ".lan", ".home", ".corp", ".home.arpa",
)
_LABEL = re.compile(r"[a-z0-9_](?:[a-z0-9_-]{0,62})")


@dataclass(frozen=True)
class AllowList:
    """Hosts and networks an operator allowed despite the rules (fetch.allow_hosts).

    A name entry lets that exact host through whatever it resolves to; a
    network entry lets any address inside it through, whatever the name.
    """

    names: frozenset[str] = frozenset()
    networks: tuple[IPNetwork, ...] = ()

    @classmethod
    def from_entries(cls, entries: Iterable[str]) -> AllowList:
        names: set[str] = set()
        networks: list[IPNetwork] = []
        for entry in entries:
            text = entry.strip()
            try:
                networks.append(ipaddress.ip_network(text, strict=False))
            except ValueError:
                name = normalise_name(text)
                if name is None or _ends_in_number(name):
                    raise ValueError(f"allow_hosts: {entry!r} is neither a host name nor a CIDR network") from None
                names.add(name)
        return cls(frozenset(names), tuple(networks))

    def allows_name(self, name: str) -> bool:
        return bool(self.names) and normalise_name(name) in self.names

    def allows_ip(self, ip: IPAddress) -> bool:
        return any(ip.version == net.version and ip in net for net in self.networks)


NO_EXCEPTIONS = AllowList()


def normalise_name(host: str) -> str | None:
    """Lower-case a DNS name without its trailing dot(s); None if it is not
    one (percent signs, spaces and the like never reach a resolver)."""
    name = host.lower().rstrip(".")
    if not name or len(name) > 253:
        return None
    if not all(_LABEL.fullmatch(label) for label in name.split(".")):
        return None
    return name


def _ends_in_number(host: str) -> bool:
    """WHATWG URL's test: a host whose last label is numeric is an IPv4
    address (and an invalid link if it does not parse as one)."""
    parts = host.split(".")
    if parts[-1] == "" and len(parts) > 1:
        parts.pop()
    last = parts[-1]
    if last.isascii() and last.isdigit():
        return True
    return last[:2].lower() == "0x" and all(c in "0123456789abcdefABCDEF" for c in last[2:])


def _parse_ipv4_number(part: str) -> int | None:
    if not part:
        return None
    base = 10
    if part[:2].lower() == "0x":
        base, part = 16, part[2:]
    elif len(part) > 1 and part[0] == "0":
        base, part = 8, part[1:]
    if not part:
        return 0
    digits = "0123456789abcdef"[:base]
    if not all(c in digits for c in part.lower()):
        return None
    return int(part, base)


def parse_ipv4(host: str) -> IPv4Address | None:
    """Read an IPv4 host like a browser / inet_aton: 1 to 4 parts, each
    decimal, octal (leading 0) or hex (0x), the last filling the remaining
    bytes. None if the host is not in that form."""
    parts = host.split(".")
    if parts[-1] == "" and len(parts) > 1:
        parts.pop()
    if not 1 <= len(parts) <= 4:
        return None
    numbers = [_parse_ipv4_number(p) for p in parts]
    if any(n is None for n in numbers):
        return None
    *head, last = numbers  # type: ignore[misc]
    if any(n > 255 for n in head) or last >= 256 ** (5 - len(numbers)):
        return None
    value = last
    for i, n in enumerate(head):
        value += n << (8 * (3 - i))
    return IPv4Address(value)


def parse_host_ip(host: str) -> IPAddress | None:
    """The address a URL host denotes if it is an IP literal in any form.

    Raises ValueError for hosts that look like an address but are not a
    valid one ("1.2.3.256", "[::g]"): browsers refuse those links too.
    """
    if ":" in host:
        text = unquote(host.strip("[]"))
        address, _, _zone = text.partition("%")  # zone ids name an interface, not a host
        return IPv6Address(address)
    if _ends_in_number(host):
        ip = parse_ipv4(host)
        if ip is None:
            raise ValueError(f"invalid IPv4 address {host!r}")
        return ip
    return None


def ip_category(ip: IPAddress) -> str | None:
    """Why an address may not be fetched ("loopback", "private network"...),
    None for a public unicast address."""
    if isinstance(ip, IPv6Address):
        if ip.scope_id:
            ip = IPv6Address(str(ip).partition("%")[0])
        for net, category in _IPV6_RULES:
            if ip in net:
                return category
        if ip in _IPV6_6TO4:
            embedded = ip.sixtofour
            inner = ip_category(embedded) if embedded is not None else "reserved"
            return f"6to4 to {inner}" if inner else None
        if ip not in _IPV6_GLOBAL_UNICAST:
            return "reserved"
    else:
        for net, category in _IPV4_RULES:
            if ip in net:
                return category
    # Whatever else the standard library knows is not globally reachable.
    return None if ip.is_global else "reserved"


def name_category(name: str) -> str | None:
    """Why a host name may not be fetched even before DNS, None if it may."""
    if name in _METADATA_NAMES:
        return "cloud metadata"
    if name in _LOCAL_NAMES or name.endswith(_LOCAL_SUFFIXES):
        return "local name"
    if "." not in name:
        # A single label is completed from the resolver's search domains:
        # an intranet lookup, never a public site.
        return "local name"
    return None


def ip_refusal(ip: IPAddress, allow: AllowList = NO_EXCEPTIONS) -> str | None:
    """The refusal reason for connecting to `ip`, None if allowed."""
    if allow.allows_ip(ip):
        return None
    category = ip_category(ip)
    return address_not_allowed(category) if category else None


def host_refusal(host: str, allow: AllowList = NO_EXCEPTIONS) -> str | None:
    """The refusal reason for a URL host (as yarl's `raw_host` gives it),
    judged without DNS: literal addresses in every form, then names."""
    try:
        ip = parse_host_ip(host)
    except ValueError:
        return INVALID_LINK
    if ip is not None:
        if isinstance(ip, IPv4Address) and str(ip) != host.rstrip("."):
            # 2130706433, 0x7f.1, 127.000.0.1...: only ever used to slip past
            # filters (aiohttp refuses them too), so allow_hosts does not apply.
            return address_not_allowed(ip_category(ip) or "unusual IP address form")
        return ip_refusal(ip, allow)
    name = normalise_name(host)
    if name is None:
        return INVALID_LINK
    if allow.allows_name(name):
        return None
    category = name_category(name)
    return address_not_allowed(category) if category else None


def resolved_refusal(host: str, ip: IPAddress, allow: AllowList = NO_EXCEPTIONS) -> str | None:
    """The refusal reason for connecting to `ip` that DNS gave for `host`."""
    if allow.allows_name(host):
        return None
    return ip_refusal(ip, allow)


def parse_url(url: str | URL) -> URL | None:
    """The URL exactly as aiohttp will read it (same parser, so no
    disagreement between checker and connector), None if unparsable."""
    if isinstance(url, URL):
        return url
    try:
        return URL(url.strip())
    except (ValueError, TypeError):
        return None


def url_refusal(url: str | URL, allow: AllowList = NO_EXCEPTIONS) -> str | None:
    """Everything about a link that can be refused before DNS: scheme,
    credentials, malformed hosts, literal addresses and local names."""
    parsed = parse_url(url)
    if parsed is None:
        return INVALID_LINK
    if parsed.scheme not in ("http", "https"):
        return BAD_SCHEME
    if parsed.raw_user is not None or parsed.raw_password is not None:
        return CREDENTIALS
    if not parsed.raw_host:
        return INVALID_LINK
    try:
        parsed.port  # noqa: B018 - raises on an out-of-range port
    except ValueError:
        return INVALID_LINK
    return host_refusal(parsed.raw_host, allow)
