"""Downloads from the embedded Twilio emulator (skipped until ``rec_tui.emulator`` provides it).

Uses only the emulator's documented surface — ``Emulator(EmulatorConfig(seed, recordings))`` as a
context manager with ``base_url``/``account_sid``/``auth_token`` — and the Recordings API contract
itself (``Recordings.json``, media at ``Recordings/RE….wav``). Fault cases (cut connections, short
bodies) are covered deterministically against the scripted server in ``test_download.py``.
"""

from __future__ import annotations

import httpx
import pytest

from rec_tui.media.download import DownloadItem, download, download_many
from rec_tui.media.paths import MediaCache

from .conftest import leftovers, sid

emulator = pytest.importorskip("rec_tui.emulator")
if not hasattr(emulator, "Emulator"):
    pytest.skip("the emulator has not landed yet", allow_module_level=True)


@pytest.fixture(scope="module")
def emu():
    with emulator.Emulator(emulator.EmulatorConfig(seed=7, recordings=50)) as running:
        yield running


@pytest.fixture
async def http(emu):
    async with httpx.AsyncClient(auth=(emu.account_sid, emu.auth_token), timeout=10) as client:
        yield client


def media_url(emu, recording_sid: str, fmt: str = "wav", channels: int | None = None) -> str:
    url = f"{emu.base_url}/2010-04-01/Accounts/{emu.account_sid}/Recordings/{recording_sid}.{fmt}"
    return url + (f"?RequestedChannels={channels}" if channels else "")


async def completed_sids(emu, http: httpx.AsyncClient, count: int, channels: int | None = None) -> list[str]:
    """Completed recordings; with ``channels=2`` only dual-channel ones (a mono recording made by
    ``<Conference>``/``<Record>`` has no two-channel file: the API answers 404 for it)."""
    response = await http.get(f"{emu.base_url}/2010-04-01/Accounts/{emu.account_sid}/Recordings.json",
                              params={"PageSize": 50})
    response.raise_for_status()
    sids = [r["sid"] for r in response.json()["recordings"]
            if r.get("status") == "completed" and (channels != 2 or r.get("channels") == 2)]
    if len(sids) < count:
        pytest.skip(f"the seeded emulator has only {len(sids)} completed recordings")
    return sids[:count]


@pytest.mark.parametrize("fmt,channels", [("wav", None), ("wav", 2), ("mp3", None)])
async def test_bytes_identical_to_what_the_emulator_serves(emu, http, tmp_path, fmt, channels):
    cache = MediaCache(emu.account_sid, tmp_path)
    for recording_sid in await completed_sids(emu, http, 3, channels):
        url = media_url(emu, recording_sid, fmt, channels)
        served = (await http.get(url)).content
        result = await download(lambda: http.stream("GET", url), cache.path_for(recording_sid, None, fmt, channels))
        assert result.path.read_bytes() == served


async def test_bulk_from_the_emulator_with_one_missing_recording(emu, http, tmp_path):
    cache = MediaCache(emu.account_sid, tmp_path)
    sids = await completed_sids(emu, http, 6) + [sid(0xBAD)]
    items = [DownloadItem(s, cache.path_for(s), lambda s=s: http.stream("GET", media_url(emu, s))) for s in sids]
    result = await download_many(items, concurrency=3)
    assert [f.sid for f in result.failures] == [sid(0xBAD)]
    assert "HTTP 404" in result.failures[0].reason
    assert len(result.completed) == 6
    assert leftovers(cache.directory) == sorted(cache.path_for(s).name for s in sids[:6])
    again = await download_many(items[:6])
    assert all(r.cached for r in again.completed)


async def test_with_the_api_client(emu, http, tmp_path):
    from rec_tui.api.client import RecordingsClient
    from rec_tui.api.providers import custom_endpoint

    (recording_sid,) = await completed_sids(emu, http, 1, channels=2)
    cache = MediaCache(emu.account_sid, tmp_path)
    async with RecordingsClient(custom_endpoint(emu.base_url), emu.account_sid, emu.account_sid,
                                emu.auth_token) as client:
        result = await download(lambda: client.media_stream(recording_sid, "wav", 2),
                                cache.path_for(recording_sid, None, "wav", 2))
    assert result.path.read_bytes() == (await http.get(media_url(emu, recording_sid, "wav", 2))).content
