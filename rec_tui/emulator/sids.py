"""SIDs, dates and other small formats of the 2010-04-01 API."""

from __future__ import annotations

import hashlib
import re
import time
import uuid
from datetime import date, datetime, timezone

SID_RE = re.compile(r"^[A-Z]{2}[0-9a-fA-F]{32}$")
CURRENT = "Twilio.CURRENT"

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def is_sid(value: str, prefix: str) -> bool:
    return isinstance(value, str) and len(value) == 34 and value.startswith(prefix) and bool(SID_RE.match(value))


def hashed_sid(prefix: str, *parts: object) -> str:
    """A deterministic SID from any parts (credentials, derived resources)."""
    text = ":".join(str(p) for p in parts).encode()
    return prefix + hashlib.md5(text).hexdigest()


def random_sid(prefix: str, bits: int, uuid_form: bool = False) -> str:
    """``prefix`` + the 32 hex digits of 128 random ``bits``; with ``uuid_form``, digits of a random
    (version 4) UUID, which the SignalWire flavour serves as that UUID."""
    if uuid_form:
        bits = uuid.UUID(int=bits, version=4).int
    return f"{prefix}{bits:032x}"


def hashed_int(*parts: object) -> int:
    return int.from_bytes(hashlib.blake2b(":".join(str(p) for p in parts).encode(), digest_size=8).digest(), "big")


def rfc2822(ts: float | int | None) -> str | None:
    """``Fri, 14 Oct 2016 21:56:34 +0000`` for an epoch time (GMT)."""
    if ts is None:
        return None
    t = time.gmtime(int(ts))
    return (f"{_DAYS[t.tm_wday]}, {t.tm_mday:02d} {_MONTHS[t.tm_mon - 1]} {t.tm_year} "
            f"{t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d} +0000")


def day_start(d: date) -> int:
    return int(datetime(d.year, d.month, d.day, tzinfo=timezone.utc).timestamp())


def parse_date_param(value: str) -> tuple[int, bool]:
    """Parse a ``DateCreated`` value: ``YYYY-MM-DD`` (GMT), or an ISO 8601 date-time.

    Returns ``(epoch seconds, is_whole_day)``. Raises ValueError when malformed.
    """
    value = value.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return day_start(date.fromisoformat(value)), True
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?", value):
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
        if dt.tzinfo is None:
            dt = dt.replace(tzinfo=timezone.utc)
        return int(dt.timestamp()), False
    raise ValueError(value)


def format_phone(number: str) -> str:
    """``+13051416799`` -> ``(305) 141-6799`` (North American numbers)."""
    if len(number) == 12 and number.startswith("+1"):
        return f"({number[2:5]}) {number[5:8]}-{number[8:]}"
    return number
