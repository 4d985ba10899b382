"""The plain transform the audience benchmark compares with: what a migration script usually does — load
every endpoint, group by UserId in a dict, write one CSV row per user. Prints its peak RSS in MB.

usage: audience_plain.py EXPORT_DIR OUT.csv
"""

import csv
import gzip
import json
import os
import resource
import sys


def main(export, out):
    users = {}
    for name in sorted(os.listdir(export)):
        with gzip.open(os.path.join(export, name), "rt") as f:
            for line in f:
                endpoint = json.loads(line)
                user = endpoint.get("User", {}).get("UserId") or endpoint["Id"]
                users.setdefault(user, []).append(endpoint)
    with open(out, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["UserId", "EmailAddress", "PhoneNumber", "City", "FirstName", "tier"])
        for user, endpoints in users.items():
            email = next((e["Address"] for e in endpoints if e["ChannelType"] == "EMAIL"), "")
            phone = next((e["Address"] for e in endpoints if e["ChannelType"] == "SMS"), "")
            first = endpoints[0]
            attrs = first.get("User", {}).get("UserAttributes", {})
            w.writerow([user, email, phone, first.get("Location", {}).get("City", ""),
                        ",".join(attrs.get("FirstName", [])), ",".join(attrs.get("tier", []))])
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
