"""Request handling: routing, validation, paging, and the JSON/media answers of the contract.

:class:`Api` is independent of sockets: ``handle(method, path, query, form)`` returns a
:class:`Response` (or raises :class:`~rec_tui.emulator.errors.ApiError`). The HTTP server in
``server.py`` adds authentication, faults and the wire format.

Paging is Twilio's: ``PageSize`` (1..1000, default 50), ``Page`` (client state; a page other than
0 needs a ``PageToken``), ``PageToken=PA<SID>`` for the page after the item ``<SID>`` (the last
item of the previous page: the ``next_page_uri``) and ``PageToken=PB<SID>`` for the page before
the item ``<SID>`` (the first item of the following page: the ``previous_page_uri``). Tokens name
positions in the sort order (``date_created`` descending, then SID), so they keep working when
items are added at the top or removed. Page URIs are relative and repeat every active filter.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Callable
from urllib.parse import urlencode, urlsplit

from . import audio, xmlforms
from .errors import (CONCURRENT_RECORDINGS, INVALID_CALL_STATE, ApiError, bad_parameter, method_not_allowed,
                     not_found)
from .models import CALL_STATUSES, CONFERENCE_STATUSES, Renderer, Recording
from .sids import CURRENT, is_sid, parse_date_param
from .store import Store, paginate

PREFIX = "/2010-04-01/Accounts/"
#: Twilio's legacy API: recordings as XML (see ``xmlforms``).
LEGACY_PREFIX = "/2008-08-01/Accounts/"
MAX_PAGE_SIZE = 1000
DEFAULT_PAGE_SIZE = 50
DATE_KEYS = {"DateCreated": "=", "DateCreated<": "<", "DateCreated<=": "<", "DateCreated>": ">",
             "DateCreated>=": ">"}
CHANNELS = {"mono": 1, "dual": 2}
TRACKS = ("inbound", "outbound", "both")
TRIMS = ("trim-silence", "do-not-trim")
CALLBACK_METHODS = ("GET", "POST")
CALLBACK_EVENTS = ("in-progress", "completed", "absent")
UPDATE_STATUSES = ("in-progress", "paused", "stopped")
PAUSE_BEHAVIORS = ("skip", "silence")
#: "Recordings metadata are kept after deletion for a retention period of 40 days."
SOFT_DELETE_RETENTION = 40 * 86400


@dataclass
class Response:
    status: int = 200
    body: bytes | None = None
    content_type: str = "application/json"
    stream: Iterable[bytes] | None = None
    length: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    #: Slow work (an MP3 encode) done after the store's lock is released; returns the real answer.
    deferred: Callable[[], Response] | None = None

    @property
    def content_length(self) -> int:
        if self.stream is not None:
            assert self.length is not None
            return self.length
        return len(self.body or b"")

    def chunks(self) -> Iterator[bytes]:
        if self.stream is not None:
            yield from self.stream
        elif self.body:
            yield self.body


def json_response(data: Any, status: int = 200) -> Response:
    return Response(status, json.dumps(data, ensure_ascii=False).encode())


def error_response(error: ApiError) -> Response:
    return Response(error.status, json.dumps(error.body()).encode(), headers=dict(error.headers))


def _bool(name: str, value: str | None) -> bool:
    if value is None:
        return False
    lowered = value.strip().lower()
    if lowered in ("true", "1"):
        return True
    if lowered in ("false", "0", ""):
        return False
    raise bad_parameter(f"Invalid {name}: {value!r} is not a boolean (true or false)")


class Query:
    """A request's query string: the last value of each parameter wins, every value is kept."""

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        self.pairs = pairs
        self.values: dict[str, str] = {}
        for key, value in pairs:
            self.values[key] = value

    def get(self, name: str) -> str | None:
        return self.values.get(name)

    def all(self, name: str) -> list[str]:
        return [v for k, v in self.pairs if k == name]


@dataclass
class ListSpec:
    """One list request: its filters (echoed in page URIs), predicate and paging."""

    path: str
    list_key: str
    prefix: str  # SID prefix of the items, for page tokens
    echo: list[tuple[str, str]]
    predicate: Callable[[Any], bool] | None


# (regex on the part after /2010-04-01/Accounts/{AccountSid}, {method: handler name})
ROUTES: list[tuple[re.Pattern, dict[str, str]]] = [
    (re.compile(pattern), methods) for pattern, methods in (
        (r"/Recordings\.json", {"GET": "list_recordings"}),
        (r"/Recordings\.xml", {"GET": "list_recordings_xml"}),
        (r"/Recordings/(?P<sid>[^/.]+)\.xml", {"GET": "fetch_recording_xml"}),
        (r"/Recordings/(?P<sid>[^/.]+)\.json", {"GET": "fetch_recording", "DELETE": "delete_recording"}),
        (r"/Recordings/(?P<sid>[^/.]+)(?P<ext>\.wav|\.mp3)?", {"GET": "media"}),
        (r"/Recordings/(?P<rec>[^/]+)/Transcriptions\.json", {"GET": "list_recording_transcriptions"}),
        (r"/Recordings/(?P<rec>[^/]+)/Transcriptions/(?P<sid>[^/]+)\.json",
         {"GET": "fetch_transcription", "DELETE": "delete_transcription"}),
        (r"/Recordings/(?P<rec>[^/]+)/AddOnResults\.json", {"GET": "list_add_on_results"}),
        (r"/Recordings/(?P<rec>[^/]+)/AddOnResults/(?P<sid>[^/]+)\.json",
         {"GET": "fetch_add_on_result", "DELETE": "delete_add_on_result"}),
        (r"/Recordings/(?P<rec>[^/]+)/AddOnResults/(?P<result>[^/]+)/Payloads\.json", {"GET": "list_payloads"}),
        (r"/Recordings/(?P<rec>[^/]+)/AddOnResults/(?P<result>[^/]+)/Payloads/(?P<sid>[^/]+)\.json",
         {"GET": "fetch_payload", "DELETE": "delete_payload"}),
        (r"/Recordings/(?P<rec>[^/]+)/AddOnResults/(?P<result>[^/]+)/Payloads/(?P<sid>[^/]+)/Data\.json",
         {"GET": "payload_data"}),
        (r"/Transcriptions\.json", {"GET": "list_transcriptions"}),
        (r"/Transcriptions/(?P<sid>[^/]+)\.json", {"GET": "fetch_transcription", "DELETE": "delete_transcription"}),
        (r"/Calls\.json", {"GET": "list_calls"}),
        (r"/Calls/(?P<sid>[^/]+)\.json", {"GET": "fetch_call"}),
        (r"/Calls/(?P<call>[^/]+)/Recordings\.json", {"GET": "list_call_recordings", "POST": "create_call_recording"}),
        (r"/Calls/(?P<call>[^/]+)/Recordings/(?P<sid>[^/]+?)\.json",
         {"GET": "fetch_call_recording", "POST": "update_call_recording", "DELETE": "delete_call_recording"}),
        (r"/Conferences\.json", {"GET": "list_conferences"}),
        (r"/Conferences/(?P<sid>[^/]+)\.json", {"GET": "fetch_conference"}),
        (r"/Conferences/(?P<conf>[^/]+)/Recordings\.json", {"GET": "list_conference_recordings"}),
        (r"/Conferences/(?P<conf>[^/]+)/Recordings/(?P<sid>[^/]+?)\.json",
         {"GET": "fetch_conference_recording", "POST": "update_conference_recording",
          "DELETE": "delete_conference_recording"}),
    )
]
#: The 2008-08-01 API: the list is XML with or without ``.xml``; a recording without an extension is WAV.
LEGACY_ROUTES: list[tuple[re.Pattern, dict[str, str]]] = [
    (re.compile(pattern), methods) for pattern, methods in (
        (r"/Recordings(?:\.xml)?", {"GET": "legacy_list_recordings"}),
        (r"/Recordings/(?P<sid>[^/.]+)\.xml", {"GET": "legacy_fetch_recording"}),
        (r"/Recordings/(?P<sid>[^/.]+)(?P<ext>\.wav|\.mp3)?", {"GET": "media", "DELETE": "delete_recording"}),
    )
]
ADD_ON_DATA = re.compile(r"/emulator/add-on-data/(?P<sid>XH[0-9a-fA-F]{32})\.json")


class Api:
    def __init__(self, store: Store, renderer: Renderer, mp3_cache: audio.Mp3Cache) -> None:
        self.store = store
        self.render = renderer
        self.mp3 = mp3_cache
        self.account_sid = store.account_sid
        self.root = f"{PREFIX}{store.account_sid}"
        self.legacy_root = f"{LEGACY_PREFIX}{store.account_sid}"
        #: Whether a recording still processing has media (SignalWire's: finished is finished).
        self.processing_has_media = False

    # -- dispatch -------------------------------------------------------------------------------

    @staticmethod
    def account_of(path: str) -> str | None:
        """The Account SID segment of an API path, or None for a path outside the API."""
        prefix = next((p for p in (PREFIX, LEGACY_PREFIX) if path.startswith(p)), None)
        if prefix is None:
            return None
        rest = path[len(prefix):]
        account = rest.split("/", 1)[0]
        return account if "/" in rest else None

    def handle(self, method: str, path: str, query: Query, form: Query) -> Response:
        """Answer one authenticated request for ``path`` (already known to be this account's)."""
        method = "GET" if method == "HEAD" else method
        match = ADD_ON_DATA.fullmatch(path)
        if match:
            return self.add_on_data(match["sid"])
        legacy = path.startswith(self.legacy_root + "/")
        sub = path[len(self.legacy_root if legacy else self.root):]
        for pattern, methods in LEGACY_ROUTES if legacy else ROUTES:
            found = pattern.fullmatch(sub)
            if found:
                name = methods.get(method)
                if name is None:
                    raise method_not_allowed(method, path, sorted(methods) + (["HEAD"] if "GET" in methods else []))
                with self.store.lock:
                    now = self.store.advance()
                    response = getattr(self, name)(now=now, path=path, query=query, form=form, **found.groupdict())
                while response.deferred is not None:
                    response = response.deferred()
                return response
        raise not_found(path)

    # -- helpers --------------------------------------------------------------------------------

    @staticmethod
    def _path_sid(value: str | None, prefix: str, path: str) -> str:
        """A SID from the path: a malformed one is simply not found."""
        if value is None or not is_sid(value, prefix):
            raise not_found(path)
        return value

    @staticmethod
    def _query_sid(query: Query, name: str, prefix: str) -> str | None:
        value = query.get(name)
        if value is None:
            return None
        value = value.strip()
        if not is_sid(value, prefix):
            raise bad_parameter(f"Invalid {name}: {value!r} is not a valid {prefix} SID ({prefix} and 32 hex digits)")
        return value

    def _paging(self, query: Query, prefix: str) -> tuple[int, int, tuple[str, tuple] | None, str | None]:
        raw_size = query.get("PageSize")
        page_size = DEFAULT_PAGE_SIZE
        if raw_size is not None:
            try:
                page_size = int(raw_size.strip())
            except ValueError:
                raise bad_parameter(f"Invalid PageSize: {raw_size!r} is not an integer") from None
            if not 1 <= page_size <= MAX_PAGE_SIZE:
                raise bad_parameter(f"Invalid PageSize: {page_size} is outside 1..{MAX_PAGE_SIZE}")
        raw_page = query.get("Page")
        page = 0
        if raw_page is not None:
            try:
                page = int(raw_page.strip())
            except ValueError:
                raise bad_parameter(f"Invalid Page: {raw_page!r} is not an integer") from None
            if page < 0:
                raise bad_parameter(f"Invalid Page: {page} is negative")
        raw_token = query.get("PageToken")
        if raw_token is None or raw_token == "":
            if page != 0:
                raise bad_parameter("Invalid Page: a page other than 0 needs the PageToken of a "
                                    "next_page_uri or previous_page_uri")
            return page_size, page, None, None
        token = raw_token.strip()
        direction, sid = token[1:2], token[2:]
        key = self.store.sort_key(sid) if token[:1] == "P" and direction in ("A", "B") and is_sid(sid, prefix) else None
        if key is None:
            raise bad_parameter(f"Invalid PageToken: {token!r}")
        return page_size, page, (direction, key), token

    def _list(self, spec: ListSpec, items: list, query: Query, render: Callable[[Any], dict] | None = None,
              render_json: Callable[[Any], bytes] | None = None) -> Response:
        """One page of ``items``, each rendered by ``render`` (a dict) or ``render_json`` (its JSON
        text, which recordings keep ready)."""
        if render_json is None:
            assert render is not None
            render_json = lambda item: json.dumps(render(item), ensure_ascii=False).encode()  # noqa: E731
        page_size, page, token, token_text = self._paging(query, spec.prefix)
        found, more = paginate(items, spec.predicate, page_size, token)

        def uri(page_number: int, page_token: str | None) -> str:
            params = list(spec.echo) + [("PageSize", str(page_size)), ("Page", str(page_number))]
            if page_token:
                params.append(("PageToken", page_token))
            return f"{spec.path}?{urlencode(params)}"

        start = page * page_size
        envelope = {
            spec.list_key: [],
            "end": start + max(len(found) - 1, 0),
            "first_page_uri": uri(0, None),
            "next_page_uri": uri(page + 1, f"PA{found[-1].sid}") if more and found else None,
            "page": page,
            "page_size": page_size,
            "previous_page_uri": uri(page - 1, f"PB{found[0].sid}") if page > 0 and found else None,
            "start": start,
            "uri": uri(page, token_text),
        }
        # The envelope around the items' own JSON texts: the document json_response would make.
        text = json.dumps(envelope, ensure_ascii=False).encode()
        marker = b'"' + spec.list_key.encode() + b'": []'
        head, _, tail = text.partition(marker)
        items_text = b", ".join(render_json(item) for item in found)
        return Response(200, b"".join((head, marker[:-1], items_text, b"]", tail)))

    @staticmethod
    def _date_filters(query: Query, echo: list[tuple[str, str]]) -> list[Callable[[int], bool]]:
        """``DateCreated`` (that GMT day), ``DateCreated<`` / ``DateCreated<=`` (on or before
        midnight, i.e. the start, of that day) and ``DateCreated>`` / ``DateCreated>=`` (on or after
        midnight of that day), as the parameter's description says. A date-time value is compared
        as given (``DateCreated=`` then means its GMT day)."""
        tests: list[Callable[[int], bool]] = []
        seen: dict[str, tuple[str, str]] = {}
        for key, value in query.pairs:
            if key in DATE_KEYS:
                seen[DATE_KEYS[key]] = (key, value)
        for op, canonical in (("=", "DateCreated"), ("<", "DateCreated<"), (">", "DateCreated>")):
            if op not in seen:
                continue
            key, value = seen[op]
            try:
                ts, whole_day = parse_date_param(value)
            except ValueError:
                raise bad_parameter(f"Invalid {key}: {value!r} is not a date (YYYY-MM-DD)") from None
            echo.append((canonical, value.strip()))
            if op == "=":
                day = ts - ts % 86400
                tests.append(lambda created, lo=day, hi=day + 86400: lo <= created < hi)
            elif op == "<":
                tests.append(lambda created, limit=ts: created <= limit)
            else:
                tests.append(lambda created, limit=ts: created >= limit)
        return tests

    def _recording_spec(self, path: str, query: Query, *, account: bool) -> tuple[ListSpec, list]:
        echo: list[tuple[str, str]] = []
        dates = self._date_filters(query, echo)
        call_sid = conference_sid = None
        include_deleted = False
        if account:
            call_sid = self._query_sid(query, "CallSid", "CA")
            conference_sid = self._query_sid(query, "ConferenceSid", "CF")
            include_deleted = _bool("IncludeSoftDeleted", query.get("IncludeSoftDeleted"))
            if call_sid:
                echo.append(("CallSid", call_sid))
            if conference_sid:
                echo.append(("ConferenceSid", conference_sid))
            if include_deleted:
                echo.append(("IncludeSoftDeleted", "true"))

        def predicate(rec: Recording) -> bool:
            if rec.status == "deleted" and not (include_deleted and self._retained(rec)):
                return False
            if call_sid is not None and rec.call_sid != call_sid:
                return False
            if conference_sid is not None and rec.conference_sid != conference_sid:
                return False
            return all(test(rec.created) for test in dates)

        return ListSpec(path, "recordings", "RE", echo, predicate), self.store.recording_list(call_sid, conference_sid)

    # -- recordings -----------------------------------------------------------------------------

    def list_recordings(self, *, now: float, path: str, query: Query, **_: Any) -> Response:
        spec, items = self._recording_spec(path, query, account=True)
        return self._list(spec, items, query, render_json=lambda rec: self.render.recording_json(rec, now))

    def _recording(self, sid: str | None, path: str, *, include_deleted: bool = False) -> Recording:
        sid = self._path_sid(sid, "RE", path)
        rec = self.store.recordings.get(sid)
        if rec is None or (rec.status == "deleted" and not (include_deleted and self._retained(rec))):
            raise not_found(path)
        return rec

    def _retained(self, rec: Recording) -> bool:
        """A deleted recording's metadata is kept for ``SOFT_DELETE_RETENTION`` after its deletion."""
        return self.store.now - rec.updated <= SOFT_DELETE_RETENTION

    def fetch_recording(self, *, now: float, path: str, query: Query, sid: str, **_: Any) -> Response:
        include = _bool("IncludeSoftDeleted", query.get("IncludeSoftDeleted"))
        return json_response(self.render.recording(self._recording(sid, path, include_deleted=include), now))

    def _delete(self, rec: Recording, now: float) -> Response:
        # Only completed recordings can be deleted (the guide). Deleting one that is already
        # deleted answers 404, as Twilio does for a soft-deleted recording without
        # IncludeSoftDeleted: it is no longer there to delete (and a client retrying a DELETE
        # whose first answer was lost can take the 404 as done).
        if not self._finished(rec):
            raise bad_parameter(f"Recording {rec.sid} is {rec.status}: only completed recordings can be deleted")
        self.store.delete_recording(rec, now)
        return Response(204)

    def _finished(self, rec: Recording) -> bool:
        """Completed (or, where ``processing_has_media``, processing): it has media and can be deleted."""
        return rec.has_media or (self.processing_has_media and rec.status == "processing")

    def delete_recording(self, *, now: float, path: str, sid: str, **_: Any) -> Response:
        return self._delete(self._recording(sid, path), now)

    def media(self, *, now: float, path: str, query: Query, sid: str, ext: str | None, **_: Any) -> Response:
        # Only a completed recording stored here has media; anything else is Not Found (the guide).
        rec = self._recording(sid, path)
        if not self._finished(rec):
            raise not_found(path)
        requested = query.get("RequestedChannels")
        channels = rec.channels
        if requested is not None:
            if requested.strip() not in ("1", "2"):
                raise bad_parameter(f"Invalid RequestedChannels: {requested!r} (1 or 2)")
            channels = int(requested)
            if channels == 2 and not rec.dual_available:
                # "For voice recordings in which dual-channel is not supported, like those created
                # with <Conference> or <Record> [...] If a dual-channel recording is explicitly
                # requested for download in these instances, the response will be Not Found."
                raise not_found(path)
        duration = rec.duration or 0
        if ext == ".mp3":
            sid, track = rec.sid, rec.track

            def encode() -> Response:  # outside the lock: a long recording takes seconds to encode
                try:
                    data = self.mp3.get(sid, duration, channels, track)
                except audio.Mp3Unavailable as exc:
                    raise ApiError(503, 20503, f"MP3 is unavailable on this emulator: {exc}") from None
                return Response(200, data, "audio/mpeg")

            return Response(deferred=encode)
        return Response(200, None, "audio/x-wav", stream=audio.stream_wav(rec.sid, duration, channels, rec.track),
                        length=audio.wav_size(duration, channels))

    # -- XML: 2010-04-01 ``.xml`` and the 2008-08-01 API ---------------------------------------

    def list_recordings_xml(self, **kwargs: Any) -> Response:
        # The JSON answer, re-served as XML: its page URIs already name this .xml path.
        envelope = json.loads(self.list_recordings(**kwargs).body or b"{}")
        return Response(200, xmlforms.page("Recordings", "Recording", envelope, "recordings"), "application/xml")

    def fetch_recording_xml(self, **kwargs: Any) -> Response:
        body = json.loads(self.fetch_recording(**kwargs).body or b"{}")
        return Response(200, xmlforms.resource("Recording", body), "application/xml")

    def legacy_list_recordings(self, *, now: float, path: str, query: Query, **_: Any) -> Response:
        """Numbered pages (``Page``, and ``Num`` — or ``PageSize`` — for their size) that say how many
        recordings match in all; filtered by ``CallSid`` and ``DateCreated`` only."""
        spec, _items = self._recording_spec(path, query, account=False)
        call_sid = self._query_sid(query, "CallSid", "CA")
        size, page = DEFAULT_PAGE_SIZE, 0
        for name in ("Num", "PageSize", "Page"):
            raw = query.get(name)
            if raw is None:
                continue
            try:
                value = int(raw.strip())
            except ValueError:
                raise bad_parameter(f"Invalid {name}: {raw!r} is not an integer") from None
            if name == "Page":
                if value < 0:
                    raise bad_parameter(f"Invalid Page: {value} is negative")
                page = value
            elif not 1 <= value <= MAX_PAGE_SIZE:
                raise bad_parameter(f"Invalid {name}: {value} is outside 1..{MAX_PAGE_SIZE}")
            else:
                size = value
        matching = [rec for rec in self.store.recording_list(call_sid=call_sid) if spec.predicate(rec)]
        found = matching[page * size:(page + 1) * size]
        items = [self.render.recording(rec, now) for rec in found]
        return Response(200, xmlforms.legacy_page(items, page, size, len(matching)), "application/xml")

    def legacy_fetch_recording(self, *, now: float, path: str, sid: str, **_: Any) -> Response:
        body = xmlforms.legacy_recording(self.render.recording(self._recording(sid, path), now))
        return Response(200, xmlforms.resource("Recording", body), "application/xml")

    # -- call and conference recordings ---------------------------------------------------------

    def _call(self, sid: str | None, path: str):
        sid = self._path_sid(sid, "CA", path)
        call = self.store.calls.get(sid)
        if call is None:
            raise not_found(path)
        return call

    def _conference(self, sid: str | None, path: str):
        sid = self._path_sid(sid, "CF", path)
        conf = self.store.conferences.get(sid)
        if conf is None:
            raise not_found(path)
        return conf

    def list_call_recordings(self, *, now: float, path: str, query: Query, call: str, **_: Any) -> Response:
        # A well-formed SID of a call with no recordings (or no such call) lists nothing.
        call_sid = self._path_sid(call, "CA", path)
        spec, _items = self._recording_spec(path, query, account=False)
        items = self.store.recording_list(call_sid=call_sid)
        return self._list(spec, items, query, lambda rec: self.render.call_recording(rec, now, call_sid))

    def list_conference_recordings(self, *, now: float, path: str, query: Query, conf: str, **_: Any) -> Response:
        conference_sid = self._path_sid(conf, "CF", path)
        spec, _items = self._recording_spec(path, query, account=False)
        items = self.store.recording_list(conference_sid=conference_sid)
        return self._list(spec, items, query, lambda rec: self.render.conference_recording(rec, now, conference_sid))

    def _call_recording(self, call_sid: str, sid: str, path: str) -> Recording:
        rec = self._recording(sid, path)
        if rec.call_sid != call_sid:
            raise not_found(path)
        return rec

    def _conference_recording(self, conference_sid: str, sid: str, path: str) -> Recording:
        rec = self._recording(sid, path)
        if rec.conference_sid != conference_sid:
            raise not_found(path)
        return rec

    def fetch_call_recording(self, *, now: float, path: str, call: str, sid: str, **_: Any) -> Response:
        call_sid = self._path_sid(call, "CA", path)
        return json_response(self.render.call_recording(self._call_recording(call_sid, sid, path), now, call_sid))

    def fetch_conference_recording(self, *, now: float, path: str, conf: str, sid: str, **_: Any) -> Response:
        conference_sid = self._path_sid(conf, "CF", path)
        rec = self._conference_recording(conference_sid, sid, path)
        return json_response(self.render.conference_recording(rec, now, conference_sid))

    def delete_call_recording(self, *, now: float, path: str, call: str, sid: str, **_: Any) -> Response:
        return self._delete(self._call_recording(self._path_sid(call, "CA", path), sid, path), now)

    def delete_conference_recording(self, *, now: float, path: str, conf: str, sid: str, **_: Any) -> Response:
        return self._delete(self._conference_recording(self._path_sid(conf, "CF", path), sid, path), now)

    @staticmethod
    def _choice(form: Query, name: str, allowed: tuple[str, ...], default: str | None) -> str | None:
        value = form.get(name)
        if value is None:
            return default
        if value not in allowed:
            raise bad_parameter(f"Invalid {name}: {value!r} is not one of {', '.join(allowed)}")
        return value

    def create_call_recording(self, *, now: float, path: str, form: Query, call: str, **_: Any) -> Response:
        call_obj = self._call(call, path)
        channels = CHANNELS[self._choice(form, "RecordingChannels", tuple(CHANNELS), "mono")]
        track = self._choice(form, "RecordingTrack", TRACKS, "both")
        trim = self._choice(form, "Trim", TRIMS, "do-not-trim")
        method = form.get("RecordingStatusCallbackMethod")
        if method is not None:
            if method.upper() not in CALLBACK_METHODS:
                raise bad_parameter(f"Invalid RecordingStatusCallbackMethod: {method!r} is not GET or POST")
            method = method.upper()
        callback = form.get("RecordingStatusCallback")
        if callback is not None:
            parts = urlsplit(callback)
            if parts.scheme not in ("http", "https") or not parts.netloc:
                raise bad_parameter(f"Invalid RecordingStatusCallback: {callback!r} is not an absolute http(s) URL")
        events: list[str] = []
        for raw in form.all("RecordingStatusCallbackEvent"):
            for event in raw.replace(",", " ").split():
                if event not in CALLBACK_EVENTS:
                    raise bad_parameter(f"Invalid RecordingStatusCallbackEvent: {event!r} is not one of "
                                        f"{', '.join(CALLBACK_EVENTS)}")
                if event not in events:
                    events.append(event)
        if call_obj.status != "in-progress":
            raise ApiError(400, INVALID_CALL_STATE, f"Call {call_obj.sid} is not in-progress ({call_obj.status}): "
                                                   "cannot start a recording")
        options = {"trim": trim, "callback": callback, "callback_method": method or "POST",
                   "callback_events": events or ["completed"]}
        rec = self.store.start_call_recording(call_obj, channels, track, now, options)
        return json_response(self.render.call_recording(rec, now, call_obj.sid), 201)

    def _update(self, rec_or_current: str, path: str, form: Query, now: float, *, call_sid: str | None = None,
                conference_sid: str | None = None) -> tuple[Recording, str]:
        status = form.get("Status")
        if status is None:
            raise bad_parameter("Missing required parameter Status (in-progress, paused or stopped)")
        if status not in UPDATE_STATUSES:
            raise bad_parameter(f"Invalid Status: {status!r} is not one of {', '.join(UPDATE_STATUSES)}")
        behavior = self._choice(form, "PauseBehavior", PAUSE_BEHAVIORS, "silence")
        if rec_or_current == CURRENT:
            active = self.store.active_recordings(call_sid=call_sid, conference_sid=conference_sid)
            parent = call_sid or conference_sid
            if not active:
                raise not_found(path)
            if len(active) > 1:
                raise ApiError(400, CONCURRENT_RECORDINGS,
                               f"Request failed because there is more than one active recording for {parent}: "
                               "use the Recording SID instead of Twilio.CURRENT")
            rec = active[0]
        elif call_sid is not None:
            rec = self._call_recording(call_sid, rec_or_current, path)
        else:
            rec = self._conference_recording(conference_sid or "", rec_or_current, path)
        if status == "stopped" and rec.conference_sid is not None:
            # Also when reached through its participant call's path: it is still the conference's.
            raise bad_parameter("Invalid Status: a conference recording can be paused or resumed, not stopped")
        if not rec.active:
            raise ApiError(400, INVALID_CALL_STATE, f"Recording {rec.sid} is {rec.status}: only an in-progress or "
                                                    "paused recording can be updated")
        if status == "paused":
            self.store.pause_recording(rec, now, behavior or "silence")
        elif status == "in-progress":
            self.store.resume_recording(rec, now)
        else:
            self.store.stop_recording(rec, now)
        return rec, status

    def update_call_recording(self, *, now: float, path: str, form: Query, call: str, sid: str, **_: Any) -> Response:
        call_sid = self._path_sid(call, "CA", path)
        if sid != CURRENT:
            self._path_sid(sid, "RE", path)
        rec, status = self._update(sid, path, form, now, call_sid=call_sid)
        return json_response(self.render.call_recording(rec, now, call_sid, inflight=status))

    def update_conference_recording(self, *, now: float, path: str, form: Query, conf: str, sid: str,
                                    **_: Any) -> Response:
        conference_sid = self._path_sid(conf, "CF", path)
        if sid != CURRENT:
            self._path_sid(sid, "RE", path)
        rec, status = self._update(sid, path, form, now, conference_sid=conference_sid)
        return json_response(self.render.conference_recording(rec, now, conference_sid, inflight=status))

    # -- transcriptions -------------------------------------------------------------------------

    def list_transcriptions(self, *, path: str, query: Query, **_: Any) -> Response:
        spec = ListSpec(path, "transcriptions", "TR", [], None)
        return self._list(spec, self.store.transcription_list(), query, self.render.transcription)

    def list_recording_transcriptions(self, *, path: str, query: Query, rec: str, **_: Any) -> Response:
        rec_sid = self._path_sid(rec, "RE", path)
        spec = ListSpec(path, "transcriptions", "TR", [], None)
        return self._list(spec, self.store.transcription_list(rec_sid), query, self.render.transcription)

    def _transcription(self, sid: str, path: str, rec: str | None):
        sid = self._path_sid(sid, "TR", path)
        tr = self.store.transcriptions.get(sid)
        if tr is None or (rec is not None and tr.recording_sid != rec):
            raise not_found(path)
        return tr

    def fetch_transcription(self, *, path: str, sid: str, rec: str | None = None, **_: Any) -> Response:
        return json_response(self.render.transcription(self._transcription(sid, path, rec)))

    def delete_transcription(self, *, path: str, sid: str, rec: str | None = None, **_: Any) -> Response:
        self.store.delete_transcription(self._transcription(sid, path, rec))
        return Response(204)

    # -- add-on results -------------------------------------------------------------------------

    def list_add_on_results(self, *, path: str, query: Query, rec: str, **_: Any) -> Response:
        rec_sid = self._path_sid(rec, "RE", path)
        spec = ListSpec(path, "add_on_results", "XR", [], None)
        return self._list(spec, self.store.add_on_list(rec_sid), query, self.render.add_on_result)

    def _add_on_result(self, rec: str, sid: str, path: str):
        rec_sid = self._path_sid(rec, "RE", path)
        result = self.store.add_on_results.get(self._path_sid(sid, "XR", path))
        if result is None or result.reference_sid != rec_sid:
            raise not_found(path)
        return result

    def fetch_add_on_result(self, *, path: str, rec: str, sid: str, **_: Any) -> Response:
        return json_response(self.render.add_on_result(self._add_on_result(rec, sid, path)))

    def delete_add_on_result(self, *, path: str, rec: str, sid: str, **_: Any) -> Response:
        self.store.delete_add_on_result(self._add_on_result(rec, sid, path))
        return Response(204)

    def list_payloads(self, *, path: str, query: Query, rec: str, result: str, **_: Any) -> Response:
        found = self._add_on_result(rec, result, path)
        spec = ListSpec(path, "payloads", "XH", [], None)
        return self._list(spec, found.payloads, query, self.render.payload)

    def _payload(self, rec: str, result: str, sid: str, path: str):
        found = self._add_on_result(rec, result, path)
        payload = self.store.payloads.get(self._path_sid(sid, "XH", path))
        if payload is None or payload.result is not found:
            raise not_found(path)
        return payload

    def fetch_payload(self, *, path: str, rec: str, result: str, sid: str, **_: Any) -> Response:
        return json_response(self.render.payload(self._payload(rec, result, sid, path)))

    def delete_payload(self, *, path: str, rec: str, result: str, sid: str, **_: Any) -> Response:
        self.store.delete_payload(self._payload(rec, result, sid, path))
        return Response(204)

    def payload_data(self, *, path: str, rec: str, result: str, sid: str, **_: Any) -> Response:
        """307 to where the payload's data is (as Twilio: a short-lived URL without credentials)."""
        url = self.render.payload_data_url(self._payload(rec, result, sid, path))
        response = json_response({"redirect_to": url}, 307)
        response.headers["Location"] = url
        return response

    def add_on_data(self, sid: str) -> Response:
        with self.store.lock:
            payload = self.store.payloads.get(sid)
            if payload is None:
                raise not_found(f"/emulator/add-on-data/{sid}.json")
            return json_response(payload.data)

    # -- calls and conferences ------------------------------------------------------------------

    def list_calls(self, *, now: float, path: str, query: Query, **_: Any) -> Response:
        echo: list[tuple[str, str]] = []
        status = query.get("Status")
        if status is not None:
            if status not in CALL_STATUSES:
                raise bad_parameter(f"Invalid Status: {status!r} is not one of {', '.join(CALL_STATUSES)}")
            echo.append(("Status", status))
        spec = ListSpec(path, "calls", "CA", echo, (lambda c: c.status == status) if status else None)
        return self._list(spec, self.store.call_list(), query, lambda c: self.render.call(c, now))

    def fetch_call(self, *, now: float, path: str, sid: str, **_: Any) -> Response:
        return json_response(self.render.call(self._call(sid, path), now))

    def list_conferences(self, *, path: str, query: Query, **_: Any) -> Response:
        echo: list[tuple[str, str]] = []
        dates = self._date_filters(query, echo)
        status = query.get("Status")
        if status is not None:
            if status not in CONFERENCE_STATUSES:
                raise bad_parameter(f"Invalid Status: {status!r} is not one of {', '.join(CONFERENCE_STATUSES)}")
            echo.append(("Status", status))
        name = query.get("FriendlyName")
        if name is not None:
            echo.append(("FriendlyName", name))

        def predicate(conf) -> bool:
            if status is not None and conf.status != status:
                return False
            if name is not None and conf.friendly_name != name:
                return False
            return all(test(conf.created) for test in dates)

        spec = ListSpec(path, "conferences", "CF", echo, predicate)
        return self._list(spec, self.store.conference_list(), query, self.render.conference)

    def fetch_conference(self, *, path: str, sid: str, **_: Any) -> Response:
        return json_response(self.render.conference(self._conference(sid, path)))
