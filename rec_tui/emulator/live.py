"""Live calls and a live conference that come and go with the clock.

``live_calls`` slots each hold one in-progress call at a time. A call lives for a few minutes,
then ends (its active recordings stop, go ``processing`` and later ``completed``) and, after a
short gap, the slot's next call starts — so the demo always has something live. One conference
slot does the same with an in-progress conference, its participant call and an active
conference recording.

Everything is scheduled on the store's event queue and processed lazily in time order when a
request arrives, each slot drawing from its own seeded generator: the same seed and the same
clock times give the same calls, whatever the pattern of requests in between.

The first calls of the first four slots show the interesting cases: one active recording, two
active recordings (``Twilio.CURRENT`` is ambiguous there), none, and one paused (``skip``).
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from .models import Call, Conference, Recording
from .seed import REGIONS, ROOMS
from .sids import hashed_int, random_sid

if TYPE_CHECKING:
    from .store import Store

INITIAL_TEMPLATES = ("one", "two", "none", "paused")
TEMPLATE_WEIGHTS = (("one", 5), ("none", 2), ("two", 1), ("paused", 2))
TEMPLATE_RECORDINGS = {"one": 1, "two": 2, "none": 0, "paused": 1}


class LivePlanner:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.seed = store.config.seed
        self.rngs: dict[object, random.Random] = {}

    def rng(self, slot: object) -> random.Random:
        if slot not in self.rngs:
            self.rngs[slot] = random.Random(hashed_int(self.seed, "live", slot))
        return self.rngs[slot]

    def sid(self, slot: object, prefix: str) -> str:
        return random_sid(prefix, self.rng(slot).getrandbits(128), self.store.config.flavour == "signalwire")

    # -- start ----------------------------------------------------------------------------------

    def start(self, now: float, budget: int) -> int:
        """Start the first live calls (and conference) at ``now``; at most ``budget`` recordings.

        Returns how many (active, listed) recordings they have.
        """
        used = 0
        for slot in range(self.store.config.live_calls):
            rng = self.rng(slot)
            template = INITIAL_TEMPLATES[slot] if slot < len(INITIAL_TEMPLATES) else self._draw(rng)
            if used + TEMPLATE_RECORDINGS[template] > budget:
                template = "none"
            used += TEMPLATE_RECORDINGS[template]
            began = now - rng.uniform(60, 600)
            self._start_call(slot, began, now + rng.uniform(150, 900), template, now, initial=True)
        if self.store.config.live_calls > 0 and used < budget:
            rng = self.rng("conference")
            began = now - rng.uniform(60, 900)
            self._start_conference(began, now + rng.uniform(600, 1800), now)
            used += 1
        return used

    @staticmethod
    def _draw(rng: random.Random) -> str:
        total = sum(w for _, w in TEMPLATE_WEIGHTS)
        r = rng.random() * total
        for name, w in TEMPLATE_WEIGHTS:
            if r < w:
                return name
            r -= w
        return TEMPLATE_WEIGHTS[-1][0]

    def _start_call(self, slot: int, began: float, ends: float, template: str, now: float,
                    initial: bool = False) -> Call:
        """A live call; the first calls' recordings began a little after them, later calls' at once
        (a spawned call starts at an event time, which may be just before the request's now)."""
        store = self.store
        rng = self.rng(slot)
        t0 = int(began)
        offsets = (rng.randint(1, 5), rng.randint(6, 30))
        if not initial:
            offsets = (0, 0)
        call = Call(self.sid(slot, "CA"), t0, t0, None, "in-progress", "inbound" if rng.random() < 0.6 else "outbound-api")
        store.insert_call(call)
        if template in ("one", "paused", "two"):
            rec = self._start_recording(slot, call.sid, None, t0 + offsets[0], "DialVerb",
                                        2 if rng.random() < 0.7 else 1)
            if template == "paused":
                pause_at = rec.created + rng.uniform(5, 40)
                if pause_at <= now:
                    store.pause_recording(rec, pause_at, "skip")
                else:
                    store.schedule(pause_at, "pause", rec)
        if template == "two":
            self._start_recording(slot, call.sid, None, t0 + offsets[1], "StartCallRecordingAPI", 2)
        store.schedule(ends, "end_call", (slot, call))
        return call

    def _start_recording(self, slot: object, call_sid: str | None, conference_sid: str | None, created: int,
                         source: str, channels: int) -> Recording:
        rec = Recording(self.sid(slot, "RE"), call_sid, conference_sid, created, created, None, "in-progress",
                        channels, source, "both")
        rec.seg_start = float(created)
        self.store.insert_recording(rec)
        return rec

    def _start_conference(self, began: float, ends: float, now: float) -> None:
        store = self.store
        rng = self.rng("conference")
        t0 = int(began)
        conf = Conference(self.sid("conference", "CF"), t0, "in-progress", rng.choice(ROOMS), rng.choice(REGIONS))
        store.insert_conference(conf)
        call = Call(self.sid("conference", "CA"), t0, t0, None, "in-progress", "inbound", conference_sid=conf.sid)
        store.insert_call(call)
        offset = rng.randint(2, 20)
        self._start_recording("conference", call.sid, conf.sid, t0 + (offset if t0 + offset <= now else 0),
                              "StartConferenceRecordingAPI", 1)
        store.schedule(ends, "end_conference", (conf, call))

    # -- events ---------------------------------------------------------------------------------

    def end_call(self, slot: int, call: Call, t: float) -> None:
        self.store.end_call(call, t)
        rng = self.rng(slot)
        self.store.schedule(t + rng.uniform(5, 60), "spawn_call", slot)

    def spawn_call(self, slot: int, t: float) -> None:
        rng = self.rng(slot)
        self._start_call(slot, t, t + rng.uniform(180, 900), self._draw(rng), t)

    def end_conference(self, conf: Conference, call: Call, t: float) -> None:
        store = self.store
        end = int(t)
        for rec in store.active_recordings(conference_sid=conf.sid):
            store.stop_recording(rec, t)
        conf.status = "completed"
        conf.end = conf.updated = end
        conf.reason = "last-participant-left"
        conf.ending_call_sid = call.sid
        store.end_call(call, t)
        store.schedule(t + self.rng("conference").uniform(10, 90), "spawn_conference", None)

    def spawn_conference(self, t: float) -> None:
        rng = self.rng("conference")
        self._start_conference(t, t + rng.uniform(600, 1800), t)
