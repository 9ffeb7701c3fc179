"""The table keeps its loaded rows out of the cyclic garbage collector's full scans (which froze
the UI for 100–200 ms at a time with 100,000 rows), without keeping garbage for good."""

from __future__ import annotations

import gc
import weakref

from rec_tui.api.models import Recording
from rec_tui.ui.widgets.recording_table import RecordingTable

from test_recording_table import TableApp, make


def tracked_recordings() -> set[int]:
    """ids of the Recording objects a collection would walk (frozen ones are in no generation)."""
    return {id(o) for generation in (0, 1, 2) for o in gc.get_objects(generation) if type(o) is Recording}


class Cycle:
    """Garbage only the cyclic collector can free."""

    def __init__(self) -> None:
        self.me = self


async def test_loaded_rows_leave_the_collectors_walk_and_come_back_when_the_app_ends():
    gc.unfreeze()
    app = TableApp([make(i) for i in range(100)])
    async with app.run_test() as pilot:
        await pilot.pause()
        table = app.query_one(RecordingTable)
        more = [make(i) for i in range(100, 1100)]
        table.append_recordings(more)
        await pilot.pause()  # the freeze waits for the rows to be painted
        assert table.loaded_count == 1100
        loaded = {id(r) for r in table.all_recordings}
        assert not loaded & tracked_recordings()
        assert gc.get_freeze_count() >= 1100
        del more, loaded
    assert gc.get_freeze_count() == 0  # the table's unmount hands everything back


async def test_a_table_replaced_by_a_few_rows_lets_frozen_cyclic_garbage_go():
    gc.unfreeze()
    app = TableApp([make(i) for i in range(50)])
    async with app.run_test() as pilot:
        await pilot.pause()
        table = app.query_one(RecordingTable)
        junk = Cycle()
        gone = weakref.ref(junk)
        table.append_recordings([make(i) for i in range(50, 300)])
        await pilot.pause()  # frozen, junk included: it was alive then
        del junk
        gc.collect()
        assert gone() is not None  # a frozen cycle outlives a full collection…
        table.append_recordings([make(i) for i in range(300, 400)])
        await pilot.pause()
        assert gone() is not None  # …and more rows arriving (no full collection while they do)
        table.set_recordings([make(i) for i in range(20)])  # a new filter, say
        await pilot.pause()
        assert gone() is None
        assert table.loaded_count == 20
        assert not {id(r) for r in table.all_recordings} & tracked_recordings()
