//! Apps (projects), application settings, event streams and tags.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::{App, PinpointState, RegionState, Scope, app_mut, page, payload, store_tags, text, with_tags};
use crate::model::{bad_request, not_found};
use crate::wire::ServiceError;

/// Members of WriteApplicationSettingsRequest that AWS accepts but never returns.
const WRITE_ONLY_SETTINGS: [&str; 2] = ["CloudWatchMetricsEnabled", "EventTaggingEnabled"];

pub fn handle(
    state: &mut PinpointState,
    scope: &Scope,
    op: &str,
    input: &Value,
) -> Option<Result<Value, ServiceError>> {
    let app_id = text(input, "ApplicationId");
    Some(match op {
        "CreateApp" => create_app(state, scope, &payload(input, "CreateApplicationRequest")),
        "GetApps" => {
            let region = state.region(scope);
            let items = region.apps.values().map(|app| app_response(region, scope, app)).collect();
            page(items, input, "PageSize", "Token")
        }
        "GetApp" => {
            let region = state.region(scope);
            region
                .apps
                .get(app_id)
                .map(|app| app_response(region, scope, app))
                .ok_or_else(|| not_found("Resource not found"))
        }
        "DeleteApp" => {
            let region = state.region(scope);
            match region.apps.remove(app_id) {
                Some(app) => {
                    let response = app_response(region, scope, &app);
                    region.tags.retain(|arn, _| !arn.contains(&format!(":apps/{app_id}")));
                    Ok(response)
                }
                None => Err(not_found("Resource not found")),
            }
        }
        "GetApplicationSettings" => app_mut(state.region(scope), app_id).map(|app| app.settings.clone()),
        "UpdateApplicationSettings" => {
            let request = payload(input, "WriteApplicationSettingsRequest");
            app_mut(state.region(scope), app_id).map(|app| {
                for (key, value) in request {
                    if !WRITE_ONLY_SETTINGS.contains(&key.as_str()) {
                        app.settings[key.as_str()] = value;
                    }
                }
                app.settings["LastModifiedDate"] = json!(scope.now);
                app.settings.clone()
            })
        }
        "GetEventStream" => app_mut(state.region(scope), app_id)
            .and_then(|app| app.event_stream.clone().ok_or_else(|| not_found("Resource not found"))),
        "PutEventStream" => {
            let request = payload(input, "WriteEventStream");
            app_mut(state.region(scope), app_id).map(|app| {
                let stream = json!({
                    "ApplicationId": app_id,
                    "DestinationStreamArn": request.get("DestinationStreamArn"),
                    "RoleArn": request.get("RoleArn"),
                    "LastModifiedDate": scope.now,
                    "LastUpdatedBy": format!("arn:aws:iam::{}:root", scope.account_id),
                });
                app.event_stream = Some(stream.clone());
                stream
            })
        }
        "DeleteEventStream" => app_mut(state.region(scope), app_id)
            .and_then(|app| app.event_stream.take().ok_or_else(|| not_found("Resource not found"))),
        "TagResource" => {
            let arn = text(input, "ResourceArn").to_owned();
            let tags = payload(input, "TagsModel").get("tags").and_then(Value::as_object).cloned().unwrap_or_default();
            let region = state.region(scope);
            exists(region, scope, &arn).map(|()| {
                region.tags.entry(arn).or_default().extend(tags);
                json!({})
            })
        }
        "UntagResource" => {
            let arn = text(input, "ResourceArn").to_owned();
            let keys: Vec<String> = input["TagKeys"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|k| k.as_str().map(str::to_owned))
                .collect();
            let region = state.region(scope);
            exists(region, scope, &arn).map(|()| {
                if let Some(tags) = region.tags.get_mut(&arn) {
                    tags.retain(|key, _| !keys.contains(key));
                }
                json!({})
            })
        }
        "ListTagsForResource" => {
            let arn = text(input, "ResourceArn");
            let region = state.region(scope);
            exists(region, scope, arn).map(|()| json!({ "tags": region.tags.get(arn).cloned().unwrap_or_default() }))
        }
        _ => return None,
    })
}

pub fn create_app(
    state: &mut PinpointState,
    scope: &Scope,
    request: &Map<String, Value>,
) -> Result<Value, ServiceError> {
    let name = request.get("Name").and_then(Value::as_str).unwrap_or_default();
    if name.is_empty() {
        return Err(bad_request("Missing required field Name"));
    }
    let id = state.mint_id(scope);
    let arn = scope.arn(&format!("apps/{id}"));
    let app = App {
        app: json!({ "Id": id, "Arn": arn, "Name": name, "CreationDate": scope.now }),
        settings: json!({
            "ApplicationId": id,
            "LastModifiedDate": scope.now,
            "CampaignHook": {},
            "Limits": {},
            "QuietTime": {},
        }),
        channels: BTreeMap::new(),
        segments: BTreeMap::new(),
        campaigns: BTreeMap::new(),
        campaign_activities: BTreeMap::new(),
        journeys: BTreeMap::new(),
        event_stream: None,
        traffic: Default::default(),
        endpoints: super::endpoints::Endpoints { project: name.to_owned(), ..Default::default() },
        import_jobs: Vec::new(),
        export_jobs: Vec::new(),
    };
    let region = state.region(scope);
    store_tags(region, &arn, request);
    let response = app_response(region, scope, &app);
    region.apps.insert(id, app);
    Ok(response)
}

fn app_response(region: &RegionState, scope: &Scope, app: &App) -> Value {
    let arn = scope.arn(&format!("apps/{}", app.app["Id"].as_str().unwrap_or_default()));
    with_tags(region, &arn, app.app.clone())
}

/// Tag calls name a resource by ARN; AWS answers NotFound for one that does not exist.
fn exists(region: &RegionState, scope: &Scope, arn: &str) -> Result<(), ServiceError> {
    let prefix = scope.arn("");
    let rest = arn.strip_prefix(&prefix).ok_or_else(|| bad_request(format!("{arn} is not a valid ARN here")))?;
    let parts: Vec<&str> = rest.split('/').collect();
    let found = match parts.as_slice() {
        ["apps", app] => region.apps.contains_key(*app),
        ["apps", app, "segments", id] => region.apps.get(*app).is_some_and(|a| a.segments.contains_key(*id)),
        ["apps", app, "campaigns", id] => region.apps.get(*app).is_some_and(|a| a.campaigns.contains_key(*id)),
        ["apps", app, "journeys", id] => region.apps.get(*app).is_some_and(|a| a.journeys.contains_key(*id)),
        ["templates", name, kind] => region.templates.contains_key(&((*name).to_owned(), (*kind).to_owned())),
        ["recommenders", id] => region.recommenders.contains_key(*id),
        _ => false,
    };
    if found { Ok(()) } else { Err(not_found("Resource not found")) }
}
