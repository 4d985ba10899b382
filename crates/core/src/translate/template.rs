//! A whole Pinpoint template (as `Get*Template` returns it) translated for SES or Connect: each part
//! converted, defaults and headers moved where the target keeps them, the target's request body built,
//! and — for SES — the TemplateData the sending code must pass. Voice and in-app templates have no
//! successor; SES takes email only.

pub mod convert;
pub mod proof;

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use serde_json::{Map, Value, json};
use ts_rs::TS;

use super::{Loss, Severity};
use crate::profile::{Channel, ProfileMapping, Variable, variables_of};
use crate::templates::render::{Parsed, parse};
use crate::templates::syntax::PathExpr;
use convert::{PartContext, SesPaths, Target, VariableUse, convert_part};

/// One part of a template, before and after.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct PartTranslation {
    /// As Pinpoint names it: `Subject`, `HtmlPart`, `Body`, `APNS.Title`…
    pub part: String,
    pub html: bool,
    pub original: String,
    /// `None` when the part does not parse (a loss says where).
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub converted: Option<String>,
}

/// The TemplateData the sending code passes SES for one endpoint under `paths`: the endpoint itself with
/// numbers as text (keep), or the endpoint's profile (rewrite). Missing values may be left out: the
/// converted template guards every value it prints.
pub fn ses_template_data(
    endpoint: &Value,
    paths: SesPaths,
    mapping: &ProfileMapping,
    variables: &[Variable],
    channel: Channel,
) -> Value {
    fn texts(v: &Value) -> Value {
        match v {
            Value::Number(_) => Value::String(crate::templates::value::text(Some(v))),
            Value::Array(a) => Value::Array(a.iter().map(texts).collect()),
            Value::Object(m) => Value::Object(m.iter().map(|(k, v)| (k.clone(), texts(v))).collect()),
            other => other.clone(),
        }
    }
    match paths {
        SesPaths::Keep => texts(endpoint),
        SesPaths::Rewrite => mapping.profile(endpoint, variables, channel),
    }
}

/// A part of a translation, parsed for rendering.
#[derive(Debug, Clone)]
pub struct ParsedPart {
    pub part: String,
    pub html: bool,
    pub original: Result<Parsed, String>,
    pub converted: Option<Parsed>,
}

/// A value the sending code must put in SES's TemplateData.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct TemplateDataField {
    /// The path in TemplateData (`User.UserAttributes.FirstName`, `Attributes.tier`).
    pub path: String,
    /// Where its value comes from.
    pub source: String,
}

/// A template translated for one target.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct TemplateTranslation {
    /// The Pinpoint template's name.
    pub name: String,
    /// Its name in the target (prefixed with the client in a shared Connect instance).
    pub target_name: String,
    pub template_type: String,
    pub version: String,
    pub target: Target,
    /// `false` when the template has no form in the target (voice, in-app; SMS or push for SES).
    pub translated: bool,
    pub parts: Vec<PartTranslation>,
    /// The target API's request body (SES `CreateEmailTemplate`, Q in Connect `CreateMessageTemplate`,
    /// without the knowledge base id).
    #[ts(type = "unknown")]
    pub content: Value,
    /// SES only: what the sending code puts in TemplateData (values may be missing; numbers as text).
    pub template_data: Vec<TemplateDataField>,
    pub variables: Vec<VariableUse>,
    pub losses: Vec<Loss>,
    /// Root paths the converted parts read (SES TemplateData must resolve every one).
    #[serde(skip)]
    #[ts(skip)]
    pub reads: Vec<Vec<String>>,
}

impl TemplateTranslation {
    /// The channel the template sends on (what its variables are read for).
    pub fn channel(&self) -> Channel {
        channel_of(&self.template_type)
    }

    /// The parts with both texts, parsed for rendering (an original that does not parse is the parser's
    /// message).
    pub fn parsed_parts(&self) -> Vec<ParsedPart> {
        self.parts
            .iter()
            .map(|p| ParsedPart {
                part: p.part.clone(),
                html: p.html,
                original: parse(&p.original).map_err(|e| e.to_string()),
                converted: p.converted.as_deref().and_then(|c| parse(c).ok()),
            })
            .collect()
    }

    /// Whether nothing was lost (warnings and notes may remain).
    pub fn lossless(&self) -> bool {
        self.translated && !self.losses.iter().any(|l| l.severity == Severity::Loss)
    }
}

/// The parts of a template of each type: (field path in the payload, HTML?).
fn parts_of(template_type: &str) -> Vec<(String, bool)> {
    let p = |s: &str, html: bool| (s.to_owned(), html);
    match template_type {
        "EMAIL" => vec![p("Subject", false), p("TextPart", false), p("HtmlPart", true)],
        "SMS" => vec![p("Body", false)],
        "PUSH" => ["Default", "APNS", "GCM", "ADM", "Baidu"]
            .iter()
            .flat_map(|platform| PUSH_FIELDS.iter().map(move |(field, _)| (format!("{platform}.{field}"), false)))
            .collect(),
        _ => Vec::new(),
    }
}

/// Pinpoint push fields that hold text, and their names in Q in Connect's push content.
const PUSH_FIELDS: [(&str, &str); 9] = [
    ("Title", "title"),
    ("Body", "body"),
    ("Url", "url"),
    ("Sound", "sound"),
    ("ImageUrl", "imageUrl"),
    ("ImageIconUrl", "imageIconUrl"),
    ("SmallImageIconUrl", "smallImageIconUrl"),
    ("MediaUrl", "mediaUrl"),
    ("RawContent", "rawContent"),
];

fn field<'v>(raw: &'v Value, path: &str) -> Option<&'v str> {
    path.split('.').try_fold(raw, |v, k| v.get(k))?.as_str().filter(|s| !s.is_empty())
}

fn channel_of(template_type: &str) -> Channel {
    match template_type {
        "SMS" => Channel::Sms,
        "PUSH" => Channel::Push,
        _ => Channel::Email,
    }
}

/// The template's DefaultSubstitutions; a malformed value is reported, never fatal.
pub fn defaults_of(raw: &Value, losses: &mut Vec<Loss>) -> BTreeMap<String, String> {
    let Some(text) = raw.get("DefaultSubstitutions").and_then(Value::as_str).filter(|s| !s.trim().is_empty()) else {
        return BTreeMap::new();
    };
    match serde_json::from_str::<Map<String, Value>>(text) {
        Ok(map) => map.into_iter().map(|(k, v)| (k, crate::templates::value::text(Some(&v)))).collect(),
        Err(e) => {
            losses.push(
                Loss::new(
                    Severity::Loss,
                    "DefaultSubstitutions",
                    "DefaultSubstitutions",
                    format!("is not a JSON object of defaults ({e}); no default is carried over"),
                )
                .at_position(crate::templates::Position { line: e.line() as u32, column: e.column() as u32 }),
            );
            BTreeMap::new()
        }
    }
}

/// The variables a template's parts read (for building its profile mapping).
pub fn template_variables(raw: &Value) -> Vec<Variable> {
    let template_type = raw["TemplateType"].as_str().unwrap_or_default();
    let mut paths = Vec::new();
    for (part, _) in parts_of(template_type) {
        if let Some(source) = field(raw, &part).and_then(|s| crate::templates::usage(s).ok()) {
            paths.extend(source.variables);
        }
    }
    if let Some(text) = raw.get("DefaultSubstitutions").and_then(Value::as_str)
        && let Ok(map) = serde_json::from_str::<Map<String, Value>>(text)
    {
        paths.extend(map.keys().cloned());
    }
    variables_of(&paths)
}

/// Translates a template for `target`.
pub fn translate(raw: &Value, target: Target, mapping: &ProfileMapping) -> TemplateTranslation {
    let name = raw["TemplateName"].as_str().unwrap_or_default().to_owned();
    let template_type = raw["TemplateType"].as_str().unwrap_or_default().to_owned();
    let version =
        raw["Version"].as_str().map(str::to_owned).unwrap_or_else(|| crate::templates::value::text(raw.get("Version")));
    let mut t = TemplateTranslation {
        target_name: name.clone(),
        name: name.clone(),
        template_type: template_type.clone(),
        version,
        target,
        translated: false,
        parts: Vec::new(),
        content: Value::Null,
        template_data: Vec::new(),
        variables: Vec::new(),
        losses: Vec::new(),
        reads: Vec::new(),
    };
    let no_successor =
        |what: &str, why: &str| Loss::new(Severity::Loss, format!("{what} template"), "TemplateType", why.to_owned());
    match (template_type.as_str(), target) {
        ("VOICE", _) => {
            t.losses.push(
                no_successor("voice", "voice templates have no successor: neither Connect nor End User Messaging stores voice message templates")
                    .suggest("rebuild the message as a Connect flow prompt or send it with SendVoiceMessage and a literal body"),
            );
            return t;
        }
        ("INAPP", _) => {
            t.losses.push(
                no_successor(
                    "in-app",
                    "in-app messaging has no successor (Connect web notifications cover web pages only)",
                )
                .suggest("decide with the in-app campaigns that use it"),
            );
            return t;
        }
        ("SMS" | "PUSH", Target::Ses(_)) => {
            t.losses.push(
                no_successor(&template_type.to_lowercase(), "SES sends email only").suggest("translate it for Connect"),
            );
            return t;
        }
        ("EMAIL" | "SMS" | "PUSH", _) => {}
        (other, _) => {
            t.losses.push(Loss::new(
                Severity::Loss,
                "template type",
                "TemplateType",
                format!("unknown template type {other:?}"),
            ));
            return t;
        }
    }
    t.translated = true;
    let channel = channel_of(&template_type);
    let defaults = defaults_of(raw, &mut t.losses);
    let mut reads: Vec<Vec<String>> = Vec::new();
    for (part, html) in parts_of(&template_type) {
        let Some(source) = field(raw, &part) else { continue };
        let ctx = PartContext { part: &part, html, target, channel, mapping, defaults: &defaults };
        match convert_part(source, ctx) {
            Ok(c) => {
                t.losses.extend(c.losses);
                t.variables.extend(c.uses);
                reads.extend(c.reads);
                t.parts.push(PartTranslation { part, html, original: source.to_owned(), converted: Some(c.converted) });
            }
            Err(e) => {
                t.losses.push(
                    Loss::new(
                        Severity::Loss,
                        "template syntax",
                        part.clone(),
                        format!("does not parse as Handlebars: {}", e.reason),
                    )
                    .at_position(crate::templates::Position { line: e.line, column: e.column })
                    .suggest("fix the template in Pinpoint's terms first; nothing of this part is converted"),
                );
                t.parts.push(PartTranslation { part, html, original: source.to_owned(), converted: None });
            }
        }
    }
    if let Some(r) = raw.get("RecommenderId").and_then(Value::as_str).filter(|s| !s.is_empty()) {
        t.losses.push(
            Loss::new(Severity::Loss, "recommender", "RecommenderId", format!("the template takes recommendations from recommender {r}; no successor fills templates with recommendations"))
                .suggest("fetch recommendations in the sending application (or a Customer Profiles recommender) and pass them as attributes"),
        );
    }
    let headers = headers_of(raw);
    match target {
        Target::Ses(paths) => {
            if !headers.is_empty() {
                let names: Vec<&str> = headers.iter().map(|(n, _)| n.as_str()).collect();
                t.losses.push(
                    Loss::new(Severity::Note, "Headers", "Headers", format!("SES keeps no headers with a template: {} move to send time (SendEmail Content.Template.Headers)", names.join(", ")))
                        .suggest("add them to the sending code's SendEmail call"),
                );
                for (n, v) in &headers {
                    if v.contains("{{") {
                        t.losses.push(Loss::new(Severity::Warning, format!("header {n}"), "Headers", format!("header {n} uses template variables; SES sends headers as given, so the sending code must fill them in")));
                    }
                }
            }
            t.content = json!({
                "TemplateName": name,
                "TemplateContent": {
                    "Subject": converted(&t.parts, "Subject"),
                    "Text": converted(&t.parts, "TextPart"),
                    "Html": converted(&t.parts, "HtmlPart"),
                }
            });
            strip_nulls(&mut t.content);
            t.template_data = template_data(&reads, paths);
        }
        Target::Connect => {
            let (default_attributes, mut default_losses) = connect_defaults(&defaults, mapping, channel);
            t.losses.append(&mut default_losses);
            let content = match template_type.as_str() {
                "EMAIL" => {
                    let mut email = json!({
                        "subject": converted(&t.parts, "Subject"),
                        "body": {
                            "plainText": converted(&t.parts, "TextPart").map(|c| json!({"content": c})),
                            "html": converted(&t.parts, "HtmlPart").map(|c| json!({"content": c})),
                        },
                    });
                    if !headers.is_empty() {
                        let mut list = Vec::new();
                        for (n, v) in headers.iter().take(15) {
                            let value = convert_text(v, "Headers", target, channel, mapping, &defaults, &mut t.losses);
                            list.push(json!({"name": n, "value": value}));
                        }
                        email["headers"] = Value::Array(list);
                    }
                    json!({ "email": email })
                }
                "SMS" => {
                    json!({"sms": {"body": {"plainText": converted(&t.parts, "Body").map(|c| json!({"content": c}))}}})
                }
                _ => json!({ "push": connect_push(&t.parts, raw) }),
            };
            let mut body = json!({
                "name": name,
                "channelSubtype": match channel { Channel::Email => "EMAIL", Channel::Sms => "SMS", Channel::Push => "PUSH" },
                "content": content,
                "description": raw.get("TemplateDescription").cloned().unwrap_or(Value::Null),
            });
            if !default_attributes.is_empty() {
                body["defaultAttributes"] = json!({ "customerProfileAttributes": default_attributes });
            }
            strip_nulls(&mut body);
            t.content = body;
        }
    }
    reads.sort();
    reads.dedup();
    t.reads = reads;
    t.losses.sort_by(|a, b| (a.severity, &a.at, a.position).cmp(&(b.severity, &b.at, b.position)));
    t.losses.dedup();
    t
}

fn converted(parts: &[PartTranslation], name: &str) -> Option<String> {
    parts.iter().find(|p| p.part == name).and_then(|p| p.converted.clone())
}

fn headers_of(raw: &Value) -> Vec<(String, String)> {
    raw.get("Headers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|h| {
            Some((h.get("Name")?.as_str()?.to_owned(), h.get("Value")?.as_str().unwrap_or_default().to_owned()))
        })
        .collect()
}

fn convert_text(
    source: &str,
    part: &str,
    target: Target,
    channel: Channel,
    mapping: &ProfileMapping,
    defaults: &BTreeMap<String, String>,
    losses: &mut Vec<Loss>,
) -> String {
    let ctx = PartContext { part, html: false, target, channel, mapping, defaults };
    match convert_part(source, ctx) {
        Ok(c) => {
            losses.extend(c.losses);
            c.converted
        }
        Err(e) => {
            losses.push(Loss::new(
                Severity::Loss,
                "template syntax",
                part,
                format!("does not parse as Handlebars: {}", e.reason),
            ));
            source.to_owned()
        }
    }
}

/// Pinpoint's default push message and per-platform overrides, as Connect's per-platform content.
fn connect_push(parts: &[PartTranslation], raw: &Value) -> Value {
    let mut out = Map::new();
    let has = |platform: &str| raw.get(platform).is_some_and(|v| v.as_object().is_some_and(|o| !o.is_empty()));
    for (pinpoint, connect) in [("APNS", "apns"), ("GCM", "fcm"), ("ADM", "adm"), ("Baidu", "baidu")] {
        if !has(pinpoint) && !has("Default") {
            continue;
        }
        let mut platform = Map::new();
        for (field, key) in PUSH_FIELDS {
            // the platform's own value wins over the default message's
            let value = converted(parts, &format!("{pinpoint}.{field}"))
                .or_else(|| converted(parts, &format!("Default.{field}")));
            let Some(value) = value else { continue };
            let allowed = match connect {
                "apns" => !matches!(key, "imageUrl" | "imageIconUrl" | "smallImageIconUrl"),
                _ => key != "mediaUrl",
            };
            if !allowed {
                continue;
            }
            let v = if matches!(key, "body" | "rawContent") { json!({"content": value}) } else { Value::String(value) };
            platform.insert(key.to_owned(), v);
        }
        let action = raw[pinpoint]["Action"].as_str().or_else(|| raw["Default"]["Action"].as_str());
        if let Some(a) = action {
            platform.insert("action".into(), Value::String(a.to_owned()));
        }
        if !platform.is_empty() {
            out.insert(connect.to_owned(), Value::Object(platform));
        }
    }
    Value::Object(out)
}

/// Pinpoint's defaults as Q in Connect's `customerProfileAttributes`, with what cannot go there.
fn connect_defaults(
    defaults: &BTreeMap<String, String>,
    mapping: &ProfileMapping,
    channel: Channel,
) -> (Map<String, Value>, Vec<Loss>) {
    let mut out = Map::new();
    let mut custom = Map::new();
    let mut losses = Vec::new();
    for (key, value) in defaults {
        let expr = PathExpr::parse(key);
        let segs: Vec<&str> = expr.segments.iter().map(|s| s.name.as_str()).collect();
        let field = Variable::parse(&segs).and_then(|(v, _)| mapping.field(&v, channel));
        let Some(field) = field else {
            losses.push(Loss::new(
                Severity::Loss,
                format!("default {key}"),
                "DefaultSubstitutions",
                format!("{key} has no profile attribute, so its default cannot move to Connect"),
            ));
            continue;
        };
        if value.is_empty() {
            losses.push(Loss::new(Severity::Warning, format!("default {key}"), "DefaultSubstitutions", format!("Connect default attributes cannot be empty; {key}'s empty default is dropped (a missing value keeps its placeholder)")));
            continue;
        }
        match field.connect_attribute() {
            (Some(_), name) => {
                custom.insert(name, Value::String(value.clone()));
            }
            (None, name) => {
                out.insert(name, Value::String(value.clone()));
            }
        }
    }
    if !custom.is_empty() {
        out.insert("custom".into(), Value::Object(custom));
    }
    (out, losses)
}

/// The defaults the Connect renderer applies, by the converted template's paths.
pub fn connect_render_defaults(
    defaults: &BTreeMap<String, String>,
    mapping: &ProfileMapping,
    channel: Channel,
) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for (key, value) in defaults {
        if value.is_empty() {
            continue;
        }
        let expr = PathExpr::parse(key);
        let segs: Vec<&str> = expr.segments.iter().map(|s| s.name.as_str()).collect();
        if let Some(field) = Variable::parse(&segs).and_then(|(v, _)| mapping.field(&v, channel)) {
            let mut path = vec!["Attributes".to_owned(), "Customer".to_owned()];
            path.extend(field.segments());
            out.insert(path.join("."), value.clone());
        }
    }
    out
}

fn template_data(reads: &[Vec<String>], paths: SesPaths) -> Vec<TemplateDataField> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for r in reads {
        let path = r.join(".");
        if !seen.insert(path.clone()) {
            continue;
        }
        let segs: Vec<&str> = r.iter().map(String::as_str).collect();
        let source = match paths {
            SesPaths::Keep => match Variable::parse(&segs) {
                Some((v, _)) if v.is_list() => format!("the endpoint's {} (a list of texts)", v.path()),
                Some((Variable::Unknown(_), _)) | None => {
                    "not an endpoint value (Pinpoint rendered nothing)".to_owned()
                }
                Some((v @ (Variable::Metric(_) | Variable::Location(_)), _)) => {
                    format!("the endpoint's {}, as text", v.path())
                }
                Some((v, _)) => format!("the endpoint's {}", v.path()),
            },
            SesPaths::Rewrite => match segs.as_slice() {
                ["Attributes", name, ..] => format!("the profile's custom attribute {name}"),
                ["Address", ..] => format!("the profile's {}", r[..2.min(r.len())].join(".")),
                [first, ..] => format!("the profile's {first}"),
                [] => String::new(),
            },
        };
        out.push(TemplateDataField { path, source });
    }
    out
}

fn strip_nulls(v: &mut Value) {
    match v {
        Value::Object(map) => {
            map.retain(|_, x| !x.is_null());
            for x in map.values_mut() {
                strip_nulls(x);
            }
            map.retain(|_, x| !(x.is_object() && x.as_object().is_some_and(Map::is_empty)));
        }
        Value::Array(items) => items.iter_mut().for_each(strip_nulls),
        _ => {}
    }
}
