"""Moderator review on Discord, end to end: the real discord.py client, the bot,
the local Discord stand-in (tests/discord_standin.py) and a loopback article site.

Cards in the review channel, their buttons and forms (moderators only), two
moderators at once, a restart between posting and clicking, readers' disputes
and their limit, /review queue and history, and the bot editing its own
reply once a moderator decided. Every test fails if discord.py or the bot
logs an ERROR.
"""
from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.discord_app import create_bot
from bot.discord_app.client import FactBot
from sources.db import open_db
from sources.importer import import_file
from sources.lookup import FactIndex
from sources.review import get_item, history, list_items
from sources.store import get_fact
from tests.discord_standin import (
    EPHEMERAL, MANAGE_MESSAGES, MEMBER_PERMISSIONS, DiscordStandIn, ErrorLog, Recorded, running,
)
from tests.test_discord_e2e import ARTICLE, FACTS, ArticleSite, config_for, many_claims_article, run

WRONG_PROFIT = "In 2024 BYD's net profit climbed 43% to 40.3 billion yuan."   # 43% is wrong (34%); 40.3 bn is right
MOD_PERMS = MEMBER_PERMISSIONS | MANAGE_MESSAGES


@dataclass
class World:
    discord: DiscordStandIn
    site: ArticleSite
    bot: FactBot

    @property
    def db(self) -> Any:
        return self.bot.db

    @property
    def reviews(self) -> str:
        return self.discord.channels["reviews"]

    def cards(self) -> list[dict[str, Any]]:
        """The review cards in the review channel, oldest first."""
        return [m for m in self.discord.messages.values()
                if m["channel_id"] == self.reviews and m["author"]["id"] == self.discord.app_id]

    def card(self, review_id: int) -> dict[str, Any]:
        [card] = [m for m in self.cards() if f"factbot:review:confirm:{review_id}" in ids(m)]
        return card

    async def wait_cards(self, n: int) -> list[dict[str, Any]]:
        await self.discord.wait_until(lambda: len(self.cards()) >= n)
        await settle()
        return self.cards()

    async def factcheck(self, *, user: dict[str, Any] | None = None, **values: Any) -> dict[str, Any]:
        """/factcheck; returns the bot's reply as the stand-in keeps it."""
        sent = await self.discord.slash("factcheck", values, user=user or self.discord.alice)
        await sent.callback()
        followup = await sent.followup()
        assert followup.status == 200, followup.response
        await settle()
        return self.discord.messages[followup.response["id"]]

    def edits_of(self, message: dict[str, Any]) -> list[Recorded]:
        return self.discord.find("PATCH", rf"/channels/{message['channel_id']}/messages/{message['id']}")


def ids(message: dict[str, Any]) -> list[str]:
    return [c.get("custom_id") for c in DiscordStandIn.components_of(message)]


def button(message: dict[str, Any], prefix: str) -> dict[str, Any]:
    [found] = [c for c in DiscordStandIn.components_of(message) if c.get("custom_id", "").startswith(prefix)]
    return found


async def settle(rounds: int = 20) -> None:
    """Lets the bot finish what it does after answering (cards, edits): a few loop turns."""
    for _ in range(rounds):
        await asyncio.sleep(0.005)


async def eventually(condition: Callable[[], bool], timeout: float = 5) -> None:
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.01)


def ephemeral_text(recorded: Recorded) -> str:
    data = recorded.message
    assert data.get("flags", 0) & EPHEMERAL, f"not ephemeral: {data}"
    return data["content"]


@contextlib.asynccontextmanager
async def factbot(tmp_path: Path, *, pages: dict[str, str] | None = None, messages: dict[str, Any] | None = None,
                  discord: dict[str, Any] | None = None, review: dict[str, Any] | None = None,
                  autoscan: dict[str, Any] | None = None) -> AsyncIterator[World]:
    """The bot with a review channel, against a stand-in; `messages` carries a
    previous stand-in's messages over (a restart in the same world)."""
    db = open_db(tmp_path / "bot.db")
    if not db["facts"].count:
        import_file(db, FACTS)
    db.close()
    with ErrorLog("discord", "bot") as errors:
        async with DiscordStandIn(messages=messages) as standin, ArticleSite(pages or {}) as site:
            config = config_for(tmp_path, standin,
                                {"review_channel_id": int(standin.channels["reviews"]), **(discord or {})},
                                autoscan, review=review or {})
            bot = create_bot(config, guild_ready_timeout=0.01)
            async with running(bot):
                yield World(standin, site, bot)  # type: ignore[arg-type]
    assert not errors.records, "errors were logged:\n" + "\n".join(errors.messages())


# -- cards --------------------------------------------------------------------------------------------

def test_a_contradicted_claim_gets_a_card_in_the_review_channel(tmp_path):
    async def scenario() -> None:
        async with factbot(tmp_path) as w:
            reply = await w.factcheck(text=WRONG_PROFIT)
            [card] = await w.wait_cards(1)
            [item] = list_items(w.db)
            assert item["posted"] == {"guild_id": w.discord.guild_id, "channel_id": w.discord.channels["general"],
                                      "message_id": reply["id"]}, "queued with the bot's reply message id"
            [embed] = card["embeds"]
            assert embed["title"] == f"Review #{item['id']} · ❌ contradicted"
            assert "❌ “43%” — BYD · net profit change · 2024" in embed["description"]
            assert f"> {WRONG_PROFIT}" in embed["description"].replace("\\", "")
            fields = {f["name"]: f["value"] for f in embed["fields"]}
            assert "**34%** (2024) · [BYD 2024 annual results](https://www.byd.com/)" in fields["Evidence"]
            assert fields["Why it is here"] == "contradicted: BYD 2024 annual results gives 34%"
            jump = f"https://discord.com/channels/{w.discord.guild_id}/{w.discord.channels['general']}/{reply['id']}"
            assert f"[Jump to the bot's reply]({jump})" in fields["Article"]
            assert "Decision" not in fields
            rid = item["id"]
            assert ids(card) == [f"factbot:review:confirm:{rid}", f"factbot:review:override:{rid}",
                                 f"factbot:review:source:{rid}", f"factbot:review:dismiss:{rid}"]
            assert button(card, "factbot:review:confirm")["label"] == "Confirm: contradicted"
            assert ids(reply) == ["factbot:dispute"], "readers can dispute the reply"
            [post] = w.discord.find("POST", rf"/channels/{w.reviews}/messages")
            assert post.json["allowed_mentions"] == {"parse": []}
    run(scenario())


def test_an_article_checked_twice_keeps_one_card_per_claim(tmp_path):
    async def scenario() -> None:
        async with factbot(tmp_path, pages={"/byd": ARTICLE}) as w:
            first = await w.factcheck(url=w.site.url("/byd"))
            cards = await w.wait_cards(2)
            assert len(cards) == 2 and len(list_items(w.db)) == 2, "two deliberate errors, two cards"
            await w.factcheck(url=w.site.url("/byd"), user=w.discord.bob)
            await settle()
            assert len(w.cards()) == 2 and len(list_items(w.db)) == 2
            assert {i["posted"]["message_id"] for i in list_items(w.db)} == {first["id"]}, "the first reply"
    run(scenario())


# -- deciding ----------------------------------------------------------------------------------------

def test_a_moderator_confirms_and_the_card_and_the_reply_show_it(tmp_path):
    async def scenario() -> None:
        async with factbot(tmp_path) as w:
            reply = await w.factcheck(text=WRONG_PROFIT)
            [card] = await w.wait_cards(1)
            [item] = list_items(w.db)
            sent = await w.discord.click(card, f"factbot:review:confirm:{item['id']}", user=w.discord.moderator)
            answer = await sent.callback()
            assert answer.json["type"] == 7, "the card itself is the answer"
            decided = get_item(w.db, item["id"])
            assert decided["decision"]["verdict"] == "contradicted"
            assert decided["decision"]["by"] == f"mod (discord:{w.discord.moderator['id']})"
            [audit] = [h for h in history(w.db, item["id"]) if h["action"] == "decide"]
            assert audit["after"] == {"status": "decided", "verdict": "contradicted"}
            card = w.discord.messages[card["id"]]
            fields = {f["name"]: f["value"] for f in card["embeds"][0]["fields"]}
            assert fields["Decision"].startswith("❌ **contradicted** by **mod** · <t:")
            assert "(confirmed)" in fields["Decision"]
            for prefix in ("factbot:review:confirm", "factbot:review:override", "factbot:review:dismiss"):
                assert button(card, prefix).get("disabled") is True
            assert not button(card, "factbot:review:source").get("disabled"), "a source can still be added"
            await eventually(lambda: bool(w.edits_of(reply)))
            edited = w.discord.messages[reply["id"]]
            assert "↳ reviewed by mod" in edited["embeds"][0]["description"]
            assert ids(edited) == ["factbot:dispute"], "the edit keeps the Dispute button"
    run(scenario())


def test_a_non_moderator_is_refused_privately_and_nothing_is_recorded(tmp_path):
    async def scenario() -> None:
        async with factbot(tmp_path) as w:
            reply = await w.factcheck(text=WRONG_PROFIT)
            [card] = await w.wait_cards(1)
            [item] = list_items(w.db)
            for prefix in ("confirm", "override", "source", "dismiss"):
                sent = await w.discord.click(card, f"factbot:review:{prefix}:{item['id']}", user=w.discord.alice)
                answer = await sent.callback()
                assert answer.json["type"] == 4 and "Only moderators" in ephemeral_text(answer)
            assert get_item(w.db, item["id"])["status"] == "open" and len(history(w.db, item["id"])) == 0
            assert not w.edits_of(reply) and not w.edits_of(card)
    run(scenario())


def test_override_records_the_chosen_verdict_and_edits_the_original_reply(tmp_path):
    async def scenario() -> None:
        async with factbot(tmp_path) as w:
            reply = await w.factcheck(text=WRONG_PROFIT)
            [card] = await w.wait_cards(1)
            [item] = list_items(w.db)
            opened = await w.discord.click(card, f"factbot:review:override:{item['id']}", user=w.discord.moderator)
            form = await opened.callback()
            assert form.json["type"] == 9 and form.status == 200, "a form within Discord's limits"
            [select] = [c["component"] for c in form.message["components"] if c["component"]["type"] == 3]
            assert [o["value"] for o in select["options"]] == ["supported", "contradicted", "unverified", "disputed"]
            submitted = await w.discord.submit_form(form, {"verdict": ["supported"], "note": "restated: p. 4"},
                                                    message=card, user=w.discord.moderator)
            assert (await submitted.callback()).json["type"] == 7
            decision = get_item(w.db, item["id"])["decision"]
            assert (decision["verdict"], decision["note"]) == ("supported", "restated: p. 4")
            fields = {f["name"]: f["value"] for f in w.discord.messages[card["id"]]["embeds"][0]["fields"]}
            assert fields["Decision"].startswith("✅ **supported** by **mod**") and "(automatic: contradicted)" \
                in fields["Decision"] and "restated: p. 4" in fields["Decision"]
            await eventually(lambda: bool(w.edits_of(reply)))
            description = w.discord.messages[reply["id"]]["embeds"][0]["description"]
            assert re.search(r"✅ “43%” — BYD · net profit change · 2024\n  ↳ reviewed by mod "
                             r"\(automatic verdict: contradicted\): restated: p\. 4", description)
            assert "❌" not in description, "nothing is contradicted any more"
            # Remembered: the same claim checked again is reviewed, and not queued again.
            again = await w.factcheck(text=WRONG_PROFIT, user=w.discord.bob)
            assert "↳ reviewed by mod" in again["embeds"][0]["description"]
            assert len(list_items(w.db, status=None)) == 1 and len(w.cards()) == 1
    run(scenario())


def test_dismiss_records_unverified_with_a_note(tmp_path):
    async def scenario() -> None:
        async with factbot(tmp_path) as w:
            reply = await w.factcheck(text=WRONG_PROFIT)
            [card] = await w.wait_cards(1)
            [item] = list_items(w.db)
            sent = await w.discord.click(card, f"factbot:review:dismiss:{item['id']}", user=w.discord.bob,
                                         permissions=MOD_PERMS)  # Manage Messages is enough, without the role
            assert (await sent.callback()).json["type"] == 7
            decision = get_item(w.db, item["id"])["decision"]
            assert decision["verdict"] == "unverified" and decision["note"].startswith("dismissed")
            await eventually(lambda: bool(w.edits_of(reply)))
            assert "❔ “43%”" in w.discord.messages[reply["id"]]["embeds"][0]["description"]
    run(scenario())


def test_add_source_form_adds_a_reference_fact(tmp_path):
    async def scenario() -> None:
        async with factbot(tmp_path) as w:
            await w.factcheck(text=WRONG_PROFIT)
            [card] = await w.wait_cards(1)
            [item] = list_items(w.db)
            opened = await w.discord.click(card, f"factbot:review:source:{item['id']}", user=w.discord.moderator)
            form = await opened.callback()
            assert form.json["type"] == 9 and form.status == 200
            inputs = {c["component"]["custom_id"]: c["component"] for c in form.message["components"]}
            assert list(inputs) == ["value", "unit", "period", "source", "url"]
            assert (inputs["unit"].get("value"), inputs["period"].get("value")) == ("%", "2024"), "the claim's"
            bad = await w.discord.submit_form(form, {"value": "lots", "unit": "%", "source": "Somebody"},
                                              message=card, user=w.discord.moderator)
            refusal = ephemeral_text(await bad.callback())
            assert "cannot add this source" in refusal and "value: lots" in refusal
            good = await w.discord.submit_form(
                form, {"value": "34", "unit": "%", "period": "2024", "source": "BYD investor presentation",
                       "url": "https://www.byd.com/ir"}, message=card, user=w.discord.moderator)
            assert (await good.callback()).json["type"] == 7
            said = ephemeral_text(await good.followup())
            fact_id = int(re.search(r"reference fact #(\d+)", said).group(1))
            fact = get_fact(w.db, fact_id)
            assert (fact["source"], fact["value"], fact["unit"], fact["url"]) == \
                ("BYD investor presentation", 34, "%", "https://www.byd.com/ir")
            assert fact["added_by"] == f"mod (discord:{w.discord.moderator['id']})"
            assert any(f.id == fact_id for f in FactIndex(w.db).facts_for("BYD")), "the matcher sees it"
            fields = {f["name"]: f["value"] for f in w.discord.messages[card["id"]]["embeds"][0]["fields"]}
            assert "BYD investor presentation" in fields["Sources added"] and f"fact #{fact_id}" in \
                fields["Sources added"]
            assert get_item(w.db, item["id"])["status"] == "open", "adding a source decides nothing"
    run(scenario())


def test_two_moderators_at_once_one_decision_is_recorded(tmp_path):
    async def scenario() -> None:
        async with factbot(tmp_path) as w:
            reply = await w.factcheck(text=WRONG_PROFIT)
            [card] = await w.wait_cards(1)
            [item] = list_items(w.db)
            first = await w.discord.click(card, f"factbot:review:confirm:{item['id']}", user=w.discord.moderator)
            second = await w.discord.click(card, f"factbot:review:dismiss:{item['id']}", user=w.discord.bob,
                                           permissions=MOD_PERMS)
            answers = [await first.callback(), await second.callback()]
            assert [a.json["type"] for a in answers] == [7, 7], "both see the decided card"
            [decision] = [h for h in history(w.db, item["id"]) if h["action"] == "decide"]
            assert decision["after"]["verdict"] == "contradicted", "the first click won"
            told = ephemeral_text(await second.followup())
            assert told.startswith("Already decided: ❌ **contradicted** by mod") and "Nothing changed" in told
            assert not w.discord.find("POST", rf"/webhooks/\d+/{first.token}"), "the winner needs no message"
            await eventually(lambda: bool(w.edits_of(reply)))
            assert len(w.edits_of(reply)) == 1, "the reply is edited once, by the winner"
    run(scenario())


def test_after_a_restart_an_old_card_and_an_open_form_still_work(tmp_path):
    async def scenario() -> None:
        async with factbot(tmp_path, pages={"/byd": ARTICLE}) as w:
            reply = await w.factcheck(url=w.site.url("/byd"))
            first_card, second_card = await w.wait_cards(2)
            opened = await w.discord.click(second_card, ids(second_card)[1], user=w.discord.moderator)
            form = await opened.callback()  # the moderator is filling in this form when the bot restarts
            world = dict(w.discord.messages)
        async with factbot(tmp_path, messages=world) as w:
            first_id = int(ids(first_card)[0].rsplit(":", 1)[1])
            sent = await w.discord.click(first_card, ids(first_card)[0], user=w.discord.moderator)
            assert (await sent.callback()).json["type"] == 7
            assert get_item(w.db, first_id)["decision"]["verdict"] == "contradicted"
            submitted = await w.discord.submit_form(form, {"verdict": ["disputed"]}, message=second_card,
                                                    user=w.discord.moderator)
            assert (await submitted.callback()).json["type"] == 7
            second_id = int(ids(second_card)[0].rsplit(":", 1)[1])
            assert get_item(w.db, second_id)["decision"]["verdict"] == "disputed"
            await eventually(lambda: len(w.edits_of(reply)) == 2)
            description = w.discord.messages[reply["id"]]["embeds"][0]["description"]
            assert description.count("↳ reviewed by mod") == 2
    run(scenario())


# -- readers ---------------------------------------------------------------------------------------

def test_a_reader_disputes_a_verdict_with_a_reason(tmp_path):
    async def scenario() -> None:
        async with factbot(tmp_path) as w:
            reply = await w.factcheck(text=WRONG_PROFIT)
            await w.wait_cards(1)
            opened = await w.discord.click(reply, "factbot:dispute", user=w.discord.bob)
            form = await opened.callback()
            assert form.json["type"] == 9 and form.status == 200
            [select] = [c["component"] for c in form.message["components"] if c["component"]["type"] == 3]
            options = {o["label"]: o["value"] for o in select["options"]}
            assert list(options) == ["❌ “43%”", "✅ “40.3 billion yuan”"], "worst first, as in the reply"
            sent = await w.discord.submit_form(form, {"claim": [options["✅ “40.3 billion yuan”"]],
                                                      "reason": "The report says 40.25 billion, not 40.3"},
                                               message=reply, user=w.discord.bob)
            thanks = ephemeral_text(await sent.callback())
            rid = int(re.search(r"review #(\d+)", thanks).group(1))
            item = get_item(w.db, rid)
            assert item["reason"] == "reader_dispute" and item["claim"]["quote"] == "40.3 billion yuan"
            assert item["disputes"][0]["by"] == f"bob (discord:{w.discord.bob['id']})"
            assert item["posted"]["message_id"] == reply["id"]
            [_, card] = await w.wait_cards(2)
            readers = {f["name"]: f["value"] for f in card["embeds"][0]["fields"]}["Readers"]
            assert "**bob**: The report says 40.25 billion" in readers
            # Disputing the claim already waiting for review joins its item and updates its card.
            again = await w.discord.submit_form(form, {"claim": [options["❌ “43%”"]], "reason": "It's 34%!"},
                                                message=reply, user=w.discord.alice)
            assert "review #1" in ephemeral_text(await again.callback())
            first_card = w.card(1)
            await eventually(lambda: bool(w.edits_of(first_card)))
            assert "1 reader dispute" in str(w.discord.messages[first_card["id"]]["embeds"][0]["fields"])
            assert len(w.cards()) == 2
    run(scenario())


def test_disputing_a_reviewed_verdict_opens_a_new_round(tmp_path):
    async def scenario() -> None:
        async with factbot(tmp_path) as w:
            reply = await w.factcheck(text=WRONG_PROFIT)
            [card] = await w.wait_cards(1)
            opened = await w.discord.click(card, "factbot:review:override:1", user=w.discord.moderator)
            done = await w.discord.submit_form(await opened.callback(), {"verdict": ["supported"]}, message=card,
                                               user=w.discord.moderator)
            await done.callback()
            await eventually(lambda: bool(w.edits_of(reply)))
            opened = await w.discord.click(reply, "factbot:dispute", user=w.discord.alice)
            form = await opened.callback()
            [select] = [c["component"] for c in form.message["components"] if c["component"]["type"] == 3]
            labels = {o["label"]: o["value"] for o in select["options"]}
            assert "✅ “43%”" in labels, "the reader disputes the verdict they see: the reviewed one"
            sent = await w.discord.submit_form(form, {"claim": [labels["✅ “43%”"]], "reason": "It is 34%, see p. 2"},
                                               message=reply, user=w.discord.alice)
            assert "review #2" in ephemeral_text(await sent.callback())
            item = get_item(w.db, 2)
            assert item["claim"]["verdict"] == "supported" and item["claim"]["reviewed"] is True
            assert "reopens review #1" in item["why"]
            [_, new_card] = await w.wait_cards(2)
            assert button(new_card, "factbot:review:confirm")["label"] == "Confirm: supported"
    run(scenario())


def test_the_dispute_limit_refuses_politely_and_records_nothing(tmp_path):
    async def scenario() -> None:
        async with factbot(tmp_path, review={"dispute_limit": 1, "dispute_window_seconds": 3600}) as w:
            reply = await w.factcheck(text=WRONG_PROFIT)
            opened = await w.discord.click(reply, "factbot:dispute", user=w.discord.bob)
            form = await opened.callback()
            [select] = [c["component"] for c in form.message["components"] if c["component"]["type"] == 3]
            first = await w.discord.submit_form(form, {"claim": [select["options"][0]["value"]], "reason": "wrong!!"},
                                                message=reply, user=w.discord.bob)
            assert "Thanks" in ephemeral_text(await first.callback())
            second = await w.discord.submit_form(form, {"claim": [select["options"][1]["value"]],
                                                        "reason": "this one too"}, message=reply, user=w.discord.bob)
            refusal = ephemeral_text(await second.callback())
            assert "you have disputed 1 verdict in the last 1 hour" in refusal
            assert "You can dispute again in 1 hour" in refusal and "“this one too”" in refusal
            assert [h["action"] for h in history(w.db)].count("dispute") == 1
            other = await w.discord.submit_form(form, {"claim": [select["options"][1]["value"]],
                                                       "reason": "another reader"}, message=reply,
                                                user=w.discord.alice)
            assert "Thanks" in ephemeral_text(await other.callback()), "the limit is per reader"
    run(scenario())


def test_private_answers_stay_out_of_review(tmp_path):
    async def scenario() -> None:
        async with factbot(tmp_path) as w:
            sent = await w.discord.slash("factcheck", {"text": WRONG_PROFIT, "private": True})
            await sent.callback()
            followup = await sent.followup()
            await settle()
            assert followup.json["flags"] & EPHEMERAL and not followup.json.get("components")
            assert not list_items(w.db) and not w.cards()
    run(scenario())


def test_an_auto_scan_reply_is_queued_with_its_message_id(tmp_path):
    async def scenario() -> None:
        async with factbot(tmp_path, pages={"/byd": ARTICLE}, autoscan={"default_mode": "on"}) as w:
            message = w.discord.message(w.site.url("/byd"), author=w.discord.alice)
            waiter = w.bot.wait_for("autoscan_done", check=lambda m, _: m.id == int(message["id"]), timeout=10)
            await w.discord.deliver(message)
            assert (await waiter)[1] == "replied"
            [reply] = [m for m in w.discord.messages.values()
                       if str((m.get("message_reference") or {}).get("message_id")) == message["id"]]
            assert ids(reply) == ["factbot:dispute"]
            await w.wait_cards(2)
            assert {i["posted"]["message_id"] for i in list_items(w.db)} == {reply["id"]}
    run(scenario())


# -- /review -----------------------------------------------------------------------------------------

def test_review_queue_and_history_for_moderators_only(tmp_path):
    async def scenario() -> None:
        async with factbot(tmp_path, pages={"/byd": ARTICLE}) as w:
            await w.factcheck(url=w.site.url("/byd"))
            cards = await w.wait_cards(2)
            for sub in ("queue", "history"):
                refused = await w.discord.slash("review", subcommand=sub, user=w.discord.alice)
                assert "Only moderators" in ephemeral_text(await refused.callback())
            queue = await w.discord.slash("review", subcommand="queue", user=w.discord.moderator)
            answer = await queue.callback()
            assert answer.status == 200 and answer.message["flags"] & EPHEMERAL
            [embed] = answer.message["embeds"]
            assert embed["title"] == "Review queue: 2 open"
            lines = embed["description"].splitlines()
            assert lines[0].startswith("**#1** ❌ “43%” — BYD · net profit change · 2024 · contradicted · "
                                       "[card](")
            assert f"/{w.reviews}/{cards[0]['id']})" in lines[0] and "[reply](" in lines[0]
            decide = await w.discord.click(cards[0], ids(cards[0])[0], user=w.discord.moderator)
            await decide.callback()
            hist = await w.discord.slash("review", subcommand="history", user=w.discord.moderator)
            [embed] = (await hist.callback()).message["embeds"]
            assert re.search(r"<t:\d+:f> \*\*#1\*\* \*\*mod\*\* decided ❌ \*\*contradicted\*\* "
                             r"\(automatic: contradicted\)", embed["description"])
            one = await w.discord.slash("review", {"item": 2}, subcommand="history", user=w.discord.moderator)
            assert (await one.callback()).message["embeds"][0]["description"] == "Nothing recorded yet."
            missing = await w.discord.slash("review", {"item": 99}, subcommand="history", user=w.discord.moderator)
            assert "no review item #99" in ephemeral_text(await missing.callback())
            queue = await w.discord.slash("review", subcommand="queue", user=w.discord.moderator)
            assert (await queue.callback()).message["embeds"][0]["title"] == "Review queue: 1 open"
    run(scenario())


def test_review_card_shows_an_item_privately_and_deciding_there_updates_the_posted_card(tmp_path):
    async def scenario() -> None:
        async with factbot(tmp_path) as w:
            await w.factcheck(text=WRONG_PROFIT)
            [posted] = await w.wait_cards(1)
            sent = await w.discord.slash("review", {"item": 1}, subcommand="card", user=w.discord.moderator)
            answer = await sent.callback()
            assert answer.message["flags"] & EPHEMERAL and answer.message["embeds"][0]["title"].startswith("Review #1")
            private = w.discord.messages[answer.response["resource"]["message"]["id"]]
            click = await w.discord.click(private, "factbot:review:confirm:1", user=w.discord.moderator)
            assert (await click.callback()).json["type"] == 7
            await eventually(lambda: bool(w.edits_of(posted)))
            assert button(w.discord.messages[posted["id"]], "factbot:review:confirm")["disabled"] is True
    run(scenario())


def test_an_article_full_of_errors_gets_at_most_ten_cards(tmp_path):
    async def scenario() -> None:
        async with factbot(tmp_path, pages={"/many": many_claims_article(14)}) as w:
            await w.factcheck(url=w.site.url("/many"))
            await w.wait_cards(10)
            await settle()
            assert len(list_items(w.db)) == 14 and len(w.cards()) == 10, "the rest wait in /review queue"
    run(scenario())


def test_without_a_review_channel_items_are_queued_without_cards(tmp_path):
    async def scenario() -> None:
        async with factbot(tmp_path, discord={"review_channel_id": 0}) as w:
            await w.factcheck(text=WRONG_PROFIT)
            assert len(list_items(w.db)) == 1 and not w.discord.find("POST", r"/channels/\d+/messages")
    run(scenario())
