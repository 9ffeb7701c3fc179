"""The table keeps its loaded rows out of the cyclic garbage collector's full scans (which froze
the UI for 100–200 ms at a time with 100,000 rows), without keeping garbage for good."""

from __future__ import annotations

import gc
import weakref

import pytest

from rec_tui.api.models import Recording
from rec_tui.ui.widgets import recording_table
from rec_tui.ui.widgets.recording_table import RecordingTable

from test_recording_table import TableApp, make


def tracked_recordings() -> set[int]:
    """ids of the Recording objects a collection would walk (frozen ones are in no generation)."""
    return {id(o) for generation in (0, 1, 2) for o in gc.get_objects(generation) if type(o) is Recording}


@pytest.fixture(autouse=True)
def small_batches(monkeypatch):
    """Freeze by batches of 500 rows (3000 in the app), releasing at 100 or fewer (5000)."""
    monkeypatch.setattr(recording_table, "FREEZE_ROWS", 500)
    monkeypatch.setattr(recording_table, "RELEASE_ROWS", 100)
    gc.unfreeze()


class Cycle:
    """Garbage only the cyclic collector can free."""

    def __init__(self) -> None:
        self.me = self


async def test_loaded_rows_leave_the_collectors_walk_by_batches_and_come_back_when_the_app_ends():
    app = TableApp([make(i) for i in range(100)])
    async with app.run_test() as pilot:
        await pilot.pause()
        table = app.query_one(RecordingTable)
        table.append_recordings([make(i) for i in range(100, 400)])
        await pilot.pause()
        assert gc.get_freeze_count() == 0  # 400 rows: not a batch yet
        table.append_recordings([make(i) for i in range(400, 700)])
        await pilot.pause()  # the freeze waits for the rows to be painted
        assert table.loaded_count == 700
        loaded = {id(r) for r in table.all_recordings}
        assert not loaded & tracked_recordings()
        assert gc.get_freeze_count() >= 700
        del loaded
    assert gc.get_freeze_count() == 0  # the table's unmount hands everything back


async def test_a_table_replaced_by_a_few_rows_lets_frozen_cyclic_garbage_go():
    app = TableApp([make(i) for i in range(50)])
    async with app.run_test() as pilot:
        await pilot.pause()
        table = app.query_one(RecordingTable)
        junk = Cycle()
        gone = weakref.ref(junk)
        table.append_recordings([make(i) for i in range(50, 600)])
        await pilot.pause()  # frozen, junk included: it was alive then
        del junk
        gc.collect()
        assert gone() is not None  # a frozen cycle outlives a full collection…
        table.append_recordings([make(i) for i in range(600, 700)])
        await pilot.pause()
        assert gone() is not None  # …and more rows arriving (no full collection while they do)
        table.set_recordings([make(i) for i in range(20)])  # a new filter, say
        await pilot.pause()
        assert gone() is None
        assert table.loaded_count == 20
        assert gc.get_freeze_count() == 0  # a few rows are cheap to scan: nothing stays frozen
