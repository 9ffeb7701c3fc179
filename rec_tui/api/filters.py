"""The list filters the API offers, mapped to its exact query names and checked before sending."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from rec_tui.api import sids


class FilterError(ValueError):
    """Invalid filter input. ``errors`` maps each field to its message, for display beside it."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{name}: {message}" for name, message in errors.items()))
        self.errors = errors


@dataclass(frozen=True, slots=True)
class RecordingFilter:
    """Server-side filters of a recordings list (``DateCreated``, ``CallSid``, …)."""

    created_on: date | None = None
    # The API compares with midnight (00:00 GMT) at the start of the day, as its docs say and the
    # live service does: ``DateCreated<=D`` is "before D", ``DateCreated>=D`` is "on or after D".
    created_before: date | None = None  # before this GMT day
    created_after: date | None = None  # on or after this GMT day
    call_sid: str | None = None
    conference_sid: str | None = None
    include_soft_deleted: bool = False

    def to_params(self) -> list[tuple[str, str]]:
        """Query parameters under the names the API uses (``DateCreated<`` is a literal key)."""
        params: list[tuple[str, str]] = []
        if self.created_on:
            params.append(("DateCreated", self.created_on.isoformat()))
        if self.created_before:
            params.append(("DateCreated<", self.created_before.isoformat()))
        if self.created_after:
            params.append(("DateCreated>", self.created_after.isoformat()))
        if self.call_sid:
            params.append(("CallSid", self.call_sid))
        if self.conference_sid:
            params.append(("ConferenceSid", self.conference_sid))
        if self.include_soft_deleted:
            params.append(("IncludeSoftDeleted", "true"))
        return params

    @property
    def is_empty(self) -> bool:
        return self == RecordingFilter()

    def describe(self) -> str:
        """Short text for the header: ``call CA12…ef · after 2026-11-01``."""
        parts = []
        if self.created_on:
            parts.append(f"on {self.created_on}")
        if self.created_after:
            parts.append(f"from {self.created_after}")
        if self.created_before:
            parts.append(f"before {self.created_before}")
        if self.call_sid:
            parts.append(f"call {sids.short_sid(self.call_sid)}")
        if self.conference_sid:
            parts.append(f"conference {sids.short_sid(self.conference_sid)}")
        if self.include_soft_deleted:
            parts.append("incl. deleted")
        return " · ".join(parts) if parts else "all recordings"

    def with_changes(self, **changes) -> "RecordingFilter":
        return replace(self, **changes)

    @classmethod
    def parse(
        cls,
        *,
        created_on: str = "",
        created_before: str = "",
        created_after: str = "",
        call_sid: str = "",
        conference_sid: str = "",
        include_soft_deleted: bool = False,
    ) -> "RecordingFilter":
        """Build a filter from text fields; raise :class:`FilterError` naming every bad field."""
        errors: dict[str, str] = {}
        values: dict[str, object] = {"include_soft_deleted": include_soft_deleted}
        for name, text in (
            ("created_on", created_on),
            ("created_before", created_before),
            ("created_after", created_after),
        ):
            text = text.strip()
            if not text:
                values[name] = None
                continue
            try:
                values[name] = date.fromisoformat(text)
            except ValueError:
                errors[name] = f"not a date: {text[:40]!r} (use YYYY-MM-DD, GMT)"
                continue
            if len(text) != 10:
                errors[name] = f"use the form YYYY-MM-DD, got {text[:40]!r}"
        for name, kind, text in (
            ("call_sid", "call", call_sid),
            ("conference_sid", "conference", conference_sid),
        ):
            text = text.strip()
            if not text:
                values[name] = None
                continue
            if not sids.is_sid(text, kind):
                errors[name] = f"expected {sids.describe(kind)}"
            values[name] = text
        if not errors:
            on, before, after = values["created_on"], values["created_before"], values["created_after"]
            if on and (before or after):
                errors["created_on"] = "choose either one day, or a before/after range"
            elif before and after and after >= before:
                errors["created_after"] = "the range is empty: 'on or after' must be earlier than 'before'"
        if errors:
            raise FilterError(errors)
        return cls(**values)
