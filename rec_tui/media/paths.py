"""Where media files live, and what they are called.

File names are built only from values checked here (strict SID formats, a date, a format and a
channel count) — never from text the server sent — so a crafted SID such as ``../x`` or one with
a NUL byte can never name a file outside the cache.

A file under its final name is always complete: downloads are written to a hidden temporary name
(``.<final>.part-<random>``) and renamed into place only after every check passed.
"""

from __future__ import annotations

import os
import re
import time
from datetime import date, datetime, timezone
from pathlib import Path

from .errors import InvalidSidError, MediaError

#: Environment variable that moves the whole media cache (tests, or a roomier disk).
CACHE_ENV = "REC_TUI_CACHE_DIR"

TWILIO_RECORDING_SID = re.compile(r"RE[0-9a-fA-F]{32}")
TWILIO_ACCOUNT_SID = re.compile(r"AC[0-9a-fA-F]{32}")
#: SignalWire uses lowercase UUIDs for both accounts (projects) and recordings.
SIGNALWIRE_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")

FORMATS = ("wav", "mp3")
PART_MARKER = ".part-"


def _check(value: object, pattern: re.Pattern[str], what: str, expected: str) -> str:
    # fullmatch (not match/search): "RE…\n" or "RE…/../x" must fail. No .strip() either: a SID
    # with stray whitespace is a caller bug, not something to fix silently in a file name.
    if isinstance(value, str) and (pattern.fullmatch(value) or SIGNALWIRE_UUID.fullmatch(value)):
        return value
    shown = repr(value)
    if len(shown) > 60:
        shown = shown[:57] + "..."
    raise InvalidSidError(f"not a valid {what}: {shown} (expected {expected}, or a SignalWire UUID)")


def check_recording_sid(sid: object) -> str:
    """Return ``sid`` if it is ``RE`` + 32 hex digits or a lowercase UUID; raise otherwise."""
    return _check(sid, TWILIO_RECORDING_SID, "recording SID", "RE followed by 32 hex digits")


def check_account_sid(sid: object) -> str:
    """Return ``sid`` if it is ``AC`` + 32 hex digits or a lowercase UUID; raise otherwise."""
    return _check(sid, TWILIO_ACCOUNT_SID, "account SID", "AC followed by 32 hex digits")


def check_format(fmt: object) -> str:
    if fmt not in FORMATS:
        raise MediaError(f"unsupported media format {fmt!r} (expected one of: {', '.join(FORMATS)})")
    return fmt  # type: ignore[return-value]


def check_channels(channels: object) -> int | None:
    if channels is not None and (type(channels) is not int or channels not in (1, 2)):
        raise MediaError(f"channels must be None, 1 or 2, not {channels!r}")
    return channels  # type: ignore[return-value]


def media_filename(
    recording_sid: str, day: date | datetime | None = None, fmt: str = "wav", channels: int | None = None
) -> str:
    """``RE…_2026-11-20.wav``; ``_ch1``/``_ch2`` when a channel count was requested.

    ``channels`` is the ``RequestedChannels`` of the download: 1 = mixed to mono, 2 = one leg per
    channel; None = the service's default (no suffix). A ``datetime`` is taken in UTC so the name
    does not depend on the machine's time zone.
    """
    sid = check_recording_sid(recording_sid)
    fmt = check_format(fmt)
    channels = check_channels(channels)
    parts = [sid]
    if day is not None:
        if isinstance(day, datetime):
            day = (day.astimezone(timezone.utc) if day.tzinfo else day).date()
        elif not isinstance(day, date):
            raise MediaError(f"not a date: {day!r}")
        parts.append(day.isoformat())
    if channels is not None:
        parts.append(f"ch{channels}")
    return "_".join(parts) + "." + fmt


def default_cache_root() -> Path:
    """``$REC_TUI_CACHE_DIR`` if set, else ``platformdirs.user_cache_dir("rec-tui")/media``."""
    override = os.environ.get(CACHE_ENV)
    if override:
        return Path(override).expanduser()
    import platformdirs  # imported here: only needed when no directory was given

    return Path(platformdirs.user_cache_dir("rec-tui")) / "media"


def is_partial(path: Path | str) -> bool:
    """True for the temporary names downloads use before they are complete."""
    name = os.path.basename(os.fspath(path))
    return name.startswith(".") and PART_MARKER in name


class MediaCache:
    """The per-account cache directory ``<root>/<account_sid>/``.

    ``root`` defaults to :func:`default_cache_root`. The directory is created on first use
    (``ensure``), with owner-only permissions since recordings are private.
    """

    def __init__(self, account_sid: str, root: Path | str | None = None) -> None:
        self.account_sid = check_account_sid(account_sid)
        self.root = Path(root) if root is not None else default_cache_root()
        self.directory = self.root / self.account_sid

    def __repr__(self) -> str:
        return f"MediaCache({str(self.directory)!r})"

    def ensure(self) -> Path:
        """Create the directory if needed and return it."""
        try:
            self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as exc:
            raise MediaError(f"cannot create the media cache {self.directory}: {exc.strerror or exc}") from exc
        return self.directory

    def path_for(
        self, recording_sid: str, day: date | datetime | None = None, fmt: str = "wav", channels: int | None = None
    ) -> Path:
        """Where this recording's media goes (whether or not it is there yet)."""
        return self.directory / media_filename(recording_sid, day, fmt, channels)

    def cached(
        self, recording_sid: str, day: date | datetime | None = None, fmt: str = "wav", channels: int | None = None
    ) -> Path | None:
        """The complete cached file, or None. Partial downloads never count."""
        path = self.path_for(recording_sid, day, fmt, channels)
        return path if path.is_file() else None

    def files(self) -> list[Path]:
        """Complete media files in the cache (for a "cached" column or a clean-up command)."""
        if not self.directory.is_dir():
            return []
        return sorted(p for p in self.directory.iterdir() if p.is_file() and not is_partial(p))

    def remove_stale_partials(self, older_than: float = 3600.0) -> int:
        """Delete temporary files left by a crashed process; returns how many were removed.

        Only files older than ``older_than`` seconds go, so a download running in another
        rec-tui process at the same time is not disturbed.
        """
        if not self.directory.is_dir():
            return 0
        removed = 0
        cutoff = time.time() - older_than
        for path in self.directory.iterdir():
            try:
                if is_partial(path) and path.is_file() and path.stat().st_mtime < cutoff:
                    path.unlink()
                    removed += 1
            except OSError:
                pass  # raced with another process, or not ours to delete: leave it
        return removed
