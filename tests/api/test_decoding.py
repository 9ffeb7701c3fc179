"""List pages decoded straight to models (msgspec's typed decode) read exactly as the general way
(the body's JSON, then the lenient parser), for what the service sends and for hostile pages."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rec_tui.api.decoding import PageBody, decode_json, decode_page
from rec_tui.api.errors import MalformedResponseError
from rec_tui.api.models import LIST_KEYS, Call, Page, Recording, RecordingSubresources

from .test_models import contract_examples, model_for, recording_json

LIST = "/2010-04-01/Accounts/AC" + "1" * 32 + "/Recordings.json"
URI = "/2010-04-01/Accounts/AC" + "1" * 32 + "/Recordings/RE" + "c" * 32 + ".json"


def twilio_recording(**overrides) -> dict:
    """A recording as Twilio lists it: subresource URIs of the usual shape (kept compactly)."""
    base = URI[:-5]
    return recording_json(uri=URI, subresource_uris={"add_on_results": f"{base}/AddOnResults.json",
                                                     "transcriptions": f"{base}/Transcriptions.json"}) | overrides


def envelope(items, **fields) -> dict:
    return {"recordings": items, "page": 0, "page_size": 50, "start": 0, "end": len(items) - 1, "uri": LIST,
            "first_page_uri": LIST, "next_page_uri": f"{LIST}?Page=1&PageToken=PA1", "previous_page_uri": None} | fields


def the_general_way(model, body: bytes):
    """What the client did before the typed decode: the standard library's JSON, the lenient parser."""
    try:
        return Page.from_json(model, json.loads(body))
    except MalformedResponseError as exc:
        return type(exc)


def decoded(model, body: bytes):
    try:
        return decode_page(model, body)
    except MalformedResponseError as exc:
        return type(exc)


def assert_same_pages(got, expected) -> None:
    assert got == expected
    if isinstance(expected, Page):
        for mine, theirs in zip(got.items, expected.items, strict=True):
            assert type(mine) is type(theirs)
            for name in type(theirs).__slots__:
                a, b = getattr(mine, name), getattr(theirs, name)
                assert a == b and type(a) is type(b), name


@pytest.fixture
def no_general_way(monkeypatch):
    """Fails a test whose page would go the general way (the typed decode refused it)."""

    def refuse(cls, item_type, data):
        raise AssertionError("went the general way")

    monkeypatch.setattr(Page, "from_json", classmethod(refuse))


def test_a_twilio_page_is_decoded_straight_to_models(no_general_way):
    body = json.dumps(envelope([twilio_recording(sid=f"RE{i:032x}") for i in range(3)])).encode()
    page = decode_page(Recording, body)
    assert [r.sid for r in page.items] == [f"RE{i:032x}" for i in range(3)]
    first = page.items[0]
    assert (first.duration, first.price, first.channels) == (4, Decimal("-0.00250"), 2)
    assert isinstance(first.subresource_uris, RecordingSubresources)
    assert first.subresource_uris["transcriptions"] == URI[:-5] + "/Transcriptions.json"
    assert first.date_created is first.start_time  # equal dates share one object, as before
    assert first.extra == {} and first.problems == ()
    assert (page.page, page.page_size, page.next_page_uri, page.previous_page_uri) == (0, 50, f"{LIST}?Page=1&PageToken=PA1", None)


def test_odd_values_of_the_read_types_are_judged_field_by_field_on_the_typed_way(no_general_way):
    body = json.dumps(envelope([twilio_recording(duration="seventeen", price=0.5, channels="2",
                                                 date_created="yesterday", error_code="31000", track=None)])).encode()
    recording = decode_page(Recording, body).items[0]
    assert (recording.duration, recording.price, recording.channels, recording.error_code) == (None, Decimal("0.5"), 2, 31000)
    assert recording.date_created is None and recording.track is None
    assert [p.split(":")[0] for p in recording.problems] == ["date_created", "duration"]


@pytest.mark.parametrize("odd", [
    {"end_time": "Fri, 14 Oct 2016 21:56:40 +0000"},  # SignalWire's extra field
    {"duration": 4.0}, {"sid": 7}, {"status": True}, {"subresource_uris": ["x"]}, {"price": {"v": 1}},
])
def test_what_the_typed_decode_refuses_reads_the_general_way(odd):
    body = json.dumps(envelope([twilio_recording(), twilio_recording(**odd)])).encode()
    assert_same_pages(decode_page(Recording, body), the_general_way(Recording, body))


@pytest.mark.parametrize("body", [
    b'{"recordings": [{"sid": "RE1", "text": "\\ud800"}]}',  # a lone surrogate: only the standard library reads it
    b'{"recordings": [{"sid": "RE1", "encryption_details": {"n": NaN}}]}',
    b'{"recordings": [{"sid": "RE1", "encryption_details": {"n": 1e400}}]}',
    b'{"recordings": [{"duration": 123456789012345678901234567890}]}',
    '{"recordings": [{"sid": "RE1"}]}'.encode("utf-16"),
    b'{"recordings": [{"sid": "RE1", "sid": "RE2"}]}',
    b'{"recordings": []}', b'{"recordings": null}', b'{"recordings": [null]}', b"[]", b'{"page": "1"}',
    b'{"recordings": [], "page": true}', b'{"recordings": [], "next_page_uri": 5}', b'{"recordings": [], "page": "3"}',
])
def test_hostile_pages_read_as_the_general_way_reads_them(body):
    assert_same_pages(decoded(Recording, body), the_general_way(Recording, body))


@pytest.mark.parametrize("body", [b"", b"{", b"<html>busy</html>", b'{"recordings": []}x', b'{"recordings": ["\xff"]}'])
def test_a_page_that_is_not_json_is_a_value_error(body):
    with pytest.raises(ValueError):
        decode_page(Recording, body)
    with pytest.raises(ValueError):
        PageBody(Recording, body)  # at once, while the client can still retry the request


@pytest.mark.parametrize(("path", "example"), [p for p in contract_examples()
                                               if any(key in p.values[1] for key in LIST_KEYS.values())])
def test_the_contracts_list_examples_read_as_the_general_way_reads_them(path, example):
    model = model_for(path)
    body = json.dumps(example).encode()
    assert_same_pages(decode_page(model, body), the_general_way(model, body))


json_scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text()
json_values = st.recursive(json_scalars, lambda inner: st.lists(inner, max_size=3)
                           | st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=6)
# Mostly well-formed recordings with a few odd fields, so that both ways are taken often.
recordings = st.builds(lambda fields, drop: {k: v for k, v in (twilio_recording() | fields).items() if k not in drop},
                       st.dictionaries(st.sampled_from(sorted(Recording.KINDS) + ["end_time"]),
                                       json_values | st.sampled_from(["7", "-0.5", " 8", "Fri, 14 Oct 2016 21:56:34 +0000"]),
                                       max_size=2),
                       st.sets(st.sampled_from(sorted(Recording.KINDS)), max_size=2))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(recordings, max_size=4),
       st.dictionaries(st.sampled_from(["page", "page_size", "start", "end", "uri", "next_page_uri"]), json_values, max_size=2))
def test_any_page_reads_as_the_general_way_reads_it(items, fields):
    body = json.dumps(envelope(items, **fields)).encode()
    assert_same_pages(decoded(Recording, body), the_general_way(Recording, body))


def test_a_page_bodys_links_are_read_before_its_items():
    body = json.dumps(envelope([twilio_recording(), twilio_recording(end_time="x")])).encode()
    read = PageBody(Recording, body)
    assert (read.next_page_uri, read.item_count) == (f"{LIST}?Page=1&PageToken=PA1", 2)
    assert [r.extra for r in read.page().items] == [{}, {"end_time": "x"}]


@pytest.mark.parametrize("body", [b"[]", b'{"recordings": 3}', b'{"next_page_uri": "/x"}'])
def test_a_body_that_is_no_list_envelope_has_no_links_and_its_page_says_why(body):
    read = PageBody(Recording, body)
    assert (read.next_page_uri, read.item_count) == (None, None)  # nothing to prefetch
    with pytest.raises(MalformedResponseError):
        read.page()


def test_json_bodies_read_whole_numbers_exactly_as_the_standard_library():
    body = b'{"duration": 123456789012345678901234567890, "price": -0.0025}'
    assert decode_json(body) == json.loads(body)
    assert type(decode_json(body)["duration"]) is int


def test_a_field_named_after_a_python_keyword_reads_on_the_typed_way(no_general_way):
    call = {"sid": "CA" + "1" * 32, "status": "in-progress", "from": "+15550100", "to": "+15550199",
            "start_time": "Fri, 14 Oct 2016 21:56:34 +0000", "duration": None, "subresource_uris": {}}
    page = decode_page(Call, json.dumps({"calls": [call], "page": 0, "next_page_uri": None}).encode())
    assert (page.items[0].from_, page.items[0].to, page.has_next) == ("+15550100", "+15550199", False)


def test_usual_subresource_uris_are_compacted_from_their_text_once_one_was_read(monkeypatch):
    from rec_tui.api import decoding

    decoded_texts = []
    real = decoding.decode_json
    monkeypatch.setattr(decoding, "decode_json", lambda text: decoded_texts.append(text) or real(text))
    monkeypatch.setattr(decoding.RAW_READERS[Recording]["subresource_uris"], "shape", None)
    items = [twilio_recording(sid=f"RE{i:032x}", uri=URI.replace("c" * 32, f"{i:032x}"),
                              subresource_uris={"transcriptions": URI.replace("c" * 32, f"{i:032x}")[:-5] + "/T.json"})
             for i in range(5)]
    page = decode_page(Recording, json.dumps(envelope(items)).encode())
    assert len(decoded_texts) == 1  # the first recording's; the others matched its text
    for item, recording in zip(items, page.items):
        assert isinstance(recording.subresource_uris, RecordingSubresources)
        assert dict(recording.subresource_uris) == item["subresource_uris"]


@pytest.mark.parametrize("stem", ['/R/RE"x', "/R/RE\\x", "/R/RE\u00e9", "/R/", "", "/R/RE1/Transcriptions"])
def test_subresource_uris_of_any_stem_read_as_the_general_way_reads_them(stem):
    def shaped(s, key="transcriptions"):
        return twilio_recording(uri=s + ".json", subresource_uris={key: s + "/Transcriptions.json"})

    items = [shaped("/R/RE1"), shaped(stem), shaped(stem, key="x"), shaped("/R/RE2"),
             twilio_recording(uri=stem + ".json", subresource_uris={"transcriptions": stem + "/Transcriptions.json",
                                                                    "transcription": stem + "/T.json"})]
    for body in (json.dumps(envelope(items)).encode(), json.dumps(envelope(items), ensure_ascii=False).encode(),
                 json.dumps(envelope(items), separators=(",", ":")).encode()):
        assert_same_pages(decode_page(Recording, body), the_general_way(Recording, body))


@pytest.mark.parametrize("stem", ['a", "k": "b', "a\\"], ids=["a quote", "a backslash"])
def test_a_stem_that_would_end_or_escape_in_a_json_string_never_matches_the_learnt_text(stem):
    # Joined into the learnt text, each stem makes valid JSON of other values (a duplicate key;
    # an escaped "/"), so that text must not be taken for the usual one with this stem in place.
    first = twilio_recording()
    hostile = twilio_recording(uri=stem + ".json", subresource_uris="SPLICE")
    usual = json.dumps(first["subresource_uris"])
    learnt_parts = usual.split(first["uri"][:-5])
    body = json.dumps(envelope([first, hostile])).replace('"SPLICE"', stem.join(learnt_parts)).encode()
    page = decode_page(Recording, body)
    assert_same_pages(page, the_general_way(Recording, body))
    assert page.items[1].subresource_uris == json.loads(stem.join(learnt_parts))
    assert not isinstance(page.items[1].subresource_uris, RecordingSubresources)
