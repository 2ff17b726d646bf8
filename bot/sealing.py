"""Secrets kept in the database (Zalo OA's access and refresh tokens) sealed with a key from
the settings (DCCS_TOKEN_KEY), so a copy of the database or a backup alone does not hand out
the OA. Without a key they are stored as they are, as before; a sealed value is recognised by
its prefix, so setting a key later seals each value the next time it is written."""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken

PREFIX = "fernet:"


class SealingError(ValueError):
    """A sealed value with no key, or the wrong one, to open it."""


class Sealer:
    def __init__(self, key: str | None) -> None:
        # Any passphrase: Fernet's 32-byte key is derived from it.
        derived = base64.urlsafe_b64encode(hashlib.sha256(key.encode()).digest()) if key else None
        self._fernet = Fernet(derived) if derived else None

    def seal(self, value: str) -> str:
        if self._fernet is None:
            return value
        return PREFIX + self._fernet.encrypt(value.encode()).decode()

    def open(self, stored: str) -> str:
        if not stored.startswith(PREFIX):
            return stored
        if self._fernet is None:
            raise SealingError("the Zalo OA tokens are sealed: set DCCS_TOKEN_KEY")
        try:
            return self._fernet.decrypt(stored.removeprefix(PREFIX).encode()).decode()
        except InvalidToken:
            raise SealingError("DCCS_TOKEN_KEY does not open the stored Zalo OA tokens") from None
