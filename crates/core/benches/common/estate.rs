//! The large BPO estate the benchmarks share: 300 clients, each a project with settings, channels,
//! segments, campaigns, journeys and 90 days of KPIs, plus 1,500 account-level templates and 300 phone
//! numbers and opt-out lists.

use pinshift_core::estate::{ResourceKind, ResourceRecord};
use serde_json::{Value, json};

pub const CLIENTS: usize = 300;

fn record(project: &str, kind: ResourceKind, id: String, name: Option<String>, raw: Value) -> ResourceRecord {
    ResourceRecord {
        account_id: "111122223333".into(),
        region: "us-east-1".into(),
        project_id: project.into(),
        kind,
        id,
        version: String::new(),
        name,
        raw,
    }
}

pub fn estate() -> Vec<ResourceRecord> {
    let mut out = Vec::new();
    for c in 0..CLIENTS {
        let name = format!("client{c:03}-brand");
        let p = format!("{c:032x}");
        out.push(record(
            "",
            ResourceKind::Project,
            p.clone(),
            Some(name.clone()),
            json!({ "Id": p, "Name": name, "tags": { "client": format!("client{c:03}") } }),
        ));
        out.push(record(
            &p,
            ResourceKind::ProjectSettings,
            p.clone(),
            None,
            json!({ "Limits": { "Daily": 3, "Total": 10 }, "QuietTime": { "Start": "22:00", "End": "07:00" } }),
        ));
        for platform in ["EMAIL", "SMS", "GCM", "APNS"] {
            out.push(record(&p, ResourceKind::Channel, platform.into(), Some(platform.into()), json!({ "Platform": platform, "Enabled": true, "FromAddress": format!("news@client{c:03}.example"), "SenderId": format!("C{c:03}") })));
        }
        for s in 0..10 {
            out.push(record(&p, ResourceKind::Segment, format!("{p}-s{s}"), Some(format!("segment-{s}")), json!({ "SegmentType": "DIMENSIONAL", "Dimensions": { "Demographic": { "Platform": { "Values": ["ios"] } }, "Location": if s == 0 { json!({ "GPSPoint": { "RangeInKilometers": 5 } }) } else { json!({}) } } })));
        }
        for k in 0..10 {
            let frequency = ["ONCE", "WEEKLY", "EVENT", "DAILY"][k % 4];
            out.push(record(&p, ResourceKind::Campaign, format!("{p}-c{k}"), Some(format!("client{c:03}-campaign-{k}")), json!({ "Schedule": { "Frequency": frequency, "QuietTime": { "Start": "21:00" } }, "TemplateConfiguration": { "EmailTemplate": { "Name": format!("client{c:03}-t{}", k % 5) } }, "HoldoutPercent": if k == 1 { 10 } else { 0 } })));
        }
        for j in 0..2 {
            out.push(record(&p, ResourceKind::Journey, format!("{p}-j{j}"), Some(format!("client{c:03}-journey-{j}")), json!({ "Activities": { "w": { "Wait": { "WaitTime": { "WaitFor": "P1D" } } }, "e": { "EMAIL": { "TemplateName": format!("client{c:03}-t0") } }, "h": { "Holdout": { "Percentage": 5 } } }, "OpenHours": { "EMAIL": {} } })));
        }
        for kpi in [
            "txn-emails-sent-grouped-by-date",
            "txn-emails-hard-bounced-grouped-by-date",
            "txn-emails-with-complaints-grouped-by-date",
        ] {
            let rows: Vec<Value> = (1..=30).map(|d| json!({ "GroupedBys": [{ "Key": "Date", "Value": format!("2026-10-{d:02}") }], "Values": [{ "Key": "Count", "Value": (1000 + d).to_string() }] })).collect();
            out.push(record(
                &p,
                ResourceKind::Kpi,
                kpi.into(),
                None,
                json!({ "KpiName": kpi, "KpiResult": { "Rows": rows } }),
            ));
        }
        for t in 0..5 {
            let n = format!("client{c:03}-t{t}");
            out.push(record("", ResourceKind::Template, format!("EMAIL/{n}"), Some(n.clone()), json!({ "TemplateType": "EMAIL", "Subject": "Hi", "HtmlPart": "<p>Hi {{User.UserAttributes.FirstName}} {{#if Attributes.vip}}VIP{{/if}}</p>", "tags": { "client": format!("client{c:03}") } })));
        }
        let number = format!("+1206555{c:04}");
        out.push(record("", ResourceKind::PhoneNumber, format!("phone-{c}"), Some(number.clone()), json!({ "PhoneNumber": number, "PhoneNumberArn": format!("arn:aws:sms-voice:us-east-1:111122223333:phone-number/phone-{c}"), "MessageType": "TRANSACTIONAL", "Status": "ACTIVE", "OptOutListName": format!("client{c:03}") })));
        out.push(record(
            "",
            ResourceKind::OptOutList,
            format!("client{c:03}"),
            Some(format!("client{c:03}")),
            json!({ "OptOutListName": format!("client{c:03}") }),
        ));
    }
    out
}
