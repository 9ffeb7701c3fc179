"""Human formatting of API values for the UI, always as plain text or ``rich.text.Text``.

Every string that comes from the API is untrusted: it is shown literally. Nothing here builds a
markup string out of API data, and control characters (an ANSI escape, say) are replaced by
visible symbols before they reach the terminal.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone, tzinfo
from decimal import Decimal
from typing import Any

from rich.text import Text

from rec_tui.api.sids import short_sid
from rec_tui.ui.widgets.recording_table import MISSING, format_date, format_duration, format_price, sanitize

__all__ = [
    "MISSING", "STATUS_STYLES", "error_link", "format_date", "format_date_pair", "format_duration",
    "format_duration_long", "format_price", "literal", "literal_lines", "literal_text", "short_sid",
    "status_text",
]

#: Rich styles per recording/transcription status (the table has its own theme-aware classes).
STATUS_STYLES = {
    "completed": "green",
    "processing": "yellow",
    "stopped": "yellow",
    "in-progress": "bold cyan",
    "paused": "italic magenta",
    "absent": "bold red",
    "deleted": "dim strike",
    "failed": "bold red",
}

TWILIO_ERROR_DOCS = "https://www.twilio.com/docs/errors/{code}"


def literal(value: Any) -> str:
    """One line of untrusted text with every control or invisible character made visible."""
    if value is None:
        return MISSING
    if not isinstance(value, str):
        value = json.dumps(value, default=str, ensure_ascii=False) if isinstance(value, (dict, list)) else str(value)
    return sanitize(value)


def literal_lines(value: str | None) -> str:
    """Untrusted multi-line text (a transcription): newlines and tabs kept, other controls shown."""
    if value is None:
        return ""
    lines = value.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(sanitize(line.replace("\t", "    ")) for line in lines)


def literal_text(value: Any, style: str = "") -> Text:
    """``Text`` of untrusted data: never parsed as markup."""
    return Text(literal(value), style=style)


def status_text(status: str | None, error_code: int | None = None) -> Text:
    text = Text(literal(status) if status else MISSING, style=STATUS_STYLES.get(status or "", ""))
    if error_code is not None:
        text.append(f" (error {error_code})", style="red")
    return text


def error_link(code: int) -> str:
    return TWILIO_ERROR_DOCS.format(code=code)


def format_date_pair(value: datetime | None, tz: tzinfo | None) -> str:
    """``2026-11-20 13:03:11 CET · 2026-11-20 12:03:11 GMT``: the local time, then GMT."""
    if value is None:
        return MISSING
    local = value.astimezone(tz) if tz is not None else value.astimezone()
    gmt = format_date(value, timezone.utc)
    local_name = local.tzname() or ""
    if local.utcoffset() == timezone.utc.utcoffset(None):
        return f"{gmt} GMT"
    return f"{format_date(value, tz)} {local_name} · {gmt} GMT"


def format_duration_long(seconds: int | None) -> str:
    """``0:02:05 (125 s)``; ``-1`` is how the API says the recording is still running."""
    if seconds is None:
        return MISSING
    if seconds < 0:
        return f"still recording ({seconds})"
    minutes, secs = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    unit = "second" if seconds == 1 else "seconds"
    return f"{hours}:{minutes:02d}:{secs:02d} ({seconds} {unit})"


def format_price_long(price: Decimal | None, unit: str | None) -> str:
    if price is None:
        return f"{MISSING} (not billed yet)" if unit else MISSING
    return literal(format_price(price, unit))
