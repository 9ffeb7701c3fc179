"""Crafted SIDs (``../``, ``/``, NUL, look-alikes) never name a file or reach a request.

Every way a recording SID becomes a path — the cache, save-as, a bulk download's destination —
and every client call that puts one in a URL refuses it before touching the disk or the network.
"""

from __future__ import annotations

import os

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rec_tui.api import RecordingsClient, custom_endpoint
from rec_tui.media import InvalidSidError, MediaCache, media_filename, save_as

from .conftest import ACCOUNT, sid

HEX = "0123456789abcdef" * 2
CRAFTED = [
    "../etc/passwd",
    "..",
    "/etc/passwd",
    "RE" + HEX + "/../../outside",
    "RE" + HEX + "/",
    "RE" + HEX[:31] + "/",
    "RE" + HEX + "\x00",
    "RE" + HEX + "\x00.wav",
    "RE" + HEX[:16] + "\x00" + HEX[17:],
    "RE" + HEX + "\\..\\outside",
    "RE%2e%2e%2f" + HEX[:25],
    "RE" + HEX + "\n",
    "ＲＥ" + HEX,  # full-width look-alike letters
    "RE" + "٠" * 32,  # Arabic-Indic digits: digits to \d, not to [0-9]
    "RE" + HEX.upper()[:31] + "G",
    "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0/../x",
    "~/" + HEX,
    "",
]


@pytest.fixture
def cache(tmp_path):
    return MediaCache(ACCOUNT, tmp_path / "cache")


def everything_under(root) -> list[str]:
    return sorted(os.path.relpath(os.path.join(d, f), root) for d, _, files in os.walk(root) for f in files)


@pytest.mark.parametrize("crafted", CRAFTED, ids=repr)
async def test_a_crafted_recording_sid_names_no_file(crafted, cache, tmp_path):
    with pytest.raises(InvalidSidError):
        media_filename(crafted)
    with pytest.raises(InvalidSidError):
        cache.path_for(crafted, None, "wav", 2)
    with pytest.raises(InvalidSidError):
        cache.cached(crafted)
    target = tmp_path / "chosen"
    target.mkdir()

    def must_not_open():
        raise AssertionError("a request was made for a crafted SID")

    with pytest.raises(InvalidSidError):
        await save_as(must_not_open, target, crafted, cache=cache)
    assert everything_under(tmp_path) == []


@pytest.mark.parametrize("crafted", CRAFTED, ids=repr)
def test_a_crafted_account_sid_names_no_cache_directory(crafted, tmp_path):
    with pytest.raises(InvalidSidError):
        MediaCache(crafted.replace("RE", "AC", 1), tmp_path)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("crafted", CRAFTED, ids=repr)
async def test_a_crafted_sid_reaches_no_url(crafted):
    sent = []
    transport = httpx.MockTransport(lambda request: sent.append(request) or httpx.Response(200, json={}))
    async with RecordingsClient(custom_endpoint("http://127.0.0.1:9"), "AC" + HEX, "AC" + HEX, "token",
                                transport=transport) as client:
        for call in (lambda: client.fetch_recording(crafted), lambda: client.list_transcriptions(crafted),
                     lambda: client.delete_recording(crafted), lambda: client.list_add_on_results(crafted)):
            with pytest.raises(ValueError):
                await call()
        with pytest.raises(ValueError):
            client.media_url(crafted)
        with pytest.raises(ValueError):
            async with client.media_stream(crafted):
                pass
    assert sent == []


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=48) | st.builds(lambda a, b: f"RE{a}{b}", st.text(max_size=34), st.text(max_size=6)))
def test_any_accepted_sid_stays_a_plain_name_inside_the_cache(tmp_path_factory, text):
    cache = MediaCache(ACCOUNT, "/nonexistent/cache-root")
    try:
        path = cache.path_for(text, None, "mp3", 1)
    except InvalidSidError:
        return
    assert path.parent == cache.directory
    assert os.path.normpath(path) == str(path) and "\x00" not in str(path)
    assert path.name == f"{text}_ch1.mp3" and os.sep not in text and not text.startswith(".")


def test_good_sids_still_work(cache):
    assert cache.path_for(sid(7)).name == f"{sid(7)}.wav"
    assert cache.path_for("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0").parent == cache.directory
