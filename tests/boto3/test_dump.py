"""An offline dump written the way `pinshift dump-commands` writes it (AWS CLI output is botocore's parsed
response as JSON, so boto3 writes the same files), scanned with `pinshift scan --from-dump`, gives the
same estate as a live scan of the same account and Region."""

import collections
import datetime
import json
import os
import subprocess
import sys
import time
from pathlib import Path

PINSHIFT = os.environ.get("PINSHIFT_BIN", "pinshift")
ACCOUNT, REGION = "444444444444", "us-east-1"


def kpi_names():
    """The KPIs a scan reads, from the script `pinshift dump-commands` prints."""
    script = subprocess.run([PINSHIFT, "dump-commands"], capture_output=True, text=True, check=True).stdout
    line = next(l for l in script.splitlines() if l.startswith("KPIS="))
    return line.split("=", 1)[1].strip('"').split()


def kpi_windows():
    """The 90 days before now in windows of at most 31 whole UTC days, as a scan reads them."""
    day, now = 86400, int(time.time())
    windows, start = [], now - now % day - 90 * day
    while start < now:
        to = min(start + 31 * day, now)
        windows.append((start, to - 1 if to < now else to))
        start = to
    at = lambda t: datetime.datetime.fromtimestamp(t, datetime.timezone.utc)
    return [(at(a), at(b)) for a, b in windows]


def cli_json(response):
    response = dict(response)
    response.pop("ResponseMetadata", None)
    return json.dumps(response, default=str)


def write_dump(root, pp, sms, ses):
    d = Path(root) / ACCOUNT / REGION
    (d / "apps").mkdir(parents=True)
    put = lambda rel, response: (d / rel).parent.mkdir(parents=True, exist_ok=True) or (d / rel).write_text(cli_json(response))
    apps = pp.get_apps(PageSize="1000")
    put("get-apps.json", apps)
    templates = pp.list_templates(PageSize="1000")
    put("list-templates.json", templates)
    getters = {"EMAIL": pp.get_email_template, "SMS": pp.get_sms_template, "PUSH": pp.get_push_template,
               "VOICE": pp.get_voice_template, "INAPP": pp.get_in_app_template}
    for t in templates["TemplatesResponse"]["Item"]:
        kind, name = t["TemplateType"], t["TemplateName"]
        put(f"templates/{kind}/{name}.json", getters[kind](TemplateName=name))
        versions = pp.list_template_versions(TemplateName=name, TemplateType=kind.lower())
        put(f"templates/{kind}/{name}/versions.json", versions)
        for v in versions["TemplateVersionsResponse"]["Item"]:
            put(f"templates/{kind}/{name}/{v['Version']}.json", getters[kind](TemplateName=name, Version=v["Version"]))
    put("get-recommender-configurations.json", pp.get_recommender_configurations(PageSize="1000"))
    for c, call in [("phone-numbers", sms.describe_phone_numbers), ("sender-ids", sms.describe_sender_ids),
                    ("pools", sms.describe_pools), ("opt-out-lists", sms.describe_opt_out_lists),
                    ("configuration-sets", sms.describe_configuration_sets), ("registrations", sms.describe_registrations)]:
        put(f"sms/describe-{c}.json", call())
    for p in json.loads((d / "sms/describe-pools.json").read_text())["Pools"]:
        put(f"sms/pools/{p['PoolId']}.json", sms.list_pool_origination_identities(PoolId=p["PoolId"]))
    for l in json.loads((d / "sms/describe-opt-out-lists.json").read_text())["OptOutLists"]:
        name = l["OptOutListName"]
        numbers = [n for page in sms.get_paginator("describe_opted_out_numbers").paginate(OptOutListName=name) for n in page["OptedOutNumbers"]]
        put(f"sms/opt-out-lists/{name}.json", {"OptOutListName": name, "OptedOutNumbers": numbers})
    for app in apps["ApplicationsResponse"]["Item"]:
        a, i = f"apps/{app['Id']}", app["Id"]
        put(f"{a}/get-application-settings.json", pp.get_application_settings(ApplicationId=i))
        channels = pp.get_channels(ApplicationId=i)
        put(f"{a}/get-channels.json", channels)
        for ch in channels["ChannelsResponse"]["Channels"]:
            cmd = ch.lower().replace("_", "-")
            method = getattr(pp, f"get_{cmd.replace('-', '_')}_channel")
            put(f"{a}/channels/get-{cmd}-channel.json", method(ApplicationId=i))
        email = channels["ChannelsResponse"]["Channels"].get("EMAIL") and pp.get_email_channel(ApplicationId=i)["EmailChannelResponse"]
        if email and email.get("Identity"):
            identity = email["Identity"].split("/")[-1]
            put(f"ses/identities/{identity}.json", ses.get_email_identity(EmailIdentity=identity))
        if email and email.get("ConfigurationSet"):
            name = email["ConfigurationSet"]
            put(f"ses/configuration-sets/{name}.json", ses.get_configuration_set(ConfigurationSetName=name))
            put(f"ses/configuration-sets/{name}/event-destinations.json", ses.get_configuration_set_event_destinations(ConfigurationSetName=name))
        segments = pp.get_segments(ApplicationId=i, PageSize="1000")
        put(f"{a}/get-segments.json", segments)
        for s in segments["SegmentsResponse"]["Item"]:
            put(f"{a}/segments/{s['Id']}/versions.json", pp.get_segment_versions(ApplicationId=i, SegmentId=s["Id"], PageSize="1000"))
        campaigns = pp.get_campaigns(ApplicationId=i, PageSize="1000")
        put(f"{a}/get-campaigns.json", campaigns)
        for c in campaigns["CampaignsResponse"]["Item"]:
            put(f"{a}/campaigns/{c['Id']}/versions.json", pp.get_campaign_versions(ApplicationId=i, CampaignId=c["Id"], PageSize="1000"))
            put(f"{a}/campaigns/{c['Id']}/activities.json", pp.get_campaign_activities(ApplicationId=i, CampaignId=c["Id"], PageSize="1000"))
        journeys = pp.list_journeys(ApplicationId=i, PageSize="1000")
        put(f"{a}/list-journeys.json", journeys)
        for j in journeys["JourneysResponse"]["Item"]:
            put(f"{a}/journeys/{j['Id']}/execution-metrics.json", pp.get_journey_execution_metrics(ApplicationId=i, JourneyId=j["Id"]))
        try:
            put(f"{a}/get-event-stream.json", pp.get_event_stream(ApplicationId=i))
        except pp.exceptions.NotFoundException:
            pass
        put(f"{a}/get-import-jobs.json", pp.get_import_jobs(ApplicationId=i, PageSize="1000"))
        put(f"{a}/get-export-jobs.json", pp.get_export_jobs(ApplicationId=i, PageSize="1000"))
        for kpi in kpi_names():
            for start, end in kpi_windows():
                response = pp.get_application_date_range_kpi(ApplicationId=i, KpiName=kpi, StartTime=start, EndTime=end)
                put(f"{a}/kpis/{kpi}.{start.date().isoformat()}.json", response)


def pinshift(tmp, *args, env=None):
    return subprocess.run([PINSHIFT, "--engagement", str(Path(tmp) / "e.pinshift"), *args], capture_output=True, text=True, env=env)


def kinds(tmp, env=None):
    shown = json.loads(pinshift(tmp, "--json", "estate", "show", env=env).stdout)
    return collections.Counter(r["kind"] for r in shown["resources"])


def estate(tmp, env=None):
    """Every resource by where it is, with its raw payload."""
    shown = json.loads(pinshift(tmp, "--json", "estate", "show", env=env).stdout)
    return {(r["account_id"], r["region"], r["project_id"], r["kind"], r["id"], r["version"]): r["raw"]
            for r in shown["resources"]}


def differences(offline, live):
    """Field paths where the two estates differ. What says when it was read moves between two reads: when
    AWS last evaluated a journey's metrics, and the end of the newest KPI window (the time of the read)."""
    found = []

    def walk(a, b, path):
        if isinstance(a, dict) and isinstance(b, dict):
            for key in sorted(set(a) | set(b)):
                if key == "LastEvaluatedTime" or (key == "EndTime" and "." not in path and path.split("/")[3] == "kpi"):
                    continue
                walk(a.get(key), b.get(key), f"{path}.{key}")
        elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
            for i, (x, y) in enumerate(zip(a, b)):
                walk(x, y, f"{path}[{i}]")
        elif a != b:
            found.append(f"{path}: dump {a!r}, live {b!r}")

    for key in sorted(set(offline) | set(live)):
        if key not in offline or key not in live:
            found.append(f"{key}: only in the {'dump' if key in offline else 'live scan'}")
        else:
            walk(offline[key], live[key], "/".join(key))
    return found


def test_a_dump_scans_like_the_live_account(demo, recorder, tmp_path):
    from test_demo import role_session
    session = role_session(demo, recorder, ACCOUNT)
    write_dump(tmp_path / "dump", session("pinpoint"), session("pinpoint-sms-voice-v2"), session("sesv2"))
    offline, live = tmp_path / "offline", tmp_path / "live"
    offline.mkdir()
    live.mkdir()

    assert pinshift(offline, "init", str(offline / "e.pinshift")).returncode == 0
    scanned = pinshift(offline, "--json", "scan", "--from-dump", str(tmp_path / "dump"))
    assert scanned.returncode == 0, scanned.stderr
    assert json.loads(scanned.stdout)["projects"] == 11

    northwind = next(a for a in demo["accounts"] if a["name"] == "northwind")
    (live / "credentials").write_text(f"[nw]\naws_access_key_id = {northwind['access_key_id']}\naws_secret_access_key = {northwind['secret_access_key']}\n")
    (live / "config").write_text("[profile nw]\nregion = us-east-1\n")
    env = {**os.environ, "AWS_ENDPOINT_URL": demo["endpoint"], "AWS_SHARED_CREDENTIALS_FILE": str(live / "credentials"),
           "AWS_CONFIG_FILE": str(live / "config")}
    assert pinshift(live, "init", str(live / "e.pinshift"), env=env).returncode == 0
    assert pinshift(live, "connection", "add", "nw", "--profile", "nw", env=env).returncode == 0
    live_scan = pinshift(live, "--json", "scan", "--region", REGION, env=env)
    assert live_scan.returncode == 0, live_scan.stderr

    offline_kinds = kinds(offline)
    assert offline_kinds["email_identity"] > 0 and offline_kinds["email_configuration_set"] > 0, offline_kinds
    assert offline_kinds == kinds(live, env)
    found = differences(estate(offline), estate(live, env))
    assert not found, "\n".join(found)


def test_the_dump_script_runs_with_the_aws_cli_and_scans_like_the_live_account(demo, tmp_path):
    """The script `pinshift dump-commands` prints, run unmodified by the AWS CLI against the sandbox."""
    northwind = next(a for a in demo["accounts"] if a["name"] == "northwind")
    (tmp_path / "credentials").write_text(f"[nw]\naws_access_key_id = {northwind['access_key_id']}\naws_secret_access_key = {northwind['secret_access_key']}\n")
    (tmp_path / "config").write_text("[profile nw]\nregion = us-east-1\n")
    venv_bin = str(Path(sys.executable).parent)
    env = {**os.environ, "AWS_ENDPOINT_URL": demo["endpoint"], "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "credentials"),
           "AWS_CONFIG_FILE": str(tmp_path / "config"), "AWS_PROFILE": "nw", "PATH": f"{venv_bin}:{os.environ['PATH']}"}
    script = subprocess.run([PINSHIFT, "dump-commands", "--region", REGION], capture_output=True, text=True, check=True).stdout
    (tmp_path / "dump.sh").write_text(script)
    ran = subprocess.run(["bash", "dump.sh"], cwd=tmp_path, capture_output=True, text=True, env=env)
    assert ran.returncode == 0, ran.stderr[-4000:]
    assert (tmp_path / "pinshift-dump" / ACCOUNT / REGION / "get-apps.json").exists()

    offline, live = tmp_path / "offline", tmp_path / "live"
    offline.mkdir()
    live.mkdir()
    assert pinshift(offline, "init", str(offline / "e.pinshift")).returncode == 0
    scanned = pinshift(offline, "--json", "scan", "--from-dump", str(tmp_path / "pinshift-dump"))
    assert scanned.returncode == 0, json.loads(pinshift(offline, "--json", "estate", "show").stdout)["issues"]
    assert pinshift(live, "init", str(live / "e.pinshift"), env=env).returncode == 0
    assert pinshift(live, "connection", "add", "nw", "--profile", "nw", env=env).returncode == 0
    assert pinshift(live, "--json", "scan", "--region", REGION, env=env).returncode == 0
    offline_kinds = kinds(offline)
    assert offline_kinds["email_identity"] > 0 and offline_kinds["template_version"] > 0, offline_kinds
    assert offline_kinds == kinds(live, env)
    found = differences(estate(offline), estate(live, env))
    assert not found, "\n".join(found)
