"""The ``rec-tui`` command.

``rec-tui --demo``                open the app on the built-in emulator (fake data, no account)
``rec-tui``                       open the app on the account named by environment variables
``rec-tui --recording RE…``       open straight at one recording (also ``--call CA…``,
                                  ``--conference CF…``: the list filtered to that call/conference)
``rec-tui emulator --port N``     run the emulator on its own, for scripts and other clients

Subcommands are registered in :func:`build_parser` (``login``/``logout``/``--profile`` slot in
there). Secrets are never printed, except the emulator's own fake demo credentials by the
``emulator`` subcommand, which are needed to use it.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timezone

from rec_tui import __version__
from rec_tui.api import sids

EXIT_USAGE = 2

NO_CREDENTIALS = """\
rec-tui: no account to open.
  Try it without an account:   rec-tui --demo
  Twilio:      set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN
               (or TWILIO_ACCOUNT_SID with TWILIO_API_KEY and TWILIO_API_SECRET;
                optional TWILIO_REGION / TWILIO_EDGE)
  SignalWire:  set SIGNALWIRE_SPACE, SIGNALWIRE_PROJECT_ID and SIGNALWIRE_TOKEN
"""


@dataclass(frozen=True)
class EnvCredentials:
    """An account described by environment variables (until saved profiles exist)."""

    provider: str  # "twilio" | "signalwire"
    account_sid: str
    username: str
    password: str
    region: str | None = None
    edge: str | None = None
    space: str | None = None

    def __repr__(self) -> str:  # never show the secret
        return f"EnvCredentials({self.provider!r}, account_sid={self.account_sid!r}, username={self.username!r})"


class CredentialsError(ValueError):
    """The environment names an account, but not completely or not correctly."""


def credentials_from_env(environ: Mapping[str, str]) -> EnvCredentials | None:
    """Twilio or SignalWire credentials from ``environ``; None when it names no account."""
    def get(name: str) -> str:
        return environ.get(name, "").strip()

    account = get("TWILIO_ACCOUNT_SID")
    key, secret, token = get("TWILIO_API_KEY"), get("TWILIO_API_SECRET"), get("TWILIO_AUTH_TOKEN")
    region, edge = get("TWILIO_REGION") or None, get("TWILIO_EDGE") or None
    if account or key or token:
        if not sids.is_sid(account, "account", allow_uuid=False):
            raise CredentialsError("TWILIO_ACCOUNT_SID must be set to your Account SID (AC… , 34 characters)")
        if key or secret:
            if not (key and secret):
                raise CredentialsError("set both TWILIO_API_KEY and TWILIO_API_SECRET")
            if not sids.is_sid(key, "api_key", allow_uuid=False):
                raise CredentialsError("TWILIO_API_KEY must be an API Key SID (SK…, 34 characters)")
            return EnvCredentials("twilio", account, key, secret, region=region, edge=edge)
        if not token:
            raise CredentialsError("set TWILIO_AUTH_TOKEN (or TWILIO_API_KEY and TWILIO_API_SECRET)")
        return EnvCredentials("twilio", account, account, token, region=region, edge=edge)
    space, project, sw_token = get("SIGNALWIRE_SPACE"), get("SIGNALWIRE_PROJECT_ID"), get("SIGNALWIRE_TOKEN")
    if space or project or sw_token:
        missing = [name for name, value in (("SIGNALWIRE_SPACE", space), ("SIGNALWIRE_PROJECT_ID", project),
                                            ("SIGNALWIRE_TOKEN", sw_token)) if not value]
        if missing:
            raise CredentialsError(f"set {', '.join(missing)} too")
        return EnvCredentials("signalwire", project, project, sw_token, space=space)
    return None


def connection_from_credentials(credentials: EnvCredentials):
    from rec_tui.api import RecordingsClient, signalwire_endpoint, twilio_endpoint
    from rec_tui.ui.connection import Connection

    if credentials.provider == "signalwire":
        endpoint = signalwire_endpoint(credentials.space or "")
    else:
        endpoint = twilio_endpoint(credentials.region, credentials.edge)
    client = RecordingsClient(endpoint, credentials.account_sid, credentials.username, credentials.password)
    return Connection(client=client, provider_label=endpoint.label, account_sid=credentials.account_sid,
                      profile_name="environment")


# -- argument parsing -------------------------------------------------------------------------


def _sid_argument(kind: str):
    def check(value: str) -> str:
        try:
            return sids.check_sid(value, kind)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None
    check.__name__ = f"{kind} SID"
    return check


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if number < 0:
        raise argparse.ArgumentTypeError(f"must not be negative: {value}")
    return number


def _port(value: str) -> int:
    number = _positive(value)
    if number > 65535:
        raise argparse.ArgumentTypeError(f"not a port number: {value}")
    return number


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rec-tui",
        description="Triage call recordings on Twilio's and SignalWire's Recordings API from a terminal.",
        epilog="Without an account, try: rec-tui --demo",
    )
    parser.add_argument("--version", action="version", version=f"rec-tui {__version__}")
    parser.add_argument("--demo", action="store_true",
                        help="open on a built-in emulator with generated recordings (no account needed)")
    parser.add_argument("--seed", type=_positive, default=None, help="--demo: the data's random seed")
    parser.add_argument("--count", type=_positive, default=None, help="--demo: how many recordings")
    parser.add_argument("--utc", action="store_true", help="show times in UTC instead of the local time zone")
    links = parser.add_mutually_exclusive_group()
    links.add_argument("--recording", metavar="RE…", type=_sid_argument("recording"),
                       help="open straight at this recording")
    links.add_argument("--call", metavar="CA…", type=_sid_argument("call"),
                       help="open the list filtered to this call's recordings")
    links.add_argument("--conference", metavar="CF…", type=_sid_argument("conference"),
                       help="open the list filtered to this conference's recordings")

    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    emulator = commands.add_parser("emulator", help="run the Twilio-compatible emulator on its own",
                                   description="Serve the emulator until interrupted (ctrl+c).")
    emulator.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    emulator.add_argument("--port", type=_port, default=8765, help="port to listen on (default 8765)")
    emulator.add_argument("--seed", dest="emulator_seed", type=_positive, default=None, help="random seed")
    emulator.add_argument("--count", dest="emulator_count", type=_positive, default=None,
                          help="how many recordings to generate")
    return parser


def _emulator_config(seed: int | None, count: int | None):
    from rec_tui.emulator import EmulatorConfig

    options = {}
    if seed is not None:
        options["seed"] = seed
    if count is not None:
        options["recordings"] = count
    return EmulatorConfig(**options)


# -- commands ---------------------------------------------------------------------------------


def run_emulator(args: argparse.Namespace) -> int:
    from rec_tui.emulator import serve

    config = _emulator_config(args.emulator_seed, args.emulator_count)
    # The emulator's demo credentials are fake and needed to use it, so they are printed.
    serve(args.host, args.port, config)
    return 0


def run_app(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    from rec_tui.ui.app import RecTuiApp, StartTarget
    from rec_tui.ui.connection import connection_for_emulator

    start = StartTarget(recording=args.recording, call=args.call, conference=args.conference)
    display_tz = timezone.utc if args.utc else None
    if args.demo:
        from rec_tui.emulator import Emulator

        emulator = Emulator(_emulator_config(args.seed, args.count))
        emulator.__enter__()
        connection = connection_for_emulator(emulator, owns_emulator=True)
    else:
        if args.seed is not None or args.count is not None:
            print("rec-tui: --seed and --count only apply with --demo", file=sys.stderr)
            return EXIT_USAGE
        try:
            credentials = credentials_from_env(environ)
        except CredentialsError as exc:
            print(f"rec-tui: {exc}", file=sys.stderr)
            return EXIT_USAGE
        if credentials is None:
            print(NO_CREDENTIALS, file=sys.stderr, end="")
            return EXIT_USAGE
        try:
            connection = connection_from_credentials(credentials)
        except ValueError as exc:  # a bad region, edge or space name
            print(f"rec-tui: {exc}", file=sys.stderr)
            return EXIT_USAGE
    app = RecTuiApp(connection, display_tz=display_tz, start=start)
    try:
        app.run()
    finally:
        if connection.emulator is not None:  # the app did not get to close it
            from rec_tui.ui.connection import stop_emulator

            stop_emulator(connection.emulator)
    return app.return_code or 0


def main(argv: Sequence[str] | None = None, environ: Mapping[str, str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "emulator":
        return run_emulator(args)
    return run_app(args, os.environ if environ is None else environ)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
