"""The console REPL (`dccs chat`): the same core, buttons shown as a numbered menu."""

from __future__ import annotations

import asyncio
import uuid

from bot.channels.text import with_numbers
from handlers import texts
from handlers.contract import Incoming, Reply, numbered
from handlers.conversation.assistant import Assistant

CHANNEL = "console"
EXIT_WORDS = frozenset({"thoat", "thoát", "exit", "quit"})


def render(replies: list[Reply]) -> str:
    """Replies as plain text; buttons numbered in the order the core remembers them."""
    return "\n".join(with_numbers(reply) for reply in numbered(replies))


async def run_console(assistant: Assistant, chat_id: str | None = None) -> None:
    chat_id = chat_id or f"console-{uuid.uuid4().hex[:8]}"
    print(texts.CONSOLE_BANNER)
    while True:
        try:
            line = await asyncio.to_thread(input, "> ")
        except EOFError:
            return
        if line.strip().lower() in EXIT_WORDS:
            return
        replies = await assistant.dispatch(
            Incoming(channel=CHANNEL, chat_id=chat_id, user_id=chat_id, text=line)
        )
        print(render(replies))
