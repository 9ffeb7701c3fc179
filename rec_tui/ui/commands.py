"""The command palette (ctrl+p): every key binding in reach, plus each screen's own commands.

Nothing needs registering by hand. The provider lists, for the screen the palette was opened on:

* every binding with a description that is active there (the focused widget's, the screen's and
  the app's), so a new screen's ``BINDINGS`` appear in the palette as they appear in help;
* the commands of ``palette_commands()`` on the screen and on the app, for actions without a key
  ("Filter by call SID…", "Page size 200", …);
* direct commands for a SID typed into the palette: ``RE…`` opens that recording, ``CA…``/``CF…``
  list that call's or conference's recordings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any, Protocol, runtime_checkable

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider

from rec_tui.api import sids


#: Bindings that make no sense as palette entries (the palette itself).
SKIPPED_ACTIONS = frozenset({"command_palette", "app.command_palette"})


@dataclass(frozen=True)
class PaletteCommand:
    """One palette entry: ``callback`` runs after the palette closes."""

    name: str
    help: str
    callback: Callable[[], Any]


@runtime_checkable
class HasPaletteCommands(Protocol):
    def palette_commands(self) -> Iterable[PaletteCommand]: ...


def binding_commands(screen: Any) -> Iterator[PaletteCommand]:
    """A command per described, enabled binding active on ``screen`` (one per node and action)."""
    seen: set[tuple[int, str]] = set()
    by_action: dict[tuple[int, str], list[str]] = {}
    entries = []
    app = screen.app
    for key, active in screen.active_bindings.items():
        binding = active.binding
        if binding.system or not binding.description or not active.enabled or binding.action in SKIPPED_ACTIONS:
            continue
        ident = (id(active.node), binding.action)
        by_action.setdefault(ident, []).append(app.get_key_display(binding))
        if ident in seen:
            continue
        seen.add(ident)
        entries.append((ident, active.node, binding))
    for ident, node, binding in entries:
        keys = " / ".join(dict.fromkeys(by_action[ident]))
        name = f"{binding.description} — {binding.tooltip}" if binding.tooltip else binding.description
        yield PaletteCommand(name, f"key: {keys}", partial(app.run_action, binding.action, node))


def sid_commands(app: Any, query: str) -> Iterator[PaletteCommand]:
    """Commands for a SID pasted into the palette."""
    text = query.strip()
    if sids.is_sid(text, "recording", allow_uuid=False):
        yield PaletteCommand(f"Open recording {text}", "fetch it and show every field",
                             partial(app.open_recording_sid, text))
    elif sids.is_sid(text, "call", allow_uuid=False):
        yield PaletteCommand(f"Recordings of call {text}", "filter the list by this CallSid",
                             partial(app.show_recordings_of, call_sid=text))
    elif sids.is_sid(text, "conference", allow_uuid=False):
        yield PaletteCommand(f"Recordings of conference {text}", "filter the list by this ConferenceSid",
                             partial(app.show_recordings_of, conference_sid=text))


class RecTuiCommands(Provider):
    """rec-tui's palette provider (see the module docstring for what it lists)."""

    def _commands(self) -> list[PaletteCommand]:
        screen = self.screen
        commands: list[PaletteCommand] = []
        names: set[str] = set()
        sources: list[Iterable[PaletteCommand]] = [binding_commands(screen)]
        for node in (screen, self.app):
            if isinstance(node, HasPaletteCommands):
                sources.append(node.palette_commands())
        for source in sources:
            for command in source:
                if command.name not in names:
                    names.add(command.name)
                    commands.append(command)
        return commands

    async def discover(self) -> Hits:
        for command in self._commands():
            yield DiscoveryHit(Text(command.name), command.callback, text=command.name, help=command.help)

    async def search(self, query: str) -> Hits:
        for command in sid_commands(self.app, query):
            yield Hit(1.0, Text(command.name), command.callback, text=command.name, help=command.help)
        matcher = self.matcher(query)
        for command in self._commands():
            score = matcher.match(command.name)
            if score > 0:
                yield Hit(score, matcher.highlight(command.name), command.callback, text=command.name,
                          help=command.help)
