#!/usr/bin/env bash
# The sandbox's independent second client: boto3 in a virtualenv kept outside the clone
# (scripts/boto3-venv.sh), against the sandbox binary.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${CARGO_TARGET_DIR:=$PWD/target}"
VENV=$(scripts/boto3-venv.sh)
cargo build --quiet -p pinshift-sandbox --bin pinshift-sandbox -p pinshift-cli --bin pinshift
PINSHIFT_SANDBOX_BIN="$CARGO_TARGET_DIR/debug/pinshift-sandbox" PINSHIFT_BIN="$CARGO_TARGET_DIR/debug/pinshift" "$VENV/bin/pytest" -q -p no:cacheprovider tests/boto3 "$@"
