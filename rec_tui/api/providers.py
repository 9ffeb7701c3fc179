"""Where the API lives for each provider: Twilio (with regions and edges), SignalWire, or any URL.

An :class:`Endpoint` is an origin plus the path prefix under which ``/Accounts/{AccountSid}/…``
starts. HTTPS is required for every non-loopback origin: credentials travel in every request.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from rec_tui.api.errors import InsecureTransportError

API_VERSION = "2010-04-01"
_NAME = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")

PROVIDERS = ("twilio", "signalwire", "custom")
PROVIDER_LABELS = {"twilio": "Twilio", "signalwire": "SignalWire", "custom": "Custom"}


@dataclass(frozen=True, slots=True)
class Endpoint:
    provider: str
    origin: str  # scheme://host[:port], no trailing slash
    api_root: str  # e.g. "/2010-04-01" or "/api/laml/2010-04-01"

    @property
    def label(self) -> str:
        return PROVIDER_LABELS.get(self.provider, self.provider)

    def account_path(self, account_sid: str) -> str:
        return f"{self.api_root}/Accounts/{account_sid}"


def is_loopback_host(host: str | None) -> bool:
    if not host:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_origin_security(url: str) -> None:
    """Refuse plain HTTP except on loopback, where the embedded emulator runs."""
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return
    if parts.scheme == "http" and is_loopback_host(parts.hostname):
        return
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InsecureTransportError(f"not an http(s) URL: {url[:80]!r}")
    raise InsecureTransportError(
        f"refusing plain HTTP to {parts.hostname}: credentials would travel unencrypted; use https://"
    )


def twilio_endpoint(region: str | None = None, edge: str | None = None) -> Endpoint:
    """``api.twilio.com``, or ``api.{edge}.{region}.twilio.com`` as Twilio's SDKs build it.

    As in the official SDKs, an edge without a region implies the ``us1`` region.
    """
    for label, value in (("region", region), ("edge", edge)):
        if value and not _NAME.fullmatch(value):
            raise ValueError(f"invalid Twilio {label}: {value[:40]!r}")
    if edge and not region:
        region = "us1"
    host = ".".join(part for part in ("api", edge, region, "twilio.com") if part)
    return Endpoint("twilio", f"https://{host}", f"/{API_VERSION}")


def signalwire_endpoint(space: str) -> Endpoint:
    """``https://{space}.signalwire.com/api/laml/2010-04-01`` (SignalWire's Compatibility API)."""
    space = space.strip().lower()
    if space.endswith(".signalwire.com"):
        space = space[: -len(".signalwire.com")]
    if not _NAME.fullmatch(space):
        raise ValueError(f"invalid SignalWire space name: {space[:40]!r} (e.g. 'example' for example.signalwire.com)")
    return Endpoint("signalwire", f"https://{space}.signalwire.com", f"/api/laml/{API_VERSION}")


def custom_endpoint(url: str, provider: str = "custom") -> Endpoint:
    """Any base URL, e.g. the emulator's ``http://127.0.0.1:PORT``; a path prefix is kept."""
    url = url.strip().rstrip("/")
    check_origin_security(url)
    parts = urlsplit(url)
    if parts.query or parts.fragment or parts.username or parts.password:
        raise ValueError("the base URL must not carry a query, fragment or credentials")
    path = parts.path.rstrip("/")
    if path.endswith(f"/{API_VERSION}"):
        path = path[: -len(API_VERSION) - 1]
    return Endpoint(provider, f"{parts.scheme}://{parts.netloc}", f"{path}/{API_VERSION}")


def same_origin(url: str, origin: str) -> bool:
    parts = urlsplit(url)
    ref = urlsplit(origin)
    return (parts.scheme, parts.hostname, parts.port or _default_port(parts.scheme)) == (
        ref.scheme,
        ref.hostname,
        ref.port or _default_port(ref.scheme),
    )


def _default_port(scheme: str) -> int | None:
    return {"http": 80, "https": 443}.get(scheme)
