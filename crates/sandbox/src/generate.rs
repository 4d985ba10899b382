//! Large estates for benchmarks: N projects with M resources each and an endpoint population, generated
//! deterministically from a seed. `pinshift-sandbox generate --projects 100 --resources 200 --endpoints
//! 1000000 > big.json` writes one; the result is an ordinary estate file.

use serde_json::{Value, json};

use crate::estate::{Account, Estate, Project, RegionEstate, Role, TemplateSpec};
use crate::services::pinpoint::{Population, Traffic};

/// What to generate.
#[derive(Debug, Clone)]
pub struct Shape {
    pub projects: usize,
    /// Segments, campaigns, journeys and templates per project (templates are account-level, named
    /// after their project).
    pub resources: usize,
    /// Endpoints across all projects.
    pub endpoints: u64,
    pub seed: u64,
}

/// The generated estate: a hub account with the scan role's trust, and one BPO account holding every
/// project in us-east-1.
pub fn generate(shape: &Shape) -> Estate {
    let per_project = shape.endpoints / shape.projects.max(1) as u64;
    let mut projects = Vec::with_capacity(shape.projects);
    let mut templates = Vec::new();
    // Of each project's resources: 40% segments, 35% campaigns, 10% journeys, 15% templates.
    let segments = (shape.resources * 40 / 100).max(1);
    let campaigns = shape.resources * 35 / 100;
    let journeys = shape.resources * 10 / 100;
    let template_count = shape.resources.saturating_sub(segments + campaigns + journeys);
    for p in 0..shape.projects {
        let name = format!("client-{p:04}");
        let segment_list: Vec<Value> = (0..segments)
            .map(|s| {
                json!({
                    "Name": format!("seg-{s:03}"),
                    "Dimensions": { "UserAttributes": { "tier": { "AttributeType": "INCLUSIVE", "Values": [format!("t{}", s % 5)] } } }
                })
            })
            .collect();
        let campaign_list: Vec<Value> = (0..campaigns)
            .map(|c| {
                let frequency = ["ONCE", "DAILY", "WEEKLY", "EVENT"][c % 4];
                let mut schedule = json!({ "StartTime": "2026-09-01T09:00:00Z", "Frequency": frequency });
                if frequency == "EVENT" {
                    schedule["EventFilter"] = json!({ "FilterType": "ENDPOINT", "Dimensions": { "EventType": { "DimensionType": "INCLUSIVE", "Values": ["purchase"] } } });
                }
                json!({
                    "Name": format!("camp-{c:03}"),
                    "SegmentId": format!("{{{{segment:seg-{:03}}}}}", c % segments),
                    "Schedule": schedule,
                    "TemplateConfiguration": { "EmailTemplate": { "Name": format!("{name}-tpl-{:03}", c % template_count.max(1)) } },
                })
            })
            .collect();
        let journey_list: Vec<Value> = (0..journeys)
            .map(|j| {
                json!({
                    "Name": format!("journey-{j:03}"),
                    "State": "ACTIVE",
                    "StartActivity": "send",
                    "StartCondition": { "SegmentStartCondition": { "SegmentId": format!("{{{{segment:seg-{:03}}}}}", j % segments) } },
                    "Activities": {
                        "send": { "EMAIL": { "TemplateName": format!("{name}-tpl-000"), "NextActivity": "wait" } },
                        "wait": { "Wait": { "WaitTime": { "WaitFor": "P1D" }, "NextActivity": "split" } },
                        "split": { "RandomSplit": { "Branches": [{ "Percentage": 50, "NextActivity": "sms" }, { "Percentage": 50 }] } },
                        "sms": { "SMS": { "MessageConfig": { "MessageType": "PROMOTIONAL" } } },
                    },
                })
            })
            .collect();
        for t in 0..template_count {
            templates.push(TemplateSpec {
                kind: "EMAIL".into(),
                name: format!("{name}-tpl-{t:03}"),
                tags: serde_json::Map::from_iter([("client".to_owned(), json!(name))]),
                versions: vec![json!({ "Subject": format!("Hello {{{{User.UserAttributes.FirstName}}}} ({t})"), "HtmlPart": "<p>{{Attributes.tier}}</p>" })],
                active_version: None,
            });
        }
        projects.push(Project {
            name: name.clone(),
            tags: serde_json::Map::from_iter([("client".to_owned(), json!(name))]),
            settings: None,
            channels: serde_json::Map::from_iter([
                ("EMAIL".to_owned(), json!({ "FromAddress": format!("news@{name}.example"), "Identity": format!("arn:aws:ses:us-east-1:777777777777:identity/{name}.example") })),
                ("SMS".to_owned(), json!({ "Enabled": true })),
            ]),
            segments: segment_list,
            campaigns: campaign_list,
            journeys: journey_list,
            event_stream: None,
            traffic: Some(Traffic { daily_sends: 1000.0 + (p as f64 * 37.0) % 5000.0, delivery_rate: 0.97, open_rate: 0.2, click_rate: 0.03, bounce_rate: 0.02, complaint_rate: 0.001, sms_share: 0.3 }),
            import_jobs: Vec::new(),
            export_jobs: Vec::new(),
            endpoints: Some(Population {
                seed: shape.seed + p as u64,
                per_channel: [("EMAIL".to_owned(), per_project * 7 / 10), ("SMS".to_owned(), per_project - per_project * 7 / 10)].into(),
                opt_out_share: 0.03,
                without_user_id_share: 0.1,
                shared_address_share: 0.02,
                attributes: [("tier".to_owned(), (0..5).map(|t| format!("t{t}")).collect())].into(),
                user_attributes: [("FirstName".to_owned(), vec!["Ana".into(), "Ben".into(), "Chloé".into()])].into(),
                email_domain: None,
            }),
        });
    }
    Estate {
        pinpoint_retired: false,
        lenient: false,
        name: format!("generated-{}x{}-{}", shape.projects, shape.resources, shape.endpoints),
        description: "Generated for benchmarks by `pinshift-sandbox generate`.".into(),
        region: "us-east-1".into(),
        accounts: vec![
            Account {
                name: "hub".into(),
                account_id: "111111111111".into(),
                user: "consultant".into(),
                access_key_id: "AKIAGENERATEDHUB0001".into(),
                secret_access_key: "generated/hub/secret/key/0000000000000001".into(),
                roles: Vec::new(),
                regions: Vec::new(),
            },
            Account {
                name: "bpo".into(),
                account_id: "777777777777".into(),
                user: "admin".into(),
                access_key_id: "AKIAGENERATEDBPO0001".into(),
                secret_access_key: "generated/bpo/secret/key/0000000000000001".into(),
                roles: vec![Role {
                    name: "PinshiftScan".into(),
                    trusted_accounts: vec!["111111111111".into()],
                    external_id: None,
                    deny: Vec::new(),
                }],
                regions: vec![RegionEstate {
                    region: "us-east-1".into(),
                    projects,
                    templates,
                    recommenders: Vec::new(),
                    email_identities: (0..shape.projects)
                        .map(|p| json!({ "EmailIdentity": format!("client-{p:04}.example"), "verified": true }))
                        .collect(),
                    configuration_sets: Vec::new(),
                    sms: Default::default(),
                    buckets: vec!["bpo-exports".into()],
                    tenants: Vec::new(),
                    email_templates: Vec::new(),
                    knowledge_bases: Vec::new(),
                    connect_instances: Vec::new(),
                    profile_domains: Vec::new(),
                }],
            },
        ],
    }
}
