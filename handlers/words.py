"""Words that steer a form, the same in every flow, with or without diacritics and in chat
shorthand ("ko co", "thoi k gui nua"). Recognised only when they are the whole message, so
"1 mình tôi thôi" is still an answer."""

from __future__ import annotations

from knowledge.normalize import normalize

QUIT = frozenset(
    {
        "huy",
        "huy bo",
        "thoi",
        "thoat",
        "dung lai",
        "khong gui nua",
        "thoi khong gui nua",
        "khong dat nua",
        "thoi khong dat nua",
        "khong lam nua",
        "khong them nua",
        "thoi khong them nua",
    }
)
# "dung" alone is not here: without diacritics it is "đúng" (yes) as often as "dừng" (stop).
# At a read-back or a suggestion: yes, go ahead (typed instead of the button).
YES = frozenset(
    {
        "dong y",
        "dung",
        "dung roi",
        "dung vay",
        "ok",
        "oke",
        "okay",
        "co",
        "vang",
        "u",
        "uh",
        "yes",
        "gui",
        "gui di",
        "gui don",
        "dong y gui",
        "dong y gui don",
        "xac nhan",
        "dat lich",
        "dong y dat lich",
    }
)
BACK = frozenset({"quay lai", "tro lai", "lai", "back"})
# Outside a form: show the main menu.
MENU = frozenset(
    {"menu", "ve menu", "ve menu chinh", "menu chinh", "quay ve menu", "trang chu", "bat dau lai"}
)
# At a step that takes files: nothing (more) to send.
NO_MORE = frozenset(
    {"xong", "khong", "khong co", "het", "tiep tuc", "ok", "khong co anh", "khong co giay to"}
)


# At a step asking for a phone number: there is none.
NO_PHONE = frozenset(
    {
        "khong co",
        "khong",
        "khong co so dien thoai",
        "khong co so dt",
        "khong co dien thoai",
        "toi khong co so dien thoai",
        "toi khong co dien thoai",
    }
)


# At a step asking for a day: the person does not know or remember it.
DAY_UNKNOWN = frozenset(
    {
        "khong nho",
        "khong nho ro",
        "khong biet",
        "khong ro",
        "bo qua",
        "quen roi",
        "toi khong nho",
        "khong nho ngay",
    }
)


# Back to a form set aside.
RESUME = frozenset({"tiep tuc dien", "tiep tuc", "dien tiep", "dien tiep don", "tiep tuc dat lich"})
# After a suggestion to file a đơn: the person only wanted to ask.
JUST_ASKING = frozenset(
    {
        "khong toi chi hoi",
        "khong toi chi hoi thoi",
        "toi chi hoi thoi",
        "toi chi hoi",
        "chi hoi thoi",
        "khong chi hoi thoi",
        "khong phai toi chi hoi",
    }
)


def means(text: str, words: frozenset[str]) -> bool:
    # Every phrase here is short: a long message is never one, and is not normalised for it.
    return len(text) <= 40 and normalize(text) in words
