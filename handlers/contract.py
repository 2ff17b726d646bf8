"""The core contract every channel speaks: an incoming message in, replies out."""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any, Protocol


@dataclass(frozen=True)
class Button:
    label: str
    payload: str


@dataclass(frozen=True)
class Reply:
    """What the assistant says: plain Vietnamese text and optional buttons."""

    text: str
    buttons: tuple[Button, ...] = ()
    attachments: tuple[str, ...] = ()
    # On text-only channels buttons become a numbered list; a turn's numbers run on across its
    # replies, because a typed number is looked up among all the buttons the turn offered.
    first_number: int = 1
    # The reply asks for a phone number: channels that can share the account's own number
    # (Telegram's contact button) offer it; the others ignore this.
    ask_contact: bool = False
    # The id of the message whose button led here: channels that can edit a sent message show
    # this reply in its place (a menu that opens a sub-menu), the others send it as usual.
    replaces: str | None = None
    # The reply asks for photos or documents: channels with a file picker (the web page) show
    # one; on the others the person sends files the usual way.
    takes_files: bool = False
    # The reply carries a secret link (a desk login): channels that preview links must not
    # fetch it (Telegram's link preview would open it from Telegram's servers).
    no_preview: bool = False

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "text": self.text,
            "buttons": [{"label": b.label, "payload": b.payload} for b in self.buttons],
        }
        if self.first_number != 1:
            data["first_number"] = self.first_number
        if self.ask_contact:
            data["ask_contact"] = True
        if self.attachments:
            data["attachments"] = list(self.attachments)
        if self.replaces:
            data["replaces"] = self.replaces
        if self.takes_files:
            data["takes_files"] = True
        if self.no_preview:
            data["no_preview"] = True
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Reply:
        buttons = tuple(Button(b["label"], b["payload"]) for b in data.get("buttons", ()))
        return cls(
            text=data["text"],
            buttons=buttons,
            first_number=int(data.get("first_number", 1)),
            ask_contact=bool(data.get("ask_contact", False)),
            attachments=tuple(data.get("attachments", ())),
            replaces=data.get("replaces"),
            takes_files=bool(data.get("takes_files", False)),
            no_preview=bool(data.get("no_preview", False)),
        )


def numbered(replies: list[Reply]) -> list[Reply]:
    """The replies of one turn with their buttons' running numbers set."""
    result = []
    number = 1
    for reply in replies:
        result.append(replace(reply, first_number=number))
        number += len(reply.buttons)
    return result


# A lone surrogate cannot be encoded (UnicodeEncodeError in the database driver) and NUL is
# refused by PostgreSQL's text and JSON types: both become U+FFFD before anything is stored.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
_TEXT_FIELDS = (
    "chat_id",
    "user_id",
    "text",
    "button",
    "display_name",
    "update_id",
    "contact_phone",
    "pressed_message",
    "origin",
)


def storable(text: str) -> str:
    return _UNSTORABLE.sub("\ufffd", text)


@dataclass(frozen=True)
class Incoming:
    """One message or button press from a person on some channel.

    ``update_id`` is the channel's own id for the update (Telegram update_id, Zalo msg_id, the
    web client's message id); the same id twice means a redelivery.
    """

    channel: str
    chat_id: str
    user_id: str
    text: str | None = None
    button: str | None = None
    display_name: str | None = None
    update_id: str | None = None
    locale: str = "vi"
    contact_phone: str | None = None
    attachments: tuple[str, ...] = field(default=())
    # Group chats are not private: codes and staff commands are refused there.
    private: bool = True
    # For a button press: the channel's id of the message that carried the button.
    pressed_message: str | None = None
    # Where the channel knows the client's network address (the web): a digest of it, to
    # slow down floods of guesses from one place.
    origin: str | None = None
    # The channel shows the conversation back (the web page restores it on reload): what the
    # person said is kept with the replies, masked while a tố cáo is being filed.
    transcript: bool = False

    def __post_init__(self) -> None:
        # Whatever a channel parsed, nothing that cannot be stored gets past the contract.
        for name in _TEXT_FIELDS:
            value = getattr(self, name)
            if isinstance(value, str) and _UNSTORABLE.search(value):
                object.__setattr__(self, name, storable(value))
        if any(_UNSTORABLE.search(item) for item in self.attachments):
            object.__setattr__(self, "attachments", tuple(map(storable, self.attachments)))

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["attachments"] = list(self.attachments)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Incoming:
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        values["attachments"] = tuple(values.get("attachments", ()))
        return cls(**values)


def compact_payload(payload: str, position: int) -> str:
    """A short stand-in for a long payload on channels that limit button data (Telegram: 64
    bytes): its place among the offered buttons plus a digest, so a press on an old message
    whose button list has changed is recognised as stale instead of pressing another button."""
    digest = hashlib.sha256(payload.encode()).hexdigest()[:6]
    return f"#{position}:{digest}"


def expand_payload(compact: str, offered: list[str]) -> str | None:
    """The offered payload a compact one stands for, or None if it does not match."""
    try:
        position_text, digest = compact.removeprefix("#").split(":", 1)
        position = int(position_text)
    except ValueError:
        return None
    if not 1 <= position <= len(offered):
        return None
    payload = offered[position - 1]
    return payload if compact_payload(payload, position) == f"#{position}:{digest}" else None


class Notifier(Protocol):
    """Outbound pushes (status updates, reminders) to a chat on its own channel."""

    async def notify(self, channel: str, chat_id: str, reply: Reply) -> None: ...
