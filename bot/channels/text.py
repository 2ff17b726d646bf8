"""Rendering shared by channels: long texts cut into pieces, buttons as a numbered list."""

from __future__ import annotations

import unicodedata

from handlers import texts
from handlers.contract import Reply


def split_text(text: str, limit: int) -> list[str]:
    """NFC pieces of at most ``limit`` characters, cut at paragraph, then line, then word ends.

    Measured after NFC because that is how Zalo counts: a decomposed "ệ" is three code points.
    """
    pieces: list[str] = []
    rest = unicodedata.normalize("NFC", text)
    while len(rest) > limit:
        window = rest[:limit]
        cut = max(window.rfind("\n\n"), 0) or max(window.rfind("\n"), 0) or window.rfind(" ")
        if cut <= 0:
            cut = limit
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    pieces.append(rest.strip())
    return [piece for piece in pieces if piece]


def with_numbers(reply: Reply) -> str:
    """A reply for a channel without buttons: its buttons as lines "Gõ 1 để: …"."""
    lines = [reply.text]
    for number, button in enumerate(reply.buttons, start=reply.first_number):
        lines.append(texts.CONSOLE_PICK.format(number=number, label=button.label))
    return "\n".join(lines)
