//! Message templates of all five kinds, with versions and an active version, and recommender
//! configurations. Both are account-level (per Region), not per app.

use serde_json::{Map, Value, json};

use super::{PinpointState, Scope, Template, page, payload, project, store_tags, text, with_tags};
use crate::model::{bad_request, not_found};
use crate::wire::ServiceError;

/// (operation infix, TemplateType, request payload member, response shape, URL type segment).
const KINDS: &[(&str, &str, &str, &str, &str)] = &[
    ("Email", "EMAIL", "EmailTemplateRequest", "EmailTemplateResponse", "email"),
    ("Sms", "SMS", "SMSTemplateRequest", "SMSTemplateResponse", "sms"),
    ("Push", "PUSH", "PushNotificationTemplateRequest", "PushNotificationTemplateResponse", "push"),
    ("Voice", "VOICE", "VoiceTemplateRequest", "VoiceTemplateResponse", "voice"),
    ("InApp", "INAPP", "InAppTemplateRequest", "InAppTemplateResponse", "inapp"),
];

/// The operation infix (`Email`, `Sms`, …) and request shape for a TemplateType.
pub fn kind(template_type: &str) -> Option<(&'static str, &'static str)> {
    KINDS.iter().find(|k| k.1 == template_type).map(|k| (k.0, k.2))
}

pub fn handle(
    state: &mut PinpointState,
    scope: &Scope,
    op: &str,
    input: &Value,
) -> Option<Result<Value, ServiceError>> {
    match op {
        "ListTemplates" => return Some(list_templates(state, scope, input)),
        "ListTemplateVersions" => return Some(list_versions(state, scope, input)),
        "UpdateTemplateActiveVersion" => return Some(set_active(state, scope, input)),
        "CreateRecommenderConfiguration" => {
            return Some(create_recommender(state, scope, payload(input, "CreateRecommenderConfiguration")));
        }
        "GetRecommenderConfigurations" => {
            let items = state.region(scope).recommenders.values().cloned().collect();
            return Some(page(items, input, "PageSize", "Token"));
        }
        "GetRecommenderConfiguration" => {
            return Some(
                state
                    .region(scope)
                    .recommenders
                    .get(text(input, "RecommenderId"))
                    .cloned()
                    .ok_or_else(|| not_found("Resource not found")),
            );
        }
        "UpdateRecommenderConfiguration" => {
            let request = payload(input, "UpdateRecommenderConfiguration");
            return Some(
                state
                    .region(scope)
                    .recommenders
                    .get_mut(text(input, "RecommenderId"))
                    .ok_or_else(|| not_found("Resource not found"))
                    .map(|recommender| {
                        for (key, value) in request {
                            recommender[key.as_str()] = value;
                        }
                        recommender["LastModifiedDate"] = json!(scope.now);
                        recommender.clone()
                    }),
            );
        }
        "DeleteRecommenderConfiguration" => {
            return Some(
                state
                    .region(scope)
                    .recommenders
                    .remove(text(input, "RecommenderId"))
                    .ok_or_else(|| not_found("Resource not found")),
            );
        }
        _ => {}
    }
    let (verb, rest) = ["Create", "Get", "Update", "Delete"]
        .iter()
        .find_map(|verb| op.strip_prefix(verb).map(|rest| (*verb, rest)))?;
    let infix = rest.strip_suffix("Template")?;
    let kind = KINDS.iter().find(|k| k.0 == infix)?;
    let name = text(input, "TemplateName").to_owned();
    Some(match verb {
        "Create" => create_template(state, scope, kind, &name, payload(input, kind.2)),
        "Get" => get_template(state, scope, kind, &name, input["Version"].as_str()),
        "Update" => update_template(state, scope, kind, &name, input),
        _ => delete_template(state, scope, kind, &name, input["Version"].as_str()),
    })
}

type Kind = (&'static str, &'static str, &'static str, &'static str, &'static str);

fn template_arn(scope: &Scope, name: &str, template_type: &str) -> String {
    scope.arn(&format!("templates/{name}/{template_type}"))
}

fn accepted(message: &str) -> Value {
    json!({ "Message": message, "RequestID": uuid::Uuid::new_v4().to_string() })
}

pub fn create_template(
    state: &mut PinpointState,
    scope: &Scope,
    kind: &Kind,
    name: &str,
    request: Map<String, Value>,
) -> Result<Value, ServiceError> {
    let valid =
        (1..=128).contains(&name.len()) && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if !valid {
        return Err(bad_request("TemplateName can contain up to 128 letters, numbers, hyphens and underscores"));
    }
    let key = (name.to_owned(), kind.1.to_owned());
    let arn = template_arn(scope, name, kind.1);
    let region = state.region(scope);
    if region.templates.contains_key(&key) {
        return Err(bad_request("Template already exists"));
    }
    let version = version_record(scope, kind, name, &request, 1, None);
    store_tags(region, &arn, &request);
    region.templates.insert(key, Template { versions: vec![version], active: 0 });
    Ok(json!({ "Arn": arn, "Message": "Created", "RequestID": uuid::Uuid::new_v4().to_string() }))
}

fn version_record(
    scope: &Scope,
    kind: &Kind,
    name: &str,
    request: &Map<String, Value>,
    version: usize,
    created: Option<&Value>,
) -> Value {
    let mut record = Value::Object(request.clone());
    if let Some(object) = record.as_object_mut() {
        object.remove("tags");
    }
    record["TemplateName"] = json!(name);
    record["TemplateType"] = json!(kind.1);
    record["Arn"] = json!(template_arn(scope, name, kind.1));
    record["Version"] = json!(version.to_string());
    record["CreationDate"] = created.cloned().unwrap_or_else(|| json!(scope.now));
    record["LastModifiedDate"] = json!(scope.now);
    record
}

fn find<'a>(
    state: &'a mut PinpointState,
    scope: &Scope,
    name: &str,
    template_type: &str,
) -> Result<&'a mut Template, ServiceError> {
    state
        .region(scope)
        .templates
        .get_mut(&(name.to_owned(), template_type.to_owned()))
        .ok_or_else(|| not_found("Resource not found"))
}

fn version_index(template: &Template, version: Option<&str>) -> Result<usize, ServiceError> {
    match version {
        None | Some("") | Some("latest") => Ok(template.active),
        Some(v) => v
            .parse::<usize>()
            .ok()
            .and_then(|n| n.checked_sub(1))
            .filter(|i| *i < template.versions.len())
            .ok_or_else(|| not_found("Resource not found")),
    }
}

fn get_template(
    state: &mut PinpointState,
    scope: &Scope,
    kind: &Kind,
    name: &str,
    version: Option<&str>,
) -> Result<Value, ServiceError> {
    let template = find(state, scope, name, kind.1)?;
    let record = template.versions[version_index(template, version)?].clone();
    let arn = template_arn(scope, name, kind.1);
    Ok(project(with_tags(state.region(scope), &arn, record), kind.3))
}

fn update_template(
    state: &mut PinpointState,
    scope: &Scope,
    kind: &Kind,
    name: &str,
    input: &Value,
) -> Result<Value, ServiceError> {
    let request = payload(input, kind.2);
    let new_version =
        input["CreateNewVersion"].as_str() == Some("true") || input["CreateNewVersion"].as_bool() == Some(true);
    let version = input["Version"].as_str().map(str::to_owned);
    let template = find(state, scope, name, kind.1)?;
    let created = template.versions[0]["CreationDate"].clone();
    if new_version {
        let number = template.versions.len() + 1;
        template.versions.push(version_record(scope, kind, name, &request, number, Some(&created)));
    } else {
        // Without a version, AWS replaces the latest version (not necessarily the active one).
        let index = match version.as_deref() {
            None | Some("") => template.versions.len() - 1,
            Some(v) => version_index(template, Some(v))?,
        };
        template.versions[index] = version_record(scope, kind, name, &request, index + 1, Some(&created));
    }
    Ok(accepted("Accepted"))
}

fn delete_template(
    state: &mut PinpointState,
    scope: &Scope,
    kind: &Kind,
    name: &str,
    version: Option<&str>,
) -> Result<Value, ServiceError> {
    let key = (name.to_owned(), kind.1.to_owned());
    let template = find(state, scope, name, kind.1)?;
    match version {
        Some(v) if template.versions.len() > 1 => {
            let index = version_index(template, Some(v))?;
            template.versions.remove(index);
            template.active = template.active.min(template.versions.len() - 1);
        }
        _ => {
            let region = state.region(scope);
            region.templates.remove(&key);
            region.tags.remove(&template_arn(scope, name, kind.1));
        }
    }
    Ok(accepted("Accepted"))
}

fn set_active(state: &mut PinpointState, scope: &Scope, input: &Value) -> Result<Value, ServiceError> {
    let kind = KINDS
        .iter()
        .find(|k| k.4 == text(input, "TemplateType"))
        .ok_or_else(|| bad_request("Unknown template type"))?;
    let version =
        payload(input, "TemplateActiveVersionRequest").get("Version").and_then(Value::as_str).map(str::to_owned);
    let template = find(state, scope, text(input, "TemplateName"), kind.1)?;
    template.active = version_index(template, Some(version.as_deref().unwrap_or("")))?;
    Ok(accepted("Accepted"))
}

fn list_templates(state: &mut PinpointState, scope: &Scope, input: &Value) -> Result<Value, ServiceError> {
    let prefix = text(input, "Prefix");
    let wanted = input["TemplateType"].as_str();
    let region = state.region(scope);
    let items = region
        .templates
        .iter()
        .filter(|((name, kind), _)| name.starts_with(prefix) && wanted.is_none_or(|w| w.eq_ignore_ascii_case(kind)))
        .map(|((name, kind), template)| {
            let record = template.versions[template.active].clone();
            project(with_tags(region, &template_arn(scope, name, kind), record), "TemplateResponse")
        })
        .collect();
    page(items, input, "PageSize", "NextToken")
}

fn list_versions(state: &mut PinpointState, scope: &Scope, input: &Value) -> Result<Value, ServiceError> {
    let kind = KINDS
        .iter()
        .find(|k| k.4 == text(input, "TemplateType"))
        .ok_or_else(|| bad_request("Unknown template type"))?;
    let template = find(state, scope, text(input, "TemplateName"), kind.1)?;
    let items = template.versions.iter().map(|v| project(v.clone(), "TemplateVersionResponse")).collect();
    page(items, input, "PageSize", "NextToken")
}

pub fn create_recommender(
    state: &mut PinpointState,
    scope: &Scope,
    request: Map<String, Value>,
) -> Result<Value, ServiceError> {
    for required in ["RecommendationProviderRoleArn", "RecommendationProviderUri"] {
        if request.get(required).is_none() {
            return Err(bad_request(format!("Missing required field {required}")));
        }
    }
    let id = state.mint_id(scope);
    let mut recommender = Value::Object(request);
    recommender["Id"] = json!(id);
    recommender["CreationDate"] = json!(scope.now);
    recommender["LastModifiedDate"] = json!(scope.now);
    state.region(scope).recommenders.insert(id, recommender.clone());
    Ok(recommender)
}
