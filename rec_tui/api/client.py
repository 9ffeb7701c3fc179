"""The async client of the Recordings REST API (2010-04-01), as Twilio and SignalWire serve it.

One :class:`RecordingsClient` holds one ``httpx.AsyncClient`` (keep-alive, timeouts) for the life
of the app. Reads are retried on connection faults, timeouts, 5xx and 429 with exponential
backoff, jitter and ``Retry-After``, within a time budget; a create is never repeated.
"""

from __future__ import annotations

import asyncio
import logging
import random
import ssl
import time
from base64 import b64encode
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from email.utils import parsedate_to_datetime
from functools import partial
from typing import Any, TypeVar
from urllib.parse import parse_qsl, urlencode, urlsplit

import httpcore
import httpx

from rec_tui import __version__
from rec_tui.api import sids
from rec_tui.api.decoding import PageBody, decode_json, decode_page
from rec_tui.api.errors import (
    ApiError,
    InsecureTransportError,
    MalformedResponseError,
    NetworkError,
    RateLimitedError,
    error_for_status,
)
from rec_tui.api.filters import RecordingFilter
from rec_tui.api.models import (
    AddOnPayload,
    AddOnResult,
    Call,
    Conference,
    Page,
    Recording,
    Resource,
    Transcription,
)
from rec_tui.api.providers import API_VERSION, Endpoint, check_origin_security, same_origin
# rec_tui.api.xmlformat (defusedxml, ElementTree) is imported where XML is read: ~10 ms of
# start-up that a JSON session never needs.

log = logging.getLogger("rec_tui.api")

T = TypeVar("T", bound=Resource)

MEDIA_FORMATS = {"wav": ".wav", "mp3": ".mp3"}
#: Twilio's legacy API version, still answering in XML (see :mod:`rec_tui.api.xmlformat`).
LEGACY_API_VERSION = "2008-08-01"
#: The 2008-08-01 docs spell the date inequalities with ``<=`` / ``>=`` (same meaning: midnight GMT).
LEGACY_FILTER_NAMES = {"DateCreated<": "DateCreated<=", "DateCreated>": "DateCreated>="}
PAUSE_BEHAVIORS = ("skip", "silence")
UPDATE_STATUSES = ("paused", "in-progress", "stopped")
RECORDING_CHANNELS = ("mono", "dual")
RECORDING_TRACKS = ("inbound", "outbound", "both")
TRIM_OPTIONS = ("trim-silence", "do-not-trim")
CALLBACK_METHODS = ("GET", "POST")
CALLBACK_EVENTS = ("in-progress", "completed", "absent")


# httpcore reads the socket 64 KiB at a time, and every read goes through httpcore, h11 and anyio
# in Python: a 60-minute WAV (115 MB) took ~1,800 of them. As an upper bound, 1 MiB lets a read
# take whatever the event loop has received (asyncio reads up to 256 KiB per call): about a
# quarter less CPU per large download or 1000-row page (bench/RESULTS.md). Small answers are read
# exactly as before.
httpcore.AsyncHTTP11Connection.READ_NUM_BYTES = 1 << 20

#: Bodies larger than this are decoded in a thread, and so are list pages (:mod:`.decoding`): a
#: 1000-recording page is ~1 MB of JSON and tens of milliseconds of parsing, which the UI's event
#: loop must not spend.
THREAD_JSON_BYTES = 64 * 1024


def _tls_context(origin: str) -> ssl.SSLContext | bool:
    """httpx's default (the CA bundle) for https. A plain-HTTP origin, which only loopback passes
    (the emulator, ``--demo``), does no TLS: loading the CA bundle for it cost 0.1 s of start-up.
    Its context holds no CA at all, so a redirect to https there fails closed (nothing verifies)."""
    if urlsplit(origin).scheme == "http":
        return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    return True


def _discard(future: asyncio.Future) -> None:
    """Drop a prefetch nobody will read: cancel it, or take its error so asyncio does not log it."""
    if not future.done():
        future.cancel()
    elif not future.cancelled():
        future.exception()


class _SecretHeader:
    """Holds the ready-made Authorization value; never shows it in a repr or traceback."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "<hidden>"


class OriginBoundBasicAuth(httpx.Auth):
    """HTTP Basic auth that is only ever attached to requests for the API's own origin.

    httpx already drops ``Authorization`` on a cross-origin redirect; this also covers a
    ``media_url`` or page URI that names another host outright.
    """

    def __init__(self, username: str, password: Any, origin: str) -> None:
        token = b64encode(f"{username}:{password.reveal() if hasattr(password, 'reveal') else password}".encode())
        self._header = _SecretHeader("Basic " + token.decode("ascii"))
        self._origin = origin

    def auth_flow(self, request: httpx.Request):
        if same_origin(str(request.url), self._origin):
            request.headers["Authorization"] = self._header.reveal()
        yield request

    def __repr__(self) -> str:
        return f"OriginBoundBasicAuth(origin={self._origin!r})"


@dataclass
class RetryPolicy:
    """How hard to try an idempotent request before saying so."""

    attempts: int = 6
    base_delay: float = 0.25
    max_delay: float = 8.0
    budget: float = 30.0  # seconds from the first attempt after which we give up
    sleep: Callable[[float], Awaitable[Any]] = field(default=asyncio.sleep, repr=False)
    jitter: Callable[[], float] = field(default=random.random, repr=False)

    def delay(self, attempt: int, retry_after: float | None) -> float:
        backoff = min(self.max_delay, self.base_delay * 2 ** (attempt - 1))
        delay = backoff * (0.5 + self.jitter() / 2)
        return max(delay, retry_after) if retry_after is not None else delay


NO_RETRY = RetryPolicy(attempts=1)


def parse_retry_after(value: str | None) -> float | None:
    """``Retry-After`` as seconds: delta-seconds or an HTTP date; None when absent or nonsense."""
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None or when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - time.time())


def _error_from_response(response: httpx.Response, method: str, path: str) -> ApiError:
    """Twilio's error body (``code``, ``message``, ``more_info``, ``status``) as an ApiError."""
    status = response.status_code
    code = more_info = None
    message = None
    try:
        body = response.json()
    except (ValueError, UnicodeDecodeError):
        from rec_tui.api.xmlformat import rest_exception

        body = rest_exception(response.content)  # an XML request's error: <RestException>
    if isinstance(body, dict):
        raw_code = body.get("code")
        code = raw_code if isinstance(raw_code, int) and not isinstance(raw_code, bool) else None
        if isinstance(body.get("message"), str):
            message = body["message"][:2000]
        if isinstance(body.get("more_info"), str):
            more_info = body["more_info"][:500]
    if message is None:
        reason = response.reason_phrase or "error"
        message = f"{reason} (the response had no Twilio error body)"
    kind = error_for_status(status)
    extra: dict[str, Any] = {}
    if kind is RateLimitedError:
        extra["retry_after"] = parse_retry_after(response.headers.get("Retry-After"))
    return kind(message, status=status, code=code, more_info=more_info, method=method, path=path, **extra)


class RecordingsClient:
    """Speaks the 2010-04-01 Recordings API for one account.

    ``username`` is the Account SID (auth token), the API Key SID (``SK…``), or the SignalWire
    Project ID; ``password`` is the token or secret (a str, or an object with ``reveal()``).
    """

    def __init__(
        self,
        endpoint: Endpoint,
        account_sid: str,
        username: str,
        password: Any,
        *,
        retry: RetryPolicy | None = None,
        timeout: float = 15.0,
        transport: httpx.AsyncBaseTransport | None = None,
        max_connections: int = 8,
    ) -> None:
        check_origin_security(endpoint.origin)
        if not (sids.is_sid(account_sid, "account") or sids.is_uuid(account_sid)):
            raise ValueError(f"not an Account SID / Project ID: {account_sid[:40]!r}")
        self.endpoint = endpoint
        self.account_sid = account_sid
        self.username = username
        self.retry = retry or RetryPolicy()
        self._account_path = endpoint.account_path(account_sid)
        self._legacy_account_path = (
            endpoint.api_root[: -len(API_VERSION)] + LEGACY_API_VERSION + f"/Accounts/{account_sid}")
        self._http = httpx.AsyncClient(
            base_url=endpoint.origin,
            auth=OriginBoundBasicAuth(username, password, endpoint.origin),
            timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)),
            limits=httpx.Limits(max_connections=max_connections, max_keepalive_connections=max_connections),
            headers={"User-Agent": f"rec-tui/{__version__}", "Accept": "application/json"},
            transport=transport,
            trust_env=False,  # no .netrc or proxy surprises: credentials go where we say
            verify=_tls_context(endpoint.origin),
        )

    # -- life cycle -------------------------------------------------------------------------

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> "RecordingsClient":
        return self

    async def __aexit__(self, *exc) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        return f"RecordingsClient({self.endpoint.origin!r}, account={self.account_sid!r})"

    # -- the request core -------------------------------------------------------------------

    def path(self, *parts: str, ext: str = ".json") -> str:
        """``/2010-04-01/Accounts/AC…/Recordings/RE….json`` for ``path("Recordings", sid)``."""
        for part in parts:
            sids.check_path_segment(part)
        return "/".join((self._account_path, *parts)) + ext

    def _resolve(self, uri: str) -> str:
        """A page URI from the service, kept on the API's origin (never sends credentials elsewhere)."""
        if not isinstance(uri, str) or not uri:
            raise MalformedResponseError("empty page URI")
        parts = urlsplit(uri)
        if parts.scheme or parts.netloc:
            if not same_origin(uri, self.endpoint.origin):
                raise InsecureTransportError(f"page URI points at another host: {parts.hostname!r}")
            uri = parts.path + (f"?{parts.query}" if parts.query else "")
        if not uri.startswith((self._account_path + "/", self._legacy_account_path + "/")):
            raise MalformedResponseError(f"page URI outside this account: {uri[:80]!r}")
        return uri

    async def _request(
        self,
        method: str,
        url: str,
        *,
        params: list[tuple[str, str]] | None = None,
        data: dict[str, str | list[str]] | None = None,
        retry_safe: bool,
        expect_body: bool = True,
        xml: bool = False,
        read: Callable[[bytes], Any] | None = None,
    ) -> Any:
        """Send one request, retrying only when ``retry_safe``; return the parsed JSON (or None).

        ``xml``: ask for XML and return the body's bytes unparsed (see :mod:`rec_tui.api.xmlformat`).
        ``read``: what makes the body into the answer instead, in a thread (a list page); a body
        it finds is not JSON (ValueError) is retried like any other.
        """
        headers = {"Accept": "application/xml"} if xml else None
        policy = self.retry if retry_safe else NO_RETRY
        started = time.monotonic()
        attempt = 0
        while True:
            attempt += 1
            retry_after: float | None = None
            t0 = time.monotonic()
            try:
                response = await self._http.request(method, url, params=params, data=data, headers=headers)
            except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
                error: ApiError = NetworkError(
                    f"could not connect to {self.endpoint.origin}: {type(exc).__name__}", sent=False,
                    method=method, path=url,
                )
            except httpx.TimeoutException as exc:
                error = NetworkError(f"the service did not answer in time ({type(exc).__name__})", sent=True,
                                     method=method, path=url)
            except httpx.TransportError as exc:
                error = NetworkError(f"the connection failed mid-request ({type(exc).__name__})", sent=True,
                                     method=method, path=url)
            else:
                log.debug("%s %s -> %s (%.0f ms)", method, response.url.path, response.status_code,
                          (time.monotonic() - t0) * 1000)
                status = response.status_code
                if status < 300:
                    if not expect_body or status == 204:
                        return None
                    if xml:
                        return response.content
                    try:
                        if read is not None:
                            return await asyncio.to_thread(read, response.content)
                        if len(response.content) > THREAD_JSON_BYTES:
                            return await asyncio.to_thread(decode_json, response.content)
                        return decode_json(response.content)
                    except (ValueError, UnicodeDecodeError):
                        error = MalformedResponseError(
                            f"the service sent a response that is not valid JSON ({len(response.content)} bytes)",
                            status=status, method=method, path=url,
                        )
                else:
                    error = _error_from_response(response, method, url)
                    if method == "DELETE" and status == 404 and attempt > 1:
                        # An earlier attempt whose answer was lost already deleted it.
                        return None
                    if status != 429 and status < 500:
                        raise error
                    retry_after = getattr(error, "retry_after", None)
            if not retry_safe:
                raise error
            await self._backoff(policy, attempt, started, error, retry_after, method, url)

    @staticmethod
    async def _backoff(policy: RetryPolicy, attempt: int, started: float, error: ApiError,
                       retry_after: float | None, method: str, url: str) -> None:
        """Wait before the next attempt, or raise ``error``, saying we gave up, when out of tries or time."""
        elapsed = time.monotonic() - started
        delay = policy.delay(attempt, retry_after)
        if attempt >= policy.attempts or elapsed + delay > policy.budget:
            error.message = f"{error.message} — gave up after {attempt} attempt(s) in {elapsed:.1f} s"
            error.args = (error.message,)
            raise error
        log.debug("retrying %s %s in %.2f s after: %s", method, url, delay, error)
        await policy.sleep(delay)

    async def _get(self, url: str, params: list[tuple[str, str]] | None = None,
                   read: Callable[[bytes], Any] | None = None) -> Any:
        return await self._request("GET", url, params=params, retry_safe=True, read=read)

    async def _page(self, item_type: type[T], url: str, params: list[tuple[str, str]] | None = None) -> Page[T]:
        if self._is_xml(url):
            return await self._xml_page(item_type, url, params)
        return await self._get(url, params, read=partial(decode_page, item_type))

    async def _page_body(self, url: str, params: list[tuple[str, str]] | None = None) -> PageBody:
        """A page of recordings as received, its links read (:meth:`iter_recordings`)."""
        return await self._get(url, params, read=partial(PageBody, Recording))

    async def _one(self, item_type: type[T], url: str, params: list[tuple[str, str]] | None = None) -> T:
        return item_type.from_json(await self._get(url, params))

    # -- recordings: reads ------------------------------------------------------------------

    @staticmethod
    def _page_size(page_size: int) -> list[tuple[str, str]]:
        if not 1 <= page_size <= 1000:
            raise ValueError(f"page size must be 1..1000, got {page_size}")
        return [("PageSize", str(page_size))]

    async def list_recordings(self, filter: RecordingFilter | None = None, page_size: int = 50) -> Page[Recording]:
        """First page of the account's recordings, newest first, with the API's filters."""
        params = (filter or RecordingFilter()).to_params() + self._page_size(page_size)
        return await self._page(Recording, self.path("Recordings"), params)

    async def list_call_recordings(self, call_sid: str, page_size: int = 50) -> Page[Recording]:
        sids.check_sid(call_sid, "call")
        return await self._page(Recording, self.path("Calls", call_sid, "Recordings"), self._page_size(page_size))

    async def list_conference_recordings(self, conference_sid: str, page_size: int = 50) -> Page[Recording]:
        sids.check_sid(conference_sid, "conference")
        path = self.path("Conferences", conference_sid, "Recordings")
        return await self._page(Recording, path, self._page_size(page_size))

    async def fetch_page(self, item_type: type[T], uri: str) -> Page[T]:
        """A page by one of the service's own URIs (``next_page_uri``, ``previous_page_uri``, …)."""
        return await self._page(item_type, self._resolve(uri))

    async def next_page(self, page: Page[T], item_type: type[T] = Recording) -> Page[T] | None:
        return await self.fetch_page(item_type, page.next_page_uri) if page.next_page_uri else None

    async def previous_page(self, page: Page[T], item_type: type[T] = Recording) -> Page[T] | None:
        return await self.fetch_page(item_type, page.previous_page_uri) if page.previous_page_uri else None

    async def iter_recordings(
        self, filter: RecordingFilter | None = None, page_size: int = 1000, limit: int | None = None
    ) -> AsyncIterator[Recording]:
        """Every matching recording, following ``next_page_uri`` to the end.

        Each next page is asked for as soon as a page arrives, before that one is parsed: the
        service prepares one while we read the other.
        """
        params = (filter or RecordingFilter()).to_params() + self._page_size(page_size)
        body = await self._page_body(self.path("Recordings"), params)
        count = 0
        following: asyncio.Future | None = None
        try:
            while True:
                following = self._prefetch(body, None if limit is None else limit - count)
                page: Page[Recording] = await asyncio.to_thread(body.page)
                for recording in page.items:
                    yield recording
                    count += 1
                    if limit is not None and count >= limit:
                        return
                if not page.has_next:
                    return
                if following is None:  # not prefetched: fails here, in order, if the URI is bad
                    body = await self._page_body(self._resolve(page.next_page_uri))
                else:
                    body, following = await following, None
        finally:
            if following is not None:
                _discard(following)

    def _prefetch(self, body: PageBody, wanted: int | None) -> asyncio.Future | None:
        """Start fetching the page after ``body``, if there is one to fetch."""
        uri = body.next_page_uri
        if not isinstance(uri, str) or not uri or (wanted is not None and body.item_count is not None
                                                    and body.item_count >= wanted):
            return None
        try:
            url = self._resolve(uri)
        except ApiError:
            return None  # raised when the page is followed, after this page's recordings
        return asyncio.ensure_future(self._page_body(url))

    async def fetch_recording(self, sid: str, include_soft_deleted: bool = False) -> Recording:
        sids.check_sid(sid, "recording")
        params = [("IncludeSoftDeleted", "true")] if include_soft_deleted else None
        return await self._one(Recording, self.path("Recordings", sid), params)

    async def list_transcriptions(self, recording_sid: str, page_size: int = 50) -> Page[Transcription]:
        sids.check_sid(recording_sid, "recording")
        path = self.path("Recordings", recording_sid, "Transcriptions")
        return await self._page(Transcription, path, self._page_size(page_size))

    async def fetch_transcription(self, sid: str) -> Transcription:
        sids.check_sid(sid, "transcription")
        return await self._one(Transcription, self.path("Transcriptions", sid))

    async def list_add_on_results(self, recording_sid: str, page_size: int = 50) -> Page[AddOnResult]:
        sids.check_sid(recording_sid, "recording")
        path = self.path("Recordings", recording_sid, "AddOnResults")
        return await self._page(AddOnResult, path, self._page_size(page_size))

    async def list_add_on_payloads(self, recording_sid: str, result_sid: str) -> Page[AddOnPayload]:
        sids.check_sid(recording_sid, "recording")
        sids.check_sid(result_sid, "add_on_result")
        path = self.path("Recordings", recording_sid, "AddOnResults", result_sid, "Payloads")
        return await self._page(AddOnPayload, path)

    # -- XML representations (2010-04-01 ``.xml``, and the legacy 2008-08-01 API) -----------

    def legacy_path(self, *parts: str, ext: str = "") -> str:
        """``/2008-08-01/Accounts/AC…/Recordings`` for ``legacy_path("Recordings")``."""
        for part in parts:
            sids.check_path_segment(part)
        return "/".join((self._legacy_account_path, *parts)) + ext

    def _is_xml(self, url: str) -> bool:
        path = urlsplit(url).path
        return path.endswith(".xml") or path.startswith(self._legacy_account_path + "/")

    def _check_legacy(self) -> None:
        if self.endpoint.provider == "signalwire":
            raise ValueError("SignalWire has no 2008-08-01 API")

    async def fetch_recording_xml(self, sid: str, *, legacy: bool = False) -> Recording:
        """A recording read from its XML representation (``Recordings/RE….xml``), of the
        2010-04-01 API or, with ``legacy``, of the 2008-08-01 one."""
        sids.check_sid(sid, "recording")
        if legacy:
            self._check_legacy()
        url = (self.legacy_path if legacy else self.path)("Recordings", sid, ext=".xml")
        from rec_tui.api.xmlformat import resource_from_xml

        return resource_from_xml(Recording, await self._request("GET", url, retry_safe=True, xml=True))

    async def list_recordings_xml(
        self, filter: RecordingFilter | None = None, page_size: int = 50, *, legacy: bool = False
    ) -> Page[Recording]:
        """First page of the XML recordings list: ``Recordings.xml`` (2010-04-01) or, with
        ``legacy``, the 2008-08-01 ``Recordings`` list, which filters by call and date only and
        numbers its pages (``Page``, ``Num``); ``total`` and ``num_pages`` are then known."""
        filter = filter or RecordingFilter()
        params = filter.to_params()
        if not legacy:
            return await self._xml_page(Recording, self.path("Recordings", ext=".xml"),
                                        params + self._page_size(page_size))
        self._check_legacy()
        if filter.conference_sid or filter.include_soft_deleted:
            raise ValueError("the 2008-08-01 API filters recordings by call and date only")
        self._page_size(page_size)
        params = [(LEGACY_FILTER_NAMES.get(key, key), value) for key, value in params]
        return await self._xml_page(Recording, self.legacy_path("Recordings"), params + [("Num", str(page_size))])

    async def _xml_page(self, item_type: type[T], url: str, params: list[tuple[str, str]] | None = None) -> Page[T]:
        from rec_tui.api.xmlformat import page_from_xml

        page = page_from_xml(item_type, await self._request("GET", url, params=params, retry_safe=True, xml=True))
        if page.num_pages is None or page.next_page_uri or page.previous_page_uri:
            return page
        # The 2008-08-01 form names no neighbour pages, only how many there are. Its pages are
        # numbered, so their URIs are built here and paging works as for any other list.
        parts = urlsplit(url)
        query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) + list(params or []) if k != "Page"]

        def at(number: int) -> str:
            return f"{parts.path}?{urlencode(query + [('Page', str(number))])}"

        return replace(page, next_page_uri=at(page.page + 1) if page.page + 1 < page.num_pages else None,
                       previous_page_uri=at(page.page - 1) if page.page > 0 else None)

    # -- calls and conferences --------------------------------------------------------------

    async def list_calls(self, status: str | None = "in-progress", page_size: int = 50) -> Page[Call]:
        params = self._page_size(page_size) + ([("Status", status)] if status else [])
        return await self._page(Call, self.path("Calls"), params)

    async def fetch_call(self, sid: str) -> Call:
        sids.check_sid(sid, "call")
        return await self._one(Call, self.path("Calls", sid))

    async def list_conferences(self, status: str | None = "in-progress", page_size: int = 50) -> Page[Conference]:
        params = self._page_size(page_size) + ([("Status", status)] if status else [])
        return await self._page(Conference, self.path("Conferences"), params)

    async def fetch_conference(self, sid: str) -> Conference:
        sids.check_sid(sid, "conference")
        return await self._one(Conference, self.path("Conferences", sid))

    # -- recordings: changes ----------------------------------------------------------------

    def _parent_path(self, call_sid: str | None, conference_sid: str | None) -> tuple[str, ...]:
        if bool(call_sid) == bool(conference_sid):
            raise ValueError("name exactly one of call_sid and conference_sid")
        if call_sid:
            return ("Calls", sids.check_sid(call_sid, "call"))
        return ("Conferences", sids.check_sid(conference_sid, "conference"))

    async def update_recording(
        self,
        sid: str,
        status: str,
        *,
        call_sid: str | None = None,
        conference_sid: str | None = None,
        pause_behavior: str | None = None,
    ) -> Recording:
        """Pause, resume or stop a live recording. ``sid`` may be ``Twilio.CURRENT``: the only
        active recording of that call or conference (the service refuses it when there are several)."""
        if sid != sids.CURRENT:
            sids.check_sid(sid, "recording")
        if status not in UPDATE_STATUSES:
            raise ValueError(f"status must be one of {', '.join(UPDATE_STATUSES)}")
        data = {"Status": status}
        if pause_behavior is not None:
            if pause_behavior not in PAUSE_BEHAVIORS:
                raise ValueError(f"pause behavior must be one of {', '.join(PAUSE_BEHAVIORS)}")
            data["PauseBehavior"] = pause_behavior
        path = self.path(*self._parent_path(call_sid, conference_sid), "Recordings", sid)
        # Setting a status is idempotent, but a lost answer is better shown than guessed at.
        return Recording.from_json(await self._request("POST", path, data=data, retry_safe=False))

    async def create_call_recording(
        self,
        call_sid: str,
        *,
        channels: str | None = None,
        track: str | None = None,
        trim: str | None = None,
        status_callback: str | None = None,
        status_callback_method: str | None = None,
        status_callback_events: list[str] | tuple[str, ...] = (),
    ) -> Recording:
        """Start recording a live call. Never retried: a repeat would start a second recording."""
        sids.check_sid(call_sid, "call")
        data: dict[str, str | list[str]] = {}
        for name, value, allowed in (
            ("RecordingChannels", channels, RECORDING_CHANNELS),
            ("RecordingTrack", track, RECORDING_TRACKS),
            ("Trim", trim, TRIM_OPTIONS),
            ("RecordingStatusCallbackMethod", status_callback_method, CALLBACK_METHODS),
        ):
            if value is not None:
                if value not in allowed:
                    raise ValueError(f"{name} must be one of {', '.join(allowed)}")
                data[name] = value
        if status_callback:
            parts = urlsplit(status_callback)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise ValueError("the status callback must be an http(s) URL")
            data["RecordingStatusCallback"] = status_callback
        for event in status_callback_events:
            if event not in CALLBACK_EVENTS:
                raise ValueError(f"callback events must be among {', '.join(CALLBACK_EVENTS)}")
        if status_callback_events:
            # Repeated form fields, as Twilio's own SDKs send a list parameter.
            data["RecordingStatusCallbackEvent"] = list(status_callback_events)
        path = self.path("Calls", call_sid, "Recordings")
        return Recording.from_json(await self._request("POST", path, data=data, retry_safe=False))

    async def delete_recording(self, sid: str) -> None:
        """Delete a completed recording's media; its metadata stays, with status ``deleted``."""
        sids.check_sid(sid, "recording")
        await self._request("DELETE", self.path("Recordings", sid), retry_safe=True, expect_body=False)

    # -- media ------------------------------------------------------------------------------

    def media_url(self, sid: str, fmt: str = "wav", channels: int | None = None) -> str:
        """Absolute URL of a recording's audio; safe to show (it carries no credentials)."""
        sids.check_sid(sid, "recording")
        if fmt not in MEDIA_FORMATS:
            raise ValueError(f"format must be one of {', '.join(MEDIA_FORMATS)}")
        url = self.endpoint.origin + self.path("Recordings", sid, ext=MEDIA_FORMATS[fmt])
        if channels is not None:
            if channels not in (1, 2):
                raise ValueError("channels must be 1 or 2")
            url += f"?RequestedChannels={channels}"
        return url

    @asynccontextmanager
    async def media_stream(
        self, sid: str, fmt: str = "wav", channels: int | None = None, url: str | None = None
    ) -> AsyncIterator[httpx.Response]:
        """Open a recording's audio for streaming; redirects are followed without credentials.

        Opening is retried like a read (connection faults, 5xx, 429 with ``Retry-After``) until
        the headers of a success arrive; a failure in the body is raised as a ``NetworkError``.

        ``url`` overrides the address (e.g. a ``media_url`` on external storage): credentials are
        only attached when it is on the API's own origin.
        """
        target = url or self.media_url(sid, fmt, channels)
        check_origin_security(target)
        path = urlsplit(target).path
        response = await self._open_media(target, path)
        try:
            yield response
        except httpx.TransportError as exc:
            # Once the body is flowing a retry is the caller's (it holds the partial file).
            raise NetworkError(f"the media transfer failed ({type(exc).__name__})", sent=True,
                               method="GET", path=path) from None
        finally:
            await response.aclose()

    async def _open_media(self, target: str, path: str) -> httpx.Response:
        """Send the media GET until a success status arrives, retrying like any read."""
        started = time.monotonic()
        attempt = 0
        while True:
            attempt += 1
            retry_after: float | None = None
            request = self._http.build_request("GET", target, headers={"Accept": "*/*"})
            try:
                response = await self._http.send(request, stream=True, follow_redirects=True)
            except httpx.TransportError as exc:
                error: ApiError = NetworkError(f"the media transfer failed ({type(exc).__name__})", sent=True,
                                               method="GET", path=path)
            else:
                if response.status_code < 400:
                    return response
                try:
                    await response.aread()
                except httpx.TransportError as exc:
                    error = NetworkError(f"the media transfer failed ({type(exc).__name__})", sent=True,
                                         method="GET", path=path)
                else:
                    error = _error_from_response(response, "GET", path)
                    if response.status_code != 429 and response.status_code < 500:
                        raise error
                    retry_after = getattr(error, "retry_after", None)
                finally:
                    await response.aclose()
            await self._backoff(self.retry, attempt, started, error, retry_after, "GET", path)

    # -- helpers for the UI -----------------------------------------------------------------

    async def check_credentials(self) -> None:
        """One light request: raises AuthenticationError for wrong credentials."""
        await self._get(self.path("Recordings"), [("PageSize", "1")])

