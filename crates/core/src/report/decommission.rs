//! The decommission checklist of one client: what to switch off in Pinpoint and when (after the parallel
//! run), what must stay (a project with push channels: deleting it deletes its push credentials and SMS
//! settings, which End User Messaging still uses), and what is archived. Pinshift never deletes a Pinpoint
//! resource: each line is for a person.

use serde::Serialize;
use ts_rs::TS;

use crate::blueprint::Blueprint;
use crate::estate::path::text;
use crate::estate::{ResourceKind, ResourceRecord};

/// What a line asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// Keep it: something still depends on it.
    Keep,
    /// Switch it off or delete it, when the line says.
    SwitchOff,
    /// Already kept elsewhere.
    Archived,
}

impl Step {
    pub fn label(self) -> &'static str {
        match self {
            Step::Keep => "keep",
            Step::SwitchOff => "switch off",
            Step::Archived => "archived",
        }
    }
}

/// One line of the checklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Item {
    pub step: Step,
    pub what: String,
    pub when: String,
    pub why: String,
}

const PUSH: &[&str] = &["APNS", "APNS_SANDBOX", "APNS_VOIP", "APNS_VOIP_SANDBOX", "GCM", "BAIDU", "ADM"];
const AFTER_PARALLEL_RUN: &str =
    "after the parallel run (at least 30 days after cutover) and a verification that holds";

/// The checklist of `client`: per project, then the archive.
pub fn checklist(blueprint: &Blueprint, records: &[ResourceRecord], client: &str) -> Vec<Item> {
    let Some(assessed) = blueprint.assessment.client(client) else { return Vec::new() };
    let mut items = Vec::new();
    for project in &assessed.client.projects {
        let of = |kind: ResourceKind| {
            records.iter().filter(move |r| {
                r.kind == kind
                    && r.project_id == project.project_id
                    && r.account_id == project.account_id
                    && r.region == project.region
            })
        };
        let enabled = |r: &&ResourceRecord| r.raw.get("Enabled").and_then(serde_json::Value::as_bool) != Some(false);
        let push: Vec<String> = of(ResourceKind::Channel)
            .filter(enabled)
            .map(|r| r.id.clone())
            .filter(|id| PUSH.contains(&id.as_str()))
            .collect();
        let sms = of(ResourceKind::Channel).filter(enabled).any(|r| matches!(r.id.as_str(), "SMS" | "VOICE"));
        let name = format!("project {} ({}, {})", project.name, project.project_id, project.region);
        items.push(Item {
            step: Step::SwitchOff,
            what: format!(
                "everything that still calls Pinpoint's engagement APIs for {name}: SendMessages, \
                           SendUsersMessages, PutEvents, UpdateEndpoint"
            ),
            when: "at cutover".into(),
            why: "AWS refuses them since 2026-10-30; the client sends through SES, End User Messaging and Connect now"
                .into(),
        });
        for stream in of(ResourceKind::EventStream) {
            items.push(Item {
                step: Step::SwitchOff,
                what: format!("the event stream of {name} to {}", text(&stream.raw["DestinationStreamArn"])),
                when: AFTER_PARALLEL_RUN.into(),
                why: "the SES and End User Messaging event destinations the run configured replace it".into(),
            });
        }
        if push.is_empty() && !sms {
            items.push(Item {
                step: Step::SwitchOff,
                what: format!("delete {name}"),
                when: AFTER_PARALLEL_RUN.into(),
                why: "nothing in it is used any more: its engagement features ended on 2026-10-30".into(),
            });
        } else {
            let mut holds = push.clone();
            if sms {
                holds.push("SMS".into());
            }
            items.push(Item {
                step: Step::Keep,
                what: format!("{name}, with its {} channel(s)", holds.join(", ")),
                when: "as long as the client sends push or two-way SMS".into(),
                why: "deleting a Pinpoint project deletes its push credentials and two-way SMS settings, which \
                      End User Messaging still uses"
                    .into(),
            });
        }
    }
    let kpis = records
        .iter()
        .filter(|r| r.kind == ResourceKind::Kpi)
        .filter(|r| assessed.client.projects.iter().any(|p| p.project_id == r.project_id && p.region == r.region))
        .count();
    items.push(Item {
        step: Step::Archived,
        what: format!("{kpis} KPI windows of the client's projects, from scan {}", blueprint.scan_id),
        when: "kept in the engagement file and in every report".into(),
        why: "Pinpoint's analytics cannot be read after end of support".into(),
    });
    items
}
