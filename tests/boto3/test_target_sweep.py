"""Every target-side operation the sandbox implements, through boto3 at least once (the ones
test_targets.py does not already drive), each with the read-back a user would check. Every JSON response is
checked against botocore's model (conftest.py); scripts/op-coverage.py proves the coverage from the
sandbox's operation log after `make test`."""

import json

import botocore.exceptions
import pytest

from conftest import code, control

ACCOUNT = "222222222222"
FLOW = json.dumps({"Version": "2019-10-30", "StartAction": "a", "Actions": [
    {"Identifier": "a", "Type": "EndFlowExecution", "Parameters": {}, "Transitions": {}}]})


def ses_arn(kind, name):
    return f"arn:aws:ses:us-east-1:{ACCOUNT}:{kind}/{name}"


def active_instance(minimal, connect, alias):
    instance = connect.create_instance(IdentityManagementType="CONNECT_MANAGED", InboundCallsEnabled=True,
                                       OutboundCallsEnabled=True, InstanceAlias=alias)
    control(minimal, "POST", "/_sandbox/clock/advance", {"seconds": 120})
    return instance


def test_ses_identities_configuration_sets_lists_tags_and_tenants(client, minimal):
    ses = client("sesv2")
    ses.create_email_identity(EmailIdentity="acme.example")
    assert ses.list_email_identities()["EmailIdentities"][0]["IdentityName"] == "acme.example"
    ses.create_configuration_set(ConfigurationSetName="acme")
    assert ses.list_configuration_sets()["ConfigurationSets"] == ["acme"]
    ses.put_email_identity_configuration_set_attributes(EmailIdentity="acme.example", ConfigurationSetName="acme")
    ses.put_email_identity_dkim_signing_attributes(EmailIdentity="acme.example", SigningAttributesOrigin="AWS_SES",
                                                   SigningAttributes={"NextSigningKeyLength": "RSA_2048_BIT"})
    ses.put_email_identity_mail_from_attributes(EmailIdentity="acme.example", MailFromDomain="bounce.acme.example",
                                                BehaviorOnMxFailure="REJECT_MESSAGE")
    identity = ses.get_email_identity(EmailIdentity="acme.example")
    assert identity["ConfigurationSetName"] == "acme"
    assert identity["MailFromAttributes"]["MailFromDomain"] == "bounce.acme.example"

    # Every configuration-set option setter, read back at once.
    ses.put_configuration_set_tracking_options(ConfigurationSetName="acme", CustomRedirectDomain="t.acme.example")
    ses.put_configuration_set_reputation_options(ConfigurationSetName="acme", ReputationMetricsEnabled=True)
    ses.put_configuration_set_sending_options(ConfigurationSetName="acme", SendingEnabled=False)
    ses.put_configuration_set_delivery_options(ConfigurationSetName="acme", TlsPolicy="REQUIRE")
    ses.put_configuration_set_vdm_options(ConfigurationSetName="acme",
                                          VdmOptions={"DashboardOptions": {"EngagementMetrics": "ENABLED"}})
    ses.put_configuration_set_archiving_options(ConfigurationSetName="acme",
                                                ArchiveArn=f"arn:aws:ses:us-east-1:{ACCOUNT}:mailmanager-archive/a-1")
    ses.put_configuration_set_suppression_options(ConfigurationSetName="acme", SuppressedReasons=["BOUNCE"])
    ses.update_configuration_set(ConfigurationSetName="acme", MessageSecurityOptions={})
    got = ses.get_configuration_set(ConfigurationSetName="acme")
    assert got["TrackingOptions"]["CustomRedirectDomain"] == "t.acme.example"
    assert got["SendingOptions"]["SendingEnabled"] is False
    assert got["DeliveryOptions"]["TlsPolicy"] == "REQUIRE"
    assert got["VdmOptions"]["DashboardOptions"]["EngagementMetrics"] == "ENABLED"
    assert got["SuppressionOptions"]["SuppressedReasons"] == ["BOUNCE"]

    # Tags; templates updated and deleted; contact lists read and deleted; suppression removed.
    arn = ses_arn("identity", "acme.example")
    ses.tag_resource(ResourceArn=arn, Tags=[{"Key": "pinshift:client", "Value": "acme"}, {"Key": "team", "Value": "cx"}])
    ses.untag_resource(ResourceArn=arn, TagKeys=["team"])
    assert ses.list_tags_for_resource(ResourceArn=arn)["Tags"] == [{"Key": "pinshift:client", "Value": "acme"}]
    ses.create_email_template(TemplateName="welcome", TemplateContent={"Subject": "Hi", "Text": "Hello {{name}}"})
    ses.update_email_template(TemplateName="welcome", TemplateContent={"Subject": "Hi {{name}}", "Text": "Hello"})
    assert ses.get_email_template(TemplateName="welcome")["TemplateContent"]["Subject"] == "Hi {{name}}"
    ses.delete_email_template(TemplateName="welcome")
    with pytest.raises(botocore.exceptions.ClientError) as gone:
        ses.get_email_template(TemplateName="welcome")
    assert code(gone) == "NotFoundException"
    ses.create_contact_list(ContactListName="news", Topics=[
        {"TopicName": "offers", "DisplayName": "Offers", "DefaultSubscriptionStatus": "OPT_OUT"}])
    ses.create_contact(ContactListName="news", EmailAddress="ann@example.com")
    assert ses.get_contact(ContactListName="news", EmailAddress="ann@example.com")["EmailAddress"] == "ann@example.com"
    assert ses.get_contact_list(ContactListName="news")["Topics"][0]["TopicName"] == "offers"
    assert ses.list_contact_lists()["ContactLists"][0]["ContactListName"] == "news"
    ses.delete_contact_list(ContactListName="news")
    assert ses.list_contact_lists()["ContactLists"] == []
    ses.put_suppressed_destination(EmailAddress="gone@example.com", Reason="COMPLAINT")
    ses.delete_suppressed_destination(EmailAddress="gone@example.com")
    with pytest.raises(botocore.exceptions.ClientError) as removed:
        ses.get_suppressed_destination(EmailAddress="gone@example.com")
    assert code(removed) == "NotFoundException"

    # Tenants: resources associated and removed, reputation set by policy and by the customer, bulk sends.
    control(minimal, "POST", f"/_sandbox/ses/{ACCOUNT}/us-east-1/identities/acme.example/verify")
    ses.create_tenant(TenantName="acme")
    ses.create_tenant_resource_association(TenantName="acme", ResourceArn=arn)
    ses.create_tenant_resource_association(TenantName="acme", ResourceArn=ses_arn("configuration-set", "acme"))
    assert [t["TenantName"] for t in ses.list_resource_tenants(ResourceArn=arn)["ResourceTenants"]] == ["acme"]
    ses.delete_tenant_resource_association(TenantName="acme", ResourceArn=ses_arn("configuration-set", "acme"))
    assert [r["ResourceType"] for r in ses.list_tenant_resources(TenantName="acme")["TenantResources"]] == ["EMAIL_IDENTITY"]
    tenant_arn = ses.get_tenant(TenantName="acme")["Tenant"]["TenantArn"]
    ses.update_reputation_entity_policy(ReputationEntityType="RESOURCE", ReputationEntityReference=tenant_arn,
                                        ReputationEntityPolicy="arn:aws:ses:us-east-1:aws:reputation-policy/strict")
    ses.update_reputation_entity_customer_managed_status(ReputationEntityType="RESOURCE",
                                                         ReputationEntityReference=tenant_arn, SendingStatus="DISABLED")
    entity = ses.get_reputation_entity(ReputationEntityType="RESOURCE", ReputationEntityReference=tenant_arn)["ReputationEntity"]
    assert entity["ReputationManagementPolicy"].endswith("/strict")
    assert entity["SendingStatusAggregate"] == "DISABLED"
    assert ses.get_tenant(TenantName="acme")["Tenant"]["SendingStatus"] == "DISABLED"
    ses.update_reputation_entity_customer_managed_status(ReputationEntityType="RESOURCE",
                                                         ReputationEntityReference=tenant_arn, SendingStatus="ENABLED")
    ses.create_email_template(TemplateName="news", TemplateContent={"Subject": "News for {{name}}", "Text": "Hi"})
    ses.create_tenant_resource_association(TenantName="acme", ResourceArn=ses_arn("template", "news"))
    sent = ses.send_bulk_email(FromEmailAddress="news@acme.example", TenantName="acme",
                               DefaultContent={"Template": {"TemplateName": "news", "TemplateData": '{"name": "you"}'}},
                               BulkEmailEntries=[{"Destination": {"ToAddresses": ["success@simulator.amazonses.com"]}},
                                                 {"Destination": {"ToAddresses": ["complaint@simulator.amazonses.com"]}}])
    assert [r["Status"] for r in sent["BulkEmailEntryResults"]] == ["SUCCESS", "SUCCESS"]
    events = control(minimal, "GET", f"/_sandbox/ses/{ACCOUNT}/us-east-1/events")
    assert {"Delivery", "Complaint"} <= {e.get("eventType") for e in events}, events

    # Removing what was made.
    ses.delete_tenant(TenantName="acme")
    ses.delete_configuration_set(ConfigurationSetName="acme")
    ses.delete_email_identity(EmailIdentity="acme.example")
    assert ses.list_email_identities()["EmailIdentities"] == []
    assert ses.list_configuration_sets()["ConfigurationSets"] == []


def test_sms_numbers_sender_ids_pools_and_removals(client, minimal):
    sms = client("pinpoint-sms-voice-v2")
    first = sms.request_phone_number(IsoCountryCode="US", MessageType="TRANSACTIONAL", NumberCapabilities=["SMS"],
                                     NumberType="SIMULATOR")
    second = sms.request_phone_number(IsoCountryCode="US", MessageType="TRANSACTIONAL", NumberCapabilities=["SMS"],
                                      NumberType="SIMULATOR")
    numbers = sms.describe_phone_numbers(PhoneNumberIds=[first["PhoneNumberId"]])["PhoneNumbers"]
    assert numbers[0]["PhoneNumber"] == first["PhoneNumber"]
    sender = sms.request_sender_id(SenderId="ACME", IsoCountryCode="GB")
    assert sms.describe_sender_ids(SenderIds=[{"SenderId": "ACME", "IsoCountryCode": "GB"}])["SenderIds"][0]["SenderIdArn"] == sender["SenderIdArn"]
    assert "Registrations" in sms.describe_registrations()

    pool = sms.create_pool(OriginationIdentity=first["PhoneNumberId"], MessageType="TRANSACTIONAL")
    sms.associate_origination_identity(PoolId=pool["PoolId"], OriginationIdentity=second["PhoneNumberArn"])
    sms.associate_origination_identity(PoolId=pool["PoolId"], OriginationIdentity=sender["SenderIdArn"], IsoCountryCode="GB")
    members = sms.list_pool_origination_identities(PoolId=pool["PoolId"])["OriginationIdentities"]
    assert len(members) == 3
    assert sms.describe_pools(PoolIds=[pool["PoolId"]])["Pools"][0]["PoolId"] == pool["PoolId"]
    sms.disassociate_origination_identity(PoolId=pool["PoolId"], OriginationIdentity=second["PhoneNumberArn"])
    assert len(sms.list_pool_origination_identities(PoolId=pool["PoolId"])["OriginationIdentities"]) == 2

    sms.put_keyword(OriginationIdentity=pool["PoolId"], Keyword="JOIN", KeywordMessage="Welcome")
    sms.delete_keyword(OriginationIdentity=pool["PoolId"], Keyword="JOIN")
    assert all(k["Keyword"] != "JOIN" for k in sms.describe_keywords(OriginationIdentity=pool["PoolId"])["Keywords"])
    sms.tag_resource(ResourceArn=pool["PoolArn"], Tags=[{"Key": "pinshift:client", "Value": "acme"}, {"Key": "team", "Value": "cx"}])
    sms.untag_resource(ResourceArn=pool["PoolArn"], TagKeys=["team"])
    assert sms.list_tags_for_resource(ResourceArn=pool["PoolArn"])["Tags"] == [{"Key": "pinshift:client", "Value": "acme"}]

    sms.create_opt_out_list(OptOutListName="acme")
    sms.put_opted_out_number(OptOutListName="acme", OptedOutNumber="+12065550100")
    assert sms.describe_opted_out_numbers(OptOutListName="acme")["OptedOutNumbers"][0]["OptedOutNumber"] == "+12065550100"
    sms.delete_opt_out_list(OptOutListName="acme")
    assert all(l["OptOutListName"] != "acme" for l in sms.describe_opt_out_lists()["OptOutLists"])
    sms.create_configuration_set(ConfigurationSetName="acme")
    sms.delete_configuration_set(ConfigurationSetName="acme")
    assert sms.describe_configuration_sets()["ConfigurationSets"] == []

    sms.delete_pool(PoolId=pool["PoolId"])
    released = sms.release_phone_number(PhoneNumberId=second["PhoneNumberId"])
    assert released["Status"] == "DELETED"
    with pytest.raises(botocore.exceptions.ClientError) as gone:
        sms.describe_phone_numbers(PhoneNumberIds=[second["PhoneNumberId"]])
    assert code(gone) == "ResourceNotFoundException"


def test_account_standing_production_access_and_the_sms_sandbox(client, minimal):
    """What plan and verify read to say whether an account sends to anyone: SES GetAccount, End User
    Messaging's ACCOUNT_TIER and spend limits; in the SES sandbox only verified recipients are accepted."""
    ses = client("sesv2")
    sms = client("pinpoint-sms-voice-v2")
    account = ses.get_account()
    assert account["ProductionAccessEnabled"] is True and account["SendingEnabled"] is True
    assert account["SendQuota"]["Max24HourSend"] == 50000
    tier = sms.describe_account_attributes()["AccountAttributes"]
    assert {"Name": "ACCOUNT_TIER", "Value": "BASIC"} in tier

    control(minimal, "PUT", f"/_sandbox/ses/{ACCOUNT}/us-east-1/account", {"production_access": False})
    control(minimal, "PUT", f"/_sandbox/sms/{ACCOUNT}/us-east-1/account", {"tier": "SANDBOXED"})
    sandboxed = ses.get_account()
    assert sandboxed["ProductionAccessEnabled"] is False
    assert sandboxed["SendQuota"] == {"Max24HourSend": 200.0, "MaxSendRate": 1.0, "SentLast24Hours": 0.0}
    assert sms.describe_account_attributes()["AccountAttributes"][0]["Value"] == "SANDBOXED"
    limits = {l["Name"]: l for l in sms.describe_spend_limits()["SpendLimits"]}
    assert limits["TEXT_MESSAGE_MONTHLY_SPEND_LIMIT"]["EnforcedLimit"] == 1

    ses.create_email_identity(EmailIdentity="acme.example")
    control(minimal, "POST", f"/_sandbox/ses/{ACCOUNT}/us-east-1/identities/acme.example/verify")
    message = {"Simple": {"Subject": {"Data": "Hi"}, "Body": {"Text": {"Data": "Hello"}}}}
    with pytest.raises(botocore.exceptions.ClientError) as refused:
        ses.send_email(FromEmailAddress="news@acme.example", Destination={"ToAddresses": ["someone@else.example"]},
                       Content=message)
    assert code(refused) == "MessageRejected"
    assert "someone@else.example" in refused.value.response["Error"]["Message"]
    ses.send_email(FromEmailAddress="news@acme.example",
                   Destination={"ToAddresses": ["success@simulator.amazonses.com"]}, Content=message)
    assert ses.get_account()["SendQuota"]["SentLast24Hours"] == 1.0

    control(minimal, "PUT", f"/_sandbox/ses/{ACCOUNT}/us-east-1/account", {"production_access": True})
    ses.send_email(FromEmailAddress="news@acme.example", Destination={"ToAddresses": ["someone@else.example"]},
                   Content=message)


def test_connect_flows_numbers_email_addresses_and_tags(client, minimal):
    connect, sms, ses = client("connect"), client("pinpoint-sms-voice-v2"), client("sesv2")
    instance = active_instance(minimal, connect, "acme-cx")
    iid = instance["Id"]
    flow = connect.create_contact_flow(InstanceId=iid, Name="journey", Type="CAMPAIGN", Content=FLOW, Status="SAVED")
    connect.update_contact_flow_content(InstanceId=iid, ContactFlowId=flow["ContactFlowId"], Content=FLOW)
    connect.update_contact_flow_metadata(InstanceId=iid, ContactFlowId=flow["ContactFlowId"], Name="spring journey")
    assert connect.describe_contact_flow(InstanceId=iid, ContactFlowId=flow["ContactFlowId"])["ContactFlow"]["Name"] == "spring journey"
    version = connect.create_contact_flow_version(InstanceId=iid, ContactFlowId=flow["ContactFlowId"], Description="v1")
    assert version["Version"] == 1
    versions = connect.list_contact_flow_versions(InstanceId=iid, ContactFlowId=flow["ContactFlowId"])
    assert versions["ContactFlowVersionSummaryList"][0]["Version"] == 1
    alias = connect.create_contact_flow_alias(InstanceId=iid, ContactFlowId=flow["ContactFlowId"], ContactFlowVersion=1,
                                              AliasName="live")
    assert alias["ContactFlowArn"].endswith(":live")
    connect.tag_resource(resourceArn=flow["ContactFlowArn"], tags={"pinshift:client": "acme", "team": "cx"})
    connect.untag_resource(resourceArn=flow["ContactFlowArn"], tagKeys=["team"])
    assert connect.list_tags_for_resource(resourceArn=flow["ContactFlowArn"])["tags"] == {"pinshift:client": "acme"}
    connect.update_instance_attribute(InstanceId=iid, AttributeType="CONTACT_LENS", Value="false")
    attributes = connect.list_instance_attributes(InstanceId=iid)["Attributes"]
    assert {"AttributeType": "CONTACT_LENS", "Value": "false"} in attributes

    number = sms.request_phone_number(IsoCountryCode="US", MessageType="TRANSACTIONAL", NumberCapabilities=["SMS", "VOICE"],
                                      NumberType="SIMULATOR")
    imported = connect.import_phone_number(InstanceId=iid, SourcePhoneNumberArn=number["PhoneNumberArn"])
    described = connect.describe_phone_number(PhoneNumberId=imported["PhoneNumberId"])["ClaimedPhoneNumberSummary"]
    assert described["PhoneNumber"] == number["PhoneNumber"]
    assert connect.list_phone_numbers_v2(InstanceId=iid)["ListPhoneNumbersSummaryList"][0]["PhoneNumberId"] == imported["PhoneNumberId"]
    connect.release_phone_number(PhoneNumberId=imported["PhoneNumberId"])
    with pytest.raises(botocore.exceptions.ClientError) as cooling:
        connect.import_phone_number(InstanceId=iid, SourcePhoneNumberArn=number["PhoneNumberArn"])
    assert code(cooling) == "InvalidParameterException"

    ses.create_email_identity(EmailIdentity="acme.example")
    control(minimal, "POST", f"/_sandbox/ses/{ACCOUNT}/us-east-1/identities/acme.example/verify")
    association = connect.create_integration_association(InstanceId=iid, IntegrationType="SES_IDENTITY",
                                                         IntegrationArn=ses_arn("identity", "acme.example"))
    address = connect.create_email_address(InstanceId=iid, EmailAddress="news@acme.example")
    assert connect.describe_email_address(InstanceId=iid, EmailAddressId=address["EmailAddressId"])["EmailAddress"] == "news@acme.example"
    found = connect.search_email_addresses(
        InstanceId=iid,
        SearchCriteria={"StringCondition": {"FieldName": "email_address", "Value": "news@acme.example", "ComparisonType": "EXACT"}},
    )
    assert [a["EmailAddressId"] for a in found["EmailAddresses"]] == [address["EmailAddressId"]]
    connect.delete_email_address(InstanceId=iid, EmailAddressId=address["EmailAddressId"])
    connect.delete_integration_association(InstanceId=iid, IntegrationAssociationId=association["IntegrationAssociationId"])
    assert connect.list_integration_associations(InstanceId=iid)["IntegrationAssociationSummaryList"] == []


def test_customer_profiles_every_definition_upload_jobs_and_snapshots(client, minimal):
    profiles, connect, s3 = client("customer-profiles"), client("connect"), client("s3")
    profiles.create_domain(DomainName="acme", DefaultExpirationDays=365)
    profiles.update_domain(DomainName="acme", DefaultExpirationDays=400)
    assert profiles.list_domains()["Items"][0]["DomainName"] == "acme"
    profiles.tag_resource(resourceArn=f"arn:aws:profile:us-east-1:{ACCOUNT}:domains/acme", tags={"a": "1", "b": "2"})
    profiles.untag_resource(resourceArn=f"arn:aws:profile:us-east-1:{ACCOUNT}:domains/acme", tagKeys=["b"])
    assert profiles.list_tags_for_resource(resourceArn=f"arn:aws:profile:us-east-1:{ACCOUNT}:domains/acme")["tags"] == {"a": "1"}
    profiles.put_profile_object_type(DomainName="acme", ObjectTypeName="Contact", Description="one endpoint",
                                     AllowProfileCreation=True,
                                     Fields={"email": {"Source": "_source.email", "Target": "_profile.EmailAddress"},
                                             "id": {"Source": "_source.id", "Target": "Contact.id"}},
                                     Keys={"_email": [{"StandardIdentifiers": ["PROFILE"], "FieldNames": ["email"]}],
                                           "endpoint": [{"StandardIdentifiers": ["UNIQUE"], "FieldNames": ["id"]}]})
    assert profiles.get_profile_object_type(DomainName="acme", ObjectTypeName="Contact")["Description"] == "one endpoint"
    assert profiles.list_profile_object_types(DomainName="acme")["Items"][0]["ObjectTypeName"] == "Contact"

    profiles.put_profile_object(DomainName="acme", ObjectTypeName="Contact",
                                Object='{"id": "e1", "email": "ann@example.com"}')
    ann = profiles.search_profiles(DomainName="acme", KeyName="_email", Values=["ann@example.com"])["Items"][0]
    objects = profiles.list_profile_objects(DomainName="acme", ObjectTypeName="Contact", ProfileId=ann["ProfileId"])
    assert json.loads(objects["Items"][0]["Object"])["id"] == "e1"
    bo = profiles.create_profile(DomainName="acme", FirstName="Bo", EmailAddress="bo@example.com")
    profiles.update_profile(DomainName="acme", ProfileId=bo["ProfileId"], LastName="Lee", Attributes={"tier": "gold"})
    found = profiles.search_profiles(DomainName="acme", KeyName="_email", Values=["bo@example.com"])["Items"][0]
    assert (found["LastName"], found["Attributes"]["tier"]) == ("Lee", "gold")

    segment = profiles.create_segment_definition(DomainName="acme", SegmentDefinitionName="gold", DisplayName="Gold",
                                                 SegmentGroups={"Include": "ALL", "Groups": [{"Type": "ALL", "Dimensions": [
                                                     {"ProfileAttributes": {"Attributes": {"tier": {
                                                         "DimensionType": "INCLUSIVE", "Values": ["gold"]}}}}]}]})
    assert profiles.list_segment_definitions(DomainName="acme")["Items"][0]["SegmentDefinitionName"] == "gold"
    membership = profiles.get_segment_membership(DomainName="acme", SegmentDefinitionName="gold",
                                                 ProfileIds=[bo["ProfileId"], ann["ProfileId"]])
    results = {p["ProfileId"]: p["QueryResult"] for p in membership["Profiles"]}
    assert results == {bo["ProfileId"]: "PRESENT", ann["ProfileId"]: "ABSENT"}
    s3.create_bucket(Bucket="acme-snapshots")
    snapshot = profiles.create_segment_snapshot(DomainName="acme", SegmentDefinitionName="gold", DataFormat="JSONL",
                                                DestinationUri="s3://acme-snapshots/gold/")
    got = profiles.get_segment_snapshot(DomainName="acme", SegmentDefinitionName="gold", SnapshotId=snapshot["SnapshotId"])
    assert got["Status"] == "COMPLETED"
    listed = s3.list_objects_v2(Bucket="acme-snapshots", Prefix="gold/")
    body = s3.get_object(Bucket="acme-snapshots", Key=listed["Contents"][0]["Key"])["Body"].read().decode()
    assert "bo@example.com" in body and "ann@example.com" not in body

    profiles.create_calculated_attribute_definition(DomainName="acme", CalculatedAttributeName="seen", Statistic="COUNT",
                                                    AttributeDetails={"Attributes": [{"Name": "email"}],
                                                                      "Expression": "{Contact.email}"})
    assert profiles.get_calculated_attribute_definition(DomainName="acme", CalculatedAttributeName="seen")["Statistic"] == "COUNT"
    assert profiles.list_calculated_attribute_definitions(DomainName="acme")["Items"][0]["CalculatedAttributeName"] == "seen"
    profiles.delete_calculated_attribute_definition(DomainName="acme", CalculatedAttributeName="seen")
    profiles.create_event_trigger(DomainName="acme", EventTriggerName="signed-up", ObjectTypeName="Contact",
                                  EventTriggerConditions=[{"LogicalOperator": "ANY", "EventTriggerDimensions": [
                                      {"ObjectAttributes": [{"FieldName": "email", "ComparisonOperator": "CONTAINS", "Values": ["@"]}]}]}])
    assert profiles.get_event_trigger(DomainName="acme", EventTriggerName="signed-up")["ObjectTypeName"] == "Contact"
    profiles.delete_event_trigger(DomainName="acme", EventTriggerName="signed-up")

    # An upload job: created, its URL given, a CSV put there, started, summarised; another stopped.
    job = profiles.create_upload_job(DomainName="acme", DisplayName="endpoints", UniqueKey="id",
                                     Fields={"id": {"Source": "_source.id", "Target": "_profile.AccountNumber"},
                                             "email": {"Source": "_source.email", "Target": "_profile.EmailAddress"}})
    url = profiles.get_upload_job_path(DomainName="acme", JobId=job["JobId"])["Url"]
    path = "/" + url.split("://", 1)[1].split("/", 1)[1]
    request = __import__("urllib.request").request.Request(minimal["endpoint"] + path, method="PUT",
                                                           data=b"id,email\nu1,cy@example.com\n")
    __import__("urllib.request").request.urlopen(request).read()
    profiles.start_upload_job(DomainName="acme", JobId=job["JobId"])
    while (done := profiles.get_upload_job(DomainName="acme", JobId=job["JobId"]))["Status"] == "IN_PROGRESS":
        pass
    assert done["Status"] == "SUCCEEDED" and done["ResultsSummary"]["CreatedRecords"] == 1
    idle = profiles.create_upload_job(DomainName="acme", DisplayName="unused", UniqueKey="id",
                                      Fields={"id": {"Source": "_source.id", "Target": "_profile.AccountNumber"}})
    profiles.stop_upload_job(DomainName="acme", JobId=idle["JobId"])
    statuses = {j["JobId"]: j["Status"] for j in profiles.list_upload_jobs(DomainName="acme")["Items"]}
    assert statuses == {job["JobId"]: "SUCCEEDED", idle["JobId"]: "STOPPED"}

    instance = active_instance(minimal, connect, "acme-cx")
    profiles.put_integration(DomainName="acme", Uri=instance["Arn"])
    assert profiles.get_integration(DomainName="acme", Uri=instance["Arn"])["Uri"] == instance["Arn"]
    profiles.delete_integration(DomainName="acme", Uri=instance["Arn"])
    profiles.delete_profile(DomainName="acme", ProfileId=bo["ProfileId"])
    assert profiles.search_profiles(DomainName="acme", KeyName="_email", Values=["bo@example.com"])["Items"] == []
    profiles.delete_profile_object_type(DomainName="acme", ObjectTypeName="Contact")
    assert profiles.list_profile_object_types(DomainName="acme")["Items"] == []
    assert segment["SegmentDefinitionName"] == "gold"


def test_outbound_campaigns_every_update_state_and_config_call(client, minimal):
    connect, campaigns, profiles, qconnect = (client(s) for s in ("connect", "connectcampaignsv2", "customer-profiles", "qconnect"))
    instance = active_instance(minimal, connect, "acme-cx")
    iid = instance["Id"]
    campaigns.start_instance_onboarding_job(connectInstanceId=iid, encryptionConfig={"enabled": False})
    control(minimal, "POST", "/_sandbox/clock/advance", {"seconds": 60})
    config = campaigns.get_connect_instance_config(connectInstanceId=iid)["connectInstanceConfig"]
    assert config["encryptionConfig"] == {"enabled": False}
    kb = qconnect.create_knowledge_base(name="acme", knowledgeBaseType="MESSAGE_TEMPLATES")["knowledgeBase"]
    campaigns.put_connect_instance_integration(connectInstanceId=iid, integrationConfig={"qConnect": {"knowledgeBaseArn": kb["knowledgeBaseArn"]}})
    listed = campaigns.list_connect_instance_integrations(connectInstanceId=iid)["integrationSummaryList"]
    assert listed == [{"qConnect": {"knowledgeBaseArn": kb["knowledgeBaseArn"]}}]

    profiles.create_domain(DomainName="acme", DefaultExpirationDays=365)
    segment = profiles.create_segment_definition(DomainName="acme", SegmentDefinitionName="all", DisplayName="All",
                                                 SegmentGroups={"Include": "ALL", "Groups": []})
    flow = connect.create_contact_flow(InstanceId=iid, Name="journey", Type="CAMPAIGN", Content=FLOW)
    telephony = lambda flow_id: {"telephony": {"outboundMode": {"agentless": {}},  # noqa: E731
                                               "defaultOutboundConfig": {"connectContactFlowId": flow_id}}}
    created = campaigns.create_campaign(name="spring", connectInstanceId=iid, type="MANAGED",
                                        channelSubtypeConfig=telephony("flow-1"))
    cid = created["id"]
    campaigns.update_campaign_name(id=cid, name="spring 2027")
    campaigns.update_campaign_flow_association(id=cid, connectCampaignFlowArn=flow["ContactFlowArn"])
    campaigns.update_campaign_source(id=cid, source={"customerProfilesSegmentArn": segment["SegmentDefinitionArn"]})
    campaigns.update_campaign_schedule(id=cid, schedule={"startTime": "2027-01-01T00:00:00Z", "endTime": "2027-02-01T00:00:00Z"})
    campaigns.update_campaign_entry_limits(id=cid, entryLimitsConfig={"maxEntryCount": 1, "minEntryInterval": "P1D"})
    campaigns.update_campaign_communication_time(id=cid, communicationTimeConfig={
        "localTimeZoneConfig": {"defaultTimeZone": "Europe/London"},
        "telephony": {"openHours": {"dailyHours": {"MONDAY": [{"startTime": "09:00", "endTime": "17:00"}]}}}})
    campaigns.update_campaign_communication_limits(id=cid, communicationLimitsOverride={
        "allChannelSubtypes": {"communicationLimitsList": [{"maxCountPerRecipient": 1, "frequency": 1, "unit": "DAY"}]}})
    campaigns.update_campaign_channel_subtype_config(id=cid, channelSubtypeConfig=telephony("flow-2"))
    described = campaigns.describe_campaign(id=cid)["campaign"]
    assert described["name"] == "spring 2027"
    assert described["channelSubtypeConfig"]["telephony"]["defaultOutboundConfig"]["connectContactFlowId"] == "flow-2"
    assert described["schedule"]["startTime"].isoformat().startswith("2027-01-01")
    campaigns.delete_campaign_communication_limits(id=cid, config="ALL_CHANNEL_SUBTYPES")
    campaigns.delete_campaign_communication_time(id=cid, config="TELEPHONY")
    campaigns.delete_campaign_entry_limits(id=cid)
    campaigns.delete_campaign_channel_subtype_config(id=cid, channelSubtype="TELEPHONY")
    described = campaigns.describe_campaign(id=cid)["campaign"]
    assert not {"communicationLimitsOverride", "communicationTimeConfig", "entryLimitsConfig"} & described.keys()

    connect.update_contact_flow_content(InstanceId=iid, ContactFlowId=flow["ContactFlowId"], Content=FLOW)
    campaigns.start_campaign(id=cid)
    campaigns.pause_campaign(id=cid)
    assert campaigns.get_campaign_state(id=cid)["state"] == "Paused"
    campaigns.resume_campaign(id=cid)
    assert campaigns.get_campaign_state(id=cid)["state"] == "Running"
    campaigns.stop_campaign(id=cid)
    assert campaigns.get_campaign_state(id=cid)["state"] == "Stopped"
    campaigns.tag_resource(arn=created["arn"], tags={"pinshift:client": "acme", "team": "cx"})
    campaigns.untag_resource(arn=created["arn"], tagKeys=["team"])
    assert campaigns.list_tags_for_resource(arn=created["arn"])["tags"] == {"pinshift:client": "acme"}
    with pytest.raises(botocore.exceptions.ClientError) as retained:
        campaigns.delete_connect_instance_config(connectInstanceId=iid, campaignDeletionPolicy="RETAIN_ALL")
    assert code(retained) == "InvalidStateException"
    campaigns.delete_connect_instance_config(connectInstanceId=iid, campaignDeletionPolicy="DELETE_ALL")
    assert campaigns.list_campaigns()["campaignSummaryList"] == []

    # An onboarding withdrawn while it runs.
    campaigns.start_instance_onboarding_job(connectInstanceId=iid, encryptionConfig={"enabled": False})
    campaigns.delete_instance_onboarding_job(connectInstanceId=iid)
    with pytest.raises(botocore.exceptions.ClientError) as gone:
        campaigns.get_instance_onboarding_job_status(connectInstanceId=iid)
    assert code(gone) == "ResourceNotFoundException"


def test_q_in_connect_templates_read_updated_searched_and_tagged(client, minimal):
    qconnect = client("qconnect")
    kb = qconnect.create_knowledge_base(name="acme", knowledgeBaseType="MESSAGE_TEMPLATES")["knowledgeBase"]
    assert qconnect.get_knowledge_base(knowledgeBaseId=kb["knowledgeBaseId"])["knowledgeBase"]["name"] == "acme"
    assert qconnect.list_knowledge_bases()["knowledgeBaseSummaries"][0]["knowledgeBaseId"] == kb["knowledgeBaseId"]
    template = qconnect.create_message_template(
        knowledgeBaseId=kb["knowledgeBaseId"], name="reminder", channelSubtype="SMS",
        content={"sms": {"body": {"plainText": {"content": "Hi {{Attributes.Customer.FirstName}}"}}}})["messageTemplate"]
    tid = template["messageTemplateId"]
    qconnect.update_message_template(knowledgeBaseId=kb["knowledgeBaseId"], messageTemplateId=tid,
                                     content={"sms": {"body": {"plainText": {"content": "Hello {{Attributes.Customer.FirstName}}"}}}})
    got = qconnect.get_message_template(knowledgeBaseId=kb["knowledgeBaseId"], messageTemplateId=tid)["messageTemplate"]
    assert got["content"]["sms"]["body"]["plainText"]["content"].startswith("Hello")
    found = qconnect.search_message_templates(knowledgeBaseId=kb["knowledgeBaseId"], searchExpression={
        "queries": [{"name": "name", "values": ["remind"], "operator": "CONTAINS"}]})
    assert [r["name"] for r in found["results"]] == ["reminder"]
    qconnect.tag_resource(resourceArn=template["messageTemplateArn"], tags={"pinshift:client": "acme", "team": "cx"})
    qconnect.untag_resource(resourceArn=template["messageTemplateArn"], tagKeys=["team"])
    assert qconnect.list_tags_for_resource(resourceArn=template["messageTemplateArn"])["tags"] == {"pinshift:client": "acme"}


def test_sns_topics_created_once_read_tagged_listed_and_deleted(client):
    """SNS speaks awsQuery with XML answers: botocore parses each one by the model's shapes."""
    sns = client("sns")
    policy = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "sms-voice.amazonaws.com"},
                                                                 "Action": "sns:Publish", "Resource": "*"}]})
    made = sns.create_topic(Name="acme-sms-events", Attributes={"Policy": policy}, Tags=[{"Key": "pinshift:client", "Value": "acme"}])
    arn = made["TopicArn"]
    assert arn == f"arn:aws:sns:us-east-1:{ACCOUNT}:acme-sms-events"
    assert sns.create_topic(Name="acme-sms-events", Attributes={"Policy": policy})["TopicArn"] == arn
    with pytest.raises(botocore.exceptions.ClientError) as different:
        sns.create_topic(Name="acme-sms-events", Attributes={"DisplayName": "Other"})
    assert code(different) == "InvalidParameter"
    attributes = sns.get_topic_attributes(TopicArn=arn)["Attributes"]
    assert attributes["Policy"] == policy and attributes["Owner"] == ACCOUNT
    sns.set_topic_attributes(TopicArn=arn, AttributeName="DisplayName", AttributeValue="Acme SMS")
    assert sns.get_topic_attributes(TopicArn=arn)["Attributes"]["DisplayName"] == "Acme SMS"
    sns.tag_resource(ResourceArn=arn, Tags=[{"Key": "pinshift:run", "Value": "run-1"}])
    sns.untag_resource(ResourceArn=arn, TagKeys=["pinshift:client"])
    assert sns.list_tags_for_resource(ResourceArn=arn)["Tags"] == [{"Key": "pinshift:run", "Value": "run-1"}]
    for n in range(105):
        sns.create_topic(Name=f"t{n:03}")
    listed = [t["TopicArn"] for page in sns.get_paginator("list_topics").paginate() for t in page["Topics"]]
    assert len(listed) == 106 and arn in listed
    sns.delete_topic(TopicArn=arn)
    sns.delete_topic(TopicArn=arn)
    with pytest.raises(botocore.exceptions.ClientError) as gone:
        sns.get_topic_attributes(TopicArn=arn)
    assert code(gone) == "NotFound"
