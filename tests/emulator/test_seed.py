"""The seeded data: determinism, the mix of resources, counts, scale; the clock and the config."""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime, timedelta, timezone

import pytest

from rec_tui.emulator import EmulatorConfig, FaultConfig, ManualClock
from rec_tui.emulator.models import HOSTILE_STRINGS, RECORDING_SOURCES

from .support import NOW, Api, gmt, make_emulator

PRICE = re.compile(r"^-\d+\.\d{5}$")


def dump(emu) -> dict:
    """Everything an emulator lists, with its own address taken out."""
    api = Api(emu)
    try:
        out = {}
        for path, key, params in (("Recordings.json", "recordings", {"IncludeSoftDeleted": "true"}),
                                  ("Calls.json", "calls", {}), ("Conferences.json", "conferences", {}),
                                  ("Transcriptions.json", "transcriptions", {})):
            out[key] = api.all_pages(path, {"PageSize": 1000, **params}, key)
        for rec in out["recordings"]:
            rec["media_url"] = rec["media_url"].replace(emu.base_url, "")
        return out
    finally:
        api.close()


def test_same_seed_and_clock_give_the_same_everything():
    with make_emulator(recordings=120) as a, make_emulator(recordings=120) as b:
        assert (a.account_sid, a.auth_token, a.api_key_sid, a.api_key_secret) == \
               (b.account_sid, b.auth_token, b.api_key_sid, b.api_key_secret)
        first, second = dump(a), dump(b)
        assert first == second
        sid = next(r["sid"] for r in first["recordings"] if r["status"] == "completed")
        wav_a = Api(a).get(f"Recordings/{sid}.wav").content
        assert wav_a == Api(b).get(f"Recordings/{sid}.wav").content and len(wav_a) > 44


def test_another_seed_gives_other_data():
    with make_emulator(recordings=30) as a, make_emulator(recordings=30, seed=8) as b:
        sids_a = {r["sid"] for r in dump(a)["recordings"]}
        sids_b = {r["sid"] for r in dump(b)["recordings"]}
        assert a.account_sid != b.account_sid and not sids_a & sids_b


@pytest.mark.parametrize("count,live_calls", [(0, 4), (1, 4), (5, 4), (12, 4), (250, 4), (7, 0), (40, 9)])
def test_the_default_list_shows_exactly_the_configured_count(count, live_calls):
    with make_emulator(recordings=count, live_calls=live_calls) as emu:
        api = Api(emu)
        assert len(api.all_pages("Recordings.json", {"PageSize": 1000})) == count
        in_progress = api.json("Calls.json", {"Status": "in-progress"})["calls"]
        own = [c for c in in_progress if not emu.store.calls[c["sid"]].conference_sid]
        assert len(own) == live_calls  # (plus the live conference's participant, when there is one)
        api.close()


@pytest.fixture(scope="module")
def mix():
    with make_emulator(recordings=2000) as emu:
        yield dump(emu), emu


def test_the_mix_of_recordings(mix):
    data, emu = mix
    recs = data["recordings"]
    statuses = Counter(r["status"] for r in recs)
    assert statuses["completed"] > 0.8 * len(recs)
    assert statuses["processing"] and statuses["absent"] and statuses["deleted"]
    assert statuses["in-progress"] and statuses["paused"]
    assert set(r["source"] for r in recs) == set(RECORDING_SOURCES)
    assert {r["channels"] for r in recs} == {1, 2}
    assert {r["track"] for r in recs} == {"inbound", "outbound", "both"}
    for rec in recs:
        if rec["status"] in ("completed", "deleted"):
            assert PRICE.match(rec["price"]) and rec["price_unit"] == "USD"
            assert int(rec["duration"]) >= 5
        if rec["status"] == "absent":
            assert rec["error_code"] in (16102, 16105)
        else:
            assert rec["error_code"] is None
        assert rec["start_time"] == rec["date_created"]
        assert gmt(rec["date_updated"]) >= gmt(rec["date_created"])
        assert NOW - timedelta(days=30) <= gmt(rec["date_created"]) <= NOW
    assert any(r["conference_sid"] for r in recs)
    encrypted = [r["encryption_details"] for r in recs if r["encryption_details"]]
    assert encrypted and all(set(e) == {"encryption_public_key_sid", "encryption_cek", "encryption_iv"}
                             for e in encrypted)
    durations = [int(r["duration"]) for r in recs if r["status"] == "completed"]
    assert min(durations) < 30 and max(durations) > 20 * 60 and max(durations) <= 40 * 60
    per_call = Counter(r["call_sid"] for r in recs)
    assert sum(1 for n in per_call.values() if n >= 2) > 50  # "recordings of this call" is interesting
    days = {gmt(r["date_created"]).date() for r in recs}
    assert len(days) >= 28


def test_calls_and_conferences_exist_for_every_recording(mix):
    data, _ = mix
    calls = {c["sid"]: c for c in data["calls"]}
    conferences = {c["sid"]: c for c in data["conferences"]}
    for rec in data["recordings"]:
        assert rec["call_sid"] in calls
        if rec["conference_sid"]:
            assert rec["conference_sid"] in conferences
    for call in data["calls"]:
        assert re.fullmatch(r"\+1\d{10}", call["to"]) and call["to_formatted"].startswith("(")
        if call["status"] == "completed":
            assert gmt(call["end_time"]) >= gmt(call["start_time"])


def test_transcriptions_and_add_ons(mix):
    data, emu = mix
    completed = [r for r in data["recordings"] if r["status"] in ("completed", "deleted")]
    with_tr = {t["recording_sid"] for t in data["transcriptions"]}
    assert 0.10 < len(with_tr) / len(completed) < 0.20
    assert {t["status"] for t in data["transcriptions"]} == {"completed", "failed", "in-progress"}
    for tr in data["transcriptions"]:
        if tr["status"] == "completed":
            assert len(tr["transcription_text"]) > 20 and PRICE.match(tr["price"])
        elif tr["status"] == "in-progress":
            assert tr["transcription_text"] is None
    assert 3 <= len(emu.store.add_on_results) <= 40
    assert any(result.payloads for result in emu.store.add_on_results.values())


def test_a_hundred_thousand_recordings_list_and_filter():
    with make_emulator(recordings=100_000) as emu:
        api = Api(emu)
        body = api.json("Recordings.json", {"PageSize": 1000})
        assert len(body["recordings"]) == 1000 and body["next_page_uri"]
        assert len(api.json(body["next_page_uri"])["recordings"]) == 1000
        call_sid = body["recordings"][500]["call_sid"]
        assert api.json("Recordings.json", {"CallSid": call_sid})["recordings"]
        day = gmt(body["recordings"][-1]["date_created"]).date().isoformat()
        assert api.json("Recordings.json", {"DateCreated": day, "PageSize": 5})["recordings"]
        api.close()


def test_hostile_strings_are_served_as_valid_json():
    with make_emulator(recordings=400, hostile=True) as emu:
        data = dump(emu)
        texts = {t["transcription_text"] for t in data["transcriptions"]}
        names = {c["friendly_name"] for c in data["conferences"]}
        assert texts & set(HOSTILE_STRINGS) and names & set(HOSTILE_STRINGS)


def test_a_long_recording_on_request():
    with make_emulator(recordings=5, long_recording_seconds=3600) as emu:
        longest = max(dump(emu)["recordings"], key=lambda r: int(r["duration"] or 0))
        assert (longest["duration"], longest["channels"], longest["status"]) == ("3600", 2, "completed")


def test_tests_can_add_recordings_through_the_store(fresh_api):
    rec = fresh_api.emu.store.add_recording(duration=12, channels=2, source="OutboundAPI")
    body = fresh_api.json(f"Recordings/{rec.sid}.json")
    assert (body["duration"], body["channels"], body["source"], body["status"]) == ("12", 2, "OutboundAPI", "completed")
    assert fresh_api.json(f"Calls/{rec.call_sid}.json")["sid"] == rec.call_sid


# -- clock and config ----------------------------------------------------------------------------


def test_manual_clock():
    clock = ManualClock(datetime(2026, 1, 1, 12, 0))  # naive: taken as UTC
    assert clock.now() == datetime(2026, 1, 1, 12, 0, tzinfo=timezone.utc)
    assert clock.advance(90.5) == datetime(2026, 1, 1, 12, 1, 30, 500000, tzinfo=timezone.utc)
    with pytest.raises(ValueError):
        clock.advance(-1)
    clock.set(datetime(2027, 6, 1, 14, 0, tzinfo=timezone(timedelta(hours=2))))
    assert clock.now() == datetime(2027, 6, 1, 12, 0, tzinfo=timezone.utc)


def test_config_is_checked():
    for bad in (dict(recordings=-1), dict(live_calls=-2), dict(processing_seconds=-1), dict(flavour="plivo"),
                dict(days=0), dict(long_recording_seconds=0)):
        with pytest.raises(ValueError):
            EmulatorConfig(**bad)
    with pytest.raises(TypeError):
        EmulatorConfig(clock=object())
    config = EmulatorConfig()
    assert (config.seed, config.recordings, config.processing_seconds, config.live_calls) == (1, 250, 3.0, 4)
    assert isinstance(config.faults, FaultConfig) and not config.faults.active
    assert config.clock.now().tzinfo is not None
