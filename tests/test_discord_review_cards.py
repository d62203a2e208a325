"""The review flow's pure parts: cards and /review embeds within Discord's
limits, the forms and buttons within Discord's component limits, the
dispute choices, form parsing, how people are named, the reviewed line in
replies, and the store linking queue items to Discord messages."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.discord_app.actors import actor, display_name, without_ids
from bot.discord_app.embeds import claim_lines
from bot.discord_app.review_cards import (
    card_embed, claim_at, dispute_options, form_values, history_embed, jump_url, queue_embed,
)
from bot.discord_app.review_store import STALE_RESERVATION_SECONDS, ReviewStore, StoredArticle
from bot.discord_app.review_views import (
    DYNAMIC_ITEMS, card_view, dispute_form, dispute_view, override_form, source_form,
)
from sources.db import open_db
from tests.discord_standin import component_problems, limit_problems

LIVE_MENTION = re.compile(r"@(everyone|here)\b|<@[!&]?\d+>")


def claim(verdict: str = "contradicted", quote: str = "43%", **kw: Any) -> dict[str, Any]:
    evidence = [{"entity": "BYD", "metric": "net profit change", "value": 34, "unit": "%", "qualifier": "exact",
                 "period": "2024", "source": "BYD 2024 annual results", "url": "https://www.byd.com/", "fact_id": 6}]
    return {"sentence": f"In 2024 BYD's net profit climbed {quote} to 40.3 billion yuan.", "quote": quote,
            "subject": "BYD", "metric": "net profit change", "period": "2024", "kind": "change", "value": 43,
            "unit": "%", "verdict": verdict, "confidence": 0.99, "evidence": evidence, "reviewed": False, **kw}


def item(review_id: int = 1, **kw: Any) -> dict[str, Any]:
    base = {"id": review_id, "status": "open", "reason": "contradicted",
            "why": "contradicted: BYD 2024 annual results gives 34%", "claim": claim(),
            "article": {"input": "https://news.example/byd", "url": "https://news.example/byd",
                        "title": "BYD widens its lead", "published": "2025-03-25", "author": "news.example"},
            "posted": {"guild_id": "10", "channel_id": "11", "message_id": "12"},
            "queued_by": "factbot", "queued_at": "2025-03-26T09:00:00Z", "decision": None, "disputes": []}
    return {**base, **kw}


def fields(embed: Any) -> dict[str, str]:
    return {f.name: f.value for f in embed.fields}


def within_limits(*embeds: Any) -> list[str]:
    return limit_problems({"embeds": [e.to_dict() for e in embeds]})


# -- cards -------------------------------------------------------------------------------------------

def test_a_card_has_the_claim_sentence_evidence_reason_and_links():
    embed = card_embed(item())
    assert embed.title == "Review #1 · ❌ contradicted"
    assert embed.description.splitlines()[0] == "❌ “43%” — BYD · net profit change · 2024"
    assert embed.description.splitlines()[1].startswith("> In 2024 BYD")
    f = fields(embed)
    assert f["Evidence"] == "• **34%** (2024) · [BYD 2024 annual results](https://www.byd.com/) · fact #6"
    assert f["Why it is here"] == "contradicted: BYD 2024 annual results gives 34%"
    assert f["Article"] == ("[BYD widens its lead](https://news.example/byd) · published 2025-03-25\n"
                           "[Jump to the bot's reply](https://discord.com/channels/10/11/12)")
    assert "Decision" not in f and "Readers" not in f
    assert embed.footer.text == "Queued 2025-03-26 09:00:00 UTC by factbot · automatic verdict contradicted (0.99)"
    assert not within_limits(embed)


def test_a_decided_card_says_who_decided_what_with_the_note_and_sources_added():
    decided = item(status="decided", decision={"verdict": "supported", "by": "alice (discord:101)",
                                               "at": "2025-03-27T10:00:00Z", "note": "restated on p. 4"},
                   disputes=[{"by": "bob (discord:102)", "at": "2025-03-26T10:00:00Z", "reason": "It's 34%"}],
                   why="disputed by a reader (bob (discord:102)): It's 34%")
    audit = [{"action": "add_source", "who": "alice (discord:101)", "after": {
        "fact_id": 9, "value": 34, "unit": "%", "qualifier": "exact", "period": "2024",
        "source": "Investor deck", "url": "https://ir.example/deck"}}]
    f = fields(card_embed(decided, audit))
    assert f["Decision"] == "✅ **supported** by **alice** · <t:1743069600:f> (automatic: contradicted)\n" \
                            "“restated on p. 4”"
    assert f["Readers"] == "1 reader dispute\n• **bob**: It's 34%"
    assert f["Sources added"] == "• **34%** (2024) · [Investor deck](https://ir.example/deck) · fact #9 by **alice**"
    assert f["Why it is here"] == "disputed by a reader (bob): It's 34%", "ids are for the log, not for people"


def test_a_claim_without_evidence_says_so():
    card = card_embed(item(reason="low_confidence", claim=claim("supported", evidence=[])))
    assert card.title == "Review #1 · ✅ supported, low confidence"
    assert fields(card)["Evidence"] == "No reference fact matched this claim."


hostile = st.lists(st.sampled_from(list("ab *_~`|>[]()@<&!#🚗\n") + [
    "@everyone", "@here", "<@&123456789012345678>", "https://x.example/(a)", "word " * 40]), max_size=400).map("".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sentence=hostile, why=hostile, reason=hostile, note=hostile, source=hostile, title=hostile)
def test_cards_stay_within_discords_limits_and_never_ping(sentence, why, reason, note, source, title):
    big = item(why=why, claim=claim(sentence=sentence or "x", quote=sentence[:200],
                                    evidence=[{**claim()["evidence"][0], "source": source}] * 5),
               article={"title": title, "url": "https://news.example/a"}, status="decided",
               decision={"verdict": "disputed", "by": title[:300], "at": "2025-03-27T10:00:00Z", "note": note},
               disputes=[{"by": source[:200], "reason": reason}] * 7)
    audit = [{"action": "add_source", "who": title, "after": {"fact_id": 1, "value": 1, "unit": "%",
                                                              "source": source, "url": "https://s.example"}}] * 5
    embed = card_embed(big, audit)
    assert not within_limits(embed)
    texts = [embed.title or "", embed.description or "", embed.footer.text or ""]
    texts += [f.value for f in embed.fields] + [f.name for f in embed.fields]
    assert not [t for t in texts if LIVE_MENTION.search(t)]


@settings(max_examples=30, deadline=None)
@given(quote=hostile, n=st.integers(0, 80))
def test_queue_and_history_embeds_stay_within_limits(quote, n):
    items = [item(i + 1, claim=claim(quote=quote or "x")) for i in range(n)]
    embed = queue_embed(items[:25], n, {i + 1: f"https://discord.com/channels/1/2/{i}" for i in range(n)})
    assert not within_limits(embed)
    if n > 25:
        assert f"…{n - 25} more after these" in embed.description
    rows = [{"id": i, "review_id": i, "action": a, "who": quote or "x", "at": "2025-03-27T10:00:00Z",
             "before": {"verdict": "contradicted"}, "after": {"verdict": "supported", "value": 3, "unit": "%",
                                                              "source": quote, "fact_id": 4}, "note": quote}
            for i, a in zip(range(n), ["decide", "add_source", "dispute"] * 30)]
    assert not within_limits(history_embed(rows)) and not within_limits(history_embed(rows, 3))


def test_an_empty_queue_and_history_say_so():
    assert queue_embed([], 0).description == "Nothing to review: the queue is empty."
    assert history_embed([], 4).title == "Review #4: history"


def test_jump_urls_need_a_channel_and_a_message():
    assert jump_url("1", "2", "3") == "https://discord.com/channels/1/2/3"
    assert jump_url(None, "2", "3") == "https://discord.com/channels/@me/2/3"
    assert jump_url("1", None, "3") is None


# -- replies ------------------------------------------------------------------------------------------

def test_a_reviewed_claim_in_a_reply_says_who_reviewed_it():
    reviewed = claim("supported", reviewed=True, reviewed_by="alice (discord:101)", auto_verdict="contradicted",
                     review_note="restated on p. 4")
    assert claim_lines(reviewed).splitlines()[-1] == \
        "  ↳ reviewed by alice (automatic verdict: contradicted): restated on p. 4"
    confirmed = claim("contradicted", reviewed=True, reviewed_by="bob", auto_verdict="contradicted")
    lines = claim_lines(confirmed).splitlines()
    assert lines[1].startswith("  ↳ correct: **34%**") and lines[2] == "  ↳ reviewed by bob"
    assert "reviewed" not in claim_lines(claim()), "the engine's own verdicts say nothing of review"


def test_people_are_named_with_their_discord_id_and_shown_by_name():
    class User:
        name, id = "alice", 101
    assert actor(User()) == "alice (discord:101)"  # type: ignore[arg-type]
    assert display_name("alice (discord:101)") == "alice" and display_name("bob") == "bob"
    assert without_ids("disputed by a reader (bob (discord:102)): no") == "disputed by a reader (bob): no"


# -- disputes and forms ---------------------------------------------------------------------------------

def test_dispute_options_are_worst_first_and_name_their_claim():
    articles = [StoredArticle("a", None, None, {"claims": [claim("supported", quote="4.27 million"),
                                                           claim("contradicted")]}),
                StoredArticle("b", None, None, {"claims": [claim("disputed", quote="7th")]})]
    options = dispute_options(articles)
    assert [o[1] for o in options] == ["❌ “43%”", "⚠️ “7th”", "✅ “4.27 million”"]
    assert options[0][2] == "contradicted · BYD · net profit change · 2024"
    assert claim_at(articles, options[1][0])[1]["quote"] == "7th"
    for bad in ("", "9:0", "0:9", "x", "-1:0", "0:0:0"):
        assert claim_at(articles, bad) is None


def test_dispute_options_stop_at_25_and_fit_discord():
    article = StoredArticle("a", None, None, {"claims": [claim(quote="🚗" * 200) for _ in range(40)]})
    options = dispute_options([article])
    assert len(options) == 25
    assert not component_problems(dispute_form(1, options).to_dict(), form=True)


def test_forms_and_cards_fit_discords_component_limits():
    for form in (override_form(123456, "contradicted"), source_form(123456, claim()),
                 dispute_form(1300000000000000000, [("0:0", "x", "y")])):
        assert not component_problems(form.to_dict(), form=True), form.to_dict()
    payload = {"components": card_view(item(123456789)).to_components()}
    assert not component_problems(payload)
    assert not component_problems({"components": dispute_view().to_components()})


def test_every_custom_id_matches_its_persistent_template():
    ids = [c["custom_id"] for row in card_view(item(77)).to_components() for c in row["components"]]
    ids += [c["custom_id"] for row in dispute_view().to_components() for c in row["components"]]
    templates = [cls.__discord_ui_compiled_template__ for cls in DYNAMIC_ITEMS]
    for custom_id in ids:
        assert sum(bool(t.fullmatch(custom_id)) for t in templates) == 1, custom_id


def test_a_decided_card_disables_the_deciding_buttons_but_not_add_source():
    decided = item(status="decided", decision={"verdict": "supported", "by": "a", "at": "x", "note": None})
    [row] = card_view(decided).to_components()
    state = {c["custom_id"].split(":")[2]: c.get("disabled", False) for c in row["components"]}
    assert state == {"confirm": True, "override": True, "source": False, "dismiss": True}


def test_form_values_read_labels_and_action_rows():
    submitted = [{"type": 18, "component": {"type": 3, "custom_id": "verdict", "values": ["supported"]}},
                 {"type": 18, "component": {"type": 4, "custom_id": "note", "value": "p. 4"}},
                 {"type": 1, "components": [{"type": 4, "custom_id": "old", "value": "row"}]},
                 {"type": 10, "content": "text display: no value"}]
    assert form_values(submitted) == {"verdict": ["supported"], "note": "p. 4", "old": "row"}


def test_the_source_form_starts_with_the_claims_unit_and_period():
    form = source_form(3, claim()).to_dict()
    inputs = {c["component"]["custom_id"]: c["component"] for c in form["components"]}
    assert (inputs["unit"]["value"], inputs["period"]["value"]) == ("%", "2024")
    assert inputs["value"]["required"] and not inputs["url"]["required"]


# -- the store -----------------------------------------------------------------------------------------

class Clock:
    def __init__(self) -> None:
        self.now = datetime(2025, 3, 27, 10, 0, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        return self.now


def queued(db: Any) -> int:
    from sources.review import enqueue_from_result
    [rid] = enqueue_from_result(db, {"input": "https://n.example/a", "claims": [claim()]})
    return rid


def test_one_card_per_item_even_when_two_checks_race(tmp_path):
    clock = Clock()
    store = ReviewStore(open_db(tmp_path / "x.db"), clock=clock)
    rid = queued(store._db)
    assert store.reserve_card(rid, 5) and not store.reserve_card(rid, 5), "the second checker backs off"
    clock.now += timedelta(seconds=STALE_RESERVATION_SECONDS + 1)
    assert store.reserve_card(rid, 5), "a send that never finished is taken over"
    store.card_posted(rid, 5, 99)
    assert store.card(rid).message_id == 99
    clock.now += timedelta(days=1)
    assert not store.reserve_card(rid, 5), "posted is final"


def test_a_failed_send_releases_the_card(tmp_path):
    store = ReviewStore(open_db(tmp_path / "x.db"))
    rid = queued(store._db)
    assert store.reserve_card(rid, 5)
    store.release_card(rid)
    assert store.card(rid) is None and store.reserve_card(rid, 5)


def test_replies_are_kept_and_pruned(tmp_path):
    from bot.discord_app.checking import Checked
    clock = Clock()
    store = ReviewStore(open_db(tmp_path / "x.db"), clock=clock)
    report = {"title": "T", "claims": [claim()], "summary": {"contradicted": 1}}
    store.save_reply(7, 1, 2, "compact", [Checked("pasted", None, report, "", site="S")])
    stored = store.reply(7)
    assert (stored.style, stored.articles[0].report, stored.articles[0].site) == ("compact", report, "S")
    assert store.prune_replies(days=90) == 0
    clock.now += timedelta(days=91)
    assert store.prune_replies(days=90) == 1 and store.reply(7) is None
