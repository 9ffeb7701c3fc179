"""The Recordings REST API: client, models, errors, filters and providers (no Textual here)."""

from rec_tui.api.client import RecordingsClient, RetryPolicy
from rec_tui.api.errors import (
    ApiError,
    AuthenticationError,
    InsecureTransportError,
    MalformedResponseError,
    NetworkError,
    NotFoundError,
    RateLimitedError,
)
from rec_tui.api.filters import FilterError, RecordingFilter
from rec_tui.api.models import AddOnPayload, AddOnResult, Call, Conference, Page, Recording, Transcription
from rec_tui.api.providers import Endpoint, custom_endpoint, signalwire_endpoint, twilio_endpoint

__all__ = [
    "AddOnPayload", "AddOnResult", "ApiError", "AuthenticationError", "Call", "Conference", "Endpoint",
    "FilterError", "InsecureTransportError", "MalformedResponseError", "NetworkError", "NotFoundError",
    "Page", "RateLimitedError", "Recording", "RecordingFilter", "RecordingsClient", "RetryPolicy",
    "Transcription", "custom_endpoint", "signalwire_endpoint", "twilio_endpoint",
]
