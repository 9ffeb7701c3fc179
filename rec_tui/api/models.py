"""Typed models of the API's resources, parsed leniently and exactly.

The API is untrusted input. A resource that is not a JSON object, or a list envelope without
its list, raises :class:`MalformedResponseError`. Inside a resource, a field whose value cannot
be read (a date that is not RFC 2822, a price that is not a number, an object where text is
expected) becomes ``None`` and the raw value is kept in ``problems``: one odd field never costs
the user the rest of a page. Unknown statuses and sources are kept as they are, and fields the
contract does not name (SignalWire's ``end_time``, say) are kept in ``extra``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation
from email.utils import parsedate_to_datetime
from functools import lru_cache
from sys import intern
from types import MappingProxyType
from typing import Any, Callable, ClassVar, Generic, Mapping, TypeVar

from rec_tui.api.errors import MalformedResponseError
from rec_tui.api.sids import is_uuid

# Field kinds understood by ``_parse_value``.
STR, INT, DATE, DECIMAL, OBJECT = "str", "int", "date", "decimal", "object"
# Text read as STR, then shared (``sys.intern``): see ``Resource.SHARED_TEXT``.
SHARED = "shared"

RECORDING_STATUSES = ("in-progress", "paused", "stopped", "processing", "completed", "absent", "deleted")
ACTIVE_STATUSES = frozenset({"in-progress", "paused"})
# ASCII digits only: str.isdigit() also accepts characters such as superscripts.
_WHOLE = re.compile(r"-?[0-9]{1,18}")


# The one shape Twilio and SignalWire send (``Fri, 14 Oct 2016 21:56:34 +0000``): read directly,
# 10x faster than the email parser, which the other shapes (and near misses) still go to. Years
# below 1000 go there too: it reads "0099" as 1999, and both paths must agree.
_TWILIO_DATE = re.compile(r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), ([0-9]{1,2}) ([A-Z][a-z]{2}) ([1-9][0-9]{3}) "
                          r"([0-9]{2}):([0-9]{2}):([0-9]{2}) \+0000")
_MONTHS = {name: n for n, name in enumerate(
    ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1)}


# Its usual form (a two-digit day) is read faster still, by lookups: midnight of the day, cached
# once the general path has read a date of that day, plus the time of day from complete tables
# of the valid values (0.6 µs against 2.2; a page holds ~2000 distinct dates). Anything the tables
# do not hold goes to the general path, so both answer the same.
_HOUR_MINUTE = {f"{h:02d}:{m:02d}:": timedelta(hours=h, minutes=m) for h in range(24) for m in range(60)}
_SECOND_UTC = {f"{s:02d} +0000": timedelta(seconds=s) for s in range(60)}
_MIDNIGHTS: dict[str, datetime] = {}  # "Fri, 14 Oct 2016 " -> 2016-10-14 00:00 UTC
_MIDNIGHTS_MAX = 4096  # days; past that, dates go the general way (hostile data cannot grow it)


def parse_rfc2822(value: str) -> datetime:
    """RFC 2822 (``Fri, 14 Oct 2016 21:56:34 +0000``) to an aware UTC datetime; ValueError if not."""
    if type(value) is str and len(value) == 31:
        midnight = _MIDNIGHTS.get(value[:17])
        if midnight is not None:
            hour_minute = _HOUR_MINUTE.get(value[17:23])
            second = _SECOND_UTC.get(value[23:])
            if hour_minute is not None and second is not None:
                return midnight + hour_minute + second
    return _parse_date_text(value)


def _parse_date_text(value: str) -> datetime:
    match = _TWILIO_DATE.fullmatch(value) if isinstance(value, str) else None
    if match is not None and match[2] in _MONTHS:
        day, month, year, hour, minute, second = match.groups()
        parsed = datetime(int(year), _MONTHS[month], int(day), int(hour), int(minute), int(second),
                          tzinfo=timezone.utc)
        if len(value) == 31 and type(value) is str and len(_MIDNIGHTS) < _MIDNIGHTS_MAX:
            _MIDNIGHTS[value[:17]] = parsed.replace(hour=0, minute=0, second=0)
        return parsed
    try:
        parsed = parsedate_to_datetime(value)
        if parsed is None:  # pragma: no cover - older Pythons returned None
            raise ValueError(value)
        if parsed.tzinfo is None:
            raise ValueError(f"no time zone in {value!r}")
        return parsed.astimezone(timezone.utc)
    except (TypeError, IndexError, OverflowError):
        # e.g. "31 Dec 9999 23:59:59 -2359": valid in its zone, past year 9999 in UTC.
        raise ValueError(f"not a date in range: {value!r}") from None


def _parse_value(kind: str, raw: Any) -> Any:
    """Parse one field; raise ValueError when the raw value does not fit the kind."""
    if raw is None:
        return None
    if kind == STR or kind == SHARED:
        if isinstance(raw, bool) or not isinstance(raw, (str, int, float)):
            raise ValueError("expected text")
        return raw if isinstance(raw, str) else str(raw)
    if kind == INT:
        if isinstance(raw, bool):
            raise ValueError("expected a whole number")
        if isinstance(raw, int):
            return raw
        if isinstance(raw, float) and raw.is_integer():
            return int(raw)
        if isinstance(raw, str) and _WHOLE.fullmatch(raw.strip()):
            return int(raw.strip())
        raise ValueError("expected a whole number")
    if kind == DECIMAL:
        if isinstance(raw, bool) or not isinstance(raw, (str, int, float)):
            raise ValueError("expected a number")
        return _decimal(str(raw).strip())
    if kind == DATE:
        if not isinstance(raw, str):
            raise ValueError("expected an RFC 2822 date")
        try:
            return parse_rfc2822(raw)
        except (TypeError, ValueError, IndexError, OverflowError):
            raise ValueError("expected an RFC 2822 date") from None
    if kind == OBJECT:
        if not isinstance(raw, dict):
            raise ValueError("expected an object")
        return raw
    raise AssertionError(kind)


@lru_cache(maxsize=1024)
def _decimal(text: str) -> Decimal:
    """A price (few distinct values: one shared object each)."""
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError("expected a number") from None
    if not value.is_finite():
        raise ValueError("expected a finite number")
    return value


def _shown(raw: Any) -> str:
    text = raw if isinstance(raw, str) else json.dumps(raw, default=str)
    return text if len(text) <= 80 else text[:79] + "…"


class Resource:
    """Base of every model: declares ``KINDS`` (field name → kind) and parses by it."""

    __slots__ = ()  # keeps 100k loaded recordings compact: subclasses are slotted dataclasses
    KINDS: ClassVar[dict[str, str]] = {}
    #: Text fields with a few values repeated on every row (the account, a status, …): each
    #: value is stored once (``sys.intern``) instead of once per row: ~35 MB less at 100k rows.
    SHARED_TEXT: ClassVar[frozenset[str]] = frozenset()

    @classmethod
    def from_json(cls, data: Any):
        parse = _PARSERS.get(cls)
        if parse is None:
            parse = _PARSERS[cls] = _compile_parser(cls)
        return parse(data)


_PARSERS: dict[type, Callable[[Any], Any]] = {}


def struct_parser(cls: type, readers: Mapping[str, FieldReader]) -> Callable[[Any], Any]:
    """``cls.from_json`` for a msgspec struct of ``cls``'s fields as sent (:mod:`.decoding`, which
    keeps one per model); ``readers`` read the fields the struct holds as JSON text."""
    return _compile_parser(cls, from_struct=True, readers=readers)

#: ``extra`` of a resource with no unknown fields (nearly all): one shared, read-only mapping.
NO_EXTRA: Mapping[str, Any] = MappingProxyType({})


def slow_field(key: str, kind: str, raw: Any, problems: list[str] | None) -> tuple[Any, list[str] | None]:
    """A field off the fast path: parsed by ``_parse_value``, or None plus a problem."""
    try:
        return _parse_value(kind, raw), problems
    except ValueError as exc:
        problems = problems if problems is not None else []
        problems.append(f"{key}: {exc}, got {_shown(raw)}")
        return None, problems


def _bad_resource(cls: type, data: Any) -> MalformedResponseError:
    return MalformedResponseError(f"expected a {cls.__name__.lower()} object, got {type(data).__name__}")


class RecordingSubresources(Mapping[str, str]):
    """A recording's ``subresource_uris`` when each is its ``uri`` without ``.json`` plus a suffix
    (``/Transcriptions.json``...), as Twilio sends them: kept as the ``uri`` string itself and (key,
    suffix) pairs shared by every recording, ~470 bytes less per recording than the dict (tens of
    megabytes with 100k loaded). A read-only mapping equal to the dict as sent."""

    __slots__ = ("_uri", "_names")

    def __init__(self, uri: str, names: tuple[tuple[str, str], ...]) -> None:
        self._uri = uri
        self._names = names

    @property
    def names(self) -> tuple[tuple[str, str], ...]:
        """The (key, suffix) pairs, shared by every recording of this shape."""
        return self._names

    def __getitem__(self, key: str) -> str:
        for name, suffix in self._names:
            if name == key:
                return self._uri[:-5] + suffix
        raise KeyError(key)

    def __iter__(self):
        return (name for name, _ in self._names)

    def __len__(self) -> int:
        return len(self._names)

    def __repr__(self) -> str:
        return repr(dict(self))


#: The distinct (key, suffix) sets seen, each one shared tuple; bounded, so odd data keeps its dicts.
_SUBRESOURCE_NAMES: dict[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]] = {}
_SUBRESOURCE_NAME_SETS = 64


def compact_subresources(value: dict, resource: Any) -> Mapping[str, str]:
    """``value`` as a :class:`RecordingSubresources` when it has the usual shape, else unchanged
    (~1.5 µs per recording)."""
    uri = resource.uri
    if type(uri) is not str or not uri.endswith(".json"):
        return value
    cut = len(uri) - 5
    base = uri[:cut]
    pairs = []
    for key, sub in value.items():
        if type(sub) is not str or not sub.startswith(base):
            return value
        pairs.append((key, sub[cut:]))
    names = tuple(pairs)
    shared = _SUBRESOURCE_NAMES.get(names)
    if shared is None:
        if len(_SUBRESOURCE_NAMES) >= _SUBRESOURCE_NAME_SETS:
            return value
        shared = _SUBRESOURCE_NAMES[names] = names
    return RecordingSubresources(uri, shared)


#: Reads a field from what msgspec kept of it (its JSON text): (value, problems), as ``slow_field``.
FieldReader = Callable[[Any, Any, "list[str] | None"], "tuple[Any, list[str] | None]"]


def _compile_parser(cls: type, from_struct: bool = False,
                    readers: Mapping[str, FieldReader] | None = None) -> Callable[[Any], Any]:
    """``cls.from_json``, written out for ``cls``'s fields (as ``dataclasses`` writes ``__init__``).

    Why: a 1000-recording page is parsed while the user scrolls, and the generic loop over
    ``KINDS`` plus the frozen dataclass's ``__init__`` (one ``object.__setattr__`` per field) cost
    ~11 µs per recording; this costs ~3. The object is filled in as a mutable twin with the same
    slots and then becomes a ``cls`` (``__class__`` assignment between identical layouts), so
    callers still get a frozen instance. Well-formed values take the inline fast path; anything
    else goes through ``_parse_value`` and, if unreadable, becomes None plus a problem.

    ``from_struct``: the parser reads a msgspec struct of the fields as sent instead of a dict
    (:mod:`.decoding`), whose fields msgspec has already typed and which holds no unknown field:
    the same code, less to do. A field in ``readers`` is read by its reader (``_read_<name>(value, obj, problems)``).
    """
    readers = readers or {}
    fields_, known = field_plan(cls)
    compact: dict[str, Callable[[dict, Any], Any]] = getattr(cls, "COMPACT", {})
    names = [name for name, _, _ in fields_]
    if list(getattr(cls, "__slots__", ())) != [*names, "extra", "problems"]:
        raise TypeError(f"{cls.__name__}: fields and slots differ")  # a model outside the pattern
    twin = type(f"_Mutable{cls.__name__}", (Resource,), {"__slots__": cls.__slots__})
    lines = ["def from_json(data):"]
    if not from_struct:
        lines += ["    if type(data) is not dict and not isinstance(data, dict):",
                  "        raise _bad_resource(cls, data)",
                  "    get = data.get"]
    lines += ["    problems = None",
              "    obj = _new(twin)"]
    if any(kind == DATE for _, _, kind in fields_):
        lines.append("    dates = {}")
    for name, key, kind in fields_:
        slow = f"v, problems = slow_field({key!r}, {kind!r}, v, problems)"
        lines.append(f"    v = data.{name}" if from_struct else f"    v = get({key!r})")
        if name in readers:
            lines.append(f"    if v is not None: v, problems = _read_{name}(v, obj, problems)")
        elif kind == STR:
            lines.append(f"    if v is not None and type(v) is not str: {slow}")
        elif kind == SHARED:
            lines += ["    if type(v) is str: v = intern(v)",
                      f"    elif v is not None: {slow}"]
        elif kind == INT:
            lines += ["    if v is None or type(v) is int: pass",
                      "    elif type(v) is str and v.isascii() and v.isdigit() and len(v) <= 18: v = int(v)",
                      f"    else: {slow}"]
        elif kind == DECIMAL:
            lines += ["    if type(v) is str:",
                      "        try: v = _decimal(v.strip())",
                      f"        except ValueError: {slow}",
                      f"    elif v is not None: {slow}"]
        elif kind == DATE:
            # Equal texts (a recording's start_time is mostly its date_created) share one datetime.
            lines += ["    if type(v) is str:",
                      "        w = dates.get(v)",
                      "        if w is not None: v = w",
                      "        else:",
                      "            try: w = dates[v] = parse_rfc2822(v)",
                      f"            except (TypeError, ValueError, IndexError, OverflowError): {slow}",
                      "            else: v = w",
                      f"    elif v is not None: {slow}"]
        elif kind == OBJECT:
            lines.append(f"    if v is not None and type(v) is not dict: {slow}")
            if name in compact:
                lines.append(f"    if type(v) is dict and v: v = _compact_{name}(v, obj)")
        else:
            raise AssertionError(kind)
        lines.append(f"    obj.{name} = v")
    lines += ["    obj.extra = NO_EXTRA" if from_struct else
              "    obj.extra = NO_EXTRA if data.keys() <= known else {k: x for k, x in data.items() if k not in known}",
              "    obj.problems = () if problems is None else tuple(problems)",
              "    obj.__class__ = cls",
              "    return obj"]
    namespace = {"cls": cls, "twin": twin, "known": known, "NO_EXTRA": NO_EXTRA, "_new": object.__new__, "intern": intern,
                 "slow_field": slow_field, "_bad_resource": _bad_resource, "_decimal": _decimal,
                 "parse_rfc2822": parse_rfc2822, "dict": dict, "type": type, "isinstance": isinstance,
                 "int": int, "str": str}
    namespace.update({f"_compact_{name}": compactor for name, compactor in compact.items()})
    namespace.update({f"_read_{name}": reader for name, reader in readers.items()})
    exec(compile("\n".join(lines), f"<{cls.__name__}.from_json>", "exec"), namespace)  # noqa: S102
    return namespace["from_json"]


_PLANS: dict[type, tuple[tuple[tuple[str, str, str], ...], frozenset[str]]] = {}


def field_plan(cls: type) -> tuple[tuple[tuple[str, str, str], ...], frozenset[str]]:
    """(field name, JSON key, kind) per field of ``cls``, and the set of JSON keys it knows."""
    plan = _PLANS.get(cls)
    if plan is None:
        # ``from_`` is the ``from`` field
        fields_ = tuple((name, name.rstrip("_"), SHARED if kind == STR and name in cls.SHARED_TEXT else kind)
                        for name, kind in cls.KINDS.items())
        plan = _PLANS[cls] = (fields_, frozenset(key for _, key, _ in fields_))
    return plan


@dataclass(frozen=True, slots=True)
class Recording(Resource):
    account_sid: str | None
    api_version: str | None
    call_sid: str | None
    conference_sid: str | None
    date_created: datetime | None
    date_updated: datetime | None
    start_time: datetime | None
    duration: int | None
    sid: str | None
    price: Decimal | None
    price_unit: str | None
    status: str | None
    channels: int | None
    source: str | None
    error_code: int | None
    uri: str | None
    encryption_details: dict | None
    subresource_uris: Mapping[str, str] | None  # a RecordingSubresources when of the usual shape
    media_url: str | None
    track: str | None
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False)
    problems: tuple[str, ...] = ()

    KINDS: ClassVar[dict[str, str]] = {
        "account_sid": STR, "api_version": STR, "call_sid": STR, "conference_sid": STR,
        "date_created": DATE, "date_updated": DATE, "start_time": DATE, "duration": INT,
        "sid": STR, "price": DECIMAL, "price_unit": STR, "status": STR, "channels": INT,
        "source": STR, "error_code": INT, "uri": STR, "encryption_details": OBJECT,
        "subresource_uris": OBJECT, "media_url": STR, "track": STR,
    }
    SHARED_TEXT: ClassVar[frozenset[str]] = frozenset({
        "account_sid", "api_version", "status", "source", "price_unit", "track"})
    COMPACT: ClassVar[dict[str, Callable[[dict, Any], Any]]] = {"subresource_uris": compact_subresources}

    @property
    def is_active(self) -> bool:
        """Recording right now (in progress or paused) on a live call or conference."""
        return self.status in ACTIVE_STATUSES

    @property
    def has_media(self) -> bool:
        """Twilio: ``completed``. SignalWire (UUID SIDs) calls a finished recording ``stopped``;
        at Twilio ``stopped`` only answers the update that stopped it, before processing."""
        if self.status == "completed":
            return True
        return self.status == "stopped" and is_uuid(self.sid) and self.error_code is None

    @property
    def end_time(self) -> datetime | None:
        """SignalWire's ``end_time`` (kept as sent in ``extra``), as a date; None if absent or unreadable."""
        raw = self.extra.get("end_time")
        try:
            return _parse_value(DATE, raw)
        except ValueError:
            return None

    @property
    def encrypted(self) -> bool:
        return bool(self.encryption_details)

    @property
    def is_conference(self) -> bool:
        return bool(self.conference_sid)


@dataclass(frozen=True, slots=True)
class Transcription(Resource):
    sid: str | None
    account_sid: str | None
    api_version: str | None
    date_created: datetime | None
    date_updated: datetime | None
    duration: int | None
    price: Decimal | None
    price_unit: str | None
    recording_sid: str | None
    status: str | None
    transcription_text: str | None
    type: str | None
    uri: str | None
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False)
    problems: tuple[str, ...] = ()

    KINDS: ClassVar[dict[str, str]] = {
        "sid": STR, "account_sid": STR, "api_version": STR, "date_created": DATE,
        "date_updated": DATE, "duration": INT, "price": DECIMAL, "price_unit": STR,
        "recording_sid": STR, "status": STR, "transcription_text": STR, "type": STR, "uri": STR,
    }


@dataclass(frozen=True, slots=True)
class Call(Resource):
    sid: str | None
    account_sid: str | None
    parent_call_sid: str | None
    status: str | None
    direction: str | None
    from_: str | None
    to: str | None
    from_formatted: str | None
    to_formatted: str | None
    start_time: datetime | None
    end_time: datetime | None
    duration: int | None
    date_created: datetime | None
    date_updated: datetime | None
    uri: str | None
    subresource_uris: dict | None
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False)
    problems: tuple[str, ...] = ()

    KINDS: ClassVar[dict[str, str]] = {
        "sid": STR, "account_sid": STR, "parent_call_sid": STR, "status": STR, "direction": STR,
        "from_": STR, "to": STR, "from_formatted": STR, "to_formatted": STR, "start_time": DATE,
        "end_time": DATE, "duration": INT, "date_created": DATE, "date_updated": DATE, "uri": STR,
        "subresource_uris": OBJECT,
    }


@dataclass(frozen=True, slots=True)
class Conference(Resource):
    sid: str | None
    account_sid: str | None
    friendly_name: str | None
    status: str | None
    region: str | None
    reason_conference_ended: str | None
    date_created: datetime | None
    date_updated: datetime | None
    uri: str | None
    subresource_uris: dict | None
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False)
    problems: tuple[str, ...] = ()

    KINDS: ClassVar[dict[str, str]] = {
        "sid": STR, "account_sid": STR, "friendly_name": STR, "status": STR, "region": STR,
        "reason_conference_ended": STR, "date_created": DATE, "date_updated": DATE, "uri": STR,
        "subresource_uris": OBJECT,
    }


@dataclass(frozen=True, slots=True)
class AddOnResult(Resource):
    sid: str | None
    account_sid: str | None
    status: str | None
    add_on_sid: str | None
    add_on_configuration_sid: str | None
    reference_sid: str | None
    date_created: datetime | None
    date_updated: datetime | None
    date_completed: datetime | None
    subresource_uris: dict | None
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False)
    problems: tuple[str, ...] = ()

    KINDS: ClassVar[dict[str, str]] = {
        "sid": STR, "account_sid": STR, "status": STR, "add_on_sid": STR,
        "add_on_configuration_sid": STR, "reference_sid": STR, "date_created": DATE,
        "date_updated": DATE, "date_completed": DATE, "subresource_uris": OBJECT,
    }


@dataclass(frozen=True, slots=True)
class AddOnPayload(Resource):
    sid: str | None
    add_on_result_sid: str | None
    account_sid: str | None
    label: str | None
    add_on_sid: str | None
    add_on_configuration_sid: str | None
    content_type: str | None
    date_created: datetime | None
    date_updated: datetime | None
    reference_sid: str | None
    subresource_uris: dict | None
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False)
    problems: tuple[str, ...] = ()

    KINDS: ClassVar[dict[str, str]] = {
        "sid": STR, "add_on_result_sid": STR, "account_sid": STR, "label": STR, "add_on_sid": STR,
        "add_on_configuration_sid": STR, "content_type": STR, "date_created": DATE,
        "date_updated": DATE, "reference_sid": STR, "subresource_uris": OBJECT,
    }


T = TypeVar("T", bound=Resource)

#: The key under which each list envelope carries its items.
LIST_KEYS: dict[type, str] = {
    Recording: "recordings",
    Transcription: "transcriptions",
    Call: "calls",
    Conference: "conferences",
    AddOnResult: "add_on_results",
    AddOnPayload: "payloads",
}


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of a list, with the service's own URIs for its neighbours."""

    items: list[T]
    page: int
    page_size: int
    start: int
    end: int
    uri: str | None
    first_page_uri: str | None
    next_page_uri: str | None
    previous_page_uri: str | None
    #: Only the legacy 2008-08-01 XML lists say how many there are in all.
    total: int | None = None
    num_pages: int | None = None

    @property
    def has_next(self) -> bool:
        return bool(self.next_page_uri)

    @property
    def has_previous(self) -> bool:
        return bool(self.previous_page_uri)

    def position(self) -> str:
        """``page 3 · rows 101–150 · more available`` (1-based rows, as a person counts)."""
        if not self.items:
            rows = "no rows"
        else:
            rows = f"rows {self.start + 1}–{self.start + len(self.items)}"
        tail = "more available" if self.has_next else "last page"
        return f"page {self.page + 1} · {rows} · {tail}"

    @classmethod
    def from_json(cls, item_type: type[T], data: Any) -> "Page[T]":
        if not isinstance(data, dict):
            raise MalformedResponseError(f"expected a list envelope object, got {type(data).__name__}")
        key = LIST_KEYS[item_type]
        raw_items = data.get(key)
        if not isinstance(raw_items, list):
            raise MalformedResponseError(f"list envelope has no '{key}' array")
        return cls.around([item_type.from_json(item) for item in raw_items], data)

    @classmethod
    def around(cls, items: list[T], data: Mapping[str, Any]) -> "Page[T]":
        """The page of ``items`` whose list envelope is ``data`` (its numbers and URIs)."""

        def number(name: str, default: int) -> int:
            value = data.get(name, default)
            if isinstance(value, bool) or not isinstance(value, int):
                if isinstance(value, str) and _WHOLE.fullmatch(value) and not value.startswith("-"):
                    return int(value)
                if value is None:
                    return default
                raise MalformedResponseError(f"list envelope '{name}' is not a number")
            return value

        def uri(name: str) -> str | None:
            value = data.get(name)
            if value is None or value == "":
                return None
            if not isinstance(value, str):
                raise MalformedResponseError(f"list envelope '{name}' is not a URI")
            return value

        page = number("page", 0)
        page_size = number("page_size", len(items))
        start = number("start", page * page_size)
        return cls(
            items=items,
            page=page,
            page_size=page_size,
            start=start,
            end=number("end", start + max(len(items) - 1, 0)),
            uri=uri("uri"),
            first_page_uri=uri("first_page_uri"),
            next_page_uri=uri("next_page_uri"),
            previous_page_uri=uri("previous_page_uri"),
        )


def field_names(model: type) -> list[str]:
    """The contract fields of a model, in declaration order (for detail views)."""
    return [f.name for f in fields(model) if f.name not in ("extra", "problems")]
