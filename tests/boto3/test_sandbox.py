"""The sandbox through boto3: the `sample` estate read as a scan would, writes read back, errors as AWS
shapes them. Every JSON response is also checked against botocore's model (see conftest.py)."""

import datetime
import gzip
import time

import botocore.exceptions
import pytest


def acme(pinpoint):
    apps = pinpoint.get_apps()["ApplicationsResponse"]["Item"]
    return next(a["Id"] for a in apps if a["Name"] == "acme-retail")


def test_sts_identity_and_assumed_roles(sandbox, session):
    hub = next(a for a in sandbox["accounts"] if a["name"] == "hub")
    import boto3

    sts = boto3.client("sts", endpoint_url=sandbox["endpoint"], region_name="us-east-1",
                       aws_access_key_id=hub["access_key_id"], aws_secret_access_key=hub["secret_access_key"])
    assert sts.get_caller_identity()["Account"] == "111111111111"
    creds = sts.assume_role(RoleArn="arn:aws:iam::333333333333:role/PinshiftScan", RoleSessionName="boto3",
                            ExternalId="pinshift-sample-external-id")["Credentials"]
    assert isinstance(creds["Expiration"], datetime.datetime)
    as_role = boto3.client("sts", endpoint_url=sandbox["endpoint"], region_name="us-east-1",
                           aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"],
                           aws_session_token=creds["SessionToken"])
    assert as_role.get_caller_identity()["Arn"] == "arn:aws:sts::333333333333:assumed-role/PinshiftScan/boto3"
    with pytest.raises(botocore.exceptions.ClientError) as denied:
        sts.assume_role(RoleArn="arn:aws:iam::333333333333:role/PinshiftScan", RoleSessionName="no-external-id")
    assert denied.value.response["Error"]["Code"] == "AccessDenied"


def test_pinpoint_reads_like_a_scan(session):
    pinpoint = session("pinpoint")
    app = acme(pinpoint)
    assert pinpoint.get_application_settings(ApplicationId=app)["ApplicationSettingsResource"]["QuietTime"]["Start"] == "21:00"
    channels = pinpoint.get_channels(ApplicationId=app)["ChannelsResponse"]["Channels"]
    assert set(channels) == {"EMAIL", "SMS"}
    assert pinpoint.get_email_channel(ApplicationId=app)["EmailChannelResponse"]["FromAddress"] == "news@acme.example"
    segments = pinpoint.get_segments(ApplicationId=app, PageSize="2")["SegmentsResponse"]
    assert len(segments["Item"]) == 2 and "NextToken" in segments
    vip = next(s for s in pinpoint.get_segments(ApplicationId=app)["SegmentsResponse"]["Item"] if s["Name"] == "vip")
    versions = pinpoint.get_segment_versions(ApplicationId=app, SegmentId=vip["Id"])["SegmentsResponse"]["Item"]
    assert [v["Version"] for v in versions] == [1, 2]
    campaigns = pinpoint.get_campaigns(ApplicationId=app)["CampaignsResponse"]["Item"]
    assert {c["Name"] for c in campaigns} == {"spring-sale-ab", "weekly-digest", "cart-abandoned"}
    for campaign in campaigns:
        pinpoint.get_campaign_versions(ApplicationId=app, CampaignId=campaign["Id"])
        pinpoint.get_campaign_activities(ApplicationId=app, CampaignId=campaign["Id"])
    journey = pinpoint.list_journeys(ApplicationId=app)["JourneysResponse"]["Item"][0]
    assert set(journey["Activities"]) == {"send-welcome", "wait-3d", "split", "holdout", "sms-nudge"}
    pinpoint.get_journey_execution_metrics(ApplicationId=app, JourneyId=journey["Id"])
    pinpoint.get_event_stream(ApplicationId=app)
    pinpoint.get_import_jobs(ApplicationId=app)
    pinpoint.get_export_jobs(ApplicationId=app)
    pinpoint.list_tags_for_resource(ResourceArn=campaigns[0]["Arn"])
    end = datetime.datetime(2026, 11, 1, tzinfo=datetime.timezone.utc)
    kpi = pinpoint.get_application_date_range_kpi(ApplicationId=app, KpiName="txn-emails-delivered-grouped-by-date",
                                                  StartTime=end - datetime.timedelta(days=30), EndTime=end)
    assert len(kpi["ApplicationDateRangeKpiResponse"]["KpiResult"]["Rows"]) == 31
    templates = pinpoint.list_templates()["TemplatesResponse"]["Item"]
    assert {t["TemplateType"] for t in templates} == {"EMAIL", "SMS", "PUSH", "VOICE", "INAPP"}
    for t in templates:
        getter = {"EMAIL": pinpoint.get_email_template, "SMS": pinpoint.get_sms_template, "PUSH": pinpoint.get_push_template,
                  "VOICE": pinpoint.get_voice_template, "INAPP": pinpoint.get_in_app_template}[t["TemplateType"]]
        getter(TemplateName=t["TemplateName"])
        pinpoint.list_template_versions(TemplateName=t["TemplateName"], TemplateType=t["TemplateType"].lower())
    pinpoint.get_recommender_configurations()
    assert pinpoint.get_endpoint(ApplicationId=app, EndpointId="sms-00000007")["EndpointResponse"]["ChannelType"] == "SMS"


def test_pinpoint_writes_read_back_and_errors_are_aws_shaped(session):
    pinpoint = session("pinpoint", region="eu-west-1")
    app = pinpoint.create_app(CreateApplicationRequest={"Name": "boto3-client", "tags": {"client": "boto3"}})["ApplicationResponse"]["Id"]
    segment = pinpoint.create_segment(ApplicationId=app, WriteSegmentRequest={
        "Name": "gold", "Dimensions": {"UserAttributes": {"tier": {"AttributeType": "INCLUSIVE", "Values": ["gold"]}}}})
    assert segment["SegmentResponse"]["Version"] == 1
    pinpoint.update_sms_channel(ApplicationId=app, SMSChannelRequest={"SenderId": "BOTO"})
    assert pinpoint.get_sms_channel(ApplicationId=app)["SMSChannelResponse"]["SenderId"] == "BOTO"
    pinpoint.update_endpoints_batch(ApplicationId=app, EndpointBatchRequest={"Item": [
        {"Id": "e1", "ChannelType": "EMAIL", "Address": "a@example.com", "User": {"UserId": "u1"}}]})
    assert pinpoint.get_user_endpoints(ApplicationId=app, UserId="u1")["EndpointsResponse"]["Item"][0]["Id"] == "e1"
    with pytest.raises(pinpoint.exceptions.NotFoundException):
        pinpoint.get_voice_channel(ApplicationId=app)
    with pytest.raises(pinpoint.exceptions.BadRequestException):
        pinpoint.get_application_date_range_kpi(ApplicationId=app, KpiName="nonsense")


def test_ses_and_sms_v2(session):
    ses = session("sesv2")
    identities = ses.list_email_identities()["EmailIdentities"]
    assert {i["IdentityName"] for i in identities} == {"acme.example", "alerts@globex.example"}
    assert ses.get_email_identity(EmailIdentity="acme.example")["VerifiedForSendingStatus"] is True
    assert ses.get_configuration_set_event_destinations(ConfigurationSetName="acme-events")["EventDestinations"][0]["Name"] == "to-firehose"
    sms = session("pinpoint-sms-voice-v2")
    numbers = sms.describe_phone_numbers()["PhoneNumbers"]
    assert len(numbers) == 3 and isinstance(numbers[0]["CreatedTimestamp"], datetime.datetime)
    pool = sms.describe_pools()["Pools"][0]
    assert len(sms.list_pool_origination_identities(PoolId=pool["PoolId"])["OriginationIdentities"]) == 2
    paginator = sms.get_paginator("describe_opted_out_numbers")
    opted = [n for page in paginator.paginate(OptOutListName="acme-promotional", PaginationConfig={"PageSize": 50}) for n in page["OptedOutNumbers"]]
    assert len(opted) == 120
    sms.describe_configuration_sets()
    sms.describe_registrations()
    sms.describe_sender_ids()
    with pytest.raises(sms.exceptions.ResourceNotFoundException):
        sms.describe_pools(PoolIds=["pool-missing"])


def test_export_to_s3(session):
    pinpoint = session("pinpoint")
    s3 = session("s3")
    app = acme(pinpoint)
    job = pinpoint.create_export_job(ApplicationId=app, ExportJobRequest={
        "RoleArn": "arn:aws:iam::333333333333:role/export", "S3UrlPrefix": "s3://bpo-exports/boto3/"})["ExportJobResponse"]
    for _ in range(50):
        state = pinpoint.get_export_job(ApplicationId=app, JobId=job["Id"])["ExportJobResponse"]
        if state["JobStatus"] == "COMPLETED":
            break
        time.sleep(0.1)
    assert state["JobStatus"] == "COMPLETED"
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket="bpo-exports", Prefix="boto3/")["Contents"]]
    body = s3.get_object(Bucket="bpo-exports", Key=keys[0])["Body"].read()
    assert len(gzip.decompress(body).splitlines()) == state["TotalProcessed"]
