"""Forms as data: a form is its fields, each with the label the read-back shows, the question
that asks for it, and a reader that takes the answer out of what was typed (a phone number
inside a sentence, "1 mình tôi") or says in Vietnamese what is expected.

The engine here is the part every form shares: asking a step with "Quay lại" and "Huỷ", reading
a typed answer or a choice button, moving on (or back to the read-back after "Sửa một mục"),
one step back, the field picker and the read-back lines. What a form does before its first
field (a session to choose) and after its last (consent, files, saving) stays with its flow.
The answers live in ``ChatState.data`` under the field keys, so a restart loses nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from db.conversations import ChatState
from handlers import texts, words
from handlers.contract import Button, Reply
from handlers.spoken_dates import read_day
from knowledge.normalize import ascii_int, fold

# Set while one answer is being changed from the read-back: the next answer goes back to it.
EDITING = "editing"


@dataclass(frozen=True)
class Invalid:
    """A typed answer that is not what the step asks for; ``message`` says what is expected."""

    message: str


# A reader gets the typed text and today's date (a day cannot be after it).
Reader = Callable[[str, date], Any]


@dataclass(frozen=True)
class Choice:
    """A button answering a step: its label, its payload and the value it stores."""

    label: str
    payload: str
    value: str
    # How the read-back says it, when not by the button's label ("không nhớ rõ").
    shown: str | None = None


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    prompt: str
    read: Reader
    choices: tuple[Choice, ...] = ()
    # Channels that can (Telegram) add a button sharing the account's own number.
    ask_contact: bool = False
    # Later fields people often answer in the same message ("Lê Văn Cường, sđt 0903 111 222").
    also: tuple[str, ...] = ()


@dataclass(frozen=True)
class Form:
    """The fields a flow asks, by key; ``prefix`` names its back, quit and edit buttons."""

    prefix: str
    fields: Mapping[str, Field] = field(default_factory=dict)

    @property
    def back(self) -> str:
        return f"{self.prefix}back"

    @property
    def quit(self) -> str:
        return f"{self.prefix}quit"

    @property
    def edit(self) -> str:
        return f"{self.prefix}edit"

    @property
    def edit_prefix(self) -> str:
        return f"{self.prefix}edit:"

    def controls(self) -> tuple[Button, ...]:
        return (Button(texts.BACK_STEP, self.back), Button(texts.QUIT_FLOW, self.quit))

    def ask(
        self,
        state: ChatState,
        key: str,
        note: str = "",
        extra: Sequence[Button] = (),
        prompt: str | None = None,
    ) -> Reply:
        """Ask for ``key`` (the state now stands at it); ``extra`` buttons go before the
        choices, e.g. "Dùng thông tin lần trước", with the ``prompt`` that offers them."""
        state.step = key
        asked = self.fields[key]
        choices = tuple(Button(c.label, c.payload) for c in asked.choices)
        return Reply(
            note + (prompt or asked.prompt),
            (*extra, *choices, *self.controls()),
            ask_contact=asked.ask_contact,
        )

    def read(self, key: str, typed: str, today: date, contact: str | None = None) -> Any:
        """The answer to ``key`` in what was typed (or the ``contact`` a channel shared), or
        ``Invalid``."""
        asked = self.fields[key]
        if asked.ask_contact and contact:
            typed = contact
        if asked.choices:
            wanted = fold(typed).strip(" .!")
            for choice in asked.choices:
                if wanted in (fold(choice.label), choice.value.replace("_", " ")):
                    return choice.value
        return asked.read(typed, today)

    def read_also(self, key: str, typed: str, today: date) -> dict[str, Any]:
        """The later fields answered in the same message as ``key``."""
        found = {}
        for other in self.fields[key].also:
            value = self.fields[other].read(typed, today)
            if not isinstance(value, Invalid) and value != "":
                found[other] = value
        return found

    def retry(self, key: str, invalid: Invalid) -> Reply:
        """What is expected, with the step's own buttons: nothing typed before is lost."""
        choices = tuple(Button(c.label, c.payload) for c in self.fields[key].choices)
        return Reply(invalid.message, (*choices, *self.controls()))

    def chosen(self, state: ChatState, payload: str) -> str | None:
        """The value of a choice button of the step the state stands at, else None."""
        asked = self.fields.get(state.step or "")
        for choice in asked.choices if asked else ():
            if choice.payload == payload:
                return choice.value
        return None

    def store(
        self,
        state: ChatState,
        key: str,
        value: Any,
        steps: Sequence[str],
        also: Mapping[str, Any] | None = None,
    ) -> str | None:
        """Keep the answer (and the later ones given with it); the key to ask next, or None when
        the form's fields are done (or one answer was being changed: back to the read-back)."""
        state.data[key] = value
        if state.data.pop(EDITING, None) or key not in steps:
            return None
        given = {k: v for k, v in (also or {}).items() if k in steps}
        state.data.update(given)
        position = steps.index(key) + 1
        while position < len(steps) and steps[position] in given:
            position += 1
        return steps[position] if position < len(steps) else None

    def previous(self, state: ChatState, steps: Sequence[str]) -> str | None:
        """The step before the current one, or None at the first (the flow decides)."""
        state.data.pop(EDITING, None)
        step = state.step or ""
        if step not in steps or steps.index(step) == 0:
            return None
        return steps[steps.index(step) - 1]

    def pick_field(self, steps: Iterable[str]) -> Reply:
        """ "Sửa một mục": a button per field shown in the read-back."""
        buttons = tuple(
            Button(self.fields[key].label, f"{self.edit_prefix}{key}")
            for key in steps
            if key in self.fields
        )
        return Reply(texts.PICK_FIELD, (*buttons, *self.controls()))

    def change(self, state: ChatState, payload: str, steps: Sequence[str]) -> Reply | None:
        """A field picked to change from the read-back: ask it; the answer goes back there."""
        key = payload.removeprefix(self.edit_prefix)
        if not payload.startswith(self.edit_prefix) or key not in steps or key not in self.fields:
            return None
        state.data[EDITING] = True
        return self.ask(state, key)

    def lines(
        self, data: Mapping[str, object], keys: Iterable[str], withheld: Iterable[str] = ()
    ) -> list[str]:
        """The read-back: "Họ và tên: Lê Thị Hoa", a choice by its label, a withheld field
        (a denouncer's identity) as recorded but not repeated."""
        hidden = set(withheld)
        shown = []
        for key in keys:
            asked = self.fields[key]
            value = data.get(key, "")
            if key in hidden:
                value = texts.WITHHELD
            else:
                said = (c.shown or c.label for c in asked.choices if c.value == value)
                value = next(said, value)
            shown.append(f"{asked.label}: {value}")
        return shown


# Readers shared by the forms -------------------------------------------------------------

_PHONE_NOISE = re.compile(r"[\s.\-()]")
# A run that may be a phone number: a leading + or digit, then digits and separators.
_PHONE_IN_TEXT = re.compile(r"\+?\d[\d\s.\-()]{7,16}\d")
_MOBILE = re.compile(r"0[35789]\d{8}")
_LANDLINE = re.compile(r"02\d{9}")
_NAME = re.compile(r"[^\W\d_]+(?:\s+[^\W\d_]+)+")
# Words people put before the answer itself ("tên tôi là …", "địa chỉ: …"), folded.
_NAME_LEADS = (
    "toi ten la",
    "ten toi la",
    "em ten la",
    "ten em la",
    "e ten la",
    "minh ten la",
    "ten minh la",
    "chau ten la",
    "con ten la",
    "ho ten la",
    "ho va ten",
    "ho ten",
    "ten la",
    "toi ten",
    "em ten",
    "e ten",
    "toi la",
    "em la",
    "e la",
    "minh la",
    "chau la",
)
# Where a name typed with its phone number ends: a comma, "sđt", "số điện thoại", a digit.
_CONTACT = re.compile(
    r"[,;]|\b(?:sdt|sđt|số điện thoại|so dien thoai|số đt|so dt|điện thoại|dien thoai|đt|dt)\b"
    r"|\+?\d",
    re.IGNORECASE,
)
_ADDRESS_LEADS = ("dia chi cua toi la", "dia chi toi la", "dia chi la", "dia chi", "toi o", "nha o")
# How many people come: the first number typed ("2 người", "1 mình tôi thôi"), or alone.
_FIRST_NUMBER = re.compile(r"(?<!\d)(\d{1,3})(?!\d)")
_ALONE = frozenset({"mot minh", "minh toi", "mot minh toi", "chi minh toi", "mot nguoi", "mot"})


def normalize_phone(text: str) -> str | None:
    """A Vietnamese phone number as ten or eleven digits starting with 0, or None; also the
    number inside a sentence ("sdt cua toi la 091 234 5678")."""
    for candidate in _PHONE_IN_TEXT.findall(text):
        parts = candidate.split()
        # "số nhà 12 0912 345 678": the number may start after a space inside the run.
        for start in range(len(parts)):
            found = _phone(" ".join(parts[start:]))
            if found is not None:
                return found
    return None


def _phone(text: str) -> str | None:
    digits = _PHONE_NOISE.sub("", text.strip())
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) in (11, 12):
        digits = "0" + digits[2:]
    if _MOBILE.fullmatch(digits) or _LANDLINE.fullmatch(digits):
        return digits
    return None


def is_name(text: str) -> bool:
    """Two or more words of letters only ("Nguyễn Văn An"), as a person's name is written."""
    return bool(_NAME.fullmatch(text)) and len(text) <= 100


def people_count(text: str) -> int | None:
    """The number of people in an answer like "2", "2 người" or "1 mình tôi thôi"."""
    folded = fold(text)
    found = _FIRST_NUMBER.search(folded) if folded.isascii() else None
    if found is not None:
        return ascii_int(found.group(1))
    spoken = " ".join(folded.replace("thoi", " ").split())
    return 1 if spoken in _ALONE else None


def _without_lead(text: str, leads: tuple[str, ...]) -> str:
    """``text`` without the words before the answer ("tên tôi là Lê Hoa" → "Lê Hoa")."""
    kept = text.replace(":", " ").split()
    folded = [fold(word) for word in kept]
    for lead in leads:
        size = len(lead.split())
        if " ".join(folded[:size]) == lead:
            # The lead alone ("tên tôi là") is not yet an answer.
            return " ".join(kept[size:])
    return " ".join(text.split())


def read_name(typed: str, today: date) -> str | Invalid:
    name = _without_lead(_CONTACT.split(typed, maxsplit=1)[0], _NAME_LEADS).strip(" .,!")
    return name if is_name(name) else Invalid(texts.BAD_NAME)


def read_phone(typed: str, today: date) -> str | Invalid:
    return normalize_phone(typed) or Invalid(texts.BAD_PHONE)


def read_address(typed: str, today: date) -> str | Invalid:
    address = _without_lead(typed, _ADDRESS_LEADS)
    # "Tổ 5" is an address in a commune: short, but enough for the office.
    return address if 4 <= len(address) <= 300 else Invalid(texts.BAD_ADDRESS)


def phone_or_none(typed: str, today: date) -> str | Invalid:
    """A phone number, or "" from someone who has none (an elderly citizen at the desk)."""
    if words.means(typed, words.NO_PHONE):
        return ""
    return read_phone(typed, today)


def read_people(typed: str, today: date) -> int | Invalid:
    count = people_count(typed)
    return count if count is not None and 1 <= count <= 200 else Invalid(texts.BAD_GROUP)


def text_between(shortest: int, longest: int, message: str) -> Reader:
    """Free text of a length the office can use; spaces are tidied, lines kept."""

    def read(typed: str, today: date) -> str | Invalid:
        value = "\n".join(" ".join(line.split()) for line in typed.strip().splitlines())
        value = "\n".join(line for line in value.splitlines() if line)
        return value if shortest <= len(value) <= longest else Invalid(message)

    return read


def day_or_unknown(unknown: str, bad: str) -> Reader:
    """A day not after today, as DD/MM/YYYY, or ``unknown`` when the person does not remember."""

    def read(typed: str, today: date) -> str | Invalid:
        if words.means(typed, words.DAY_UNKNOWN):
            return unknown
        day = read_day(typed, today)
        return f"{day:%d/%m/%Y}" if day is not None else Invalid(bad)

    return read
