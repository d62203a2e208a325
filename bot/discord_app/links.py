"""Finding the links in a Discord message, as people write them: bare,
in <angle brackets> (no preview), inside ||spoilers|| or [masked](links)."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

_LINK = re.compile(r"https?://[^\s<>|\"'`]+", re.IGNORECASE)
_TRAILING = ".,;:!?*_~"
# Where links are pictures, not articles.
MEDIA_HOSTS = ("cdn.discordapp.com", "media.discordapp.net", "tenor.com", "media.tenor.com", "giphy.com",
               "media.giphy.com", "i.imgur.com")


def _trim(link: str) -> str:
    """Drops punctuation that ends the sentence rather than the link; a ")" is
    kept only when it closes a "(" in the link (Wikipedia-style paths)."""
    while link:
        if link[-1] in _TRAILING:
            link = link[:-1]
        elif link[-1] == ")" and link.count(")") > link.count("("):
            link = link[:-1]
        else:
            break
    return link


def find_links(text: str, limit: int | None = None) -> list[str]:
    """The distinct http(s) links in `text`, in order, at most `limit`."""
    found: list[str] = []
    for match in _LINK.finditer(text):
        link = _trim(match.group(0))
        if len(link) > len("https://") and link not in found:
            found.append(link)
            if limit is not None and len(found) >= limit:
                break
    return found


def without_links(text: str) -> str:
    """`text` with its links removed, for checking what a message says besides them."""
    return re.sub(r"[ \t]+", " ", _LINK.sub(" ", text)).strip()


def is_media_link(link: str) -> bool:
    """A link to an image or GIF host (or a subdomain of one)."""
    try:
        host = (urlsplit(link).hostname or "").lower()
    except ValueError:
        return False
    return any(host == h or host.endswith("." + h) for h in MEDIA_HOSTS)
