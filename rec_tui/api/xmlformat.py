"""Twilio's XML representations: the 2010-04-01 ``.xml`` form and the legacy 2008-08-01 API.

Both wrap resources in ``<TwilioResponse>``; a list is an element such as ``<Recordings>`` whose
attributes carry the paging (2010-04-01: ``page pagesize start end uri firstpageuri nextpageuri
previouspageuri``; 2008-08-01: ``page numpages pagesize total start end``). Documents are parsed
with defusedxml — no DTD, no entity expansion, no external references — and mapped onto the JSON
field names (``DateCreated`` → ``date_created``; an empty element is null; an element with
children is an object), so the same models parse them with the same leniency. A document that is
not well-formed, declares a DTD or entities, or is not the expected resource raises
:class:`MalformedResponseError`; nothing else escapes from here.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any, TypeVar
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from rec_tui.api.errors import MalformedResponseError
from rec_tui.api.models import LIST_KEYS, Page, Recording, Resource

T = TypeVar("T", bound=Resource)

ROOT = "TwilioResponse"
#: The element of one item, per model (the list element is its plural, as in LIST_KEYS).
ITEM_TAGS: dict[type, str] = {Recording: "Recording"}
# Resources are flat with one level of objects (subresource_uris, encryption_details): anything
# much deeper is not a Twilio document, and deep recursion must not become a RecursionError.
MAX_DEPTH = 16
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
#: List attribute → JSON envelope key (2010-04-01 and 2008-08-01 spellings).
_PAGE_ATTRIBUTES = {
    "page": "page", "pagesize": "page_size", "start": "start", "end": "end", "uri": "uri",
    "firstpageuri": "first_page_uri", "nextpageuri": "next_page_uri", "previouspageuri": "previous_page_uri",
}
_WHOLE = re.compile(r"[0-9]{1,18}")


def snake_case(tag: str) -> str:
    """``AccountSid`` → ``account_sid``, ``SubresourceUris`` → ``subresource_uris``."""
    if tag.startswith("{"):  # a namespaced tag: {uri}Name
        tag = tag.rpartition("}")[2]
    return _CAMEL.sub("_", tag).lower()


def parse_document(data: bytes | str) -> Element:
    """The root element of an XML document, parsed safely; MalformedResponseError otherwise."""
    try:
        # forbid_dtd: Twilio never sends one, and a DTD is where entity tricks live.
        return SafeET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise MalformedResponseError(f"refused an XML document with a {type(exc).__name__} construct") from None
    except ParseError as exc:
        raise MalformedResponseError(f"the service sent XML that is not well-formed ({exc})") from None
    except (ValueError, LookupError, UnicodeError, TypeError) as exc:  # e.g. an unknown declared encoding
        raise MalformedResponseError(f"the service sent XML that cannot be read ({type(exc).__name__})") from None


def element_value(element: Element, depth: int = 0) -> Any:
    """An element as a JSON-like value: text (None when empty), or an object of its children.

    A child tag that repeats becomes a list. Surrounding whitespace is not part of a value:
    Twilio's own examples indent text onto lines of its own.
    """
    if depth > MAX_DEPTH:
        raise MalformedResponseError("the XML document is nested too deeply")
    if len(element) == 0:
        text = (element.text or "").strip()
        return text or None
    value: dict[str, Any] = {}
    for child in element:
        key = snake_case(child.tag)
        item = element_value(child, depth + 1)
        if key in value:
            existing = value[key]
            value[key] = existing + [item] if isinstance(existing, list) else [existing, item]
        else:
            value[key] = item
    return value


def _only_child(parent: Element, tag: str) -> Element:
    found = [child for child in parent if child.tag == tag]
    if len(found) != 1:
        names = ", ".join(sorted({str(child.tag)[:40] for child in parent})) or "nothing"
        raise MalformedResponseError(f"expected one <{tag}> in <{str(parent.tag)[:40]}>, found {names}")
    return found[0]


def _root(data: bytes | str) -> Element:
    root = parse_document(data)
    if root.tag != ROOT:
        raise MalformedResponseError(f"expected a <{ROOT}> document, got <{str(root.tag)[:40]}>")
    return root


def resource_from_xml(item_type: type[T], data: bytes | str) -> T:
    """One resource from ``<TwilioResponse><Recording>…</Recording></TwilioResponse>``."""
    tag = ITEM_TAGS[item_type]
    value = element_value(_only_child(_root(data), tag))
    if not isinstance(value, dict):
        raise MalformedResponseError(f"<{tag}> has no fields")
    return item_type.from_json(value)


def recording_from_xml(data: bytes | str) -> Recording:
    return resource_from_xml(Recording, data)


def _count(attributes: dict[str, str], name: str) -> int | None:
    raw = attributes.get(name)
    if raw is None or not raw.strip():
        return None
    if not _WHOLE.fullmatch(raw.strip()):
        raise MalformedResponseError(f"list attribute '{name}' is not a number")
    return int(raw.strip())


def page_from_xml(item_type: type[T], data: bytes | str) -> Page[T]:
    """A page from ``<TwilioResponse><Recordings page=… …><Recording>…</Recordings></…>``.

    ``total`` and ``num_pages`` are set where the document says them (the 2008-08-01 form).
    """
    tag = ITEM_TAGS[item_type]
    plural = tag + "s"
    listing = _only_child(_root(data), plural)
    items = []
    for child in listing:
        if child.tag != tag:
            raise MalformedResponseError(f"unexpected <{str(child.tag)[:40]}> in <{plural}>")
        value = element_value(child, 1)
        items.append(value if isinstance(value, dict) else {})
    envelope: dict[str, Any] = {LIST_KEYS[item_type]: items}
    attributes = {str(k).lower(): v for k, v in listing.attrib.items()}
    for attribute, key in _PAGE_ATTRIBUTES.items():
        raw = attributes.get(attribute)
        if raw is not None and raw.strip():
            envelope[key] = raw.strip()
    page = Page.from_json(item_type, envelope)
    return replace(page, total=_count(attributes, "total"), num_pages=_count(attributes, "numpages"))


def rest_exception(data: bytes | str) -> dict[str, Any] | None:
    """``<RestException>``'s ``Code``/``Message``/``MoreInfo`` as Twilio's JSON error keys, or None.

    For error bodies: never raises, whatever the bytes are.
    """
    try:
        value = element_value(_only_child(_root(data), "RestException"))
    except MalformedResponseError:
        return None
    if not isinstance(value, dict):
        return None
    body: dict[str, Any] = {}
    code = value.get("code")
    if isinstance(code, str) and _WHOLE.fullmatch(code):
        body["code"] = int(code)
    for key in ("message", "more_info"):
        if isinstance(value.get(key), str):
            body[key] = value[key]
    return body
