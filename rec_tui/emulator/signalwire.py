"""The emulator's SignalWire flavour: SignalWire's Twilio-compatible API (its "LaML" REST API).

The store, the state machine and the routes stay Twilio's; this module is the boundary that makes
them SignalWire's, as its reference describes a recording
(``shared/reference/docs/002_55a805cef688da7f.txt``):

- the base path is ``/api/laml/2010-04-01``; the account is a Project ID (a UUID) and the password
  an API token (no API keys);
- every SID is a UUID. Resources are created with the bits of a random (version 4) UUID, and a
  SID ``RE`` + 32 hex digits is served as the UUID of those digits; a UUID in a request is read
  back by the collection it stands under (``…/Recordings/{uuid}`` is a recording). A Twilio-form
  SID in a request is Not Found, as it would be at SignalWire;
- a recording's status is one of ``in-progress``, ``paused``, ``stopped``: ``stopped`` is any
  finished recording (a failed one carries ``error_code``), and its media can be fetched at once.
  A deleted recording is gone (SignalWire has no ``IncludeSoftDeleted``);
- its source names (``OutBoundApi``, ``StartCallRecordingApi``, ``StartConferenceRecording``),
  ``end_time``, prices as ``-0.0025``, and only the fields its reference lists (no ``track``,
  ``start_time``, ``media_url`` or ``encryption_details``);
- no Add-ons (Not Found) and no XML: a recording is WAV, MP3 or JSON.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from decimal import Decimal, InvalidOperation
from urllib.parse import parse_qsl, urlencode

from .api import Response
from .errors import bad_parameter, not_found
from .models import Recording, Renderer
from .sids import rfc2822

API_ROOT = "/api/laml/2010-04-01"
TWILIO_ROOT = "/2010-04-01"
#: The SID prefix of the resources a collection holds: a UUID right after it is one of them.
COLLECTIONS = {"Accounts": "AC", "Recordings": "RE", "Calls": "CA", "Conferences": "CF", "Transcriptions": "TR"}
QUERY_SIDS = {"CallSid": "CA", "ConferenceSid": "CF"}
#: Twilio status → SignalWire's (its reference: paused, in-progress, stopped).
STATUSES = {"in-progress": "in-progress", "paused": "paused", "stopped": "stopped", "processing": "stopped",
            "completed": "stopped", "absent": "stopped"}
#: Twilio source → SignalWire's spelling; DialVerb, Conference, Trunking and RecordVerb are the same.
SOURCES = {"OutboundAPI": "OutBoundApi", "StartCallRecordingAPI": "StartCallRecordingApi",
           "StartConferenceRecordingAPI": "StartConferenceRecording"}
SOURCE_NAMES = ("DialVerb", "Conference", "OutBoundApi", "Trunking", "RecordVerb", "StartCallRecordingApi",
                "StartConferenceRecording")
#: A recording's fields, in the reference's order.
RECORDING_FIELDS = ("account_sid", "api_version", "call_sid", "conference_sid", "channels", "date_created",
                    "date_updated", "end_time", "price", "price_unit", "duration", "sid", "source", "status",
                    "error_code", "uri", "subresource_uris")

_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_TWILIO_SID = re.compile(r"[A-Z]{2}[0-9a-fA-F]{32}")
# Twilio's account path (not one already in SignalWire's form, as a path in an error message is).
_TWILIO_PATH = re.compile(rb"(?<!/api/laml)/2010-04-01/Accounts/")
# A served SID (optionally as a page token: PA/PB + SID) anywhere in a JSON body.
_SERVED_SID = re.compile(rb"(?<![0-9A-Za-z])(P[AB])?[A-Z]{2}([0-9a-f]{32})(?![0-9A-Za-z])")


def uuid4_bits(bits: int) -> int:
    """128 random bits with the version (4) and variant bits of a random UUID set."""
    return uuid.UUID(int=bits, version=4).int


def as_uuid(sid: str) -> str:
    """``RE`` + 32 hex digits → the UUID of those digits."""
    digits = sid[2:].lower()
    return f"{digits[:8]}-{digits[8:12]}-{digits[12:16]}-{digits[16:20]}-{digits[20:]}"


def from_uuid(value: str, prefix: str) -> str | None:
    """A UUID → the internal SID ``prefix`` + its digits; None if ``value`` is not a UUID."""
    if not _UUID.fullmatch(value):
        return None
    return prefix + value.replace("-", "").lower()


def credentials(seed: int) -> tuple[str, str, str]:
    """(internal Account SID, Project ID, API token) of the fake SignalWire project for ``seed``."""
    bits = int(hashlib.md5(f"rec-tui-emulator:{seed}:signalwire-project".encode()).hexdigest(), 16)
    account_sid = f"AC{uuid4_bits(bits):032x}"
    token = "PT" + hashlib.sha256(f"rec-tui-emulator:{seed}:signalwire-token".encode()).hexdigest()[:48]
    return account_sid, as_uuid(account_sid), token


def _price(value: str | None) -> str | None:
    """``-0.00250`` → ``-0.0025``, as SignalWire's reference shows prices."""
    if value is None:
        return None
    try:
        number = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return value
    return format(number.normalize(), "f")


class SignalWireRenderer(Renderer):
    """Twilio's JSON forms, with a recording as SignalWire's reference describes it.

    SIDs and paths are still Twilio's here: :class:`Dialect` rewrites them on the way out.
    """

    def recording(self, rec: Recording, now: float) -> dict:
        return self._signalwire(super().recording(rec, now), rec)

    def call_recording(self, rec: Recording, now: float, call_sid: str, inflight: str | None = None) -> dict:
        return self._signalwire(super().call_recording(rec, now, call_sid, inflight), rec)

    def conference_recording(self, rec: Recording, now: float, conference_sid: str,
                             inflight: str | None = None) -> dict:
        return self._signalwire(super().conference_recording(rec, now, conference_sid, inflight), rec)

    def _signalwire(self, body: dict, rec: Recording) -> dict:
        status = body.get("status")
        source = body.get("source")
        finished = not rec.active and rec.duration is not None
        body["status"] = STATUSES.get(status, status) if isinstance(status, str) else status
        body["source"] = SOURCES.get(source, source) if isinstance(source, str) else source
        body["end_time"] = rfc2822(rec.created + (rec.duration or 0)) if finished else None
        if isinstance(body.get("price"), str):
            body["price"] = _price(body["price"])
        base = f"{self.root}/Recordings/{rec.sid}"
        body["subresource_uris"] = {"transcriptions": base + "/Transcriptions.json"}
        return {key: body.get(key) for key in RECORDING_FIELDS}


class Served(Response):
    """An answer already in SignalWire's form (an error about the request as it was sent)."""

    @classmethod
    def of(cls, response: Response) -> "Served":
        return cls(response.status, response.body, response.content_type, headers=response.headers)


class Dialect:
    """Translates requests from SignalWire's form to the emulator's and answers back."""

    def inbound(self, path: str, query_string: str) -> tuple[str, str]:
        """(internal path, internal query string) for a SignalWire request; Not Found if it has none."""
        if not path.startswith(API_ROOT + "/Accounts/"):
            raise not_found(path)
        segments = path[len(API_ROOT) + 1:].split("/")
        if any(segment.partition(".")[0] == "AddOnResults" for segment in segments) or path.endswith(".xml"):
            raise not_found(path)
        for i in range(1, len(segments)):
            prefix = COLLECTIONS.get(segments[i - 1])
            if prefix is None:
                continue
            stem, dot, ext = segments[i].partition(".")
            if _TWILIO_SID.fullmatch(stem):
                raise not_found(path)
            sid = from_uuid(stem, prefix)
            if sid is not None:
                segments[i] = sid + dot + ext
        internal_path = TWILIO_ROOT + "/" + "/".join(segments)
        list_prefix = COLLECTIONS.get(segments[-1].partition(".")[0])
        return internal_path, self._query(parse_qsl(query_string, keep_blank_values=True), list_prefix)

    @staticmethod
    def _query(pairs: list[tuple[str, str]], list_prefix: str | None) -> str:
        out = []
        for key, value in pairs:
            if key == "IncludeSoftDeleted":
                continue  # a Twilio parameter: SignalWire does not keep deleted recordings
            prefix = QUERY_SIDS.get(key)
            if prefix is not None and value.strip():
                sid = from_uuid(value.strip(), prefix)
                if sid is None:
                    raise bad_parameter(f"Invalid {key}: {value!r} is not a valid UUID")
                value = sid
            elif key == "PageToken" and value[:2] in ("PA", "PB") and list_prefix:
                sid = from_uuid(value[2:], list_prefix)
                value = value[:2] + sid if sid else "P?"  # an unreadable token stays invalid
            out.append((key, value))
        return urlencode(out)

    @staticmethod
    def outbound(body: bytes) -> bytes:
        """A JSON body with SignalWire's base path and UUIDs in place of Twilio's."""
        body = _TWILIO_PATH.sub(API_ROOT.encode() + b"/Accounts/", body)
        return _SERVED_SID.sub(_uuid_match, body)


def _uuid_match(match: re.Match) -> bytes:
    digits = match.group(2).decode()
    token = match.group(1) or b""
    return token + as_uuid("XX" + digits).encode()
