"""Reading what a platform sent once it is authenticated (its JSON read by
``bot.guard.parse_json``): a body that is not the shape we know (a string where an object
belongs, "abc" for a latitude) is dropped with a log line, never a 500, so the platform does
not retry it forever."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")
# What a parser raises on a body of the wrong shape.
SHAPE_ERRORS = (TypeError, ValueError, AttributeError, KeyError, IndexError, RecursionError)


def parsed(channel: str, parse: Callable[..., T | None], *args: Any) -> T | None:
    """``parse(*args)``, or None with a log line when the update is not the shape it reads."""
    try:
        return parse(*args)
    except SHAPE_ERRORS as exc:
        log.warning(
            "%s: an update of an unknown shape was dropped (%s)", channel, type(exc).__name__
        )
        return None
