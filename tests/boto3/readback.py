"""A migration read back through boto3, the independent second client, from what `pinshift migrate verify
--json` lists: every applied resource of a tagged kind carries Pinshift's engagement tag, and every
association is held by what it associates — the tenant holds its identities, configuration set and
templates, the pool its numbers and sender IDs, the instance its message-template knowledge base — and
every loaded audience is there: the domain's profile count, the opt-out list's numbers and the tenant's
suppressed addresses at least what the load wrote.

Used by tests/boto3/test_migration.py and by `make demo`:

    python tests/boto3/readback.py SANDBOX_READY_JSON VERIFICATION_JSON...

prints a line per client and exits 1 when something is not as the verification says.
"""

import json
import sys

import boto3

# How each tagged kind's tags are read: (boto3 service, ARN member, tags member) → the kinds.
READERS = {
    ("sesv2", "ResourceArn", "Tags"): ("ses-identity", "ses-configuration-set", "ses-tenant"),
    ("pinpoint-sms-voice-v2", "ResourceArn", "Tags"): ("sms-pool", "sms-configuration-set", "sms-opt-out-list"),
    ("sns", "ResourceArn", "Tags"): ("sns-topic",),
    ("connect", "resourceArn", "tags"): ("connect-instance", "campaign-flow"),
    ("qconnect", "resourceArn", "tags"): ("knowledge-base", "message-template"),
    ("customer-profiles", "resourceArn", "tags"): ("profiles-domain",),
    ("connectcampaignsv2", "arn", "tags"): ("campaign",),
}
TAGS = {kind: reader for reader, kinds in READERS.items() for kind in kinds}
APPLIED = ("matches", "differs")


def as_map(tags):
    return {t["Key"]: t["Value"] for t in tags} if isinstance(tags, list) else dict(tags)


def place(arn):
    """(account, Region) of an ARN."""
    parts = arn.split(":")
    return parts[4], parts[3]


def read_back(verification, client):
    """`client(service, account, Region)` makes a boto3 client. Returns ({client: (applied, tagged,
    associated)}, [problems])."""
    problems, rows = [], {}
    for checked in verification["clients"]:
        name = checked["client"]
        applied = [r for r in checked["resources"] if r["check"] in APPLIED]
        by = {(r["kind"], r["name"]): r for r in checked["resources"]}
        tagged = associated = 0
        for r in applied:
            if r["kind"] not in TAGS or not r.get("arn"):
                continue
            service, member, field = TAGS[r["kind"]]
            tags = as_map(getattr(client(service, *place(r["arn"])), "list_tags_for_resource")(**{member: r["arn"]})[field])
            if tags.get("pinshift:engagement"):
                tagged += 1
            else:
                problems.append(f"{name}: {r['kind']} {r['name']} has no pinshift:engagement tag ({tags})")
        for r in applied:
            held = None
            if r["kind"] == "ses-tenant-association":
                tenant, kind, what = r["name"].split("/", 2)
                target, owner = by.get((kind, what)), by.get(("ses-tenant", tenant))
                if target and owner and target.get("arn") and owner.get("arn"):
                    ses = client("sesv2", *place(owner["arn"]))
                    pages = ses.get_paginator("list_tenant_resources").paginate(TenantName=tenant)
                    held = target["arn"] in [x["ResourceArn"] for p in pages for x in p["TenantResources"]]
            elif r["kind"] == "sms-pool-identity":
                pool_name, identity = r["name"].split("/", 1)
                pool = by.get(("sms-pool", pool_name))
                if pool and pool.get("arn"):
                    sms = client("pinpoint-sms-voice-v2", *place(pool["arn"]))
                    pages = sms.get_paginator("list_pool_origination_identities").paginate(PoolId=pool["arn"].split("/")[-1])
                    held = identity in [x["OriginationIdentityArn"] for p in pages for x in p["OriginationIdentities"]]
            elif r["kind"] == "connect-integration":
                instance = by.get(("connect-instance", r["name"].split("/", 1)[0]))
                if instance and instance.get("arn"):
                    connect = client("connect", *place(instance["arn"]))
                    listed = connect.list_integration_associations(InstanceId=instance["arn"].split("/")[-1])
                    held = any(a["IntegrationType"] == "Q_MESSAGE_TEMPLATES" for a in listed["IntegrationAssociationSummaryList"])
            if held is True:
                associated += 1
            elif held is False:
                problems.append(f"{name}: {r['kind']} {r['name']} is not held by what it associates")
        audience = read_audience(checked, client, problems)
        rows[name] = (len(applied), tagged, associated, audience)
    return rows, problems


def read_audience(checked, client, problems):
    """The client's loaded audience read back: 'P/N/S' (profiles, opted-out numbers, suppressed addresses
    held) or '-' when none was loaded."""
    a, name = checked.get("audience"), checked["client"]
    if not a or a["state"] not in ("loaded", "lost") or not a.get("target"):
        return "-"
    t = a["target"]
    account, region = t["account_id"], t["region"]
    held = {}
    if t.get("domain"):
        stats = client("customer-profiles", account, region).get_domain(DomainName=t["domain"]).get("Stats", {})
        held["profiles"] = stats.get("ProfileCount", 0)
    if t.get("opt_out_list"):
        sms = client("pinpoint-sms-voice-v2", account, region)
        pages = sms.get_paginator("describe_opted_out_numbers").paginate(OptOutListName=t["opt_out_list"])
        held["opted_out"] = sum(len(p["OptedOutNumbers"]) for p in pages)
    if t.get("tenant"):
        ses = client("sesv2", account, region)
        n, token = 0, None
        while True:
            page = ses.list_suppressed_destinations(TenantName=t["tenant"], PageSize=1000, **({"NextToken": token} if token else {}))
            n += len(page["SuppressedDestinationSummaries"])
            token = page.get("NextToken")
            if not token:
                break
        held["suppressed"] = n
    for what, written in (("profiles", a["profiles_written"]), ("opted_out", a["opted_out_written"]),
                          ("suppressed", a["suppressed_written"])):
        if written and held.get(what, 0) < written:
            problems.append(f"{name}: {what}: {written} written, {held.get(what, 0)} held")
    return "/".join(str(held.get(k, "-")) for k in ("profiles", "opted_out", "suppressed"))


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    ready = json.load(open(argv[1]))
    keys = {a["account_id"]: a for a in ready["accounts"]}

    def client(service, account, region):
        a = keys[account]
        return boto3.client(service, endpoint_url=ready["endpoint"], region_name=region,
                            aws_access_key_id=a["access_key_id"], aws_secret_access_key=a["secret_access_key"])

    problems, total = [], 0
    print(f"{'CLIENT':<22} {'APPLIED':>7} {'TAGGED':>7} {'ASSOCIATIONS HELD':>18}  AUDIENCE HELD (PROFILES/OPT-OUTS/SUPPRESSED)")
    for path in argv[2:]:
        rows, found = read_back(json.load(open(path)), client)
        problems += found
        for name, (applied, tagged, associated, audience) in sorted(rows.items()):
            total += applied
            print(f"{name:<22} {applied:>7} {tagged:>7} {associated:>18}  {audience}")
    for p in problems:
        print("problem:", p, file=sys.stderr)
    print(f"boto3 read back {total} applied resources: {'all as verified' if not problems else f'{len(problems)} problems'}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
