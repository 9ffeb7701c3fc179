"""The ``rec-tui`` command.

``rec-tui --demo``                open the app on the built-in emulator (fake data, no account)
``rec-tui --demo --chaos``        the same, with the emulator injecting faults (errors, 429s,
                                  resets, cut bodies, delays) to watch the app cope
``rec-tui``                       open the app on the account named by environment variables
                                  (:func:`rec_tui.config.profile_from_env`), else on the default
                                  saved profile, else on the login form (first run)
``rec-tui --profile NAME``        open the app on saved profile NAME (its secret from the keyring)
``rec-tui login``                 the login form: check the credentials, save a profile (the secret
                                  into the OS keyring), then open it; with ``--profile NAME`` the
                                  form is NAME's (a saved profile's settings, to replace its secret)
``rec-tui logout [NAME]``         delete NAME's (default: the default profile's) secret from the
                                  keyring and the profile from profiles.toml
``rec-tui --recording RE…``       open straight at one recording (also ``--call CA…``,
                                  ``--conference CF…``: the list filtered to that call/conference)
``rec-tui emulator --port N``     run the emulator on its own, for scripts and other clients
``--live-interval SECONDS``       the live view's refresh (1–3600 s, default 5; also
                                  ``$REC_TUI_LIVE_INTERVAL``; the option wins)

Subcommands are registered in :func:`build_parser`. Secrets are never printed, except the
emulator's own fake demo credentials by the ``emulator`` subcommand, which are needed to use it.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import math
import os
import sys
from collections.abc import Mapping, Sequence
from datetime import timezone

from rec_tui import __version__
from rec_tui.api import sids

EXIT_USAGE = 2
#: The live view's refresh interval in seconds when ``--live-interval`` is not given.
LIVE_INTERVAL_ENV = "REC_TUI_LIVE_INTERVAL"
LIVE_INTERVAL_RANGE = (1.0, 3600.0)
#: The emulator's flavours (``--demo --flavour``, ``emulator --flavour``); see rec_tui.emulator.config.
FLAVOURS = ("twilio", "signalwire")

NO_CREDENTIALS = """\
rec-tui: no account to open.
  Log in (saves a profile, the secret in the OS keyring):   rec-tui login
  Try it without an account:   rec-tui --demo
  Twilio:      set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN
               (or TWILIO_ACCOUNT_SID with TWILIO_API_KEY and TWILIO_API_SECRET;
                optional TWILIO_REGION / TWILIO_EDGE)
  SignalWire:  set SIGNALWIRE_SPACE, SIGNALWIRE_PROJECT_ID and SIGNALWIRE_TOKEN
"""


def connection_from_env(environ: Mapping[str, str]):
    """The account the environment names, or None after saying why there is none (on stderr)."""
    from rec_tui.config import ConfigError, profile_from_env
    from rec_tui.ui.connection import connection_for_profile

    try:
        found = profile_from_env(environ)
    except ConfigError as exc:  # incomplete or invalid: names the variables, never their values
        print(f"rec-tui: {exc}", file=sys.stderr)
        return None
    if found is None:
        print(NO_CREDENTIALS, file=sys.stderr, end="")
        return None
    profile, secret = found
    try:
        return connection_for_profile(profile, secret)
    except ValueError as exc:
        print(f"rec-tui: {exc}", file=sys.stderr)
        return None


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


def _live_interval(value: str) -> float:
    low, high = LIVE_INTERVAL_RANGE
    try:
        seconds = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {value[:40]!r}") from None
    if not (math.isfinite(seconds) and low <= seconds <= high):  # NaN fails the comparison too
        raise argparse.ArgumentTypeError(f"must be {low:g} to {high:g} seconds, got {value[:40]!r}")
    return seconds


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
    parser.add_argument("--chaos", action="store_true",
                        help="--demo: the emulator injects faults (5xx, 429, resets, cut bodies, delays)")
    parser.add_argument("--flavour", choices=FLAVOURS, default=None,
                        help="--demo: serve the API as Twilio (default) or SignalWire does")
    parser.add_argument("--utc", action="store_true", help="show times in UTC instead of the local time zone")
    parser.add_argument("--live-interval", metavar="SECONDS", type=_live_interval, default=None,
                        help=f"how often the live view (a) refreshes by itself: 1 to 3600 seconds "
                        f"(default 5, or ${LIVE_INTERVAL_ENV})")
    parser.add_argument("--profile", metavar="NAME", default=None,
                        help="open this saved profile (default: the environment's account, else the default profile)")
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
    emulator.add_argument("--flavour", dest="emulator_flavour", choices=FLAVOURS, default=None,
                          help="serve the API as Twilio (default) or SignalWire (/api/laml, UUID SIDs) does")
    login = commands.add_parser("login", help="log in to an account and save it as a profile",
                                description="Open the login form: the credentials are checked with one request, "
                                "then the secret is stored in the OS keyring and the profile (without it) in "
                                "profiles.toml. Offers to import twilio-cli's profiles when it finds them.")
    # SUPPRESS: without it here, the subcommand's default would undo ``rec-tui --profile NAME login``.
    login.add_argument("--profile", metavar="NAME", default=argparse.SUPPRESS,
                       help="the profile to save: the form opens with this name (a saved profile's "
                       "settings, and logging in replaces its secret)")
    logout = commands.add_parser("logout", help="remove a profile and its secret",
                                 description="Delete the profile's secret from the OS keyring and the "
                                 "profile from profiles.toml.")
    logout.add_argument("name", nargs="?", metavar="NAME", help="the profile (default: the default profile)")
    logout.add_argument("--force", action="store_true",
                        help="remove the profile even when the keyring cannot be reached (its secret may stay there)")
    return parser


def _emulator_config(seed: int | None, count: int | None, flavour: str | None = None):
    from rec_tui.emulator import EmulatorConfig

    options: dict[str, object] = {"flavour": flavour} if flavour else {}
    if seed is not None:
        options["seed"] = seed
    if count is not None:
        options["recordings"] = count
    return EmulatorConfig(**options)


# -- commands ---------------------------------------------------------------------------------


def run_emulator(args: argparse.Namespace) -> int:
    from rec_tui.emulator import serve

    config = _emulator_config(args.emulator_seed, args.emulator_count, args.emulator_flavour)
    # The emulator's demo credentials are fake and needed to use it, so they are printed.
    serve(args.host, args.port, config)
    return 0


def load_profiles(environ: Mapping[str, str]):
    """The saved profiles, or None after saying why they cannot be read (on stderr)."""
    from rec_tui.config import ConfigError, ProfileStore

    try:
        return ProfileStore(environ=environ).load()
    except ConfigError as exc:
        print(f"rec-tui: {exc}", file=sys.stderr)
        return None


def run_logout(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    from rec_tui.credentials import CredentialsError, logout

    store = load_profiles(environ)
    if store is None:
        return 1
    name = args.name or store.default
    if not name:
        print("rec-tui: there is no saved profile to log out of.", file=sys.stderr)
        return 1
    try:
        result = logout(name, store, force=args.force)
    except CredentialsError as exc:  # the keyring's messages never hold a secret
        print(f"rec-tui: {exc}\nThe profile {name!r} was kept. To remove it anyway (its secret may stay in "
              f"the keyring): rec-tui logout {name} --force", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"rec-tui: could not write {store.path}: {exc.strerror or type(exc).__name__}", file=sys.stderr)
        return 1
    print(result.message)
    return 0 if (result.secret_removed or result.profile_removed) else 1


def run_app(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    # Textual and the screens are imported later, while the first page is on its way (_load_ui).
    from rec_tui.ui.connection import StartTarget, connection_for_emulator

    start = StartTarget(recording=args.recording, call=args.call, conference=args.conference)
    display_tz = timezone.utc if args.utc else None
    store = start_profile = login_name = None
    if args.demo:
        if args.profile or args.command == "login":
            print("rec-tui: --demo opens the built-in emulator: no profile or login", file=sys.stderr)
            return EXIT_USAGE
        from rec_tui.emulator import Emulator

        emulator = Emulator(_emulator_config(args.seed, args.count, args.flavour))
        if args.chaos:  # about one request in ten goes wrong: see FaultConfig.chaos
            from rec_tui.emulator import FaultConfig

            emulator.faults = FaultConfig.chaos(args.seed or 0)
        emulator.__enter__()
        connection = connection_for_emulator(emulator, owns_emulator=True)
    else:
        if args.chaos:
            print("rec-tui: --chaos only applies with --demo", file=sys.stderr)
            return EXIT_USAGE
        if args.seed is not None or args.count is not None or args.flavour is not None:
            print("rec-tui: --seed, --count and --flavour only apply with --demo", file=sys.stderr)
            return EXIT_USAGE
        store = load_profiles(environ)
        if store is None:
            return EXIT_USAGE
        connection = None
        if args.command == "login":
            # The login form, whatever else is configured; --profile names the profile it saves.
            if args.profile:
                from rec_tui.config import make_profile, validate_profile

                named = make_profile(args.profile)  # trimmed, as the form trims it
                problem = validate_profile(named).get("name")
                if problem:
                    print(f"rec-tui: login --profile: {problem}", file=sys.stderr)
                    return EXIT_USAGE
                login_name = named.name
        elif args.profile:
            # Chosen by name, this wins over the environment (as twilio-cli's -p does).
            from rec_tui.config import ProfileNotFound

            try:
                start_profile = store.get(args.profile).name
            except ProfileNotFound as exc:
                print(f"rec-tui: {exc}", file=sys.stderr)
                return EXIT_USAGE
        else:
            from rec_tui.config import EnvProfileError, profile_from_env

            try:
                named_by_env = profile_from_env(environ) is not None
            except EnvProfileError:
                named_by_env = True  # connection_from_env says what is wrong
            if named_by_env:
                connection = connection_from_env(environ)
                if connection is None:
                    return EXIT_USAGE
            else:
                start_profile = store.default  # None: first run, the login form

    def open_app(ui, **run_options) -> int:
        app = ui.RecTuiApp(connection, display_tz=display_tz, start=start, profiles=store,
                           start_profile=start_profile)
        app.login_name = login_name
        if args.live_interval is not None:
            app.live_refresh_interval = args.live_interval
        app.run(**run_options)
        return app.return_code or 0

    try:
        if connection is None:  # the start screen or the login form: no list to ask for yet
            return open_app(importlib.import_module("rec_tui.ui.app"))
        # One loop for the first request and the app: the request's task and the client's
        # connections belong to it (the Runner cancels what is left and closes it at the end).
        with asyncio.Runner() as runner:
            ui = runner.run(_load_ui(connection, start))
            return open_app(ui, loop=runner.get_loop())
    finally:
        if connection is not None and connection.emulator is not None:  # the app did not get to close it
            from rec_tui.ui.connection import stop_emulator

            stop_emulator(connection.emulator)


async def _load_ui(connection, start):
    """``rec_tui.ui.app``, imported in a thread while the list's first page is being fetched.

    Textual and the screens take 100-250 ms to import; sent first, the request (a network round
    trip on a real account) is answered meanwhile, and the list shows it as soon as it is built.
    """
    connection.request_first_page(start.initial_filter())
    return await asyncio.to_thread(importlib.import_module, "rec_tui.ui.app")


def main(argv: Sequence[str] | None = None, environ: Mapping[str, str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "emulator":
        return run_emulator(args)
    environ = os.environ if environ is None else environ
    if args.command == "logout":
        return run_logout(args, environ)
    if args.live_interval is None and (environ.get(LIVE_INTERVAL_ENV) or "").strip():
        try:
            args.live_interval = _live_interval(environ[LIVE_INTERVAL_ENV].strip())
        except argparse.ArgumentTypeError as exc:
            parser.error(f"{LIVE_INTERVAL_ENV}: {exc}")  # exits with status 2, as a bad option does
    return run_app(args, environ)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
