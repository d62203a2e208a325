"""The Discord bot's pure parts: verdict embeds within Discord's limits, no
pings from article text, link finding, cooldowns, per-channel settings,
earlier answers, and the [discord]/[autoscan] configuration."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.config import ConfigError, validate
from bot.discord_app.checking import Checked
from bot.discord_app.client import intents_for
from bot.discord_app.cooldowns import Cooldown
from bot.discord_app.embeds import EMBED_TOTAL_MAX, MARKS, build_reply, claim_lines, clip, embed_size, u16
from bot.discord_app.links import find_links, is_media_link, without_links
from bot.discord_app.safety import neutralise, plain
from bot.discord_app.seen_links import SeenLinks
from bot.discord_app.settings import ChannelSettings
from sources.db import open_db
from tests.discord_standin import limit_problems

LIVE_MENTION = re.compile(r"@(everyone|here)\b|<@[!&]?\d+>")


def claim(verdict: str = "contradicted", quote: str = "43%", subject: str | None = "BYD", **kw: Any) -> dict[str, Any]:
    evidence = [{"entity": subject, "metric": "net profit change", "value": 34, "unit": "%", "qualifier": "exact",
                 "period": "2024", "source": "BYD 2024 annual results", "url": "https://www.byd.com/"}]
    return {"sentence": f"... {quote} ...", "quote": quote, "subject": subject, "metric": "net profit change",
            "period": "2024", "verdict": verdict, "evidence": evidence if verdict != "unverified" else [], **kw}


def checked(claims: list[dict[str, Any]], title: str | None = "BYD widens its lead",
            url: str | None = "https://news.example/byd", more: int = 0) -> Checked:
    summary = {v: sum(c["verdict"] == v for c in claims) for v in MARKS}
    report = {"title": title, "published": "2025-03-25", "claims": claims, "summary": summary}
    if more:
        report["more_claims"] = more
    return Checked(name=url or "pasted text", url=url, report=report, full_text="full report\n" * len(claims),
                   site="Example News", summary=summary)


def payload(reply: Any) -> dict[str, Any]:
    return {"content": reply.content, "embeds": [e.to_dict() for e in reply.embeds]}


# -- embeds ------------------------------------------------------------------------------------------

def test_a_contradicted_claim_shows_the_correct_value_and_its_source():
    line = claim_lines(claim())
    assert line.splitlines()[0] == "❌ “43%” — BYD · net profit change · 2024"
    assert line.splitlines()[1] == "  ↳ correct: **34%** · [BYD 2024 annual results](https://www.byd.com/)"


def test_disputed_claims_show_what_each_source_says():
    c = claim("disputed", evidence=[
        {"value": 17.2, "unit": "%", "source": "IDC", "url": "https://idc.example/q"},
        {"value": 16.9, "unit": "%", "source": "Canalys", "url": None}])
    assert "sources disagree: 17.2% ([IDC](https://idc.example/q)) vs 16.9% (Canalys)" in claim_lines(c)


def test_lines_are_ordered_by_importance_and_counted():
    reply = build_reply([checked([claim("supported"), claim("unverified"), claim("contradicted")])])
    [embed] = reply.embeds
    lines = embed.description.splitlines()
    assert lines[0] == "**3 claims** — ❌ 1 contradicted · ✅ 1 supported · ❔ 1 unverified"
    marks = [line[0] for line in lines[2:] if line and line[0] in "❌✅❔"]
    assert marks == ["❌", "✅", "❔"]
    assert embed.title == "BYD widens its lead" and embed.url == "https://news.example/byd"
    assert not reply.attachments


def test_compact_style_lists_only_what_is_wrong():
    [embed] = build_reply([checked([claim("supported"), claim("contradicted")])], style="compact").embeds
    assert "✅ 1 supported" in embed.description and "“43%”" in embed.description
    assert embed.description.count("\n❌") == 1 and "\n✅" not in embed.description


def test_an_article_without_claims_says_so():
    [embed] = build_reply([checked([])]).embeds
    assert embed.description == "No figures or rankings to check."


def test_markdown_and_masked_links_in_article_text_are_shown_as_written():
    line = claim_lines(claim(quote="[click here](https://evil.example) **43%**"))
    assert "“\\[click here](https://evil.example)" in line, "the escaped [ keeps it from being a link"
    assert "\\*\\*43%\\*\\*" in line


def test_a_url_that_would_break_the_markdown_link_is_escaped_or_dropped():
    weird = claim(evidence=[{"value": 1, "unit": "%", "source": "Src", "url": "https://x.example/a (b)"}])
    assert "(https://x.example/a%20%28b%29)" in claim_lines(weird)
    bad = claim(evidence=[{"value": 1, "unit": "%", "source": "Src", "url": "javascript:alert(1)"}])
    assert "javascript" not in claim_lines(bad) and "· Src" in claim_lines(bad)


def test_sixty_claims_fit_one_embed_and_the_rest_is_attached():
    claims = [claim(quote=f"{i}.5 million vehicles 🚗🚙", subject="BYD Company Limited") for i in range(60)]
    reply = build_reply([checked(claims, more=12)])
    [embed] = reply.embeds
    assert not limit_problems(payload(reply))
    assert re.search(r"\*\*…and (\d+) more\*\* — full report attached\.$", embed.description)
    shown = embed.description.count("\n❌ ")
    more = int(re.search(r"…and (\d+) more", embed.description).group(1))
    assert shown + more == 60 and shown > 5
    assert "12 more claims over the limit were not checked" in embed.description
    [(name, data)] = reply.attachments
    assert name == "factcheck-1-byd-widens-its-lead.txt" and data.count(b"full report") == 60


_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=300) | st.sampled_from(
    ["@everyone", "<@&123456789012345678>", "<@!42>", "@here", "**x**", "[a](https://b.example)", "🚗" * 200])
_verdict = st.sampled_from(list(MARKS))


@st.composite
def _claims(draw: st.DrawFn) -> dict[str, Any]:
    verdict = draw(_verdict)
    evidence = [{"value": draw(st.floats(-1e15, 1e15, allow_nan=False)),
                 "unit": draw(st.sampled_from(["%", "USD", "rank", "vehicles"])),
                 "qualifier": "exact", "period": draw(_text), "source": draw(_text),
                 "url": draw(st.sampled_from([None, "https://a.example/x", "https://a.example/" + "y" * 600]))}
                for _ in range(draw(st.integers(1, 3)))]
    return {"quote": draw(_text), "subject": draw(st.none() | _text), "metric": draw(st.none() | _text),
            "period": draw(st.none() | _text), "verdict": verdict, "evidence": evidence}


@settings(max_examples=30, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(articles=st.lists(st.tuples(st.lists(_claims(), max_size=40), st.none() | _text), min_size=1, max_size=10),
       notes=st.lists(_text, max_size=30), style=st.sampled_from(["full", "compact"]))
def test_any_reply_stays_within_every_discord_limit_and_never_pings(articles, notes, style):
    reply = build_reply([checked(claims, title=title) for claims, title in articles], notes, style=style)
    body = payload(reply)
    assert not limit_problems(body)
    assert sum(embed_size(e) for e in reply.embeds) <= EMBED_TOTAL_MAX
    assert len(reply.embeds) == len(articles)
    texts = [reply.content or ""] + [t or "" for e in reply.embeds for t in (e.title, e.description)]
    for text in texts:
        assert not LIVE_MENTION.search(text), text
    truncated = [e for e in reply.embeds if "full report attached" in (e.description or "")]
    assert len(reply.attachments) >= len(truncated) > 0 or not truncated


@settings(derandomize=True)
@given(st.text(max_size=400), st.integers(1, 300))
def test_clip_never_exceeds_the_limit_in_utf16_units(text, limit):
    out = clip(text, limit)
    assert u16(out) <= limit and (out == text or out.endswith("…"))


# -- mentions and links ------------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["@everyone", "hi @here!", "<@&123456789012345678>", "<@123>", "<@!123>",
                                  "@EVERYONE", "@@everyone"])
def test_mentions_are_broken_by_a_zero_width_space(text):
    out = neutralise(text)
    assert not LIVE_MENTION.search(out.replace("@\u200b", "")) or "\u200b" in out
    assert not re.search(r"@(?i:everyone|here)\b|<@[!&]?\d+>", out)
    assert out.replace("\u200b", "") == text


def test_plain_escapes_markdown_and_mentions():
    assert plain("**@everyone**") == "\\*\\*@\u200beveryone\\*\\*"


@pytest.mark.parametrize(("text", "links"), [
    ("see https://a.example/x.", ["https://a.example/x"]),
    ("<https://a.example/x> and ||https://b.example/y||", ["https://a.example/x", "https://b.example/y"]),
    ("[story](https://a.example/story) (https://c.example/z)", ["https://a.example/story", "https://c.example/z"]),
    ("https://en.wikipedia.org/wiki/Foo_(bar), ok", ["https://en.wikipedia.org/wiki/Foo_(bar)"]),
    ("HTTP://A.example/ twice: HTTP://A.example/", ["HTTP://A.example/"]),
    ("ftp://a.example/ and www.a.example", []),
    ("https://", []),
])
def test_links_are_found_as_people_write_them(text, links):
    assert find_links(text) == links


@pytest.mark.parametrize(("link", "media"), [
    ("https://cdn.discordapp.com/attachments/1/2/cat.png", True), ("https://media.tenor.com/x.gif", True),
    ("https://tenor.com/view/cat-123", True), ("https://www.reuters.com/markets/", False),
    ("https://nottenor.com/story", False)])
def test_image_and_gif_hosts_are_recognised(link, media):
    assert is_media_link(link) is media


def test_links_are_limited_and_removed_from_the_text():
    assert find_links("https://a.example/1 https://a.example/2 https://a.example/3", limit=2) == [
        "https://a.example/1", "https://a.example/2"]
    assert without_links("Read https://a.example/1 now") == "Read now"


# -- cooldowns, settings, earlier answers ------------------------------------------------------------

def test_cooldown_allows_one_use_per_period_per_key():
    now = [100.0]
    cd = Cooldown(60, clock=lambda: now[0])
    assert cd.try_use("alice") == 0
    assert cd.try_use("alice") == 60 and cd.try_use("bob") == 0
    now[0] += 59.5
    assert cd.retry_after("alice") == pytest.approx(0.5)
    now[0] += 1
    assert cd.try_use("alice") == 0
    assert Cooldown(0).try_use("x") == 0 and Cooldown(0).try_use("x") == 0


def test_channel_settings_persist_and_threads_follow_their_channel(tmp_path):
    db = open_db(tmp_path / "bot.db")
    settings_ = ChannelSettings(db, default_mode="off")
    settings_.set_mode(1, 10, "quiet", by=7)
    assert settings_.mode(1, 10) == "quiet" and settings_.mode(1, 11) == "off"
    assert settings_.mode(1, 99, parent_id=10) == "quiet", "a thread follows its channel"
    settings_.set_mode(1, 99, "on")
    assert settings_.mode(1, 99, parent_id=10) == "on", "unless it has its own setting"
    reopened = ChannelSettings(open_db(tmp_path / "bot.db"), default_mode="on")
    assert reopened.mode(1, 10) == "quiet" and reopened.mode(2, 10) == "on"
    with pytest.raises(ValueError):
        settings_.set_mode(1, 10, "loud")


def test_earlier_answers_expire_with_the_window_and_ignore_tracking_parameters(tmp_path):
    now = [datetime(2025, 3, 1, 12, 0, tzinfo=timezone.utc)]
    seen = SeenLinks(open_db(tmp_path / "bot.db"), window_seconds=3600, clock=lambda: now[0])
    seen.remember(1, ["https://News.example/story?utm_source=x"], channel_id=10, message_id=500)
    earlier = seen.earlier(1, "https://news.example/story#top")
    assert earlier and earlier.jump_url == "https://discord.com/channels/1/10/500"
    assert seen.earlier(2, "https://news.example/story") is None, "per server"
    now[0] += timedelta(minutes=61)
    assert seen.earlier(1, "https://news.example/story") is None


# -- configuration -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("raw", "message"), [
    ({"discord": {"token": "x"}}, "unknown key discord.token"),
    ({"discord": {"dev_guild_id": "123"}}, "discord.dev_guild_id must be int, not str"),
    ({"discord": {"auto_shard": "yes"}}, "discord.auto_shard must be bool"),
    ({"discord": {"dev_guild_id": -1}}, "discord.dev_guild_id must be a Discord ID"),
    ({"discord": {"shard_count": 4}}, "discord.shard_count is only used with discord.auto_shard = true"),
    ({"discord": {"moderator_roles": [""]}}, "discord.moderator_roles: '' must be a role ID"),
    ({"discord": {"moderator_roles": [True]}}, "discord.moderator_roles: True must be a role ID"),
    ({"discord": {"max_links": 11}}, "discord.max_links must be between 1 and 10"),
    ({"discord": {"reply_style": "fancy"}}, "discord.reply_style must be one of 'full', 'compact', not 'fancy'"),
    ({"discord": {"check_workers": 0}}, "discord.check_workers must be at least 1"),
    ({"autoscan": {"default_mode": "loud"}}, "autoscan.default_mode must be one of 'off', 'on', 'quiet'"),
    ({"autoscan": {"user_cooldown_seconds": -1}}, "autoscan.user_cooldown_seconds must be 0 (off) or more"),
    ({"autoscan": {"enabled": 1}}, "autoscan.enabled must be bool, not int"),
])
def test_config_names_the_key_and_what_is_wrong(raw, message):
    with pytest.raises(ConfigError, match=re.escape(message)):
        validate(raw)


def test_config_defaults_and_the_message_content_intent():
    config = validate({"discord": {"moderator_roles": [123, "Editors"]}})
    assert config.get("discord", "dev_guild_id") == 0 and config.get("autoscan", "default_mode") == "off"
    assert intents_for(config).message_content and not intents_for(config).members
    off = intents_for(validate({"autoscan": {"enabled": False}}))
    assert not off.message_content and off.guilds


def test_help_mentions_every_slash_command():
    import json
    from pathlib import Path

    from bot.discord_app.cogs.help import HELP
    tree = json.loads((Path(__file__).parent / "snapshots" / "discord_commands.json").read_text(encoding="utf-8"))
    names = {c["name"] for c in tree if c.get("type", 1) == 1 and c["name"] != "factbot"}
    assert names and all(f"/{name}" in HELP for name in names), names
