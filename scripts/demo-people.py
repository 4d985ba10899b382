#!/usr/bin/env python3
"""`make demo`'s people: what an operator does by hand when a migration run stops at a gate, played
against the sandbox through boto3, then confirmed with `pinshift migrate gate`.

- a Connect email address: the domain set up for the instance (the admin website records an SES_IDENTITY
  integration);
- a pool member still in another pool: the number taken out of that pool (DisassociateOriginationIdentity);
- the object types Outbound Campaigns records its events under, created in the profiles domain as the admin
  website does when it integrates the domain;
- the profiles domain ↔ instance association: checked on the admin website, then confirmed (the run makes
  the association).

Gates that need something only a customer can provide (a phone number to order or import, push
credentials, a Lambda function) are left open and listed.

    demo-people.py SANDBOX_READY_JSON PINSHIFT_BIN WAVE CONNECTION
"""

import json
import re
import subprocess
import sys

import boto3

PERSON = "Demo operator"


def main(ready_path, pinshift, wave, connection):
    ready = json.load(open(ready_path))
    keys = {a["account_id"]: a for a in ready["accounts"]}

    def client(service, account, region):
        a = keys[account]
        return boto3.client(service, endpoint_url=ready["endpoint"], region_name=region,
                            aws_access_key_id=a["access_key_id"], aws_secret_access_key=a["secret_access_key"])

    plan = json.loads(subprocess.run([pinshift, "--json", "migrate", "plan", "--wave", wave, "--connection", connection],
                                     check=True, capture_output=True, text=True).stdout)
    by_id = {s["id"]: s for s in plan["steps"]}
    left = []
    for step in plan["steps"]:
        if step["action"] != "gate":
            continue
        account, region = step["id"].split("/")[:2]
        instructions = step["instructions"]
        did = None
        if step["kind"] == "email-address":
            instance = next((by_id[d] for d in step["depends_on"] if by_id.get(d, {}).get("kind") == "connect-instance"), None)
            if instance and instance.get("arn"):
                domain = step["name"].split("@", 1)[1]
                client("connect", account, region).create_integration_association(
                    InstanceId=instance["arn"].split("/")[-1], IntegrationType="SES_IDENTITY",
                    IntegrationArn=f"arn:aws:ses:{region}:{account}:identity/{domain}")
                did = f"set {domain} up for instance {instance['name']}"
        elif step["kind"] == "sms-pool-identity":
            moved = re.search(r"is in pool (\S+) today", instructions)
            if moved:
                identity = step["name"].split("/", 1)[1]
                sms = client("pinpoint-sms-voice-v2", account, region)
                number = sms.describe_phone_numbers(PhoneNumberIds=[identity])["PhoneNumbers"][0]
                sms.disassociate_origination_identity(PoolId=moved.group(1), OriginationIdentity=identity,
                                                      IsoCountryCode=number["IsoCountryCode"])
                did = f"took {number['PhoneNumber']} out of pool {moved.group(1)}"
        elif step["kind"] == "campaigns-integration":
            # The admin website creates the object types Outbound Campaigns records its events under.
            domain = next((by_id[d] for d in step["depends_on"] if by_id.get(d, {}).get("kind") == "profiles-domain"), None)
            if domain and domain["action"] in ("done", "adopt"):
                profiles = client("customer-profiles", account, region)
                for name in ("Campaign-Email", "Campaign-SMS", "Campaign-Telephony", "Campaign-Orchestration"):
                    profiles.put_profile_object_type(
                        DomainName=domain["name"], ObjectTypeName=name, Description=f"Outbound Campaigns {name} events",
                        Fields={"eventId": {"Source": "_source.eventId", "Target": f"{name}.eventId", "ContentType": "STRING"}},
                        Keys={"eventId": [{"StandardIdentifiers": ["UNIQUE"], "FieldNames": ["eventId"]}]})
                did = f"integrated {domain['name']} on the Connect admin website (its Campaign-* object types)"
        elif step["kind"] == "profiles-integration":
            did = "checked the association on the Connect admin website"
        if did is None:
            # What the gate is about may not exist yet (a later pass gets to it), or only the customer has it.
            handled = step["kind"] in ("email-address", "sms-pool-identity", "campaigns-integration")
            left.append(("not yet: " if handled else "the customer provides it: ") + f"{step['id']}: {instructions}")
            continue
        subprocess.run([pinshift, "migrate", "gate", step["id"], "--by", PERSON], check=True)
        print(f"==> {PERSON} {did}", file=sys.stderr)
    for gate in left:
        print(f"    left open, {gate}", file=sys.stderr)


if __name__ == "__main__":
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    main(*sys.argv[1:])
