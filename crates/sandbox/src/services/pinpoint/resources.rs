//! Segments, campaigns and journeys of an app. Segments and campaigns keep every version.

use serde_json::{Map, Value, json};

use super::{PinpointState, Scope, app_mut, page, payload, store_tags, text, with_tags};
use crate::model::{bad_request, not_found};
use crate::wire::ServiceError;

pub fn handle(
    state: &mut PinpointState,
    scope: &Scope,
    op: &str,
    input: &Value,
) -> Option<Result<Value, ServiceError>> {
    let app_id = text(input, "ApplicationId").to_owned();
    Some(match op {
        "CreateSegment" => create_segment(state, scope, &app_id, payload(input, "WriteSegmentRequest")),
        "UpdateSegment" => update_versioned(
            state,
            scope,
            &app_id,
            Kind::Segment,
            text(input, "SegmentId"),
            payload(input, "WriteSegmentRequest"),
        ),
        "GetSegments" => list_latest(state, scope, &app_id, Kind::Segment, input),
        "GetSegment" => latest(state, scope, &app_id, Kind::Segment, text(input, "SegmentId")),
        "GetSegmentVersions" => versions(state, scope, &app_id, Kind::Segment, text(input, "SegmentId"), input),
        "GetSegmentVersion" => {
            version(state, scope, &app_id, Kind::Segment, text(input, "SegmentId"), text(input, "Version"))
        }
        "DeleteSegment" => delete_versioned(state, scope, &app_id, Kind::Segment, text(input, "SegmentId")),

        "CreateCampaign" => create_campaign(state, scope, &app_id, payload(input, "WriteCampaignRequest")),
        "UpdateCampaign" => payload_campaign(state, scope, &app_id, input).and_then(|request| {
            update_versioned(state, scope, &app_id, Kind::Campaign, text(input, "CampaignId"), request)
        }),
        "GetCampaigns" => list_latest(state, scope, &app_id, Kind::Campaign, input),
        "GetCampaign" => latest(state, scope, &app_id, Kind::Campaign, text(input, "CampaignId")),
        "GetCampaignVersions" => versions(state, scope, &app_id, Kind::Campaign, text(input, "CampaignId"), input),
        "GetCampaignVersion" => {
            version(state, scope, &app_id, Kind::Campaign, text(input, "CampaignId"), text(input, "Version"))
        }
        "DeleteCampaign" => delete_versioned(state, scope, &app_id, Kind::Campaign, text(input, "CampaignId")),
        "GetCampaignActivities" => {
            let campaign_id = text(input, "CampaignId");
            app_mut(state.region(scope), &app_id).and_then(|app| {
                if !app.campaigns.contains_key(campaign_id) {
                    return Err(not_found("Resource not found"));
                }
                page(app.campaign_activities.get(campaign_id).cloned().unwrap_or_default(), input, "PageSize", "Token")
            })
        }

        "CreateJourney" => create_journey(state, scope, &app_id, payload(input, "WriteJourneyRequest")),
        "UpdateJourney" => {
            let request = payload(input, "WriteJourneyRequest");
            let journey_id = text(input, "JourneyId");
            app_mut(state.region(scope), &app_id).and_then(|app| {
                let journey = app.journeys.get_mut(journey_id).ok_or_else(|| not_found("Resource not found"))?;
                for (key, value) in request {
                    if key != "tags" {
                        journey[key.as_str()] = value;
                    }
                }
                journey["LastModifiedDate"] = json!(scope.now);
                Ok(journey.clone())
            })
        }
        "UpdateJourneyState" => {
            let request = payload(input, "JourneyStateRequest");
            let journey_id = text(input, "JourneyId");
            app_mut(state.region(scope), &app_id).and_then(|app| {
                let journey = app.journeys.get_mut(journey_id).ok_or_else(|| not_found("Resource not found"))?;
                match request.get("State").and_then(Value::as_str) {
                    Some(s @ ("CANCELLED" | "PAUSED" | "ACTIVE")) => journey["State"] = json!(s),
                    _ => return Err(bad_request("State must be CANCELLED, PAUSED or ACTIVE")),
                }
                journey["LastModifiedDate"] = json!(scope.now);
                Ok(journey.clone())
            })
        }
        "ListJourneys" => {
            let region = state.region(scope);
            let items: Result<Vec<Value>, ServiceError> = region
                .apps
                .get(&app_id)
                .map(|app| {
                    app.journeys
                        .iter()
                        .map(|(id, j)| with_tags(region, &journey_arn(scope, &app_id, id), j.clone()))
                        .collect()
                })
                .ok_or_else(|| not_found("Resource not found"));
            items.and_then(|items| page(items, input, "PageSize", "Token"))
        }
        "GetJourney" => {
            let journey_id = text(input, "JourneyId");
            let region = state.region(scope);
            region
                .apps
                .get(&app_id)
                .and_then(|app| app.journeys.get(journey_id))
                .map(|j| with_tags(region, &journey_arn(scope, &app_id, journey_id), j.clone()))
                .ok_or_else(|| not_found("Resource not found"))
        }
        "DeleteJourney" => {
            let journey_id = text(input, "JourneyId");
            app_mut(state.region(scope), &app_id)
                .and_then(|app| app.journeys.remove(journey_id).ok_or_else(|| not_found("Resource not found")))
        }
        _ => return None,
    })
}

#[derive(Debug, Clone, Copy)]
enum Kind {
    Segment,
    Campaign,
}

impl Kind {
    fn path(self) -> &'static str {
        match self {
            Kind::Segment => "segments",
            Kind::Campaign => "campaigns",
        }
    }
}

fn arn(scope: &Scope, app_id: &str, kind: Kind, id: &str) -> String {
    scope.arn(&format!("apps/{app_id}/{}/{id}", kind.path()))
}

fn journey_arn(scope: &Scope, app_id: &str, id: &str) -> String {
    scope.arn(&format!("apps/{app_id}/journeys/{id}"))
}

fn store<'a>(
    state: &'a mut PinpointState,
    scope: &Scope,
    app_id: &str,
    kind: Kind,
) -> Result<&'a mut std::collections::BTreeMap<String, Vec<Value>>, ServiceError> {
    let app = app_mut(state.region(scope), app_id)?;
    Ok(match kind {
        Kind::Segment => &mut app.segments,
        Kind::Campaign => &mut app.campaigns,
    })
}

pub fn create_segment(
    state: &mut PinpointState,
    scope: &Scope,
    app_id: &str,
    request: Map<String, Value>,
) -> Result<Value, ServiceError> {
    app_mut(state.region(scope), app_id)?;
    let id = state.mint_id(scope);
    let mut segment = Value::Object(request.clone());
    segment.as_object_mut().map(|o| o.remove("tags"));
    // Imported segments arrive through import jobs; estates declare them with their ImportDefinition.
    let imported = segment.get("ImportDefinition").is_some();
    segment["SegmentType"] = json!(if imported { "IMPORT" } else { "DIMENSIONAL" });
    insert_new(state, scope, app_id, Kind::Segment, id, segment, &request)
}

fn create_campaign(
    state: &mut PinpointState,
    scope: &Scope,
    app_id: &str,
    request: Map<String, Value>,
) -> Result<Value, ServiceError> {
    let request = campaign_request(state, scope, app_id, request)?;
    let id = state.mint_id(scope);
    let mut campaign = Value::Object(request.clone());
    campaign.as_object_mut().map(|o| o.remove("tags"));
    let status = if campaign["IsPaused"].as_bool().unwrap_or(false) { "PAUSED" } else { "SCHEDULED" };
    campaign["State"] = json!({ "CampaignStatus": status });
    campaign["DefaultState"] = json!({ "CampaignStatus": status });
    if campaign.get("IsPaused").is_none() {
        campaign["IsPaused"] = json!(false);
    }
    insert_new(state, scope, app_id, Kind::Campaign, id, campaign, &request)
}

fn payload_campaign(
    state: &mut PinpointState,
    scope: &Scope,
    app_id: &str,
    input: &Value,
) -> Result<Map<String, Value>, ServiceError> {
    campaign_request(state, scope, app_id, payload(input, "WriteCampaignRequest"))
}

/// Checks the segment a campaign targets and fills what AWS fills: the segment's latest version and
/// ids for additional (A/B) treatments.
fn campaign_request(
    state: &mut PinpointState,
    scope: &Scope,
    app_id: &str,
    mut request: Map<String, Value>,
) -> Result<Map<String, Value>, ServiceError> {
    let segment_id = request.get("SegmentId").and_then(Value::as_str).unwrap_or_default().to_owned();
    let app = app_mut(state.region(scope), app_id)?;
    if !segment_id.is_empty() {
        let versions =
            app.segments.get(&segment_id).ok_or_else(|| not_found(format!("Segment {segment_id} not found")))?;
        if request.get("SegmentVersion").is_none() {
            request.insert("SegmentVersion".into(), json!(versions.len()));
        }
    }
    if let Some(treatments) = request.get("AdditionalTreatments").and_then(Value::as_array).cloned() {
        let mut with_ids = Vec::new();
        for (i, mut treatment) in treatments.into_iter().enumerate() {
            if treatment.get("SizePercent").is_none() {
                return Err(bad_request(format!("Missing required field AdditionalTreatments[{i}].SizePercent")));
            }
            treatment["Id"] = json!(i.to_string());
            treatment["State"] = json!({ "CampaignStatus": "SCHEDULED" });
            with_ids.push(treatment);
        }
        request.insert("AdditionalTreatments".into(), Value::Array(with_ids));
    }
    Ok(request)
}

fn create_journey(
    state: &mut PinpointState,
    scope: &Scope,
    app_id: &str,
    request: Map<String, Value>,
) -> Result<Value, ServiceError> {
    app_mut(state.region(scope), app_id)?;
    let id = state.mint_id(scope);
    let mut journey = Value::Object(request.clone());
    journey.as_object_mut().map(|o| o.remove("tags"));
    journey["Id"] = json!(id);
    journey["ApplicationId"] = json!(app_id);
    journey["CreationDate"] = json!(scope.now);
    journey["LastModifiedDate"] = json!(scope.now);
    if journey.get("State").is_none() {
        journey["State"] = json!("DRAFT");
    }
    let arn = journey_arn(scope, app_id, &id);
    let region = state.region(scope);
    store_tags(region, &arn, &request);
    let response = with_tags(region, &arn, journey.clone());
    app_mut(region, app_id)?.journeys.insert(id, journey);
    Ok(response)
}

fn insert_new(
    state: &mut PinpointState,
    scope: &Scope,
    app_id: &str,
    kind: Kind,
    id: String,
    mut resource: Value,
    request: &Map<String, Value>,
) -> Result<Value, ServiceError> {
    let arn = arn(scope, app_id, kind, &id);
    resource["Id"] = json!(id);
    resource["ApplicationId"] = json!(app_id);
    resource["Arn"] = json!(arn);
    resource["CreationDate"] = json!(scope.now);
    resource["LastModifiedDate"] = json!(scope.now);
    resource["Version"] = json!(1);
    store(state, scope, app_id, kind)?.insert(id, vec![resource.clone()]);
    let region = state.region(scope);
    store_tags(region, &arn, request);
    Ok(with_tags(region, &arn, resource))
}

fn update_versioned(
    state: &mut PinpointState,
    scope: &Scope,
    app_id: &str,
    kind: Kind,
    id: &str,
    request: Map<String, Value>,
) -> Result<Value, ServiceError> {
    let versions = store(state, scope, app_id, kind)?.get_mut(id).ok_or_else(|| not_found("Resource not found"))?;
    let previous = versions.last().cloned().unwrap_or_default();
    let mut next = previous.clone();
    for (key, value) in request {
        if key != "tags" {
            next[key.as_str()] = value;
        }
    }
    next["Version"] = json!(versions.len() + 1);
    next["LastModifiedDate"] = json!(scope.now);
    versions.push(next.clone());
    let arn = arn(scope, app_id, kind, id);
    Ok(with_tags(state.region(scope), &arn, next))
}

fn list_latest(
    state: &mut PinpointState,
    scope: &Scope,
    app_id: &str,
    kind: Kind,
    input: &Value,
) -> Result<Value, ServiceError> {
    let latest: Vec<(String, Value)> = store(state, scope, app_id, kind)?
        .iter()
        .filter_map(|(id, versions)| versions.last().map(|v| (id.clone(), v.clone())))
        .collect();
    let region = state.region(scope);
    let items = latest
        .into_iter()
        .map(|(id, v): (String, Value)| with_tags(region, &arn(scope, app_id, kind, &id), v))
        .collect();
    page(items, input, "PageSize", "Token")
}

fn latest(state: &mut PinpointState, scope: &Scope, app_id: &str, kind: Kind, id: &str) -> Result<Value, ServiceError> {
    let value = store(state, scope, app_id, kind)?
        .get(id)
        .and_then(|v| v.last().cloned())
        .ok_or_else(|| not_found("Resource not found"))?;
    Ok(with_tags(state.region(scope), &arn(scope, app_id, kind, id), value))
}

fn versions(
    state: &mut PinpointState,
    scope: &Scope,
    app_id: &str,
    kind: Kind,
    id: &str,
    input: &Value,
) -> Result<Value, ServiceError> {
    let versions =
        store(state, scope, app_id, kind)?.get(id).cloned().ok_or_else(|| not_found("Resource not found"))?;
    page(versions, input, "PageSize", "Token")
}

fn version(
    state: &mut PinpointState,
    scope: &Scope,
    app_id: &str,
    kind: Kind,
    id: &str,
    version: &str,
) -> Result<Value, ServiceError> {
    let versions: &Vec<Value> =
        store(state, scope, app_id, kind)?.get(id).ok_or_else(|| not_found("Resource not found"))?;
    let index = version.parse::<usize>().map_err(|_| bad_request("Version must be a number"))?;
    index.checked_sub(1).and_then(|i| versions.get(i)).cloned().ok_or_else(|| not_found("Resource not found"))
}

fn delete_versioned(
    state: &mut PinpointState,
    scope: &Scope,
    app_id: &str,
    kind: Kind,
    id: &str,
) -> Result<Value, ServiceError> {
    let versions = store(state, scope, app_id, kind)?.remove(id).ok_or_else(|| not_found("Resource not found"))?;
    let arn = arn(scope, app_id, kind, id);
    let region = state.region(scope);
    let response = with_tags(region, &arn, versions.last().cloned().unwrap_or_default());
    region.tags.remove(&arn);
    Ok(response)
}
