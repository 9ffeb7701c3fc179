"""Property tests of the error-body and date parsers, alone and through the client.

Any error answer becomes the client's own :class:`ApiError` (the right subclass, Twilio's fields
typed and bounded); any date either parses to an aware UTC datetime or raises ``ValueError``; any
answer body, through the client's real request path, either parses or raises ``ApiError``.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import httpx
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from rec_tui.api import ApiError, RecordingsClient, RetryPolicy, custom_endpoint
from rec_tui.api.client import _error_from_response
from rec_tui.api.errors import AuthenticationError, MalformedResponseError, NotFoundError, RateLimitedError
from rec_tui.api.models import Recording, parse_rfc2822

SETTINGS = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ACCOUNT = "AC" + "5" * 32
REC = "RE" + "6" * 32

scalars = (st.none() | st.booleans() | st.integers() | st.integers(min_value=-2**70, max_value=2**70)
           | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=30)
           | st.text(alphabet=st.characters(max_codepoint=0x9F), max_size=30))
any_json = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
                        max_leaves=6)
long_text = st.builds(lambda ch, n: ch * n, st.characters(), st.integers(min_value=0, max_value=12_000))
# Twilio's error body — code, message, more_info, status — with every field of any type.
error_bodies = st.fixed_dictionaries({}, optional={
    "code": scalars, "message": scalars | long_text, "more_info": scalars | long_text, "status": scalars,
    "details": any_json})
error_statuses = st.sampled_from([400, 401, 403, 404, 405, 409, 429, 500, 502, 503, 504]) | st.integers(400, 599)
retry_after_values = st.none() | st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=20) | st.integers(-5, 10**12).map(str) | st.datetimes(
    min_value=datetime(1900, 1, 1), max_value=datetime(2200, 1, 1), timezones=st.just(timezone.utc)).map(
    lambda d: format_datetime(d, usegmt=True))


def response(status: int, body: bytes, headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.Response(status, content=body, headers=headers or {},
                          request=httpx.Request("GET", "http://127.0.0.1/x"))


@SETTINGS
@given(error_statuses, error_bodies, retry_after_values)
def test_any_twilio_shaped_error_body_becomes_a_typed_api_error(status, body, retry_after):
    headers = {"Content-Type": "application/json"}
    if retry_after is not None:
        headers["Retry-After"] = retry_after
    error = _error_from_response(response(status, json.dumps(body).encode(), headers), "GET", "/x")
    expected = {401: AuthenticationError, 404: NotFoundError, 429: RateLimitedError}.get(status, ApiError)
    assert type(error) is expected and error.status == status
    # Fields are typed as documented, or absent: never a bool for a code, never unbounded text.
    assert error.code is None or (type(error.code) is int and error.code == body.get("code"))
    assert isinstance(error.message, str) and len(error.message) <= 2000
    if isinstance(body.get("message"), str):
        assert error.message == body["message"][:2000]
    else:
        assert "no Twilio error body" in error.message
    assert error.more_info is None or (isinstance(error.more_info, str) and len(error.more_info) <= 500)
    if status == 429:
        assert error.retry_after is None or error.retry_after >= 0
    assert error.message in str(error) and str(error) in error.summary


@SETTINGS
@given(error_statuses, st.binary(max_size=300) | st.text(max_size=100).map(str.encode),
       st.sampled_from(["application/json", "text/html", "application/json; charset=utf-16", ""]))
def test_error_bodies_that_are_not_json_objects_still_read_well(status, body, content_type):
    error = _error_from_response(response(status, body, {"Content-Type": content_type}), "DELETE", "/x")
    assert isinstance(error, ApiError) and error.status == status and error.method == "DELETE"
    assert isinstance(error.message, str) and error.message


# -- dates --------------------------------------------------------------------------------------

aware = st.datetimes(min_value=datetime(1900, 1, 2), max_value=datetime(9999, 12, 30),
                     timezones=st.builds(lambda m: timezone(timedelta(minutes=m)), st.integers(-23 * 60 - 59, 23 * 60 + 59)))
DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun", "Xyz", ""]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Foo", "13", ""]
ZONES = st.sampled_from(["+0000", "-0000", "GMT", "UT", "UTC", "EST", "PDT", "Z", "+2359", "-2359", "+9999", "+01", ""]) | \
    st.from_regex(r"[+-][0-9]{1,6}", fullmatch=True)
# Dates shaped like RFC 2822 with every part possibly out of range: the near misses a parser trips on.
near_misses = st.builds(
    lambda day, d, mon, y, h, mi, s, zone, sep: sep.join(filter(None, [f"{day}," if day else "", str(d), mon, str(y),
                                                                        f"{h:02d}:{mi:02d}:{s:02d}", zone])),
    st.sampled_from(DAYS), st.integers(0, 99), st.sampled_from(MONTHS), st.integers(0, 100_000) | st.sampled_from([1, 9999, 10000]),
    st.integers(0, 99), st.integers(0, 99), st.integers(0, 99), ZONES, st.sampled_from([" ", "  ", "\t"]))


@SETTINGS
@given(aware)
def test_every_rfc2822_date_round_trips_to_the_same_instant_in_utc(moment):
    moment = moment.replace(microsecond=0)
    parsed = parse_rfc2822(format_datetime(moment))
    assert parsed == moment and parsed.utcoffset() == timedelta(0)


@SETTINGS
@given(near_misses | st.text(max_size=60))
@example("Fri, 31 Dec 9999 23:59:59 -2359")  # valid in its zone, past year 9999 in UTC
@example("Sat, 01 Jan 0001 00:00:00 +2359")
def test_a_date_either_parses_to_aware_utc_or_raises_value_error(text):
    try:
        parsed = parse_rfc2822(text)
    except ValueError:  # the documented error, and only it (not OverflowError, IndexError ...)
        return
    assert parsed.tzinfo is not None and parsed.utcoffset() == timedelta(0)


@SETTINGS
@given(near_misses | scalars)
def test_a_date_field_never_costs_the_rest_of_the_recording(value):
    recording = Recording.from_json({"sid": REC, "status": "completed", "date_created": value, "duration": "7"})
    assert recording.sid == REC and recording.duration == 7
    if recording.date_created is None:
        assert value is None or any(p.startswith("date_created:") for p in recording.problems)
    else:
        assert recording.date_created.utcoffset() == timedelta(0) and not recording.problems


# -- through the client's real request path ------------------------------------------------------

bodies = (any_json.map(lambda v: json.dumps(v).encode()) | st.binary(max_size=200)
          | st.fixed_dictionaries({"recordings": st.lists(any_json, max_size=3)}, optional={
              "next_page_uri": any_json, "page": any_json, "page_size": any_json, "start": any_json}).map(
              lambda v: json.dumps(v).encode()))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.integers(200, 599), bodies, st.sampled_from(["list", "fetch", "transcriptions", "delete"]))
@pytest.mark.asyncio
async def test_any_answer_parses_or_raises_the_clients_own_error(status, body, operation):
    transport = httpx.MockTransport(lambda request: httpx.Response(status, content=body))
    client = RecordingsClient(custom_endpoint("http://127.0.0.1:9"), ACCOUNT, ACCOUNT, "token",
                              retry=RetryPolicy(attempts=1), transport=transport)
    try:
        call = {"list": lambda: client.list_recordings(), "fetch": lambda: client.fetch_recording(REC),
                "transcriptions": lambda: client.list_transcriptions(REC),
                "delete": lambda: client.delete_recording(REC)}[operation]
        try:
            result = await call()
        except ApiError as error:
            assert status >= 300 or isinstance(error, MalformedResponseError)
            assert isinstance(str(error), str)
            return
        assert status < 300
        if operation == "fetch":
            assert isinstance(result, Recording)
    finally:
        await client.aclose()
