"""The list's first page is requested as the app starts, before its first screen is built (the
command line sends it even before importing Textual), and when a new connection is handed to the
app (a saved profile, a login, a switch): one request, which the list shows; one nobody takes is
cancelled quietly."""

from __future__ import annotations

import asyncio
import gc
import logging

import pytest

from rec_tui.api import RecordingFilter
from rec_tui.emulator import Emulator
from rec_tui.ui.app import StartTarget
from rec_tui.ui.connection import DEFAULT_PAGE_SIZE, Connection

from conftest import make_connection
from ui_support import EmulatorData, emulator_config, recordings_screen, settle


def first_page_requests(emulator, since: int = 0) -> list[str]:
    """The list requests for a first page (infinite scroll's next pages name a PageToken)."""
    return [target for method, target, _ in emulator.request_log[since:]
            if method == "GET" and "/Recordings.json" in target and "PageToken=" not in target]


@pytest.fixture
def taken(monkeypatch) -> list:
    """What each list's load got from ``Connection.take_first_page`` (None: nothing sent for it)."""
    results: list = []
    take = Connection.take_first_page
    monkeypatch.setattr(Connection, "take_first_page", lambda self, *a: results.append(take(self, *a)) or results[-1])
    return results


async def test_the_list_shows_the_request_sent_at_launch_and_asks_nothing_more(emulator, make_app, taken):
    app = make_app(emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = recordings_screen(pilot)
        assert screen.table.loaded_count >= DEFAULT_PAGE_SIZE
        assert screen.table.cursor_recording.sid in screen.detail.plain_text
        assert len(taken) == 1 and taken[0] is not None, "the list used the request sent at launch"
        assert len(first_page_requests(emulator)) == 1
        await pilot.press("r")  # a refresh asks again, of course
        await settle(pilot)
        assert len(first_page_requests(emulator)) == 2


async def test_a_deep_link_to_a_call_is_the_list_asked_for_at_launch(emulator, make_app):
    data = EmulatorData(emulator)
    call_sid = next(r["call_sid"] for r in data.recordings() if r.get("call_sid"))
    data.http.close()
    since = len(emulator.request_log)
    app = make_app(emulator, start=StartTarget(call=call_sid))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = recordings_screen(pilot).table
        assert table.all_recordings and {r.call_sid for r in table.all_recordings} == {call_sid}
        (request,) = first_page_requests(emulator, since)
        assert f"CallSid={call_sid}" in request


async def test_a_first_page_for_another_list_is_cancelled_and_not_used(emulator):
    connection = make_connection(emulator)
    connection.request_first_page(RecordingFilter())
    sent = connection._first_page.task
    assert connection.take_first_page(RecordingFilter(include_soft_deleted=True), DEFAULT_PAGE_SIZE) is None
    assert connection.take_first_page(RecordingFilter(), DEFAULT_PAGE_SIZE) is None, "only once"
    await asyncio.wait([sent])
    assert sent.cancelled()
    await connection.aclose()


async def test_a_failed_first_page_nobody_took_is_not_reported_after_the_app(emulator, caplog):
    """The app quit before its list asked (or the list asked for another page): the request's
    failure (here a wrong token) must not surface as asyncio's 'exception was never retrieved'."""
    connection = make_connection(emulator, token="0" * 32)
    connection.request_first_page(RecordingFilter())
    task = connection._first_page.task
    await asyncio.wait([task])
    assert task.done() and not task.cancelled()  # failed (401): not retrieved here, on purpose
    await connection.aclose()
    del task
    with caplog.at_level(logging.ERROR, logger="asyncio"):
        gc.collect()
        await asyncio.sleep(0)
    assert "never retrieved" not in caplog.text


async def test_a_new_connection_asks_for_its_first_page_before_its_list_is_built(emulator, make_app, taken):
    """A profile opened from the keyring, a login or a switch: the same head start."""
    with Emulator(emulator_config(seed=11)) as other:
        app = make_app(emulator)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            await app.use_connection(make_connection(other)).wait()
            await settle(pilot)
            screen = recordings_screen(pilot)
            assert screen.table.loaded_count >= DEFAULT_PAGE_SIZE
            assert screen.table.cursor_recording.account_sid == other.account_sid
            assert len(taken) == 2 and taken[-1] is not None, "the new list used the request sent at the switch"
            assert len(first_page_requests(other)) == 1
