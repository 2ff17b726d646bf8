"""Demo data for `dccs serve --demo`, so a newcomer can try every flow at once.

Today the demo is a named commune with the curated knowledge base; the reception, petition and
reminder issues add its reception schedule, sample đơn and deadlines here.
"""

from __future__ import annotations

from bot.settings import Settings

DEMO_UNIT_NAME = "UBND xã Minh Hòa (dữ liệu mẫu)"


def demo_settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"unit_name": settings.unit_name or DEMO_UNIT_NAME})
