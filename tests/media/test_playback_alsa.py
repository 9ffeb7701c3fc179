"""Real playback through simpleaudio into ALSA's ``file`` plugin: the bytes played are checked exactly.

ALSA reads its configuration (``~/.asoundrc``) once per process and keeps it, so each test runs the
player in a fresh subprocess whose HOME holds an ``.asoundrc`` pointing the default PCM at a file
(through the ``null`` slave, which does not pace in real time, so nothing here waits for audio to
"play"). ``XDG_CONFIG_HOME`` is moved too and ``ALSA_*`` variables dropped, so a developer's own
sound set-up cannot leak in.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from rec_tui.media.decode import Leg, select_leg

from .conftest import noise, pcm_of, write_wav

pytestmark = pytest.mark.audio

REPO = Path(__file__).resolve().parents[2]
HELPER = Path(__file__).with_name("alsa_player.py")
RATE = 8000

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


def alsa_home(tmp_path: Path, asoundrc: str) -> Path:
    home = tmp_path / "home"
    (home / ".config").mkdir(parents=True)
    (home / ".asoundrc").write_text(asoundrc)
    return home


def run_player(home: Path, spec: dict) -> tuple[dict, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ALSA_", "PULSE_", "SSH_"))}
    env.update(HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"), PYTHONPATH=str(REPO))
    proc = subprocess.run(
        [sys.executable, str(HELPER), json.dumps(spec)], env=env, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1]), proc.stderr


@pytest.fixture
def captured(tmp_path):
    """(home, out): a HOME whose default ALSA device writes everything played to ``out``."""
    out = tmp_path / "played.raw"
    return alsa_home(tmp_path, FILE_PCM.format(out=out)), out


@pytest.fixture
def mono_wav(tmp_path):
    pcm = pcm_of(noise(4.0, seed=11))
    return pcm, write_wav(tmp_path / "mono.wav", pcm)


def test_the_whole_recording_is_played_byte_for_byte(captured, mono_wav):
    home, out = captured
    pcm, wav = mono_wav
    result, stderr = run_player(home, {"wav": str(wav), "probe": True, "actions": [["play"], ["wait"]]})
    assert result == {"status": [True, ""], "ok": True, "state": "ended"}
    assert out.read_bytes() == pcm.data
    assert stderr == ""


def test_seek_to_two_seconds_plays_from_there(captured, mono_wav):
    home, out = captured
    pcm, wav = mono_wav
    result, _ = run_player(home, {"wav": str(wav), "actions": [["seek_to", 2.0], ["play"], ["wait"]]})
    assert result["ok"]
    assert out.read_bytes() == pcm.data[2 * RATE * 2 :]


def test_pause_seek_resume(captured, mono_wav):
    # Each new buffer reopens the device, and the file plugin starts the file afresh: what is in it
    # at the end is exactly the last buffer, the one started by resume().
    home, out = captured
    pcm, wav = mono_wav
    actions = [["play"], ["pause"], ["seek_to", 2.0], ["resume"], ["wait"]]
    result, _ = run_player(home, {"wav": str(wav), "actions": actions})
    assert result == {"ok": True, "state": "ended"}
    assert out.read_bytes() == pcm.data[2 * RATE * 2 :]


@pytest.mark.parametrize("leg", [Leg.FIRST, Leg.SECOND])
def test_one_leg_of_a_dual_channel_recording(captured, tmp_path, leg):
    home, out = captured
    stereo = pcm_of(noise(3.0, seed=21), noise(3.0, seed=22))
    wav = write_wav(tmp_path / "dual.wav", stereo)
    result, _ = run_player(home, {"wav": str(wav), "leg": leg.value, "actions": [["play"], ["wait"]]})
    assert result["ok"]
    played = out.read_bytes()
    assert played == select_leg(stereo, leg).data
    assert played != select_leg(stereo, Leg.SECOND if leg is Leg.FIRST else Leg.FIRST).data


def test_both_legs_of_a_dual_channel_recording(captured, tmp_path):
    home, out = captured
    stereo = pcm_of(noise(1.0, seed=31), noise(1.0, seed=32))
    wav = write_wav(tmp_path / "dual.wav", stereo)
    run_player(home, {"wav": str(wav), "actions": [["play"], ["wait"]]})
    assert out.read_bytes() == stereo.data


@pytest.mark.parametrize(
    "asoundrc",
    [
        'pcm.!default "rec_tui_no_such_pcm"\n',  # an undefined device
        "pcm.!default {\n  type hw\n  card 31\n}\n",  # a sound card that is not there
    ],
    ids=["undefined-pcm", "missing-card"],
)
def test_no_audio_device_gives_the_friendly_message(tmp_path, mono_wav, asoundrc):
    home = alsa_home(tmp_path, asoundrc)
    _, wav = mono_wav
    result, stderr = run_player(home, {"wav": str(wav), "probe": True, "actions": [["play"]]})
    assert result["error"] == "PlaybackUnavailable"
    assert result["message"].startswith("No audio device (")
    assert "Download the recording" in result["message"] and "ALSA/PulseAudio" in result["message"]
    available, message = result["status"]
    assert not available and message == result["message"]
    # libasound's own error lines would scribble over the TUI: they are silenced, and no traceback.
    assert "ALSA lib" not in stderr and "Traceback" not in stderr
