#!/usr/bin/env bash
# The boto3 virtualenv (boto3, the AWS CLI, pytest, cfn-lint), kept outside the clone: created once,
# rebuilt when tests/boto3/requirements.txt changes. Prints its path.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${PINSHIFT_CACHE_DIR:-$HOME/.cache/pinshift}/venv-boto3"
want=$(sha256sum tests/boto3/requirements.txt | cut -d' ' -f1)
if [ ! -x "$VENV/bin/pytest" ] || [ "$(cat "$VENV/.requirements.sha256" 2>/dev/null)" != "$want" ]; then
  echo "==> creating the boto3 test environment in $VENV" >&2
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check -r tests/boto3/requirements.txt >&2
  echo "$want" > "$VENV/.requirements.sha256"
fi
echo "$VENV"
