//! Journeys → a Connect flow of type CAMPAIGN (flow language, saved as a draft: `Status: SAVED` skips
//! validation) plus an Outbound Campaigns v2 definition of type JOURNEY that runs it, created unstarted.
//!
//! Activities become blocks: email and SMS sends (`SendOutboundEmail`, `SendSMS` with a Q in Connect
//! template), waits (`Wait`), random splits and holdouts (`DistributeByPercentage`), yes/no and
//! multi-way splits (a `Wait` for the evaluation time, then `Compare` blocks), calls (`PutDialRequest`),
//! push and custom deliveries (`InvokeLambdaFunction`, a custom action). What has no block — checks of
//! segment membership, engagement events Connect may not report — is built as far as it goes and
//! reported.

use crate::target::TargetKind;
use serde::Serialize;
use serde_json::{Map, Value, json};
use ts_rs::TS;

use super::campaign::{
    CampaignContext, communication_time, email_channel, event_source, quiet_time, schedule_time, segment_source,
    sms_channel, template_name,
};
use super::segment::definition_name;
use super::timing::{daily_hours, duration_seconds, iana_zone, limit, open_hours_from_quiet_time, restricted_periods};
use super::{Loss, Reference, Severity, target_name};
use crate::profile::{Channel, Variable};

/// A journey translated.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct JourneyTranslation {
    pub journey_id: String,
    pub name: String,
    /// The `CreateContactFlow` request (its `Content` is [`JourneyTranslation::flow_content`] as text).
    #[ts(type = "unknown")]
    pub flow: Value,
    /// The flow in Connect's flow language.
    #[ts(type = "unknown")]
    pub flow_content: Value,
    /// The `CreateCampaign` request (type JOURNEY).
    #[ts(type = "unknown")]
    pub campaign: Value,
    pub references: Vec<Reference>,
    pub losses: Vec<Loss>,
}

const END: &str = "end";

fn id(activity: &str) -> String {
    activity.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '_' }).collect()
}

struct Flow<'a> {
    ctx: &'a CampaignContext<'a>,
    actions: Vec<Value>,
    references: Vec<Reference>,
    losses: Vec<Loss>,
    /// The channels the flow sends on, with a template each (for the campaign's subtype config).
    email: Option<(String, String)>,
    sms: Option<(String, String)>,
    telephony: bool,
}

fn next_of(a: &Value) -> String {
    a["NextActivity"].as_str().map_or_else(|| END.to_owned(), id)
}

fn transitions(next: &str, conditions: Vec<Value>, error: &str) -> Value {
    json!({"NextAction": next, "Conditions": conditions, "Errors": [{"NextAction": next, "ErrorType": error}]})
}

impl Flow<'_> {
    fn reference(&mut self, field: String, kind: TargetKind, name: String) -> String {
        let r = Reference::new(field, kind, name);
        let p = r.placeholder();
        if !self.references.contains(&r) {
            self.references.push(r);
        }
        p
    }

    fn templated(&mut self, action: &str, template: &str) -> Value {
        let kb = self.reference(format!("flow {action}"), TargetKind::KnowledgeBase, self.ctx.instance.clone());
        let name = template_name(self.ctx.prefix.as_deref(), template);
        let t = self.reference(format!("flow {action}"), TargetKind::MessageTemplate, name);
        json!({"MessageSourceType": "TEMPLATE", "TemplatedMessage": {"WisdomKnowledgeBaseArn": kb, "WisdomMessageTemplateArn": t}})
    }

    fn push(&mut self, identifier: &str, kind: &str, parameters: Value, transitions: Value) {
        self.actions.push(
            json!({"Identifier": identifier, "Type": kind, "Parameters": parameters, "Transitions": transitions}),
        );
    }

    fn activity(&mut self, key: &str, a: &Value) {
        let at = format!("Activities.{key}");
        let me = id(key);
        if let Some(e) = a.get("EMAIL").filter(|v| v.is_object()) {
            let template = e["TemplateName"].as_str().unwrap_or_default();
            let from = e["MessageConfig"]["FromAddress"]
                .as_str()
                .map(str::to_owned)
                .or_else(|| self.ctx.email_from.clone())
                .unwrap_or_default();
            if from.is_empty() {
                self.losses.push(
                    Loss::new(
                        Severity::Loss,
                        format!("activity {key}"),
                        format!("{at}.EMAIL.MessageConfig.FromAddress"),
                        "no sender address",
                    )
                    .suggest("choose the Connect email address to send from"),
                );
            }
            // a pinned version is a message template of its own
            let template = match e["TemplateVersion"].as_str() {
                Some(v) => {
                    self.losses.push(Loss::new(
                        Severity::Note,
                        format!("activity {key}"),
                        format!("{at}.EMAIL.TemplateVersion"),
                        format!("version {v} of {template} is pinned: it becomes message template {template}-v{v}"),
                    ));
                    format!("{template}-v{v}")
                }
                None => template.to_owned(),
            };
            let template = template.as_str();
            let message = self.templated(&me, template);
            self.email.get_or_insert((template.to_owned(), from.clone()));
            self.push(
                &me,
                "SendOutboundEmail",
                json!({"EmailMessage": message, "FromEmailAddress": {"EmailAddress": from}}),
                transitions(&next_of(e), vec![], "NoMatchingError"),
            );
        } else if let Some(s) = a.get("SMS").filter(|v| v.is_object()) {
            let template = s["TemplateName"].as_str().unwrap_or_default();
            let number = s["MessageConfig"]["OriginationNumber"]
                .as_str()
                .map(str::to_owned)
                .or_else(|| self.ctx.sms_number.clone())
                .unwrap_or_else(|| {
                    self.losses.push(Loss::new(
                        Severity::Loss,
                        format!("activity {key}"),
                        format!("{at}.SMS.MessageConfig.OriginationNumber"),
                        "no phone number to send from: neither the activity nor the client's SMS pool names one",
                    ));
                    "unassigned".to_owned()
                });
            if s["MessageConfig"]["SenderId"].as_str().is_some() {
                self.losses.push(Loss::new(
                    Severity::Warning,
                    format!("activity {key}"),
                    format!("{at}.SMS.MessageConfig.SenderId"),
                    "journeys send SMS from a Connect phone number, not a sender ID",
                ));
            }
            let message = self.templated(&me, template);
            let phone = self.reference(format!("flow {me}"), TargetKind::ConnectPhoneNumber, number.clone());
            self.sms.get_or_insert((template.to_owned(), number));
            self.push(
                &me,
                "SendSMS",
                json!({"Message": message, "SourceEndpoint": {"Address": phone, "Type": "CONNECT_PHONENUMBER_ARN"}}),
                transitions(&next_of(s), vec![], "NoMatchingError"),
            );
        } else if let Some(p) = a.get("PUSH").filter(|v| v.is_object()) {
            let lambda = self.reference(format!("flow {me}"), TargetKind::LambdaFunction, "push-sender".into());
            self.losses.push(
                Loss::new(Severity::Warning, format!("activity {key}"), format!("{at}.PUSH"), format!("push has no journey block: a custom action calls a Lambda function that sends template {} through End User Messaging push", p["TemplateName"].as_str().unwrap_or_default()))
                    .suggest("write and deploy the push-sender function (AWS's Amplify migration guide shows one)"),
            );
            self.push(
                &me,
                "InvokeLambdaFunction",
                json!({"LambdaFunctionARN": lambda, "InvocationTimeLimitSeconds": "8"}),
                transitions(&next_of(p), vec![], "NoMatchingError"),
            );
        } else if let Some(c) = a.get("CUSTOM").filter(|v| v.is_object()) {
            let uri = c["DeliveryUri"].as_str().unwrap_or_default();
            let lambda = if uri.starts_with("arn:aws:lambda") {
                uri.to_owned()
            } else {
                self.losses.push(Loss::new(
                    Severity::Warning,
                    format!("activity {key}"),
                    format!("{at}.CUSTOM.DeliveryUri"),
                    format!("custom actions call Lambda functions; the webhook {uri} needs one that forwards to it"),
                ));
                self.reference(format!("flow {me}"), TargetKind::LambdaFunction, format!("forward-{me}"))
            };
            self.push(
                &me,
                "InvokeLambdaFunction",
                json!({"LambdaFunctionARN": lambda, "InvocationTimeLimitSeconds": "8"}),
                transitions(&next_of(c), vec![], "NoMatchingError"),
            );
        } else if let Some(c) = a.get("ContactCenter").filter(|v| v.is_object()) {
            self.telephony = true;
            self.losses.push(Loss::new(Severity::Warning, format!("activity {key}"), format!("{at}.ContactCenter"), "the call goes out through the campaign's telephony settings (queue, flow, number, dialing mode), which a person sets up"));
            self.push(&me, "PutDialRequest", json!({}), transitions(&next_of(c), vec![], "NoMatchingError"));
        } else if let Some(w) = a.get("Wait").filter(|v| v.is_object()) {
            let seconds = match (w["WaitTime"]["WaitFor"].as_str(), w["WaitTime"]["WaitUntil"].as_str()) {
                (Some(d), _) => duration_seconds(d).unwrap_or_else(|| {
                    self.losses.push(Loss::new(
                        Severity::Loss,
                        format!("activity {key}"),
                        format!("{at}.Wait.WaitTime.WaitFor"),
                        format!("{d} is not a fixed length (months or years vary)"),
                    ));
                    0
                }),
                (None, Some(until)) => {
                    let target = until.parse::<jiff::Timestamp>().unwrap_or(self.ctx.now);
                    let secs = target.duration_since(self.ctx.now).as_secs().max(0) as u64;
                    self.losses.push(
                        Loss::new(Severity::Warning, format!("activity {key}"), format!("{at}.Wait.WaitTime.WaitUntil"), format!("waits until {until}; a Wait block takes a length, so it is {secs} seconds from the translation time"))
                            .suggest("set the length again just before publishing the flow"),
                    );
                    secs
                }
                _ => 0,
            };
            self.wait(&me, seconds, &next_of(w));
        } else if let Some(s) = a.get("RandomSplit").filter(|v| v.is_object()) {
            let branches: Vec<(u64, String)> = s["Branches"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|b| (b["Percentage"].as_u64().unwrap_or(0), next_of(b)))
                .collect();
            self.distribute(&me, &branches);
        } else if let Some(h) = a.get("Holdout").filter(|v| v.is_object()) {
            let pct = h["Percentage"].as_u64().unwrap_or(0);
            self.losses.push(Loss::new(Severity::Note, format!("activity {key}"), format!("{at}.Holdout"), format!("the {pct}% holdout is a percentage split that ends the flow; Connect reports it as a branch, not as a holdout metric")));
            self.distribute(&me, &[(pct, END.to_owned()), (100 - pct.min(100), next_of(h))]);
        } else if let Some(s) = a.get("ConditionalSplit").filter(|v| v.is_object()) {
            let (yes, no) = (
                s["TrueActivity"].as_str().map_or_else(|| END.to_owned(), id),
                s["FalseActivity"].as_str().map_or_else(|| END.to_owned(), id),
            );
            let check = self.condition(&me, &format!("{at}.ConditionalSplit.Condition"), &s["Condition"], &yes, &no);
            self.evaluation_wait(&me, &s["EvaluationWaitTime"], &check);
        } else if let Some(m) = a.get("MultiCondition").filter(|v| v.is_object()) {
            let default = m["DefaultActivity"].as_str().map_or_else(|| END.to_owned(), id);
            let branches: Vec<&Value> = m["Branches"].as_array().into_iter().flatten().collect();
            // branch i's check falls through to branch i+1's, the last one to the default
            let mut fallthrough = default;
            for (i, b) in branches.iter().enumerate().rev() {
                let target = next_of(b);
                let cond = json!({"Conditions": [b["Condition"]], "Operator": "ALL"});
                fallthrough = self.condition(
                    &format!("{me}-branch{}", i + 1),
                    &format!("{at}.MultiCondition.Branches[{i}].Condition"),
                    &cond,
                    &target,
                    &fallthrough,
                );
            }
            self.evaluation_wait(&me, &m["EvaluationWaitTime"], &fallthrough);
        } else {
            let kind = a.as_object().and_then(|o| o.keys().find(|k| *k != "Description").cloned()).unwrap_or_default();
            self.losses.push(Loss::new(
                Severity::Loss,
                format!("activity {key}"),
                at,
                format!("activity type {kind} has no journey block: the flow ends here"),
            ));
            self.push(&me, "EndFlowExecution", json!({}), Value::Null);
        }
    }

    fn wait(&mut self, identifier: &str, seconds: u64, next: &str) {
        self.push(
            identifier,
            "Wait",
            json!({"TimeLimitSeconds": seconds.to_string()}),
            json!({"NextAction": next, "Conditions": [{"NextAction": next, "Condition": {"Operator": "Equals", "Operands": ["WaitCompleted"]}}], "Errors": [{"NextAction": next, "ErrorType": "NoMatchingError"}]}),
        );
    }

    fn evaluation_wait(&mut self, me: &str, wait: &Value, check: &str) {
        let seconds = wait["WaitFor"].as_str().and_then(duration_seconds).unwrap_or(0);
        if seconds > 0 || check != me {
            // the split's own id waits, then hands over to its first check
            self.wait(me, seconds, check);
        }
    }

    fn distribute(&mut self, identifier: &str, branches: &[(u64, String)]) {
        let mut cumulative = 0;
        let mut conditions = Vec::new();
        let Some(((_, last), rest)) = branches.split_last() else { return };
        for (pct, next) in rest {
            cumulative += pct;
            conditions.push(json!({"NextAction": next, "Condition": {"Operator": "NumberLessThan", "Operands": [cumulative.to_string()]}}));
        }
        self.push(
            identifier,
            "DistributeByPercentage",
            json!({}),
            transitions(last, conditions, "NoMatchingCondition"),
        );
    }

    /// Builds the checks of a split condition; returns the identifier of the first one.
    fn condition(&mut self, me: &str, at: &str, condition: &Value, yes: &str, no: &str) -> String {
        let all = condition["Operator"].as_str().unwrap_or("ALL") != "ANY";
        let conditions: Vec<&Value> = condition["Conditions"].as_array().into_iter().flatten().collect();
        if conditions.is_empty() {
            self.losses.push(Loss::new(
                Severity::Warning,
                "condition",
                at,
                "a split without conditions: every participant takes the yes branch",
            ));
            return yes.to_owned();
        }
        // chain: for ALL, a met condition goes on to the next (the last to yes) and an unmet one to no;
        // for ANY, a met one goes to yes and an unmet one on to the next (the last to no)
        let mut next_yes = yes.to_owned();
        let mut next_no = no.to_owned();
        let mut first = String::new();
        for (i, c) in conditions.iter().enumerate().rev() {
            let check = if conditions.len() == 1 { format!("{me}-check") } else { format!("{me}-check{}", i + 1) };
            self.check(&check, &format!("{at}.Conditions[{i}]"), c, &next_yes, &next_no);
            if all {
                next_yes = check.clone();
            } else {
                next_no = check.clone();
            }
            first = check;
        }
        first
    }

    /// One simple condition as blocks: `check` is met → `yes`, else → `no`.
    fn check(&mut self, check: &str, at: &str, c: &Value, yes: &str, no: &str) {
        let compare = |value: String, operands: Vec<(String, String)>| {
            let conditions: Vec<Value> = operands
                .into_iter()
                .map(|(op, v)| json!({"NextAction": yes, "Condition": {"Operator": op, "Operands": [v]}}))
                .collect();
            (json!({"ComparisonValue": value}), transitions(no, conditions, "NoMatchingCondition"))
        };
        if let Some(e) = c.get("EventCondition").filter(|v| v.is_object()) {
            let events: Vec<String> = crate::estate::path::find(&e["Dimensions"], "EventType.Values[]")
                .into_iter()
                .map(|(_, v)| crate::templates::value::text(Some(v)))
                .collect();
            let receipt = match events.first().map(String::as_str) {
                Some("_email.hardbounce" | "_email.softbounce" | "_SMS.FAILURE") => "Bounce",
                Some("_email.open") => "Open",
                Some("_email.click") => "Click",
                _ => "Delivered",
            };
            self.losses.push(
                Loss::new(Severity::Warning, "event condition", at, format!("branches on {} of activity {}: Connect checks the latest send's delivery receipt ({receipt}); AWS documents Bounce — check {receipt} exists for this channel, and that the latest send is that activity's", events.join("/"), e["MessageActivity"].as_str().unwrap_or("?")))
                    .suggest("test the branch with a draft run before publishing"),
            );
            let status = format!("{check}-status");
            self.push(
                check,
                "GetOutboundCommunicationStatus",
                json!({"OutboundCommunicationIds": ["$.OutboundCommunication.Latest.Id"]}),
                transitions(&status, vec![], "NoMatchingError"),
            );
            let (params, trans) =
                compare(format!("$.DeliveryReceipts['`$.OutboundCommunication.Latest.Id`'].{receipt}"), vec![]);
            let mut trans = trans;
            trans["Conditions"] = json!([{"NextAction": yes, "Condition": {"Operator": "Exists", "Operands": []}}]);
            self.push(&status, "Compare", params, trans);
        } else if let Some(s) = c.get("SegmentCondition").filter(|v| v.is_object()) {
            let sid = s["SegmentId"].as_str().unwrap_or_default();
            let segment = self
                .ctx
                .segment_names
                .get(sid)
                .map(|n| definition_name(self.ctx.prefix.as_deref(), n))
                .unwrap_or_else(|| sid.to_owned());
            let r = self.reference(format!("flow {check}"), TargetKind::SegmentDefinition, segment.clone());
            self.losses.push(
                Loss::new(
                    Severity::Loss,
                    "segment condition",
                    at,
                    format!(
                        "checks membership of segment {segment}; journey flows have no block that checks a segment"
                    ),
                )
                .suggest("split on the profile attributes that define the segment instead"),
            );
            let (params, trans) =
                compare(format!("$.Customer.Segments['{r}']"), vec![("Equals".into(), "true".into())]);
            self.push(check, "Compare", params, trans);
        } else if let Some(d) =
            c.get("SegmentDimensions").or_else(|| c.get("segmentDimensions")).filter(|v| v.is_object())
        {
            let mut done = false;
            for (source, kind) in [("UserAttributes", 0), ("Attributes", 1)] {
                for (name, crit) in d[source].as_object().into_iter().flatten() {
                    if done {
                        self.losses.push(Loss::new(
                            Severity::Loss,
                            "condition",
                            at,
                            format!(
                                "only the first attribute of the condition is checked; {name} needs a block of its own"
                            ),
                        ));
                        continue;
                    }
                    let v = if kind == 0 {
                        Variable::UserAttribute(name.clone())
                    } else {
                        Variable::EndpointAttribute(name.clone())
                    };
                    let path = match self.ctx.mapping.field(&v, Channel::Email) {
                        Some(f) => format!("$.Customer.{}", f.segments().join(".")),
                        None => format!("$.Customer.Attributes.{name}"),
                    };
                    let values: Vec<String> = crit["Values"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .map(|x| crate::templates::value::text(Some(x)))
                        .collect();
                    let op = crit["AttributeType"].as_str().unwrap_or("INCLUSIVE");
                    let (params, trans) = match op {
                        "INCLUSIVE" => compare(path, values.into_iter().map(|v| ("Equals".into(), v)).collect()),
                        "CONTAINS" => compare(path, values.into_iter().map(|v| ("TextContains".into(), v)).collect()),
                        "EXCLUSIVE" => {
                            let (p, mut t) = compare(path, values.into_iter().map(|v| ("Equals".into(), v)).collect());
                            // a match is the "no" branch
                            for c in t["Conditions"].as_array_mut().into_iter().flatten() {
                                c["NextAction"] = json!(no);
                            }
                            t["NextAction"] = json!(yes);
                            t["Errors"][0]["NextAction"] = json!(yes);
                            (p, t)
                        }
                        other => {
                            self.losses.push(Loss::new(
                                Severity::Loss,
                                "condition",
                                at,
                                format!("{other} on {name} has no Compare operator: the check is left for a person"),
                            ));
                            compare(path, vec![])
                        }
                    };
                    self.push(check, "Compare", params, trans);
                    done = true;
                }
            }
            if !done {
                self.losses.push(Loss::new(
                    Severity::Loss,
                    "condition",
                    at,
                    "the condition uses dimensions a flow cannot check (metrics, device, location)",
                ));
                self.push(
                    check,
                    "Compare",
                    json!({"ComparisonValue": "$.Customer.Attributes"}),
                    transitions(no, vec![], "NoMatchingCondition"),
                );
            }
        } else {
            self.losses.push(Loss::new(
                Severity::Loss,
                "condition",
                at,
                "a condition of an unknown kind: the check is left for a person",
            ));
            self.push(
                check,
                "Compare",
                json!({"ComparisonValue": "$.Customer.Attributes"}),
                transitions(no, vec![], "NoMatchingCondition"),
            );
        }
    }
}

/// Translates one journey (its `GetJourney` payload).
pub fn translate(raw: &Value, ctx: &CampaignContext<'_>) -> JourneyTranslation {
    let name = raw["Name"].as_str().unwrap_or_default().to_owned();
    let prefix = ctx.prefix.as_deref();
    let mut f = Flow {
        ctx,
        actions: Vec::new(),
        references: Vec::new(),
        losses: Vec::new(),
        email: None,
        sms: None,
        telephony: false,
    };
    let activities = raw["Activities"].as_object().cloned().unwrap_or_default();
    for (key, a) in &activities {
        f.activity(key, a);
    }
    f.push(END, "EndFlowExecution", json!({}), Value::Null);
    for a in &mut f.actions {
        if a["Transitions"].is_null() {
            a.as_object_mut().map(|o| o.remove("Transitions"));
        }
    }
    let start = raw["StartActivity"]
        .as_str()
        .map_or_else(|| activities.keys().next().map_or_else(|| END.to_owned(), |k| id(k)), id);
    let content = json!({
        "Version": "2019-10-30",
        "StartAction": start,
        "Metadata": {"pinshift": {"source": "pinpoint-journey", "journey": raw["Id"], "name": name}},
        "Actions": f.actions,
    });
    let flow_name = target_name(prefix, &format!("{name}-flow"), 127);
    let instance = Reference::new("InstanceId", TargetKind::ConnectInstance, ctx.instance.clone());
    let flow = json!({
        "InstanceId": instance.placeholder(),
        "Name": flow_name,
        "Type": "CAMPAIGN",
        "Status": "SAVED",
        "Description": format!("From Pinpoint journey {name}; a draft (not validated until published)"),
        "Content": content.to_string(),
    });
    let mut references = vec![instance.clone()];
    references.append(&mut f.references);
    let mut losses = std::mem::take(&mut f.losses);

    // the campaign that runs the flow
    let mut def = Map::new();
    def.insert("name".into(), json!(target_name(prefix, &name, 127)));
    def.insert("connectInstanceId".into(), json!(instance.placeholder()));
    def.insert("type".into(), json!("JOURNEY"));
    let flow_ref = Reference::new("connectCampaignFlowArn", TargetKind::CampaignFlow, flow_name.clone());
    def.insert("connectCampaignFlowArn".into(), json!(flow_ref.placeholder()));
    references.push(flow_ref);
    let mut channels = Map::new();
    if let Some((template, from)) = &f.email {
        email_channel(&mut channels, &mut references, from, template_name(prefix, template));
    }
    if let Some((template, number)) = &f.sms {
        sms_channel(&mut channels, &mut references, number.clone(), template_name(prefix, template));
    }
    if f.telephony {
        losses.push(Loss::new(Severity::Warning, "telephony", "Activities", "the journey calls: the campaign's telephony subtype (queue, flow, source number, outbound mode) must be configured"));
    }
    def.insert("channelSubtypeConfig".into(), Value::Object(channels.clone()));
    let start_condition = &raw["StartCondition"];
    if let Some(e) = start_condition.get("EventStartCondition").filter(|v| v.is_object()) {
        let events = event_source(&mut def, &mut references, &ctx.domain, &e["EventFilter"]);
        losses.push(Loss::new(Severity::Warning, "event start", "StartCondition.EventStartCondition", format!("the journey starts on events ({events}): ingest them into Customer Profiles and create an event trigger (CreateEventTrigger)")));
    } else {
        let sid = start_condition["SegmentStartCondition"]["SegmentId"].as_str().unwrap_or_default();
        match ctx.segment_names.get(sid) {
            Some(s) => segment_source(&mut def, &mut references, definition_name(prefix, s)),
            None => losses.push(Loss::new(
                Severity::Loss,
                "segment",
                "StartCondition.SegmentStartCondition.SegmentId",
                format!("segment {sid} is not in the scan: the journey has no audience"),
            )),
        }
    }
    let schedule = &raw["Schedule"];
    let zone = schedule["Timezone"].as_str().and_then(|z| iana_zone(z, "Schedule.Timezone", &mut losses));
    let start_time = schedule["StartTime"].as_str().and_then(|s| s.parse::<jiff::Timestamp>().ok()).unwrap_or(ctx.now);
    let end_time = schedule["EndTime"].as_str().and_then(|s| s.parse::<jiff::Timestamp>().ok()).unwrap_or_else(|| {
        losses.push(Loss::new(
            Severity::Warning,
            "end time",
            "Schedule.EndTime",
            "the journey had no end; campaigns need one: set to a year after the start",
        ));
        start_time + jiff::SignedDuration::from_hours(24 * 365)
    });
    let mut sched = json!({"startTime": schedule_time(start_time, zone.as_deref()), "endTime": schedule_time(end_time, zone.as_deref())});
    if let Some(r) = raw["RefreshFrequency"].as_str() {
        if duration_seconds(r).is_some() {
            sched["refreshFrequency"] = json!(r);
        } else {
            losses.push(Loss::new(
                Severity::Warning,
                "RefreshFrequency",
                "RefreshFrequency",
                format!("{r} is not a fixed length: the segment is read once"),
            ));
        }
    }
    if raw["RefreshOnSegmentUpdate"] == true {
        losses.push(Loss::new(
            Severity::Warning,
            "RefreshOnSegmentUpdate",
            "RefreshOnSegmentUpdate",
            "Pinpoint re-read the segment when it changed; the campaign re-reads it on its refresh frequency only",
        ));
    }
    def.insert("schedule".into(), sched);

    // communication time: open hours per channel (journey's own, else the inverse of quiet time)
    let mut time = Map::new();
    let mut local = Map::new();
    if let Some(z) = &zone {
        local.insert("defaultTimeZone".into(), json!(z));
    }
    if raw["LocalTime"] == true {
        let methods: Vec<&str> = raw["TimezoneEstimationMethods"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|m| match m.as_str() {
                Some("PHONE_NUMBER") => Some("AREA_CODE"),
                Some("POSTAL_CODE") => Some("ZIP_CODE"),
                _ => None,
            })
            .collect();
        local.insert(
            "localTimeZoneDetection".into(),
            json!(if methods.is_empty() { vec!["ZIP_CODE", "AREA_CODE"] } else { methods }),
        );
        losses.push(Loss::new(
            Severity::Warning,
            "local time",
            "LocalTime",
            "Pinpoint used each endpoint's time zone; Connect infers it from postal codes or area codes",
        ));
    }
    let quiet = quiet_time(raw, "QuietTime", ctx.settings);
    for (pinpoint, connect) in [("EMAIL", "email"), ("SMS", "sms"), ("VOICE", "telephony")] {
        let used = channels.contains_key(connect) || (connect == "telephony" && f.telephony);
        if !used {
            continue;
        }
        let mut window = Map::new();
        if let Some(days) = raw["OpenHours"].get(pinpoint).filter(|d| d.is_object()) {
            if let Some(h) = daily_hours(days) {
                window.insert("openHours".into(), h);
            }
        } else if let Some((q, at)) = quiet
            && let Some(open) = open_hours_from_quiet_time(q, at, &mut losses)
        {
            window.extend(open.as_object().cloned().unwrap_or_default());
        }
        if let Some(days) = raw["ClosedDays"].get(pinpoint)
            && let Some(r) = restricted_periods(days, &format!("ClosedDays.{pinpoint}"), &mut losses)
        {
            window.insert("restrictedPeriods".into(), r);
        }
        if !window.is_empty() {
            if !window.contains_key("openHours") {
                window.insert("openHours".into(), json!({"dailyHours": {}}));
            }
            time.insert(connect.to_owned(), Value::Object(window));
        }
    }
    for c in ["PUSH", "CUSTOM"] {
        if raw["OpenHours"].get(c).is_some_and(Value::is_object) {
            losses.push(Loss::new(
                Severity::Warning,
                format!("OpenHours.{c}"),
                format!("OpenHours.{c}"),
                "custom actions run whenever the flow reaches them: these open hours have no place",
            ));
        }
    }
    if raw["WaitForQuietTime"] == true {
        losses.push(Loss::new(
            Severity::Note,
            "WaitForQuietTime",
            "WaitForQuietTime",
            "Pinpoint held messages until quiet time ended; Connect holds them until its open hours",
        ));
    }
    communication_time(&mut def, time, local);

    // limits
    let l = &raw["Limits"];
    let mut rules = Vec::new();
    if let Some(d) = l["DailyCap"].as_u64().filter(|d| *d > 0) {
        rules.push(limit(d, 1));
    }
    if let (Some(cap), Some(days)) = (l["TimeframeCap"]["Cap"].as_u64(), l["TimeframeCap"]["Days"].as_u64()) {
        rules.push(limit(cap, days.clamp(1, 30)));
    }
    if !rules.is_empty() {
        def.insert(
            "communicationLimitsOverride".into(),
            json!({"allChannelSubtypes": {"communicationLimitsList": rules}, "instanceLimitsHandling": "OPT_IN"}),
        );
    }
    if l["TotalCap"].as_u64().is_some_and(|v| v > 0) {
        losses.push(
            Loss::new(
                Severity::Loss,
                "Limits.TotalCap",
                "Limits.TotalCap",
                "a total per endpoint over the journey's life has no equivalent",
            )
            .suggest("use the entry limit and the communication limits together"),
        );
    }
    if l["MessagesPerSecond"].as_u64().is_some_and(|v| v > 0) {
        losses.push(Loss::new(
            Severity::Loss,
            "Limits.MessagesPerSecond",
            "Limits.MessagesPerSecond",
            "campaigns have no sending rate (capacity is a share of the instance's throughput)",
        ));
    }
    if let Some(cap) = l["EndpointReentryCap"].as_u64() {
        let interval =
            l["EndpointReentryInterval"].as_str().filter(|i| duration_seconds(i).is_some()).unwrap_or("PT0S");
        def.insert("entryLimitsConfig".into(), json!({"maxEntryCount": cap, "minEntryInterval": interval}));
    }
    if raw["JourneyChannelSettings"].get("ConnectCampaignArn").is_some() {
        losses.push(Loss::new(
            Severity::Note,
            "JourneyChannelSettings",
            "JourneyChannelSettings.ConnectCampaignArn",
            "calls went through a Connect Campaigns v1 campaign; the new campaign makes them itself",
        ));
    }
    losses.push(Loss::new(
        Severity::Note,
        "state",
        "State",
        format!(
            "the journey is {}; the flow is saved as a draft and the campaign created unstarted",
            raw["State"].as_str().unwrap_or("unknown")
        ),
    ));
    JourneyTranslation {
        journey_id: raw["Id"].as_str().unwrap_or_default().to_owned(),
        name,
        flow,
        flow_content: content,
        campaign: Value::Object(def),
        references,
        losses,
    }
}
