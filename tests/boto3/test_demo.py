"""The demo estate as a consultant's scan would see it through boto3: the hub's keys assume the scan role
in the BPO's account and in one client's own account, where the role is denied journeys."""

import botocore.exceptions
import pytest

from conftest import make_client


def role_session(demo, recorder, account):
    hub = next(a for a in demo["accounts"] if a["name"] == "hub")
    sts = make_client(demo["endpoint"], recorder, "sts", aws_access_key_id=hub["access_key_id"],
                      aws_secret_access_key=hub["secret_access_key"])
    creds = sts.assume_role(RoleArn=f"arn:aws:iam::{account}:role/PinshiftScan", RoleSessionName="scan",
                            ExternalId="pinshift-demo")["Credentials"]

    def client(service, region="us-east-1"):
        return make_client(demo["endpoint"], recorder, service, region, aws_access_key_id=creds["AccessKeyId"],
                           aws_secret_access_key=creds["SecretAccessKey"], aws_session_token=creds["SessionToken"])

    return client


def test_twelve_clients_across_accounts_and_regions(demo, recorder):
    northwind = role_session(demo, recorder, "444444444444")
    names = []
    for region in ("us-east-1", "eu-west-1"):
        pinpoint = northwind("pinpoint", region)
        for app in pinpoint.get_apps()["ApplicationsResponse"]["Item"]:
            names.append(app["Name"])
            app_id = app["Id"]
            pinpoint.get_application_settings(ApplicationId=app_id)
            pinpoint.get_channels(ApplicationId=app_id)
            pinpoint.get_segments(ApplicationId=app_id)
            for campaign in pinpoint.get_campaigns(ApplicationId=app_id)["CampaignsResponse"]["Item"]:
                pinpoint.get_campaign_versions(ApplicationId=app_id, CampaignId=campaign["Id"])
            for journey in pinpoint.list_journeys(ApplicationId=app_id)["JourneysResponse"]["Item"]:
                pinpoint.get_journey(ApplicationId=app_id, JourneyId=journey["Id"])
    meridian = role_session(demo, recorder, "555555555555")("pinpoint")
    own = meridian.get_apps()["ApplicationsResponse"]["Item"]
    names += [a["Name"] for a in own]
    assert len({n.split("-")[0] for n in names}) == 12
    assert "harbor-logistics-eu" in names

    with pytest.raises(botocore.exceptions.ClientError) as denied:
        meridian.list_journeys(ApplicationId=own[0]["Id"])
    assert denied.value.response["Error"]["Code"] == "ForbiddenException"
    assert meridian.get_campaigns(ApplicationId=own[0]["Id"])["CampaignsResponse"]["Item"]


def test_demo_journeys_cover_every_activity_type(demo, recorder):
    pinpoint = role_session(demo, recorder, "444444444444")("pinpoint")
    kinds = set()
    for app in pinpoint.get_apps()["ApplicationsResponse"]["Item"]:
        for journey in pinpoint.list_journeys(ApplicationId=app["Id"])["JourneysResponse"]["Item"]:
            for activity in journey.get("Activities", {}).values():
                kinds.update(k for k in activity if k != "Description")
    assert kinds >= {"EMAIL", "SMS", "PUSH", "CUSTOM", "Wait", "ConditionalSplit", "MultiCondition", "RandomSplit", "Holdout", "ContactCenter"}


def test_demo_sms_and_ses(demo, recorder):
    northwind = role_session(demo, recorder, "444444444444")
    sms = northwind("pinpoint-sms-voice-v2")
    lists = {l["OptOutListName"] for l in sms.describe_opt_out_lists()["OptOutLists"]}
    assert {"bluebird", "granite", "shared-transactional"} <= lists
    pages = sms.get_paginator("describe_opted_out_numbers").paginate(OptOutListName="bluebird")
    assert sum(len(p["OptedOutNumbers"]) for p in pages) == 800
    ses = northwind("sesv2")
    identities = {i["IdentityName"]: i for i in ses.list_email_identities()["EmailIdentities"]}
    assert identities["fjordtravel.example"]["VerificationStatus"] == "PENDING"
    assert identities["aurorabooks.example"]["VerificationStatus"] == "SUCCESS"


def test_seed_the_demo_estate_through_boto3(demo, recorder):
    northwind = role_session(demo, recorder, "444444444444")
    pinpoint = northwind("pinpoint")
    app = next(a for a in pinpoint.get_apps()["ApplicationsResponse"]["Item"] if a["Name"] == "aurora-books")
    created = pinpoint.create_segment(ApplicationId=app["Id"], WriteSegmentRequest={
        "Name": "boto3-seeded", "Dimensions": {"Attributes": {"tier": {"AttributeType": "INCLUSIVE", "Values": ["gold"]}}}})
    segment_id = created["SegmentResponse"]["Id"]
    pinpoint.create_campaign(ApplicationId=app["Id"], WriteCampaignRequest={
        "Name": "boto3-campaign", "SegmentId": segment_id, "Schedule": {"StartTime": "IMMEDIATE", "Frequency": "ONCE"},
        "TemplateConfiguration": {"EmailTemplate": {"Name": "aurora-newsletter"}}})
    names = {c["Name"] for c in pinpoint.get_campaigns(ApplicationId=app["Id"])["CampaignsResponse"]["Item"]}
    assert "boto3-campaign" in names
    sms = northwind("pinpoint-sms-voice-v2")
    sms.put_opted_out_number(OptOutListName="bluebird", OptedOutNumber="+12065550177")
    found = sms.describe_opted_out_numbers(OptOutListName="bluebird", OptedOutNumbers=["+12065550177"])["OptedOutNumbers"]
    assert found[0]["OptedOutNumber"] == "+12065550177"
