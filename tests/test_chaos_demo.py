"""``rec-tui --demo --chaos``: the demo's emulator injects faults, so the app's retries show."""

from __future__ import annotations

import pytest

from rec_tui import cli
from rec_tui.ui.app import RecTuiApp

emulator = pytest.importorskip("rec_tui.emulator")


def test_demo_chaos_starts_the_emulator_with_the_chaos_faults(monkeypatch):
    seen = {}

    def fake_run(self, *args, **kwargs):
        seen["faults"] = self.connection.emulator.faults

    monkeypatch.setattr(RecTuiApp, "run", fake_run)
    assert cli.main(["--demo", "--chaos", "--seed", "3", "--count", "12"], environ={}) == 0
    faults = seen["faults"]
    chaos = emulator.FaultConfig.chaos(3)
    assert (faults.error_rate, faults.rate_limit_rate, faults.reset_before_rate, faults.reset_during_rate,
            faults.truncate_rate, faults.malformed_rate, faults.latency_s, faults.seed) == (
        chaos.error_rate, chaos.rate_limit_rate, chaos.reset_before_rate, chaos.reset_during_rate,
        chaos.truncate_rate, chaos.malformed_rate, chaos.latency_s, 3)


def test_demo_without_chaos_has_no_faults(monkeypatch):
    seen = {}
    monkeypatch.setattr(RecTuiApp, "run", lambda self, *a, **k: seen.setdefault("faults", self.connection.emulator.faults))
    assert cli.main(["--demo", "--count", "5"], environ={}) == 0
    assert not seen["faults"].active


def test_chaos_needs_demo(capsys, monkeypatch):
    monkeypatch.setattr(RecTuiApp, "run", lambda self, *a, **k: pytest.fail("the app must not start"))
    assert cli.main(["--chaos"], environ={}) == cli.EXIT_USAGE
    assert "--demo" in capsys.readouterr().err


def test_the_chaos_rates_suit_a_demo():
    chaos = emulator.FaultConfig.chaos()
    # Every kind of fault, about one request in ten, each retried read then almost never fails
    # (six attempts: 0.1 ** 6), and answers slow enough to see the spinner, not to annoy.
    assert all((chaos.error_rate, chaos.rate_limit_rate, chaos.reset_before_rate, chaos.reset_during_rate,
                chaos.truncate_rate, chaos.malformed_rate))
    assert 0.05 <= chaos.total_rate <= 0.15
    assert 0 < chaos.latency_s <= 0.25 and 0 < chaos.retry_after_s <= 2
