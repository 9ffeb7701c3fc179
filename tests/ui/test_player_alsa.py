"""The whole path for real: ``o`` in the app → download → pydub → simpleaudio → ALSA, with ALSA's
default device pointed at a file (see ``tests/media/test_playback_alsa.py``). The bytes that reach
the "sound card" are exactly the PCM of the downloaded recording; with no device the bar says so.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from rec_tui.media import Leg, decode_file, select_leg

pytestmark = pytest.mark.audio

REPO = Path(__file__).resolve().parents[2]
HELPER = Path(__file__).with_name("alsa_app.py")
FILE_PCM = """pcm.!default {{
  type file
  slave.pcm "null"
  file "{out}"
  format "raw"
}}
"""


@pytest.fixture(scope="module", autouse=True)
def _needs_simpleaudio():
    pytest.importorskip("simpleaudio", reason="simpleaudio is not installed (the 'audio' extra)")


def run_app(tmp_path: Path, asoundrc: str, spec: dict) -> dict:
    home = tmp_path / "home"
    (home / ".config").mkdir(parents=True)
    (home / ".asoundrc").write_text(asoundrc)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ALSA_", "PULSE_", "SSH_"))}
    env.update(HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"), PYTHONPATH=str(REPO),
               REC_TUI_CACHE_DIR=str(tmp_path / "cache"))
    proc = subprocess.run([sys.executable, str(HELPER), json.dumps(spec)], env=env, capture_output=True,
                          text=True, timeout=240)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_o_plays_the_downloaded_recording_into_the_sound_card(tmp_path):
    out = tmp_path / "played.raw"
    result = run_app(tmp_path, FILE_PCM.format(out=out), {"channels": 1})
    assert (result["phase"], result["state"], result["message"]) == ("ready", "ended", "")
    assert out.read_bytes() == decode_file(result["path"]).data


def test_the_second_leg_of_a_dual_channel_recording(tmp_path):
    out = tmp_path / "played.raw"
    # 2: the second leg; s: back to the start; space: play. Each buffer reopens the device, and the
    # file plugin starts the file afresh: what is in it is the last buffer played.
    result = run_app(tmp_path, FILE_PCM.format(out=out), {"channels": 2, "keys": ["2", "s", "space"]})
    assert (result["leg"], result["state"]) == ("second", "ended")
    pcm = decode_file(result["path"])
    assert pcm.channels == 2
    assert out.read_bytes() == select_leg(pcm, Leg.SECOND).data
    assert out.read_bytes() != select_leg(pcm, Leg.FIRST).data


def test_no_audio_device_is_said_plainly(tmp_path):
    result = run_app(tmp_path, 'pcm.!default "rec_tui_no_such_pcm"\n', {"channels": 1})
    assert result["phase"] == "error"
    assert result["message"].startswith("No audio device (")
    assert result["message"].endswith("Downloading (d) and saving to a directory (s) still work.")
