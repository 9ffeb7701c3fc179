"""Response bodies: msgspec reads them, the standard library what msgspec refuses, and neither
reading it is a ValueError (which the client turns into MalformedResponseError)."""

from __future__ import annotations

import json

import pytest

from rec_tui.api.client import decode_json


def test_a_page_reads_the_same_as_with_the_standard_library():
    body = json.dumps({"recordings": [{"sid": "RE" + "1" * 32, "duration": "7", "price": "-0.00250",
                                       "text": "naïve “quotes” 🎧 \u202e"}], "next_page_uri": None,
                       "page": 0}, ensure_ascii=False).encode()
    assert decode_json(body) == json.loads(body)


@pytest.mark.parametrize("body", [
    '{"text": "\\ud800 lone surrogate"}'.encode(),  # msgspec refuses it; json reads it
    b'{"price": NaN}',
    '{"sid": "RE1"}'.encode("utf-16"),
])
def test_what_msgspec_refuses_the_standard_library_still_reads(body):
    assert decode_json(body) == json.loads(body)


@pytest.mark.parametrize("body", [b"", b"{", b"<html>busy</html>", b'{"a": 1}trailing', b'"\xff"'])
def test_what_neither_reads_is_a_value_error(body):
    with pytest.raises(ValueError):
        decode_json(body)
