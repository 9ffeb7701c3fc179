"""HTTPS for every non-loopback base URL: plain ``http://`` only to this machine (the emulator).

Checked at every door a base URL comes through — the endpoint, the client itself, the profile form
(``config.check_base_url`` / ``validate_profile``) and a media URL override — and the two checks
(client and form) agree on every URL.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rec_tui.api import InsecureTransportError, RecordingsClient, custom_endpoint
from rec_tui.api.providers import Endpoint, signalwire_endpoint, twilio_endpoint
from rec_tui.config import check_base_url, make_profile, validate_profile

ACCOUNT = "AC" + "7" * 32
REC = "RE" + "8" * 32

PLAIN_HTTP_ELSEWHERE = [
    "http://api.twilio.com",
    "HTTP://API.TWILIO.COM",
    "http://example.signalwire.com/api/laml",
    "http://10.0.0.5:8080",
    "http://192.168.1.20",
    "http://0.0.0.0:8080",  # every interface, not loopback
    "http://[2001:db8::1]:8080",
    "http://localhost.evil.example",
    "http://127.0.0.1.nip.io",
    "http://127.0.0.1@evil.example",  # user-info trick: the host is evil.example
    "http://evil.example#@127.0.0.1",
    "http://2130706433",  # 127.0.0.1 as one number: refused rather than guessed at
]
LOOPBACK = ["http://127.0.0.1:8080", "http://127.0.0.2", "http://localhost:1", "HTTP://LOCALHOST:8765",
            "http://[::1]:9"]


@pytest.mark.parametrize("url", PLAIN_HTTP_ELSEWHERE)
def test_plain_http_to_another_machine_is_refused_everywhere(url):
    with pytest.raises(InsecureTransportError, match="refusing plain HTTP|not an http"):
        custom_endpoint(url)
    parts = urlsplit(url)
    with pytest.raises(InsecureTransportError):
        RecordingsClient(Endpoint("custom", f"{parts.scheme}://{parts.netloc}", "/2010-04-01"), ACCOUNT, ACCOUNT, "t")
    assert check_base_url(url) is not None
    profile = make_profile("work", "custom", account_sid=ACCOUNT, base_url=url)
    assert "base_url" in validate_profile(profile)


@pytest.mark.parametrize("url", LOOPBACK + ["https://api.example.com", "https://10.0.0.5:8443/prefix"])
def test_loopback_http_and_any_https_are_accepted(url):
    endpoint = custom_endpoint(url)
    RecordingsClient(endpoint, ACCOUNT, ACCOUNT, "t")
    assert check_base_url(url) is None


def test_the_providers_own_endpoints_are_https():
    for endpoint in (twilio_endpoint(), twilio_endpoint("au1", "sydney"), signalwire_endpoint("example")):
        assert endpoint.origin.startswith("https://")


async def test_a_plain_http_media_url_elsewhere_is_refused_before_any_request():
    sent = []
    transport = httpx.MockTransport(lambda request: sent.append(request) or httpx.Response(200, content=b"RIFF"))
    async with RecordingsClient(custom_endpoint("https://api.example.com"), ACCOUNT, ACCOUNT, "t",
                                transport=transport) as client:
        with pytest.raises(InsecureTransportError):
            async with client.media_stream(REC, url="http://cdn.example.net/bucket/audio.wav"):
                pass
        # The same file over HTTPS is fine (and gets no credentials: another origin).
        async with client.media_stream(REC, url="https://cdn.example.net/bucket/audio.wav") as response:
            assert await response.aread() == b"RIFF"
    assert [str(r.url) for r in sent] == ["https://cdn.example.net/bucket/audio.wav"]
    assert "Authorization" not in sent[0].headers


def _is_loopback(host: str | None) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address((host or "").strip("[]")).is_loopback
    except ValueError:
        return False


hosts = st.sampled_from(["127.0.0.1", "localhost", "[::1]", "127.9.9.9", "api.twilio.com", "10.1.2.3", "0.0.0.0",
                         "[::]", "example.com", "localhost.example", "LOCALHOST", "127.0.0.1.example"]) | \
    st.from_regex(r"[a-z0-9.-]{1,20}", fullmatch=True)
urls = st.builds(lambda scheme, host, port, path: f"{scheme}://{host}{port}{path}",
                 st.sampled_from(["http", "https", "HTTP", "ftp", "ws"]), hosts,
                 st.sampled_from(["", ":80", ":443", ":8080"]), st.sampled_from(["", "/", "/api/laml"]))


@settings(max_examples=300, deadline=None)
@given(urls)
def test_the_client_and_the_profile_form_agree_and_never_allow_plain_http_elsewhere(url):
    try:
        endpoint = custom_endpoint(url)
    except (InsecureTransportError, ValueError):
        endpoint = None
    if endpoint is not None:
        parts = urlsplit(endpoint.origin)
        assert parts.scheme == "https" or (parts.scheme == "http" and _is_loopback(parts.hostname)), url
    # The form may be stricter than the client, never looser.
    if check_base_url(url) is None:
        assert endpoint is not None, f"the profile form accepts {url!r}, the client refuses it"
