"""Review cards and the /review embeds, as pure functions of queue items.

A card is what a moderator decides from, so it carries everything needed
without leaving Discord: the claim and its sentence, the evidence (value,
source link), why it was queued, reader disputes, sources already added,
a link to the article and a jump link to the bot's reply; once decided,
who decided what. Items are the dicts of `sources.review.list_items` /
`get_item`, audit rows those of `sources.review.history`.

Every embed stays within Discord's limits (counted in UTF-16 units, as in
`embeds`): each part has its own budget, and the budgets add up to less
than the 6,000 a message allows.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timezone
from typing import Any

import discord

from bot.discord_app.actors import display_name, without_ids
from bot.discord_app.embeds import (
    COLOURS, DESCRIPTION_MAX, MARKS, TITLE_MAX, VERDICT_ORDER, claim_lines, claim_where, clip, source_link, u16,
    value_text,
)
from bot.discord_app.safety import neutralise, plain

REASON_TITLES = {
    "contradicted": f"{MARKS['contradicted']} contradicted",
    "disputed": f"{MARKS['disputed']} reference sources disagree",
    "low_confidence": f"{MARKS['supported']} supported, low confidence",
    "reader_dispute": "🙋 disputed by a reader",
}
OPEN_COLOUR = 0x5865F2
# Budgets per part of a card: description + 6 fields * FIELD_MAX + title +
# footer stays under the 6,000 units of one message.
SENTENCE_MAX = 900
CARD_DESCRIPTION_MAX = 1400
FIELD_MAX = 600
FOOTER_MAX = 200
SHOWN_PER_FIELD = 3
QUOTE_MAX = 60
# /review queue and history list at most this many lines (the rest: "…and N more").
LIST_ROWS = 25
SELECT_OPTIONS_MAX = 25      # Discord's limit for a select
OPTION_TEXT_MAX = 100        # label, description and value of an option


def jump_url(guild_id: Any, channel_id: Any, message_id: Any) -> str | None:
    """The link that opens a message in Discord, when all three ids are known."""
    if not (channel_id and message_id):
        return None
    return f"https://discord.com/channels/{guild_id or '@me'}/{channel_id}/{message_id}"


def _when(at: str | None) -> str:
    """An audit timestamp as Discord's <t:…> markup, shown in each reader's time zone."""
    if not at:
        return "?"
    try:
        moment = datetime.strptime(at, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
    except ValueError:
        return plain(at)
    return discord.utils.format_dt(moment, "f")


def _plain_when(at: str | None) -> str:
    """For footers, where Discord does not render <t:…>."""
    return (at or "?").replace("T", " ").replace("Z", " UTC")


def _who(by: str | None) -> str:
    return f"**{plain(clip(display_name(by) or '?', 60))}**"


def _lines(lines: Iterable[str], limit: int, more: str = "…and {n} more") -> str:
    """As many whole lines as fit in `limit` units, then "…and N more"."""
    lines = list(lines)
    out: list[str] = []
    for i, line in enumerate(lines):
        rest = len(lines) - i - 1
        tail = u16("\n" + more.format(n=rest)) if rest else 0
        if u16("\n".join([*out, line])) + tail > limit:
            out.append(more.format(n=len(lines) - i))
            break
        out.append(line)
    return clip("\n".join(out), limit)


def _evidence(claim: Mapping[str, Any]) -> str:
    evidence = [e for e in claim.get("evidence") or [] if isinstance(e, Mapping)]
    if not evidence:
        return "No reference fact matched this claim."
    lines = []
    for e in evidence:
        try:
            value = value_text(dict(e))
        except (KeyError, TypeError, ValueError):
            value = "?"
        period = f" ({plain(clip(str(e['period']), 40))})" if e.get("period") else ""
        fact = f" · fact #{e['fact_id']}" if e.get("fact_id") else ""
        lines.append(f"• **{value}**{period} · {source_link(str(e.get('source') or 'source'), e.get('url'))}{fact}")
    return _lines(lines[:SHOWN_PER_FIELD] + ([f"…and {len(lines) - SHOWN_PER_FIELD} more"]
                                              if len(lines) > SHOWN_PER_FIELD else []), FIELD_MAX)


def _article(item: Mapping[str, Any]) -> str:
    article = item.get("article") or {}
    name = article.get("title") or article.get("url") or article.get("input") or "the article"
    line = source_link(str(name), article.get("url"))
    if article.get("published"):
        line += f" · published {plain(str(article['published']))}"
    posted = item.get("posted") or {}
    jump = jump_url(posted.get("guild_id"), posted.get("channel_id"), posted.get("message_id"))
    if jump:
        line += f"\n[Jump to the bot's reply]({jump})"
    return clip(line, FIELD_MAX)


def _disputes(item: Mapping[str, Any]) -> str | None:
    disputes = item.get("disputes") or []
    if not disputes:
        return None
    lines = [f"• {_who(d.get('by'))}: {plain(clip(str(d.get('reason') or ''), 200))}"
             for d in disputes[-SHOWN_PER_FIELD:]]
    head = f"{len(disputes)} reader dispute{'s' if len(disputes) != 1 else ''}"
    return _lines([head, *lines], FIELD_MAX)


def _sources_added(audit: Sequence[Mapping[str, Any]]) -> str | None:
    added = [row for row in audit if row.get("action") == "add_source" and isinstance(row.get("after"), Mapping)]
    if not added:
        return None
    lines = []
    for row in added[-SHOWN_PER_FIELD:]:
        fact = row["after"]
        try:
            value = value_text(dict(fact))
        except (KeyError, TypeError, ValueError):
            value = "?"
        period = f" ({plain(clip(str(fact['period']), 40))})" if fact.get("period") else ""
        source = source_link(str(fact.get("source") or "source"), fact.get("url"))
        lines.append(f"• **{value}**{period} · {source} · fact #{fact.get('fact_id')} by {_who(row.get('who'))}")
    return _lines(lines, FIELD_MAX)


def decision_text(decision: Mapping[str, Any], auto_verdict: str | None) -> str:
    """"✅ **supported** by mod · <date> (automatic: contradicted)" and the note."""
    verdict = str(decision.get("verdict"))
    text = f"{MARKS.get(verdict, '•')} **{verdict}** by {_who(decision.get('by'))} · {_when(decision.get('at'))}"
    text += " (confirmed)" if verdict == auto_verdict else f" (automatic: {auto_verdict})"
    if decision.get("note"):
        text += f"\n“{plain(clip(str(decision['note']), 300))}”"
    return clip(text, FIELD_MAX)


def card_embed(item: Mapping[str, Any], audit: Sequence[Mapping[str, Any]] = ()) -> discord.Embed:
    """The review card of one queue item (with its audit rows, for the sources added)."""
    claim = dict(item.get("claim") or {})
    auto = claim.get("verdict")
    decision = item.get("decision")
    reason = str(item.get("reason"))
    title = clip(neutralise(f"Review #{item['id']} · {REASON_TITLES.get(reason, reason)}"), TITLE_MAX)
    sentence = plain(clip(str(claim.get("sentence") or ""), SENTENCE_MAX))
    # The first line of the reply's own claim line: mark, quote, subject · metric · period.
    headline = claim_lines({**claim, "evidence": [], "reviewed": False}) if claim.get("verdict") else ""
    description = clip(f"{headline}\n> {sentence}" if headline else f"> {sentence}", CARD_DESCRIPTION_MAX)
    colour = COLOURS.get(str(decision["verdict"]), OPEN_COLOUR) if decision else COLOURS.get(str(auto), OPEN_COLOUR)
    embed = discord.Embed(title=title, description=description, colour=colour)
    embed.add_field(name="Evidence", value=_evidence(claim), inline=False)
    why = clip(plain(without_ids(str(item.get("why") or "?"))), FIELD_MAX)
    embed.add_field(name="Why it is here", value=why, inline=False)
    embed.add_field(name="Article", value=_article(item), inline=False)
    disputes = _disputes(item)
    if disputes:
        embed.add_field(name="Readers", value=disputes, inline=False)
    sources = _sources_added(audit)
    if sources:
        embed.add_field(name="Sources added", value=sources, inline=False)
    if decision:
        embed.add_field(name="Decision", value=decision_text(decision, auto), inline=False)
    confidence = claim.get("confidence")
    said = f" · automatic verdict {auto}" + (f" ({confidence:.2f})" if isinstance(confidence, (int, float)) else "")
    footer = f"Queued {_plain_when(item.get('queued_at'))} by {display_name(item.get('queued_by'))}{said}"
    embed.set_footer(text=clip(neutralise(footer), FOOTER_MAX))
    return embed


def _queue_line(item: Mapping[str, Any], card_jump: str | None) -> str:
    claim = item.get("claim") or {}
    verdict = str(claim.get("verdict"))
    quote = plain(clip(str(claim.get("quote") or claim.get("sentence") or ""), QUOTE_MAX))
    where = claim_where(dict(claim))
    posted = item.get("posted") or {}
    links = [f"[card]({card_jump})"] if card_jump else []
    reply = jump_url(posted.get("guild_id"), posted.get("channel_id"), posted.get("message_id"))
    if reply:
        links.append(f"[reply]({reply})")
    reason = str(item.get("reason")).replace("_", " ")
    line = f"**#{item['id']}** {MARKS.get(verdict, '•')} “{quote}”" + (f" — {where}" if where else "")
    return line + f" · {reason}" + (f" · {' · '.join(links)}" if links else "")


def queue_embed(items: Sequence[Mapping[str, Any]], total: int,
                card_jumps: Mapping[int, str] | None = None) -> discord.Embed:
    """/review queue: open items, oldest first; `total` counts all open ones."""
    card_jumps = card_jumps or {}
    if not items:
        return discord.Embed(title="Review queue", description="Nothing to review: the queue is empty.",
                             colour=OPEN_COLOUR)
    lines = [_queue_line(item, card_jumps.get(int(item["id"]))) for item in items]
    body = _lines(lines, DESCRIPTION_MAX - 100)
    if total > len(items):
        body += f"\n…{total - len(items)} more after these (`factbot review list` shows all)"
    embed = discord.Embed(title=f"Review queue: {total} open", description=clip(body, DESCRIPTION_MAX),
                          colour=OPEN_COLOUR)
    embed.set_footer(text="Oldest first · decide on the cards in the review channel")
    return embed


def _audit_line(row: Mapping[str, Any]) -> str:
    action, before, after = row.get("action"), row.get("before") or {}, row.get("after") or {}
    head = f"{_when(row.get('at'))} **#{row.get('review_id')}** {_who(row.get('who'))}"
    if action == "decide":
        verdict = str(after.get("verdict"))
        text = f"decided {MARKS.get(verdict, '')} **{verdict}** (automatic: {before.get('verdict')})"
    elif action == "add_source":
        try:
            value = value_text(dict(after))
        except (KeyError, TypeError, ValueError):
            value = "?"
        source = plain(clip(str(after.get('source') or 'a source'), 60))
        text = f"added {source}: {value} (fact #{after.get('fact_id')})"
    elif action == "dispute":
        text = "disputed the verdict"
    else:
        text = plain(str(action))
    note = row.get("note")
    if note:
        text += f" — “{plain(clip(str(note), 120))}”"
    return f"{head} {text}"


def history_embed(rows: Sequence[Mapping[str, Any]], review_id: int | None = None) -> discord.Embed:
    """/review history: the newest audit rows, oldest first (as `factbot review history`)."""
    title = f"Review #{review_id}: history" if review_id is not None else "Review history"
    if not rows:
        return discord.Embed(title=title, description="Nothing recorded yet.", colour=OPEN_COLOUR)
    # Newest rows matter most: drop from the oldest end when over budget.
    lines = [_audit_line(row) for row in rows]
    kept: list[str] = []
    for line in reversed(lines):
        if u16("\n".join([line, *kept])) > DESCRIPTION_MAX - 60:
            break
        kept.insert(0, line)
    dropped = len(lines) - len(kept)
    body = (f"…{dropped} older entr{'ies' if dropped != 1 else 'y'} not shown\n" if dropped else "") + "\n".join(kept)
    embed = discord.Embed(title=title, description=clip(body, DESCRIPTION_MAX), colour=OPEN_COLOUR)
    embed.set_footer(text="Oldest first · `factbot review history` has the full log")
    return embed


# -- readers' disputes --------------------------------------------------------------

def dispute_options(articles: Sequence[Any]) -> list[tuple[str, str, str]]:
    """(value, label, description) for each claim a reader may dispute, in the
    order the reply shows them (worst first), at most 25. `value` is
    "article:claim" (indexes into the stored reply)."""
    rank = {v: i for i, v in enumerate(VERDICT_ORDER)}
    found = []
    for a, article in enumerate(articles):
        for c, claim in enumerate(article.report.get("claims") or []):
            found.append((rank.get(claim.get("verdict"), len(rank)), a, c, claim))
    found.sort(key=lambda x: (x[0], x[1], x[2]))
    options = []
    for _, a, c, claim in found[:SELECT_OPTIONS_MAX]:
        verdict = str(claim.get("verdict"))
        label = clip(f"{MARKS.get(verdict, '')} “{claim.get('quote') or claim.get('sentence') or ''}”",
                     OPTION_TEXT_MAX)
        where = " · ".join(str(p) for p in (claim.get("subject"), claim.get("metric"), claim.get("period")) if p)
        description = clip(f"{verdict}" + (f" · {where}" if where else ""), OPTION_TEXT_MAX)
        options.append((f"{a}:{c}", label, description))
    return options


def claim_at(articles: Sequence[Any], value: str) -> tuple[Any, dict[str, Any]] | None:
    """The (article, claim) an option value names, or None if it names nothing."""
    try:
        a, c = (int(x) for x in value.split(":"))
        if a < 0 or c < 0:
            return None
        article = articles[a]
        return article, article.report["claims"][c]
    except (ValueError, IndexError, KeyError, TypeError):
        return None


# -- forms ----------------------------------------------------------------------------

def form_values(components: Iterable[Mapping[str, Any]]) -> dict[str, str | list[str]]:
    """custom_id -> value (text input) or values (select) of a submitted form,
    whatever the layout: action rows (type 1) and labels (type 18) are walked."""
    out: dict[str, str | list[str]] = {}
    for component in components:
        kind = component.get("type")
        if kind == 1:
            out.update(form_values(component.get("components") or []))
        elif kind == 18:
            out.update(form_values([component.get("component") or {}]))
        elif component.get("custom_id"):
            if "values" in component:
                out[str(component["custom_id"])] = [str(v) for v in component.get("values") or []]
            else:
                out[str(component["custom_id"])] = str(component.get("value") or "")
    return out
