"""The conversation shown back: a reloaded web page restores its recent messages from what the
inbox kept of each turn (what the person said, what was answered) and the pushes shown."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from db import inbox
from db.conversations import ChatState
from db.models import InboxItem, WebPush
from handlers import texts
from handlers.contract import Incoming
from handlers.petitions import filing as petitions
from handlers.reception import booking

LIMIT = 50
SECRET = "secret"
MAX_SAID = 4000
# Sent by the page itself for the greeting, never typed: not shown as the person's message.
GREETING_COMMAND = "/start"


def secret(state: ChatState) -> bool:
    """The conversation is about a tố cáo: suggested, being filed, or a reception booked for
    one. Read before and after a turn; either makes the whole turn secret."""
    suggested = petitions.suggesting(state) and state.data.get(petitions.SUGGESTED) == "to_cao"
    return suggested or petitions.files_denunciation(state) or booking.files_denunciation(state)


async def keep_secret(
    session: AsyncSession, incoming: Incoming, was_secret: bool, state: ChatState
) -> dict[str, Any] | None:
    """What is kept of this turn; when the conversation has just become about a tố cáo (a form
    switched to it, a read-back edited to it), the turns before are hidden too: the name, phone
    and the accused typed while it was still a phản ánh identify the denouncer as well."""
    hidden = was_secret or secret(state)
    if incoming.transcript and hidden and not was_secret:
        await inbox.hide_chat(session, incoming.channel, incoming.chat_id, {SECRET: True})
    return said(incoming, hidden)


def said(incoming: Incoming, hidden: bool) -> dict[str, Any] | None:
    """What is kept of the person's message: nothing on channels that do not show the
    conversation back, a mark for a secret turn (a shared computer must not show the next
    person who denounced whom: neither what they typed nor what was answered)."""
    if not incoming.transcript or (incoming.text or "").strip() == GREETING_COMMAND:
        # The page's own greeting request: its answer is shown, it never was typed.
        return None
    if hidden:
        return {SECRET: True}
    if incoming.button is not None:
        return {"button": incoming.button[:200]}
    if incoming.attachments and not (incoming.text or "").strip():
        return {"text": texts.HISTORY_FILES.format(count=len(incoming.attachments))}
    return {"text": (incoming.text or "")[:MAX_SAID]}


def _assistant(reply: dict[str, Any]) -> dict[str, Any]:
    return {
        "from": "assistant",
        "text": str(reply.get("text", "")),
        "buttons": list(reply.get("buttons") or []),
        "attachments": list(reply.get("attachments") or []),
        "takes_files": bool(reply.get("takes_files", False)),
    }


def messages(turns: Sequence[InboxItem], pushes: Sequence[WebPush]) -> list[dict[str, Any]]:
    """The last ``LIMIT`` messages, in the order they were shown. A pressed button is shown by
    the label it had when it was offered."""
    events: list[tuple[datetime, int, InboxItem | WebPush]] = [
        (item.processed_at or item.created_at, item.id or 0, item) for item in turns
    ]
    events += [(push.created_at, push.id or 0, push) for push in pushes]
    events.sort(key=lambda event: (event[0], isinstance(event[2], WebPush), event[1]))
    labels: dict[str, str] = {}
    lines: list[dict[str, Any]] = []
    for _, _, event in events:
        if isinstance(event, WebPush):
            answered = [event.reply]
        elif event.said and event.said.get(SECRET):
            lines.append({"from": "user", "text": texts.HISTORY_HIDDEN, "buttons": []})
            lines.append(_assistant({"text": texts.HISTORY_HIDDEN_REPLY}))
            continue
        else:
            line = _person(event.said, labels)
            if line is not None:
                lines.append(line)
            answered = list(event.replies)
        for reply in answered:
            lines.append(_assistant(reply))
            labels.update({b["payload"]: b["label"] for b in reply.get("buttons") or ()})
    return lines[-LIMIT:]


def _person(said_: dict[str, Any] | None, labels: dict[str, str]) -> dict[str, Any] | None:
    if not said_:
        return None
    if "button" in said_:
        label = labels.get(str(said_["button"]))
        return {"from": "user", "text": label, "buttons": []} if label else None
    text = str(said_.get("text", ""))
    if not text.strip() or text.strip() == GREETING_COMMAND:
        return None
    return {"from": "user", "text": text, "buttons": []}
