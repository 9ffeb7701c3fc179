"""Runs a Player in a fresh process (ALSA reads its configuration once per process).

Usage: python alsa_player.py '<json spec>'. The spec has "wav" (path), "leg", "probe" (call
playback_status() first, as the app does at start-up) and "actions": a list of
[method, *args] on the Player, plus ["wait"] for wait_done(). Prints one JSON line:
{"ok": true, "state": ...} or {"error": "<exception class>", "message": "..."}.
"""

from __future__ import annotations

import json
import sys


def main() -> None:
    spec = json.loads(sys.argv[1])
    from rec_tui.media.decode import decode_file
    from rec_tui.media.errors import MediaError
    from rec_tui.media.playback import Player, playback_status

    out: dict[str, object] = {}
    try:
        if spec.get("probe"):
            status = playback_status()
            out["status"] = [status.available, status.message]
        player = Player(decode_file(spec["wav"]), leg=spec.get("leg", "both"))
        for name, *args in spec["actions"]:
            if name == "wait":
                player.wait_done()
            else:
                getattr(player, name)(*args)
        out.update(ok=True, state=player.state.value)
    except MediaError as exc:  # the app shows these as they are; anything else is a bug
        out.update(error=type(exc).__name__, message=str(exc))
    print(json.dumps(out))


if __name__ == "__main__":
    main()
