"""Twilio-shaped errors: ``{"code", "message", "more_info", "status"}``.

Codes used (Twilio's error dictionary where a fitting entry exists):

===== ====== ================================================================================
code  status  when
===== ====== ================================================================================
20001  400    a bad parameter: malformed SID or date in a filter, PageSize outside 1..1000,
              Page without a PageToken, a bad PageToken, a value outside its enum, a missing
              required parameter, a state the resource cannot take (delete of a recording that
              is not completed, ``stopped`` on a conference recording)
20003  401    missing or wrong credentials, or another account's SID in the path ("Authenticate")
20004  405    the resource exists but not for this HTTP method
20404  404    no such resource (also: media of a recording that is not completed, a soft-deleted
              recording without IncludeSoftDeleted, Twilio.CURRENT with no active recording)
20429  429    rate limited (fault injection only)
20500  500    unexpected error inside the emulator, or an injected 500
20503  503    an injected 503
21220  400    "Invalid call state": a recording on a call that is not in progress, or an update of a
              recording that is no longer active (stopped, processing, completed, ...)
16108  400    "Request failed due to concurrent recordings": Twilio.CURRENT on a call or conference
              with more than one active recording
===== ====== ================================================================================
"""

from __future__ import annotations

import json

MORE_INFO = "https://www.twilio.com/docs/errors/{code}"

INVALID_PARAMETER = 20001
AUTHENTICATE = 20003
METHOD_NOT_ALLOWED = 20004
NOT_FOUND = 20404
TOO_MANY_REQUESTS = 20429
INTERNAL_ERROR = 20500
SERVICE_UNAVAILABLE = 20503
INVALID_CALL_STATE = 21220
CONCURRENT_RECORDINGS = 16108


class ApiError(Exception):
    """An error answer: raised anywhere in request handling, rendered by the server."""

    def __init__(self, status: int, code: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = dict(headers or {})

    def body(self) -> dict:
        return error_body(self.status, self.code, self.message)

    def __repr__(self) -> str:
        return f"ApiError({self.status}, {self.code}, {self.message!r})"


def error_body(status: int, code: int, message: str) -> dict:
    return {"code": code, "message": message, "more_info": MORE_INFO.format(code=code), "status": status}


def error_bytes(status: int, code: int, message: str) -> bytes:
    return json.dumps(error_body(status, code, message)).encode()


def not_found(path: str) -> ApiError:
    return ApiError(404, NOT_FOUND, f"The requested resource {path} was not found")


def bad_parameter(message: str) -> ApiError:
    return ApiError(400, INVALID_PARAMETER, message)


def unauthorized() -> ApiError:
    return ApiError(401, AUTHENTICATE, "Authenticate", {"WWW-Authenticate": 'Basic realm="Twilio API"'})


def method_not_allowed(method: str, path: str, allowed: list[str]) -> ApiError:
    return ApiError(405, METHOD_NOT_ALLOWED, f"Method {method} is not allowed on {path}",
                    {"Allow": ", ".join(allowed)})
