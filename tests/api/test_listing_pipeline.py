"""Listing fast: the next page is requested while the current one is read, pages are parsed off
the event loop, and the fast date parser agrees with the email parser it stands in for."""

from __future__ import annotations

import asyncio
import threading
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime, parsedate_to_datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rec_tui.api import InsecureTransportError, NotFoundError, RecordingsClient, RetryPolicy, custom_endpoint
from rec_tui.api.models import Page, Recording, parse_rfc2822

from .conftest import Answer
from .test_models import recording_json

ACCOUNT = "AC" + "1" * 32
TOKEN = "tok-" + "s3cr3t" * 5
LIST = f"/2010-04-01/Accounts/{ACCOUNT}/Recordings.json"


def rec(i: int) -> dict:
    return recording_json(sid=f"RE{i:032x}")


def page(items: list[dict], next_uri: str | None = None) -> dict:
    return {"recordings": items, "page": 0, "page_size": len(items), "start": 0, "end": len(items) - 1,
            "first_page_uri": LIST, "next_page_uri": next_uri, "previous_page_uri": None, "uri": LIST}


@pytest.fixture
async def client(scripted):
    c = RecordingsClient(custom_endpoint(scripted.url), ACCOUNT, ACCOUNT, TOKEN, retry=RetryPolicy(attempts=1))
    yield c
    await c.aclose()


async def until(predicate, what: str) -> None:
    for _ in range(500):
        if predicate():
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"never happened: {what}")


async def test_the_next_page_is_requested_before_the_first_is_read(scripted, client):
    second = f"{LIST}?PageSize=2&Page=1&PageToken=PA2"
    scripted.add(Answer(200, page([rec(1), rec(2)], second)), Answer(200, page([rec(3)])))
    listing = client.iter_recordings(page_size=2)
    first = await anext(listing)
    assert first.sid == f"RE{1:032x}"
    # Only one recording taken so far, and the service is already asked for the next page.
    await until(lambda: len(scripted.requests) == 2, "the second page requested")
    assert scripted.requests[1]["path"] == second
    rest = [r.sid async for r in listing]
    assert rest == [f"RE{2:032x}", f"RE{3:032x}"]
    assert len(scripted.requests) == 2


async def test_a_limit_inside_the_first_page_asks_for_no_other(scripted, client):
    scripted.add(Answer(200, page([rec(1), rec(2), rec(3)], f"{LIST}?Page=1")))
    assert [r.sid async for r in client.iter_recordings(limit=2)] == [f"RE{1:032x}", f"RE{2:032x}"]
    assert len(scripted.requests) == 1


async def test_leaving_early_drops_the_prefetch_quietly(scripted, client):
    loop = asyncio.get_running_loop()
    errors = []
    loop.set_exception_handler(lambda _loop, context: errors.append(context))
    scripted.add(Answer(200, page([rec(1), rec(2)], f"{LIST}?Page=1")))  # the next page: a scripted 404
    listing = client.iter_recordings()
    await anext(listing)
    await until(lambda: len(scripted.requests) == 2, "the prefetch sent")
    await listing.aclose()
    await asyncio.sleep(0)
    import gc

    gc.collect()  # an unretrieved task error is reported when the task is collected
    await asyncio.sleep(0)
    assert errors == []


async def test_a_failed_next_page_fails_after_this_pages_recordings(scripted, client):
    scripted.add(Answer(200, page([rec(1), rec(2)], f"{LIST}?Page=1")))  # then the 404 default
    seen = []
    with pytest.raises(NotFoundError):
        async for recording in client.iter_recordings():
            seen.append(recording.sid)
    assert seen == [f"RE{1:032x}", f"RE{2:032x}"]


async def test_a_next_page_on_another_host_is_refused_in_order(scripted, client, other_host):
    scripted.add(Answer(200, page([rec(1)], f"{other_host.url}{LIST}?Page=1")))
    seen = []
    with pytest.raises(InsecureTransportError):
        async for recording in client.iter_recordings():
            seen.append(recording.sid)
    assert seen == [f"RE{1:032x}"]
    assert other_host.requests == []


@pytest.mark.parametrize("fields", [{}, {"end_time": "Fri, 14 Oct 2016 21:56:34 +0000"}],
                         ids=["typed decode", "the general way"])
async def test_pages_are_parsed_off_the_event_loop_thread(scripted, client, monkeypatch, fields):
    threads = []
    original = Page.around.__func__

    def recording_thread(cls, items, data):
        threads.append(threading.current_thread())
        return original(cls, items, data)

    monkeypatch.setattr(Page, "around", classmethod(recording_thread))
    items = [rec(i) | fields for i in range(300)]
    scripted.add(Answer(200, page(items)), Answer(200, page(items)))
    result = await client.list_recordings(page_size=1000)
    assert len(result.items) == 300 and result.items[299].sid == f"RE{299:032x}"
    assert result.items[0].extra == fields
    assert [r.sid async for r in client.iter_recordings()] == [r.sid for r in result.items]
    assert len(threads) == 2 and threading.main_thread() not in threads


# -- the fast date parser ------------------------------------------------------------------------


def email_parser(text: str) -> datetime | None:
    """What parse_rfc2822 did before its fast path: the email parser, converted to UTC."""
    try:
        parsed = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if parsed is None or parsed.tzinfo is None:
        return None
    try:
        return parsed.astimezone(timezone.utc)
    except OverflowError:
        return None


def parsed_or_none(text: str) -> datetime | None:
    try:
        return parse_rfc2822(text)
    except ValueError:
        return None


@settings(max_examples=300, deadline=None)
@given(st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31, 23, 59, 59)))
def test_every_date_twilio_sends_parses_as_the_email_parser_reads_it(moment):
    text = format_datetime(moment.replace(microsecond=0, tzinfo=timezone.utc))
    assert parsed_or_none(text) == email_parser(text)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["Mon", "Fri", "Sun"]), st.integers(0, 99),
       st.sampled_from(["Jan", "Feb", "Apr", "Dec", "Foo", "jan"]), st.integers(0, 12000),
       st.integers(0, 99), st.integers(0, 99), st.integers(0, 99), st.sampled_from(["+0000", "-0000", "+0100"]))
def test_near_misses_of_twilios_shape_read_as_the_email_parser_reads_them(wday, day, month, year, h, m, s, zone):
    text = f"{wday}, {day:02d} {month} {year:04d} {h:02d}:{m:02d}:{s:02d} {zone}"
    first = parsed_or_none(text)
    # Read again once the day's midnight is known (if the day is valid): the lookup path.
    parsed_or_none(f"{wday}, {day:02d} {month} {year:04d} 12:00:00 +0000")
    again, slow = parsed_or_none(text), email_parser(text)
    assert first == again == slow
    if again is not None:
        assert again.utcoffset() == timedelta(0)


@pytest.mark.parametrize("clock", ["00:00:00", "23:59:59", "24:00:00", "23:60:00", "23:59:60", "99:99:99",
                                   "7:05:09", "07:05:9", "07-05-09", "٠٧:05:09"])
@pytest.mark.parametrize("zone", ["+0000", "-0000", "+0100", "+000", "GMT", "+0000 "])
def test_times_of_a_known_day_read_as_the_email_parser_reads_them(clock, zone):
    parse_rfc2822("Tue, 29 Feb 2028 12:00:00 +0000")  # the day is known: the lookup path
    text = f"Tue, 29 Feb 2028 {clock} {zone}"
    assert parsed_or_none(text) == email_parser(text)


def test_the_days_kept_for_fast_date_reading_are_bounded():
    from rec_tui.api import models

    start = datetime(2001, 1, 1, tzinfo=timezone.utc)
    texts = [format_datetime(start + timedelta(days=n, seconds=n)) for n in range(models._MIDNIGHTS_MAX + 500)]
    assert [parse_rfc2822(text) for text in texts] == [start + timedelta(days=n, seconds=n) for n in range(len(texts))]
    assert len(models._MIDNIGHTS) <= models._MIDNIGHTS_MAX
    # Past the bound, dates still read right (the general way), and again.
    assert [parse_rfc2822(text) for text in texts[-3:]] == [start + timedelta(days=n, seconds=n)
                                                           for n in range(len(texts) - 3, len(texts))]


def test_a_recordings_equal_dates_share_one_object():
    stamp = "Fri, 14 Oct 2016 21:56:34 +0000"
    recording = Recording.from_json(recording_json(date_created=stamp, date_updated=stamp, start_time=stamp))
    assert recording.date_created == datetime(2016, 10, 14, 21, 56, 34, tzinfo=timezone.utc)
    assert recording.date_created is recording.date_updated is recording.start_time


def test_from_json_keeps_reading_oddly_typed_fields_through_the_slow_path():
    # Fast paths take str for text and int for numbers; everything else is still judged field by field.
    recording = Recording.from_json(recording_json(duration="17", channels=2.0, api_version=2010, source=True))
    assert (recording.duration, recording.channels, recording.api_version) == (17, 2, "2010")
    assert recording.source is None and any(p.startswith("source:") for p in recording.problems)


# -- TLS set-up at start-up ----------------------------------------------------------------------


def test_a_plain_http_loopback_origin_skips_the_ca_bundle_but_trusts_no_certificate():
    import ssl

    from rec_tui.api.client import _tls_context

    # The emulator's origin: no CA bundle is loaded (0.1 s of start-up), and a redirect to
    # https there could not be verified, so it is refused rather than trusted.
    context = _tls_context("http://127.0.0.1:8765")
    assert isinstance(context, ssl.SSLContext)
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    assert context.cert_store_stats()["x509_ca"] == 0
    # Real services: httpx's own verification against the CA bundle.
    assert _tls_context("https://api.twilio.com") is True


def test_values_repeated_on_every_row_are_stored_once():
    # 100,000 loaded recordings repeat the account, the API version, a handful of statuses,
    # sources, tracks and prices: one object per value, not per row (~40 MB at 100k rows).
    import json

    # Decoded JSON, as the client gets it: every value its own string object.
    bodies = json.loads(json.dumps([recording_json(sid=f"RE{i:032x}") for i in (1, 2)]))
    assert bodies[0]["status"] is not bodies[1]["status"]
    first, second = (Recording.from_json(body) for body in bodies)
    for field in ("account_sid", "api_version", "status", "source", "price_unit", "track", "price"):
        assert getattr(first, field) == getattr(second, field) is not None
        assert getattr(first, field) is getattr(second, field), field
    assert first.sid is not second.sid
    odd = Recording.from_json(recording_json(status=7, price="Infinity"))  # still read as before
    assert odd.status == "7" and odd.price is None and any(p.startswith("price:") for p in odd.problems)
