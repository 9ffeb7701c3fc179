"""Opening a recording's media is a read: retried on 5xx, 429 and lost connections, never on 4xx."""

from __future__ import annotations

import pytest

from rec_tui.api import ApiError, NetworkError, NotFoundError, RecordingsClient, RetryPolicy, custom_endpoint

from .conftest import Answer

ACCOUNT = "AC" + "1" * 32
TOKEN = "tok-" + "m3d1a" * 5
REC = "RE" + "d" * 32
WAV = b"RIFF-pretend-audio"


@pytest.fixture
async def client(scripted, sleeps):
    policy = RetryPolicy(attempts=4, base_delay=0.25, max_delay=8, budget=60, sleep=sleeps, jitter=lambda: 1.0)
    c = RecordingsClient(custom_endpoint(scripted.url), ACCOUNT, ACCOUNT, TOKEN, retry=policy)
    yield c
    await c.aclose()


def audio(body: bytes = WAV) -> Answer:
    return Answer(200, body, {"Content-Type": "audio/x-wav"})


async def read(client: RecordingsClient) -> bytes:
    async with client.media_stream(REC) as response:
        return await response.aread()


async def test_5xx_and_429_are_retried_honouring_retry_after(scripted, client, sleeps):
    scripted.add(Answer(503, {"code": 20503, "message": "unavailable", "status": 503}),
                 Answer(429, {"code": 20429, "message": "slow down", "status": 429}, {"Retry-After": "3"}),
                 audio())
    assert await read(client) == WAV
    assert len(scripted.requests) == 3
    assert all(r["path"].endswith(f"/Recordings/{REC}.wav") for r in scripted.requests)
    assert sleeps == [0.25, 3.0]  # backoff, then the server's Retry-After


async def test_a_connection_dropped_before_the_answer_is_retried(scripted, client, sleeps):
    scripted.add(Answer(drop=True), audio())
    assert await read(client) == WAV
    assert len(scripted.requests) == 2 and len(sleeps) == 1


async def test_not_found_is_not_retried(scripted, client, sleeps):
    scripted.add(Answer(404, {"code": 20404, "message": "The requested resource was not found", "status": 404}))
    with pytest.raises(NotFoundError, match="requested resource was not found"):
        await read(client)
    assert len(scripted.requests) == 1 and sleeps == []


async def test_it_gives_up_after_its_attempts_and_says_so(scripted, client, sleeps):
    scripted.add(*[Answer(500, {"code": 20500, "message": "boom", "status": 500})] * 4)
    with pytest.raises(ApiError, match=r"boom — gave up after 4 attempt\(s\)") as info:
        await read(client)
    assert info.value.status == 500 and len(scripted.requests) == 4


async def test_a_failure_inside_the_body_is_a_network_error_and_not_repeated(sleeps):
    from rec_tui.emulator import Emulator, EmulatorConfig, FaultConfig

    # Every WAV answer announces its whole length but stops halfway: the headers were fine.
    faults = FaultConfig(truncate_rate=1.0, paths=(r"\.wav$",))
    with Emulator(EmulatorConfig(seed=3, recordings=20, live_calls=0, faults=faults)) as emu:
        rec = emu.store.add_recording(duration=2)
        policy = RetryPolicy(attempts=4, sleep=sleeps)
        async with RecordingsClient(custom_endpoint(emu.base_url), emu.account_sid, emu.account_sid,
                                    emu.auth_token, retry=policy) as c:
            with pytest.raises(NetworkError, match="media transfer failed"):
                async with c.media_stream(rec.sid) as response:
                    await response.aread()
        media_requests = [path for method, path, _ in emu.request_log if path.endswith(".wav")]
    assert len(media_requests) == 1 and sleeps == []
