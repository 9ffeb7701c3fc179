"""Property tests: any input to a parser either parses or raises the client's own documented error."""

from __future__ import annotations

import json

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rec_tui.api.client import _error_from_response, parse_retry_after
from rec_tui.api.errors import ApiError, MalformedResponseError
from rec_tui.api.filters import FilterError, RecordingFilter
from rec_tui.api.models import AddOnResult, Call, Conference, Page, Recording, Transcription, parse_rfc2822

json_scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text()
json_values = st.recursive(json_scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=8)
field_names = st.sampled_from(sorted(set(Recording.KINDS) | set(Transcription.KINDS) | {"from", "end_time"}))
resource_like = st.dictionaries(field_names, json_values, max_size=12)
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(st.sampled_from([Recording, Transcription, Call, Conference, AddOnResult]), resource_like | json_values)
def test_resources_parse_or_raise_malformed(model, data):
    try:
        item = model.from_json(data)
    except MalformedResponseError:
        assert not isinstance(data, dict)
        return
    for name, kind in model.KINDS.items():
        value = getattr(item, name)
        assert value is None or {"str": str, "int": int, "date": object, "decimal": object, "object": dict}[kind]
    # Every field that did not parse is accounted for in problems.
    assert all(":" in problem for problem in item.problems)


@SETTINGS
@given(st.dictionaries(st.sampled_from(["recordings", "page", "page_size", "start", "end", "uri", "next_page_uri",
                                        "previous_page_uri", "first_page_uri"]), json_values | st.lists(resource_like, max_size=3)) | json_values)
def test_page_envelopes_parse_or_raise_malformed(data):
    try:
        page = Page.from_json(Recording, data)
    except MalformedResponseError:
        return
    assert isinstance(page.items, list) and isinstance(page.page, int)
    page.position()


@SETTINGS
@given(st.text(max_size=60))
def test_dates_parse_or_raise_value_error(text):
    try:
        parsed = parse_rfc2822(text)
    except (ValueError, TypeError, IndexError, OverflowError):
        return
    assert parsed.tzinfo is not None


@SETTINGS
@given(st.integers(min_value=100, max_value=599), st.binary(max_size=200) | json_values.map(lambda v: json.dumps(v).encode()))
def test_error_bodies_always_become_api_errors(status, body):
    response = httpx.Response(status, content=body, request=httpx.Request("GET", "http://127.0.0.1/x"))
    error = _error_from_response(response, "GET", "/x")
    assert isinstance(error, ApiError) and error.status == status and isinstance(error.message, str)
    str(error), error.summary


@SETTINGS
@given(st.text(max_size=40) | st.none())
def test_retry_after_never_raises(value):
    result = parse_retry_after(value)
    assert result is None or result >= 0


@SETTINGS
@given(st.text(max_size=40), st.text(max_size=40), st.text(max_size=40), st.text(max_size=40), st.booleans())
def test_filter_input_parses_or_names_fields(on, before, call, conf, deleted):
    try:
        f = RecordingFilter.parse(created_on=on, created_before=before, call_sid=call, conference_sid=conf,
                                  include_soft_deleted=deleted)
    except FilterError as exc:
        assert exc.errors and set(exc.errors) <= {"created_on", "created_before", "created_after", "call_sid", "conference_sid"}
        return
    for key, value in f.to_params():
        assert "/" not in value and "\x00" not in value
