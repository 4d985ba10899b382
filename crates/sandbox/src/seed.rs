//! From an estate file to sandbox state: every Pinpoint resource an estate declares is checked against
//! the model's request shape when the file loads, then created through the same handlers that serve the
//! API, so seeded resources look exactly like API-created ones.
//!
//! String values `{{segment:NAME}}` and `{{recommender:NAME}}` are replaced by the id of the segment (in
//! the same project) or recommender (in the same account and Region) of that name.

use axum::http::StatusCode;
use serde_json::{Map, Value, json};

use crate::estate::{Estate, EstateError, Project, RegionEstate};
use crate::model::Call;
use crate::services::pinpoint::{self, PinpointState, Scope, channels, templates};
use crate::services::sesv2::{self, SesState};
use crate::services::smsv2::{self, SmsState};
use crate::state::World;

/// Checks every Pinpoint request in the estate against the model; errors name the file and the path.
pub fn check(estate: &Estate, file: &str) -> Result<(), EstateError> {
    let model = pinpoint::model();
    let mut problems = Vec::new();
    for (a, account) in estate.accounts.iter().enumerate() {
        for (r, region) in account.regions.iter().enumerate() {
            let base = format!("accounts[{a}].regions[{r}]");
            let ses = sesv2::model();
            for (i, identity) in region.email_identities.iter().enumerate() {
                let path = format!("{base}.email_identities[{i}]");
                problems.extend(ses.check_shape(
                    &without(identity, &["verified"]),
                    "CreateEmailIdentityRequest",
                    &path,
                ));
            }
            for (i, set) in region.configuration_sets.iter().enumerate() {
                let path = format!("{base}.configuration_sets[{i}]");
                problems.extend(ses.check_shape(
                    &without(set, &["EventDestinations"]),
                    "CreateConfigurationSetRequest",
                    &path,
                ));
                for (d, destination) in set["EventDestinations"].as_array().into_iter().flatten().enumerate() {
                    let at = format!("{path}.EventDestinations[{d}]");
                    if destination["EventDestinationName"].as_str().is_none() {
                        problems.push(format!("{at}.EventDestinationName: required"));
                    }
                    problems.extend(ses.check_shape(
                        &destination["EventDestination"],
                        "EventDestinationDefinition",
                        &format!("{at}.EventDestination"),
                    ));
                }
            }
            check_sms(&region.sms, &base, &mut problems);
            for (i, recommender) in region.recommenders.iter().enumerate() {
                problems.extend(model.check_shape(
                    recommender,
                    "CreateRecommenderConfiguration",
                    &format!("{base}.recommenders[{i}]"),
                ));
            }
            for (i, template) in region.templates.iter().enumerate() {
                let path = format!("{base}.templates[{i}]");
                match templates::kind(&template.kind) {
                    None => problems
                        .push(format!("{path}.type: {:?} is not EMAIL, SMS, PUSH, VOICE or INAPP", template.kind)),
                    Some((_, shape)) => {
                        if template.versions.is_empty() {
                            problems.push(format!("{path}.versions: a template needs at least one version"));
                        }
                        for (v, version) in template.versions.iter().enumerate() {
                            problems.extend(model.check_shape(version, shape, &format!("{path}.versions[{v}]")));
                        }
                    }
                }
            }
            for (p, project) in region.projects.iter().enumerate() {
                let path = format!("{base}.projects[{p}]");
                if let Some(settings) = &project.settings {
                    problems.extend(model.check_shape(
                        settings,
                        "WriteApplicationSettingsRequest",
                        &format!("{path}.settings"),
                    ));
                }
                for (platform, request) in &project.channels {
                    match channels::update_operation(platform) {
                        Some((_, shape)) => {
                            problems.extend(model.check_shape(request, shape, &format!("{path}.channels.{platform}")))
                        }
                        None => problems.push(format!(
                            "{path}.channels.{platform}: not a channel; use one of {}",
                            channels::platforms().collect::<Vec<_>>().join(", ")
                        )),
                    }
                }
                for (list, shape, items) in [
                    ("segments", "WriteSegmentRequest", &project.segments),
                    ("campaigns", "WriteCampaignRequest", &project.campaigns),
                    ("journeys", "WriteJourneyRequest", &project.journeys),
                ] {
                    for (i, item) in items.iter().enumerate() {
                        if let Some(import) = item.get("ImportDefinition") {
                            problems.extend(model.check_shape(
                                import,
                                "SegmentImportResource",
                                &format!("{path}.{list}[{i}].ImportDefinition"),
                            ));
                        }
                        for (v, version) in versions(&without(item, &["ImportDefinition"])).iter().enumerate() {
                            let at = if item.get("Versions").is_some() {
                                format!("{path}.{list}[{i}].Versions[{v}]")
                            } else {
                                format!("{path}.{list}[{i}]")
                            };
                            problems.extend(model.check_shape(version, shape, &at));
                        }
                    }
                }
                if let Some(stream) = &project.event_stream {
                    problems.extend(model.check_shape(stream, "WriteEventStream", &format!("{path}.event_stream")));
                }
                for (list, shape, jobs) in [
                    ("import_jobs", "ImportJobRequest", &project.import_jobs),
                    ("export_jobs", "ExportJobRequest", &project.export_jobs),
                ] {
                    for (i, job) in jobs.iter().enumerate() {
                        problems.extend(model.check_shape(job, shape, &format!("{path}.{list}[{i}]")));
                    }
                }
            }
        }
    }
    crate::target::check(estate, &mut problems);
    match problems.into_iter().next() {
        None => Ok(()),
        Some(problem) => {
            let (path, message) = problem.split_once(": ").unwrap_or((&problem, ""));
            Err(EstateError::Invalid { file: file.to_owned(), path: path.to_owned(), message: message.to_owned() })
        }
    }
}

/// Keeps of each entry of a lenient estate only what its request shape holds (and its estate-only keys).
pub fn keep_request_members(estate: &mut Estate) {
    fn keep(model: &crate::model::ServiceModel, item: &mut Value, shape: &str, estate_only: &[&str]) {
        let mut kept = model.keep_members(item, shape);
        for key in estate_only {
            if let Some(value) = item.get(*key) {
                kept[*key] = value.clone();
            }
        }
        *item = kept;
    }
    let (pinpoint, ses, sms) = (pinpoint::model(), sesv2::model(), smsv2::model());
    for account in &mut estate.accounts {
        for region in &mut account.regions {
            for item in &mut region.recommenders {
                keep(pinpoint, item, "CreateRecommenderConfiguration", &[]);
            }
            for template in &mut region.templates {
                if let Some((_, shape)) = templates::kind(&template.kind) {
                    for version in &mut template.versions {
                        keep(pinpoint, version, shape, &[]);
                    }
                }
            }
            for identity in &mut region.email_identities {
                keep(ses, identity, "CreateEmailIdentityRequest", &["verified"]);
            }
            for set in &mut region.configuration_sets {
                keep(ses, set, "CreateConfigurationSetRequest", &["EventDestinations"]);
                for destination in set["EventDestinations"].as_array_mut().into_iter().flatten() {
                    if let Some(definition) = destination.get_mut("EventDestination") {
                        keep(ses, definition, "EventDestinationDefinition", &[]);
                    }
                }
            }
            for (items, shape, estate_only) in [
                (
                    &mut region.sms.opt_out_lists,
                    "CreateOptOutListRequest",
                    &["OptedOutNumbers", "GeneratedOptOuts"][..],
                ),
                (&mut region.sms.sender_ids, "RequestSenderIdRequest", &[][..]),
                (&mut region.sms.phone_numbers, "RequestPhoneNumberRequest", &["Label", "Status", "PhoneNumber"][..]),
                (&mut region.sms.pools, "CreatePoolRequest", &["Members"][..]),
                (&mut region.sms.configuration_sets, "CreateConfigurationSetRequest", &["EventDestinations"][..]),
            ] {
                for item in items.iter_mut() {
                    keep(sms, item, shape, estate_only);
                }
            }
            for set in &mut region.sms.configuration_sets {
                for destination in set["EventDestinations"].as_array_mut().into_iter().flatten() {
                    keep(sms, destination, "CreateEventDestinationRequest", &[]);
                    if let Some(object) = destination.as_object_mut() {
                        object.remove("ConfigurationSetName");
                    }
                }
            }
            for project in &mut region.projects {
                if let Some(settings) = &mut project.settings {
                    keep(pinpoint, settings, "WriteApplicationSettingsRequest", &[]);
                }
                for (platform, request) in project.channels.iter_mut() {
                    if let Some((_, shape)) = channels::update_operation(platform) {
                        keep(pinpoint, request, shape, &[]);
                    }
                }
                for (items, shape) in [
                    (&mut project.segments, "WriteSegmentRequest"),
                    (&mut project.campaigns, "WriteCampaignRequest"),
                    (&mut project.journeys, "WriteJourneyRequest"),
                ] {
                    for item in items.iter_mut() {
                        match item.get_mut("Versions").and_then(Value::as_array_mut) {
                            Some(versions) => versions.iter_mut().for_each(|v| keep(pinpoint, v, shape, &[])),
                            None => keep(pinpoint, item, shape, &["ImportDefinition"]),
                        }
                    }
                }
                if let Some(stream) = &mut project.event_stream {
                    keep(pinpoint, stream, "WriteEventStream", &[]);
                }
            }
        }
    }
}

/// `value` without the estate-only keys `keys`.
fn without(value: &Value, keys: &[&str]) -> Value {
    let mut value = value.clone();
    if let Some(object) = value.as_object_mut() {
        for key in keys {
            object.remove(*key);
        }
    }
    value
}

/// A resource's versions: `{"Versions": [...]}` or the request itself.
fn versions(item: &Value) -> Vec<Value> {
    match item.get("Versions").and_then(Value::as_array) {
        Some(list) => list.clone(),
        None => vec![item.clone()],
    }
}

/// Creates everything the estate declares.
pub fn seed(world: &mut World, now: &str) -> Result<(), EstateError> {
    let World { estate, pinpoint, ses, sms, s3, .. } = world;
    for (a, account) in estate.accounts.iter().enumerate() {
        for (r, region) in account.regions.iter().enumerate() {
            let scope =
                Scope { account_id: account.account_id.clone(), region: region.region.clone(), now: now.to_owned() };
            let base = format!("accounts[{a}].regions[{r}]");
            for bucket in &region.buckets {
                s3.buckets.insert(
                    bucket.clone(),
                    crate::services::s3::Bucket {
                        owner: account.account_id.clone(),
                        region: region.region.clone(),
                        objects: Default::default(),
                    },
                );
            }
            seed_ses(ses, s3, &scope, region, &base)
                .and_then(|()| seed_sms(sms, &scope, region, &base))
                .and_then(|phones| seed_region(pinpoint, &scope, region, phones, &base))
                .map_err(|(path, message)| EstateError::Invalid {
                    file: format!("estate {}", estate.name),
                    path,
                    message,
                })?;
        }
    }
    let name = world.estate.name.clone();
    crate::target::seed(world, jiff::Timestamp::now()).map_err(|(path, message)| EstateError::Invalid {
        file: format!("estate {name}"),
        path,
        message,
    })
}

fn seed_ses(
    ses: &mut SesState,
    s3: &crate::services::s3::S3State,
    scope: &Scope,
    region: &RegionEstate,
    base: &str,
) -> Result<(), SeedError> {
    let run = |ses: &mut SesState, operation: &str, input: Value, path: &str| -> Result<Value, SeedError> {
        let call = Call { operation: operation.to_owned(), input, status: StatusCode::OK };
        ses.handle(&scope.account_id, &scope.region, jiff::Timestamp::now().as_millisecond() as f64 / 1000.0, &call, s3)
            .map_err(|e| (path.to_owned(), format!("{}: {}", e.code, e.message)))
    };
    for (i, set) in region.configuration_sets.iter().enumerate() {
        let path = format!("{base}.configuration_sets[{i}]");
        run(ses, "CreateConfigurationSet", without(set, &["EventDestinations"]), &path)?;
        for destination in set["EventDestinations"].as_array().into_iter().flatten() {
            let mut input = destination.clone();
            input["ConfigurationSetName"] = set["ConfigurationSetName"].clone();
            run(ses, "CreateConfigurationSetEventDestination", input, &path)?;
        }
    }
    for (i, identity) in region.email_identities.iter().enumerate() {
        let path = format!("{base}.email_identities[{i}]");
        run(ses, "CreateEmailIdentity", without(identity, &["verified"]), &path)?;
        if identity["verified"].as_bool().unwrap_or(false) {
            let name = identity["EmailIdentity"].as_str().unwrap_or_default();
            ses.verify(&scope.account_id, &scope.region, name);
        }
    }
    Ok(())
}

type SeedError = (String, String);

fn call(
    state: &mut PinpointState,
    scope: &Scope,
    operation: &str,
    input: Value,
    path: &str,
) -> Result<Value, SeedError> {
    let call = Call { operation: operation.to_owned(), input, status: StatusCode::OK };
    state.handle(scope, &call).map_err(|e| (path.to_owned(), format!("{}: {}", e.code, e.message)))
}

/// `names` maps `phone:LABEL` to the number seeded under that label; recommenders join it as
/// `recommender:NAME`, so `{{phone:…}}` and `{{recommender:…}}` in requests resolve from one map.
fn seed_region(
    state: &mut PinpointState,
    scope: &Scope,
    region: &RegionEstate,
    mut names: Map<String, Value>,
    base: &str,
) -> Result<(), SeedError> {
    for (i, request) in region.recommenders.iter().enumerate() {
        let created = call(
            state,
            scope,
            "CreateRecommenderConfiguration",
            json!({ "CreateRecommenderConfiguration": request }),
            &format!("{base}.recommenders[{i}]"),
        )?;
        if let Some(name) = request["Name"].as_str() {
            names.insert(format!("recommender:{name}"), created["Id"].clone());
        }
    }
    for (i, template) in region.templates.iter().enumerate() {
        let path = format!("{base}.templates[{i}]");
        let Some((infix, member)) = templates::kind(&template.kind) else { continue };
        for (v, version) in template.versions.iter().enumerate() {
            let mut request = resolve(version, &Map::new(), &names, &format!("{path}.versions[{v}]"))?;
            if v == 0 && !template.tags.is_empty() {
                request["tags"] = Value::Object(template.tags.clone());
            }
            let (operation, mut input) = if v == 0 {
                (format!("Create{infix}Template"), json!({}))
            } else {
                (format!("Update{infix}Template"), json!({ "CreateNewVersion": "true" }))
            };
            input["TemplateName"] = json!(template.name);
            input[member] = request;
            call(state, scope, &operation, input, &path)?;
        }
        if let Some(version) = &template.active_version {
            let input = json!({
                "TemplateName": template.name,
                "TemplateType": template.kind.to_lowercase(),
                "TemplateActiveVersionRequest": { "Version": version },
            });
            call(state, scope, "UpdateTemplateActiveVersion", input, &format!("{path}.active_version"))?;
        }
    }
    for (p, project) in region.projects.iter().enumerate() {
        seed_project(state, scope, project, &names, &format!("{base}.projects[{p}]"))?;
    }
    Ok(())
}

fn seed_project(
    state: &mut PinpointState,
    scope: &Scope,
    project: &Project,
    recommenders: &Map<String, Value>,
    path: &str,
) -> Result<(), SeedError> {
    let mut request = json!({ "Name": project.name });
    if !project.tags.is_empty() {
        request["tags"] = Value::Object(project.tags.clone());
    }
    let app = call(state, scope, "CreateApp", json!({ "CreateApplicationRequest": request }), path)?;
    let app_id = app["Id"].as_str().unwrap_or_default().to_owned();
    if let Some(settings) = &project.settings {
        call(
            state,
            scope,
            "UpdateApplicationSettings",
            json!({ "ApplicationId": app_id, "WriteApplicationSettingsRequest": settings }),
            &format!("{path}.settings"),
        )?;
    }
    for (platform, request) in &project.channels {
        let Some((operation, member)) = channels::update_operation(platform) else { continue };
        let mut input = json!({ "ApplicationId": app_id });
        input[member] = request.clone();
        call(state, scope, &operation, input, &format!("{path}.channels.{platform}"))?;
    }
    let mut segments = Map::new();
    for (i, item) in project.segments.iter().enumerate() {
        let id = seed_versions(
            state,
            scope,
            &app_id,
            item,
            ("Segment", "WriteSegmentRequest", "SegmentId"),
            &segments,
            recommenders,
            &format!("{path}.segments[{i}]"),
        )?;
        if let Some(name) = versions(item).last().and_then(|v| v["Name"].as_str()) {
            segments.insert(name.to_owned(), json!(id));
        }
    }
    for (i, item) in project.campaigns.iter().enumerate() {
        seed_versions(
            state,
            scope,
            &app_id,
            item,
            ("Campaign", "WriteCampaignRequest", "CampaignId"),
            &segments,
            recommenders,
            &format!("{path}.campaigns[{i}]"),
        )?;
    }
    for (i, journey) in project.journeys.iter().enumerate() {
        let at = format!("{path}.journeys[{i}]");
        let request = resolve(journey, &segments, recommenders, &at)?;
        call(state, scope, "CreateJourney", json!({ "ApplicationId": app_id, "WriteJourneyRequest": request }), &at)?;
    }
    if let Some(stream) = &project.event_stream {
        call(
            state,
            scope,
            "PutEventStream",
            json!({ "ApplicationId": app_id, "WriteEventStream": stream }),
            &format!("{path}.event_stream"),
        )?;
    }
    // Traffic and job history have no API to create them: they are set directly.
    let mut jobs = Vec::new();
    for (kind, requests) in [("Import", &project.import_jobs), ("Export", &project.export_jobs)] {
        for request in requests {
            let definition = resolve(request, &segments, recommenders, path)?;
            let processed = (project.traffic.as_ref().map_or(0.0, |t| t.daily_sends) * 10.0) as u64;
            jobs.push((
                kind,
                pinpoint::finished_job(state.mint_id(scope), &app_id, kind, definition, processed, scope),
            ));
        }
    }
    let region = state.region(scope);
    let app =
        region.apps.get_mut(&app_id).ok_or_else(|| (path.to_owned(), "the app vanished while seeding".to_owned()))?;
    app.traffic = project.traffic.clone().unwrap_or_default();
    if let Some(population) = &project.endpoints {
        app.endpoints.population = population.clone();
    }
    for (kind, job) in jobs {
        if kind == "Import" {
            app.import_jobs.push(job);
        } else {
            app.export_jobs.push(job);
        }
    }
    Ok(())
}

/// Creates a versioned resource (segment or campaign): the first version, then one update per further version.
#[allow(clippy::too_many_arguments)]
fn seed_versions(
    state: &mut PinpointState,
    scope: &Scope,
    app_id: &str,
    item: &Value,
    (noun, member, id_member): (&str, &str, &str),
    segments: &Map<String, Value>,
    recommenders: &Map<String, Value>,
    path: &str,
) -> Result<String, SeedError> {
    let mut id = String::new();
    for (v, version) in versions(item).iter().enumerate() {
        let request = resolve(version, segments, recommenders, path)?;
        let mut input = json!({ "ApplicationId": app_id });
        input[member] = request;
        let operation = if v == 0 {
            format!("Create{noun}")
        } else {
            input[id_member] = json!(id);
            format!("Update{noun}")
        };
        let created = call(state, scope, &operation, input, path)?;
        id = created["Id"].as_str().unwrap_or_default().to_owned();
    }
    Ok(id)
}

/// Replaces `{{segment:NAME}}` and `{{recommender:NAME}}` strings anywhere in `value`.
fn resolve(
    value: &Value,
    segments: &Map<String, Value>,
    recommenders: &Map<String, Value>,
    path: &str,
) -> Result<Value, SeedError> {
    Ok(match value {
        Value::String(text) => {
            let reference = |prefix: &str| text.strip_prefix(prefix).and_then(|rest| rest.strip_suffix("}}"));
            if let Some(name) = reference("{{segment:") {
                segments
                    .get(name)
                    .cloned()
                    .ok_or_else(|| (path.to_owned(), format!("no segment named {name:?} in this project")))?
            } else if let Some(name) = reference("{{recommender:").or_else(|| reference("{{phone:")) {
                let key = text.trim_start_matches("{{").trim_end_matches("}}");
                recommenders.get(key).cloned().ok_or_else(|| {
                    let kind = if key.starts_with("phone:") { "phone number labelled" } else { "recommender named" };
                    (path.to_owned(), format!("no {kind} {name:?} here"))
                })?
            } else {
                value.clone()
            }
        }
        Value::Array(items) => {
            Value::Array(items.iter().map(|v| resolve(v, segments, recommenders, path)).collect::<Result<_, _>>()?)
        }
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| Ok((k.clone(), resolve(v, segments, recommenders, path)?)))
                .collect::<Result<_, SeedError>>()?,
        ),
        other => other.clone(),
    })
}

fn check_sms(sms: &crate::estate::SmsEstate, base: &str, problems: &mut Vec<String>) {
    let model = smsv2::model();
    let lists: [(&str, &str, &[&str], &Vec<Value>); 5] = [
        ("opt_out_lists", "CreateOptOutListRequest", &["OptedOutNumbers", "GeneratedOptOuts"], &sms.opt_out_lists),
        ("sender_ids", "RequestSenderIdRequest", &[], &sms.sender_ids),
        ("phone_numbers", "RequestPhoneNumberRequest", &["Label", "Status", "PhoneNumber"], &sms.phone_numbers),
        ("pools", "CreatePoolRequest", &["Members"], &sms.pools),
        ("configuration_sets", "CreateConfigurationSetRequest", &["EventDestinations"], &sms.configuration_sets),
    ];
    for (list, shape, extra, items) in lists {
        for (i, item) in items.iter().enumerate() {
            let path = format!("{base}.sms.{list}[{i}]");
            problems.extend(model.check_shape(&without(item, extra), shape, &path));
            for (d, destination) in item["EventDestinations"].as_array().into_iter().flatten().enumerate() {
                let mut destination = destination.clone();
                destination["ConfigurationSetName"] = item["ConfigurationSetName"].clone();
                problems.extend(model.check_shape(
                    &destination,
                    "CreateEventDestinationRequest",
                    &format!("{path}.EventDestinations[{d}]"),
                ));
            }
        }
    }
    for (i, registration) in sms.registrations.iter().enumerate() {
        if registration["RegistrationType"].as_str().is_none() {
            problems.push(format!("{base}.sms.registrations[{i}].RegistrationType: required"));
        }
    }
}

/// Seeds the Region's SMS and voice v2 resources; returns `phone:LABEL` → the labelled number (E.164).
fn seed_sms(
    sms: &mut SmsState,
    scope: &Scope,
    region: &RegionEstate,
    base: &str,
) -> Result<Map<String, Value>, SeedError> {
    let now = jiff::Timestamp::now().as_millisecond() as f64 / 1000.0;
    let place = smsv2::Place { account_id: &scope.account_id, region: &scope.region, now };
    let run = |sms: &mut SmsState, operation: &str, input: Value, path: &str| -> Result<Value, SeedError> {
        let call = Call { operation: operation.to_owned(), input, status: StatusCode::OK };
        sms.handle(&place, &call).map_err(|e| (path.to_owned(), format!("{}: {}", e.code, e.message)))
    };
    let estate = &region.sms;
    for (i, list) in estate.opt_out_lists.iter().enumerate() {
        let path = format!("{base}.sms.opt_out_lists[{i}]");
        let name = list["OptOutListName"].as_str().unwrap_or_default().to_owned();
        if name != "Default" {
            run(sms, "CreateOptOutList", without(list, &["OptedOutNumbers", "GeneratedOptOuts"]), &path)?;
        }
        let mut numbers: Vec<String> = list["OptedOutNumbers"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|n| n.as_str().map(str::to_owned))
            .collect();
        let generated = list["GeneratedOptOuts"].as_u64().unwrap_or(0);
        // Generated numbers are fictitious: +1 555 01xx-style ranges reserved for fiction, made unique by
        // list and index.
        let salt = name.bytes().fold(0u64, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(b))) % 90 + 10;
        numbers.extend((0..generated).map(|n| format!("+1{salt}5550{:05}", n % 100_000)));
        for number in numbers {
            run(sms, "PutOptedOutNumber", json!({ "OptOutListName": name, "OptedOutNumber": number }), &path)?;
        }
    }
    for (i, sender) in estate.sender_ids.iter().enumerate() {
        run(sms, "RequestSenderId", sender.clone(), &format!("{base}.sms.sender_ids[{i}]"))?;
    }
    let mut phones = Map::new();
    let mut numbers = Map::new();
    for (i, phone) in estate.phone_numbers.iter().enumerate() {
        let path = format!("{base}.sms.phone_numbers[{i}]");
        let created = run(sms, "RequestPhoneNumber", without(phone, &["Label", "Status", "PhoneNumber"]), &path)?;
        let id = created["PhoneNumberId"].as_str().unwrap_or_default().to_owned();
        if phone["Status"] == "ACTIVE" {
            sms.activate(&scope.account_id, &scope.region, &id);
        }
        // A rehearsal keeps the customer's own numbers.
        let mut e164 = created["PhoneNumber"].clone();
        if let Some(number) = phone["PhoneNumber"].as_str()
            && let Some(record) = sms.region(&scope.account_id, &scope.region).phone_numbers.get_mut(&id)
        {
            record["PhoneNumber"] = json!(number);
            e164 = json!(number);
        }
        if let Some(label) = phone["Label"].as_str() {
            phones.insert(label.to_owned(), json!(id));
            numbers.insert(format!("phone:{label}"), e164);
        }
    }
    let phone_ref = |value: &Value, path: &str| -> Result<Value, SeedError> {
        match value.as_str().and_then(|s| s.strip_prefix("{{phone:")).and_then(|s| s.strip_suffix("}}")) {
            Some(label) => phones
                .get(label)
                .cloned()
                .ok_or_else(|| (path.to_owned(), format!("no phone number labelled {label:?}"))),
            None => Ok(value.clone()),
        }
    };
    for (i, pool) in estate.pools.iter().enumerate() {
        let path = format!("{base}.sms.pools[{i}]");
        let mut request = without(pool, &["Members"]);
        request["OriginationIdentity"] = phone_ref(&pool["OriginationIdentity"], &path)?;
        let created = run(sms, "CreatePool", request, &path)?;
        for member in pool["Members"].as_array().into_iter().flatten() {
            let identity = phone_ref(member, &path)?;
            run(
                sms,
                "AssociateOriginationIdentity",
                json!({ "PoolId": created["PoolId"], "OriginationIdentity": identity }),
                &path,
            )?;
        }
    }
    for (i, set) in estate.configuration_sets.iter().enumerate() {
        let path = format!("{base}.sms.configuration_sets[{i}]");
        run(sms, "CreateConfigurationSet", without(set, &["EventDestinations"]), &path)?;
        for destination in set["EventDestinations"].as_array().into_iter().flatten() {
            let mut input = destination.clone();
            input["ConfigurationSetName"] = set["ConfigurationSetName"].clone();
            run(sms, "CreateEventDestination", input, &path)?;
        }
    }
    for registration in &estate.registrations {
        sms.add_registration(&place, registration);
    }
    Ok(numbers)
}
