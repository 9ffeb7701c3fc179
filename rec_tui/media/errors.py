"""Exceptions of the media layer: one family, with messages fit to show the user as they are."""

from __future__ import annotations


class MediaError(Exception):
    """Anything in the media layer that failed in a way the user should be told about."""


class InvalidSidError(MediaError, ValueError):
    """A SID that does not match the strict formats; it never reaches a file name."""


class DownloadError(MediaError):
    """A transfer failed (HTTP status, broken connection, short body, bad WAV, disk).

    Nothing is left under the final file name when this is raised.
    """

    def __init__(self, message: str, *, retryable: bool = True) -> None:
        super().__init__(message)
        #: False when retrying the same request cannot help (e.g. 404, disk full).
        self.retryable = retryable


class DiskFullError(DownloadError):
    """``ENOSPC`` (or ``EDQUOT``) while writing; the partial file has been removed."""

    def __init__(self, message: str) -> None:
        super().__init__(message, retryable=False)


class DecodeError(MediaError):
    """The file is corrupt, or is not in the format it claims."""


class FfmpegMissingError(DecodeError):
    """MP3 needs ffmpeg, which is not on PATH."""


class PlaybackUnavailable(MediaError):
    """Playback cannot happen here: simpleaudio is missing, or there is no audio device."""
