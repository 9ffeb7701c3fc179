from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rec_tui.media.errors import InvalidSidError, MediaError
from rec_tui.media.paths import (
    CACHE_ENV,
    MediaCache,
    check_recording_sid,
    default_cache_root,
    is_partial,
    media_filename,
)

from .conftest import ACCOUNT, sid

UUID = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"


def test_file_names_come_from_sid_date_format_and_channels():
    assert media_filename(sid(1), date(2026, 11, 20)) == f"{sid(1)}_2026-11-20.wav"
    assert media_filename(sid(1), date(2026, 11, 20), "mp3", 2) == f"{sid(1)}_2026-11-20_ch2.mp3"
    assert media_filename(sid(1), None, "wav", 1) == f"{sid(1)}_ch1.wav"
    assert media_filename(UUID, date(2026, 1, 2)) == f"{UUID}_2026-01-02.wav"


def test_datetimes_are_named_by_their_utc_date():
    late_evening_west = datetime(2026, 11, 20, 22, 30, tzinfo=timezone(timedelta(hours=-8)))
    assert media_filename(sid(1), late_evening_west) == f"{sid(1)}_2026-11-21.wav"


@pytest.mark.parametrize(
    "bad",
    [
        "../etc/passwd",
        "RE" + "0" * 31 + "/",
        "RE" + "0" * 32 + "/..",
        "RE" + "0" * 32 + "\x00",
        "RE" + "0" * 32 + "\n",
        " RE" + "0" * 32,
        "RE" + "g" * 32,
        "CA" + "0" * 32,
        "re" + "0" * 32,
        UUID.upper(),
        "",
        None,
        42,
    ],
)
def test_crafted_sids_are_rejected(bad):
    with pytest.raises(InvalidSidError, match="not a valid recording SID"):
        media_filename(bad)


@given(st.text(max_size=40))
def test_any_accepted_sid_is_a_plain_file_name(text):
    try:
        checked = check_recording_sid(text)
    except InvalidSidError:
        return
    assert "/" not in checked and "\x00" not in checked and ".." not in checked


@pytest.mark.parametrize("fmt,channels", [("ogg", None), ("../wav", None), ("wav", 3), ("wav", True), ("wav", "2")])
def test_bad_format_or_channels(fmt, channels):
    with pytest.raises(MediaError):
        media_filename(sid(1), None, fmt, channels)


def test_account_sid_is_checked_too(tmp_path):
    with pytest.raises(InvalidSidError, match="account SID"):
        MediaCache("../" + ACCOUNT, tmp_path)


def test_cache_directory_and_override(tmp_path, monkeypatch):
    assert MediaCache(ACCOUNT, tmp_path).directory == tmp_path / ACCOUNT
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "elsewhere"))
    assert default_cache_root() == tmp_path / "elsewhere"
    assert MediaCache(ACCOUNT).directory == tmp_path / "elsewhere" / ACCOUNT
    monkeypatch.delenv(CACHE_ENV)
    assert default_cache_root().parts[-2:] == ("rec-tui", "media")


def test_only_complete_files_count(tmp_path):
    cache = MediaCache(ACCOUNT, tmp_path)
    directory = cache.ensure()
    assert directory.stat().st_mode & 0o777 == 0o700
    day = date(2026, 11, 20)
    final = cache.path_for(sid(1), day)
    partial = directory / f".{final.name}.part-abc123"
    partial.write_bytes(b"half")
    assert is_partial(partial) and not is_partial(final)
    assert cache.cached(sid(1), day) is None
    assert cache.files() == []
    final.write_bytes(b"whole")
    assert cache.cached(sid(1), day) == final
    assert cache.files() == [final]


def test_stale_partials_are_removed_but_fresh_ones_kept(tmp_path):
    import os

    cache = MediaCache(ACCOUNT, tmp_path)
    directory = cache.ensure()
    old = directory / f".{sid(1)}.wav.part-old"
    fresh = directory / f".{sid(2)}.wav.part-new"
    old.write_bytes(b"x")
    fresh.write_bytes(b"x")
    os.utime(old, (0, 0))
    assert cache.remove_stale_partials(older_than=3600) == 1
    assert not old.exists() and fresh.exists()
