//! Segments, campaigns and journeys translated: what a reviewer relies on, case by case (the demo estate's
//! golden file is in the CLI tests).

use std::collections::BTreeMap;

use pinshift_core::profile::ProfileMapping;
use pinshift_core::translate::campaign::{CampaignContext, translate as campaign};
use pinshift_core::translate::estate::segment_attributes;
use pinshift_core::translate::estimate::{Segments, estimate, segment_sample};
use pinshift_core::translate::journey::translate as journey;
use pinshift_core::translate::segment::{SegmentContext, UNSUPPORTED_ATTRIBUTE, translate as segment};
use pinshift_core::translate::{Severity, needs_review};
use serde_json::{Value, json};

fn now() -> jiff::Timestamp {
    "2026-12-01T12:00:00Z".parse().expect("time")
}

fn names() -> BTreeMap<String, String> {
    [("s-vip", "vip"), ("s-import", "loyalty"), ("s-any", "either")]
        .into_iter()
        .map(|(a, b)| (a.to_owned(), b.to_owned()))
        .collect()
}

fn mapping_of(raws: &[&Value]) -> ProfileMapping {
    let vars: Vec<_> = raws.iter().flat_map(|r| segment_attributes(r)).collect();
    ProfileMapping::new(&vars, &[])
}

#[test]
fn a_shared_domain_gets_the_clients_share_of_every_segment() {
    let any = json!({"Id": "s-any", "Name": "either", "SegmentGroups": {"Include": "ANY", "Groups": [
        {"Type": "ALL", "Dimensions": [{"UserAttributes": {"tier": {"AttributeType": "INCLUSIVE", "Values": ["gold"]}}}]},
        {"Type": "ALL", "Dimensions": [{"Attributes": {"plan": {"AttributeType": "CONTAINS", "Values": ["pro"]}}}]}
    ]}});
    let mapping = mapping_of(&[&any]);
    let names = names();
    let ctx = SegmentContext {
        domain: "shared-profiles-us-east-1".into(),
        prefix: Some("acme".into()),
        partition: Some(("Attributes.pinshift_client_id".into(), "acme".into())),
        mapping: &mapping,
        segment_names: &names,
        data_expiry_days: 366,
    };
    let t = segment(&any, &ctx);
    assert_eq!(t.definitions.len(), 2, "ANY cannot take one more group: a base definition, then the client's share");
    assert_eq!(t.definitions[0]["SegmentDefinitionName"], "acme-either-base");
    assert_eq!(t.definition_name(), Some("acme-either"));
    assert_eq!(
        t.definitions[1]["SegmentGroups"]["Groups"][0]["SourceSegments"][0]["SegmentDefinitionName"],
        "acme-either-base"
    );
    assert_eq!(
        t.definitions[1]["SegmentGroups"]["Groups"][0]["Dimensions"][0]["ProfileAttributes"]["Attributes"]["pinshift_client_id"]
            ["Values"],
        json!(["acme"])
    );
    assert_eq!(
        t.definitions[0]["SegmentGroups"]["Groups"][1]["Dimensions"][0]["ProfileAttributes"]["Attributes"]["plan"]["DimensionType"],
        "CONTAINS"
    );
}

#[test]
fn criteria_without_a_profile_dimension_select_nobody_until_replaced() {
    let near = json!({"Id": "s-near", "Name": "near", "Dimensions": {
        "Location": {"GPSPoint": {"Coordinates": {"Latitude": 41.88, "Longitude": -87.63}, "RangeInKilometers": 10}, "Country": {"DimensionType": "INCLUSIVE", "Values": ["US"]}},
        "Metrics": {"visits": {"ComparisonOperator": "GREATER_THAN", "Value": 3}}
    }});
    let mapping = mapping_of(&[&near]);
    let names = names();
    let ctx = SegmentContext {
        domain: "d".into(),
        prefix: None,
        partition: None,
        mapping: &mapping,
        segment_names: &names,
        data_expiry_days: 366,
    };
    let t = segment(&near, &ctx);
    let attrs = &t.definitions[0]["SegmentGroups"]["Groups"][0]["Dimensions"][0]["ProfileAttributes"];
    assert_eq!(attrs["Address"]["Country"]["Values"], json!(["US"]), "the country moves to the address");
    assert_eq!(attrs["Attributes"][UNSUPPORTED_ATTRIBUTE]["Values"].as_array().map(Vec::len), Some(2));
    let losses: Vec<&str> =
        t.losses.iter().filter(|l| l.severity == Severity::Loss).map(|l| l.construct.as_str()).collect();
    assert_eq!(losses, ["dimension Location.GPSPoint", "dimension Metrics.visits"]);
    assert!(
        t.losses.iter().all(|l| l.suggestion.is_some() || l.severity != Severity::Loss),
        "every loss says what to do"
    );

    // on one sample, Pinpoint selects some endpoints; the placeholder keeps the definition from selecting any
    let mut all = Segments::default();
    all.add(&near, &t);
    let sample = segment_sample(&[&near], &mapping, 500, 3, now());
    let e = estimate(&near, &t, &all, &mapping, None, &sample, "generated".into(), now());
    assert!(e.pinpoint > 0, "{e:?}");
    assert_eq!(e.profiles, 0, "{e:?}");
}

#[test]
fn translatable_segments_select_the_same_people_and_imports_become_upload_plans() {
    let vip = json!({"Id": "s-vip", "Name": "vip", "Dimensions": {"UserAttributes": {"tier": {"AttributeType": "INCLUSIVE", "Values": ["gold", "silver"]}}}});
    let import = json!({"Id": "s-import", "Name": "loyalty", "SegmentType": "IMPORT", "ImportDefinition": {"Format": "CSV", "S3Url": "s3://b/loyalty.csv", "Size": 120, "ChannelCounts": {"EMAIL": 120}}});
    let both = json!({"Id": "s-both", "Name": "vip-loyal", "SegmentGroups": {"Include": "ALL", "Groups": [{"Type": "ALL", "SourceType": "ALL", "SourceSegments": [{"Id": "s-vip"}, {"Id": "s-import", "Version": 1}], "Dimensions": []}]}});
    let mapping = mapping_of(&[&vip, &import, &both]);
    let names = names();
    let ctx = SegmentContext {
        domain: "d".into(),
        prefix: None,
        partition: None,
        mapping: &mapping,
        segment_names: &names,
        data_expiry_days: 400,
    };
    let mut all = Segments::default();
    let translated: Vec<_> = [&vip, &import, &both].iter().map(|r| (*r, segment(r, &ctx))).collect();
    for (r, t) in &translated {
        all.add(r, t);
    }
    let upload = translated[1].1.upload.as_ref().expect("an upload plan");
    assert!(
        upload.headers.iter().all(|h| !h.to.contains('.')),
        "Customer Profiles rejects dots in headers: {:?}",
        upload.headers
    );
    assert_eq!(upload.request["DataExpiry"], 400, "always explicit");
    assert_eq!(
        translated[2].1.definitions[0]["SegmentGroups"]["Groups"][0]["SourceSegments"],
        json!([{"SegmentDefinitionName": "vip"}, {"SegmentDefinitionName": "loyalty"}])
    );
    let sample = segment_sample(&[&vip, &import, &both], &mapping, 1000, 9, now());
    for (r, t) in &translated {
        let e = estimate(r, t, &all, &mapping, None, &sample, "generated".into(), now());
        assert_eq!(e.disagreements, 0, "{}: {e:?}", t.name);
        assert!(e.pinpoint > 0, "{}: the sample selects someone", t.name);
    }
}

fn context<'a>(
    names: &'a BTreeMap<String, String>,
    mapping: &'a ProfileMapping,
    settings: Option<&'a Value>,
) -> CampaignContext<'a> {
    CampaignContext {
        instance: "acme-engage".into(),
        domain: "acme-profiles".into(),
        prefix: None,
        segment_names: names,
        settings,
        email_from: Some("news@acme.example".into()),
        sms_number: Some("+12065550100".into()),
        mapping,
        now: now(),
    }
}

#[test]
fn campaign_guardrails_carry_over_or_are_reported() {
    let names = names();
    let mapping = ProfileMapping::default();
    let settings = json!({"QuietTime": {"Start": "22:00", "End": "07:00"}, "Limits": {"Daily": 5}});
    let ctx = context(&names, &mapping, Some(&settings));
    let raw = json!({
        "Id": "c1", "Name": "spring", "SegmentId": "s-vip",
        "Schedule": {"StartTime": "2026-03-01T09:00:00Z", "EndTime": "2026-03-31T00:00:00Z", "Frequency": "ONCE", "Timezone": "America/Chicago"},
        "TemplateConfiguration": {"EmailTemplate": {"Name": "spring-email"}, "SMSTemplate": {"Name": "spring-sms"}},
        "Limits": {"Daily": 2, "Total": 9, "MessagesPerSecond": 50}
    });
    let t = campaign(&raw, &ctx);
    let d = &t.definition;
    assert_eq!(d["type"], "MANAGED");
    assert_eq!(d["schedule"]["startTime"], "2026-03-01T03:00:00Z", "the wall-clock time in the campaign's zone");
    assert_eq!(
        d["communicationLimitsOverride"]["allChannelSubtypes"]["communicationLimitsList"][0],
        json!({"maxCountPerRecipient": 2, "frequency": 1, "unit": "DAY"})
    );
    for channel in ["email", "sms"] {
        assert_eq!(
            d["communicationTimeConfig"][channel]["openHours"]["dailyHours"]["MONDAY"],
            json!([{"startTime": "T07:00", "endTime": "T22:00"}]),
            "the project's quiet time, inverted"
        );
    }
    assert_eq!(
        d["channelSubtypeConfig"]["sms"]["defaultOutboundConfig"]["connectSourcePhoneNumberArn"],
        "pinshift:ref:phone-number/+12065550100"
    );
    assert_eq!(d["source"]["customerProfilesSegmentArn"], "pinshift:ref:segment-definition/vip");
    let lost: Vec<&str> =
        t.losses.iter().filter(|l| l.severity == Severity::Loss).map(|l| l.construct.as_str()).collect();
    assert_eq!(lost, ["Limits.Total", "Limits.MessagesPerSecond"]);

    let in_app = json!({"Id": "c2", "Name": "popup", "Schedule": {"Frequency": "IN_APP_EVENT"}, "TemplateConfiguration": {"InAppTemplate": {"Name": "x"}}});
    let t = campaign(&in_app, &ctx);
    assert!(!t.created && needs_review(&t.losses));
}

#[test]
fn a_journey_becomes_a_flow_whose_every_path_ends() {
    let names = names();
    let mapping = ProfileMapping::default();
    let ctx = context(&names, &mapping, None);
    let raw = json!({
        "Id": "j1", "Name": "welcome", "State": "ACTIVE", "StartActivity": "hello",
        "StartCondition": {"SegmentStartCondition": {"SegmentId": "s-vip"}},
        "Schedule": {"StartTime": "2026-02-01T00:00:00Z", "EndTime": "2026-06-01T00:00:00Z"},
        "Limits": {"DailyCap": 1, "TimeframeCap": {"Cap": 3, "Days": 7}, "EndpointReentryCap": 2, "EndpointReentryInterval": "P30D"},
        "Activities": {
            "hello": {"EMAIL": {"TemplateName": "hello", "NextActivity": "split"}},
            "split": {"RandomSplit": {"Branches": [{"Percentage": 20, "NextActivity": "hold"}, {"Percentage": 30, "NextActivity": "sms"}, {"Percentage": 50}]}},
            "hold": {"Holdout": {"Percentage": 10, "NextActivity": "sms"}},
            "sms": {"SMS": {"TemplateName": "nudge", "NextActivity": "pause"}},
            "pause": {"Wait": {"WaitTime": {"WaitFor": "PT6H"}}}
        }
    });
    let t = journey(&raw, &ctx);
    let actions = t.flow_content["Actions"].as_array().expect("actions");
    let ids: Vec<&str> = actions.iter().filter_map(|a| a["Identifier"].as_str()).collect();
    for a in actions {
        let tr = &a["Transitions"];
        let mut next: Vec<&str> = tr["NextAction"].as_str().into_iter().collect();
        for list in ["Conditions", "Errors"] {
            next.extend(tr[list].as_array().into_iter().flatten().filter_map(|c| c["NextAction"].as_str()));
        }
        for n in next {
            assert!(ids.contains(&n), "{} goes to unknown block {n}", a["Identifier"]);
        }
        if a["Type"] == "EndFlowExecution" {
            assert!(a.get("Transitions").is_none(), "the end has no way out");
        }
    }
    let split = actions.iter().find(|a| a["Identifier"] == "split").expect("split");
    let thresholds: Vec<&str> = split["Transitions"]["Conditions"]
        .as_array()
        .expect("conditions")
        .iter()
        .filter_map(|c| c["Condition"]["Operands"][0].as_str())
        .collect();
    assert_eq!(thresholds, ["20", "50"], "cumulative percentages; the last branch is the default");
    let hold = actions.iter().find(|a| a["Identifier"] == "hold").expect("holdout");
    assert_eq!(hold["Transitions"]["Conditions"][0]["NextAction"], "end", "the held-out share leaves the flow");
    let pause = actions.iter().find(|a| a["Identifier"] == "pause").expect("wait");
    assert_eq!(pause["Parameters"]["TimeLimitSeconds"], "21600");
    assert_eq!(t.flow["Status"], "SAVED");
    assert_eq!(t.campaign["type"], "JOURNEY");
    assert_eq!(t.campaign["entryLimitsConfig"], json!({"maxEntryCount": 2, "minEntryInterval": "P30D"}));
    assert_eq!(
        t.campaign["communicationLimitsOverride"]["allChannelSubtypes"]["communicationLimitsList"],
        json!([{"maxCountPerRecipient": 1, "frequency": 1, "unit": "DAY"}, {"maxCountPerRecipient": 3, "frequency": 7, "unit": "DAY"}])
    );
    assert_eq!(t.campaign["connectCampaignFlowArn"], "pinshift:ref:campaign-flow/welcome-flow");
}
