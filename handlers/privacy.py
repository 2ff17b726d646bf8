"""Masking personal data in text we keep or log: phone and ID numbers, e-mails, names, tokens."""

from __future__ import annotations

import re

_MASKS = (
    (re.compile(r"\b\d{6,12}:[A-Za-z0-9_-]{30,}\b"), "<token>"),
    # Bot APIs (Telegram, Zalo Bot) put the token in the URL path: /bot<token>/method.
    (re.compile(r"/bot[^/\s]+/"), "/bot<token>/"),
    (re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+"), "<email>"),
    (re.compile(r"(?<!\d)(?:\+?84|0)\d{9,10}(?!\d)"), "<phone>"),
    (re.compile(r"(?<!\d)\d{12}(?!\d)"), "<id-number>"),
    (re.compile(r"(?<!\d)\d{9}(?!\d)"), "<id-number>"),
)
# A phone or ID number written in groups: "0987 654 321", "0987.654.321", "+84 987-654-321",
# "(+84) 98 765 4321", "001 234 567 890". Only runs that start like a Vietnamese number (0, 84,
# +84) are taken, so dates ("2026-11-29 20") and sums of money ("100.000.000") are left alone.
_GROUPED = re.compile(r"(?<![\w+])(?:\(?\+\s?84\)?|84|0)(?:[ .\-\u00a0]?\d){8,11}(?![\w])")


def _grouped(found: re.Match[str]) -> str:
    text = found.group()
    digits = re.sub(r"\D", "", text)
    if digits.startswith("84") and not text.startswith("0"):
        return "<phone>" if len(digits) in (11, 12) else text
    if len(digits) in (10, 11):
        return "<phone>"
    if len(digits) in (9, 12):
        return "<id-number>"
    return text


_WORD = re.compile(r"\w+|\W+")


def redact(text: str) -> str:
    """Mask secrets and contact data (for logs)."""
    for pattern, replacement in _MASKS:
        text = pattern.sub(replacement, text)
    return _GROUPED.sub(_grouped, text)


def mask_personal(text: str) -> str:
    """Also mask what looks like a name (for questions kept for admins): two or more
    capitalised words in a row, as Vietnamese names are written ("Nguyễn Văn An")."""
    parts = _WORD.findall(redact(text))
    out: list[str] = []
    run: list[str] = []

    def flush() -> None:
        words = [p for p in run if p[0].isalpha()]
        out.append("<tên>" if len(words) >= 2 else "".join(run))
        run.clear()

    for part in parts:
        capital = part[0].isalpha() and part[0].isupper() and not part.isupper()
        if capital or (run and part.isspace()):
            run.append(part)
            continue
        if run:
            trailing = run.pop() if run[-1].isspace() else ""
            flush()
            out.append(trailing)
        out.append(part)
    if run:
        flush()
    return "".join(out)
