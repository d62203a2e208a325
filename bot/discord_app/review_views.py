"""The buttons and forms of moderator review: persistent and stateless.

Every button is a `DynamicItem` whose custom_id says what it acts on
(`factbot:review:confirm:12`), registered once in setup_hook
(`DYNAMIC_ITEMS`): a card posted last month still works after any number
of restarts, and no View is kept in memory per message.

Forms (modals) follow the same rule. Their custom_id carries the ids
(`factbot:review:source-form:12`) and a submit is routed by that id
(`handle_form`, called from the Review cog's `on_interaction`), not by a
Modal object held in memory, so a form a moderator was filling in while
the bot restarted still goes through, and a form closed without
submitting leaves nothing behind. The Modal object is only the form's
description: it is stopped right after it is shown.

Callbacks only route; the work is in `review_desk.ReviewDesk`, reached
through the bot (`interaction.client.review_desk`). Each callback answers
the user whatever happens: a refusal or mistake as a short private
message, a failure as the generic apology (details in the log).
"""
from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Sequence
from typing import TYPE_CHECKING, Any

import discord
from discord import ui

from bot.discord_app.embeds import MARKS
from bot.discord_app.replies import GENERIC_FAILURE, UserError, tell
from bot.discord_app.review_cards import form_values
from claims.model import VERDICTS

if TYPE_CHECKING:
    from bot.discord_app.review_desk import ReviewDesk

log = logging.getLogger(__name__)

OVERRIDE_FORM = re.compile(r"factbot:review:override-form:(?P<id>\d+)")
SOURCE_FORM = re.compile(r"factbot:review:source-form:(?P<id>\d+)")
DISPUTE_FORM = re.compile(r"factbot:dispute-form:(?P<message>\d+)")
VERDICT_HELP = {
    "supported": "A reference fact agrees with the figure",
    "contradicted": "The figure is wrong",
    "unverified": "Cannot be checked, or not a claim to rule on",
    "disputed": "Reliable sources disagree",
}


def desk_of(interaction: discord.Interaction) -> ReviewDesk:
    return interaction.client.review_desk  # type: ignore[attr-defined]


async def guarded(interaction: discord.Interaction, action: Awaitable[None], what: str) -> None:
    """Runs a button's or form's action so the user always hears back (and
    the bot finishes it before closing: ReviewDesk.drain)."""
    async with desk_of(interaction).busy():
        try:
            await action
        except UserError as exc:
            await _tell_quietly(interaction, str(exc))
        except Exception:
            log.exception("review: %s failed", what)
            await _tell_quietly(interaction, GENERIC_FAILURE)


async def _tell_quietly(interaction: discord.Interaction, text: str) -> None:
    try:
        await tell(interaction, text)
    except Exception:  # the answer to a failure must not fail in turn (closed session, expired token)
        log.warning("could not tell %s: %s", interaction.user, text, exc_info=True)


# -- the card's buttons -------------------------------------------------------------------

class ConfirmButton(ui.DynamicItem[ui.Button], template=r"factbot:review:confirm:(?P<id>\d+)"):
    """Records the engine's own verdict as the moderators' one."""

    def __init__(self, review_id: int, verdict: str = "", *, disabled: bool = False) -> None:
        self.review_id = review_id
        label = f"Confirm: {verdict}" if verdict else "Confirm"
        super().__init__(ui.Button(label=label, style=discord.ButtonStyle.success, disabled=disabled,
                                   custom_id=f"factbot:review:confirm:{review_id}"))

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: ui.Item[Any],
                             match: re.Match[str], /) -> ConfirmButton:
        return cls(int(match["id"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        await guarded(interaction, desk_of(interaction).confirm(interaction, self.review_id), "confirm")


class OverrideButton(ui.DynamicItem[ui.Button], template=r"factbot:review:override:(?P<id>\d+)"):
    """Opens the form to record another verdict (a select) with a note."""

    def __init__(self, review_id: int, *, disabled: bool = False) -> None:
        self.review_id = review_id
        super().__init__(ui.Button(label="Override…", style=discord.ButtonStyle.primary, disabled=disabled,
                                   custom_id=f"factbot:review:override:{review_id}"))

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: ui.Item[Any],
                             match: re.Match[str], /) -> OverrideButton:
        return cls(int(match["id"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        await guarded(interaction, desk_of(interaction).open_override(interaction, self.review_id), "override")


class AddSourceButton(ui.DynamicItem[ui.Button], template=r"factbot:review:source:(?P<id>\d+)"):
    """Opens the form for a source the moderator found; it becomes a reference fact."""

    def __init__(self, review_id: int) -> None:
        self.review_id = review_id
        super().__init__(ui.Button(label="Add source…", style=discord.ButtonStyle.secondary,
                                   custom_id=f"factbot:review:source:{review_id}"))

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: ui.Item[Any],
                             match: re.Match[str], /) -> AddSourceButton:
        return cls(int(match["id"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        await guarded(interaction, desk_of(interaction).open_source(interaction, self.review_id), "add source")


class DismissButton(ui.DynamicItem[ui.Button], template=r"factbot:review:dismiss:(?P<id>\d+)"):
    """Not a claim to rule on: recorded as `unverified` (see ReviewDesk.dismiss)."""

    def __init__(self, review_id: int, *, disabled: bool = False) -> None:
        self.review_id = review_id
        super().__init__(ui.Button(label="Dismiss", style=discord.ButtonStyle.danger, disabled=disabled,
                                   custom_id=f"factbot:review:dismiss:{review_id}"))

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: ui.Item[Any],
                             match: re.Match[str], /) -> DismissButton:
        return cls(int(match["id"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        await guarded(interaction, desk_of(interaction).dismiss(interaction, self.review_id), "dismiss")


def card_view(item: dict[str, Any]) -> ui.View:
    """The card's buttons. Once decided, the deciding buttons are disabled;
    Add source stays, since a source can still be added after a decision."""
    review_id, decided = int(item["id"]), item.get("status") == "decided"
    view = ui.View(timeout=None)
    view.add_item(ConfirmButton(review_id, str((item.get("claim") or {}).get("verdict") or ""), disabled=decided))
    view.add_item(OverrideButton(review_id, disabled=decided))
    view.add_item(AddSourceButton(review_id))
    view.add_item(DismissButton(review_id, disabled=decided))
    return view


# -- the readers' button ------------------------------------------------------------------

class DisputeButton(ui.DynamicItem[ui.Button], template=r"factbot:dispute"):
    """Under every public verdict reply: the message it is on says what is disputed."""

    def __init__(self) -> None:
        super().__init__(ui.Button(label="Dispute a verdict", emoji="🙋", style=discord.ButtonStyle.secondary,
                                   custom_id="factbot:dispute"))

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: ui.Item[Any],
                             match: re.Match[str], /) -> DisputeButton:
        return cls()

    async def callback(self, interaction: discord.Interaction) -> None:
        await guarded(interaction, desk_of(interaction).open_dispute(interaction), "dispute")


def dispute_view() -> ui.View:
    view = ui.View(timeout=None)
    view.add_item(DisputeButton())
    return view


DYNAMIC_ITEMS = (ConfirmButton, OverrideButton, AddSourceButton, DismissButton, DisputeButton)


# -- forms ----------------------------------------------------------------------------

def _text(custom_id: str, *, default: str | None = None, required: bool = True, max_length: int = 100,
          placeholder: str | None = None, long: bool = False, min_length: int | None = None) -> ui.TextInput[Any]:
    return ui.TextInput(custom_id=custom_id, default=default or None, required=required, max_length=max_length,
                        min_length=min_length, placeholder=placeholder,
                        style=discord.TextStyle.paragraph if long else discord.TextStyle.short)


def override_form(review_id: int, auto_verdict: str | None) -> ui.Modal:
    form = ui.Modal(title=f"Override review #{review_id}", custom_id=f"factbot:review:override-form:{review_id}")
    # All four, the automatic one included: choosing it confirms with a note.
    options = [discord.SelectOption(label=v, value=v, emoji=MARKS[v],
                                    description=VERDICT_HELP[v] + (" (automatic verdict)" if v == auto_verdict else ""))
               for v in VERDICTS]
    form.add_item(ui.Label(text="Verdict", description=f"The automatic verdict was {auto_verdict}.",
                           component=ui.Select(custom_id="verdict", options=options, placeholder="Choose the verdict")))
    form.add_item(ui.Label(text="Note for the audit log", description="Why, or where you checked (optional)",
                           component=_text("note", required=False, max_length=500, long=True)))
    return form


def source_form(review_id: int, claim: dict[str, Any]) -> ui.Modal:
    """Value, unit, period, source, link; unit and period start as the claim's.
    Entity and metric are the claim's (sources.review.add_source)."""
    form = ui.Modal(title=f"Add a source for review #{review_id}",
                    custom_id=f"factbot:review:source-form:{review_id}")
    form.add_item(ui.Label(text="Correct value", description="A plain number in base units: 34, 18513000000",
                           component=_text("value", max_length=40)))
    form.add_item(ui.Label(text="Unit", description="ISO currency code, %, pp, rank, or a plural noun",
                           component=_text("unit", default=str(claim.get("unit") or ""), max_length=40)))
    form.add_item(ui.Label(text="Period", description="e.g. 2024, 2024-Q4 (optional)",
                           component=_text("period", default=str(claim.get("period") or ""), required=False,
                                           max_length=40)))
    form.add_item(ui.Label(text="Source", description="Publisher and document",
                           component=_text("source", max_length=200)))
    form.add_item(ui.Label(text="Link", description="http(s) link to the source (optional)",
                           component=_text("url", required=False, max_length=500)))
    return form


def dispute_form(message_id: int, options: Sequence[tuple[str, str, str]]) -> ui.Modal:
    """The reason, and which verdict when the reply has more than one."""
    form = ui.Modal(title="Dispute a verdict", custom_id=f"factbot:dispute-form:{message_id}")
    if len(options) > 1:
        choices = [discord.SelectOption(value=value, label=label, description=description)
                   for value, label, description in options]
        form.add_item(ui.Label(text="Which verdict is wrong?", component=ui.Select(custom_id="claim", options=choices)))
    form.add_item(ui.Label(text="What is wrong with it?",
                           description="Moderators read this; a link to a better source helps most.",
                           component=_text("reason", long=True, min_length=5, max_length=1000)))
    return form


async def send_form(interaction: discord.Interaction, form: ui.Modal) -> None:
    """Shows `form`, then forgets it: the submit is routed by custom_id (see the module doc)."""
    await interaction.response.send_modal(form)
    form.stop()


async def handle_form(interaction: discord.Interaction) -> bool:
    """Routes a submitted review form to the desk; False when it is not one of ours."""
    data: dict[str, Any] = interaction.data or {}  # type: ignore[assignment]
    custom_id = str(data.get("custom_id") or "")
    values = form_values(data.get("components") or [])
    desk = desk_of(interaction)
    if m := OVERRIDE_FORM.fullmatch(custom_id):
        await guarded(interaction, desk.submit_override(interaction, int(m["id"]), values), "override form")
    elif m := SOURCE_FORM.fullmatch(custom_id):
        await guarded(interaction, desk.submit_source(interaction, int(m["id"]), values), "source form")
    elif m := DISPUTE_FORM.fullmatch(custom_id):
        await guarded(interaction, desk.submit_dispute(interaction, int(m["message"]), values), "dispute form")
    else:
        return False
    return True
