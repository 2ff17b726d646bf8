"""Vietnamese text normalisation for matching what citizens type against curated content.

Citizens type with and without diacritics, in chat shorthand ("ko", "dc", "ubnd"), in regional
spellings ("hông", "dzậy", "tui") and with typos. Everything that is compared is first folded
to the same plain form: NFC, lower case, regional spellings and domain synonyms read as the
standard word (``lexicon/words.yaml``), diacritics removed (đ -> d), punctuation dropped,
shorthand expanded. Questions and entries go through the same steps, so an entry written for
"thôn" answers a question about "ấp".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

LEXICON = Path(__file__).parent / "lexicon" / "words.yaml"

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


def _words_pattern(keys: list[str]) -> re.Pattern[str] | None:
    """One alternation of whole words or phrases, longest first so phrases win."""
    if not keys:
        return None
    ordered = sorted(keys, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, ordered)) + r")(?!\w)")


@dataclass(frozen=True)
class Lexicon:
    """``lexicon/words.yaml`` compiled. A line written with accents applies only to text typed
    with them ("hông" is "không", "hỏng" is not); a line without accents applies either way."""

    accented: dict[str, str]
    plain: dict[str, str]
    fillers: frozenset[str]
    accented_words: re.Pattern[str] | None
    plain_words: re.Pattern[str] | None
    filler_words: re.Pattern[str] | None

    @classmethod
    def load(cls, path: Path = LEXICON) -> Lexicon:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        accented: dict[str, str] = {}
        plain: dict[str, str] = {}
        plain_synonyms = {fold(str(k)) for k in (raw.get("synonyms") or {}) if str(k).isascii()}
        for section in ("spellings", "synonyms", "abbreviations"):
            for key, value in (raw.get(section) or {}).items():
                key = unicodedata.normalize("NFC", str(key)).lower().strip()
                value = unicodedata.normalize("NFC", str(value)).lower()
                if key.isascii():
                    plain[key] = fold(value)
                elif section == "synonyms" and fold(key) not in plain_synonyms:
                    # Typed without accents the word stays as it is ("phuong" may be "phương"),
                    # so an accented text keeps it beside the synonym and both spellings match.
                    accented[key] = f"{value} {key}"
                else:
                    accented[key] = value
        fillers = frozenset(fold(str(f)).strip() for f in raw.get("fillers") or ())
        return cls(
            accented,
            plain,
            fillers,
            _words_pattern(list(accented)),
            _words_pattern(list(plain)),
            _words_pattern(list(fillers)),
        )


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    return Lexicon.load()


def _respell(text: str) -> str:
    """Accented regional spellings and synonyms, before the accents are lost."""
    found = lexicon()
    if found.accented_words is None:
        return text
    return found.accented_words.sub(lambda m: found.accented[m.group(0)], text)


def tokens(text: str) -> list[str]:
    """Folded tokens with shorthand expanded: "ubnd xa ko tra loi" -> [uy, ban, ..., khong, ...]."""
    return list(_tokens(text))


# One message is read several times in a turn (intent, scope, search): fold it once.
@lru_cache(maxsize=4096)
def _tokens(text: str) -> tuple[str, ...]:
    lowered = unicodedata.normalize("NFC", text).lower()
    folded = fold(_respell(lowered)).replace("_", " ")
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
        out.append(raw)
    found = lexicon()
    if found.plain_words is None or not out:
        return tuple(out)
    joined = found.plain_words.sub(lambda m: found.plain[m.group(0)], " ".join(out))
    words = joined.split()
    # "... co bi lo ten hong": typed without any accent, a "hong" ending a question is the
    # southern "không" (anywhere else, or typed "hỏng", it is broken).
    if len(words) > 2 and words[-1] == "hong" and lowered.isascii():
        words[-1] = "khong"
    return tuple(words)


def plain(text: str) -> str:
    """Folded words as written, without the lexicon: for identifiers made from what an admin
    typed ("Giờ làm việc của ủy ban xã" -> "gio lam viec cua uy ban xa"), which matching's
    synonyms must not rename."""
    return " ".join(_PUNCT.sub(" ", fold(text).replace("_", " ")).split())


def without_fillers(words: list[str]) -> list[str]:
    """A question's words without the politeness around them ("cho em hỏi", "anh ơi", "ạ"),
    which say nothing about what is asked."""
    pattern = lexicon().filler_words
    if pattern is None:
        return words
    return pattern.sub(" ", " ".join(words)).split()


def normalize(text: str) -> str:
    """The folded, expanded form of a text as one space-separated string."""
    return " ".join(tokens(text))
