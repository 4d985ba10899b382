#!/usr/bin/env bash
# The main job on the embedded default: a local sandbox serving the demo estate (a BPO with twelve clients)
# in place of AWS, an engagement file with connections (the consultant's AWS profile and the scan roles
# assumed from it in the BPO's and one client's accounts), then the desktop app on it — or, with no
# display, the same walk-through in the CLI.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${CARGO_TARGET_DIR:=$PWD/target}"
BIN="$CARGO_TARGET_DIR/debug"
DEMO="$PWD/demo"
mkdir -p "$DEMO/aws"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ "${PINSHIFT_DEMO_CLI:-}" != 1 ]; then MODE=desktop; else MODE=cli; fi

say "building"
cargo build --quiet -p pinshift-cli -p pinshift-sandbox
if [ "$MODE" = desktop ]; then
  (cd ui && npx vite build --logLevel warn)
  cargo build --quiet -p pinshift-desktop --features custom-protocol
fi

say "starting the sandbox (a local twin of AWS: no AWS account needed)"
rm -f "$DEMO/sandbox.json"
"$BIN/pinshift-sandbox" serve --estate demo --ready-file "$DEMO/sandbox.json" 2>"$DEMO/sandbox.log" &
SANDBOX=$!
trap 'kill $SANDBOX 2>/dev/null || true' EXIT
for _ in $(seq 100); do [ -f "$DEMO/sandbox.json" ] && break; sleep 0.1; done
[ -f "$DEMO/sandbox.json" ] || { echo "error: the sandbox did not start; see $DEMO/sandbox.log" >&2; exit 1; }

# The standard AWS environment points every SDK call at the sandbox; Pinshift needs nothing else.
read -r ENDPOINT KEY SECRET < <(python3 -c '
import json, sys
ready = json.load(open(sys.argv[1]))
hub = next(a for a in ready["accounts"] if a["name"] == "hub")
print(ready["endpoint"], hub["access_key_id"], hub["secret_access_key"])' "$DEMO/sandbox.json")
printf '[profile sandbox-hub]\nregion = us-east-1\n' > "$DEMO/aws/config"
printf '[sandbox-hub]\naws_access_key_id = %s\naws_secret_access_key = %s\n' "$KEY" "$SECRET" > "$DEMO/aws/credentials"
export AWS_CONFIG_FILE="$DEMO/aws/config" AWS_SHARED_CREDENTIALS_FILE="$DEMO/aws/credentials"
export AWS_ENDPOINT_URL="$ENDPOINT" AWS_REGION=us-east-1
unset AWS_PROFILE AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN

export PINSHIFT_ENGAGEMENT="$DEMO/demo.pinshift"
run() { printf '\n\033[2m$ %s\033[0m\n' "$*" >&2; "$@"; }
if [ ! -f "$PINSHIFT_ENGAGEMENT" ]; then
  say "creating the demo engagement"
  run "$BIN/pinshift" init "$PINSHIFT_ENGAGEMENT" --name "Demo engagement"
  run "$BIN/pinshift" connection add hub --profile sandbox-hub --region us-east-1
  run "$BIN/pinshift" connection add northwind --source hub \
    --role-arn arn:aws:iam::444444444444:role/PinshiftScan --external-id pinshift-demo
  run "$BIN/pinshift" connection add meridian --source hub \
    --role-arn arn:aws:iam::555555555555:role/PinshiftScan --external-id pinshift-demo
fi

if [ "$MODE" = desktop ]; then
  say "opening the desktop app on $PINSHIFT_ENGAGEMENT (close the window to stop the demo)"
  "$BIN/pinshift-desktop" "$PINSHIFT_ENGAGEMENT"
else
  say "no display: the CLI walk-through (run with a display for the desktop app)"
  run "$BIN/pinshift" info
  run "$BIN/pinshift" connection list
  run "$BIN/pinshift" connection test hub
  run "$BIN/pinshift" connection test northwind
  run "$BIN/pinshift" connection test meridian
  say "done: the engagement file is $PINSHIFT_ENGAGEMENT"
fi
