"""The migration targets through boto3, an independent second client: SES v2 tenants and templates, SMS v2
writes, Connect, Customer Profiles, Outbound Campaigns v2 and Q in Connect. Every JSON response is checked
against botocore's model (see conftest.py); a few calls also go through the AWS CLI."""

import json
import os
import subprocess

import botocore.exceptions
import pytest

from conftest import code, control

FLOW = json.dumps({"Version": "2019-10-30", "StartAction": "a", "Actions": [
    {"Identifier": "a", "Type": "EndFlowExecution", "Parameters": {}, "Transitions": {}}]})


def test_ses_tenants_templates_and_suppression(client, minimal):
    ses = client("sesv2")
    ses.create_email_identity(EmailIdentity="acme.example")
    control(minimal, "POST", "/_sandbox/ses/222222222222/us-east-1/identities/acme.example/verify")
    tenant = ses.create_tenant(TenantName="acme", Tags=[{"Key": "pinshift:client", "Value": "acme"}])
    assert tenant["SendingStatus"] == "ENABLED"
    ses.create_tenant_resource_association(TenantName="acme",
                                           ResourceArn="arn:aws:ses:us-east-1:222222222222:identity/acme.example")
    assert ses.list_tenant_resources(TenantName="acme")["TenantResources"][0]["ResourceType"] == "EMAIL_IDENTITY"
    assert ses.list_tenants(Filter={"TENANT_NAME_CONTAINS": "ac"})["Tenants"][0]["TenantName"] == "acme"
    assert ses.get_tenant(TenantName="acme")["Tenant"]["Tags"][0]["Value"] == "acme"
    entity = ses.get_reputation_entity(ReputationEntityType="RESOURCE", ReputationEntityReference=tenant["TenantArn"])
    assert entity["ReputationEntity"]["ReputationManagementPolicy"].endswith("/standard")
    ses.list_reputation_entities()
    ses.list_recommendations()
    with pytest.raises(botocore.exceptions.ClientError) as duplicate:
        ses.create_tenant(TenantName="acme")
    assert code(duplicate) == "AlreadyExistsException"

    ses.create_email_template(TemplateName="welcome", TemplateContent={"Subject": "Hi {{name}}", "Text": "Dear {{name}}"})
    assert "Hi Ann" in ses.test_render_email_template(TemplateName="welcome", TemplateData='{"name": "Ann"}')["RenderedTemplate"]
    with pytest.raises(botocore.exceptions.ClientError) as missing:
        ses.test_render_email_template(TemplateName="welcome", TemplateData="{}")
    assert code(missing) == "BadRequestException"
    ses.get_email_template(TemplateName="welcome")
    ses.create_configuration_set(ConfigurationSetName="acme")
    ses.put_configuration_set_tracking_options(ConfigurationSetName="acme", CustomRedirectDomain="click.acme.example")
    ses.put_configuration_set_reputation_options(ConfigurationSetName="acme", ReputationMetricsEnabled=True)
    got = ses.get_configuration_set(ConfigurationSetName="acme")
    assert got["TrackingOptions"]["CustomRedirectDomain"] == "click.acme.example"
    assert got["ReputationOptions"]["ReputationMetricsEnabled"] is True
    ses.create_configuration_set_event_destination(ConfigurationSetName="acme", EventDestinationName="bus", EventDestination={
        "Enabled": True, "MatchingEventTypes": ["BOUNCE"], "EventBridgeDestination": {"EventBusArn": "arn:aws:events:us-east-1:222222222222:event-bus/default"}})
    ses.update_configuration_set_event_destination(ConfigurationSetName="acme", EventDestinationName="bus", EventDestination={
        "Enabled": False, "MatchingEventTypes": ["BOUNCE", "COMPLAINT"], "EventBridgeDestination": {"EventBusArn": "arn:aws:events:us-east-1:222222222222:event-bus/default"}})
    destinations = ses.get_configuration_set_event_destinations(ConfigurationSetName="acme")["EventDestinations"]
    assert destinations[0]["Enabled"] is False and destinations[0]["MatchingEventTypes"] == ["BOUNCE", "COMPLAINT"]
    ses.delete_configuration_set_event_destination(ConfigurationSetName="acme", EventDestinationName="bus")
    assert ses.get_configuration_set_event_destinations(ConfigurationSetName="acme")["EventDestinations"] == []
    ses.list_email_templates()

    ses.put_tenant_suppression_attributes(TenantName="acme", SuppressionScope="TENANT")
    ses.put_suppressed_destination(EmailAddress="gone@acme.example", Reason="COMPLAINT", TenantName="acme")
    found = ses.get_suppressed_destination(EmailAddress="gone@acme.example", TenantName="acme")
    assert found["SuppressedDestination"]["Reason"] == "COMPLAINT"
    assert ses.list_suppressed_destinations(TenantName="acme")["SuppressedDestinationSummaries"][0]["EmailAddress"] == "gone@acme.example"
    ses.create_contact_list(ContactListName="news", Topics=[{"TopicName": "deals", "DisplayName": "Deals", "DefaultSubscriptionStatus": "OPT_OUT"}])
    ses.create_contact(ContactListName="news", EmailAddress="ann@example.com",
                       TopicPreferences=[{"TopicName": "deals", "SubscriptionStatus": "OPT_IN"}])
    assert ses.list_contacts(ContactListName="news")["Contacts"][0]["EmailAddress"] == "ann@example.com"
    # The bulk path lands in the account's list (it has no TenantName).
    s3 = client("s3")
    s3.create_bucket(Bucket="acme-suppression")
    s3.put_object(Bucket="acme-suppression", Key="list.csv", Body=b"EMAIL,REASON\nold@acme.example,BOUNCE\nbad-row,BOUNCE\n")
    job = ses.create_import_job(ImportDataSource={"S3Url": "s3://acme-suppression/list.csv", "DataFormat": "CSV"},
                                ImportDestination={"SuppressionListDestination": {"SuppressionListImportAction": "PUT"}})
    done = ses.get_import_job(JobId=job["JobId"])
    assert (done["JobStatus"], done["ProcessedRecordsCount"], done["FailedRecordsCount"]) == ("COMPLETED", 1, 1)
    assert ses.get_suppressed_destination(EmailAddress="old@acme.example")["SuppressedDestination"]["Reason"] == "BOUNCE"
    assert ses.list_import_jobs(ImportDestinationType="SUPPRESSION_LIST")["ImportJobs"][0]["JobId"] == job["JobId"]
    sent = ses.send_email(FromEmailAddress="news@acme.example", TenantName="acme",
                          Destination={"ToAddresses": ["bounce@simulator.amazonses.com"]},
                          Content={"Simple": {"Subject": {"Data": "s"}, "Body": {"Text": {"Data": "b"}}}})
    assert sent["MessageId"]
    assert control(minimal, "GET", "/_sandbox/ses/222222222222/us-east-1/events")[0]["eventType"] == "Bounce"


def test_sms_pools_keywords_defaults_and_opt_outs(client, minimal):
    sms = client("pinpoint-sms-voice-v2")
    numbers = [sms.request_phone_number(IsoCountryCode="US", MessageType="TRANSACTIONAL", NumberCapabilities=["SMS"],
                                        NumberType="SIMULATOR")["PhoneNumberId"] for _ in range(2)]
    pool = sms.create_pool(OriginationIdentity=numbers[0], MessageType="TRANSACTIONAL", DeletionProtectionEnabled=True)
    other = sms.create_pool(OriginationIdentity=numbers[1], MessageType="TRANSACTIONAL")
    with pytest.raises(botocore.exceptions.ClientError) as taken:
        sms.associate_origination_identity(PoolId=other["PoolId"], OriginationIdentity=numbers[0])
    assert code(taken) == "ConflictException"
    assert taken.value.response["Reason"] == "PHONE_NUMBER_ASSOCIATED_TO_POOL"
    sms.put_keyword(OriginationIdentity=pool["PoolId"], Keyword="STOP", KeywordMessage="Bye", KeywordAction="OPT_OUT")
    assert sms.describe_keywords(OriginationIdentity=pool["PoolId"])["Keywords"][0]["Keyword"] == "STOP"
    with pytest.raises(botocore.exceptions.ClientError) as protected:
        sms.delete_pool(PoolId=pool["PoolId"])
    assert code(protected) == "ConflictException"
    sms.update_pool(PoolId=pool["PoolId"], DeletionProtectionEnabled=False)
    sms.delete_pool(PoolId=pool["PoolId"])
    sms.create_configuration_set(ConfigurationSetName="acme")
    sms.set_default_sender_id(ConfigurationSetName="acme", SenderId="ACME")
    sms.set_default_message_type(ConfigurationSetName="acme", MessageType="PROMOTIONAL")
    assert sms.describe_configuration_sets(ConfigurationSetNames=["acme"])["ConfigurationSets"][0]["DefaultSenderId"] == "ACME"
    sms.create_opt_out_list(OptOutListName="acme")
    sms.put_opted_out_number(OptOutListName="acme", OptedOutNumber="+12065550100")
    sms.delete_opted_out_number(OptOutListName="acme", OptedOutNumber="+12065550100")
    sms.put_opted_out_number(OptOutListName="acme", OptedOutNumber="+12065550100")
    with pytest.raises(botocore.exceptions.ClientError) as again:
        sms.delete_opted_out_number(OptOutListName="acme", OptedOutNumber="+12065550100")
    assert code(again) == "ValidationException"
    control(minimal, "POST", "/_sandbox/clock/advance", {"days": 31})
    sms.delete_opted_out_number(OptOutListName="acme", OptedOutNumber="+12065550100")
    limits = {l["Name"]: l for l in sms.describe_account_limits()["AccountLimits"]}
    assert limits["POOLS"]["Used"] == 1

    # Pinshift tags what it adopts; event destinations change but never change type.
    arn = sms.describe_opt_out_lists(OptOutListNames=["acme"])["OptOutLists"][0]["OptOutListArn"]
    sms.tag_resource(ResourceArn=arn, Tags=[{"Key": "pinshift:client", "Value": "acme"}])
    assert sms.list_tags_for_resource(ResourceArn=arn)["Tags"] == [{"Key": "pinshift:client", "Value": "acme"}]
    assert control(minimal, "GET", "/_sandbox/target")["accounts"]["222222222222"]["us-east-1"]["sms"]["tags"][arn][0]["Value"] == "acme"
    sms.create_event_destination(ConfigurationSetName="acme", EventDestinationName="to-sns", MatchingEventTypes=["ALL"],
                                 SnsDestination={"TopicArn": "arn:aws:sns:us-east-1:222222222222:acme"})
    updated = sms.update_event_destination(ConfigurationSetName="acme", EventDestinationName="to-sns", Enabled=False)
    assert updated["EventDestination"]["Enabled"] is False
    with pytest.raises(botocore.exceptions.ClientError) as retyped:
        sms.update_event_destination(ConfigurationSetName="acme", EventDestinationName="to-sns",
                                     CloudWatchLogsDestination={"IamRoleArn": "arn:aws:iam::222222222222:role/r",
                                                                "LogGroupArn": "arn:aws:logs:us-east-1:222222222222:log-group:g"})
    assert code(retyped) == "ValidationException"
    sms.delete_event_destination(ConfigurationSetName="acme", EventDestinationName="to-sns")


def test_connect_profiles_campaigns_and_templates(client, minimal):
    connect, profiles, campaigns, qconnect = (client(s) for s in ("connect", "customer-profiles", "connectcampaignsv2", "qconnect"))
    instance = connect.create_instance(IdentityManagementType="CONNECT_MANAGED", InboundCallsEnabled=True,
                                       OutboundCallsEnabled=True, InstanceAlias="acme-cx", Tags={"pinshift:client": "acme"})
    assert connect.describe_instance(InstanceId=instance["Id"])["Instance"]["InstanceStatus"] == "CREATION_IN_PROGRESS"
    control(minimal, "POST", "/_sandbox/clock/advance", {"seconds": 120})
    assert connect.describe_instance(InstanceId=instance["Id"])["Instance"]["Tags"] == {"pinshift:client": "acme"}
    connect.list_instances()
    flow = connect.create_contact_flow(InstanceId=instance["Id"], Name="journey", Type="CAMPAIGN", Content=FLOW, Status="SAVED")
    connect.describe_contact_flow(InstanceId=instance["Id"], ContactFlowId=flow["ContactFlowId"] + ":$SAVED")
    connect.list_contact_flows(InstanceId=instance["Id"], ContactFlowTypes=["CAMPAIGN"])
    connect.update_instance_attribute(InstanceId=instance["Id"], AttributeType="HIGH_VOLUME_OUTBOUND", Value="true")
    assert connect.describe_instance_attribute(InstanceId=instance["Id"], AttributeType="HIGH_VOLUME_OUTBOUND")["Attribute"]["Value"] == "true"

    kb = qconnect.create_knowledge_base(name="acme", knowledgeBaseType="MESSAGE_TEMPLATES")["knowledgeBase"]
    template = qconnect.create_message_template(
        knowledgeBaseId=kb["knowledgeBaseId"], name="hello", channelSubtype="EMAIL",
        content={"email": {"subject": "Hi {{Attributes.Customer.FirstName}}",
                           "body": {"html": {"content": "<p>{{Attributes.Customer.LastName}}</p>"}}}})["messageTemplate"]
    rendered = qconnect.render_message_template(knowledgeBaseId=kb["knowledgeBaseId"], messageTemplateId=template["messageTemplateId"],
                                                attributes={"customerProfileAttributes": {"firstName": "Ann"}})
    assert rendered["content"]["email"]["subject"] == "Hi Ann"
    assert rendered["attributesNotInterpolated"] == ["Attributes.Customer.LastName"]
    qconnect.create_message_template_version(knowledgeBaseId=kb["knowledgeBaseId"], messageTemplateId=template["messageTemplateId"])
    qconnect.activate_message_template(knowledgeBaseId=kb["knowledgeBaseId"], messageTemplateId=template["messageTemplateId"], versionNumber=1)
    qconnect.list_message_templates(knowledgeBaseId=kb["knowledgeBaseId"])
    qconnect.list_message_template_versions(knowledgeBaseId=kb["knowledgeBaseId"], messageTemplateId=template["messageTemplateId"])
    connect.create_integration_association(InstanceId=instance["Id"], IntegrationType="Q_MESSAGE_TEMPLATES", IntegrationArn=kb["knowledgeBaseArn"])
    connect.list_integration_associations(InstanceId=instance["Id"])

    domain = profiles.create_domain(DomainName="acme", DefaultExpirationDays=365)
    assert domain["DefaultExpirationDays"] == 365
    profiles.put_profile_object_type(DomainName="acme", ObjectTypeName="Contact", Description="d", AllowProfileCreation=True,
                                     Fields={"email": {"Source": "_source.email", "Target": "_profile.EmailAddress"}},
                                     Keys={"_email": [{"StandardIdentifiers": ["PROFILE"], "FieldNames": ["email"]}]})
    batch = profiles.batch_put_profile_object(DomainName="acme", ObjectTypeName="Contact",
                                              Items=[{"Id": "1", "Object": '{"email": "ann@example.com"}'}])
    assert len(batch["Successful"]) == 1
    assert profiles.search_profiles(DomainName="acme", KeyName="_email", Values=["ann@example.com"])["Items"]
    assert profiles.get_domain(DomainName="acme")["Stats"]["ProfileCount"] == 1
    profiles.put_integration(DomainName="acme", Uri=instance["Arn"])
    trigger = profiles.create_event_trigger(DomainName="acme", EventTriggerName="signed-up", ObjectTypeName="Contact",
                                            EventTriggerConditions=[{"LogicalOperator": "ANY", "EventTriggerDimensions": [
                                                {"ObjectAttributes": [{"FieldName": "email", "ComparisonOperator": "CONTAINS", "Values": ["@"]}]}]}])
    assert trigger["EventTriggerName"] == "signed-up"
    assert profiles.list_event_triggers(DomainName="acme")["Items"][0]["ObjectTypeName"] == "Contact"
    profiles.list_integrations(DomainName="acme")
    segment = profiles.create_segment_definition(DomainName="acme", SegmentDefinitionName="all", DisplayName="All",
                                                 SegmentGroups={"Include": "ALL", "Groups": []})
    profiles.get_segment_definition(DomainName="acme", SegmentDefinitionName="all")
    estimate = profiles.create_segment_estimate(DomainName="acme", SegmentQuery={"Include": "ALL", "Groups": []})
    profiles.get_segment_estimate(DomainName="acme", EstimateId=estimate["EstimateId"])
    assert profiles.get_segment_estimate(DomainName="acme", EstimateId=estimate["EstimateId"])["Estimate"] == "1"

    campaigns.start_instance_onboarding_job(connectInstanceId=instance["Id"], encryptionConfig={"enabled": False})
    control(minimal, "POST", "/_sandbox/clock/advance", {"seconds": 60})
    assert campaigns.get_instance_onboarding_job_status(connectInstanceId=instance["Id"])["connectInstanceOnboardingJobStatus"]["status"] == "SUCCEEDED"
    campaigns.put_instance_communication_limits(connectInstanceId=instance["Id"], communicationLimitsConfig={
        "allChannelSubtypes": {"communicationLimitsList": [{"maxCountPerRecipient": 3, "frequency": 7, "unit": "DAY"}]}})
    campaigns.get_instance_communication_limits(connectInstanceId=instance["Id"])
    campaigns.put_connect_instance_integration(connectInstanceId=instance["Id"], integrationConfig={"qConnect": {"knowledgeBaseArn": kb["knowledgeBaseArn"]}})
    created = campaigns.create_campaign(name="spring", connectInstanceId=instance["Id"], type="JOURNEY",
                                        source={"customerProfilesSegmentArn": segment["SegmentDefinitionArn"]},
                                        connectCampaignFlowArn=flow["ContactFlowArn"], tags={"pinshift:client": "acme"})
    described = campaigns.describe_campaign(id=created["id"])["campaign"]
    assert described["type"] == "JOURNEY"
    assert campaigns.get_campaign_state_batch(campaignIds=[created["id"], "missing"])["failedRequests"][0]["campaignId"] == "missing"
    campaigns.list_campaigns()
    with pytest.raises(botocore.exceptions.ClientError) as draft:
        campaigns.start_campaign(id=created["id"])
    assert code(draft) == "InvalidCampaignStateException"

    # What a rollback undoes, in reverse order.
    campaigns.delete_campaign(id=created["id"])
    campaigns.delete_connect_instance_integration(connectInstanceId=instance["Id"],
                                                  integrationIdentifier={"qConnect": {"knowledgeBaseArn": kb["knowledgeBaseArn"]}})
    campaigns.delete_connect_instance_config(connectInstanceId=instance["Id"])
    profiles.delete_segment_definition(DomainName="acme", SegmentDefinitionName="all")
    profiles.delete_domain(DomainName="acme")
    qconnect.deactivate_message_template(knowledgeBaseId=kb["knowledgeBaseId"], messageTemplateId=template["messageTemplateId"], versionNumber=1)
    qconnect.delete_message_template(knowledgeBaseId=kb["knowledgeBaseId"], messageTemplateId=template["messageTemplateId"])
    connect.delete_contact_flow(InstanceId=instance["Id"], ContactFlowId=flow["ContactFlowId"])
    connect.delete_instance(InstanceId=instance["Id"])
    qconnect.delete_knowledge_base(knowledgeBaseId=kb["knowledgeBaseId"])
    snapshot = control(minimal, "GET", "/_sandbox/target")
    left = snapshot["accounts"].get("222222222222", {}).get("us-east-1", {})
    assert not left.get("campaigns") and not left.get("connect") and not left.get("profiles") and not left.get("qconnect"), left


def test_a_few_calls_through_the_aws_cli(minimal):
    account = next(a for a in minimal["accounts"] if a["name"] == "client-a")
    env = dict(os.environ, AWS_ACCESS_KEY_ID=account["access_key_id"], AWS_SECRET_ACCESS_KEY=account["secret_access_key"],
               AWS_DEFAULT_REGION="us-east-1")

    def aws(*args):
        out = subprocess.run(["aws", "--endpoint-url", minimal["endpoint"], "--output", "json", *args],
                             env=env, capture_output=True, text=True, check=True)
        return json.loads(out.stdout) if out.stdout.strip() else None

    control(minimal, "PUT", "/_sandbox/quotas", {"enabled": False})
    aws("sesv2", "create-tenant", "--tenant-name", "cli-tenant")
    assert aws("sesv2", "get-tenant", "--tenant-name", "cli-tenant")["Tenant"]["TenantName"] == "cli-tenant"
    aws("customer-profiles", "create-domain", "--domain-name", "cli", "--default-expiration-days", "30")
    assert any(d["DomainName"] == "cli" for d in aws("customer-profiles", "list-domains")["Items"])
    kb = aws("qconnect", "create-knowledge-base", "--name", "cli", "--knowledge-base-type", "MESSAGE_TEMPLATES")
    assert kb["knowledgeBase"]["status"] == "ACTIVE"
