"""Response bodies to Python: JSON in general, and list pages straight to models.

A list page is read in one pass by msgspec into structs typed with what the models' fast path
reads (text, whole numbers as numbers or digits, prices as text, objects), then each struct
becomes a model by the parser :mod:`.models` generates for it. No dict of each recording is
made, and its keys are neither made nor looked up: a 1000-recording page costs about a third
less CPU than decoding it to dicts and parsing those (bench/RESULTS.md, §2).

Anything else — an unknown field (SignalWire's ``end_time``), a value of another JSON type, a
lone surrogate, NaN, a body that is not UTF-8 — makes msgspec refuse the page, and the page goes
the general way: :func:`decode_json`, then :meth:`Page.from_json`, which is lenient field by field.
Both ways give equal pages (a property test checks it against the standard library's JSON).
"""

from __future__ import annotations

import json
from typing import Any, Callable, TypeVar

import msgspec

from rec_tui.api.models import (
    DATE,
    DECIMAL,
    INT,
    LIST_KEYS,
    OBJECT,
    SHARED,
    STR,
    FieldReader,
    Page,
    Recording,
    RecordingSubresources,
    Resource,
    compact_subresources,
    field_plan,
    slow_field,
    struct_parser,
)

T = TypeVar("T", bound=Resource)

#: The JSON types the models' fast path reads, per kind. A value of any other type fails the
#: typed decode (and the page goes the general way, which reads or reports it).
STRUCT_TYPES: dict[str, Any] = {
    STR: str | None, SHARED: str | None, DATE: str | None, OBJECT: dict | None,
    INT: int | str | None,  # Twilio sends a duration as digits
    DECIMAL: str | int | float | None,  # Twilio sends prices as text, the schema as numbers
}
_ENVELOPE_NUMBERS = ("page", "page_size", "start", "end")
_ENVELOPE_URIS = ("uri", "first_page_uri", "next_page_uri", "previous_page_uri")
#: What msgspec refuses: DecodeError (ValidationError is one) and UnicodeDecodeError (not UTF-8).
_REFUSED = (msgspec.DecodeError, UnicodeDecodeError)


def decode_json(content: bytes) -> Any:
    """A response body's JSON: msgspec, or, for what it refuses and the standard library reads
    (lone surrogates, NaN, numbers past a float's range, UTF-16 text), :func:`json.loads`. Both
    give the same values for what both read. ValueError (UnicodeDecodeError is one) if neither can."""
    try:
        return msgspec.json.decode(content)
    except _REFUSED:
        return json.loads(content)


class _SubresourceText:
    """A recording's ``subresource_uris`` read from its JSON text (msgspec keeps it undecoded).

    Twilio's are each the recording's ``uri`` stem plus a suffix, written the same way on every
    recording: the text is that stem joined by the same parts. So once one recording's text has
    compacted the dict way, the next is compacted by comparing its text with those parts joined by
    its own stem: no dict or URI strings are made (~5% of a 10k listing's time, bench/RESULTS.md).
    Anything else is decoded and read exactly as the dict way reads it.

    Why a text match means the same dict: the parts were learnt only from a text holding the stem
    exactly once per value, and a stem with no quote or backslash in it cannot end a JSON string or
    escape a character, so the joined text tokenizes as the learnt one did, with this stem in place.
    """

    def __init__(self) -> None:
        self.shape: tuple[tuple[bytes, ...], tuple[tuple[str, str], ...]] | None = None  # the last learnt

    def __call__(self, raw: msgspec.Raw, recording: Recording, problems: list[str] | None):
        text = bytes(raw)
        uri, shape = recording.uri, self.shape
        stem = uri[:-5] if type(uri) is str and uri.endswith(".json") else None
        if not stem or '"' in stem or "\\" in stem:
            stem = None
        elif shape is not None and text == stem.encode().join(shape[0]):
            return RecordingSubresources(uri, shape[1]), problems
        value = decode_json(text)
        if value is not None and type(value) is not dict:
            return slow_field("subresource_uris", OBJECT, value, problems)
        if not value:
            return value, problems
        compacted = compact_subresources(value, recording)
        if stem is not None and type(compacted) is RecordingSubresources:
            parts = text.split(stem.encode())
            if len(parts) == len(compacted) + 1:
                self.shape = tuple(parts), compacted.names
        return compacted, problems


#: Fields a list page's typed decode keeps as JSON text (``msgspec.Raw``), and their readers.
RAW_READERS: dict[type, dict[str, FieldReader]] = {Recording: {"subresource_uris": _SubresourceText()}}


class _Decoders:
    """Per model: msgspec's decoder of a list page of it, of its links alone, and its struct parser."""

    __slots__ = ("page", "links", "parse")

    def __init__(self, item_type: type[Resource]) -> None:
        fields_, _ = field_plan(item_type)
        readers = RAW_READERS.get(item_type, {})
        item = msgspec.defstruct(
            f"_Raw{item_type.__name__}",
            [(name, msgspec.Raw if name in readers else STRUCT_TYPES[kind], None) for name, _, kind in fields_],
            rename={name: key for name, key, _ in fields_ if name != key},
            forbid_unknown_fields=True,  # unknown fields go to ``extra``: the general way
            gc=False,  # never in a cycle (dropped once read): cheaper to make and free
        )
        key = LIST_KEYS[item_type]
        numbers = [(name, int | None, None) for name in _ENVELOPE_NUMBERS]
        uris = [(name, str | None, None) for name in _ENVELOPE_URIS]
        envelope = msgspec.defstruct(f"_{item_type.__name__}Page", [("items", list[item]), *numbers, *uris],
                                     rename={"items": key})
        links = msgspec.defstruct(f"_{item_type.__name__}PageLinks",
                                  [("items", list[msgspec.Raw]), ("next_page_uri", Any, None)],
                                  rename={"items": key})
        self.page = msgspec.json.Decoder(envelope)
        self.links = msgspec.json.Decoder(links)
        self.parse: Callable[[Any], Any] = struct_parser(item_type, readers)


_DECODERS: dict[type, _Decoders] = {}


def _decoders(item_type: type[Resource]) -> _Decoders:
    decoders = _DECODERS.get(item_type)
    if decoders is None:
        decoders = _DECODERS[item_type] = _Decoders(item_type)
    return decoders


def decode_page(item_type: type[T], content: bytes) -> Page[T]:
    """A list page's body as a :class:`Page` of ``item_type``. ValueError if it is not JSON;
    MalformedResponseError if it is not a list envelope (as :meth:`Page.from_json`)."""
    decoders = _decoders(item_type)
    try:
        envelope = decoders.page.decode(content)
    except _REFUSED:
        return Page.from_json(item_type, decode_json(content))
    parse = decoders.parse
    items = [parse(raw) for raw in envelope.items]
    return Page.around(items, {name: getattr(envelope, name) for name in _ENVELOPE_NUMBERS + _ENVELOPE_URIS})


class PageBody:
    """A list page as received: its links read at once, so the next page can be asked for while
    this one is parsed (:meth:`page`, in a thread). About 1 ms for a 1000-recording page."""

    __slots__ = ("item_type", "content", "next_page_uri", "item_count")

    def __init__(self, item_type: type[Resource], content: bytes) -> None:
        self.item_type = item_type
        self.content = content
        try:
            links = _decoders(item_type).links.decode(content)
        except _REFUSED:
            # Not JSON msgspec reads, or not an envelope: nothing to prefetch. ``page()`` reads it
            # the general way and says what is wrong with it; invalid JSON fails here, now.
            decode_json(content)
            self.next_page_uri, self.item_count = None, None
        else:
            if not content.isascii():
                content.decode()  # msgspec checks no UTF-8 in what it skips: fail now, not in page()
            self.next_page_uri, self.item_count = links.next_page_uri, len(links.items)

    def page(self) -> Page:
        return decode_page(self.item_type, self.content)
