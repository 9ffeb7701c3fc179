"""An embedded Twilio-compatible emulator of the Recordings REST API (2010-04-01).

A real HTTP server on loopback with deterministic demo data, live calls driven by a clock,
synthesized audio (WAV, MP3), the recording state machine (create, pause, resume, stop, delete)
and injectable network faults::

    from rec_tui.emulator import Emulator, EmulatorConfig, ManualClock, FaultConfig

    clock = ManualClock(datetime(2026, 11, 20, 12, 0, tzinfo=timezone.utc))
    with Emulator(EmulatorConfig(seed=7, recordings=250, clock=clock)) as emu:
        httpx.get(emu.api_root + "/Recordings.json", auth=(emu.account_sid, emu.auth_token))

``serve(host, port, config)`` runs it in the foreground (``rec-tui emulator``).
"""

from .clock import ManualClock, SystemClock
from .config import EmulatorConfig, FaultConfig
from .server import Emulator, demo_credentials, serve

__all__ = ["Emulator", "EmulatorConfig", "FaultConfig", "ManualClock", "SystemClock", "demo_credentials", "serve"]
