"""The emulator's resources, kept compact (slots, epoch-second integers), and their JSON forms.

Internal recording statuses: ``in-progress``, ``paused`` (active), ``processing``, ``completed``,
``absent``, ``deleted``. ``stopped`` exists only in the answer to the update that stopped a
recording (Twilio's "in-flight" status); a fetch then shows ``processing``, later ``completed``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import random

from .sids import format_phone, hashed_int, rfc2822

API_VERSION = "2010-04-01"
ACTIVE = ("in-progress", "paused")
RECORDING_SOURCES = ("DialVerb", "Conference", "OutboundAPI", "Trunking", "RecordVerb",
                     "StartCallRecordingAPI", "StartConferenceRecordingAPI")
#: Recordings made this way exist in one channel only (RequestedChannels=2 is Not Found).
SINGLE_CHANNEL_SOURCES = ("Conference", "StartConferenceRecordingAPI", "RecordVerb")
CALL_STATUSES = ("queued", "ringing", "in-progress", "completed", "busy", "failed", "no-answer", "canceled")
CONFERENCE_STATUSES = ("init", "in-progress", "completed")


def recording_price(duration: int) -> str:
    """Twilio bills recordings per started minute: ``"-0.00250"`` per minute."""
    return f"-{0.0025 * max(1, math.ceil(duration / 60)):.5f}"


class Recording:
    __slots__ = ("sid", "call_sid", "conference_sid", "created", "updated", "duration", "status", "channels",
                 "source", "track", "error_code", "price", "encrypted", "accum", "seg_start", "pause_behavior",
                 "stopped_at", "key", "options")

    def __init__(self, sid: str, call_sid: str | None, conference_sid: str | None, created: int, updated: int,
                 duration: int | None, status: str, channels: int, source: str, track: str,
                 error_code: int | None = None, price: str | None = None, encrypted: bool = False) -> None:
        self.sid = sid
        self.call_sid = call_sid
        self.conference_sid = conference_sid
        self.created = created
        self.updated = updated
        self.duration = duration
        self.status = status
        self.channels = channels
        self.source = source
        self.track = track
        self.error_code = error_code
        self.price = price
        self.encrypted = encrypted
        self.accum = 0.0  # seconds recorded before the current segment (active recordings)
        self.seg_start: float | None = None  # when the current counted segment began
        self.pause_behavior: str | None = None
        self.stopped_at: float | None = None
        self.key = (-created, sid)
        self.options: dict | None = None  # what a create asked for (callbacks, trim)

    @property
    def active(self) -> bool:
        return self.status in ACTIVE

    def recorded_seconds(self, now: float) -> float:
        if self.active:
            total = self.accum
            if self.seg_start is not None:
                total += max(0.0, now - self.seg_start)
            return total
        return float(self.duration or 0)

    def current_duration(self, now: float) -> int | None:
        if self.active:
            return int(self.recorded_seconds(now))
        return self.duration

    @property
    def has_media(self) -> bool:
        return self.status == "completed"

    @property
    def dual_available(self) -> bool:
        """Whether a two-channel file exists: two-party call recordings are stored dual-channel
        (whatever was asked for at creation); ``<Conference>``/``<Record>`` ones, and ones of one
        track, are single-channel only."""
        return self.channels == 2 or (self.source not in SINGLE_CHANNEL_SOURCES and self.track == "both")

    def __repr__(self) -> str:
        return f"<Recording {self.sid} {self.status} {self.duration}s ch={self.channels}>"


class Call:
    __slots__ = ("sid", "created", "updated", "start", "end", "status", "direction", "trunked", "caller_name",
                 "conference_sid", "key")

    def __init__(self, sid: str, created: int, start: int, end: int | None, status: str, direction: str,
                 trunked: bool = False, caller_name: str | None = None, conference_sid: str | None = None) -> None:
        self.sid = sid
        self.created = created
        self.start = start
        self.end = end
        self.updated = end if end is not None else start
        self.status = status
        self.direction = direction
        self.trunked = trunked
        self.caller_name = caller_name
        self.conference_sid = conference_sid
        self.key = (-created, sid)

    def __repr__(self) -> str:
        return f"<Call {self.sid} {self.status}>"


class Conference:
    __slots__ = ("sid", "created", "updated", "status", "friendly_name", "region", "reason", "ending_call_sid",
                 "end", "key")

    def __init__(self, sid: str, created: int, status: str, friendly_name: str, region: str,
                 end: int | None = None, reason: str | None = None, ending_call_sid: str | None = None) -> None:
        self.sid = sid
        self.created = created
        self.status = status
        self.friendly_name = friendly_name
        self.region = region
        self.end = end
        self.updated = end if end is not None else created
        self.reason = reason
        self.ending_call_sid = ending_call_sid
        self.key = (-created, sid)


class Transcription:
    __slots__ = ("sid", "recording_sid", "created", "updated", "status", "duration", "text", "key")

    def __init__(self, sid: str, recording_sid: str, created: int, updated: int, status: str, duration: int,
                 text: str | None = None) -> None:
        self.sid = sid
        self.recording_sid = recording_sid
        self.created = created
        self.updated = updated
        self.status = status
        self.duration = duration
        self.text = text  # None: generated from the SID when rendered (keeps seeding fast)
        self.key = (-created, sid)


class AddOnResult:
    __slots__ = ("sid", "reference_sid", "status", "add_on_sid", "configuration_sid", "created", "updated",
                 "completed", "payloads", "key")

    def __init__(self, sid: str, reference_sid: str, status: str, add_on_sid: str, configuration_sid: str,
                 created: int, completed: int | None) -> None:
        self.sid = sid
        self.reference_sid = reference_sid
        self.status = status
        self.add_on_sid = add_on_sid
        self.configuration_sid = configuration_sid
        self.created = created
        self.completed = completed
        self.updated = completed if completed is not None else created
        self.payloads: list[Payload] = []
        self.key = (-created, sid)


class Payload:
    __slots__ = ("sid", "result", "label", "content_type", "created", "data", "key")

    def __init__(self, sid: str, result: AddOnResult, label: str, created: int, data: dict) -> None:
        self.sid = sid
        self.result = result
        self.label = label
        self.content_type = "application/json"
        self.created = created
        self.data = data
        self.key = (-created, sid)


# -- generated text ----------------------------------------------------------------------------

_OPENERS = (
    "Thank you for calling, this is {agent}, how can I help you today?",
    "Hi, I'm calling about my order, the number is {number}.",
    "Good morning, you've reached the support line, my name is {agent}.",
    "Hello, I'd like to check the status of a refund.",
    "Hi {agent}, I got a voicemail from you yesterday.",
)
_SENTENCES = (
    "Sure, let me pull that up for you.", "Can you confirm the email address on the account?",
    "It should arrive by Thursday.", "I've been charged twice for the same delivery.",
    "I'm going to put you on a brief hold.", "The tracking number ends in {digits}.",
    "Is there anything else I can help you with?", "That's all, thank you so much.",
    "I'll send you a confirmation by text message.", "Could you spell your last name for me?",
    "We had an outage in your area this morning.", "Let me transfer you to billing.",
    "Your ticket number is {number}.", "Okay, I see the problem now.", "Sorry, you broke up a little there.",
    "The technician can come between nine and noon.", "Yes, that works for me.", "No, the other account.",
    "I've applied a credit of {amount} dollars.", "Please hold while I check with my supervisor.",
)
_CLOSERS = ("Have a great day.", "Thanks for calling, goodbye.", "Bye now.", "Talk to you soon.")
_AGENTS = ("Maya", "Jordan", "Priya", "Sam", "Lucía", "Oleksandr", "Chen", "Amara")

HOSTILE_STRINGS = (
    "\x1b[31mRED\x1b[0m \x1b]0;pwned\x07 escape sequences",
    "[bold red]not markup[/bold red] [link=https://example.com]click[/link]",
    "\u202eevil.exe\u202c right-to-left override",
    "line one\nline two\r\nline\tthree",
    "emoji 🎉 👩‍👩‍👧‍👦 🇺🇦 and CJK 録音の文字起こし",
    "\x00nul \x07bell \x08backspace \x7fdel",
    "<script>alert('x')</script> & \"quotes\" 'single'",
    "%s %n {0} {{}} $(rm -rf /) `id`",
    "Z̷̧̛̤̱̦a̸̢̛l̵̡̛g̶̢o̵ combining marks",
    "x" * 3000,
)


#: With ``hostile``, one recording in ``HOSTILE_RECORDING_SHARE`` (picked by its SID, so the seeded
#: data stays as it is) is served with one of these sets of field values: markup, escape sequences,
#: control characters, 10,000-character fields, emoji and right-to-left text, nulls where values
#: are expected, numbers where text is expected (and text where numbers are), malformed call and
#: conference SIDs. Only the JSON changes.
HOSTILE_RECORDING_SHARE = 6
HOSTILE_RECORDING_FIELDS: tuple[dict, ...] = (
    {"source": "[bold red]DialVerb[/bold red] [link=https://evil.example/steal]click[/link] [unbalanced",
     "track": "[/]", "price_unit": "[link=file:///etc/passwd]USD"},
    {"source": "\x1b[31mRED\x1b[0m \x1b]8;;https://evil.example\x07link\x1b]8;;\x07 \x1b[2J\x1b[H",
     "track": "\x1b[5mblink\x1b[25m", "price_unit": "\x1b]0;pwned\x07USD"},
    {"source": "ctrl \x00\x01\x07\x08\x0b\x0c\x7f\x9b end", "track": "tab\there\nnew\rline", "price_unit": "\x00"},
    {"source": "S" * 10_000, "track": "界" * 10_000, "price_unit": "U" * 10_000},
    {"source": "📞 👩\u200d👩\u200d👧 🇺🇦 録音 e\u0301\u0300\u0300", "track": "\u202eevil.exe\u202c שלום مرحبا",
     "price_unit": "\u200f€\u200e"},
    {"status": None, "duration": None, "date_created": None, "start_time": None, "channels": None,
     "source": None, "price": None, "price_unit": None, "track": None},
    {"source": 12345, "track": 2.5, "price_unit": 0, "status": 200, "duration": "lots", "channels": "two",
     "price": "free", "date_created": 1763640000, "error_code": "E16102"},
    # SIDs that must never reach a request: a path and query of their own, markup, an escape, NUL.
    {"call_sid": "CA../../Recordings.json?PageSize=1000&x=[link=https://evil.example]y[/link]",
     "conference_sid": "CF\x1b[31m" + "0" * 30 + "\x00"},
)


def hostile_recording_fields(sid: str) -> dict | None:
    """The hostile field values served for this recording, or None for most recordings."""
    h = hashed_int(sid, "hostile-recording")
    if h % HOSTILE_RECORDING_SHARE:
        return None
    return HOSTILE_RECORDING_FIELDS[(h // HOSTILE_RECORDING_SHARE) % len(HOSTILE_RECORDING_FIELDS)]


def transcription_text(sid: str, duration: int, hostile: bool = False) -> str:
    rng = random.Random(hashed_int(sid, "text"))
    if hostile and rng.random() < 0.3:
        return rng.choice(HOSTILE_STRINGS)
    agent = rng.choice(_AGENTS)

    def fill(template: str) -> str:
        return template.format(agent=agent, number=rng.randint(100000, 999999), digits=rng.randint(1000, 9999),
                               amount=rng.randint(5, 80))

    parts = [fill(rng.choice(_OPENERS))]
    for _ in range(max(1, min(60, duration // 8))):
        parts.append(fill(rng.choice(_SENTENCES)))
    parts.append(rng.choice(_CLOSERS))
    return " ".join(parts)


def phone_number(*parts: object) -> str:
    h = hashed_int(*parts)
    npa = 201 + h % 780
    nxx = 200 + (h >> 12) % 800
    return f"+1{npa}{nxx}{(h >> 24) % 10000:04d}"


def encryption_details(sid: str) -> dict:
    digest = hashlib.sha256(sid.encode()).digest()
    cek = base64.b64encode((digest * 8)[:256]).decode()
    iv = base64.b64encode(digest[:12]).decode()
    return {"encryption_public_key_sid": "CR" + hashlib.md5(b"key" + digest[:4]).hexdigest(),
            "encryption_cek": cek, "encryption_iv": iv}


# -- JSON forms ----------------------------------------------------------------------------------


class Renderer:
    """Turns resources into the contract's JSON objects for one account and base URL."""

    def __init__(self, account_sid: str, base_url: str = "", hostile: bool = False) -> None:
        self.account_sid = account_sid
        self.base_url = base_url
        self.hostile = hostile
        self.root = f"/2010-04-01/Accounts/{account_sid}"
        # sid -> (state, JSON text): a finished recording's JSON changes only with its state, and
        # big list pages are mostly finished recordings (a 1000-row page: ~25 ms -> ~2 ms).
        self._recording_texts: dict[str, tuple[tuple, bytes]] = {}

    def recording_json(self, rec: Recording, now: float) -> bytes:
        """:meth:`recording` as UTF-8 JSON text, cached for recordings that are not active."""
        if rec.status in ACTIVE:
            return json.dumps(self.recording(rec, now), ensure_ascii=False).encode()
        state = (rec.status, rec.updated, rec.duration, rec.price, rec.channels, rec.track, rec.source,
                 rec.error_code, rec.encrypted, rec.call_sid, rec.conference_sid, rec.created)
        cached = self._recording_texts.get(rec.sid)
        if cached is not None and cached[0] == state:
            return cached[1]
        text = json.dumps(self.recording(rec, now), ensure_ascii=False).encode()
        self._recording_texts[rec.sid] = (state, text)
        return text

    def _recording_common(self, rec: Recording, now: float, inflight: str | None) -> dict:
        status = inflight or rec.status
        finished = rec.status in ("completed", "deleted")
        return {
            "account_sid": self.account_sid,
            "api_version": API_VERSION,
            "call_sid": rec.call_sid,
            "conference_sid": rec.conference_sid,
            "date_created": rfc2822(rec.created),
            "date_updated": rfc2822(rec.updated),
            "start_time": rfc2822(rec.created),
            "duration": None if rec.current_duration(now) is None else str(rec.current_duration(now)),
            "sid": rec.sid,
            "price": rec.price if finished else None,
            "price_unit": "USD" if finished or rec.status == "absent" else None,
            "status": status,
            "channels": rec.channels,
            "source": rec.source,
            "error_code": rec.error_code,
            "encryption_details": encryption_details(rec.sid) if rec.encrypted and finished else None,
        }

    def recording(self, rec: Recording, now: float) -> dict:
        """``api.v2010.account.recording`` (plus ``track``, which the schema allows as extra)."""
        body = self._recording_common(rec, now, None)
        base = f"{self.root}/Recordings/{rec.sid}"
        body["track"] = rec.track
        body["uri"] = base + ".json"
        body["subresource_uris"] = {"add_on_results": base + "/AddOnResults.json",
                                    "transcriptions": base + "/Transcriptions.json"}
        body["media_url"] = self.base_url + base
        return self._hostile(rec, body)

    def call_recording(self, rec: Recording, now: float, call_sid: str, inflight: str | None = None) -> dict:
        """``api.v2010.account.call.call_recording``."""
        body = self._recording_common(rec, now, inflight)
        body["track"] = rec.track
        body["uri"] = f"{self.root}/Calls/{call_sid}/Recordings/{rec.sid}.json"
        return self._hostile(rec, body)

    def conference_recording(self, rec: Recording, now: float, conference_sid: str,
                             inflight: str | None = None) -> dict:
        """``api.v2010.account.conference.conference_recording``."""
        body = self._recording_common(rec, now, inflight)
        body["uri"] = f"{self.root}/Conferences/{conference_sid}/Recordings/{rec.sid}.json"
        return self._hostile(rec, body)

    def _hostile(self, rec: Recording, body: dict) -> dict:
        overrides = hostile_recording_fields(rec.sid) if self.hostile else None
        if overrides:
            body.update((key, value) for key, value in overrides.items() if key in body)
        return body

    def transcription(self, tr: Transcription) -> dict:
        if tr.text is not None:
            text = tr.text
        elif tr.status == "completed":
            text = transcription_text(tr.sid, tr.duration, self.hostile)
        elif tr.status == "failed":
            text = "(blank)"
        else:
            text = None
        return {
            "account_sid": self.account_sid,
            "api_version": API_VERSION,
            "date_created": rfc2822(tr.created),
            "date_updated": rfc2822(tr.updated),
            "duration": str(tr.duration),
            "price": f"-{0.05 * max(1, math.ceil(tr.duration / 60)):.5f}" if tr.status == "completed" else None,
            "price_unit": "USD",
            "recording_sid": tr.recording_sid,
            "sid": tr.sid,
            "status": tr.status,
            "transcription_text": text,
            "type": "fast",
            "uri": f"{self.root}/Transcriptions/{tr.sid}.json",
        }

    def call(self, call: Call, now: float) -> dict:
        to = phone_number(call.sid, "to")
        from_ = phone_number(call.sid, "from")
        base = f"{self.root}/Calls/{call.sid}"
        ended = call.end is not None
        duration = call.end - call.start if ended else None
        sub = {name: f"{base}/{path}.json" for name, path in (
            ("notifications", "Notifications"), ("recordings", "Recordings"), ("payments", "Payments"),
            ("events", "Events"), ("siprec", "Siprec"), ("streams", "Streams"),
            ("transcriptions", "Transcriptions"),
            ("user_defined_message_subscriptions", "UserDefinedMessageSubscriptions"),
            ("user_defined_messages", "UserDefinedMessages"))}
        return {
            "sid": call.sid,
            "date_created": rfc2822(call.created),
            "date_updated": rfc2822(call.updated),
            "parent_call_sid": None,
            "account_sid": self.account_sid,
            "to": to,
            "to_formatted": format_phone(to),
            "from": from_,
            "from_formatted": format_phone(from_),
            "phone_number_sid": "PN" + hashlib.md5(f"{self.account_sid}:{to if call.direction == 'inbound' else from_}".encode()).hexdigest(),
            "status": call.status,
            "start_time": rfc2822(call.start),
            "end_time": rfc2822(call.end),
            "duration": None if duration is None else str(duration),
            "price": None if duration is None else f"-{0.0085 * max(1, math.ceil(duration / 60)):.5f}",
            "price_unit": "USD",
            "direction": call.direction,
            "answered_by": None,
            "api_version": API_VERSION,
            "forwarded_from": None,
            "group_sid": None,
            "caller_name": call.caller_name,
            "queue_time": "0",
            "trunk_sid": ("TK" + hashlib.md5(f"{self.account_sid}:trunk".encode()).hexdigest()) if call.trunked else None,
            "uri": base + ".json",
            "subresource_uris": sub,
        }

    def conference(self, conf: Conference) -> dict:
        base = f"{self.root}/Conferences/{conf.sid}"
        return {
            "account_sid": self.account_sid,
            "date_created": rfc2822(conf.created),
            "date_updated": rfc2822(conf.updated),
            "api_version": API_VERSION,
            "friendly_name": conf.friendly_name,
            "region": conf.region,
            "sid": conf.sid,
            "status": conf.status,
            "uri": base + ".json",
            "subresource_uris": {"participants": base + "/Participants.json", "recordings": base + "/Recordings.json"},
            "reason_conference_ended": conf.reason,
            "call_sid_ending_conference": conf.ending_call_sid,
        }

    def add_on_result(self, result: AddOnResult) -> dict:
        base = f"{self.root}/Recordings/{result.reference_sid}/AddOnResults/{result.sid}"
        return {
            "sid": result.sid,
            "account_sid": self.account_sid,
            "status": result.status,
            "add_on_sid": result.add_on_sid,
            "add_on_configuration_sid": result.configuration_sid,
            "date_created": rfc2822(result.created),
            "date_updated": rfc2822(result.updated),
            "date_completed": rfc2822(result.completed),
            "reference_sid": result.reference_sid,
            "subresource_uris": {"payloads": base + "/Payloads.json"},
        }

    def payload(self, payload: Payload) -> dict:
        result = payload.result
        base = f"{self.root}/Recordings/{result.reference_sid}/AddOnResults/{result.sid}/Payloads/{payload.sid}"
        return {
            "sid": payload.sid,
            "add_on_result_sid": result.sid,
            "account_sid": self.account_sid,
            "label": payload.label,
            "add_on_sid": result.add_on_sid,
            "add_on_configuration_sid": result.configuration_sid,
            "content_type": payload.content_type,
            "date_created": rfc2822(payload.created),
            "date_updated": rfc2822(payload.created),
            "reference_sid": result.reference_sid,
            "subresource_uris": {"data": base + "/Data.json"},
        }

    def payload_data_url(self, payload: Payload) -> str:
        """Where ``Data.json`` redirects: a signed-URL stand-in on this server (no credentials)."""
        return f"{self.base_url}/emulator/add-on-data/{payload.sid}.json"
