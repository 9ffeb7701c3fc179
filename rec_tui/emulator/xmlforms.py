"""The XML representations the emulator serves: 2010-04-01 ``.xml`` and the 2008-08-01 API.

Twilio's XML is its JSON with CamelCase element names inside ``<TwilioResponse>``: a null is an
empty element, an object nests, and a list's paging is attributes of the list element —
2010-04-01: ``page pagesize uri firstpageuri previouspageuri nextpageuri start end``;
2008-08-01: ``page numpages pagesize total start end``, its recordings with six fields only. An
error is ``<RestException>`` with ``Status``, ``Message``, ``Code`` and ``MoreInfo``.
"""

from __future__ import annotations

import json
from typing import Any
from xml.etree.ElementTree import Element, SubElement, tostring

ROOT = "TwilioResponse"
#: A 2008-08-01 recording has these fields (the legacy reference), in this order.
LEGACY_RECORDING_FIELDS = ("sid", "account_sid", "call_sid", "duration", "date_created", "date_updated")
_PAGING_2010 = (("page", "page"), ("page_size", "pagesize"), ("uri", "uri"), ("first_page_uri", "firstpageuri"),
                ("previous_page_uri", "previouspageuri"), ("next_page_uri", "nextpageuri"), ("start", "start"),
                ("end", "end"))


def camel_case(key: str) -> str:
    """``account_sid`` → ``AccountSid``."""
    return "".join(part[:1].upper() + part[1:] for part in key.split("_"))


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _clean(text: str) -> str:
    # XML 1.0 cannot carry most control characters, even escaped: serve them as U+FFFD (the
    # hostile strings have some; JSON carries them, XML cannot).
    return "".join(ch if ch in "\t\n\r" or (ord(ch) >= 0x20 and not 0xD800 <= ord(ch) <= 0xDFFF
                                            and ch not in "\ufffe\uffff") else "\ufffd" for ch in text)


def add(parent: Element, key: str, value: Any) -> None:
    """``value`` under ``parent`` as the element named after ``key``."""
    element = SubElement(parent, camel_case(key))
    if isinstance(value, dict):
        for child_key, child in value.items():
            add(element, child_key, child)
    elif isinstance(value, list):
        for child in value:
            add(element, key[:-1] if key.endswith("s") else key, child)
    elif value is not None:
        element.text = _clean(_text(value))


def document(root: Element) -> bytes:
    return tostring(root, encoding="utf-8", xml_declaration=True)


def resource(tag: str, body: dict) -> bytes:
    """``<TwilioResponse><Recording>…</Recording></TwilioResponse>``."""
    root = Element(ROOT)
    add(root, tag, body)
    return document(root)


def page(list_tag: str, item_tag: str, envelope: dict, items_key: str) -> bytes:
    """A 2010-04-01 list page from its JSON envelope."""
    root = Element(ROOT)
    listing = SubElement(root, list_tag)
    for key, attribute in _PAGING_2010:
        value = envelope.get(key)
        listing.set(attribute, "" if value is None else _clean(_text(value)))
    for item in envelope.get(items_key, []):
        add(listing, item_tag, item)
    return document(root)


def legacy_page(items: list[dict], page_number: int, page_size: int, total: int) -> bytes:
    """A 2008-08-01 ``<Recordings page numpages pagesize total start end>`` page."""
    root = Element(ROOT)
    listing = SubElement(root, "Recordings")
    start = page_number * page_size
    num_pages = -(-total // page_size)
    for key, value in (("page", page_number), ("numpages", num_pages), ("pagesize", page_size), ("total", total),
                       ("start", start), ("end", start + max(len(items) - 1, 0))):
        listing.set(key, str(value))
    for item in items:
        add(listing, "Recording", legacy_recording(item))
    return document(root)


def legacy_recording(body: dict) -> dict:
    return {key: body.get(key) for key in LEGACY_RECORDING_FIELDS}


def error(status: int, body: bytes) -> bytes:
    """A JSON error body as ``<RestException>``."""
    try:
        data = json.loads(body)
    except ValueError:
        data = {}
    if not isinstance(data, dict):
        data = {}
    root = Element(ROOT)
    add(root, "rest_exception", {"status": data.get("status", status), "message": data.get("message"),
                                 "code": data.get("code"), "more_info": data.get("more_info")})
    return document(root)
