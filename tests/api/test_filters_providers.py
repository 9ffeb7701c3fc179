from datetime import date

import pytest

from rec_tui.api import sids
from rec_tui.api.errors import InsecureTransportError
from rec_tui.api.filters import FilterError, RecordingFilter
from rec_tui.api.providers import custom_endpoint, same_origin, signalwire_endpoint, twilio_endpoint

CALL = "CA" + "0123456789abcdef" * 2
CONF = "CF" + "0123456789abcdef" * 2


def test_filter_maps_to_the_exact_query_names():
    f = RecordingFilter(created_before=date(2026, 11, 2), created_after=date(2026, 11, 1), call_sid=CALL,
                        conference_sid=CONF, include_soft_deleted=True)
    assert f.to_params() == [
        ("DateCreated<", "2026-11-02"), ("DateCreated>", "2026-11-01"), ("CallSid", CALL),
        ("ConferenceSid", CONF), ("IncludeSoftDeleted", "true"),
    ]
    assert RecordingFilter(created_on=date(2026, 11, 5)).to_params() == [("DateCreated", "2026-11-05")]
    assert RecordingFilter().to_params() == [] and RecordingFilter().is_empty


def test_filter_parse_names_every_bad_field():
    with pytest.raises(FilterError) as info:
        RecordingFilter.parse(created_on="2026-02-30", call_sid="CA123", conference_sid="../etc")
    assert set(info.value.errors) == {"created_on", "call_sid", "conference_sid"}


def test_filter_parse_rejects_contradictions():
    with pytest.raises(FilterError) as info:
        RecordingFilter.parse(created_after="2026-11-05", created_before="2026-11-01")
    assert "created_after" in info.value.errors
    with pytest.raises(FilterError):
        RecordingFilter.parse(created_on="2026-11-05", created_before="2026-11-06")


def test_filter_parse_accepts_good_input_with_spaces():
    f = RecordingFilter.parse(created_after=" 2026-11-01 ", call_sid=f" {CALL} ")
    assert f.created_after == date(2026, 11, 1) and f.call_sid == CALL


@pytest.mark.parametrize("crafted", ["../", "RE/../../x", "RE" + "a" * 31 + "\x00", "", None, "RE" + "g" * 32])
def test_crafted_sids_are_rejected(crafted):
    assert not sids.is_sid(crafted, "recording")
    with pytest.raises(ValueError):
        sids.check_sid(crafted, "recording")


def test_signalwire_uuid_sids():
    assert sids.is_sid("3f2e1b4a-1c2d-4e5f-8a9b-0c1d2e3f4a5b", "recording")
    assert not sids.is_sid("3f2e1b4a-1c2d-4e5f-8a9b-0c1d2e3f4a5b", "recording", allow_uuid=False)


def test_twilio_regions_and_edges():
    assert twilio_endpoint().origin == "https://api.twilio.com"
    assert twilio_endpoint("ie1", "dublin").origin == "https://api.dublin.ie1.twilio.com"
    assert twilio_endpoint(None, "sydney").origin == "https://api.sydney.us1.twilio.com"
    assert twilio_endpoint("au1").origin == "https://api.au1.twilio.com"
    with pytest.raises(ValueError):
        twilio_endpoint("evil.com/")


def test_signalwire_endpoint():
    ep = signalwire_endpoint("Example.signalwire.com")
    assert ep.origin == "https://example.signalwire.com"
    assert ep.account_path("P") == "/api/laml/2010-04-01/Accounts/P"


@pytest.mark.parametrize("url", ["http://api.example.com", "http://10.0.0.5:8080", "ftp://127.0.0.1", "nonsense"])
def test_plain_http_only_on_loopback(url):
    with pytest.raises(InsecureTransportError):
        custom_endpoint(url)


@pytest.mark.parametrize("url", ["http://127.0.0.1:8080", "http://localhost:1", "http://[::1]:9", "https://x.example"])
def test_loopback_and_https_accepted(url):
    assert custom_endpoint(url).api_root == "/2010-04-01"


def test_custom_endpoint_keeps_a_path_prefix():
    assert custom_endpoint("http://127.0.0.1:9/api/laml/2010-04-01/").api_root == "/api/laml/2010-04-01"


def test_same_origin():
    assert same_origin("https://api.twilio.com/x", "https://api.twilio.com")
    assert same_origin("https://api.twilio.com:443/x", "https://api.twilio.com")
    assert not same_origin("https://api.twilio.com.evil.io/x", "https://api.twilio.com")
    assert not same_origin("http://api.twilio.com/x", "https://api.twilio.com")
