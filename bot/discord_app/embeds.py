"""Verdict replies as Discord embeds, always within Discord's limits.

Pure functions from checked articles (`checking.Checked`) to the parts of
one message, so the limits can be tested without Discord. One embed per
article: the title links to the article, the first line counts the
verdicts, then one line per claim, most important first (contradicted,
disputed, supported, unverified); a contradicted claim shows the correct
value and its source, a verdict a moderator reviewed says who. What does
not fit ends in "…and N more" and the full report is attached as a text file.

Lengths are counted in UTF-16 code units, as Discord's (JavaScript) limits
are, so an emoji-heavy article cannot slip over by counting characters.
"""
from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

import discord

from bot.discord_app.actors import display_name
from bot.discord_app.safety import NO_PINGS, neutralise, plain
from claims.report import format_value

if TYPE_CHECKING:
    from bot.discord_app.checking import Checked

# Discord's limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits).
TITLE_MAX = 256
DESCRIPTION_MAX = 4096
FIELDS_MAX = 25
FIELD_NAME_MAX = 256
FIELD_VALUE_MAX = 1024
FOOTER_MAX = 2048
AUTHOR_MAX = 256
EMBED_TOTAL_MAX = 6000      # all embeds of one message together
CONTENT_MAX = 2000
EMBEDS_PER_MESSAGE = 10
FILES_PER_MESSAGE = 10

VERDICT_ORDER = ("contradicted", "disputed", "supported", "unverified")
MARKS = {"contradicted": "❌", "disputed": "⚠️", "supported": "✅", "unverified": "❔"}
COLOURS = {"contradicted": 0xD83C3E, "disputed": 0xE8A317, "supported": 0x2E9E44, "unverified": 0x80848E}
STYLES = ("full", "compact")

# Per-line caps keep one odd claim from eating the whole embed, and lines
# short enough to read on a phone.
QUOTE_MAX = 90
SUBJECT_MAX = 60
SOURCE_MAX = 80
URL_MAX = 512


def u16(text: str) -> int:
    """Length as Discord counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def clip(text: str, limit: int, ellipsis: str = "…") -> str:
    """`text` cut to at most `limit` UTF-16 units, ending in `ellipsis` when cut."""
    if u16(text) <= limit:
        return text
    room = limit - u16(ellipsis)
    out: list[str] = []
    used = 0
    for ch in text:
        size = 2 if ord(ch) > 0xFFFF else 1
        if used + size > room:
            break
        out.append(ch)
        used += size
    return "".join(out).rstrip() + ellipsis


def _safe_url(url: str | None) -> str | None:
    """An http(s) URL usable in a Markdown link, else None (a bad URL would
    make Discord refuse the whole message)."""
    if not url or u16(url) > URL_MAX:
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    # Parentheses, spaces and angle brackets would end the Markdown link early.
    return quote(url, safe=":/?#[]@!$&'*+,;=%~-._")


def source_link(text: str, url: str | None) -> str:
    """`text` as a Markdown link to `url` when that is a usable http(s) link, else plain."""
    label = plain(clip(text, SOURCE_MAX))
    safe = _safe_url(url)
    return f"[{label}]({safe})" if safe else label


def claim_where(claim: dict[str, Any]) -> str:
    """What a claim is about: "subject · metric · period"."""
    parts = [claim.get("subject"), claim.get("metric") if claim.get("metric") not in (None, "rank") else None,
             claim.get("period")]
    return " · ".join(plain(clip(str(p), SUBJECT_MAX)) for p in parts if p)


def value_text(evidence: dict[str, Any]) -> str:
    """A fact's (or claim's) value as people write it: "34%", "495,570 vehicles"."""
    return plain(format_value(evidence["value"], evidence["unit"], evidence.get("qualifier") or "exact"))


def claim_lines(claim: dict[str, Any]) -> str:
    """One claim as one or two lines: mark, quote, subject; for a contradicted
    claim the correct value with its source link, for a disputed one what
    the sources say."""
    verdict = claim["verdict"]
    quote_text = plain(clip(str(claim.get("quote") or claim.get("sentence") or ""), QUOTE_MAX))
    line = f"{MARKS.get(verdict, '•')} “{quote_text}”"
    where = claim_where(claim)
    if where:
        line += f" — {where}"
    evidence = claim.get("evidence") or []
    if verdict == "contradicted" and evidence:
        best = evidence[0]
        # The fact's period only when it says something the claim line does not.
        shown = best.get("period") and best["period"] != claim.get("period")
        period = f" ({plain(clip(str(best['period']), SUBJECT_MAX))})" if shown else ""
        source = source_link(best.get('source') or 'source', best.get('url'))
        line += f"\n  ↳ correct: **{value_text(best)}**{period} · {source}"
    elif verdict == "disputed" and evidence:
        said = " vs ".join(f"{value_text(e)} ({source_link(e.get('source') or 'source', e.get('url'))})"
                           for e in evidence[:3])
        line += f"\n  ↳ sources disagree: {said}"
    if claim.get("reviewed"):
        line += f"\n  ↳ {reviewed_text(claim)}"
    return line


def reviewed_text(claim: dict[str, Any]) -> str:
    """"reviewed by mod (automatic verdict: contradicted): note" for a claim
    whose verdict a moderator gave (sources.review.apply_reviews), so a reader
    can tell a person's verdict from the engine's."""
    text = f"reviewed by {plain(clip(display_name(claim.get('reviewed_by')) or 'a moderator', SUBJECT_MAX))}"
    auto = claim.get("auto_verdict")
    if auto and auto != claim.get("verdict"):
        text += f" (automatic verdict: {plain(str(auto))})"
    note = claim.get("review_note")
    if note:
        text += f": {plain(clip(str(note), QUOTE_MAX))}"
    return text


def summary_line(summary: dict[str, int], more_claims: int = 0) -> str:
    total = sum(summary.values())
    if not total:
        return "No figures or rankings to check."
    counts = " · ".join(f"{MARKS[v]} {summary[v]} {v}" for v in VERDICT_ORDER if summary.get(v))
    line = f"**{total} claim{'s' if total != 1 else ''}** — {counts}"
    if more_claims:
        line += f"\n_{more_claims} more claim{'s' if more_claims != 1 else ''} over the limit were not checked._"
    return line


def _colour(summary: dict[str, int]) -> int:
    for verdict in VERDICT_ORDER:
        if summary.get(verdict):
            return COLOURS[verdict]
    return COLOURS["unverified"]


def _ordered(claims: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    rank = {v: i for i, v in enumerate(VERDICT_ORDER)}
    return sorted(claims, key=lambda c: rank.get(c["verdict"], len(rank)))


def _more_line(n: int) -> str:
    return f"\n**…and {n} more** — full report attached."


@dataclass
class ArticleEmbed:
    embed: discord.Embed
    truncated: bool   # some claim lines did not fit: attach the full report


def article_embed(checked: Checked, *, budget: int = EMBED_TOTAL_MAX, style: str = "full") -> ArticleEmbed:
    """The embed for one article, at most `budget` UTF-16 units in all.

    "compact" lists only contradicted and disputed claims (the counts line
    still gives every verdict).
    """
    if style not in STYLES:
        raise ValueError(f"unknown reply style {style!r}")
    report = checked.report
    summary = {v: int(report.get("summary", {}).get(v, 0)) for v in VERDICT_ORDER}
    title = clip(neutralise(report.get("title") or checked.site or checked.name), TITLE_MAX)
    footer_parts = [p for p in (checked.site, f"published {report['published']}" if report.get("published") else None,
                                "factbot") if p]
    footer = clip(neutralise(" · ".join(footer_parts)), FOOTER_MAX)

    room = min(DESCRIPTION_MAX, budget - u16(title) - u16(footer))
    claims = _ordered(report.get("claims", []))
    if style == "compact":
        claims = [c for c in claims if c["verdict"] in ("contradicted", "disputed")]
    description = clip(summary_line(summary, int(report.get("more_claims", 0))), max(room, 1))
    # Lines are built only until one does not fit: an article with thousands
    # of claims costs no more here than one with forty.
    shown = 0
    body = description + ("\n" if claims else "")
    used = u16(body)
    for i, item in enumerate(claims):
        line = claim_lines(item)
        remaining_after = len(claims) - i - 1
        tail = u16(_more_line(remaining_after)) if remaining_after else 0
        if used + 1 + u16(line) + tail > room:
            break
        body += "\n" + line
        used += 1 + u16(line)
        shown += 1
    truncated = shown < len(claims)
    if truncated:
        tail_text = _more_line(len(claims) - shown)
        body = body + tail_text if used + u16(tail_text) <= room else clip(body, room)
    embed = discord.Embed(title=title, description=body.rstrip("\n") or None, colour=_colour(summary),
                          url=_safe_url(checked.url))
    embed.set_footer(text=footer)
    return ArticleEmbed(embed, truncated)


@dataclass
class Reply:
    """The parts of one message; `files` are built fresh for each send.

    `articles` are the checked articles the embeds show and `style` how:
    the review flow stores them with the sent message, so readers can
    dispute a claim of it and the bot can rebuild it after a decision.
    """

    content: str | None = None
    embeds: list[discord.Embed] = field(default_factory=list)
    attachments: list[tuple[str, bytes]] = field(default_factory=list)
    articles: list[Checked] = field(default_factory=list)
    style: str = "full"

    @property
    def disputable(self) -> bool:
        """Whether the message shows any verdict a reader could dispute."""
        return any(c.report.get("claims") for c in self.articles)

    def files(self) -> list[discord.File]:
        return [discord.File(io.BytesIO(data), filename=name) for name, data in self.attachments]

    def kwargs(self, *, dispute: bool = True) -> dict[str, Any]:
        """Keyword arguments for `send`/`reply`/`followup.send`, never pinging
        anyone; with verdicts on it (and `dispute`), the persistent Dispute button."""
        out: dict[str, Any] = {"allowed_mentions": NO_PINGS}
        if self.content:
            out["content"] = self.content
        if self.embeds:
            out["embeds"] = self.embeds
        files = self.files()
        if files:
            out["files"] = files
        if dispute and self.disputable:
            from bot.discord_app.review_views import dispute_view  # imports this module: not at the top
            out["view"] = dispute_view()
        return out


def _filename(checked: Checked, index: int) -> str:
    stem = checked.report.get("title") or urlsplit(checked.url or "").path.rsplit("/", 1)[-1] or "article"
    slug = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")[:50] or "article"
    return f"factcheck-{index + 1}-{slug}.txt"


def build_reply(checked: Sequence[Checked], notes: Sequence[str] = (), *, style: str = "full") -> Reply:
    """One message for up to 10 articles plus short notes (failures,
    pointers to earlier answers), sharing the 6,000-unit embed budget."""
    articles = list(checked)[:EMBEDS_PER_MESSAGE]
    content = clip(neutralise("\n".join(notes)), CONTENT_MAX) if notes else None
    reply = Reply(content=content, articles=articles, style=style)
    if not articles:
        return reply
    budget = EMBED_TOTAL_MAX // len(articles)
    for i, item in enumerate(articles):
        built = article_embed(item, budget=budget, style=style)
        reply.embeds.append(built.embed)
        if built.truncated and len(reply.attachments) < FILES_PER_MESSAGE:
            reply.attachments.append((_filename(item, i), item.full_text.encode("utf-8")))
    return reply


def embed_size(embed: discord.Embed) -> int:
    """Total UTF-16 units Discord counts toward the 6,000 limit."""
    total = u16(embed.title or "") + u16(embed.description or "")
    total += u16(embed.footer.text or "") if embed.footer else 0
    total += u16(embed.author.name or "") if embed.author else 0
    total += sum(u16(f.name or "") + u16(f.value or "") for f in embed.fields)
    return total
