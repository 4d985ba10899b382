"""Writes demo.json, the built-in `demo` estate: a BPO with twelve clients of deliberately varied shape.
Edit this script and run it (`python3 make_demo.py`), or edit demo.json directly; the sandbox checks every
resource against the AWS models when the estate loads."""
import json

ACCT = "444444444444"
OWN = "555555555555"
R = "us-east-1"

def dim_attr(name, values, user=True, kind="INCLUSIVE"):
    key = "UserAttributes" if user else "Attributes"
    return {key: {name: {"AttributeType": kind, "Values": values}}}

def seg(name, dims):
    return {"Name": name, "Dimensions": dims}

def email_channel(domain, region=R, account=ACCT, cs=None):
    c = {"FromAddress": f"news@{domain}", "Identity": f"arn:aws:ses:{region}:{account}:identity/{domain}"}
    if cs: c["ConfigurationSet"] = cs
    return c

def traffic(sends, delivery=0.97, open_=0.2, click=0.03, bounce=0.015, complaint=0.0005, sms=0.0):
    return {"daily_sends": sends, "delivery_rate": delivery, "open_rate": open_, "click_rate": click,
            "bounce_rate": bounce, "complaint_rate": complaint, "sms_share": sms}

def pop(seed, per_channel, **kw):
    p = {"seed": seed, "per_channel": per_channel, "opt_out_share": 0.02, "without_user_id_share": 0.05, "shared_address_share": 0.03,
         "attributes": {"tier": ["gold", "silver", "bronze"], "interests[]": ["news", "offers", "events", "tips"]},
         "user_attributes": {"FirstName": ["Ana", "Ben", "Chloé", "Dev", "Eun", "Femi"]}}
    p.update(kw)
    return p

def tags(client):
    return {"client": client, "cost-centre": f"bpo-{client}"}

def email_campaign(name, seg_name, template, version="1", freq="ONCE", start="2026-09-01T09:00:00Z", **extra):
    c = {"Name": name, "SegmentId": f"{{{{segment:{seg_name}}}}}",
         "Schedule": {"StartTime": start, "Frequency": freq, "Timezone": "UTC"},
         "TemplateConfiguration": {"EmailTemplate": {"Name": template, "Version": version}}, "tags": {"client": name.split('-')[0]}}
    c.update(extra)
    return c

projects_us = []
templates = []
identities = []
config_sets = []

# 1. aurora-books: email only
projects_us.append({
  "name": "aurora-books", "tags": tags("aurora"),
  "channels": {"EMAIL": email_channel("aurorabooks.example", cs="aurora-events")},
  "segments": [seg("readers", dim_attr("subscribed", ["yes"])), seg("lapsed", {"Behavior": {"Recency": {"Duration": "DAY_30", "RecencyType": "INACTIVE"}}})],
  "campaigns": [email_campaign("aurora-monthly", "readers", "aurora-newsletter", freq="MONTHLY", EndTime="2026-12-31T00:00:00Z") if False else
                {"Name": "aurora-monthly", "SegmentId": "{{segment:readers}}", "Schedule": {"StartTime": "2026-01-05T09:00:00Z", "EndTime": "2026-12-31T00:00:00Z", "Frequency": "MONTHLY", "Timezone": "UTC"},
                 "TemplateConfiguration": {"EmailTemplate": {"Name": "aurora-newsletter"}}},
                {"Name": "aurora-winback", "SegmentId": "{{segment:lapsed}}", "Schedule": {"StartTime": "2026-10-01T09:00:00Z", "Frequency": "ONCE"},
                 "TemplateConfiguration": {"EmailTemplate": {"Name": "aurora-winback"}}}],
  "traffic": traffic(8000), "endpoints": pop(11, {"EMAIL": 20000})})
templates += [
  {"type": "EMAIL", "name": "aurora-newsletter", "tags": {"client": "aurora"}, "versions": [
     {"Subject": "This month at Aurora Books", "HtmlPart": "<h1>Hi {{User.UserAttributes.FirstName}}</h1><p>New releases inside.</p>", "DefaultSubstitutions": "{\"User.UserAttributes.FirstName\":\"reader\"}"}]},
  {"type": "EMAIL", "name": "aurora-winback", "tags": {"client": "aurora"}, "versions": [
     {"Subject": "We miss you, {{User.UserAttributes.FirstName}}", "HtmlPart": "{{#if Attributes.tier}}<p>As a {{Attributes.tier}} member…</p>{{/if}}"}]}]
identities.append({"EmailIdentity": "aurorabooks.example", "ConfigurationSetName": "aurora-events", "verified": True, "Tags": [{"Key": "client", "Value": "aurora"}]})
config_sets.append({"ConfigurationSetName": "aurora-events", "EventDestinations": [{"EventDestinationName": "firehose", "EventDestination": {"Enabled": True, "MatchingEventTypes": ["SEND", "DELIVERY", "BOUNCE", "COMPLAINT", "OPEN", "CLICK"], "KinesisFirehoseDestination": {"DeliveryStreamArn": f"arn:aws:firehose:{R}:{ACCT}:deliverystream/aurora", "IamRoleArn": f"arn:aws:iam::{ACCT}:role/ses-firehose"}}}]})

# 2. bluebird-telecom: SMS heavy with opt-outs
projects_us.append({
  "name": "bluebird-telecom", "tags": tags("bluebird"),
  "channels": {"SMS": {"SenderId": "BLUEBIRD"}},
  "segments": [seg("prepaid", dim_attr("plan", ["prepaid"], user=False)), seg("all-mobile", {"Demographic": {"Channel": {"DimensionType": "INCLUSIVE", "Values": ["SMS"]}}})],
  "campaigns": [
    {"Name": "bluebird-topup-reminder", "SegmentId": "{{segment:prepaid}}", "Schedule": {"StartTime": "2026-01-01T10:00:00Z", "Frequency": "WEEKLY", "EndTime": "2026-12-31T00:00:00Z", "IsLocalTime": True, "Timezone": "UTC-05", "QuietTime": {"Start": "21:00", "End": "08:00"}},
     "TemplateConfiguration": {"SMSTemplate": {"Name": "bluebird-topup"}}, "Limits": {"Daily": 1, "MessagesPerSecond": 200}},
    {"Name": "bluebird-outage", "SegmentId": "{{segment:all-mobile}}", "Schedule": {"StartTime": "IMMEDIATE", "Frequency": "EVENT", "EventFilter": {"FilterType": "ENDPOINT", "Dimensions": {"EventType": {"DimensionType": "INCLUSIVE", "Values": ["network.outage"]}}}},
     "MessageConfiguration": {"SMSMessage": {"Body": "Bluebird: we are fixing an outage in your area. Reply STOP to opt out.", "MessageType": "TRANSACTIONAL", "OriginationNumber": "{{phone:bluebird-tfn}}"}}}],
  "traffic": traffic(60000, delivery=0.985, open_=0.0, click=0.0, bounce=0.0, complaint=0.0, sms=1.0),
  "endpoints": pop(12, {"SMS": 40000}, opt_out_share=0.06)})
templates.append({"type": "SMS", "name": "bluebird-topup", "tags": {"client": "bluebird"}, "versions": [{"Body": "Bluebird: your balance is low, {{User.UserAttributes.FirstName}}. Top up at bluebird.example/top. STOP to opt out."}]})

# 3. cobalt-games: push + in-app
projects_us.append({
  "name": "cobalt-games", "tags": tags("cobalt"),
  "channels": {"GCM": {"ServiceJson": "{\"type\":\"service_account\",\"project_id\":\"cobalt\"}", "DefaultAuthenticationMethod": "TOKEN"},
               "APNS": {"TokenKey": "demo-token-key", "TokenKeyId": "KEY123", "TeamId": "TEAM42", "BundleId": "com.cobalt.games"}},
  "segments": [seg("whales", {"Metrics": {"purchases": {"ComparisonOperator": "GREATER_THAN_OR_EQUAL", "Value": 10}}}),
               seg("ios", {"Demographic": {"Platform": {"DimensionType": "INCLUSIVE", "Values": ["ios"]}}})],
  "campaigns": [
    {"Name": "cobalt-season-launch", "SegmentId": "{{segment:whales}}", "Schedule": {"StartTime": "2026-09-15T17:00:00Z", "Frequency": "ONCE"},
     "TemplateConfiguration": {"PushTemplate": {"Name": "cobalt-push"}}},
    {"Name": "cobalt-inapp-offer", "SegmentId": "{{segment:ios}}", "Priority": 1,
     "Schedule": {"StartTime": "IMMEDIATE", "Frequency": "IN_APP_EVENT", "EventFilter": {"FilterType": "SYSTEM", "Dimensions": {"EventType": {"DimensionType": "INCLUSIVE", "Values": ["level.complete"]}}}},
     "TemplateConfiguration": {"InAppTemplate": {"Name": "cobalt-inapp"}}, "Limits": {"Daily": 2, "Session": 1, "Total": 10}}],
  "journeys": [{"Name": "cobalt-comeback", "State": "ACTIVE", "StartActivity": "push",
      "StartCondition": {"EventStartCondition": {"SegmentId": "{{segment:whales}}", "EventFilter": {"FilterType": "ENDPOINT", "Dimensions": {"EventType": {"DimensionType": "INCLUSIVE", "Values": ["session.lapsed"]}}}}},
      "Activities": {"push": {"PUSH": {"TemplateName": "cobalt-push", "MessageConfig": {"TimeToLive": "3600"}, "NextActivity": "wait"}},
                     "wait": {"Wait": {"WaitTime": {"WaitUntil": "2026-12-24T00:00:00Z"}}}}}],
  "traffic": traffic(15000, open_=0.06), "endpoints": pop(13, {"GCM": 12000, "APNS": 9000}, without_user_id_share=0.35)})
templates += [
  {"type": "PUSH", "name": "cobalt-push", "tags": {"client": "cobalt"}, "versions": [{"Default": {"Title": "Season 4 is live", "Body": "Jump back in, {{User.UserAttributes.FirstName}}!"}, "APNS": {"Sound": "default"}, "GCM": {"Action": "OPEN_APP"}}]},
  {"type": "INAPP", "name": "cobalt-inapp", "tags": {"client": "cobalt"}, "versions": [{"Layout": "MIDDLE_BANNER", "Content": [{"HeaderConfig": {"Alignment": "CENTER", "Header": "Level up!", "TextColor": "#FFFFFF"}, "BodyConfig": {"Alignment": "CENTER", "Body": "50% off gems today", "TextColor": "#FFFFFF"}, "BackgroundColor": "#1E3A8A"}]}]}]

# 4. dahlia-health: journey heavy
def dahlia_journey(name, start_seg):
    return {"Name": name, "State": "ACTIVE", "StartActivity": "welcome", "LocalTime": True,
      "StartCondition": {"SegmentStartCondition": {"SegmentId": f"{{{{segment:{start_seg}}}}}"}},
      "Schedule": {"StartTime": "2026-02-01T00:00:00Z", "EndTime": "2027-02-01T00:00:00Z", "Timezone": "America/Chicago"},
      "Limits": {"DailyCap": 2, "EndpointReentryCap": 2, "EndpointReentryInterval": "P30D", "MessagesPerSecond": 100},
      "QuietTime": {"Start": "20:00", "End": "08:00"}, "SendingSchedule": True,
      "OpenHours": {"EMAIL": {"MONDAY": [{"StartTime": "08:00", "EndTime": "18:00"}], "TUESDAY": [{"StartTime": "08:00", "EndTime": "18:00"}]},
                    "SMS": {"MONDAY": [{"StartTime": "09:00", "EndTime": "17:00"}]}},
      "ClosedDays": {"EMAIL": [{"Name": "Thanksgiving", "StartDateTime": "2026-11-26T00:00:00", "EndDateTime": "2026-11-27T00:00:00"}]},
      "Activities": {
        "welcome": {"EMAIL": {"TemplateName": "dahlia-welcome", "NextActivity": "wait-2d", "MessageConfig": {"FromAddress": "care@dahliahealth.example"}}},
        "wait-2d": {"Wait": {"WaitTime": {"WaitFor": "P2D"}, "NextActivity": "opened?"}},
        "opened?": {"ConditionalSplit": {"Condition": {"Operator": "ALL", "Conditions": [{"EventCondition": {"MessageActivity": "welcome", "Dimensions": {"EventType": {"DimensionType": "INCLUSIVE", "Values": ["_email.open"]}}}}]},
                    "EvaluationWaitTime": {"WaitFor": "P1D"}, "TrueActivity": "by-plan", "FalseActivity": "sms-nudge"}},
        "by-plan": {"MultiCondition": {"Branches": [
             {"Condition": {"segmentDimensions": dim_attr("plan", ["gold"])}, "NextActivity": "holdout"},
             {"Condition": {"segmentDimensions": dim_attr("plan", ["silver"])}, "NextActivity": "ab"}],
             "DefaultActivity": "ab", "EvaluationWaitTime": {"WaitFor": "PT1H"}}},
        "holdout": {"Holdout": {"Percentage": 10, "NextActivity": "ab"}},
        "ab": {"RandomSplit": {"Branches": [{"Percentage": 50, "NextActivity": "tips-a"}, {"Percentage": 50, "NextActivity": "tips-b"}]}},
        "tips-a": {"EMAIL": {"TemplateName": "dahlia-tips", "TemplateVersion": "1"}},
        "tips-b": {"EMAIL": {"TemplateName": "dahlia-tips", "TemplateVersion": "2"}},
        "sms-nudge": {"SMS": {"TemplateName": "dahlia-sms", "MessageConfig": {"MessageType": "TRANSACTIONAL", "OriginationNumber": "+12065550170"}}}}}
projects_us.append({
  "name": "dahlia-health", "tags": tags("dahlia"),
  "channels": {"EMAIL": email_channel("dahliahealth.example"), "SMS": {"Enabled": True}},
  "segments": [seg("new-members", dim_attr("member_since_days", ["0", "1", "2", "3"])), seg("renewals", dim_attr("renewal_due", ["yes"]))],
  "journeys": [dahlia_journey("dahlia-onboarding", "new-members"), dahlia_journey("dahlia-renewal", "renewals") | {"State": "PAUSED"}],
  "traffic": traffic(9000, sms=0.3), "endpoints": pop(14, {"EMAIL": 15000, "SMS": 8000}, user_attributes={"plan": ["gold", "silver", "bronze"], "FirstName": ["Ana", "Ben"]})})
templates += [
  {"type": "EMAIL", "name": "dahlia-welcome", "tags": {"client": "dahlia"}, "versions": [{"Subject": "Welcome to Dahlia Health", "HtmlPart": "<p>Hello {{User.UserAttributes.FirstName}},</p><p>Your plan: {{User.UserAttributes.plan}}</p>"}]},
  {"type": "EMAIL", "name": "dahlia-tips", "tags": {"client": "dahlia"}, "versions": [{"Subject": "3 tips for your first month", "HtmlPart": "<ul><li>Tip one</li></ul>"}, {"Subject": "Your first month, made easy", "HtmlPart": "<ol><li>Tip one</li></ol>"}]},
  {"type": "SMS", "name": "dahlia-sms", "tags": {"client": "dahlia"}, "versions": [{"Body": "Dahlia: did you see our welcome email? Reply STOP to opt out."}]}]
identities.append({"EmailIdentity": "dahliahealth.example", "verified": True})

# 5. ember-fashion: A/B campaigns
projects_us.append({
  "name": "ember-fashion", "tags": tags("ember"),
  "channels": {"EMAIL": email_channel("emberfashion.example", cs="ember-events"), "SMS": {"SenderId": "EMBER"}},
  "segments": [seg("shoppers", dim_attr("interests", ["offers"], user=False)), seg("vip", dim_attr("tier", ["gold"], user=False))],
  "campaigns": [
    {"Name": "ember-autumn-ab", "SegmentId": "{{segment:shoppers}}", "HoldoutPercent": 5, "TreatmentName": "subject-A",
     "Schedule": {"StartTime": "2026-09-20T08:00:00Z", "Frequency": "ONCE", "IsLocalTime": True, "Timezone": "UTC"},
     "TemplateConfiguration": {"EmailTemplate": {"Name": "shared-newsletter", "Version": "1"}},
     "AdditionalTreatments": [
        {"SizePercent": 30, "TreatmentName": "subject-B", "TemplateConfiguration": {"EmailTemplate": {"Name": "shared-newsletter", "Version": "2"}}},
        {"SizePercent": 30, "TreatmentName": "sms-instead", "MessageConfiguration": {"SMSMessage": {"Body": "Ember: autumn drop is live!", "MessageType": "PROMOTIONAL"}}}]},
    {"Name": "ember-vip-preview", "SegmentId": "{{segment:vip}}", "HoldoutPercent": 10,
     "Schedule": {"StartTime": "2026-10-10T08:00:00Z", "Frequency": "ONCE"},
     "TemplateConfiguration": {"EmailTemplate": {"Name": "shared-newsletter"}},
     "AdditionalTreatments": [{"SizePercent": 50, "TreatmentName": "early-access", "Schedule": {"StartTime": "2026-10-09T08:00:00Z", "Frequency": "ONCE"}}]}],
  "traffic": traffic(20000, open_=0.25, sms=0.1), "endpoints": pop(15, {"EMAIL": 30000, "SMS": 5000})})
identities.append({"EmailIdentity": "emberfashion.example", "ConfigurationSetName": "ember-events", "verified": True})
config_sets.append({"ConfigurationSetName": "ember-events", "ReputationOptions": {"ReputationMetricsEnabled": True}})

# shared templates (no client prefix): used by ember and fjord
templates += [
  {"type": "EMAIL", "name": "shared-newsletter", "versions": [
     {"Subject": "New this season", "HtmlPart": "<h1>{{#if User.UserAttributes.FirstName}}Hi {{User.UserAttributes.FirstName}}{{else}}Hello{{/if}}</h1>{{#each Attributes.interests}}<p>{{this}}</p>{{/each}}"},
     {"Subject": "Just in: {{Attributes.tier}} picks", "HtmlPart": "<h1>Hello</h1>"}], "active_version": "1"},
  {"type": "SMS", "name": "shared-otp", "versions": [{"Body": "Your code is {{Attributes.Code}}. It expires in 10 minutes.", "DefaultSubstitutions": "{\"Attributes.Code\":\"------\"}"}]}]

# 6. fjord-travel: shares templates
projects_us.append({
  "name": "fjord-travel", "tags": tags("fjord"),
  "channels": {"EMAIL": email_channel("fjordtravel.example"), "SMS": {"Enabled": True}},
  "segments": [seg("travellers", dim_attr("trips", ["1", "2", "3+"])), seg("2fa", dim_attr("mfa", ["sms"], user=False))],
  "campaigns": [
    {"Name": "fjord-newsletter", "SegmentId": "{{segment:travellers}}", "Schedule": {"StartTime": "2026-01-02T07:00:00Z", "EndTime": "2026-12-31T00:00:00Z", "Frequency": "MONTHLY"},
     "TemplateConfiguration": {"EmailTemplate": {"Name": "shared-newsletter"}}},
    {"Name": "fjord-login-code", "SegmentId": "{{segment:2fa}}", "Schedule": {"StartTime": "IMMEDIATE", "Frequency": "EVENT", "EventFilter": {"FilterType": "ENDPOINT", "Dimensions": {"EventType": {"DimensionType": "INCLUSIVE", "Values": ["login.requested"]}}}},
     "TemplateConfiguration": {"SMSTemplate": {"Name": "shared-otp"}}}],
  "traffic": traffic(7000, sms=0.4), "endpoints": pop(16, {"EMAIL": 12000, "SMS": 6000})})
identities.append({"EmailIdentity": "fjordtravel.example", "verified": False})

# 7. granite-bank: high complaint rate
projects_us.append({
  "name": "granite-bank", "tags": tags("granite"),
  "channels": {"EMAIL": email_channel("granitebank.example"), "SMS": {"ShortCode": "46464"}},
  "segments": [seg("customers", dim_attr("customer", ["yes"]))],
  "campaigns": [{"Name": "granite-card-offer", "SegmentId": "{{segment:customers}}", "Schedule": {"StartTime": "2026-08-15T12:00:00Z", "Frequency": "WEEKLY", "EndTime": "2026-12-31T00:00:00Z"},
                 "MessageConfiguration": {"EmailMessage": {"FromAddress": "offers@granitebank.example", "Title": "Pre-approved: the Granite card", "HtmlBody": "<p>Dear {{User.UserAttributes.FirstName}}, …</p>"}}}],
  "traffic": traffic(30000, delivery=0.92, bounce=0.06, complaint=0.004, open_=0.09),
  "endpoints": pop(17, {"EMAIL": 25000, "SMS": 10000}, opt_out_share=0.08)})
identities.append({"EmailIdentity": "granitebank.example", "verified": True})

# 8. harbor-logistics: two regions
harbor = lambda region, seed: {
  "name": "harbor-logistics" if region == R else "harbor-logistics-eu", "tags": tags("harbor"),
  "channels": {"EMAIL": email_channel("harborlogistics.example", region=region), "SMS": {"Enabled": True}},
  "segments": [seg("shippers", dim_attr("role", ["shipper"]))],
  "campaigns": [{"Name": "harbor-delivery-updates", "SegmentId": "{{segment:shippers}}", "Schedule": {"StartTime": "IMMEDIATE", "Frequency": "EVENT", "EventFilter": {"FilterType": "ENDPOINT", "Dimensions": {"EventType": {"DimensionType": "INCLUSIVE", "Values": ["shipment.status"]}}}},
                 "MessageConfiguration": {"SMSMessage": {"Body": "Harbor: shipment {{Attributes.ShipmentId}} is {{Attributes.Status}}.", "MessageType": "TRANSACTIONAL"}}}],
  "traffic": traffic(12000, sms=0.6), "endpoints": pop(seed, {"EMAIL": 6000, "SMS": 9000})}
projects_us.append(harbor(R, 18))
identities.append({"EmailIdentity": "harborlogistics.example", "verified": True})

# 9. iris-insurance: voice + custom channel + hook
projects_us.append({
  "name": "iris-insurance", "tags": tags("iris"),
  "settings": {"CampaignHook": {"LambdaFunctionName": f"arn:aws:lambda:{R}:{ACCT}:function:iris-filter", "Mode": "FILTER"}, "Limits": {"Daily": 2, "Total": 30, "MessagesPerSecond": 50, "MaximumDuration": 7200}},
  "channels": {"VOICE": {"Enabled": True}, "EMAIL": email_channel("irisinsurance.example")},
  "segments": [seg("policyholders", dim_attr("policy", ["auto", "home"]))],
  "campaigns": [
    {"Name": "iris-claims-webhook", "SegmentId": "{{segment:policyholders}}", "Schedule": {"StartTime": "2026-07-01T00:00:00Z", "Frequency": "DAILY", "EndTime": "2026-12-31T00:00:00Z"},
     "CustomDeliveryConfiguration": {"DeliveryUri": "https://hooks.irisinsurance.example/pinpoint", "EndpointTypes": ["CUSTOM"]},
     "MessageConfiguration": {"CustomMessage": {"Data": "{\"kind\":\"claims-digest\"}"}},
     "Hook": {"WebUrl": "https://hooks.irisinsurance.example/filter", "Mode": "FILTER"}}],
  "journeys": [{"Name": "iris-claim-followup", "State": "ACTIVE", "StartActivity": "webhook",
      "StartCondition": {"SegmentStartCondition": {"SegmentId": "{{segment:policyholders}}"}},
      "JourneyChannelSettings": {"ConnectCampaignArn": f"arn:aws:connect-campaigns:{R}:{ACCT}:campaign/iris-callbacks", "ConnectCampaignExecutionRoleArn": f"arn:aws:iam::{ACCT}:role/iris-connect"},
      "Activities": {"webhook": {"CUSTOM": {"DeliveryUri": "https://hooks.irisinsurance.example/journey", "EndpointTypes": ["CUSTOM"], "MessageConfig": {"Data": "{\"step\":\"followup\"}"}, "NextActivity": "call"}},
                     "call": {"ContactCenter": {"NextActivity": "done"}},
                     "done": {"Wait": {"WaitTime": {"WaitFor": "P1D"}}}}}],
  "traffic": traffic(4000), "endpoints": pop(19, {"EMAIL": 5000, "VOICE": 3000, "CUSTOM": 500})})
templates.append({"type": "VOICE", "name": "iris-renewal-call", "tags": {"client": "iris"}, "versions": [{"Body": "Hello, this is Iris Insurance. Your policy renews on {{Attributes.RenewalDate}}.", "LanguageCode": "en-US", "VoiceId": "Joanna"}]})
identities.append({"EmailIdentity": "irisinsurance.example", "verified": True})

# 10. juniper-pharmacy: GPS/recency/demographic segments, imported segment, recommender template
projects_us.append({
  "name": "juniper-pharmacy", "tags": tags("juniper"),
  "channels": {"EMAIL": email_channel("juniperpharmacy.example")},
  "segments": [
    seg("near-stores", {"Location": {"GPSPoint": {"Coordinates": {"Latitude": 41.88, "Longitude": -87.63}, "RangeInKilometers": 10}, "Country": {"DimensionType": "INCLUSIVE", "Values": ["US"]}}}),
    seg("active-app", {"Behavior": {"Recency": {"Duration": "DAY_7", "RecencyType": "ACTIVE"}}, "Demographic": {"Platform": {"DimensionType": "INCLUSIVE", "Values": ["ios", "android"]}, "AppVersion": {"DimensionType": "INCLUSIVE", "Values": ["4.2"]}}}),
    {"Name": "loyalty-import", "ImportDefinition": {"ExternalId": "juniper-import", "Format": "CSV", "RoleArn": f"arn:aws:iam::{ACCT}:role/pinpoint-import", "S3Url": "s3://juniper-imports/loyalty-2026-10.csv", "Size": 18250, "ChannelCounts": {"EMAIL": 18250}}},
    {"Name": "refill-due", "SegmentGroups": {"Include": "ALL", "Groups": [{"Type": "ANY", "SourceType": "ANY", "SourceSegments": [{"Id": "{{segment:loyalty-import}}"}], "Dimensions": [dim_attr("refill_due", ["yes"])]}]}}],
  "campaigns": [{"Name": "juniper-refill", "SegmentId": "{{segment:refill-due}}", "Schedule": {"StartTime": "2026-09-01T14:00:00Z", "Frequency": "DAILY", "EndTime": "2026-12-31T00:00:00Z"},
                 "TemplateConfiguration": {"EmailTemplate": {"Name": "juniper-recommendations"}}}],
  "import_jobs": [{"DefineSegment": True, "Format": "CSV", "RoleArn": f"arn:aws:iam::{ACCT}:role/pinpoint-import", "S3Url": "s3://juniper-imports/loyalty-2026-10.csv", "SegmentName": "loyalty-import", "RegisterEndpoints": True}],
  "traffic": traffic(5000, open_=0.3), "endpoints": pop(20, {"EMAIL": 18250})})
templates.append({"type": "EMAIL", "name": "juniper-recommendations", "tags": {"client": "juniper"}, "versions": [{"Subject": "Picked for you", "HtmlPart": "{{#each Recommendations.Title}}<p>{{this}}</p>{{/each}}", "RecommenderId": "{{recommender:juniper-products}}"}]})
identities.append({"EmailIdentity": "juniperpharmacy.example", "verified": True})

# 11. kestrel-energy: event stream, settings, endpoints without user id
projects_us.append({
  "name": "kestrel-energy", "tags": tags("kestrel"),
  "settings": {"QuietTime": {"Start": "22:00", "End": "07:00"}, "Limits": {"Daily": 4, "MessagesPerSecond": 100}, "JourneyLimits": {"DailyCap": 3, "TotalCap": 20, "TimeframeCap": {"Cap": 5, "Days": 7}}},
  "channels": {"EMAIL": email_channel("kestrelenergy.example"), "SMS": {"Enabled": True}},
  "segments": [seg("smart-meter", dim_attr("meter", ["smart"], user=False))],
  "campaigns": [{"Name": "kestrel-usage-alert", "SegmentId": "{{segment:smart-meter}}", "Schedule": {"StartTime": "IMMEDIATE", "Frequency": "EVENT", "EventFilter": {"FilterType": "ENDPOINT", "Dimensions": {"EventType": {"DimensionType": "INCLUSIVE", "Values": ["usage.spike"]}, "Metrics": {"kwh": {"ComparisonOperator": "GREATER_THAN", "Value": 40}}}}},
                 "MessageConfiguration": {"SMSMessage": {"Body": "Kestrel: unusual usage today ({{Attributes.kwh}} kWh).", "MessageType": "TRANSACTIONAL"}}}],
  "event_stream": {"DestinationStreamArn": f"arn:aws:kinesis:{R}:{ACCT}:stream/kestrel-events", "RoleArn": f"arn:aws:iam::{ACCT}:role/pinpoint-kinesis"},
  "traffic": traffic(10000, sms=0.5), "endpoints": pop(21, {"EMAIL": 9000, "SMS": 9000}, without_user_id_share=0.4)})
identities.append({"EmailIdentity": "kestrelenergy.example", "verified": True})

sms_us = {
  "opt_out_lists": [{"OptOutListName": "bluebird", "GeneratedOptOuts": 800, "Tags": [{"Key": "client", "Value": "bluebird"}]},
                    {"OptOutListName": "granite", "GeneratedOptOuts": 150},
                    {"OptOutListName": "shared-transactional", "OptedOutNumbers": ["+12065550199"]}],
  "sender_ids": [{"SenderId": "EMBER", "IsoCountryCode": "GB", "MessageTypes": ["PROMOTIONAL"]}, {"SenderId": "BLUEBIRD", "IsoCountryCode": "GB"}],
  "phone_numbers": [
    {"Label": "bluebird-tfn", "IsoCountryCode": "US", "MessageType": "PROMOTIONAL", "NumberCapabilities": ["SMS"], "NumberType": "TOLL_FREE", "OptOutListName": "bluebird", "Status": "ACTIVE"},
    {"Label": "bluebird-10dlc", "IsoCountryCode": "US", "MessageType": "TRANSACTIONAL", "NumberCapabilities": ["SMS"], "NumberType": "TEN_DLC", "OptOutListName": "bluebird", "Status": "ACTIVE"},
    {"Label": "granite-10dlc", "IsoCountryCode": "US", "MessageType": "TRANSACTIONAL", "NumberCapabilities": ["SMS", "VOICE"], "NumberType": "TEN_DLC", "OptOutListName": "granite"},
    {"Label": "shared-tfn", "IsoCountryCode": "US", "MessageType": "TRANSACTIONAL", "NumberCapabilities": ["SMS"], "NumberType": "TOLL_FREE", "OptOutListName": "shared-transactional", "Status": "ACTIVE"},
    {"Label": "iris-voice", "IsoCountryCode": "US", "MessageType": "TRANSACTIONAL", "NumberCapabilities": ["VOICE"], "NumberType": "LONG_CODE"}],
  "pools": [{"OriginationIdentity": "{{phone:bluebird-tfn}}", "MessageType": "PROMOTIONAL", "IsoCountryCode": "US", "Members": ["{{phone:bluebird-10dlc}}", "BLUEBIRD"], "Tags": [{"Key": "client", "Value": "bluebird"}]},
            {"OriginationIdentity": "{{phone:shared-tfn}}", "MessageType": "TRANSACTIONAL", "IsoCountryCode": "US", "Tags": [{"Key": "shared", "Value": "true"}]}],
  "configuration_sets": [{"ConfigurationSetName": "bluebird-sms", "EventDestinations": [{"EventDestinationName": "firehose", "MatchingEventTypes": ["TEXT_ALL"], "KinesisFirehoseDestination": {"DeliveryStreamArn": f"arn:aws:firehose:{R}:{ACCT}:deliverystream/bluebird-sms", "IamRoleArn": f"arn:aws:iam::{ACCT}:role/sms-firehose"}}]}],
  "registrations": [{"RegistrationType": "US_TEN_DLC_BRAND_REGISTRATION", "RegistrationStatus": "COMPLETE"},
                    {"RegistrationType": "US_TEN_DLC_CAMPAIGN_REGISTRATION", "RegistrationStatus": "COMPLETE"},
                    {"RegistrationType": "US_TEN_DLC_CAMPAIGN_REGISTRATION", "RegistrationStatus": "REVIEWING"},
                    {"RegistrationType": "US_TOLL_FREE_REGISTRATION", "RegistrationStatus": "COMPLETE"}]}

# 12. meridian-retail in its own account, role denies journeys
meridian = {"name": "meridian-retail", "tags": tags("meridian"),
  "channels": {"EMAIL": email_channel("meridianretail.example", account=OWN)},
  "segments": [seg("members", dim_attr("member", ["yes"]))],
  "campaigns": [{"Name": "meridian-weekly", "SegmentId": "{{segment:members}}", "Schedule": {"StartTime": "2026-05-04T09:00:00Z", "Frequency": "WEEKLY", "EndTime": "2026-12-31T00:00:00Z"},
                 "TemplateConfiguration": {"EmailTemplate": {"Name": "meridian-weekly"}}}],
  "journeys": [{"Name": "meridian-welcome", "State": "ACTIVE", "StartActivity": "hello", "StartCondition": {"SegmentStartCondition": {"SegmentId": "{{segment:members}}"}},
                "Activities": {"hello": {"EMAIL": {"TemplateName": "meridian-weekly"}}}}],
  "traffic": traffic(6000), "endpoints": pop(22, {"EMAIL": 10000})}

estate = {
  "name": "demo",
  "description": "Northwind Engagement Services, a BPO running Pinpoint for twelve clients of deliberately varied shape: email-only (aurora), SMS-heavy with opt-outs (bluebird), push and in-app (cobalt), journey-heavy with splits and holdouts (dahlia), A/B campaigns (ember), templates shared across clients (ember, fjord), transactional with a high complaint rate (granite), one client in two Regions (harbor), voice and custom channels with hooks (iris), GPS/recency/imported segments and a recommender (juniper), an event stream and endpoints without user ids (kestrel), and one client in its own account whose scan role is denied journeys (meridian).",
  "region": R,
  "accounts": [
    {"name": "hub", "account_id": "111111111111", "user": "consultant", "access_key_id": "AKIADEMOHUB000000001", "secret_access_key": "demo/hub/secret/key/000000000000000000001", "roles": []},
    {"name": "northwind", "account_id": ACCT, "user": "admin", "access_key_id": "AKIADEMONORTHWIND001", "secret_access_key": "demo/northwind/secret/key/00000000000001",
     "roles": [{"name": "PinshiftScan", "trusted_accounts": ["111111111111"], "external_id": "pinshift-demo"},
               # Migrations write with their own role, kept apart from the scan role.
               {"name": "PinshiftMigrate", "trusted_accounts": ["111111111111"], "external_id": "pinshift-demo"}],
     "regions": [
       {"region": R, "buckets": ["northwind-pinshift-exports"],
        # The target side a real BPO account already has: the contact center's Connect instance with its
        # Customer Profiles domain (named as the console names it), in use before any client moves.
        "connect_instances": [{"IdentityManagementType": "CONNECT_MANAGED", "InboundCallsEnabled": True, "OutboundCallsEnabled": True,
                               "InstanceAlias": "northwind-cx", "Tags": {"team": "contact-center"}}],
        "profile_domains": [{"DomainName": "amazon-connect-northwind-cx", "DefaultExpirationDays": 366, "Instance": "northwind-cx",
                             "Tags": {"team": "contact-center"}}],
        "recommenders": [{"Name": "juniper-products", "RecommendationProviderUri": f"arn:aws:personalize:{R}:{ACCT}:campaign/juniper-products", "RecommendationProviderRoleArn": f"arn:aws:iam::{ACCT}:role/pinpoint-personalize", "RecommendationsPerMessage": 3, "RecommendationProviderIdType": "PINPOINT_USER_ID", "Attributes": {"Recommendations.Title": "Title"}}],
        "templates": templates, "email_identities": identities, "configuration_sets": config_sets, "sms": sms_us,
        "projects": projects_us},
       {"region": "eu-west-1", "buckets": ["northwind-pinshift-exports-eu"],
        "email_identities": [{"EmailIdentity": "harborlogistics.example", "verified": True}],
        "sms": {"opt_out_lists": [{"OptOutListName": "harbor-eu", "GeneratedOptOuts": 40}]},
        "projects": [harbor("eu-west-1", 23)]}]},
    {"name": "meridian", "account_id": OWN, "user": "admin", "access_key_id": "AKIADEMOMERIDIAN0001", "secret_access_key": "demo/meridian/secret/key/000000000000001",
     "roles": [{"name": "PinshiftScan", "trusted_accounts": ["111111111111"], "external_id": "pinshift-demo", "deny": ["mobiletargeting:*Journey*"]}],
     "regions": [{"region": R,
        "templates": [{"type": "EMAIL", "name": "meridian-weekly", "tags": {"client": "meridian"}, "versions": [{"Subject": "Your week at Meridian", "HtmlPart": "<p>Hi {{User.UserAttributes.FirstName}}</p>"}]}],
        "email_identities": [{"EmailIdentity": "meridianretail.example", "verified": True}],
        "projects": [meridian]}]}]}
open(__import__('os').path.join(__import__('os').path.dirname(__import__('os').path.abspath(__file__)), 'demo.json'), 'w').write(json.dumps(estate, indent=2, ensure_ascii=False) + "\n")
print(sum(len(r.get('projects', [])) for a in estate['accounts'] for r in a.get('regions', [])), "projects")
