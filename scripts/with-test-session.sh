#!/usr/bin/env bash
# Run a command inside a private D-Bus session with a throw-away, unlocked gnome-keyring Secret
# Service, so the keyring tests use a real backend and never touch your own keyring:
#
#   scripts/with-test-session.sh .venv/bin/python -m pytest [ARGS...]
#
# Inside the session HOME, XDG_CONFIG_HOME, XDG_DATA_HOME (where gnome-keyring keeps its
# keyrings), XDG_CACHE_HOME, XDG_RUNTIME_DIR and REC_TUI_CONFIG_DIR point into a temporary
# directory that is removed afterwards, and REC_TUI_TEST_KEYRING=1 tells the keyring tests that
# the Secret Service they see is this throw-away one (they skip without it).
#
# Without dbus-run-session or gnome-keyring-daemon (apt install dbus gnome-keyring), or if the
# daemon does not come up, the command still runs, with REC_TUI_NO_TEST_KEYRING set to the reason:
# the keyring tests then skip and show it. The command's exit status is the script's.
set -euo pipefail

if [ "$#" -eq 0 ]; then
    echo "usage: $0 COMMAND [ARGS...]   e.g. $0 .venv/bin/python -m pytest" >&2
    exit 2
fi

# ---- Inside the private session (started by the code at the bottom through dbus-run-session).
if [ "$1" = "--inside-session" ]; then
    shift
    dir=$REC_TUI_TEST_SESSION_DIR
    unset REC_TUI_TEST_SESSION_DIR
    : >"$dir/started"
    # The session's own stderr (dbus-daemon, gnome-keyring, its prompter) goes to a log; the
    # command gets the caller's stderr back from fd 3.
    exec 2>&3 3>&-
    # The throw-away keyring's password: random, never used again.
    password=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')
    printf '%s' "$password" | gnome-keyring-daemon --foreground --unlock --components=secrets \
        >"$dir/gnome-keyring.out" 2>"$dir/gnome-keyring.log" &
    daemon=$!
    unset password
    ready=""
    for _ in $(seq 100); do  # up to ~10 s for org.freedesktop.secrets to appear on the bus
        if ! kill -0 "$daemon" 2>/dev/null; then
            break
        fi
        if command -v dbus-send >/dev/null; then
            if dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
                org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null \
                | grep -q "boolean true"; then
                ready=1
                break
            fi
        elif [ -S "$XDG_RUNTIME_DIR/keyring/control" ]; then
            ready=1
            break
        fi
        sleep 0.1
    done
    if [ -n "$ready" ]; then
        export REC_TUI_TEST_KEYRING=1
        unset REC_TUI_NO_TEST_KEYRING
    else
        reason=$(grep -v "fd limit" "$dir/gnome-keyring.log" 2>/dev/null | tail -n 1 || true)
        export REC_TUI_NO_TEST_KEYRING="gnome-keyring-daemon did not provide a Secret Service${reason:+: $reason}"
        echo "with-test-session: $REC_TUI_NO_TEST_KEYRING; keyring tests will be skipped" >&2
    fi
    status=0
    "$@" || status=$?
    if kill -0 "$daemon" 2>/dev/null; then
        kill "$daemon" 2>/dev/null || true
    fi
    wait "$daemon" 2>/dev/null || true
    exit "$status"
fi

# ---- Outside: check the tools, make the temporary home, start the session.
missing=()
command -v dbus-run-session >/dev/null || missing+=("dbus-run-session (package dbus)")
command -v gnome-keyring-daemon >/dev/null || missing+=("gnome-keyring-daemon (package gnome-keyring)")
if ((${#missing[@]})); then
    printf -v list '%s, ' "${missing[@]}"
    export REC_TUI_NO_TEST_KEYRING="no private Secret Service: missing ${list%, }"
    unset REC_TUI_TEST_KEYRING
    echo "with-test-session: $REC_TUI_NO_TEST_KEYRING; running without it, keyring tests will be skipped" >&2
    exec "$@"
fi

self="$(cd "$(dirname "$0")" && pwd)/$(basename "$0")"
dir=$(mktemp -d "${TMPDIR:-/tmp}/rec-tui-test-session.XXXXXXXX")
trap 'rm -rf "$dir"' EXIT
mkdir -p -m 700 "$dir/home" "$dir/config" "$dir/data" "$dir/cache" "$dir/runtime" "$dir/config/rec-tui"

# Nothing may reach the real session: not its bus, not its keyring daemon's control socket
# (gnome-keyring-daemon --unlock would otherwise talk to the running one), not its home.
unset DBUS_SESSION_BUS_ADDRESS GNOME_KEYRING_CONTROL REC_TUI_TEST_KEYRING PYTHON_KEYRING_BACKEND
export REC_TUI_TEST_SESSION_DIR="$dir"
export HOME="$dir/home"
export XDG_CONFIG_HOME="$dir/config" XDG_DATA_HOME="$dir/data" XDG_CACHE_HOME="$dir/cache"
export XDG_RUNTIME_DIR="$dir/runtime"
export REC_TUI_CONFIG_DIR="$dir/config/rec-tui"

# The session's chatter (e.g. "Failed to set fd limit", or gnome-keyring failing to show an unlock
# prompt without a display) goes to $dir/session.log, shown only if the session did not start.
status=0
dbus-run-session -- "$self" --inside-session "$@" 3>&2 2>"$dir/session.log" || status=$?
if [ ! -e "$dir/started" ]; then
    echo "with-test-session: the private D-Bus session did not start:" >&2
    cat "$dir/session.log" >&2
fi
exit "$status"
