#!/bin/sh
# Runs a command where the OS keychain is reachable. On Linux without a desktop session (CI, servers) it
# starts a private D-Bus session with an unlocked gnome-keyring (Secret Service), as keytar needs;
# on macOS/Windows, or inside a running desktop session, it runs the command as it is.
set -e
if [ "$(uname -s)" = "Linux" ] && [ -z "${CO_KEYRING_READY:-}" ] && command -v dbus-run-session >/dev/null 2>&1 && command -v gnome-keyring-daemon >/dev/null 2>&1; then
  exec dbus-run-session -- sh -c '
    eval "$(echo co-test-keyring | gnome-keyring-daemon --unlock --replace --components=secrets 2>/dev/null | sed "s/^/export /")"
    CO_KEYRING_READY=1 exec "$@"' sh "$@"
fi
exec "$@"
