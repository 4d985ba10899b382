//! One case per rule: a payload that triggers it and one that does not.

use serde_json::{Value, json};

use super::RULES;

fn cases() -> Vec<(&'static str, Value, Value)> {
    vec![
        (
            "settings.campaign-hook",
            json!({"CampaignHook": {"LambdaFunctionName": "f", "Mode": "FILTER"}}),
            json!({"CampaignHook": {}}),
        ),
        ("settings.limits-daily", json!({"Limits": {"Daily": 4}}), json!({"Limits": {}})),
        ("settings.limits-total", json!({"Limits": {"Total": 30}}), json!({"Limits": {"Total": 0}})),
        ("settings.limits-session", json!({"Limits": {"Session": 1}}), json!({"Limits": {}})),
        ("settings.limits-maximum-duration", json!({"Limits": {"MaximumDuration": 7200}}), json!({})),
        ("settings.limits-mps", json!({"Limits": {"MessagesPerSecond": 50}}), json!({"Limits": {"Daily": 1}})),
        ("settings.quiet-time", json!({"QuietTime": {"Start": "22:00", "End": "07:00"}}), json!({"QuietTime": {}})),
        ("settings.journey-daily-cap", json!({"JourneyLimits": {"DailyCap": 3}}), json!({"JourneyLimits": {}})),
        (
            "settings.journey-timeframe-cap",
            json!({"JourneyLimits": {"TimeframeCap": {"Cap": 5, "Days": 7}}}),
            json!({"JourneyLimits": {"TimeframeCap": {}}}),
        ),
        (
            "settings.journey-total-cap",
            json!({"JourneyLimits": {"TotalCap": 20}}),
            json!({"JourneyLimits": {"DailyCap": 1}}),
        ),
        (
            "channel.email",
            json!({"Platform": "EMAIL", "Enabled": true}),
            json!({"Platform": "EMAIL", "Enabled": false}),
        ),
        (
            "channel.email-mps",
            json!({"Platform": "EMAIL", "MessagesPerSecond": 20}),
            json!({"Platform": "SMS", "MessagesPerSecond": 20}),
        ),
        ("channel.sms", json!({"Platform": "SMS", "Enabled": true}), json!({"Platform": "EMAIL", "Enabled": true})),
        (
            "channel.sms-short-code",
            json!({"Platform": "SMS", "ShortCode": "12345"}),
            json!({"Platform": "SMS", "ShortCode": ""}),
        ),
        (
            "channel.voice",
            json!({"Platform": "VOICE", "Enabled": true}),
            json!({"Platform": "VOICE", "Enabled": false}),
        ),
        (
            "channel.push",
            json!({"Platform": "APNS_SANDBOX", "Enabled": true}),
            json!({"Platform": "SMS", "Enabled": true}),
        ),
        ("segment.dimensional", json!({"SegmentType": "DIMENSIONAL"}), json!({"SegmentType": "IMPORT"})),
        ("segment.imported", json!({"SegmentType": "IMPORT"}), json!({"SegmentType": "DIMENSIONAL"})),
        (
            "segment.gps",
            json!({"SegmentGroups": {"Groups": [{"Dimensions": [{"Location": {"GPSPoint": {"RangeInKilometers": 5}}}]}]}}),
            json!({"Dimensions": {"Location": {"Country": {"Values": ["US"]}}}}),
        ),
        (
            "segment.recency",
            json!({"Dimensions": {"Behavior": {"Recency": {"Duration": "DAY_7", "RecencyType": "ACTIVE"}}}}),
            json!({"Dimensions": {"Behavior": {}}}),
        ),
        (
            "segment.demographic",
            json!({"Dimensions": {"Demographic": {"Platform": {"Values": ["ios"]}}}}),
            json!({"Dimensions": {}}),
        ),
        (
            "segment.metrics",
            json!({"Dimensions": {"Metrics": {"visits": {"ComparisonOperator": "GREATER_THAN", "Value": 3}}}}),
            json!({"Dimensions": {"Attributes": {}}}),
        ),
        (
            "segment.source-segments",
            json!({"SegmentGroups": {"Groups": [{"SourceSegments": [{"Id": "s1"}]}]}}),
            json!({"SegmentGroups": {"Groups": [{"SourceSegments": []}]}}),
        ),
        ("campaign.definition", json!({"Schedule": {"Frequency": "ONCE"}}), json!({"Schedule": {}})),
        (
            "campaign.ab-treatments",
            json!({"AdditionalTreatments": [{"SizePercent": 50}]}),
            json!({"AdditionalTreatments": []}),
        ),
        ("campaign.holdout", json!({"HoldoutPercent": 10}), json!({"HoldoutPercent": 0})),
        ("campaign.hook", json!({"Hook": {"WebUrl": "https://x"}}), json!({"Hook": {}})),
        (
            "campaign.recurring",
            json!({"Schedule": {"Frequency": "WEEKLY"}}),
            json!({"Schedule": {"Frequency": "ONCE"}}),
        ),
        (
            "campaign.event-triggered",
            json!({"Schedule": {"Frequency": "EVENT"}}),
            json!({"Schedule": {"Frequency": "DAILY"}}),
        ),
        (
            "campaign.in-app",
            json!({"TemplateConfiguration": {"InAppTemplate": {"Name": "x"}}}),
            json!({"TemplateConfiguration": {"EmailTemplate": {"Name": "x"}}}),
        ),
        (
            "campaign.push",
            json!({"MessageConfiguration": {"GCMMessage": {"Body": "hi"}}}),
            json!({"MessageConfiguration": {"SMSMessage": {"Body": "hi"}}}),
        ),
        ("campaign.custom-delivery", json!({"CustomDeliveryConfiguration": {"DeliveryUri": "https://x"}}), json!({})),
        ("campaign.limits-daily", json!({"Limits": {"Daily": 1}}), json!({"Limits": {}})),
        ("campaign.limits-total", json!({"Limits": {"Total": 10}}), json!({"Limits": {"Daily": 1}})),
        ("campaign.limits-session", json!({"Limits": {"Session": 1}}), json!({"Limits": {}})),
        ("campaign.limits-maximum-duration", json!({"Limits": {"MaximumDuration": 60}}), json!({"Limits": {}})),
        ("campaign.limits-mps", json!({"Limits": {"MessagesPerSecond": 200}}), json!({"Limits": {}})),
        (
            "campaign.quiet-time",
            json!({"Schedule": {"QuietTime": {"Start": "21:00"}}}),
            json!({"Schedule": {"QuietTime": {}}}),
        ),
        (
            "campaign.local-time",
            json!({"Schedule": {"IsLocalTime": true}}),
            json!({"Schedule": {"IsLocalTime": false}}),
        ),
        (
            "campaign.inline-email",
            json!({"MessageConfiguration": {"EmailMessage": {"Title": "t"}}}),
            json!({"MessageConfiguration": {}}),
        ),
        (
            "campaign.inline-sms",
            json!({"MessageConfiguration": {"SMSMessage": {"Body": "b"}}}),
            json!({"MessageConfiguration": {"SMSMessage": {}}}),
        ),
        (
            "campaign.india-dlt",
            json!({"MessageConfiguration": {"SMSMessage": {"EntityId": "e"}}}),
            json!({"MessageConfiguration": {"SMSMessage": {"Body": "b"}}}),
        ),
        ("journey.flow", json!({"Activities": {"a": {"Wait": {}}}}), json!({"Activities": {}})),
        (
            "journey.wait",
            json!({"Activities": {"a": {"Wait": {"WaitTime": {"WaitFor": "P1D"}}}}}),
            json!({"Activities": {"a": {"EMAIL": {}}}}),
        ),
        (
            "journey.conditional-split",
            json!({"Activities": {"a": {"MultiCondition": {"Branches": []}}}}),
            json!({"Activities": {"a": {"Wait": {"x": 1}}}}),
        ),
        (
            "journey.random-split",
            json!({"Activities": {"a": {"RandomSplit": {"Branches": [{}]}}}}),
            json!({"Activities": {}}),
        ),
        ("journey.holdout", json!({"Activities": {"h": {"Holdout": {"Percentage": 10}}}}), json!({"Activities": {}})),
        (
            "journey.custom-activity",
            json!({"Activities": {"c": {"CUSTOM": {"DeliveryUri": "https://x"}}}}),
            json!({"Activities": {}}),
        ),
        (
            "journey.push-activity",
            json!({"Activities": {"p": {"PUSH": {"TemplateName": "t"}}}}),
            json!({"Activities": {}}),
        ),
        (
            "journey.contact-center",
            json!({"Activities": {"c": {"ContactCenter": {"NextActivity": "x"}}}}),
            json!({"Activities": {}}),
        ),
        (
            "journey.event-start",
            json!({"StartCondition": {"EventStartCondition": {"SegmentId": "s"}}}),
            json!({"StartCondition": {"SegmentStartCondition": {"SegmentId": "s"}}}),
        ),
        ("journey.open-hours", json!({"OpenHours": {"EMAIL": {"MONDAY": []}}}), json!({"OpenHours": {}})),
        ("journey.closed-days", json!({"ClosedDays": {"EMAIL": [{"Name": "x"}]}}), json!({})),
        ("journey.quiet-time", json!({"QuietTime": {"Start": "22:00"}}), json!({"QuietTime": {}})),
        ("journey.reentry", json!({"Limits": {"EndpointReentryCap": 2}}), json!({"Limits": {"DailyCap": 1}})),
        ("journey.limits-daily", json!({"Limits": {"DailyCap": 1}}), json!({"Limits": {}})),
        ("journey.limits-mps", json!({"Limits": {"MessagesPerSecond": 10}}), json!({"Limits": {}})),
        ("journey.refresh", json!({"RefreshFrequency": "PT1H"}), json!({})),
        (
            "journey.timezone-estimation",
            json!({"TimezoneEstimationMethods": ["PHONE_NUMBER"]}),
            json!({"TimezoneEstimationMethods": []}),
        ),
        ("event-stream.consumers", json!({"DestinationStreamArn": "arn:aws:kinesis:…"}), json!({})),
        ("import-job.pipeline", json!({"Definition": {"S3Url": "s3://b/k"}}), json!({"Definition": {}})),
        ("template.email", json!({"TemplateType": "EMAIL"}), json!({"TemplateType": "SMS"})),
        ("template.sms", json!({"TemplateType": "SMS"}), json!({"TemplateType": "EMAIL"})),
        ("template.push", json!({"TemplateType": "PUSH"}), json!({"TemplateType": "SMS"})),
        ("template.voice", json!({"TemplateType": "VOICE"}), json!({"TemplateType": "SMS"})),
        ("template.in-app", json!({"TemplateType": "INAPP"}), json!({"TemplateType": "SMS"})),
        (
            "template.helpers-ses",
            json!({"TemplateType": "EMAIL", "HtmlPart": "Hi {{capitalize User.UserAttributes.FirstName}}"}),
            json!({"TemplateType": "EMAIL", "HtmlPart": "Hi {{#if User.UserId}}{{User.UserId}}{{/if}}"}),
        ),
        (
            "template.helpers-connect",
            json!({"TemplateType": "SMS", "Body": "{{#with User}}{{UserId}}{{/with}}"}),
            json!({"TemplateType": "SMS", "Body": "{{User.UserId}}"}),
        ),
        (
            "template.default-substitutions",
            json!({"DefaultSubstitutions": "{\"a\":\"b\"}"}),
            json!({"DefaultSubstitutions": ""}),
        ),
        ("template.email-headers", json!({"Headers": [{"Name": "X", "Value": "y"}]}), json!({"Headers": []})),
        ("template.recommender", json!({"RecommenderId": "r1"}), json!({})),
        ("template.unparseable", json!({"Body": "{{#if x}}never closed"}), json!({"Body": "{{#if x}}closed{{/if}}"})),
        ("recommender.personalize", json!({"RecommendationProviderUri": "arn:aws:personalize:…"}), json!({})),
        ("email-identity.carry", json!({"IdentityType": "DOMAIN"}), json!({})),
        (
            "email-identity.unverified",
            json!({"VerifiedForSendingStatus": false}),
            json!({"VerifiedForSendingStatus": true}),
        ),
        ("email-config-set.carry", json!({"ConfigurationSetName": "c"}), json!({})),
        (
            "email-config-set.pinpoint-destination",
            json!({"EventDestinations": [{"PinpointDestination": {"ApplicationArn": "a"}}]}),
            json!({"EventDestinations": [{"KinesisFirehoseDestination": {}}]}),
        ),
        ("phone-number.pool", json!({"PhoneNumber": "+18335550001"}), json!({})),
        ("phone-number.pending", json!({"Status": "PENDING"}), json!({"Status": "ACTIVE"})),
        ("phone-number.two-way", json!({"TwoWayEnabled": true}), json!({"TwoWayEnabled": false})),
        ("sender-id.carry", json!({"SenderId": "ACME"}), json!({})),
        ("pool.carry", json!({"PoolId": "pool-1"}), json!({})),
        ("opt-out-list.carry", json!({"OptOutListName": "acme"}), json!({})),
        ("sms-config-set.carry", json!({"ConfigurationSetName": "acme-sms"}), json!({})),
        (
            "registration.incomplete",
            json!({"RegistrationStatus": "REVIEWING"}),
            json!({"RegistrationStatus": "COMPLETE"}),
        ),
        ("audience.profiles", json!({"endpoints": 10}), json!({"endpoints": 0})),
        ("audience.without-user-id", json!({"without_user_id": 3}), json!({"without_user_id": 0})),
        (
            "audience.multi-value",
            json!({"attributes": [{"name": "a", "multi_valued": 0}, {"name": "b", "multi_valued": 2}]}),
            json!({"attributes": [{"name": "a", "multi_valued": 0}]}),
        ),
        ("audience.opt-outs", json!({"opted_out": 5}), json!({"opted_out": 0})),
        ("audience.shared", json!({"shared_with": {"p2": 3}}), json!({"shared_with": {"p2": 0}})),
    ]
}

#[test]
fn every_rule_fires_on_its_case_and_not_on_its_counter_case() {
    let cases = cases();
    for rule in RULES {
        let (_, yes, no) =
            cases.iter().find(|(id, ..)| *id == rule.id).unwrap_or_else(|| panic!("rule {} has no test case", rule.id));
        let evidence = rule.when.evaluate(yes).unwrap_or_else(|| panic!("{} did not fire on {yes}", rule.id));
        assert!(!evidence.is_empty(), "{}: a finding must name its field", rule.id);
        for e in &evidence {
            let read = rule.reads();
            let base = |p: &str| p.split(['.', '[']).next().unwrap_or_default().to_owned();
            assert!(
                read.iter().any(|r| base(r) == base(&e.field)),
                "{}: evidence {} is not a field it reads",
                rule.id,
                e.field
            );
        }
        assert!(rule.when.evaluate(no).is_none(), "{} fired on its counter case {no}", rule.id);
    }
    for (id, ..) in &cases {
        assert!(RULES.iter().any(|r| r.id == *id), "case for unknown rule {id}");
    }
}

#[test]
fn helper_evidence_gives_the_position() {
    let rule = RULES.iter().find(|r| r.id == "template.helpers-ses").expect("rule");
    let raw = json!({"TemplateType": "EMAIL", "HtmlPart": "<p>\n{{now}} {{capitalize User.UserAttributes.City}}</p>"});
    let evidence = rule.when.evaluate(&raw).expect("fires");
    let helpers: Vec<_> = evidence.iter().filter(|e| e.field == "HtmlPart").map(|e| e.value.as_str()).collect();
    // `now` takes no argument but is a Pinpoint helper all the same
    assert_eq!(helpers, ["{{now}} at line 2, column 1", "{{capitalize}} at line 2, column 9"]);
}
