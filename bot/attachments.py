"""Files citizens send with a đơn: fetched after the đơn is filed, checked, stored under the data
folder; photos lose their EXIF data (it can hold the place a photo was taken).

A filing keeps only references ("telegram:<file id>", or the URL Zalo gives). The clock's job
fetches each one through the channel it came from, with a size limit and a type allowlist
decided by the file's first bytes, not its name; a rejected file is reported to the citizen.
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx

from db.engine import SessionFactory
from db.models import Petition
from handlers.clock import Clock
from handlers.petitions import files as petition_files

log = logging.getLogger(__name__)

MAX_BYTES = 10 * 1024 * 1024
Fetch = Callable[[str, int], Awaitable[bytes]]


class FileTooBig(Exception):
    """The file is over the limit."""


def sniff(data: bytes) -> str | None:
    """The file's type from its first bytes: jpg, png or pdf; None for anything else."""
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"%PDF-"):
        return "pdf"
    return None


def strip_exif(jpeg: bytes) -> bytes:
    """A JPEG without its APP1 segments (EXIF, XMP: camera, time, GPS position)."""
    out = bytearray(jpeg[:2])
    position = 2
    while position + 4 <= len(jpeg) and jpeg[position] == 0xFF:
        marker = jpeg[position + 1]
        if marker == 0xDA:  # start of scan: the image data follows, copy the rest
            break
        length = int.from_bytes(jpeg[position + 2 : position + 4], "big")
        segment = jpeg[position : position + 2 + length]
        if marker != 0xE1:
            out += segment
        position += 2 + length
    out += jpeg[position:]
    return bytes(out)


class HttpFiles:
    """Files behind an https URL (Zalo gives image and file URLs), read up to the limit."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self._http = http

    async def fetch(self, url: str, limit: int) -> bytes:
        async with self._http.stream("GET", url) as response:
            response.raise_for_status()
            chunks = bytearray()
            async for chunk in response.aiter_bytes():
                chunks += chunk
                if len(chunks) > limit:
                    raise FileTooBig(len(chunks))
        return bytes(chunks)


WEB_REF = "web:"
_UPLOAD_NAME = re.compile(r"[0-9a-f]{32}\.(?:jpg|png|pdf)")


class WebUploads:
    """Files the web page uploaded at a đơn's files step, kept until the đơn's files are
    fetched like any channel's; uploads nobody filed are dropped after the same look-back."""

    def __init__(self, folder: Path, clock: Clock) -> None:
        self._folder = folder
        self._clock = clock

    def save(self, data: bytes, kind: str, key: str | None = None) -> str:
        """Store a checked file (type sniffed, EXIF already gone); its reference for the đơn.
        The same ``key`` (a retried upload) names the same file."""
        self._folder.mkdir(parents=True, exist_ok=True)
        stem = hashlib.sha256(key.encode()).hexdigest()[:32] if key else secrets.token_hex(16)
        name = f"{stem}.{kind}"
        (self._folder / name).write_bytes(data)
        return WEB_REF + name

    async def fetch(self, ref: str, limit: int) -> bytes:
        name = ref.removeprefix(WEB_REF)
        # A reference is only ever one we made, but it travels through the conversation state.
        if not _UPLOAD_NAME.fullmatch(name):
            raise OSError("not an upload of ours")
        path = self._folder / name
        if path.stat().st_size > limit:
            raise FileTooBig(path.stat().st_size)
        return path.read_bytes()

    async def purge(self) -> int:
        if not self._folder.is_dir():
            return 0
        cutoff = (self._clock.now() - petition_files.LOOK_BACK).timestamp()
        old = [p for p in self._folder.iterdir() if p.stat().st_mtime < cutoff]
        for path in old:
            path.unlink(missing_ok=True)
        return len(old)


def checked(data: bytes) -> tuple[bytes, str] | None:
    """A file as it may be kept: its type from its bytes (None if not allowed), EXIF gone."""
    kind = sniff(data)
    if kind is None:
        return None
    return (strip_exif(data) if kind == "jpg" else data), kind


class AttachmentStore:
    def __init__(
        self,
        sessions: SessionFactory,
        clock: Clock,
        folder: Path,
        fetchers: dict[str, Fetch],
        limit: int = MAX_BYTES,
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._folder = folder
        self._fetchers = fetchers
        self._limit = limit

    def _fetcher(self, ref: str) -> Fetch | None:
        for prefix, fetch in self._fetchers.items():
            if ref.startswith(prefix):
                return fetch
        return None

    async def run(self) -> int:
        """Fetch what recent đơn are waiting for; returns how many files were stored."""
        async with self._sessions() as session:
            waiting = await petition_files.waiting(session, self._clock.now())
        stored = 0
        for petition in waiting:
            stored += await self._fetch_all(petition)
        return stored

    async def _fetch_all(self, petition: Petition) -> int:
        kept: list[dict[str, object]] = list(petition.details.get("stored", []))
        problems: list[tuple[int, str]] = []
        for number, ref in enumerate(petition.details.get("files", []), start=1):
            fetch = self._fetcher(str(ref))
            try:
                if fetch is None:
                    raise OSError("no channel for this file")
                data = await fetch(str(ref), self._limit)
            except FileTooBig:
                problems.append((number, petition_files.TOO_BIG))
                continue
            except (OSError, httpx.HTTPError, ValueError) as exc:
                log.warning(
                    "attachment %d of %s not fetched: %s", number, petition.code, type(exc).__name__
                )
                problems.append((number, petition_files.UNREACHABLE))
                continue
            kept_file = checked(data)
            if kept_file is None:
                problems.append((number, petition_files.WRONG_TYPE))
                continue
            data, kind = kept_file
            folder = self._folder / "petitions" / petition.code
            folder.mkdir(parents=True, exist_ok=True)
            name = f"{number}.{kind}"
            (folder / name).write_bytes(data)
            kept.append({"name": name, "size": len(data), "type": kind})
        assert petition.id is not None
        async with self._sessions() as session, session.begin():
            recorded = await petition_files.record(
                session, petition.id, kept, problems, self._clock.now()
            )
        return len(kept) if recorded else 0
