"""SID formats: Twilio's prefixed hex SIDs and SignalWire's UUIDs.

Everything that ends up in a URL path or a file name goes through here first, so a crafted
value such as ``../`` or a NUL byte never reaches either.
"""

from __future__ import annotations

import re

TWILIO_PREFIXES = {
    "account": "AC",
    "recording": "RE",
    "call": "CA",
    "conference": "CF",
    "transcription": "TR",
    "api_key": "SK",
    "add_on_result": "XR",
    "payload": "XH",
}

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_TWILIO = {kind: re.compile(prefix + r"[0-9a-fA-F]{32}") for kind, prefix in TWILIO_PREFIXES.items()}

#: The placeholder Twilio accepts instead of a recording SID on update: the call's only active recording.
CURRENT = "Twilio.CURRENT"


def is_sid(value: object, kind: str, *, allow_uuid: bool = True) -> bool:
    """True if ``value`` is a well-formed SID of ``kind`` (Twilio form, or a UUID for SignalWire)."""
    if not isinstance(value, str):
        return False
    if _TWILIO[kind].fullmatch(value):
        return True
    return allow_uuid and kind != "api_key" and bool(_UUID.fullmatch(value))


_SEGMENT = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


def check_path_segment(value: object) -> str:
    """``value`` if it is safe as one URL path segment (a SID, ``Twilio.CURRENT``, ``Recordings``);
    ``ValueError`` otherwise. The last guard before a URL: ``check_sid`` accepts a SID with
    surrounding whitespace (it strips what people paste), which must never reach a path as sent."""
    if not isinstance(value, str) or not _SEGMENT.fullmatch(value):
        raise ValueError(f"not a valid SID or path segment: {repr(value)[:60]}")
    return value


def is_uuid(value: object) -> bool:
    return isinstance(value, str) and bool(_UUID.fullmatch(value))


def describe(kind: str) -> str:
    """A human description of the expected format, for error messages beside form fields."""
    prefix = TWILIO_PREFIXES[kind]
    return f"{prefix} followed by 32 hex digits (34 characters), or a SignalWire UUID"


def check_sid(value: str, kind: str, *, allow_uuid: bool = True) -> str:
    """Return ``value`` stripped if it is a SID of ``kind``; raise ``ValueError`` otherwise."""
    cleaned = value.strip() if isinstance(value, str) else value
    if not is_sid(cleaned, kind, allow_uuid=allow_uuid):
        shown = repr(value)[:60]
        raise ValueError(f"not a {kind.replace('_', ' ')} SID: {shown} (expected {describe(kind)})")
    return cleaned


def short_sid(sid: str | None, keep: int = 6) -> str:
    """``RE1234…cdef``-style abbreviation for narrow table columns."""
    if not sid:
        return ""
    if len(sid) <= keep * 2 + 1:
        return sid
    return f"{sid[:keep]}…{sid[-4:]}"
