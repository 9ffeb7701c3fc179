"""The one exception family the API client raises.

Every failure — an error body from the service, a network fault, a response that does not
parse — surfaces as :class:`ApiError` carrying Twilio's ``code``, ``message``, ``more_info`` and
the HTTP ``status`` where there is one. Messages never contain credentials.
"""

from __future__ import annotations


class ApiError(Exception):
    """A request failed. ``status`` is None when no HTTP response was received."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        code: int | None = None,
        more_info: str | None = None,
        method: str | None = None,
        path: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code
        self.more_info = more_info
        self.method = method
        self.path = path

    def __str__(self) -> str:
        parts = []
        if self.status is not None:
            parts.append(f"HTTP {self.status}")
        if self.code is not None:
            parts.append(f"error {self.code}")
        head = " · ".join(parts)
        return f"{head}: {self.message}" if head else self.message

    @property
    def summary(self) -> str:
        """One line for a notification: code, message and the documentation link."""
        text = str(self)
        return f"{text} ({self.more_info})" if self.more_info else text


class AuthenticationError(ApiError):
    """401: wrong or missing credentials, or another account's SID."""


class NotFoundError(ApiError):
    """404: the resource does not exist (or has no media in that state)."""


class RateLimitedError(ApiError):
    """429 that outlasted the retry budget."""

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class NetworkError(ApiError):
    """No usable HTTP response: connection refused or reset, timeout, truncated body."""

    def __init__(self, message: str, *, sent: bool | None = None, **kwargs) -> None:
        super().__init__(message, **kwargs)
        #: False: the request surely never reached the server; True/None: it may have been applied.
        self.sent = sent


class MalformedResponseError(ApiError):
    """The service answered, but not with the document the contract describes."""


class InsecureTransportError(ApiError):
    """A non-loopback base URL without HTTPS, or a URL on another origin carrying credentials."""


def error_for_status(status: int) -> type[ApiError]:
    if status == 401:
        return AuthenticationError
    if status == 404:
        return NotFoundError
    if status == 429:
        return RateLimitedError
    return ApiError
