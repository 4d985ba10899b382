//! Amazon Q in Connect (restJson1, signing name `wisdom`): knowledge bases (MESSAGE_TEMPLATES among them)
//! and message templates for EMAIL, SMS and PUSH — `$LATEST` content, immutable numbered versions (a
//! repeat version of unchanged content returns the same number), activation (one active version; the
//! previous one is deactivated), get/list/search, and `RenderMessageTemplate` by Connect's rules: a
//! variable without a value or a default keeps its placeholder and is reported.
//!
//! Template variables read the attributes as `Attributes.Customer.<profile path>` (`FirstName`,
//! `EmailAddress`, `Address.City`, `Attributes.<custom>`), `Attributes.Agent.<Name>`,
//! `Attributes.System.<Name>` and `Attributes.Custom.<key>`.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde_json::{Map, Value, json};

use super::rest::{Ctx, RestService, error, new_id, page, text};
use crate::model::{Call, ServiceModel};
use crate::state::World;
use crate::wire::{Protocol, RestStyle, ServiceError};

pub const SIGNING_NAME: &str = "wisdom";
pub const PROTOCOL: Protocol = Protocol::RestJson(&RestStyle {
    message_key: "message",
    request_id_in_body: false,
    denied: "AccessDeniedException",
    throttled: ("ThrottlingException", 400),
    server_error: "InternalServerException",
});

pub static SERVICE: RestService =
    RestService { signing_name: SIGNING_NAME, iam_prefix: "wisdom", protocol: PROTOCOL, model, handle };

/// Knowledge bases per account and Region (the archived Wisdom quota).
pub const KNOWLEDGE_BASES_PER_REGION: usize = 10;

pub fn model() -> &'static ServiceModel {
    static MODEL: OnceLock<ServiceModel> = OnceLock::new();
    MODEL.get_or_init(|| {
        ServiceModel::parse(include_str!("../../models/qconnect-2020-10-19.json"))
            .expect("the embedded Q in Connect model is valid JSON")
    })
}

#[derive(Debug, Clone)]
pub struct KnowledgeBase {
    pub account_id: String,
    pub region: String,
    /// The `KnowledgeBaseData` shape without `tags`.
    pub record: Value,
    pub templates: BTreeMap<String, Template>,
}

#[derive(Debug, Clone)]
pub struct Template {
    /// `$LATEST`: the `MessageTemplateData` shape without `tags`.
    pub latest: Value,
    /// Numbered versions: snapshots of `$LATEST` when they were made.
    pub versions: Vec<Value>,
    pub active: Option<i64>,
}

#[derive(Debug, Default, Clone)]
pub struct QConnectState {
    pub knowledge_bases: BTreeMap<String, KnowledgeBase>,
}

fn not_found(message: impl Into<String>) -> ServiceError {
    error(404, "ResourceNotFoundException", message)
}

fn validation(message: impl Into<String>) -> ServiceError {
    error(400, "ValidationException", message)
}

fn conflict(message: impl Into<String>) -> ServiceError {
    error(409, "ConflictException", message)
}

fn sha256(value: &Value) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(value.to_string().as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

impl QConnectState {
    /// A knowledge base's record by ARN (for Connect's integration associations and Campaigns).
    pub fn knowledge_base_by_arn(&self, arn: &str) -> Option<&Value> {
        let id = arn.rsplit('/').next()?;
        self.knowledge_bases.get(id).filter(|kb| kb.record["knowledgeBaseArn"] == arn).map(|kb| &kb.record)
    }

    fn kb_mut(&mut self, ctx: &Ctx<'_>, id_or_arn: &str) -> Result<&mut KnowledgeBase, ServiceError> {
        let id = id_or_arn.rsplit('/').next().unwrap_or(id_or_arn);
        self.knowledge_bases
            .get_mut(id)
            .filter(|kb| kb.account_id == ctx.account_id && kb.region == ctx.region)
            .ok_or_else(|| not_found(format!("Knowledge base not found: {id}")).with("resourceName", id))
    }
}

impl KnowledgeBase {
    /// A template by id or ARN, with an optional `:qualifier` (a version number, `$LATEST` or
    /// `$ACTIVE_VERSION`); answers the content that qualifier names.
    fn template(&self, reference: &str) -> Result<(&Template, Value), ServiceError> {
        let reference = reference.rsplit('/').next().unwrap_or(reference);
        let (id, qualifier) = reference.split_once(':').unwrap_or((reference, "$LATEST"));
        let template = self
            .templates
            .get(id)
            .ok_or_else(|| not_found(format!("Message template not found: {id}")).with("resourceName", id))?;
        let data = match qualifier {
            "$LATEST" => template.latest.clone(),
            "$ACTIVE_VERSION" => {
                let active =
                    template.active.ok_or_else(|| not_found(format!("Message template {id} has no active version")))?;
                template.versions[(active - 1) as usize].clone()
            }
            number => {
                let n = number.parse::<usize>().map_err(|_| validation(format!("Invalid qualifier {number}")))?;
                template
                    .versions
                    .get(n.wrapping_sub(1))
                    .cloned()
                    .ok_or_else(|| not_found(format!("Version {n} of {id} not found")))?
            }
        };
        Ok((template, data))
    }
}

fn summary(template: &Value, active: Option<i64>, tags: Value) -> Value {
    let mut out = Map::new();
    for key in [
        "messageTemplateArn",
        "messageTemplateId",
        "knowledgeBaseArn",
        "knowledgeBaseId",
        "name",
        "channel",
        "channelSubtype",
        "createdTime",
        "lastModifiedTime",
        "lastModifiedBy",
        "description",
    ] {
        if let Some(value) = template.get(key) {
            out.insert(key.to_owned(), value.clone());
        }
    }
    if let Some(n) = active {
        out.insert("activeVersionNumber".to_owned(), json!(n));
    }
    out.insert("tags".to_owned(), tags);
    Value::Object(out)
}

/// The attributes a render request or a template's defaults give, as the data template variables read.
fn render_data(attributes: &Value) -> Value {
    let mut customer = Map::new();
    if let Some(profile) = attributes["customerProfileAttributes"].as_object() {
        for (key, value) in profile {
            if key == "custom" {
                if let Some(custom) = value.as_object() {
                    let entry = customer.entry("Attributes").or_insert_with(|| json!({}));
                    for (k, v) in custom {
                        entry[k] = v.clone();
                    }
                }
                continue;
            }
            let (group, field) = profile_path(key);
            match group {
                Some(group) => {
                    let entry = customer.entry(group).or_insert_with(|| json!({}));
                    entry[field] = value.clone();
                }
                None => {
                    customer.insert(field, value.clone());
                }
            }
        }
    }
    let pascal_map = |value: &Value| -> Value {
        let mut out = Map::new();
        for (k, v) in value.as_object().into_iter().flatten() {
            out.insert(
                pascal(k),
                if v.is_object() {
                    Value::Object(
                        v.as_object().cloned().unwrap_or_default().into_iter().map(|(k, v)| (pascal(&k), v)).collect(),
                    )
                } else {
                    v.clone()
                },
            );
        }
        Value::Object(out)
    };
    json!({ "Attributes": {
        "Customer": Value::Object(customer),
        "Agent": pascal_map(&attributes["agentAttributes"]),
        "System": pascal_map(&attributes["systemAttributes"]),
        "Custom": attributes.get("customAttributes").cloned().unwrap_or_else(|| json!({})),
    }})
}

fn pascal(key: &str) -> String {
    let mut chars = key.chars();
    chars.next().map(|c| c.to_ascii_uppercase().to_string() + chars.as_str()).unwrap_or_default()
}

/// Where a `customerProfileAttributes` key lives in a profile: `city` → `Address.City`,
/// `billingCity` → `BillingAddress.City`, `firstName` → `FirstName`.
fn profile_path(key: &str) -> (Option<&'static str>, String) {
    for (prefix, group) in
        [("billing", "BillingAddress"), ("shipping", "ShippingAddress"), ("mailing", "MailingAddress")]
    {
        if let Some(rest) = key.strip_prefix(prefix)
            && rest.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        {
            return (Some(group), rest.to_owned());
        }
    }
    match key {
        "address1" | "address2" | "address3" | "address4" | "city" | "country" | "county" | "postalCode"
        | "province" | "state" => (Some("Address"), pascal(key)),
        other => (None, pascal(other)),
    }
}

/// Merges the request's attributes over the template's defaults (one level into each group).
fn merged(defaults: &Value, request: &Value) -> Value {
    let mut out = defaults.clone();
    if !out.is_object() {
        out = json!({});
    }
    for (group, values) in request.as_object().into_iter().flatten() {
        match (out.get_mut(group).and_then(Value::as_object_mut), values.as_object()) {
            (Some(existing), Some(values)) => {
                for (k, v) in values {
                    if let (Some(inner), Some(v_obj)) =
                        (existing.get_mut(k).and_then(Value::as_object_mut), v.as_object())
                    {
                        inner.extend(v_obj.clone());
                    } else {
                        existing.insert(k.clone(), v.clone());
                    }
                }
            }
            _ => out[group] = values.clone(),
        }
    }
    out
}

/// Renders every text of a template's content; HTML parts are escaped.
fn render_content(content: &Value, data: &Value, missing: &mut Vec<String>) -> Result<Value, ServiceError> {
    fn walk(value: &Value, data: &Value, html: bool, missing: &mut Vec<String>) -> Result<Value, ServiceError> {
        Ok(match value {
            Value::String(text) => {
                let (rendered, absent) = super::render::connect(text, data, html).map_err(validation)?;
                for name in absent {
                    if !missing.contains(&name) {
                        missing.push(name);
                    }
                }
                Value::String(rendered)
            }
            Value::Object(object) => {
                let mut out = Map::new();
                for (k, v) in object {
                    // `action` is an enum, not text; headers keep their names.
                    let rendered = if k == "action" || k == "name" {
                        v.clone()
                    } else {
                        walk(v, data, html || k == "html", missing)?
                    };
                    out.insert(k.clone(), rendered);
                }
                Value::Object(out)
            }
            Value::Array(items) => {
                Value::Array(items.iter().map(|v| walk(v, data, html, missing)).collect::<Result<_, _>>()?)
            }
            other => other.clone(),
        })
    }
    walk(content, data, false, missing)
}

fn handle(world: &mut World, ctx: &Ctx<'_>, call: &Call) -> Result<Value, ServiceError> {
    let World { qconnect, tags, .. } = world;
    let input = &call.input;
    if let Some(answer) = tags.handle(&call.operation, input, &|arn| {
        not_found(format!("Resource not found: {arn}")).with("resourceName", arn)
    }) {
        return answer;
    }
    match call.operation.as_str() {
        "CreateKnowledgeBase" => {
            let name = text(input, "name");
            let here = || {
                qconnect
                    .knowledge_bases
                    .values()
                    .filter(|kb| kb.account_id == ctx.account_id && kb.region == ctx.region)
            };
            if here().any(|kb| kb.record["name"] == name.as_str()) {
                return Err(conflict(format!("A knowledge base named {name} already exists")));
            }
            if here().count() >= KNOWLEDGE_BASES_PER_REGION {
                return Err(error(
                    402,
                    "ServiceQuotaExceededException",
                    format!("The maximum number of knowledge bases ({KNOWLEDGE_BASES_PER_REGION}) has been reached"),
                ));
            }
            let id = new_id();
            let arn = ctx.arn(SIGNING_NAME, &format!("knowledge-base/{id}"));
            let mut record = json!({
                "knowledgeBaseId": id,
                "knowledgeBaseArn": arn,
                "name": name,
                "knowledgeBaseType": input["knowledgeBaseType"],
                "status": "ACTIVE",
                "lastContentModificationTime": ctx.epoch(),
            });
            for key in
                ["description", "serverSideEncryptionConfiguration", "sourceConfiguration", "renderingConfiguration"]
            {
                if let Some(value) = input.get(key) {
                    record[key] = value.clone();
                }
            }
            tags.set(&arn, input.get("tags"));
            qconnect.knowledge_bases.insert(
                id,
                KnowledgeBase {
                    account_id: ctx.account_id.to_owned(),
                    region: ctx.region.to_owned(),
                    record: record.clone(),
                    templates: BTreeMap::new(),
                },
            );
            record["tags"] = tags.get(&arn);
            Ok(json!({ "knowledgeBase": record }))
        }
        "GetKnowledgeBase" => {
            let kb = qconnect.kb_mut(ctx, &text(input, "knowledgeBaseId"))?;
            let mut record = kb.record.clone();
            record["tags"] = tags.get(kb.record["knowledgeBaseArn"].as_str().unwrap_or_default());
            Ok(json!({ "knowledgeBase": record }))
        }
        "ListKnowledgeBases" => {
            let items = qconnect
                .knowledge_bases
                .values()
                .filter(|kb| kb.account_id == ctx.account_id && kb.region == ctx.region)
                .map(|kb| {
                    let mut record = kb.record.clone();
                    if let Some(object) = record.as_object_mut() {
                        object.remove("lastContentModificationTime");
                    }
                    record["tags"] = tags.get(kb.record["knowledgeBaseArn"].as_str().unwrap_or_default());
                    record
                })
                .collect();
            page(
                items,
                input["maxResults"].as_u64(),
                10,
                input["nextToken"].as_str(),
                "knowledgeBaseSummaries",
                "nextToken",
                || validation("Invalid nextToken"),
            )
        }
        "DeleteKnowledgeBase" => {
            let kb = qconnect.kb_mut(ctx, &text(input, "knowledgeBaseId"))?;
            let id = kb.record["knowledgeBaseId"].as_str().unwrap_or_default().to_owned();
            if let Some(kb) = qconnect.knowledge_bases.remove(&id) {
                tags.forget(kb.record["knowledgeBaseArn"].as_str().unwrap_or_default());
                for template in kb.templates.values() {
                    tags.forget(template.latest["messageTemplateArn"].as_str().unwrap_or_default());
                }
            }
            Ok(json!({}))
        }
        "CreateMessageTemplate" => {
            let kb = qconnect.kb_mut(ctx, &text(input, "knowledgeBaseId"))?;
            if kb.record["knowledgeBaseType"] != "MESSAGE_TEMPLATES" {
                return Err(validation("Message templates can only be created in a MESSAGE_TEMPLATES knowledge base"));
            }
            let subtype = text(input, "channelSubtype");
            let name =
                input["name"].as_str().map(str::to_owned).unwrap_or_else(|| format!("template-{}", &new_id()[..8]));
            if kb.templates.values().any(|t| t.latest["name"] == name.as_str()) {
                return Err(conflict(format!("A message template named {name} already exists in this knowledge base")));
            }
            let content = input.get("content").cloned().unwrap_or_else(|| json!({}));
            let key = match subtype.as_str() {
                "EMAIL" => "email",
                "SMS" => "sms",
                "PUSH" => "push",
                _ => "whatsApp",
            };
            if content.as_object().is_some_and(|c| c.keys().any(|k| k != key)) {
                return Err(validation(format!("The content of a {subtype} template must be content.{key}")));
            }
            let id = new_id();
            let kb_arn = kb.record["knowledgeBaseArn"].as_str().unwrap_or_default().to_owned();
            let arn = ctx.arn(
                SIGNING_NAME,
                &format!("message-template/{}/{id}", kb.record["knowledgeBaseId"].as_str().unwrap_or_default()),
            );
            let mut record = json!({
                "messageTemplateArn": arn,
                "messageTemplateId": id,
                "knowledgeBaseArn": kb_arn,
                "knowledgeBaseId": kb.record["knowledgeBaseId"],
                "name": name,
                "channelSubtype": subtype,
                "channel": subtype,
                "content": content,
                "createdTime": ctx.iso(),
                "lastModifiedTime": ctx.iso(),
                "lastModifiedBy": format!("arn:aws:iam::{}:root", ctx.account_id),
            });
            for key in ["description", "language", "defaultAttributes", "groupingConfiguration"] {
                if let Some(value) = input.get(key) {
                    record[key] = value.clone();
                }
            }
            record["messageTemplateContentSha256"] = json!(sha256(&record["content"]));
            tags.set(&arn, input.get("tags"));
            kb.templates.insert(id, Template { latest: record.clone(), versions: Vec::new(), active: None });
            record["tags"] = tags.get(&arn);
            Ok(json!({ "messageTemplate": record }))
        }
        "GetMessageTemplate" => {
            let kb = qconnect.kb_mut(ctx, &text(input, "knowledgeBaseId"))?;
            let (template, mut data) = kb.template(&text(input, "messageTemplateId"))?;
            if let Some(n) = data["versionNumber"].as_i64() {
                data["isActive"] = json!(template.active == Some(n));
            }
            data["tags"] = tags.get(template.latest["messageTemplateArn"].as_str().unwrap_or_default());
            Ok(json!({ "messageTemplate": data }))
        }
        "UpdateMessageTemplate" => {
            let kb = qconnect.kb_mut(ctx, &text(input, "knowledgeBaseId"))?;
            let reference = text(input, "messageTemplateId");
            if reference.contains(':') && !reference.ends_with(":$LATEST") {
                return Err(validation("Only $LATEST can be updated"));
            }
            let id = reference.split(':').next().unwrap_or_default().rsplit('/').next().unwrap_or_default().to_owned();
            let template =
                kb.templates.get_mut(&id).ok_or_else(|| not_found(format!("Message template not found: {id}")))?;
            let subtype = template.latest["channelSubtype"].as_str().unwrap_or_default().to_owned();
            if let Some(content) = input.get("content") {
                let key = match subtype.as_str() {
                    "EMAIL" => "email",
                    "SMS" => "sms",
                    "PUSH" => "push",
                    _ => "whatsApp",
                };
                if content.as_object().is_some_and(|c| c.keys().any(|k| k != key)) {
                    return Err(validation(format!(
                        "The channel subtype {subtype} is immutable: content must be content.{key}"
                    )));
                }
                template.latest["content"] = content.clone();
            }
            for key in ["language", "defaultAttributes"] {
                if let Some(value) = input.get(key) {
                    template.latest[key] = value.clone();
                }
            }
            template.latest["lastModifiedTime"] = json!(ctx.iso());
            template.latest["messageTemplateContentSha256"] = json!(sha256(&template.latest["content"]));
            let mut record = template.latest.clone();
            record["tags"] = tags.get(record["messageTemplateArn"].as_str().unwrap_or_default());
            Ok(json!({ "messageTemplate": record }))
        }
        "DeleteMessageTemplate" => {
            let kb = qconnect.kb_mut(ctx, &text(input, "knowledgeBaseId"))?;
            let id = text(input, "messageTemplateId");
            let id = id.rsplit('/').next().unwrap_or_default().split(':').next().unwrap_or_default().to_owned();
            let template =
                kb.templates.get(&id).ok_or_else(|| not_found(format!("Message template not found: {id}")))?;
            if template.active.is_some() {
                return Err(conflict(format!("Message template {id} has an active version; deactivate it first")));
            }
            let removed = kb.templates.remove(&id);
            if let Some(removed) = removed {
                tags.forget(removed.latest["messageTemplateArn"].as_str().unwrap_or_default());
            }
            Ok(json!({}))
        }
        "ListMessageTemplates" => {
            let kb = qconnect.kb_mut(ctx, &text(input, "knowledgeBaseId"))?;
            let items = kb
                .templates
                .values()
                .map(|t| {
                    summary(&t.latest, t.active, tags.get(t.latest["messageTemplateArn"].as_str().unwrap_or_default()))
                })
                .collect();
            page(
                items,
                input["maxResults"].as_u64(),
                100,
                input["nextToken"].as_str(),
                "messageTemplateSummaries",
                "nextToken",
                || validation("Invalid nextToken"),
            )
        }
        "SearchMessageTemplates" => {
            let kb = qconnect.kb_mut(ctx, &text(input, "knowledgeBaseId"))?;
            let filters = input["searchExpression"]["queries"].as_array().cloned().unwrap_or_default();
            let items = kb
                .templates
                .values()
                .filter(|t| {
                    filters.iter().all(|q| {
                        let field = q["name"].as_str().unwrap_or_default();
                        let values: Vec<&str> =
                            q["values"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
                        let actual = t.latest[field].as_str().unwrap_or_default().to_lowercase();
                        values.iter().any(|v| actual.contains(&v.to_lowercase()))
                    })
                })
                .map(|t| {
                    let mut s = summary(
                        &t.latest,
                        t.active,
                        tags.get(t.latest["messageTemplateArn"].as_str().unwrap_or_default()),
                    );
                    if let Some(object) = s.as_object_mut() {
                        object.remove("activeVersionNumber");
                        object.remove("sourceConfiguration");
                    }
                    s["isActive"] = json!(t.active.is_some());
                    if let Some(n) = t.active {
                        s["versionNumber"] = json!(n);
                    }
                    s
                })
                .collect();
            page(items, input["maxResults"].as_u64(), 100, input["nextToken"].as_str(), "results", "nextToken", || {
                validation("Invalid nextToken")
            })
        }
        "CreateMessageTemplateVersion" => {
            let kb = qconnect.kb_mut(ctx, &text(input, "knowledgeBaseId"))?;
            let id = text(input, "messageTemplateId");
            let template =
                kb.templates.get_mut(&id).ok_or_else(|| not_found(format!("Message template not found: {id}")))?;
            let sha = template.latest["messageTemplateContentSha256"].as_str().unwrap_or_default().to_owned();
            if let Some(expected) = input["messageTemplateContentSha256"].as_str()
                && expected != sha
            {
                return Err(conflict("messageTemplateContentSha256 does not match the template's $LATEST content"));
            }
            let existing =
                template.versions.iter().find(|v| v["messageTemplateContentSha256"] == sha.as_str()).cloned();
            let mut version = match existing {
                Some(version) => version,
                None => {
                    let number = template.versions.len() as i64 + 1;
                    let mut version = template.latest.clone();
                    version["versionNumber"] = json!(number);
                    version["messageTemplateArn"] = json!(format!(
                        "{}:{number}",
                        template.latest["messageTemplateArn"].as_str().unwrap_or_default()
                    ));
                    template.versions.push(version.clone());
                    version
                }
            };
            let n = version["versionNumber"].as_i64();
            version["isActive"] = json!(template.active.is_some() && template.active == n);
            version["tags"] = tags.get(template.latest["messageTemplateArn"].as_str().unwrap_or_default());
            Ok(json!({ "messageTemplate": version }))
        }
        "ListMessageTemplateVersions" => {
            let kb = qconnect.kb_mut(ctx, &text(input, "knowledgeBaseId"))?;
            let id = text(input, "messageTemplateId");
            let template =
                kb.templates.get(&id).ok_or_else(|| not_found(format!("Message template not found: {id}")))?;
            let items = template
                .versions
                .iter()
                .map(|v| {
                    json!({
                        "messageTemplateArn": v["messageTemplateArn"], "messageTemplateId": v["messageTemplateId"],
                        "knowledgeBaseArn": v["knowledgeBaseArn"], "knowledgeBaseId": v["knowledgeBaseId"],
                        "name": v["name"], "channel": v["channel"], "channelSubtype": v["channelSubtype"],
                        "isActive": template.active.is_some() && template.active == v["versionNumber"].as_i64(),
                        "versionNumber": v["versionNumber"],
                    })
                })
                .collect();
            page(
                items,
                input["maxResults"].as_u64(),
                100,
                input["nextToken"].as_str(),
                "messageTemplateVersionSummaries",
                "nextToken",
                || validation("Invalid nextToken"),
            )
        }
        op @ ("ActivateMessageTemplate" | "DeactivateMessageTemplate") => {
            let kb = qconnect.kb_mut(ctx, &text(input, "knowledgeBaseId"))?;
            let id = text(input, "messageTemplateId");
            let template =
                kb.templates.get_mut(&id).ok_or_else(|| not_found(format!("Message template not found: {id}")))?;
            let number = input["versionNumber"].as_i64().unwrap_or(0);
            if number < 1 || number as usize > template.versions.len() {
                return Err(not_found(format!("Version {number} of {id} not found")));
            }
            if op == "ActivateMessageTemplate" {
                template.active = Some(number);
            } else if template.active == Some(number) {
                template.active = None;
            } else {
                return Err(conflict(format!("Version {number} of {id} is not active")));
            }
            Ok(json!({
                "messageTemplateArn": template.latest["messageTemplateArn"],
                "messageTemplateId": id,
                "versionNumber": number,
            }))
        }
        "RenderMessageTemplate" => {
            let kb = qconnect.kb_mut(ctx, &text(input, "knowledgeBaseId"))?;
            let (_, data) = kb.template(&text(input, "messageTemplateId"))?;
            let attributes = merged(&data["defaultAttributes"], &input["attributes"]);
            let mut missing = Vec::new();
            let content = render_content(&data["content"], &render_data(&attributes), &mut missing)?;
            Ok(json!({ "content": content, "attributesNotInterpolated": missing }))
        }
        other => Err(error(
            501,
            "NotImplementedException",
            format!("the Pinshift sandbox does not implement Q in Connect {other} yet"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn profile_attributes_land_where_templates_read_them() {
        let data = super::render_data(&json!({
            "customerProfileAttributes": {"firstName": "Ann", "city": "Lyon", "billingCity": "Nice", "custom": {"tier": "gold"}},
            "agentAttributes": {"firstName": "Bo"},
            "customAttributes": {"code": "X1"},
        }));
        assert_eq!(data["Attributes"]["Customer"]["FirstName"], "Ann");
        assert_eq!(data["Attributes"]["Customer"]["Address"]["City"], "Lyon");
        assert_eq!(data["Attributes"]["Customer"]["BillingAddress"]["City"], "Nice");
        assert_eq!(data["Attributes"]["Customer"]["Attributes"]["tier"], "gold");
        assert_eq!(data["Attributes"]["Agent"]["FirstName"], "Bo");
        assert_eq!(data["Attributes"]["Custom"]["code"], "X1");
    }
}
