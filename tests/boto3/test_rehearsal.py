"""A rehearsal through the binaries a consultant runs: `pinshift scan` of the demo, then
`pinshift-sandbox serve --from-engagement` serving what the scan read, read back with boto3."""

import json
import os
import subprocess
import time

from conftest import SANDBOX, make_client
from test_dump import REGION, pinshift


def test_the_sandbox_serves_a_scanned_engagement(demo, recorder, tmp_path):
    northwind = next(a for a in demo["accounts"] if a["name"] == "northwind")
    (tmp_path / "credentials").write_text(f"[nw]\naws_access_key_id = {northwind['access_key_id']}\naws_secret_access_key = {northwind['secret_access_key']}\n")
    (tmp_path / "config").write_text("[profile nw]\nregion = us-east-1\n")
    env = {**os.environ, "AWS_ENDPOINT_URL": demo["endpoint"], "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "credentials"),
           "AWS_CONFIG_FILE": str(tmp_path / "config")}
    assert pinshift(tmp_path, "init", str(tmp_path / "e.pinshift"), env=env).returncode == 0
    assert pinshift(tmp_path, "connection", "add", "nw", "--profile", "nw", env=env).returncode == 0
    scan = pinshift(tmp_path, "--json", "scan", "--region", REGION, env=env)
    assert scan.returncode == 0, scan.stderr

    ready = tmp_path / "ready.json"
    process = subprocess.Popen([SANDBOX, "serve", "--from-engagement", str(tmp_path / "e.pinshift"), "--ready-file", str(ready),
                                "--write-estate", str(tmp_path / "estate.json")], stderr=open(tmp_path / "sandbox.log", "w"))
    try:
        deadline = time.time() + 30
        while not ready.exists():
            assert process.poll() is None and time.time() < deadline, (tmp_path / "sandbox.log").read_text()
            time.sleep(0.05)
        info = json.loads(ready.read_text())
        account = next(a for a in info["accounts"] if a["account_id"] == "444444444444")
        rehearsal = make_client(info["endpoint"], recorder, "pinpoint", aws_access_key_id=account["access_key_id"],
                                aws_secret_access_key=account["secret_access_key"])
        original = make_client(demo["endpoint"], recorder, "pinpoint", aws_access_key_id=northwind["access_key_id"],
                               aws_secret_access_key=northwind["secret_access_key"])
        names = lambda c: sorted(a["Name"] for a in c.get_apps()["ApplicationsResponse"]["Item"])
        assert names(rehearsal) == names(original)
        assert json.loads((tmp_path / "estate.json").read_text())["lenient"] is True
    finally:
        process.terminate()
        process.wait(timeout=10)

    refused = subprocess.run([SANDBOX, "serve", "--from-engagement", str(tmp_path / "missing.pinshift")], capture_output=True, text=True)
    assert refused.returncode != 0 and "missing.pinshift" in refused.stderr
