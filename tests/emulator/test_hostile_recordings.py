"""``hostile=True`` serves recordings with hostile field values; without it nothing changes."""

from __future__ import annotations

import json

from rec_tui.api.models import Page, Recording
from rec_tui.emulator.models import HOSTILE_RECORDING_FIELDS, hostile_recording_fields

from .support import Api, make_emulator


def raw_recordings(emu) -> list[dict]:
    with Api(emu) as api:
        response = api.get("Recordings.json", {"PageSize": 1000})
        assert response.status_code == 200
        # Strict JSON: control characters must arrive escaped, never raw in the document. The
        # emulator's own port is taken out of media_url, so two emulators can be compared.
        text = response.content.decode("utf-8").replace(emu.base_url, "http://emulator")
        return json.loads(text, strict=True)["recordings"]


def test_hostile_values_replace_fields_of_some_recordings_and_nothing_else():
    with make_emulator() as plain_emu, make_emulator(hostile=True) as hostile_emu:
        plain, hostile = raw_recordings(plain_emu), raw_recordings(hostile_emu)
    # The same seeded recordings, in the same order: the flag does not disturb the seed.
    assert [r["sid"] for r in plain] == [r["sid"] for r in hostile] and len(plain) == 250
    changed = 0
    for before, after in zip(plain, hostile):
        overrides = hostile_recording_fields(before["sid"])
        if overrides is None:
            assert after == before
            continue
        changed += 1
        assert after == {**before, **{k: v for k, v in overrides.items() if k in before}}
    assert 250 // 10 < changed < 250 // 3
    served = [hostile_recording_fields(r["sid"]) for r in plain]
    assert all(any(s is variant for s in served) for variant in HOSTILE_RECORDING_FIELDS), "every kind is served"


def test_the_hostile_kinds_cover_the_list_of_the_issue():
    values = [v for variant in HOSTILE_RECORDING_FIELDS for v in variant.values()]
    texts = [v for v in values if isinstance(v, str)]
    assert any("[link=" in t for t in texts) and any(t.rstrip().endswith("[unbalanced") for t in texts)
    assert any("\x1b[" in t for t in texts) and any("\x00" in t and "\x07" in t for t in texts)
    assert any(len(t) >= 10_000 for t in texts)
    assert any("📞" in t for t in texts) and any("\u202e" in t for t in texts)
    assert None in values and any(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values)


def test_call_and_conference_recording_lists_are_hostile_too():
    with make_emulator(hostile=True) as emu, Api(emu) as api:
        recordings = raw_recordings(emu)
        # The call's real SID, from the store: a hostile variant serves a malformed one.
        call_of = {sid: rec.call_sid for sid, rec in emu.store.recordings.items()}
        target = next(r for r in recordings if hostile_recording_fields(r["sid"]) and call_of[r["sid"]])
        body = api.json(f"Calls/{call_of[target['sid']]}/Recordings.json")
        served = next(r for r in body["recordings"] if r["sid"] == target["sid"])
        for key, value in hostile_recording_fields(target["sid"]).items():
            if key in served:
                assert served[key] == value


def test_the_client_parses_every_hostile_recording():
    with make_emulator(hostile=True) as emu, Api(emu) as api:
        body = api.json("Recordings.json", {"PageSize": 1000})
    page = Page.from_json(Recording, body)
    assert len(page.items) == 250
    broken = [r for r in page.items if r.problems]
    # Unreadable values become None and are listed as problems; readable ones stay as sent.
    assert broken and all(r.sid for r in page.items)
    for rec in page.items:
        overrides = hostile_recording_fields(rec.sid) or {}
        if isinstance(overrides.get("source"), str):
            assert rec.source == overrides["source"]
        if overrides.get("date_created", "") is None:
            assert rec.date_created is None
