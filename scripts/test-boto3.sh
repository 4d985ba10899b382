#!/usr/bin/env bash
# The sandbox's independent second client: boto3 in a virtualenv kept outside the clone (created once,
# rebuilt when tests/boto3/requirements.txt changes), against the sandbox binary.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${CARGO_TARGET_DIR:=$PWD/target}"
VENV="${PINSHIFT_CACHE_DIR:-$HOME/.cache/pinshift}/venv-boto3"
want=$(sha256sum tests/boto3/requirements.txt | cut -d' ' -f1)
if [ ! -x "$VENV/bin/pytest" ] || [ "$(cat "$VENV/.requirements.sha256" 2>/dev/null)" != "$want" ]; then
  echo "==> creating the boto3 test environment in $VENV" >&2
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check -r tests/boto3/requirements.txt
  echo "$want" > "$VENV/.requirements.sha256"
fi
cargo build --quiet -p pinshift-sandbox --bin pinshift-sandbox -p pinshift-cli --bin pinshift
PINSHIFT_SANDBOX_BIN="$CARGO_TARGET_DIR/debug/pinshift-sandbox" PINSHIFT_BIN="$CARGO_TARGET_DIR/debug/pinshift" "$VENV/bin/pytest" -q -p no:cacheprovider tests/boto3 "$@"
