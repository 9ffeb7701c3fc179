"""Paging (both ways, limits, tokens), ordering and every list filter."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from urllib.parse import parse_qsl, urlsplit

import pytest

from .support import assert_error, gmt


def all_recordings(api, **params) -> list[dict]:
    return api.json("Recordings.json", {"PageSize": 1000, **params})["recordings"]


def walk(api, path: str, key: str, params: dict) -> tuple[list[list[str]], list[dict]]:
    """Follow next_page_uri to the end; returns the SIDs page by page and the envelopes."""
    body = api.json(path, params)
    pages, envelopes = [[item["sid"] for item in body[key]]], [body]
    while body["next_page_uri"]:
        body = api.json(body["next_page_uri"])
        pages.append([item["sid"] for item in body[key]])
        envelopes.append(body)
    return pages, envelopes


def test_pages_forward_and_back_cover_everything_once(api):
    everything = [r["sid"] for r in all_recordings(api)]
    assert len(everything) == 250
    pages, envelopes = walk(api, "Recordings.json", "recordings", {"PageSize": 7})
    assert [sid for page in pages for sid in page] == everything  # no gap, no duplicate, same order
    assert len(pages) == 36 and all(len(p) == 7 for p in pages[:-1]) and len(pages[-1]) == 250 - 35 * 7
    for number, body in enumerate(envelopes):
        assert body["page"] == number and body["page_size"] == 7
        assert body["start"] == number * 7 and body["end"] == number * 7 + len(body["recordings"]) - 1
        assert (body["previous_page_uri"] is None) == (number == 0)
        assert body["first_page_uri"].endswith("Recordings.json?PageSize=7&Page=0")
        if number:
            assert body["uri"] == envelopes[number - 1]["next_page_uri"]
    assert envelopes[-1]["next_page_uri"] is None
    # ... and back again with previous_page_uri, page by page.
    body, back = envelopes[-1], []
    while body["previous_page_uri"]:
        body = api.json(body["previous_page_uri"])
        back.append(([r["sid"] for r in body["recordings"]], body["page"]))
    assert [page for page, _ in back] == pages[-2::-1]
    assert [number for _, number in back] == list(range(len(pages) - 2, -1, -1))


def test_page_tokens_name_the_neighbouring_items(api):
    body = api.json("Recordings.json", {"PageSize": 3})
    query = dict(parse_qsl(urlsplit(body["next_page_uri"]).query))
    assert query == {"PageSize": "3", "Page": "1", "PageToken": "PA" + body["recordings"][-1]["sid"]}
    second = api.json(body["next_page_uri"])
    query = dict(parse_qsl(urlsplit(second["previous_page_uri"]).query))
    assert query == {"PageSize": "3", "Page": "0", "PageToken": "PB" + second["recordings"][0]["sid"]}
    assert second["uri"] == body["next_page_uri"]


def test_keyset_paging_survives_a_new_recording_at_the_top(fresh_api):
    api, store = fresh_api, fresh_api.emu.store
    first = api.json("Recordings.json", {"PageSize": 5})
    idle = next(c for c in store.call_list()
                if c.status == "in-progress" and not store.active_recordings(call_sid=c.sid) and not c.conference_sid)
    assert api.post(f"Calls/{idle.sid}/Recordings.json").status_code == 201
    second = api.json(first["next_page_uri"])
    everything = [r["sid"] for r in all_recordings(api)]
    seen = [r["sid"] for r in first["recordings"] + second["recordings"]]
    assert seen == everything[1:11]  # continues after the last item shown, the new one is on top


def test_page_size_limits_and_default(api):
    assert api.json("Recordings.json")["page_size"] == 50
    assert len(api.json("Recordings.json")["recordings"]) == 50
    assert len(api.json("Recordings.json", {"PageSize": 1})["recordings"]) == 1
    assert len(api.json("Recordings.json", {"PageSize": 1000})["recordings"]) == 250
    for bad in ("0", "1001", "-5", "ten", ""):
        body = assert_error(api.get("Recordings.json", params={"PageSize": bad}), 400, 20001)
        assert "PageSize" in body["message"]
    for path in ("Calls.json", "Conferences.json", "Transcriptions.json"):
        assert_error(api.get(path, params={"PageSize": 5000}), 400, 20001)


@pytest.mark.parametrize("params", [
    {"Page": "2"},
    {"Page": "-1", "PageToken": "PARE" + "0" * 32},
    {"Page": "x"},
    {"Page": "1", "PageToken": "garbage"},
    {"Page": "1", "PageToken": "PACA" + "0" * 32},  # a call SID in a recordings token
    {"Page": "1", "PageToken": "PARE" + "f" * 32},  # no such recording
    {"Page": "1", "PageToken": "PXRE" + "0" * 32},
])
def test_bad_paging_parameters_are_400(api, params):
    assert_error(api.get("Recordings.json", params=params), 400, 20001)


def test_ordering_is_newest_first_then_by_sid(api):
    recs = all_recordings(api, IncludeSoftDeleted="true")
    keys = [(-gmt(r["date_created"]).timestamp(), r["sid"]) for r in recs]
    assert keys == sorted(keys)


# -- date filters --------------------------------------------------------------------------------


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def days(api):
    recs = all_recordings(api)
    found = sorted({gmt(r["date_created"]).date() for r in recs})
    assert len(found) > 20
    return recs, found


def test_date_created_is_that_gmt_day(api, days):
    recs, found = days
    day = found[len(found) // 2]
    expected = [r["sid"] for r in recs if gmt(r["date_created"]).date() == day]
    body = api.json("Recordings.json", {"DateCreated": day.isoformat(), "PageSize": 1000})
    assert [r["sid"] for r in body["recordings"]] == expected and expected
    assert f"DateCreated={day.isoformat()}" in body["uri"]


def test_date_created_before_is_on_or_before_midnight_of_that_date(api, days):
    recs, found = days
    day = found[len(found) // 2]
    expected = [r["sid"] for r in recs if gmt(r["date_created"]) <= _midnight(day)]
    for key in ("DateCreated<", "DateCreated<="):
        body = api.json("Recordings.json", {key: day.isoformat(), "PageSize": 1000})
        assert [r["sid"] for r in body["recordings"]] == expected and expected
        assert f"DateCreated%3C={day.isoformat()}" in body["uri"]  # the canonical key, URL-encoded
    # Nothing created on the day itself (after its midnight) is included.
    assert all(gmt(r["date_created"]).date() < day for r in body["recordings"])


def test_date_created_after_is_on_or_after_midnight_of_that_date(api, days):
    recs, found = days
    day = found[len(found) // 2]
    expected = [r["sid"] for r in recs if gmt(r["date_created"]) >= _midnight(day)]
    for key in ("DateCreated>", "DateCreated>="):
        body = api.json("Recordings.json", {key: day.isoformat(), "PageSize": 1000})
        assert [r["sid"] for r in body["recordings"]] == expected and expected
        assert f"DateCreated%3E={day.isoformat()}" in body["uri"]


def test_raw_inequality_in_the_query_string(api, days):
    """Twilio's documented spelling ``DateCreated>=YYYY-MM-DD`` parses as the key ``DateCreated>``."""
    recs, found = days
    lo, hi = found[3], found[-4]
    response = api.http.get(api.url(f"Recordings.json?DateCreated>={lo}&DateCreated<={hi}&PageSize=1000"))
    expected = [r["sid"] for r in recs if _midnight(lo) <= gmt(r["date_created"]) <= _midnight(hi)]
    assert [r["sid"] for r in response.json()["recordings"]] == expected and expected


def test_a_range_pages_with_its_filters(api, days):
    recs, found = days
    lo, hi = found[2], found[-3]
    params = {"DateCreated>": lo.isoformat(), "DateCreated<": hi.isoformat(), "PageSize": 4}
    pages, envelopes = walk(api, "Recordings.json", "recordings", params)
    expected = [r["sid"] for r in recs if _midnight(lo) <= gmt(r["date_created"]) <= _midnight(hi)]
    assert [sid for page in pages for sid in page] == expected
    for body in envelopes[:-1]:
        query = dict(parse_qsl(urlsplit(body["next_page_uri"]).query))
        assert query["DateCreated>"] == lo.isoformat() and query["DateCreated<"] == hi.isoformat()


def test_a_date_time_value_is_accepted(api, days):
    recs, _ = days
    cut = gmt(recs[40]["date_created"])
    body = api.json("Recordings.json", {"DateCreated>": cut.strftime("%Y-%m-%dT%H:%M:%SZ"), "PageSize": 1000})
    assert [r["sid"] for r in body["recordings"]] == [r["sid"] for r in recs if gmt(r["date_created"]) >= cut]


@pytest.mark.parametrize("key", ["DateCreated", "DateCreated<", "DateCreated>"])
@pytest.mark.parametrize("value", ["2026-13-01", "yesterday", "20261101", "2026-11-01T25:00:00Z", ""])
def test_malformed_dates_are_400(api, key, value):
    body = assert_error(api.get("Recordings.json", params={key: value}), 400, 20001)
    assert key in body["message"]


# -- SID filters ---------------------------------------------------------------------------------


def test_call_sid_filter_matches_the_calls_own_list(api):
    store = api.emu.store
    call_sid = next(sid for sid, group in store._by_call.items() if len(group) >= 2
                    and all(r.status != "deleted" for r in group))
    body = api.json("Recordings.json", {"CallSid": call_sid})
    sids = [r["sid"] for r in body["recordings"]]
    assert len(sids) >= 2 and all(r["call_sid"] == call_sid for r in body["recordings"])
    assert sids == [r["sid"] for r in api.json(f"Calls/{call_sid}/Recordings.json")["recordings"]]
    assert f"CallSid={call_sid}" in body["first_page_uri"]


def test_conference_sid_filter_matches_the_conferences_own_list(api):
    conf = next(r for r in all_recordings(api) if r["conference_sid"])["conference_sid"]
    body = api.json("Recordings.json", {"ConferenceSid": conf})
    assert body["recordings"] and all(r["conference_sid"] == conf for r in body["recordings"])
    own = api.json(f"Conferences/{conf}/Recordings.json")["recordings"]
    assert [r["sid"] for r in body["recordings"]] == [r["sid"] for r in own]


def test_filters_combine(api, days):
    recs, _ = days
    rec = next(r for r in recs if r["conference_sid"])
    day = gmt(rec["date_created"]).date()
    for when in (day, day + timedelta(days=1)):
        params = {"ConferenceSid": rec["conference_sid"], "CallSid": rec["call_sid"], "DateCreated": when.isoformat()}
        expected = [r["sid"] for r in recs if r["conference_sid"] == rec["conference_sid"]
                    and r["call_sid"] == rec["call_sid"] and gmt(r["date_created"]).date() == when]
        assert [r["sid"] for r in api.json("Recordings.json", params)["recordings"]] == expected
    assert rec["sid"] in [r["sid"] for r in api.json("Recordings.json", {
        "ConferenceSid": rec["conference_sid"], "DateCreated": day.isoformat()})["recordings"]]


def test_an_unknown_well_formed_call_lists_nothing(api):
    body = api.json("Recordings.json", {"CallSid": "CA" + "0" * 32})
    assert body["recordings"] == [] and body["next_page_uri"] is None and body["end"] == 0


@pytest.mark.parametrize("key,value", [("CallSid", "CA123"), ("CallSid", "RE" + "0" * 32), ("ConferenceSid", "x"),
                                       ("ConferenceSid", "CF" + "g" * 32), ("IncludeSoftDeleted", "maybe")])
def test_malformed_filters_are_400(api, key, value):
    body = assert_error(api.get("Recordings.json", params={key: value}), 400, 20001)
    assert key in body["message"]


# -- soft-deleted --------------------------------------------------------------------------------


def test_deleted_recordings_only_with_include_soft_deleted(api):
    visible = all_recordings(api)
    everything = all_recordings(api, IncludeSoftDeleted="true")
    deleted = [r for r in everything if r["status"] == "deleted"]
    assert deleted and not any(r["status"] == "deleted" for r in visible)
    assert len(everything) == len(visible) + len(deleted)
    assert all_recordings(api, IncludeSoftDeleted="false") == visible
    assert all_recordings(api, IncludeSoftDeleted="True") == everything
    body = api.json("Recordings.json", {"IncludeSoftDeleted": "true", "PageSize": 2})
    assert "IncludeSoftDeleted=true" in body["next_page_uri"]


def test_fetching_a_deleted_recording_needs_include_soft_deleted(api):
    deleted = next(r for r in all_recordings(api, IncludeSoftDeleted="true") if r["status"] == "deleted")
    assert_error(api.get(f"Recordings/{deleted['sid']}.json"), 404, 20404)
    body = api.json(f"Recordings/{deleted['sid']}.json", {"IncludeSoftDeleted": "true"})
    assert body["status"] == "deleted" and body["duration"] and body["price"]  # metadata kept
    assert_error(api.get(f"Recordings/{deleted['sid']}.wav"), 404, 20404)  # media gone
    # A call's list never shows it; fetching it through its call is Not Found.
    assert deleted["sid"] not in [r["sid"] for r in api.json(f"Calls/{deleted['call_sid']}/Recordings.json")
                                  ["recordings"]]
    assert_error(api.get(f"Calls/{deleted['call_sid']}/Recordings/{deleted['sid']}.json"), 404, 20404)


# -- calls, conferences, transcriptions ----------------------------------------------------------


def test_calls_status_filter(api):
    live = api.json("Calls.json", {"Status": "in-progress"})
    assert live["calls"] and all(c["status"] == "in-progress" for c in live["calls"])
    assert all(c["end_time"] is None and c["duration"] is None for c in live["calls"])
    assert "Status=in-progress" in live["uri"]
    done = api.json("Calls.json", {"Status": "completed", "PageSize": 5})
    assert all(c["status"] == "completed" for c in done["calls"]) and "Status=completed" in done["next_page_uri"]
    assert_error(api.get("Calls.json", params={"Status": "talking"}), 400, 20001)


def test_conferences_status_filter(api):
    live = api.json("Conferences.json", {"Status": "in-progress"})["conferences"]
    assert len(live) == 1 and live[0]["reason_conference_ended"] is None
    done = api.json("Conferences.json", {"Status": "completed", "PageSize": 1000})["conferences"]
    assert done and all(c["status"] == "completed" and c["reason_conference_ended"] for c in done)
    assert_error(api.get("Conferences.json", params={"Status": "ended"}), 400, 20001)
    name = done[0]["friendly_name"]
    named = api.json("Conferences.json", {"FriendlyName": name, "PageSize": 1000})["conferences"]
    assert named and all(c["friendly_name"] == name for c in named)


def test_other_lists_page_both_ways(api):
    for path, key in (("Transcriptions.json", "transcriptions"), ("Calls.json", "calls"),
                      ("Conferences.json", "conferences")):
        everything = [item["sid"] for item in api.json(path, {"PageSize": 1000})[key]]
        pages, envelopes = walk(api, path, key, {"PageSize": 6})
        assert [sid for page in pages for sid in page] == everything and len(pages) > 2
        back = api.json(envelopes[-1]["previous_page_uri"])
        assert [item["sid"] for item in back[key]] == pages[-2]
