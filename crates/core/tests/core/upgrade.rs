//! A blueprint saved in format 1 (the demo estate's, as an earlier build wrote it) reads as this build's:
//! every sentence format 1 kept becomes the typed value it described, and the graph derives from it.

use pinshift_core::blueprint::store::parse_blueprint;
use pinshift_core::blueprint::tenancy::{CampaignChannel, EventTarget};

#[test]
fn a_format_1_blueprint_upgrades_to_typed_tenancies() {
    let body = include_str!("fixtures/blueprint-format-1.json");
    assert!(body.contains(r#""format":1"#), "the fixture is format 1");
    let bp = parse_blueprint(body, "fixture").expect("upgrades");
    assert_eq!(bp.format, pinshift_core::blueprint::FORMAT);
    let client = |id: &str| bp.client(id).unwrap_or_else(|| panic!("{id}"));

    let kestrel = client("kestrel-energy");
    let limits: Vec<(u32, u32, &str)> = kestrel
        .connect
        .communication_limits
        .iter()
        .map(|l| (l.max_count_per_recipient, l.frequency_days, l.source_field.as_str()))
        .collect();
    assert_eq!(
        limits,
        [(3, 1, "JourneyLimits.DailyCap"), (5, 7, "JourneyLimits.TimeframeCap"), (4, 1, "Limits.Daily")]
    );
    assert_eq!(
        kestrel.ses[0].event_destinations[0].target,
        EventTarget::KinesisStream {
            stream_arn: "arn:aws:kinesis:us-east-1:444444444444:stream/kestrel-events".into()
        }
    );

    let bluebird = client("bluebird-telecom");
    let pool = &bluebird.sms[0].pools[0];
    assert_eq!(
        (pool.sender_ids[0].sender_id.as_str(), pool.sender_ids[0].iso_country_code.as_str()),
        ("BLUEBIRD", "GB")
    );
    let existing = &bluebird.sms[0].event_destinations[0];
    assert!(existing.existing && existing.name == "firehose", "{existing:?}");

    let cobalt = client("cobalt-games");
    assert_eq!(cobalt.connect.not_created[0].name, "cobalt-inapp-offer");
    assert!(
        cobalt.connect.campaigns.iter().all(|c| c.channels == [CampaignChannel::Push]),
        "{:?}",
        cobalt.connect.campaigns
    );
    assert_eq!(cobalt.connect.message_templates[0].describe(), "cobalt-push (PUSH)");

    let dahlia = client("dahlia-health");
    assert_eq!(dahlia.sms[0].event_destinations[0].target, EventTarget::Sns { topic_arn: None });
    assert_eq!(dahlia.analytics.len(), 2);

    // A sentence no Pinshift wrote is refused by name, not guessed.
    let tampered = body.replacen("events: EventBridge (default bus)", "events: somewhere", 1);
    let e = parse_blueprint(&tampered, "blueprint version 7").expect_err("refused");
    assert!(e.to_string().contains("blueprint version 7") && e.to_string().contains("event_destinations"), "{e}");
}
