"""The emulator's in-memory data: indices, lazy time, queries and the recording state machine.

All access goes through ``store.lock`` (a re-entrant lock; the public helpers take it
themselves). Lists are kept sorted by ``key = (-date_created, sid)``: newest first, ties by SID.

Time is lazy: :meth:`Store.advance` processes the scheduled events (live calls ending and being
replaced, recordings pausing, processing recordings completing) up to the clock's now, in time
order; the server calls it at the start of every request.
"""

from __future__ import annotations

import bisect
import gc
import heapq
import itertools
import random
import threading
from collections import defaultdict
from operator import attrgetter
from typing import Any, Callable, Iterable, Iterator

from .clock import epoch
from .config import EmulatorConfig
from .live import LivePlanner
from .models import (AddOnResult, Call, Conference, Payload, Recording, Transcription, recording_price)
from .sids import hashed_int, random_sid

KEY = attrgetter("key")


def _insort(items: list, item: Any) -> None:
    bisect.insort(items, item, key=KEY)


def _remove(items: list, item: Any) -> None:
    i = bisect.bisect_left(items, item.key, key=KEY)
    if i < len(items) and items[i] is item:
        del items[i]
    elif item in items:  # pragma: no cover - keys are unique
        items.remove(item)


class Store:
    """Everything the emulator serves. Tests may read and change it (hold ``store.lock``)."""

    def __init__(self, config: EmulatorConfig, account_sid: str) -> None:
        self.config = config
        self.account_sid = account_sid
        self.lock = threading.RLock()
        self.recordings: dict[str, Recording] = {}
        self._recordings: list[Recording] = []  # sorted by key
        self._by_call: dict[str, list[Recording]] = defaultdict(list)
        self._by_conference: dict[str, list[Recording]] = defaultdict(list)
        self.calls: dict[str, Call] = {}
        self._calls: list[Call] = []
        self.conferences: dict[str, Conference] = {}
        self._conferences: list[Conference] = []
        self.transcriptions: dict[str, Transcription] = {}
        self._transcriptions: list[Transcription] = []
        self._transcriptions_by_recording: dict[str, list[Transcription]] = defaultdict(list)
        self.add_on_results: dict[str, AddOnResult] = {}
        self._add_ons_by_recording: dict[str, list[AddOnResult]] = defaultdict(list)
        self.payloads: dict[str, Payload] = {}
        #: Sort keys of resources that were removed, so a page token naming one still works.
        self._tombstones: dict[str, tuple] = {}
        self._events: list[tuple[float, int, str, Any]] = []
        self._seq = itertools.count()
        self._api_rng = random.Random(hashed_int(config.seed, "api"))
        self.live = LivePlanner(self)
        start = epoch(config.clock)
        self.now = start
        #: Times of state changes, for tests: (time, recording sid, new status).
        self.history: list[tuple[float, str, str]] = []
        from .seed import seed_history

        # Seeding makes hundreds of thousands of small objects: the cyclic GC would rescan them all
        # over and over (a third of the time for 100,000 recordings), and they hold no cycles.
        gc_was_enabled = gc.isenabled()
        gc.disable()
        try:
            with self.lock:
                live = self.live.start(start, config.recordings)
                seed_history(self, config.recordings - live, start)
        finally:
            if gc_was_enabled:
                gc.enable()
        with self.lock:
            if config.long_recording_seconds:
                self.add_recording(duration=config.long_recording_seconds, channels=2,
                                   created=int(start) - config.long_recording_seconds - 600)

    # -- loading and indexing -------------------------------------------------------------------

    def bulk_load(self, recordings: list[Recording], calls: list[Call], conferences: list[Conference]) -> None:
        for rec in recordings:
            self.recordings[rec.sid] = rec
            if rec.call_sid:
                self._by_call[rec.call_sid].append(rec)
            if rec.conference_sid:
                self._by_conference[rec.conference_sid].append(rec)
        self._recordings.extend(recordings)
        self._recordings.sort(key=KEY)
        for group in itertools.chain(self._by_call.values(), self._by_conference.values()):
            if len(group) > 1:
                group.sort(key=KEY)
        for call in calls:
            self.calls[call.sid] = call
        self._calls.extend(calls)
        self._calls.sort(key=KEY)
        for conf in conferences:
            self.conferences[conf.sid] = conf
        self._conferences.extend(conferences)
        self._conferences.sort(key=KEY)

    def bulk_load_transcriptions(self, transcriptions: list[Transcription]) -> None:
        for tr in transcriptions:
            self.transcriptions[tr.sid] = tr
            self._transcriptions_by_recording[tr.recording_sid].append(tr)
        self._transcriptions.extend(transcriptions)
        self._transcriptions.sort(key=KEY)
        for group in self._transcriptions_by_recording.values():
            group.sort(key=KEY)

    def bulk_load_add_ons(self, results: list[AddOnResult]) -> None:
        for result in results:
            self.add_on_results[result.sid] = result
            self._add_ons_by_recording[result.reference_sid].append(result)
            result.payloads.sort(key=KEY)
            for payload in result.payloads:
                self.payloads[payload.sid] = payload
        for group in self._add_ons_by_recording.values():
            group.sort(key=KEY)

    def recordings_in_creation_order(self) -> list[Recording]:
        """Every recording, oldest first (used by seeding)."""
        return self._recordings[::-1]

    def insert_recording(self, rec: Recording) -> Recording:
        with self.lock:
            if rec.sid in self.recordings:
                raise ValueError(f"duplicate recording SID {rec.sid}")
            self.recordings[rec.sid] = rec
            _insort(self._recordings, rec)
            if rec.call_sid:
                _insort(self._by_call[rec.call_sid], rec)
            if rec.conference_sid:
                _insort(self._by_conference[rec.conference_sid], rec)
            return rec

    def insert_call(self, call: Call) -> Call:
        with self.lock:
            self.calls[call.sid] = call
            _insort(self._calls, call)
            return call

    def insert_conference(self, conf: Conference) -> Conference:
        with self.lock:
            self.conferences[conf.sid] = conf
            _insort(self._conferences, conf)
            return conf

    def insert_transcription(self, tr: Transcription) -> Transcription:
        with self.lock:
            self.transcriptions[tr.sid] = tr
            _insort(self._transcriptions, tr)
            _insort(self._transcriptions_by_recording[tr.recording_sid], tr)
            return tr

    def new_sid(self, prefix: str) -> str:
        """A fresh SID for a resource made through the API (deterministic in request order)."""
        with self.lock:
            return random_sid(prefix, self._api_rng.getrandbits(128), self.config.flavour == "signalwire")

    def add_recording(self, *, duration: int = 60, channels: int = 1, status: str = "completed",
                      source: str = "DialVerb", track: str = "both", call_sid: str | None = None,
                      conference_sid: str | None = None, created: int | None = None, sid: str | None = None,
                      error_code: int | None = None, encrypted: bool = False) -> Recording:
        """Add a finished recording (tests: e.g. a 60-minute one). Its call is made if needed."""
        with self.lock:
            now = int(self.now)
            if created is None:
                created = now - duration - 60
            if call_sid is None:
                call_sid = self.new_sid("CA")
            if call_sid not in self.calls:
                self.insert_call(Call(call_sid, created, created, created + duration + 5, "completed", "inbound",
                                      conference_sid=conference_sid))
            rec = Recording(sid or self.new_sid("RE"), call_sid, conference_sid, created,
                            min(now, created + duration + 5), duration, status, channels, source, track,
                            error_code=error_code, encrypted=encrypted)
            if status in ("completed", "deleted"):
                rec.price = recording_price(duration)
            return self.insert_recording(rec)

    # -- time -----------------------------------------------------------------------------------

    def schedule(self, at: float, kind: str, payload: Any) -> None:
        heapq.heappush(self._events, (at, next(self._seq), kind, payload))

    def advance(self, now: float | None = None) -> float:
        """Process every event due by ``now`` (default: the clock's now); returns now."""
        with self.lock:
            if now is None:
                now = epoch(self.config.clock)
            events = self._events
            while events and events[0][0] <= now:
                at, _, kind, payload = heapq.heappop(events)
                self._handle(kind, payload, at)
            self.now = max(self.now, now)
            return now

    def _handle(self, kind: str, payload: Any, at: float) -> None:
        if kind == "complete":
            rec: Recording = payload
            if rec.status == "processing":
                rec.status = "completed"
                rec.updated = int(at)
                rec.price = recording_price(rec.duration or 0)
                self.history.append((at, rec.sid, "completed"))
        elif kind == "pause":
            if payload.status == "in-progress":
                self.pause_recording(payload, at, "skip")
        elif kind == "end_call":
            slot, call = payload
            if call.status == "in-progress":
                self.live.end_call(slot, call, at)
        elif kind == "spawn_call":
            self.live.spawn_call(payload, at)
        elif kind == "end_conference":
            conf, call = payload
            self.live.end_conference(conf, call, at)
        elif kind == "spawn_conference":
            self.live.spawn_conference(at)

    # -- the recording state machine ------------------------------------------------------------

    def pause_recording(self, rec: Recording, t: float, behavior: str) -> None:
        if rec.status == "in-progress":
            if behavior == "skip" and rec.seg_start is not None:
                rec.accum += max(0.0, t - rec.seg_start)
                rec.seg_start = None
            rec.status = "paused"
            rec.pause_behavior = behavior
            rec.updated = int(t)
            self.history.append((t, rec.sid, "paused"))

    def resume_recording(self, rec: Recording, t: float) -> None:
        if rec.status == "paused":
            if rec.seg_start is None:
                rec.seg_start = t
            rec.status = "in-progress"
            rec.pause_behavior = None
            rec.updated = int(t)
            self.history.append((t, rec.sid, "in-progress"))

    def stop_recording(self, rec: Recording, t: float) -> None:
        """Stop an active recording at ``t``: ``processing`` now, ``completed`` after processing_seconds."""
        if rec.active:
            rec.duration = int(rec.recorded_seconds(t))
            rec.accum, rec.seg_start = float(rec.duration), None
            rec.status = "processing"
            rec.stopped_at = t
            rec.updated = int(t)
            self.history.append((t, rec.sid, "processing"))
            self.schedule(t + self.config.processing_seconds, "complete", rec)
            if self.config.processing_seconds <= 0:
                self._drain_due(t)

    def _drain_due(self, t: float) -> None:
        while self._events and self._events[0][0] <= t:
            at, _, kind, payload = heapq.heappop(self._events)
            self._handle(kind, payload, at)

    def end_call(self, call: Call, t: float) -> None:
        for rec in self.active_recordings(call_sid=call.sid):
            self.stop_recording(rec, t)
        call.status = "completed"
        call.end = call.updated = int(t)

    def active_recordings(self, *, call_sid: str | None = None, conference_sid: str | None = None) -> list[Recording]:
        with self.lock:
            if call_sid is not None:
                group = self._by_call.get(call_sid, [])
                if conference_sid is None:
                    # A call's own recordings (not the conference's it takes part in).
                    return [r for r in group if r.active and r.conference_sid is None]
            else:
                group = self._by_conference.get(conference_sid or "", [])
            return [r for r in group if r.active]

    def start_call_recording(self, call: Call, channels: int, track: str, t: float,
                             options: dict | None = None) -> Recording:
        created = int(t)
        rec = Recording(self.new_sid("RE"), call.sid, None, created, created, None, "in-progress", channels,
                        "StartCallRecordingAPI", track)
        rec.seg_start = t
        rec.options = options
        self.history.append((t, rec.sid, "in-progress"))
        return self.insert_recording(rec)

    def delete_recording(self, rec: Recording, t: float) -> None:
        rec.status = "deleted"
        rec.updated = int(t)
        self.history.append((t, rec.sid, "deleted"))

    def delete_transcription(self, tr: Transcription) -> None:
        with self.lock:
            self.transcriptions.pop(tr.sid, None)
            _remove(self._transcriptions, tr)
            _remove(self._transcriptions_by_recording[tr.recording_sid], tr)
            self._tombstones[tr.sid] = tr.key

    def delete_add_on_result(self, result: AddOnResult) -> None:
        with self.lock:
            self.add_on_results.pop(result.sid, None)
            _remove(self._add_ons_by_recording[result.reference_sid], result)
            self._tombstones[result.sid] = result.key
            for payload in result.payloads:
                self.payloads.pop(payload.sid, None)
                self._tombstones[payload.sid] = payload.key

    def delete_payload(self, payload: Payload) -> None:
        with self.lock:
            self.payloads.pop(payload.sid, None)
            _remove(payload.result.payloads, payload)
            self._tombstones[payload.sid] = payload.key

    # -- queries --------------------------------------------------------------------------------

    def sort_key(self, sid: str) -> tuple | None:
        """The sort key of any resource by SID (also of removed ones), for page tokens."""
        for table in (self.recordings, self.transcriptions, self.calls, self.conferences, self.add_on_results,
                      self.payloads):
            item = table.get(sid)
            if item is not None:
                return item.key
        return self._tombstones.get(sid)

    def recording_list(self, call_sid: str | None = None, conference_sid: str | None = None) -> list[Recording]:
        """The sorted list to scan: a call's or a conference's own when filtered by one."""
        if call_sid is not None and conference_sid is not None:
            a, b = self._by_call.get(call_sid, []), self._by_conference.get(conference_sid, [])
            return a if len(a) <= len(b) else b
        if call_sid is not None:
            return self._by_call.get(call_sid, [])
        if conference_sid is not None:
            return self._by_conference.get(conference_sid, [])
        return self._recordings

    def call_list(self) -> list[Call]:
        return self._calls

    def conference_list(self) -> list[Conference]:
        return self._conferences

    def transcription_list(self, recording_sid: str | None = None) -> list[Transcription]:
        if recording_sid is None:
            return self._transcriptions
        return self._transcriptions_by_recording.get(recording_sid, [])

    def add_on_list(self, recording_sid: str) -> list[AddOnResult]:
        return self._add_ons_by_recording.get(recording_sid, [])

    def all_recordings(self) -> list[Recording]:
        """Every recording, newest first (a copy)."""
        with self.lock:
            return list(self._recordings)

    def __len__(self) -> int:
        return len(self.recordings)


def paginate(items: list, predicate: Callable[[Any], bool] | None, page_size: int,
             token: tuple[str, tuple] | None) -> tuple[list, bool]:
    """One page of ``items`` (sorted by key) matching ``predicate``, and whether more follow.

    ``token``: None for the first page, ``("A", key)`` for the items after ``key`` (next page), or
    ``("B", key)`` for the ``page_size`` items just before ``key`` (previous page).
    """
    match = predicate or (lambda item: True)
    page: list = []
    if token is None or token[0] == "A":
        start = 0 if token is None else bisect.bisect_right(items, token[1], key=KEY)
        it: Iterator = itertools.islice(items, start, None)
        for item in it:
            if match(item):
                if len(page) == page_size:
                    return page, True
                page.append(item)
        return page, False
    end = bisect.bisect_left(items, token[1], key=KEY)
    for i in range(end - 1, -1, -1):
        item = items[i]
        if match(item):
            page.append(item)
            if len(page) == page_size:
                break
    page.reverse()
    if not page:
        return page, False
    after = bisect.bisect_right(items, page[-1].key, key=KEY)
    return page, any(match(item) for item in itertools.islice(items, after, None))


def iter_matching(items: Iterable, predicate: Callable[[Any], bool]) -> Iterator:
    return (item for item in items if predicate(item))
