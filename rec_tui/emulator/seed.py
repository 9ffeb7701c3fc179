"""Seeded historical data: recordings over the last ``days`` days, their calls, conferences,
transcriptions and add-on results. Fast enough for 100,000 recordings (a couple of seconds at
most): plain objects with slots, one random generator, text generated only when rendered.

The mix: every source; mostly ``completed``, some ``absent`` (with a recording error code), a few
``processing`` (recent, completing a while after the emulator starts), a few ``deleted`` (extra:
only listed with ``IncludeSoftDeleted``); mono and dual channels; inbound/outbound/both tracks;
prices as strings; some conference recordings; some encrypted; several recordings per call;
transcriptions for ~15% of the completed recordings; add-on results for a few.
"""

from __future__ import annotations

import bisect
import math
import random
from typing import TYPE_CHECKING

from .models import AddOnResult, Call, Conference, Payload, Recording, Transcription, recording_price
from .sids import hashed_int, random_sid

if TYPE_CHECKING:
    from .store import Store

#: (source, weight). Conference sources make conference groups.
SOURCE_WEIGHTS = (("DialVerb", 30), ("OutboundAPI", 15), ("Trunking", 10), ("RecordVerb", 15),
                  ("StartCallRecordingAPI", 15), ("Conference", 10), ("StartConferenceRecordingAPI", 5))
#: Error codes of absent recordings (Twilio's 161xx "Voice Recording: unavailable ..." family).
ABSENT_ERROR_CODES = (16102, 16105)
ROOMS = ("Daily stand-up", "Escalations", "Sales pipeline", "Support bridge", "Incident 4471", "Team Ops",
         "Customer onboarding", "Board prep", "MyRoom")
REGIONS = ("us1", "us2", "ie1", "de1", "au1", "jp1", "br1", "sg1")
ADD_ONS = (("XB" + "1f0a" * 8, "Voicebase High Accuracy Transcription", "voicebase_transcription"),
           ("XB" + "2e1b" * 8, "IBM Watson Speech to Text", "ibm_watson_speechtotext"),
           ("XB" + "3d2c" * 8, "Sentiment Analysis", "sentiment_analysis"))


class _Sids:
    """Fresh SIDs from one seeded generator: ``prefix + 32 hex``."""

    def __init__(self, rng: random.Random, uuid_form: bool = False) -> None:
        self.bits = rng.getrandbits
        self.uuid_form = uuid_form

    def __call__(self, prefix: str) -> str:
        if self.uuid_form:  # the SignalWire flavour
            return random_sid(prefix, self.bits(128), True)
        return f"{prefix}{self.bits(128):032x}"


def seed_history(store: Store, visible: int, now: float) -> None:
    """Add ``visible`` listed recordings (plus a few soft-deleted extra) ending before ``now``."""
    config = store.config
    rng = random.Random(config.seed)
    sid = _Sids(rng, config.flavour == "signalwire")
    rand = rng.random

    def choice(options):  # rng.choice is slower
        return options[int(rand() * len(options))]

    def randint(a: int, b: int) -> int:  # rng.randint is several times slower
        return a + int(rand() * (b - a + 1))

    now_i = int(now)
    window = config.days * 86400
    deleted_extra = round(visible * 0.03) if visible >= 20 else 0
    total = visible + deleted_extra
    deleted_at = set(rng.sample(range(6, total), deleted_extra)) if deleted_extra else set()
    sources = [s for s, _ in SOURCE_WEIGHTS]
    cum = []
    acc = 0
    for _, w in SOURCE_WEIGHTS:
        acc += w
        cum.append(acc)
    recordings: list[Recording] = []
    calls: list[Call] = []
    conferences: list[Conference] = []
    log_lo, log_hi = math.log(5), math.log(2400)
    hostile = config.hostile
    index = 0

    def pick_source() -> str:
        return sources[bisect.bisect(cum, rand() * acc)]

    def new_recording(call_sid: str | None, conf_sid: str | None, source: str, created: int, duration: int) -> Recording:
        nonlocal index
        i = index
        index += 1
        if source in ("RecordVerb", "Conference", "StartConferenceRecordingAPI"):
            channels = 1
        else:
            channels = 2 if rand() < 0.65 else 1
        if source == "RecordVerb":
            track = "inbound"
        elif source == "StartCallRecordingAPI":
            r = rand()
            track = "both" if r < 0.7 else ("inbound" if r < 0.85 else "outbound")
        else:
            track = "both"
        if i in deleted_at:
            status = "deleted"
        elif i == 0:
            status = "absent"
        elif i == 1:
            status = "processing"
        else:
            r = rand()
            status = "completed" if r < 0.915 else ("absent" if r < 0.98 else "processing")
        rec = Recording(sid("RE"), call_sid, conf_sid, created, created, duration, status, channels, source, track,
                        encrypted=rand() < 0.05)
        recordings.append(rec)
        return rec

    def duration_draw() -> int:
        return int(math.exp(log_lo + (log_hi - log_lo) * rand()))

    def place(group: list[Recording], group_calls: list[Call], end: int) -> None:
        """Move a group that would run past now back in time, so that it ended before now."""
        shift = max(0, end + 30 - now_i)
        for rec in group:
            rec.created -= shift
        for call in group_calls:
            call.created -= shift
            call.start -= shift
            call.end = min(end - shift, now_i - 5) - randint(0, 20) if call.end is None else call.end - shift
            call.updated = call.end
            call.key = (-call.created, call.sid)

    while index < total:
        remaining = total - index
        source = pick_source()
        start = now_i - randint(600, window)
        first = len(recordings)
        if source in ("Conference", "StartConferenceRecordingAPI"):
            conf_sid = sid("CF")
            participants = [Call(sid("CA"), start, start, None, "completed", "inbound", conference_sid=conf_sid)
                            for _ in range(randint(2, 4))]
            n = min(remaining, 1 if rand() < 0.7 else 2)
            t = start + randint(5, 60)
            for k in range(n):
                d = duration_draw()
                new_recording(participants[0].sid, conf_sid, source if k == 0 else "StartConferenceRecordingAPI", t, d)
                t += d + randint(5, 120)
            end = t + randint(5, 300)
            place(recordings[first:], participants, end)
            calls.extend(participants)
            shift = start - participants[0].start
            conferences.append(Conference(
                conf_sid, start - shift, "completed",
                _hostile(conf_sid, 0.2, choice(ROOMS)) if hostile else choice(ROOMS), choice(REGIONS),
                max(c.end for c in participants), choice(("last-participant-left", "conference-ended-via-api",
                                                          "participant-with-end-conference-on-exit-left")),
                participants[0].sid))
            continue
        call_sid = sid("CA")
        r = rand()
        n = min(remaining, 1 if r < 0.7 else (2 if r < 0.9 else 3))
        t = start + randint(1, 20)
        for k in range(n):
            d = duration_draw()
            new_recording(call_sid, None, source if k == 0 or source == "RecordVerb" else
                          ("StartCallRecordingAPI" if rand() < 0.5 else source), t, d)
            t += d + randint(2, 90)
        end = t + randint(1, 60)
        direction = {"OutboundAPI": "outbound-api", "StartCallRecordingAPI": "outbound-api" if rand() < 0.5
                     else "inbound"}.get(source, "inbound")
        call = Call(call_sid, start, start, end, "completed", direction, trunked=source == "Trunking",
                    caller_name=_hostile(call_sid, 0.1, None) if hostile else None)
        place(recordings[first:], [call], end)
        calls.append(call)

    # Timestamps, prices and error codes, now that every recording is in place.
    for rec in recordings:
        d = rec.duration or 0
        status = rec.status
        if status == "processing":
            # Recent and still processing: ended a little before now, completes a while after it.
            rec.created = now_i - d - randint(5, 900)
            rec.updated = rec.created + d
            store.schedule(now + randint(60, 1800), "complete", rec)
        else:
            rec.updated = rec.created + d + randint(2, 8)
        if status in ("completed", "deleted"):
            rec.price = recording_price(d)
        if status == "deleted":
            rec.updated = max(rec.updated, min(now_i - 60, rec.updated + randint(3600, 20 * 86400)))
        elif status == "absent":
            rec.error_code = choice(ABSENT_ERROR_CODES)
            rec.duration = 0
        rec.key = (-rec.created, rec.sid)
    store.bulk_load(recordings, calls, conferences)
    _seed_transcriptions(store, rng, sid, now_i)
    _seed_add_ons(store, rng, sid, now_i)


def _hostile(sid: str, share: float, otherwise: str | None) -> str | None:
    """A hostile string for ``share`` of the SIDs. Decided by the SID, not by the seeded generator,
    so ``hostile`` changes which texts are served but not which recordings exist."""
    from .models import HOSTILE_STRINGS

    h = hashed_int(sid, "hostile-text")
    return HOSTILE_STRINGS[h % len(HOSTILE_STRINGS)] if (h >> 20) % 1000 < share * 1000 else otherwise


def _seed_transcriptions(store: Store, rng: random.Random, sid: _Sids, now_i: int) -> None:
    rate = store.config.transcription_rate
    rand = rng.random
    transcriptions = []
    forced = True
    for rec in store.recordings_in_creation_order():
        if rec.status not in ("completed", "deleted") or not rec.duration:
            continue
        if not forced and rand() >= rate:
            continue
        forced = False
        count = 2 if rand() < 0.08 else 1
        for _ in range(count):
            r = rand()
            status = "completed" if r < 0.8 else ("failed" if r < 0.92 else "in-progress")
            created = min(rec.updated + rng.randint(5, 120), now_i - 1)
            updated = created if status == "in-progress" else min(created + rng.randint(10, 300), now_i)
            transcriptions.append(Transcription(sid("TR"), rec.sid, created, updated, status, rec.duration))
    store.bulk_load_transcriptions(transcriptions)


def _seed_add_ons(store: Store, rng: random.Random, sid: _Sids, now_i: int) -> None:
    completed = [r for r in store.recordings_in_creation_order() if r.status == "completed" and r.duration]
    if not completed:
        return
    count = min(len(completed), max(3, len(completed) // 100), 40)
    results = []
    for rec in completed[:count]:
        for add_on_sid, friendly, label in rng.sample(ADD_ONS, rng.randint(1, 2)):
            created = min(rec.updated + rng.randint(2, 30), now_i - 1)
            status = "completed" if rng.random() < 0.85 else "failed"
            completed_at = min(created + rng.randint(5, 90), now_i) if status == "completed" else None
            result = AddOnResult(sid("XR"), rec.sid, status, add_on_sid, "XE" + add_on_sid[2:][::-1], created,
                                 completed_at)
            if status == "completed":
                for n in range(rng.randint(1, 2)):
                    data = {"status": "successful", "message": None, "code": None,
                            "result": {"add_on": friendly, "recording_sid": rec.sid,
                                       "confidence": round(0.6 + 0.4 * rng.random(), 3),
                                       "summary": f"{friendly} result {n + 1} for a {rec.duration}-second call"}}
                    result.payloads.append(Payload(sid("XH"), result, label if n == 0 else f"{label}_{n + 1}",
                                                   completed_at or created, data))
            results.append(result)
    store.bulk_load_add_ons(results)
