#!/usr/bin/env bash
# Runs a command inside a private D-Bus session with a throwaway, unlocked gnome-keyring, so tests use a
# real Secret Service without touching the user's keychain. Usage: scripts/with-keychain.sh CMD ARGS...
set -euo pipefail
if [ "${PINSHIFT_IN_KEYCHAIN_SESSION:-}" != 1 ]; then
  export XDG_DATA_HOME XDG_RUNTIME_DIR
  XDG_DATA_HOME=$(mktemp -d)
  XDG_RUNTIME_DIR=$(mktemp -d)
  chmod 700 "$XDG_RUNTIME_DIR"
  trap 'rm -rf "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR"' EXIT
  PINSHIFT_IN_KEYCHAIN_SESSION=1 dbus-run-session -- "$0" "$@"
  exit $?
fi
echo -n pinshift-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null
export PINSHIFT_TEST_KEYCHAIN=1
exec "$@"
