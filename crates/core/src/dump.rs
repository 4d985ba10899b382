//! The offline dump: a folder of the JSON the AWS CLI prints for the scan's Get/List/Describe calls,
//! for teams that can no longer (or may not) call the APIs. [`DumpSource`] is the second
//! [`PinpointSource`]; [`commands`] writes the shell script (AWS CLI + jq) that produces the folder.
//!
//! Layout, per account and Region (`<dump>/<account id>/<region>/`): see [`commands`]. A file that is
//! missing becomes a scan issue (`MissingFromDump`), never a silent hole; so does a list that holds only its
//! first page (`IncompleteDump`). A dump has no KPIs (the scan's 90 days of daily figures).

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::estate::ResourceKind;
use crate::scan::{PinpointSource, Read, ScanTarget};

/// The connection name a dump scan's targets carry (a dump has no AWS connection); it tells a dump
/// scan from a live one when a scan is resumed.
pub use crate::scan::request::DUMP_CONNECTION as CONNECTION;

/// Reads a dump folder.
#[derive(Debug, Clone)]
pub struct DumpSource {
    root: PathBuf,
}

/// The channel platforms and the AWS CLI command that reads each.
const CHANNELS: [(&str, &str); 10] = [
    ("EMAIL", "get-email-channel"),
    ("SMS", "get-sms-channel"),
    ("VOICE", "get-voice-channel"),
    ("APNS", "get-apns-channel"),
    ("APNS_SANDBOX", "get-apns-sandbox-channel"),
    ("APNS_VOIP", "get-apns-voip-channel"),
    ("APNS_VOIP_SANDBOX", "get-apns-voip-sandbox-channel"),
    ("GCM", "get-gcm-channel"),
    ("BAIDU", "get-baidu-channel"),
    ("ADM", "get-adm-channel"),
];

impl DumpSource {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        DumpSource { root: root.into() }
    }

    /// The account × Region folders the dump holds, as scan targets of the connection [`CONNECTION`].
    pub fn targets(&self) -> std::io::Result<Vec<ScanTarget>> {
        let mut targets = Vec::new();
        for account in sorted_dirs(&self.root)? {
            let account_id = name_of(&account);
            if account_id.len() != 12 || !account_id.chars().all(|c| c.is_ascii_digit()) {
                continue;
            }
            for region in sorted_dirs(&account)? {
                targets.push(ScanTarget {
                    connection: CONNECTION.to_owned(),
                    account_id: account_id.clone(),
                    region: name_of(&region),
                });
            }
        }
        Ok(targets)
    }

    fn dir(&self, target: &ScanTarget) -> PathBuf {
        self.root.join(&target.account_id).join(&target.region)
    }
}

fn name_of(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

fn sorted_dirs(path: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut dirs: Vec<PathBuf> =
        std::fs::read_dir(path)?.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.is_dir()).collect();
    dirs.sort();
    Ok(dirs)
}

/// What a dump read collects, like the live reader.
struct Reading<'a> {
    target: &'a ScanTarget,
    /// The folder relative paths are read from: the Region's, or a project's.
    dir: PathBuf,
    /// The Region's folder.
    target_dir: PathBuf,
    project: String,
    read: Read,
    /// The file read last, the JSON path of its payload and what it was read for (for [`Reading::items`]).
    last: Option<(PathBuf, String, ResourceKind, String)>,
}

impl Reading<'_> {
    /// The AWS CLI's output in `relative`, with Pinpoint's payload wrapper (`{"SegmentsResponse": …}`)
    /// removed; `None` (and an issue) when the file is missing or not JSON.
    fn file(&mut self, relative: &str, kind: ResourceKind, operation: &str) -> Option<Value> {
        self.optional(relative, kind, operation).unwrap_or_else(|| {
            self.issue(kind, operation, "MissingFromDump", format!("{} is missing", self.dir.join(relative).display()));
            None
        })
    }

    /// Like [`Reading::file`], but a missing file is not an issue (optional resources).
    fn optional(&mut self, relative: &str, kind: ResourceKind, operation: &str) -> Option<Option<Value>> {
        let path = self.dir.join(relative);
        let text = std::fs::read_to_string(&path).ok()?;
        match serde_json::from_str::<Value>(&text) {
            Ok(value) => {
                let wrapper = match &value {
                    Value::Object(map) if map.len() == 1 && operation.starts_with("mobiletargeting:") => {
                        map.keys().next().map(|k| format!(".{k}")).unwrap_or_default()
                    }
                    _ => String::new(),
                };
                self.last = Some((path.clone(), wrapper, kind, operation.to_owned()));
                let mut value = unwrap_payload(value, operation);
                as_on_the_wire(&mut value, operation);
                if value["NextToken"].as_str().is_some_and(|t| !t.is_empty()) {
                    // The AWS CLI follows pages only for operations with a paginator; the rest stop at one.
                    self.issue(
                        kind,
                        operation,
                        "IncompleteDump",
                        format!("{} holds only the first page (it has a NextToken)", path.display()),
                    );
                }
                Some(Some(value))
            }
            Err(error) => {
                self.issue(kind, operation, "InvalidDumpFile", format!("{}: {error}", path.display()));
                Some(None)
            }
        }
    }

    /// The objects listed under `member` of the file read last; anything else there is reported with
    /// the file and the JSON path (`…/get-segments.json: at $.SegmentsResponse.Item[2]: …`).
    fn items(&mut self, value: &Value, member: &str) -> Vec<Value> {
        let Some((file, wrapper, kind, operation)) = self.last.clone() else { return Vec::new() };
        let at = |suffix: String| format!("{}: at ${wrapper}.{member}{suffix}", file.display());
        match &value[member] {
            Value::Null => Vec::new(),
            Value::Array(list) => {
                for (i, item) in list.iter().enumerate().filter(|(_, item)| !item.is_object()) {
                    let message = format!("{}: expected an object, found {item}", at(format!("[{i}]")));
                    self.issue(kind, &operation, "InvalidDumpFile", message);
                }
                list.iter().filter(|item| item.is_object()).cloned().collect()
            }
            other => {
                self.issue(
                    kind,
                    &operation,
                    "InvalidDumpFile",
                    format!("{}: expected a list, found {other}", at(String::new())),
                );
                Vec::new()
            }
        }
    }

    fn issue(&mut self, kind: ResourceKind, operation: &str, code: &str, message: String) {
        let found = self.target.issue(&self.project, kind, operation, (code.to_owned(), message));
        self.read.issues.push(found);
    }

    fn record(&mut self, kind: ResourceKind, id: &str, version: &str, name: Option<&str>, raw: Value) {
        let record = self.target.record(&self.project, kind, (id, version), name, raw);
        self.read.records.push(record);
    }
}

/// Members of the SMS and voice v2 and SES v2 shapes a scan reads whose type is a timestamp (from the
/// botocore models; a test in the aws crate checks this list against them). Their wire form is epoch
/// seconds; the AWS CLI prints them as ISO 8601 text.
pub const WIRE_TIMESTAMPS: [&str; 33] = [
    "ApprovedTimestamp",
    "ArchivedTimestamp",
    "AssociatedTimestamp",
    "AwsReviewingTimestamp",
    "CertificateExpiryTime",
    "CompletedTimestamp",
    "CreateDate",
    "CreatedTimestamp",
    "DeniedTimestamp",
    "DiscardedTimestamp",
    "DraftTimestamp",
    "EndDate",
    "EndTime",
    "ExpirationTimestamp",
    "FirstSeenDateTime",
    "LastCheckedTimestamp",
    "LastFreshStart",
    "LastKeyGenerationTimestamp",
    "LastSeenDateTime",
    "LastSuccessTimestamp",
    "LastUpdateTime",
    "LastUpdatedTimestamp",
    "ListingTime",
    "OptedOutTimestamp",
    "RequiresAuthenticationTimestamp",
    "ReviewingTimestamp",
    "RevokedTimestamp",
    "StartDate",
    "StartTime",
    "SubmittedTimestamp",
    "SubscriptionExpiryDate",
    "SubscriptionStartDate",
    "Timestamp",
];

/// What the AWS CLI prints (botocore's parsed output) turned back into what the service sent, so a dump
/// scan stores the payloads a live scan stores: timestamps as the wire has them, and Pinpoint's one
/// member whose JSON name differs from its model name (`SimpleCondition.segmentDimensions`).
fn as_on_the_wire(value: &mut Value, operation: &str) {
    fn epoch(text: &str) -> Option<f64> {
        let timestamp = text.replacen(' ', "T", 1).parse::<jiff::Timestamp>().ok()?;
        Some(timestamp.as_millisecond() as f64 / 1000.0)
    }
    fn walk(value: &mut Value, visit: &mut dyn FnMut(&mut serde_json::Map<String, Value>)) {
        match value {
            Value::Object(map) => {
                visit(map);
                for child in map.values_mut() {
                    walk(child, visit);
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|item| walk(item, visit)),
            _ => {}
        }
    }
    if operation.starts_with("sms-voice:") || operation.starts_with("ses:") {
        walk(value, &mut |map| {
            for (key, member) in map.iter_mut() {
                if let Some(seconds) =
                    member.as_str().filter(|_| WIRE_TIMESTAMPS.contains(&key.as_str())).and_then(epoch)
                {
                    *member = Value::from(seconds);
                }
            }
        });
    } else if operation == "mobiletargeting:GetApplicationDateRangeKpi" {
        // The window's times are ISO 8601 on the wire.
        for key in ["StartTime", "EndTime"] {
            if let Some(time) = value.get_mut(key)
                && let Some(parsed) =
                    time.as_str().and_then(|t| t.replacen(' ', "T", 1).parse::<jiff::Timestamp>().ok())
            {
                *time = Value::from(parsed.to_string());
            }
        }
    } else if operation == "mobiletargeting:ListJourneys" {
        walk(value, &mut |map| {
            if let Some(dimensions) = map.remove("SegmentDimensions") {
                map.insert("segmentDimensions".to_owned(), dimensions);
            }
        });
        for journey in value["Item"].as_array_mut().into_iter().flatten() {
            // JourneySchedule's times are ISO 8601 on the wire, as AWS formats them.
            let Some(schedule) = journey.get_mut("Schedule").and_then(Value::as_object_mut) else { continue };
            for key in ["StartTime", "EndTime"] {
                let Some(time) = schedule.get_mut(key) else { continue };
                if let Some(parsed) =
                    time.as_str().and_then(|t| t.replacen(' ', "T", 1).parse::<jiff::Timestamp>().ok())
                {
                    *time = Value::from(parsed.to_string());
                }
            }
        }
    }
}

/// Pinpoint's CLI output wraps the payload in one member named after its shape; other services do not.
fn unwrap_payload(value: Value, operation: &str) -> Value {
    if !operation.starts_with("mobiletargeting:") {
        return value;
    }
    match value {
        Value::Object(map) if map.len() == 1 => map.into_iter().next().map(|(_, v)| v).unwrap_or(Value::Null),
        other => other,
    }
}

fn text<'v>(value: &'v Value, key: &str) -> &'v str {
    value[key].as_str().unwrap_or_default()
}

fn version_of(value: &Value) -> String {
    value["Version"].as_i64().map(|v| v.to_string()).unwrap_or_default()
}

impl DumpSource {
    /// A read of a target's folder (account-level files).
    fn reading<'t>(&self, target: &'t ScanTarget) -> Reading<'t> {
        Reading {
            target,
            dir: self.dir(target),
            target_dir: self.dir(target),
            project: String::new(),
            read: Read::default(),
            last: None,
        }
    }
}

impl PinpointSource for DumpSource {
    async fn read_region(&self, target: &ScanTarget) -> Read {
        let mut r = self.reading(target);
        if let Some(apps) = r.file("get-apps.json", ResourceKind::Project, "mobiletargeting:GetApps") {
            for app in r.items(&apps, "Item") {
                r.record(ResourceKind::Project, text(&app, "Id"), "", app["Name"].as_str(), app.clone());
            }
        }
        r.read
    }

    async fn read_account(&self, target: &ScanTarget) -> Read {
        let mut r = self.reading(target);
        if let Some(templates) = r.file("list-templates.json", ResourceKind::Template, "mobiletargeting:ListTemplates")
        {
            for t in r.items(&templates, "Item") {
                let (name, kind) = (text(&t, "TemplateName").to_owned(), text(&t, "TemplateType").to_owned());
                let id = format!("{kind}/{name}");
                let base = format!("templates/{kind}/{name}");
                if let Some(active) =
                    r.file(&format!("{base}.json"), ResourceKind::Template, "mobiletargeting:GetTemplate")
                {
                    r.record(ResourceKind::Template, &id, text(&active, "Version"), Some(&name), active.clone());
                }
                let versions = r.file(
                    &format!("{base}/versions.json"),
                    ResourceKind::TemplateVersion,
                    "mobiletargeting:ListTemplateVersions",
                );
                for v in versions.map(|v| r.items(&v, "Item")).unwrap_or_default() {
                    let number = text(&v, "Version").to_owned();
                    if let Some(content) = r.file(
                        &format!("{base}/{number}.json"),
                        ResourceKind::TemplateVersion,
                        "mobiletargeting:GetTemplate",
                    ) {
                        r.record(ResourceKind::TemplateVersion, &id, &number, Some(&name), content);
                    }
                }
            }
        }
        if let Some(recommenders) = r.file(
            "get-recommender-configurations.json",
            ResourceKind::Recommender,
            "mobiletargeting:GetRecommenderConfigurations",
        ) {
            for rec in r.items(&recommenders, "Item") {
                r.record(ResourceKind::Recommender, text(&rec, "Id"), "", rec["Name"].as_str(), rec.clone());
            }
        }
        read_sms(&mut r);
        r.read
    }

    async fn read_project(&self, target: &ScanTarget, project: &str) -> Read {
        let dir = self.dir(target).join("apps").join(project);
        let mut r = Reading {
            target,
            dir,
            target_dir: self.dir(target),
            project: project.to_owned(),
            read: Read::default(),
            last: None,
        };
        if let Some(settings) = r.file(
            "get-application-settings.json",
            ResourceKind::ProjectSettings,
            "mobiletargeting:GetApplicationSettings",
        ) {
            r.record(ResourceKind::ProjectSettings, project, "", None, settings);
        }
        if let Some(channels) = r.file("get-channels.json", ResourceKind::Channel, "mobiletargeting:GetChannels") {
            for platform in
                channels["Channels"].as_object().map(|c| c.keys().cloned().collect::<Vec<_>>()).unwrap_or_default()
            {
                if let Some((_, command)) = CHANNELS.iter().find(|(p, _)| *p == platform)
                    && let Some(channel) =
                        r.file(&format!("channels/{command}.json"), ResourceKind::Channel, "mobiletargeting:GetChannel")
                {
                    if platform == "EMAIL" {
                        read_ses(&mut r, &channel);
                    }
                    r.record(ResourceKind::Channel, &platform, "", Some(&platform), channel);
                }
            }
        }
        for (list, kind, version_kind, operation) in [
            ("segments", ResourceKind::Segment, ResourceKind::SegmentVersion, "mobiletargeting:GetSegments"),
            ("campaigns", ResourceKind::Campaign, ResourceKind::CampaignVersion, "mobiletargeting:GetCampaigns"),
        ] {
            let Some(all) = r.file(&format!("get-{list}.json"), kind, operation) else { continue };
            for item in r.items(&all, "Item") {
                let id = text(&item, "Id").to_owned();
                r.record(kind, &id, &version_of(&item), item["Name"].as_str(), item.clone());
                if let Some(versions) = r.file(&format!("{list}/{id}/versions.json"), version_kind, operation) {
                    for v in r.items(&versions, "Item") {
                        r.record(version_kind, &id, &version_of(&v), v["Name"].as_str(), v.clone());
                    }
                }
                if kind == ResourceKind::Campaign
                    && let Some(activities) = r.file(
                        &format!("campaigns/{id}/activities.json"),
                        ResourceKind::CampaignActivity,
                        "mobiletargeting:GetCampaignActivities",
                    )
                {
                    for a in r.items(&activities, "Item") {
                        r.record(ResourceKind::CampaignActivity, &id, text(&a, "Id"), None, a.clone());
                    }
                }
            }
        }
        if let Some(journeys) = r.file("list-journeys.json", ResourceKind::Journey, "mobiletargeting:ListJourneys") {
            for journey in r.items(&journeys, "Item") {
                let id = text(&journey, "Id").to_owned();
                r.record(ResourceKind::Journey, &id, "", journey["Name"].as_str(), journey.clone());
                if let Some(metrics) = r.file(
                    &format!("journeys/{id}/execution-metrics.json"),
                    ResourceKind::JourneyMetrics,
                    "mobiletargeting:GetJourneyExecutionMetrics",
                ) {
                    r.record(ResourceKind::JourneyMetrics, &id, "", None, metrics);
                }
            }
        }
        if let Some(Some(stream)) =
            r.optional("get-event-stream.json", ResourceKind::EventStream, "mobiletargeting:GetEventStream")
        {
            r.record(ResourceKind::EventStream, project, "", None, stream);
        }
        for (file, kind, operation) in [
            ("get-import-jobs.json", ResourceKind::ImportJob, "mobiletargeting:GetImportJobs"),
            ("get-export-jobs.json", ResourceKind::ExportJob, "mobiletargeting:GetExportJobs"),
        ] {
            if let Some(jobs) = r.file(file, kind, operation) {
                for job in r.items(&jobs, "Item") {
                    r.record(kind, text(&job, "Id"), "", None, job.clone());
                }
            }
        }
        // KPIs: `kpis/<kpi>.<first day of the window>.json`, one file per KPI and 31-day window.
        let mut files: Vec<String> = std::fs::read_dir(r.dir.join("kpis"))
            .map(|entries| {
                entries
                    .filter_map(|e| e.ok()?.file_name().into_string().ok())
                    .filter(|n| n.ends_with(".json"))
                    .collect()
            })
            .unwrap_or_default();
        files.sort();
        if files.is_empty() {
            let message = format!(
                "{} holds no KPIs (dumps from before KPIs were added to `pinshift dump-commands` have none)",
                r.dir.join("kpis").display()
            );
            r.issue(ResourceKind::Kpi, "mobiletargeting:GetApplicationDateRangeKpi", "MissingFromDump", message);
        }
        for file in files {
            let operation = "mobiletargeting:GetApplicationDateRangeKpi";
            if let Some(kpi) = r.file(&format!("kpis/{file}"), ResourceKind::Kpi, operation) {
                let window = kpi["StartTime"].as_str().and_then(|t| t.get(..10)).unwrap_or_default().to_owned();
                let name = text(&kpi, "KpiName").to_owned();
                r.record(ResourceKind::Kpi, &name, &window, None, kpi);
            }
        }
        r.read
    }
}

fn read_sms(r: &mut Reading<'_>) {
    // (file, list member, kind, id field, name field, operation) — names as the live reader records them.
    type Spec = (&'static str, &'static str, ResourceKind, &'static str, Option<&'static str>, &'static str);
    let simple: [Spec; 4] = [
        (
            "sms/describe-phone-numbers.json",
            "PhoneNumbers",
            ResourceKind::PhoneNumber,
            "PhoneNumberId",
            Some("PhoneNumber"),
            "sms-voice:DescribePhoneNumbers",
        ),
        (
            "sms/describe-configuration-sets.json",
            "ConfigurationSets",
            ResourceKind::SmsConfigurationSet,
            "ConfigurationSetName",
            Some("ConfigurationSetName"),
            "sms-voice:DescribeConfigurationSets",
        ),
        (
            "sms/describe-registrations.json",
            "Registrations",
            ResourceKind::Registration,
            "RegistrationId",
            Some("RegistrationType"),
            "sms-voice:DescribeRegistrations",
        ),
        ("sms/describe-pools.json", "Pools", ResourceKind::Pool, "PoolId", None, "sms-voice:DescribePools"),
    ];
    for (file, member, kind, id_field, name_field, operation) in simple {
        let Some(all) = r.file(file, kind, operation) else { continue };
        for mut item in r.items(&all, member) {
            let id = text(&item, id_field).to_owned();
            if kind == ResourceKind::Pool
                && let Some(members) =
                    r.file(&format!("sms/pools/{id}.json"), kind, "sms-voice:ListPoolOriginationIdentities")
            {
                item["OriginationIdentities"] = members["OriginationIdentities"].clone();
            }
            let name = name_field.and_then(|f| item[f].as_str()).map(str::to_owned);
            r.record(kind, &id, "", name.as_deref(), item);
        }
    }
    if let Some(all) = r.file("sms/describe-sender-ids.json", ResourceKind::SenderId, "sms-voice:DescribeSenderIds") {
        for s in r.items(&all, "SenderIds") {
            let id = format!("{}/{}", text(&s, "SenderId"), text(&s, "IsoCountryCode"));
            r.record(ResourceKind::SenderId, &id, "", s["SenderId"].as_str(), s.clone());
        }
    }
    if let Some(all) =
        r.file("sms/describe-opt-out-lists.json", ResourceKind::OptOutList, "sms-voice:DescribeOptOutLists")
    {
        for mut list in r.items(&all, "OptOutLists") {
            let name = text(&list, "OptOutListName").to_owned();
            if let Some(numbers) = r.file(
                &format!("sms/opt-out-lists/{name}.json"),
                ResourceKind::OptOutList,
                "sms-voice:DescribeOptedOutNumbers",
            ) {
                list["OptedOutCount"] = Value::from(r.items(&numbers, "OptedOutNumbers").len());
            }
            r.record(ResourceKind::OptOutList, &name, "", Some(&name), list);
        }
    }
}

/// The bash script (AWS CLI v2 and jq) that writes a dump for the account `aws sts get-caller-identity`
/// names, in each of `regions`, under `./pinshift-dump`. Run it with the customer's read-only profile.
pub fn commands(regions: &[String]) -> String {
    let mut script = String::from(
        r#"#!/usr/bin/env bash
# Written by `pinshift dump-commands`: dumps what `pinshift scan` reads, with the AWS CLI, for
# `pinshift scan --from-dump pinshift-dump`. Needs the AWS CLI, jq, and the read-only policy
# `pinshift iam-policy scan` prints. Pages of up to 1,000 items; nothing is modified.
set -euo pipefail
ACCOUNT=$(aws sts get-caller-identity --query Account --output text)
pp() { aws pinpoint "$@" --output json; }
sms() { aws pinpoint-sms-voice-v2 "$@" --output json; }
ses() { aws sesv2 "$@" --output json; }
iso() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ 2>/dev/null || date -u -r "$1" +%Y-%m-%dT%H:%M:%SZ; }
# KPI windows as a scan reads them: the last 90 whole UTC days and today, at most 31 days per call.
DAY=86400; NOW=$(date -u +%s); FROM=$(( NOW - NOW % DAY - 90 * DAY )); WINDOWS=""
while [ "$FROM" -lt "$NOW" ]; do TO=$(( FROM + 31 * DAY )); END=$(( TO - 1 ))
  if [ "$TO" -ge "$NOW" ]; then TO=$NOW; END=$NOW; fi
  WINDOWS="$WINDOWS $(iso "$FROM")/$(iso "$END")"; FROM=$TO; done
"#,
    );
    script.push_str(&format!("KPIS=\"{}\"\n", crate::scan::DAILY_KPIS.join(" ")));
    script.push_str(&format!("for REGION in {}; do\n", regions.join(" ")));
    script.push_str(
        r#"  D="pinshift-dump/$ACCOUNT/$REGION"; mkdir -p "$D/templates" "$D/apps" "$D/sms/pools" "$D/sms/opt-out-lists"
  pp get-apps --region "$REGION" --page-size 1000 > "$D/get-apps.json"
  pp list-templates --region "$REGION" --page-size 1000 > "$D/list-templates.json"
  jq -r '.TemplatesResponse.Item[] | "\(.TemplateType) \(.TemplateName)"' "$D/list-templates.json" | while read -r TYPE NAME; do
    CMD=$(echo "$TYPE" | tr 'A-Z' 'a-z' | sed 's/inapp/in-app/'); T="$D/templates/$TYPE/$NAME"; mkdir -p "$T"
    pp get-$CMD-template --region "$REGION" --template-name "$NAME" > "$T.json"
    pp list-template-versions --region "$REGION" --template-name "$NAME" --template-type "$(echo "$TYPE" | tr 'A-Z' 'a-z')" > "$T/versions.json"
    jq -r '.TemplateVersionsResponse.Item[].Version' "$T/versions.json" | while read -r V; do
      pp get-$CMD-template --region "$REGION" --template-name "$NAME" --template-version "$V" > "$T/$V.json"; done
  done
  pp get-recommender-configurations --region "$REGION" --page-size 1000 > "$D/get-recommender-configurations.json"
  for C in phone-numbers sender-ids pools opt-out-lists configuration-sets registrations; do
    sms describe-$C --region "$REGION" > "$D/sms/describe-$C.json"; done
  jq -r '.Pools[].PoolId' "$D/sms/describe-pools.json" | while read -r P; do
    sms list-pool-origination-identities --region "$REGION" --pool-id "$P" > "$D/sms/pools/$P.json"; done
  jq -r '.OptOutLists[].OptOutListName' "$D/sms/describe-opt-out-lists.json" | while read -r L; do
    sms describe-opted-out-numbers --region "$REGION" --opt-out-list-name "$L" > "$D/sms/opt-out-lists/$L.json"; done
  jq -r '.ApplicationsResponse.Item[].Id' "$D/get-apps.json" | while read -r APP; do
    A="$D/apps/$APP"; mkdir -p "$A/channels" "$A/segments" "$A/campaigns" "$A/journeys"
    pp get-application-settings --region "$REGION" --application-id "$APP" > "$A/get-application-settings.json"
    pp get-channels --region "$REGION" --application-id "$APP" > "$A/get-channels.json"
    for CH in $(jq -r '.ChannelsResponse.Channels | keys[]' "$A/get-channels.json"); do
      CMD=$(echo "$CH" | tr 'A-Z_' 'a-z-'); pp get-$CMD-channel --region "$REGION" --application-id "$APP" > "$A/channels/get-$CMD-channel.json"; done
    if [ -f "$A/channels/get-email-channel.json" ]; then
      ID=$(jq -r '.EmailChannelResponse.Identity // "" | split("/") | last // ""' "$A/channels/get-email-channel.json")
      if [ -n "$ID" ]; then mkdir -p "$D/ses/identities"
        ses get-email-identity --region "$REGION" --email-identity "$ID" > "$D/ses/identities/$ID.json"; fi
      CS=$(jq -r '.EmailChannelResponse.ConfigurationSet // ""' "$A/channels/get-email-channel.json")
      if [ -n "$CS" ]; then mkdir -p "$D/ses/configuration-sets/$CS"
        ses get-configuration-set --region "$REGION" --configuration-set-name "$CS" > "$D/ses/configuration-sets/$CS.json"
        ses get-configuration-set-event-destinations --region "$REGION" --configuration-set-name "$CS" > "$D/ses/configuration-sets/$CS/event-destinations.json"; fi
    fi
    pp get-segments --region "$REGION" --application-id "$APP" --page-size 1000 > "$A/get-segments.json"
    jq -r '.SegmentsResponse.Item[].Id' "$A/get-segments.json" | while read -r S; do mkdir -p "$A/segments/$S"
      pp get-segment-versions --region "$REGION" --application-id "$APP" --segment-id "$S" --page-size 1000 > "$A/segments/$S/versions.json"; done
    pp get-campaigns --region "$REGION" --application-id "$APP" --page-size 1000 > "$A/get-campaigns.json"
    jq -r '.CampaignsResponse.Item[].Id' "$A/get-campaigns.json" | while read -r C; do mkdir -p "$A/campaigns/$C"
      pp get-campaign-versions --region "$REGION" --application-id "$APP" --campaign-id "$C" --page-size 1000 > "$A/campaigns/$C/versions.json"
      pp get-campaign-activities --region "$REGION" --application-id "$APP" --campaign-id "$C" --page-size 1000 > "$A/campaigns/$C/activities.json"; done
    pp list-journeys --region "$REGION" --application-id "$APP" --page-size 1000 > "$A/list-journeys.json"
    jq -r '.JourneysResponse.Item[].Id' "$A/list-journeys.json" | while read -r J; do mkdir -p "$A/journeys/$J"
      pp get-journey-execution-metrics --region "$REGION" --application-id "$APP" --journey-id "$J" > "$A/journeys/$J/execution-metrics.json"; done
    pp get-event-stream --region "$REGION" --application-id "$APP" > "$A/get-event-stream.json" 2>/dev/null || rm -f "$A/get-event-stream.json"
    pp get-import-jobs --region "$REGION" --application-id "$APP" --page-size 1000 > "$A/get-import-jobs.json"
    pp get-export-jobs --region "$REGION" --application-id "$APP" --page-size 1000 > "$A/get-export-jobs.json"
    mkdir -p "$A/kpis"; for K in $KPIS; do for W in $WINDOWS; do S=${W%/*}; E=${W#*/}
      pp get-application-date-range-kpi --region "$REGION" --application-id "$APP" --kpi-name "$K" \
        --start-time "$S" --end-time "$E" > "$A/kpis/$K.${S:0:10}.json"; done; done
  done
done
echo "Wrote pinshift-dump/$ACCOUNT; scan it with: pinshift scan --from-dump pinshift-dump" >&2
"#,
    );
    script
}

/// The SES identity and configuration set an email channel names, recorded account-level like the live
/// reader does: `ses/identities/<identity>.json`, `ses/configuration-sets/<name>.json` and
/// `ses/configuration-sets/<name>/event-destinations.json`.
fn read_ses(r: &mut Reading<'_>, channel: &Value) {
    let project = std::mem::take(&mut r.project);
    let dir = std::mem::replace(&mut r.dir, r.target_dir.clone());
    if let Some(identity) =
        channel["Identity"].as_str().and_then(|arn| arn.rsplit('/').next()).filter(|i| !i.is_empty())
        && let Some(raw) =
            r.file(&format!("ses/identities/{identity}.json"), ResourceKind::EmailIdentity, "ses:GetEmailIdentity")
    {
        r.record(ResourceKind::EmailIdentity, identity, "", Some(identity), raw);
    }
    if let Some(set) = channel["ConfigurationSet"].as_str().filter(|s| !s.is_empty())
        && let Some(mut raw) = r.file(
            &format!("ses/configuration-sets/{set}.json"),
            ResourceKind::EmailConfigurationSet,
            "ses:GetConfigurationSet",
        )
    {
        if let Some(destinations) = r.file(
            &format!("ses/configuration-sets/{set}/event-destinations.json"),
            ResourceKind::EmailConfigurationSet,
            "ses:GetConfigurationSetEventDestinations",
        ) {
            raw["EventDestinations"] = destinations["EventDestinations"].clone();
        }
        r.record(ResourceKind::EmailConfigurationSet, set, "", Some(set), raw);
    }
    r.dir = dir;
    r.project = project;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target() -> ScanTarget {
        ScanTarget { connection: CONNECTION.into(), account_id: "111122223333".into(), region: "us-east-1".into() }
    }

    #[test]
    fn only_account_id_folders_are_targets() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("111122223333/us-east-1")).unwrap();
        std::fs::create_dir_all(dir.path().join("111122223333/eu-west-1")).unwrap();
        std::fs::create_dir_all(dir.path().join("notes/us-east-1")).unwrap();
        let targets = DumpSource::new(dir.path()).targets().unwrap();
        let regions: Vec<_> = targets.iter().map(|t| t.region.as_str()).collect();
        assert_eq!(regions, ["eu-west-1", "us-east-1"]);
        assert!(targets.iter().all(|t| t.account_id == "111122223333"));
    }

    #[tokio::test]
    async fn missing_and_broken_files_become_issues_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let region = dir.path().join("111122223333/us-east-1");
        std::fs::create_dir_all(&region).unwrap();
        std::fs::write(
            region.join("get-apps.json"),
            r#"{"ApplicationsResponse": {"Item": [{"Id": "abc", "Name": "Northwind"}]}}"#,
        )
        .unwrap();
        std::fs::write(region.join("list-templates.json"), "{ not json").unwrap();
        let source = DumpSource::new(dir.path());
        let mut read = source.read_region(&target()).await;
        read.issues.extend(source.read_account(&target()).await.issues);

        let project = read.records.iter().find(|r| r.kind == ResourceKind::Project).expect("the project is read");
        assert_eq!((project.id.as_str(), project.name.as_deref()), ("abc", Some("Northwind")));
        let broken = read.issues.iter().find(|i| i.code == "InvalidDumpFile").expect("the broken file is reported");
        assert!(broken.message.contains("list-templates.json"), "{}", broken.message);
        let missing = read.issues.iter().find(|i| i.code == "MissingFromDump").expect("missing files are reported");
        assert!(missing.message.contains("us-east-1"), "{}", missing.message);
    }

    #[tokio::test]
    async fn a_wrongly_shaped_list_is_reported_with_its_json_path() {
        let dir = tempfile::tempdir().unwrap();
        let region = dir.path().join("111122223333/us-east-1");
        std::fs::create_dir_all(region.join("apps/abc")).unwrap();
        std::fs::write(region.join("get-apps.json"), r#"{"ApplicationsResponse": {"Item": {"Id": "abc"}}}"#).unwrap();
        std::fs::write(
            region.join("apps/abc/get-segments.json"),
            r#"{"SegmentsResponse": {"Item": [{"Id": "s1", "Name": "a", "Version": 1}, 42]}}"#,
        )
        .unwrap();
        let source = DumpSource::new(dir.path());
        let region_read = source.read_region(&target()).await;
        let project_read = source.read_project(&target(), "abc").await;
        let messages: Vec<&str> = region_read
            .issues
            .iter()
            .chain(&project_read.issues)
            .filter(|i| i.code == "InvalidDumpFile")
            .map(|i| i.message.as_str())
            .collect();
        assert!(
            messages.iter().any(|m| m.contains("get-apps.json: at $.ApplicationsResponse.Item: expected a list")),
            "{messages:?}"
        );
        assert!(
            messages.iter().any(|m| m.contains("get-segments.json: at $.SegmentsResponse.Item[1]: expected an object")),
            "{messages:?}"
        );
        assert!(
            project_read.records.iter().any(|r| r.kind == ResourceKind::Segment && r.id == "s1"),
            "the rest is kept"
        );
    }

    #[tokio::test]
    async fn a_file_with_more_pages_is_reported_as_incomplete() {
        let dir = tempfile::tempdir().unwrap();
        let region = dir.path().join("111122223333/us-east-1");
        std::fs::create_dir_all(&region).unwrap();
        std::fs::write(
            region.join("get-apps.json"),
            r#"{"ApplicationsResponse": {"Item": [{"Id": "abc", "Name": "A"}], "NextToken": "page-2"}}"#,
        )
        .unwrap();
        let read = DumpSource::new(dir.path()).read_region(&target()).await;
        assert_eq!(read.records.iter().filter(|r| r.kind == ResourceKind::Project).count(), 1);
        let incomplete = read.issues.iter().find(|i| i.code == "IncompleteDump").expect("reported");
        assert!(incomplete.message.contains("get-apps.json"), "{}", incomplete.message);
    }

    #[test]
    fn the_script_names_channel_files_as_the_reader_expects() {
        // The script derives each channel's command from the platform name (`tr 'A-Z_' 'a-z-'`);
        // the reader looks for the files under the names in `CHANNELS`: the two must agree.
        for (platform, command) in CHANNELS {
            assert_eq!(format!("get-{}-channel", platform.to_lowercase().replace('_', "-")), command);
        }
        let script = commands(&["eu-west-1".to_owned(), "us-east-1".to_owned()]);
        assert!(script.contains("get-$CMD-channel"));
        assert!(script.contains("for REGION in eu-west-1 us-east-1; do"));
    }
}
