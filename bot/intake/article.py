"""Turn a fetched page into the article the checker reads.

trafilatura (2.3.x) finds the main text and leaves out navigation, ads,
comments and related-story teasers, which would otherwise feed the checker
figures the article never claimed. It also finds the title, site name,
canonical URL and publication date. The date matters: it is what "last year"
in a claim is resolved against.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

from bot.intake.fetch import FetchedPage, FetchError

log = logging.getLogger(__name__)

NOTHING_READABLE = "nothing readable on the page (paywall or JavaScript-only?)"
# Shorter than this is a "please enable JavaScript" or "subscribe to read"
# stub rather than an article.
MIN_TEXT_CHARS = 80

# htmldate: prefer the original publication date over "updated" dates, and
# do not guess from free text such as a "© 2019" footer (a wrong date would
# silently shift every "last year" in the claims).
_DATE_PARAMS = {"original_date": True, "extensive_search": False}


@dataclass(frozen=True)
class Article:
    """What the checker needs from a link.

    - `url`: where the text was read from (after redirects).
    - `title`: the headline, or None (plain-text pages have none).
    - `text`: the main text only, paragraphs separated by newlines.
    - `published`: the original publication date (not "updated") as htmldate
      finds it in the page's metadata, markup or URL; None when there is none.
      Guesses from copyright years and free text are switched off.
    - `site_name`: the publication's name, else the host name.
    - `canonical_url`: the page's declared canonical link (absolute), else
      `url`: the address to cite.
    """

    url: str
    title: str | None
    text: str
    published: dt.date | None
    site_name: str | None
    canonical_url: str

    @property
    def content_hash(self) -> str:
        """Identifies what the checker reads (title, date and text), the key
        for `bot.intake.cache.store_result`: the same article reached through
        different links shares one cached check result."""
        payload = json.dumps([self.title, self.published and self.published.isoformat(), self.text])
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()

    def to_json(self) -> str:
        data = asdict(self)
        data["published"] = self.published.isoformat() if self.published else None
        return json.dumps(data, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Article:
        data: dict[str, Any] = json.loads(text)
        published = data.get("published")
        data["published"] = dt.date.fromisoformat(published) if published else None
        return cls(**data)


def extract_article(page: FetchedPage) -> Article:
    """Extract the article from `page`; FetchError if there is no readable text.

    CPU-bound (tens of ms on a large page): async callers should run it in a
    thread, as `read_article` does.
    """
    host = urlsplit(page.final_url).hostname
    if page.content_type == "text/plain":
        text = page.text.strip()
        _require_text(text, page)
        return Article(page.final_url, None, text, None, host, page.final_url)

    import trafilatura  # slow to import; only needed here

    try:
        doc = trafilatura.bare_extraction(
            page.text,
            url=page.final_url,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            include_images=False,
            include_links=False,
            favor_precision=True,
            date_extraction_params=dict(_DATE_PARAMS),
        )
    except Exception:  # trafilatura raises assorted errors on broken markup
        log.warning("extraction failed for %s", page.final_url, exc_info=True)
        doc = None
    text = (getattr(doc, "text", None) or "").strip()
    _require_text(text, page)
    return Article(
        url=page.final_url,
        title=(doc.title or "").strip() or None,
        text=text,
        published=_parse_date(doc.date),
        site_name=(doc.sitename or "").strip() or host,
        canonical_url=_absolute_http(doc.url, page.final_url) or page.final_url,
    )


def _require_text(text: str, page: FetchedPage) -> None:
    if len(text) < MIN_TEXT_CHARS:
        log.info("nothing readable at %s (%d characters)", page.final_url, len(text))
        raise FetchError(NOTHING_READABLE, page.url)


def _parse_date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _absolute_http(link: str | None, base: str) -> str | None:
    """The page's own canonical link, made absolute; only http(s), since the
    bot will show it as a link to other users."""
    if not link:
        return None
    absolute = urljoin(base, link.strip())
    return absolute if urlsplit(absolute).scheme in ("http", "https") else None
