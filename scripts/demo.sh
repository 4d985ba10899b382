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
# The sandbox has no quotas: audiences load at 50 times AWS's default rates (as for an account whose
# quotas AWS raised). Unset, a load paces itself at the published rates.
export PINSHIFT_TARGET_RATE_SCALE="${PINSHIFT_TARGET_RATE_SCALE:-50}"
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

# The pipeline after the connections: scan, assess, blueprint, sign-off, the pilot wave planned, applied
# and verified against the sandbox, the journal checked, a report written. Idempotent: a second `make demo`
# finds the run applied and verifies again.
# One wave in the account one connection reaches: plan, the quota gates confirmed, apply (AWS's minutes of
# bringing up instances played by moving the sandbox clock), verify.
migrate_wave() {
  local wave=$1 connection=$2
  say "the plan of $wave in the account of connection $connection (nothing is written yet)"
  run "$BIN/pinshift" migrate plan --wave "$wave" --connection "$connection"
  for step in $("$BIN/pinshift" --json migrate plan --wave "$wave" --connection "$connection" | python3 -c '
import json, sys
print(" ".join(s["id"] for s in json.load(sys.stdin)["steps"]
               if s["kind"] == "connect-instance" and s["action"] == "gate"))'); do
    run "$BIN/pinshift" migrate gate "$step" --by "Demo operator"
  done
  say "applying $wave (journaled; Ctrl-C stops between steps, migrate resume goes on)"
  for pass in 1 2 3 4; do
    run "$BIN/pinshift" migrate apply --wave "$wave" --connection "$connection" --yes --wait 0 || true
    # AWS takes minutes to bring up an instance and onboard it: the sandbox's clock moves on instead.
    control POST clock/advance '{"seconds": 120}' >/dev/null
    if [ "$pass" = 1 ]; then play_outside_parties "$wave" "$connection"; fi
    # The operator does what the gates ask (scripts/demo-people.py) once what they need exists.
    if [ "$pass" = 2 ]; then
      say "the operator does what the gates ask, and confirms each"
      "$(scripts/boto3-venv.sh)/bin/python" scripts/demo-people.py "$DEMO/sandbox.json" "$BIN/pinshift" "$wave" "$connection"
    fi
  done
  say "verifying $wave: read back, templates rendered by SES and Q in Connect, segments sized"
  run "$BIN/pinshift" migrate verify --wave "$wave" --connection "$connection" || true
}

# What the first pass waits for that people outside do: the customer's DNS admin publishes the records
# the plan printed (the sandbox verifies the domain), the carrier approves a registration (the sandbox
# activates the number). A real run reads the same statuses live; `migrate apply --poll 60` goes on alone.
play_outside_parties() {
  local wave=$1 connection=$2
  "$BIN/pinshift" --json migrate plan --wave "$wave" --connection "$connection" | python3 -c '
import json, re, sys
for s in json.load(sys.stdin)["steps"]:
    account, region = s["id"].split("/")[:2]
    if s.get("waiting", {}).get("records"):
        print("ses/%s/%s/identities/%s/verify" % (account, region, s["name"]))
    m = re.search(r"phone number (\+[0-9]+) is", s.get("on", ""))
    if s["action"] == "waiting" and m:
        print("sms/%s/%s/phone-numbers/%s/activate" % (account, region, m.group(1)))' | sort -u | while read -r route; do
    say "outside Pinshift: ${route} (DNS records published, or a registration approved)"
    control POST "$route" >/dev/null
  done
}

control() { curl -fsS -X "$1" "$ENDPOINT/_sandbox/$2" -H 'content-type: application/json' ${3:+-d "$3"}; }
demo_migration() {
  say "scanning the estate (read-only), exporting each project's endpoints to the BPO's bucket, proposing the blueprint"
  # exit 3: complete, with gaps (resources a role may not read; projects whose export could not be written
  # to this bucket: eu-west-1's and the client account's, which a second scan could export to their own)
  run "$BIN/pinshift" scan --audience-bucket northwind-pinshift-exports \
    --audience-role arn:aws:iam::444444444444:role/PinpointExport || [ $? -eq 3 ]
  if ! "$BIN/pinshift" --json blueprint versions | python3 -c 'import json, sys; sys.exit(not json.load(sys.stdin)["versions"])'; then
    run "$BIN/pinshift" blueprint save --by "Demo reviewer"
  fi
  say "the waves: a pilot of clients first"
  run "$BIN/pinshift" migrate waves --accept
  PILOT=$("$BIN/pinshift" --json migrate waves | python3 -c '
import json, sys
print(" ".join(next(w for w in json.load(sys.stdin)["waves"]["waves"] if w["pilot"])["clients"]))')
  for client in $PILOT; do
    run "$BIN/pinshift" blueprint sign-off "$client" --by "Demo reviewer"
  done
  say "a person has the Connect instance quota of account 444444444444 raised (the sandbox plays AWS granting it)"
  control PUT connect/444444444444/us-east-1/instance-quota '{"value": 10}'
  migrate_wave pilot northwind
  say "the pilot holds: wave 2, across both accounts"
  for client in $("$BIN/pinshift" --json migrate waves | python3 -c '
import json, sys
print(" ".join(next(w for w in json.load(sys.stdin)["waves"]["waves"] if w["name"] == "wave-2")["clients"]))'); do
    run "$BIN/pinshift" blueprint sign-off "$client" --by "Demo reviewer"
  done
  migrate_wave wave-2 northwind
  migrate_wave wave-2 meridian
  run "$BIN/pinshift" migrate waves
  say "each applied client's audience (loaded by apply from the scan's export) against what the target holds now"
  run "$BIN/pinshift" audience reconcile --connection northwind || true
  say "read back from outside: boto3 (an independent client) checks every applied resource's tags and associations"
  for connection in northwind meridian; do
    "$BIN/pinshift" --json migrate verify --connection "$connection" > "$DEMO/verify-$connection.json" 2>/dev/null || true
  done
  run "$(scripts/boto3-venv.sh)/bin/python" tests/boto3/readback.py "$DEMO/sandbox.json" \
    "$DEMO/verify-northwind.json" "$DEMO/verify-meridian.json"
  run "$BIN/pinshift" journal verify
  run "$BIN/pinshift" report --format html --out "$DEMO/report.html" --force
}

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
  demo_migration
  say "done: the engagement file is $PINSHIFT_ENGAGEMENT; the report is $DEMO/report.html"
fi
