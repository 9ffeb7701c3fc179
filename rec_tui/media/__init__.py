"""The media layer: cache paths, downloads, decoding, playback and waveforms. No Textual here."""

from .decode import Leg, Pcm, decode_file, ffmpeg_available, select_leg
from .download import (
    BulkDownload,
    BulkProgress,
    BulkResult,
    DownloadItem,
    DownloadResult,
    FileState,
    FileStatus,
    Progress,
    download,
    download_many,
    save_as,
)
from .errors import (
    DecodeError,
    DiskFullError,
    DownloadError,
    FfmpegMissingError,
    InvalidSidError,
    MediaError,
    PlaybackUnavailable,
)
from .paths import MediaCache, check_account_sid, check_recording_sid, media_filename
from .playback import Player, PlayerState, PlaybackStatus, playback_status
from .waveform import envelope, envelopes

__all__ = [
    "BulkDownload", "BulkProgress", "BulkResult", "DecodeError", "DiskFullError", "DownloadError",
    "DownloadItem", "DownloadResult", "FfmpegMissingError", "FileState", "FileStatus", "InvalidSidError",
    "Leg", "MediaCache", "MediaError", "Pcm", "PlaybackStatus", "PlaybackUnavailable", "Player",
    "PlayerState", "Progress", "check_account_sid", "check_recording_sid", "decode_file", "download",
    "download_many", "envelope", "envelopes", "ffmpeg_available", "media_filename", "playback_status",
    "save_as", "select_leg",
]
