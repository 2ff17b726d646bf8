"""Vietnamese text normalisation for matching what citizens type against curated content.

Citizens type with and without diacritics, in chat shorthand ("ko", "dc", "ubnd") and with
typos. Everything that is compared is first folded to the same plain form: NFC, lower case,
diacritics removed (đ -> d), punctuation dropped, shorthand expanded.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Chat shorthand and abbreviations, keyed by their folded form. Values are folded too.
# Only unambiguous expansions: "kn" could be khiếu nại or kiến nghị, so it stays as typed.
ABBREVIATIONS: dict[str, str] = {
    "ko": "khong",
    "k": "khong",
    "kg": "khong",
    "kh": "khong",
    "hok": "khong",
    "khg": "khong",
    "khum": "khong",
    "dc": "duoc",
    "dk": "dang ky",
    "dki": "dang ky",
    "ntn": "nhu the nao",
    "j": "gi",
    "ji": "gi",
    "bn": "bao nhieu",
    "bnhieu": "bao nhieu",
    "bh": "bao gio",
    "bjo": "bao gio",
    "mk": "minh",
    "mik": "minh",
    "ng": "nguoi",
    "ngta": "nguoi ta",
    "vs": "voi",
    "cx": "cung",
    "ubnd": "uy ban nhan dan",
    "hdnd": "hoi dong nhan dan",
    "ubmttq": "uy ban mat tran to quoc",
    "mttq": "mat tran to quoc",
    "cccd": "can cuoc cong dan",
    "cmnd": "chung minh nhan dan",
    "cmt": "chung minh nhan dan",
    "tdp": "to dan pho",
    "tcd": "tiep cong dan",
    "bttnd": "ban thanh tra nhan dan",
    "ttnd": "thanh tra nhan dan",
    "gsdtcd": "giam sat dau tu cua cong dong",
    "bgsdtcd": "ban giam sat dau tu cua cong dong",
    "qcdc": "quy che dan chu",
    "dccs": "dan chu co so",
    "thdccs": "thuc hien dan chu o co so",
    "qd": "quyet dinh",
    "sdt": "so dien thoai",
    "vn": "viet nam",
    "cbcc": "can bo cong chuc",
    "cbccvc": "can bo cong chuc vien chuc",
    "nld": "nguoi lao dong",
    "dnnn": "doanh nghiep nha nuoc",
    "tthc": "thu tuc hanh chinh",
    "cq": "co quan",
    "ctx": "chu tich xa",
    "tks": "cam on",
    "thanks": "cam on",
    "thank": "cam on",
    "hnay": "hom nay",
    "nta": "nguoi ta",
}

_PUNCT = re.compile(r"[^\w\s]", re.UNICODE)
_UNDERSCORE = re.compile(r"_+")
_SPACE = re.compile(r"\s+")
# "Nghị định 61/2023" keeps its number together so it can be matched as one token.
_NUMBER_SLASH = re.compile(r"(?<=\d)\s*/\s*(?=\w)")


def fold(text: str) -> str:
    """Lower-case and strip Vietnamese diacritics: "Đơn khiếu nại" -> "don khieu nai"."""
    text = unicodedata.normalize("NFC", text).lower().replace("đ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return unicodedata.normalize("NFC", stripped)


# Database ids are 32-bit on PostgreSQL (serial); a longer number is not one of ours.
MAX_ID = 2**31 - 1


def ascii_int(text: str, maximum: int = MAX_ID) -> int | None:
    """The number ``text`` spells in ASCII digits, or None. ``str.isdigit`` accepts "²" and
    "①", which ``int`` then refuses, and ``int`` itself takes "١٢", " 5" and "1_0"; none of
    those, nor a value past ``maximum`` (a 20-digit id overflows the database), is a number
    a citizen or a button of ours means."""
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(maximum)):
        return None
    value = int(text)
    return value if value <= maximum else None


def clean(text: str) -> str:
    """Drop control characters and collapse whitespace; keep diacritics (for display/storage)."""
    text = unicodedata.normalize("NFC", text)
    kept = "".join(ch if unicodedata.category(ch)[0] != "C" or ch in "\n\t" else " " for ch in text)
    return _SPACE.sub(" ", kept).strip()


@lru_cache(maxsize=4096)
def _expand(token: str) -> tuple[str, ...]:
    expansion = ABBREVIATIONS.get(token)
    if expansion is None:
        return (token,)
    return tuple(expansion.split())


def tokens(text: str) -> list[str]:
    """Folded tokens with shorthand expanded: "ubnd xa ko tra loi" -> [uy, ban, ..., khong, ...]."""
    folded = fold(text).replace("_", " ")
    folded = _NUMBER_SLASH.sub("_", folded)
    # Keep "10_2022" joined through punctuation removal, then give the slash back for display.
    folded = _PUNCT.sub(" ", folded)
    out: list[str] = []
    for raw in folded.split():
        raw = _UNDERSCORE.sub("/", raw).strip("/")
        if not raw:
            continue
        # Leading zeros do not matter in dates and counts: "05 ngày" == "5 ngày",
        # "01/7/2023" == "1/7/2023".
        raw = "/".join(
            (part.lstrip("0") or "0") if part.isdigit() else part for part in raw.split("/")
        )
        out.extend(_expand(raw))
    return out


def normalize(text: str) -> str:
    """The folded, expanded form of a text as one space-separated string."""
    return " ".join(tokens(text))
