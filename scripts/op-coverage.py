#!/usr/bin/env python3
"""Which target-service operations the sandbox implements, and which client drove each one successfully.

The sandbox appends (client, signing name, operation) for every new 2xx answer to PINSHIFT_SANDBOX_OP_LOG
(see crates/sandbox/src/coverage.rs); `make test` points the Rust and boto3 suites at one directory and
then runs this with --check, which fails when an implemented target operation was not driven by both the
Rust SDK and boto3 (issue #15's bar: every operation through its official Rust SDK crate and boto3).

    scripts/op-coverage.py DIR [--check] [--service NAME]
"""

import argparse
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SANDBOX = ROOT / "crates/sandbox"

# signing name -> (botocore model, sandbox source files that implement it, operations handled by a pattern
# rather than by name)
TARGETS = {
    "ses": ("sesv2-2019-09-27.json", ["services/sesv2"], [r"PutConfigurationSet\w+Options"]),
    "sms-voice": ("pinpoint-sms-voice-v2-2022-03-31.json", ["services/smsv2.rs"], []),
    "connect": ("connect-2017-08-08.json", ["services/connect.rs", "services/rest.rs"], []),
    "profile": ("customer-profiles-2020-08-15.json", ["services/profiles", "services/rest.rs"], []),
    "connect-campaigns": ("connectcampaignsv2-2024-04-23.json", ["services/campaigns.rs", "services/rest.rs"], [r"UpdateCampaign\w+"]),
    "wisdom": ("qconnect-2020-10-19.json", ["services/qconnect.rs", "services/rest.rs"], []),
    "sns": ("sns-2010-03-31.json", ["services/sns.rs"], []),
}
CLIENTS = ("rust", "boto3")


def implemented(model_file, sources, patterns):
    """Model operations named in the service's source (its handlers match on operation names)."""
    operations = set(json.loads((SANDBOX / "models" / model_file).read_text())["operations"])
    named = {op for op in operations for p in patterns if re.fullmatch(p, op)}
    for source in sources:
        path = SANDBOX / "src" / source
        for file in sorted(path.rglob("*.rs") if path.is_dir() else [path]):
            named.update(re.findall(r'"([A-Z][A-Za-z0-9]+)"', file.read_text()))
    return sorted(operations & named), len(operations)


def driven(log_dir):
    calls = defaultdict(set)  # (service, operation) -> clients
    for file in sorted(Path(log_dir).glob("ops-*.tsv")):
        for line in file.read_text().splitlines():
            parts = line.split("\t")
            if len(parts) == 3:
                client, service, operation = parts
                calls[(service, operation)].add(client)
    return calls


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("log_dir")
    parser.add_argument("--check", action="store_true", help="exit 1 when an operation lacks a client")
    parser.add_argument("--service", choices=sorted(TARGETS))
    parser.add_argument("--verbose", "-v", action="store_true", help="list every operation, not only the gaps")
    args = parser.parse_args()
    if not Path(args.log_dir).is_dir():
        sys.exit(f"error: {args.log_dir}: no operation log here (run the suites with PINSHIFT_SANDBOX_OP_LOG set)")
    calls = driven(args.log_dir)
    missing = 0
    print(f"{'service':<18} {'implemented':>11} {'of model':>8} {'rust':>5} {'boto3':>5} {'aws-cli':>7}")
    gaps = []
    for service, (model_file, sources, patterns) in TARGETS.items():
        if args.service and service != args.service:
            continue
        ops, total = implemented(model_file, sources, patterns)
        count = {c: sum(1 for op in ops if c in calls[(service, op)]) for c in CLIENTS + ("aws-cli",)}
        print(f"{service:<18} {len(ops):>11} {total:>8} {count['rust']:>5} {count['boto3']:>5} {count['aws-cli']:>7}")
        for op in ops:
            lacking = [c for c in CLIENTS if c not in calls[(service, op)]]
            if lacking or args.verbose:
                gaps.append(f"  {service}:{op}" + (f"  not driven by {', '.join(lacking)}" if lacking else "  ok"))
            missing += bool(lacking)
    if gaps:
        print("\n".join(gaps))
    if args.check and missing:
        print(f"error: {missing} implemented target operation(s) not driven successfully by both the Rust SDK "
              "and boto3; drive them in crates/sandbox/tests/sandbox/ and tests/boto3/", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
