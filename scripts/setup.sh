#!/usr/bin/env bash
# Installs everything Pinshift needs to build, run and test, idempotently and without prompts:
# Debian/Ubuntu system packages, the UI's npm packages, tauri-driver and cargo-nextest.
# Each step checks first, so a second run costs seconds.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# --- system packages (TOOLCHAIN.md) -------------------------------------------------------------
PACKAGES=(
  libwebkit2gtk-4.1-dev libgtk-3-dev librsvg2-dev libayatana-appindicator3-dev libxdo-dev libssl-dev
  pkg-config build-essential file xvfb xauth webkit2gtk-driver dbus dbus-x11 gnome-keyring keyutils
  libsecret-1-dev libdbus-1-dev chromium jq xdotool
)
# The boto3 tests need venv with pip; Debian's own python3 ships them separately.
if ! python3 -c "import ensurepip, venv" >/dev/null 2>&1; then
  PACKAGES+=(python3-venv)
fi
missing=()
for pkg in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing system packages: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# --- front-end packages ------------------------------------------------------------------------------
# `npm ci` only when the lock file changed since the last install.
stamp=ui/node_modules/.pinshift-lock.sha256
want=$(sha256sum ui/package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  say "installing npm packages (npm ci)"
  (cd ui && npm ci --no-audit --no-fund --loglevel=error)
  echo "$want" > "$stamp"
fi

# --- Rust tools ----------------------------------------------------------------------------------------
if ! command -v tauri-driver >/dev/null 2>&1; then
  say "installing tauri-driver"
  cargo install tauri-driver --version 2.1.0 --locked --quiet
fi
if ! cargo nextest --version >/dev/null 2>&1; then
  say "installing cargo-nextest"
  cargo install cargo-nextest --locked --quiet
fi
