"""The client's transport rules over real loopback sockets: retries, errors, credential origin."""

from __future__ import annotations

import base64

import pytest

from rec_tui.api import (
    ApiError,
    AuthenticationError,
    InsecureTransportError,
    MalformedResponseError,
    NetworkError,
    RateLimitedError,
    Recording,
    RecordingsClient,
    RetryPolicy,
    custom_endpoint,
)
from rec_tui.api.providers import Endpoint
from rec_tui.api.client import parse_retry_after

from .conftest import Answer
from .test_models import recording_json

ACCOUNT = "AC" + "1" * 32
TOKEN = "tok-" + "s3cr3t" * 5
CALL = "CA" + "2" * 32
REC = "RE" + "c" * 32


def page(*items, next_uri=None):
    return {"recordings": list(items), "page": 0, "page_size": 50, "start": 0, "end": max(len(items) - 1, 0),
            "first_page_uri": "/first", "next_page_uri": next_uri, "previous_page_uri": None, "uri": "/this"}


@pytest.fixture
async def client(scripted, sleeps):
    policy = RetryPolicy(attempts=6, base_delay=0.25, max_delay=8, budget=60, sleep=sleeps, jitter=lambda: 1.0)
    c = RecordingsClient(custom_endpoint(scripted.url), ACCOUNT, ACCOUNT, TOKEN, retry=policy)
    yield c
    await c.aclose()


def basic(user, password):
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


async def test_list_sends_basic_auth_and_exact_query(scripted, client):
    from datetime import date

    from rec_tui.api import RecordingFilter

    scripted.add(Answer(200, page(recording_json())))
    result = await client.list_recordings(RecordingFilter(created_before=date(2026, 1, 2), call_sid=CALL), 20)
    assert isinstance(result.items[0], Recording)
    sent = scripted.requests[0]
    assert sent["path"] == f"/2010-04-01/Accounts/{ACCOUNT}/Recordings.json?DateCreated%3C=2026-01-02&CallSid={CALL}&PageSize=20"
    assert sent["headers"]["Authorization"] == basic(ACCOUNT, TOKEN)
    assert TOKEN not in sent["path"]


async def test_reads_retry_5xx_and_429_honouring_retry_after(scripted, client, sleeps):
    scripted.add(
        Answer(503, {"code": 20503, "message": "Service unavailable", "status": 503}),
        Answer(429, {"code": 20429, "message": "Too many requests", "status": 429}, {"Retry-After": "3"}),
        Answer(200, page(recording_json())),
    )
    result = await client.list_recordings()
    assert len(result.items) == 1 and len(scripted.requests) == 3
    assert sleeps[0] == pytest.approx(0.25) and sleeps[1] == pytest.approx(3.0)


async def test_reads_retry_dropped_connections_and_malformed_json(scripted, client):
    scripted.add(Answer(drop=True), Answer(200, b'{"recordings": [tru'), Answer(200, page()))
    result = await client.list_recordings()
    assert result.items == [] and len(scripted.requests) == 3


async def test_reads_give_up_and_say_so(scripted, client, sleeps):
    scripted.add(*[Answer(500, {"code": 20500, "message": "Internal Server Error", "status": 500})] * 10)
    with pytest.raises(ApiError) as info:
        await client.list_recordings()
    assert info.value.status == 500 and info.value.code == 20500
    assert "gave up after 6 attempt(s)" in str(info.value)
    assert len(scripted.requests) == 6


async def test_retry_after_beyond_the_budget_gives_up_at_once(scripted, client, sleeps):
    scripted.add(Answer(429, {"code": 20429, "message": "Too many requests", "status": 429}, {"Retry-After": "3600"}))
    with pytest.raises(RateLimitedError) as info:
        await client.list_recordings()
    assert info.value.retry_after == 3600 and sleeps == [] and "gave up" in str(info.value)


async def test_a_create_is_never_repeated(scripted, client):
    scripted.add(Answer(503, {"code": 20503, "message": "Service unavailable", "status": 503}), Answer(201, recording_json()))
    with pytest.raises(ApiError) as info:
        await client.create_call_recording(CALL, channels="dual")
    assert info.value.status == 503
    assert len(scripted.requests) == 1
    assert scripted.requests[0]["body"] == b"RecordingChannels=dual"


async def test_a_create_whose_answer_is_lost_is_reported_as_maybe_applied(scripted, client):
    scripted.add(Answer(drop=True))
    with pytest.raises(NetworkError) as info:
        await client.create_call_recording(CALL)
    assert info.value.sent is not False and len(scripted.requests) == 1


async def test_delete_retried_after_a_lost_answer_counts_404_as_done(scripted, client):
    scripted.add(Answer(drop=True), Answer(404, {"code": 20404, "message": "not found", "status": 404}))
    await client.delete_recording(REC)
    assert [r["method"] for r in scripted.requests] == ["DELETE", "DELETE"]


async def test_first_delete_404_is_an_error(scripted, client):
    scripted.add(Answer(404, {"code": 20404, "message": "The requested resource was not found", "status": 404}))
    with pytest.raises(ApiError) as info:
        await client.delete_recording(REC)
    assert info.value.status == 404


async def test_client_errors_carry_twilio_fields_and_are_not_retried(scripted, client):
    scripted.add(Answer(401, {"code": 20003, "message": "Authenticate", "more_info": "https://www.twilio.com/docs/errors/20003", "status": 401}))
    with pytest.raises(AuthenticationError) as info:
        await client.list_recordings()
    err = info.value
    assert (err.status, err.code, err.message, err.more_info) == (401, 20003, "Authenticate", "https://www.twilio.com/docs/errors/20003")
    assert len(scripted.requests) == 1
    assert TOKEN not in repr(err) and TOKEN not in str(err)


async def test_an_error_without_a_twilio_body_still_reads_well(scripted, client):
    scripted.add(Answer(400, b"<html>bad gateway</html>", {"Content-Type": "text/html"}))
    with pytest.raises(ApiError) as info:
        await client.list_recordings()
    assert info.value.status == 400 and "no Twilio error body" in info.value.message


async def test_page_uris_on_another_host_are_refused_before_sending(scripted, client, other_host):
    scripted.add(Answer(200, page(recording_json(), next_uri=f"{other_host.url}/2010-04-01/Accounts/{ACCOUNT}/Recordings.json?Page=1")))
    first = await client.list_recordings()
    with pytest.raises(InsecureTransportError):
        await client.next_page(first)
    assert other_host.requests == []


async def test_page_uri_outside_the_account_is_malformed(scripted, client):
    scripted.add(Answer(200, page(recording_json(), next_uri="/2010-04-01/Accounts/AC" + "9" * 32 + "/Recordings.json")))
    first = await client.list_recordings()
    with pytest.raises(MalformedResponseError):
        await client.next_page(first)


async def test_media_redirect_to_another_host_carries_no_credentials(scripted, client, other_host):
    scripted.add(Answer(302, b"", {"Location": f"{other_host.url}/bucket/{REC}.wav?sig=1"}))
    async with client.media_stream(REC) as response:
        body = await response.aread()
    assert body == b"RIFF-not-really"
    assert scripted.requests[0]["headers"]["Authorization"] == basic(ACCOUNT, TOKEN)
    assert "Authorization" not in other_host.requests[0]["headers"]
    assert all(TOKEN not in str(v) for v in other_host.requests[0]["headers"].values())


async def test_external_media_url_gets_no_credentials(client, other_host):
    async with client.media_stream(REC, url=f"{other_host.url}/storage/{REC}") as response:
        await response.aread()
    assert "Authorization" not in other_host.requests[0]["headers"]


async def test_media_errors_carry_the_error_body(scripted, client):
    scripted.add(Answer(404, {"code": 20404, "message": "The requested resource was not found", "status": 404}))
    with pytest.raises(ApiError) as info:
        async with client.media_stream(REC, "mp3"):
            pass
    assert info.value.status == 404 and scripted.requests[0]["path"].endswith(f"/Recordings/{REC}.mp3")


async def test_connection_refused_is_a_network_error(sleeps):
    policy = RetryPolicy(attempts=2, sleep=sleeps)
    c = RecordingsClient(custom_endpoint("http://127.0.0.1:9"), ACCOUNT, ACCOUNT, TOKEN, retry=policy)
    with pytest.raises(NetworkError) as info:
        await c.list_recordings()
    await c.aclose()
    assert info.value.sent is False and "could not connect" in str(info.value)


def test_non_loopback_http_is_refused():
    with pytest.raises(InsecureTransportError):
        RecordingsClient(Endpoint("custom", "http://api.example.com", "/2010-04-01"), ACCOUNT, ACCOUNT, TOKEN)


def test_client_repr_hides_the_token():
    c = RecordingsClient(custom_endpoint("http://127.0.0.1:9"), ACCOUNT, ACCOUNT, TOKEN)
    assert TOKEN not in repr(c) and TOKEN not in repr(c._http.auth) and TOKEN not in repr(vars(c))


@pytest.mark.parametrize(("value", "expected"), [("3", 3.0), (None, None), ("soon", None), ("", None)])
def test_parse_retry_after(value, expected):
    assert parse_retry_after(value) == expected
