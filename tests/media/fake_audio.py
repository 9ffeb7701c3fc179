"""A fake simpleaudio and clock for player tests (the media layer's and the UI's)."""

from __future__ import annotations


class FakePlay:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.playing = True
        self.stopped = False

    def is_playing(self) -> bool:
        return self.playing

    def stop(self) -> None:
        self.playing = False
        self.stopped = True

    def wait_done(self) -> None:
        self.playing = False


class FakeBackend:
    """simpleaudio's ``play_buffer``, recording what it was asked to play."""

    def __init__(self) -> None:
        self.plays: list[tuple[FakePlay, int, int, int]] = []

    def play_buffer(self, data, channels, width, rate):
        play = FakePlay(bytes(data))
        self.plays.append((play, channels, width, rate))
        return play

    @property
    def last(self) -> FakePlay:
        return self.plays[-1][0]

    @property
    def music(self) -> list[tuple[FakePlay, int, int, int]]:
        """The plays after the device probe (10 ms of silence)."""
        return [p for p in self.plays if not (len(p[0].data) <= 160 and not any(p[0].data))]


class FakeClock:
    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


class SimpleaudioError(Exception):
    """Named like simpleaudio's own exception, which the media layer matches by name."""
