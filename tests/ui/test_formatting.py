"""Pieces of the UI that need no server: formatting, the detail sections, the position line."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

from rec_tui.api import Page, Recording
from rec_tui.ui.formatting import (
    format_date_pair,
    format_duration_long,
    format_price_long,
    literal,
    literal_lines,
    status_text,
)
from rec_tui.ui.screens.recordings import describe_loaded
from rec_tui.ui.widgets.recording_detail import recording_sections, sections_plain_text

ACCOUNT = "AC" + "a1" * 16
SID = "RE" + "0123456789abcdef" * 2
CALL = "CA" + "fedcba9876543210" * 2
UTC = timezone.utc
CET = timezone(timedelta(hours=1), "CET")


def recording(**overrides) -> Recording:
    data = {
        "account_sid": ACCOUNT, "api_version": "2010-04-01", "call_sid": CALL, "conference_sid": None,
        "date_created": "Fri, 20 Nov 2026 11:03:11 +0000", "date_updated": "Fri, 20 Nov 2026 11:04:41 +0000",
        "start_time": "Fri, 20 Nov 2026 11:02:11 +0000", "duration": "3725", "sid": SID, "price": "-0.0025",
        "price_unit": "USD", "status": "completed", "channels": 2, "source": "DialVerb", "error_code": None,
        "uri": f"/2010-04-01/Accounts/{ACCOUNT}/Recordings/{SID}.json", "encryption_details": None,
        "subresource_uris": {"transcriptions": f"/2010-04-01/Accounts/{ACCOUNT}/Recordings/{SID}/Transcriptions.json"},
        "media_url": f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT}/Recordings/{SID}", "track": "both",
    }
    data.update(overrides)
    return Recording.from_json(data)


def test_every_field_is_shown_exactly():
    text = sections_plain_text(recording_sections(recording(), UTC))
    assert f"SID: {SID}" in text
    assert f"Call: {CALL}" in text and f"Account: {ACCOUNT}" in text
    assert "Duration: 1:02:05 (3725 seconds)" in text
    assert "Price: -0.0025 USD" in text
    assert "Channels: 2 (dual)" in text and "Source: DialVerb" in text and "Track: both" in text
    assert "Created: 2026-11-20 11:03:11 GMT" in text
    assert "API version: 2010-04-01" in text
    assert f"Media URL: https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT}/Recordings/{SID}" in text
    assert "Encrypted: no" in text
    assert f"transcriptions: /2010-04-01/Accounts/{ACCOUNT}/Recordings/{SID}/Transcriptions.json" in text


def test_local_time_and_gmt():
    when = datetime(2026, 11, 20, 11, 3, 11, tzinfo=UTC)
    assert format_date_pair(when, CET) == "2026-11-20 12:03:11 CET · 2026-11-20 11:03:11 GMT"
    assert format_date_pair(when, UTC) == "2026-11-20 11:03:11 GMT"
    assert format_date_pair(None, UTC) == "—"


def test_absent_shows_the_error_code_and_its_link():
    text = sections_plain_text(recording_sections(recording(status="absent", error_code=16107, price=None), UTC))
    assert "Status: absent" in text
    assert "Error: 16107" in text
    assert "Error docs: https://www.twilio.com/docs/errors/16107" in text


def test_encryption_extra_fields_and_problems():
    details = {"type": "rsa-aes", "public_key_sid": "CR" + "0" * 32, "encrypted_cek": "OPS9...=="}
    r = recording(encryption_details=details, end_time="Fri, 20 Nov 2026 11:05:00 +0000", duration="soon")
    text = sections_plain_text(recording_sections(r, UTC))
    assert "Encrypted: encrypted" in text
    assert "type: rsa-aes" in text and "public_key_sid: CR" + "0" * 32 in text and "encrypted_cek: OPS9...==" in text
    assert "[Other fields]" in text and "end_time: Fri, 20 Nov 2026 11:05:00 +0000" in text
    assert "[Problems]" in text and "duration: expected a whole number, got soon" in text
    assert "Duration: —" in text


def test_api_text_is_never_interpreted():
    r = recording(source="[bold]Dial[/bold]\x1b[31m", extra_field={"nested": "[i]x"})
    sections = recording_sections(r, UTC)
    text = sections_plain_text(sections)
    assert "Source: [bold]Dial[/bold]␛[31m" in text
    assert 'extra_field: {"nested": "[i]x"}' in text
    # Values are Text objects with no markup spans parsed out of the data.
    source = dict(sections[0][1])["Source"]
    assert source.plain == "[bold]Dial[/bold]␛[31m" and not source.spans


def test_literal_helpers():
    assert literal("a\x1b[2Jb") == "a␛[2Jb"
    assert literal(None) == "—"
    assert literal_lines("one\r\ntwo\x07\tthree") == "one\ntwo␇    three"
    assert status_text("absent", 16107).plain == "absent (error 16107)"


def test_duration_and_price_words():
    assert format_duration_long(-1) == "still recording (-1)"
    assert format_duration_long(1) == "0:00:01 (1 second)"
    assert format_price_long(None, "USD") == "— (not billed yet)"
    assert format_price_long(Decimal("-0.0050"), "EUR") == "-0.0050 EUR"


def page(number: int, size: int, count: int, more: bool) -> Page[Recording]:
    return Page(items=[recording()] * count, page=number, page_size=size, start=number * size,
                end=number * size + count - 1, uri=f"/p{number}", first_page_uri="/p0",
                next_page_uri=f"/p{number + 1}" if more else None,
                previous_page_uri=f"/p{number - 1}" if number else None)


def test_position_line():
    assert describe_loaded([]) == ""
    assert describe_loaded([page(2, 50, 50, True)]) == "page 3 · rows 101–150 · more available"
    assert describe_loaded([page(0, 50, 50, True), page(1, 50, 50, True), page(2, 50, 20, False)]) == \
        "pages 1–3 · rows 1–120 · last page"
    assert describe_loaded([page(0, 50, 0, False)]) == "page 1 · no rows · last page"
