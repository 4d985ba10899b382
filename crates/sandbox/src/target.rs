//! The target side as a whole: what estate files declare of it (seeded through the same handlers that
//! serve the API), and the snapshot (`GET /_sandbox/target`) of everything the target services hold, per
//! account and Region, with tags — what a migration leaves behind, read from outside the API, for tests
//! and the desktop to diff before and after.

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde_json::{Map, Value, json};

use axum::http::StatusCode;

use crate::estate::Estate;
use crate::model::{Call, ServiceModel};
use crate::services::rest::{Ctx, RestService};
use crate::services::{connect, profiles, qconnect, sesv2};
use crate::state::World;

fn strip(value: &Value, keys: &[&str]) -> Value {
    let mut value = value.clone();
    if let Some(object) = value.as_object_mut() {
        for key in keys {
            object.remove(*key);
        }
    }
    value
}

/// An estate list of target-side requests: (estate key, requests, model, request shape, estate-only keys).
type Requests<'a> = (&'a str, &'a [Value], &'static ServiceModel, &'a str, &'a [&'a str]);

/// Checks the target-side requests of an estate against their models (paths name the field).
pub fn check(estate: &Estate, problems: &mut Vec<String>) {
    for (a, account) in estate.accounts.iter().enumerate() {
        for (r, region) in account.regions.iter().enumerate() {
            let base = format!("accounts[{a}].regions[{r}]");
            let lists: [Requests<'_>; 5] = [
                ("tenants", &region.tenants, sesv2::model(), "CreateTenantRequest", &["Resources"]),
                ("email_templates", &region.email_templates, sesv2::model(), "CreateEmailTemplateRequest", &[]),
                ("knowledge_bases", &region.knowledge_bases, qconnect::model(), "CreateKnowledgeBaseRequest", &[]),
                (
                    "connect_instances",
                    &region.connect_instances,
                    connect::model(),
                    "CreateInstanceRequest",
                    &["Flows", "KnowledgeBase"],
                ),
                (
                    "profile_domains",
                    &region.profile_domains,
                    profiles::model(),
                    "CreateDomainRequest",
                    &["ObjectTypes", "Instance"],
                ),
            ];
            for (list, items, model, shape, extra) in lists {
                for (i, item) in items.iter().enumerate() {
                    let path = format!("{base}.{list}[{i}]");
                    problems.extend(model.check_shape(&strip(item, extra), shape, &path));
                }
            }
            for (i, instance) in region.connect_instances.iter().enumerate() {
                for (f, flow) in instance["Flows"].as_array().into_iter().flatten().enumerate() {
                    let mut flow = flow.clone();
                    flow["InstanceId"] = json!("estate");
                    let path = format!("{base}.connect_instances[{i}].Flows[{f}]");
                    problems.extend(connect::model().check_shape(&flow, "CreateContactFlowRequest", &path));
                }
            }
            for (i, domain) in region.profile_domains.iter().enumerate() {
                for (t, object_type) in domain["ObjectTypes"].as_array().into_iter().flatten().enumerate() {
                    let mut object_type = object_type.clone();
                    object_type["DomainName"] = domain["DomainName"].clone();
                    let path = format!("{base}.profile_domains[{i}].ObjectTypes[{t}]");
                    problems.extend(profiles::model().check_shape(&object_type, "PutProfileObjectTypeRequest", &path));
                }
            }
        }
    }
}

/// Creates the target-side resources an estate declares (after the source side, which they may refer to).
pub fn seed(world: &mut World, now: Timestamp) -> Result<(), (String, String)> {
    let estate = world.estate.clone();
    for (a, account) in estate.accounts.iter().enumerate() {
        for (r, region) in account.regions.iter().enumerate() {
            let base = format!("accounts[{a}].regions[{r}]");
            let ctx = Ctx { account_id: &account.account_id, region: &region.region, now, endpoint: "" };
            let run = |world: &mut World, service: &RestService, operation: &str, input: Value, path: &str| {
                let call = Call { operation: operation.to_owned(), input, status: StatusCode::OK };
                (service.handle)(world, &ctx, &call)
                    .map_err(|e| (path.to_owned(), format!("{}: {}", e.code, e.message)))
            };
            let ses = |world: &mut World, operation: &str, input: Value, path: &str| {
                let call = Call { operation: operation.to_owned(), input, status: StatusCode::OK };
                let World { ses, s3, .. } = world;
                ses.handle(&account.account_id, &region.region, crate::clock::epoch(now), &call, s3)
                    .map_err(|e| (path.to_owned(), format!("{}: {}", e.code, e.message)))
            };
            for (i, template) in region.email_templates.iter().enumerate() {
                ses(world, "CreateEmailTemplate", template.clone(), &format!("{base}.email_templates[{i}]"))?;
            }
            for (i, tenant) in region.tenants.iter().enumerate() {
                let path = format!("{base}.tenants[{i}]");
                ses(world, "CreateTenant", strip(tenant, &["Resources"]), &path)?;
                for resource in tenant["Resources"].as_array().into_iter().flatten().filter_map(Value::as_str) {
                    let arn = if resource.starts_with("arn:") {
                        resource.to_owned()
                    } else {
                        format!("arn:aws:ses:{}:{}:{resource}", region.region, account.account_id)
                    };
                    let input = json!({ "TenantName": tenant["TenantName"], "ResourceArn": arn });
                    ses(world, "CreateTenantResourceAssociation", input, &path)?;
                }
            }
            let mut knowledge_bases = BTreeMap::new();
            for (i, kb) in region.knowledge_bases.iter().enumerate() {
                let path = format!("{base}.knowledge_bases[{i}]");
                let created = run(world, &qconnect::SERVICE, "CreateKnowledgeBase", kb.clone(), &path)?;
                knowledge_bases.insert(
                    kb["name"].as_str().unwrap_or_default().to_owned(),
                    created["knowledgeBase"]["knowledgeBaseArn"].clone(),
                );
            }
            let mut instances = BTreeMap::new();
            for (i, instance) in region.connect_instances.iter().enumerate() {
                let path = format!("{base}.connect_instances[{i}]");
                let created = world.connect.create_instance(
                    &ctx,
                    &strip(instance, &["Flows", "KnowledgeBase"]),
                    jiff::SignedDuration::ZERO,
                );
                let id = created["Id"].as_str().unwrap_or_default().to_owned();
                world.tags.set(created["Arn"].as_str().unwrap_or_default(), instance.get("Tags"));
                if let Some(alias) = instance["InstanceAlias"].as_str() {
                    instances.insert(alias.to_owned(), created["Arn"].clone());
                }
                for flow in instance["Flows"].as_array().into_iter().flatten() {
                    let mut flow = flow.clone();
                    flow["InstanceId"] = json!(id);
                    run(world, &connect::SERVICE, "CreateContactFlow", flow, &path)?;
                }
                if let Some(name) = instance["KnowledgeBase"].as_str() {
                    let arn = knowledge_bases
                        .get(name)
                        .cloned()
                        .ok_or_else(|| (path.clone(), format!("no knowledge base named {name} in this Region")))?;
                    let input =
                        json!({ "InstanceId": id, "IntegrationType": "Q_MESSAGE_TEMPLATES", "IntegrationArn": arn });
                    run(world, &connect::SERVICE, "CreateIntegrationAssociation", input, &path)?;
                }
            }
            for (i, domain) in region.profile_domains.iter().enumerate() {
                let path = format!("{base}.profile_domains[{i}]");
                run(world, &profiles::SERVICE, "CreateDomain", strip(domain, &["ObjectTypes", "Instance"]), &path)?;
                for object_type in domain["ObjectTypes"].as_array().into_iter().flatten() {
                    let mut object_type = object_type.clone();
                    object_type["DomainName"] = domain["DomainName"].clone();
                    run(world, &profiles::SERVICE, "PutProfileObjectType", object_type, &path)?;
                }
                if let Some(alias) = domain["Instance"].as_str() {
                    let arn = instances
                        .get(alias)
                        .cloned()
                        .ok_or_else(|| (path.clone(), format!("no Connect instance aliased {alias} in this Region")))?;
                    let input = json!({ "DomainName": domain["DomainName"], "Uri": arn });
                    run(world, &profiles::SERVICE, "PutIntegration", input, &path)?;
                }
            }
        }
    }
    Ok(())
}

type Places = BTreeMap<String, BTreeMap<String, Map<String, Value>>>;

fn slot<'a>(places: &'a mut Places, account: &str, region: &str) -> &'a mut Map<String, Value> {
    places.entry(account.to_owned()).or_default().entry(region.to_owned()).or_default()
}

pub fn snapshot(world: &World, now: Timestamp) -> Value {
    let mut places: Places = BTreeMap::new();
    for ((account, region), ses) in world.ses.places() {
        let out = slot(&mut places, account, region);
        out.insert("ses".into(), ses.snapshot());
    }
    for ((account, region), topics) in world.sns.snapshot() {
        slot(&mut places, &account, &region).insert("sns".into(), topics);
    }
    for ((account, region), sms) in world.sms.places() {
        let out = slot(&mut places, account, region);
        out.insert("sms".into(), json!({
            "phone_numbers": sms.phone_numbers,
            "pools": sms.pools.iter().map(|(id, pool)| {
                let mut pool = pool.clone();
                pool["Members"] = json!(sms.pool_members.get(id).cloned().unwrap_or_default());
                (id.clone(), pool)
            }).collect::<Map<_, _>>(),
            "opt_out_lists": sms.opt_out_lists.iter().map(|(name, list)| {
                let mut list = list.clone();
                list["OptedOutNumbers"] = json!(sms.opted_out.get(name).map(|n| n.keys().cloned().collect::<Vec<_>>()).unwrap_or_default());
                (name.clone(), list)
            }).collect::<Map<_, _>>(),
            "configuration_sets": sms.configuration_sets,
            "tags": sms.tags,
        }));
    }
    for instance in world.connect.instances.values() {
        let out = slot(&mut places, &instance.account_id, &instance.region);
        let arn = instance.record["Arn"].as_str().unwrap_or_default();
        let mut record = instance.describe(now, world.tags.get(arn));
        record["Attributes"] = json!(instance.attributes);
        record["IntegrationAssociations"] = json!(instance.associations.values().collect::<Vec<_>>());
        record["ContactFlows"] = json!(
            instance
                .flows
                .values()
                .map(|f| {
                    let mut flow = f.record.clone();
                    flow["Tags"] = world.tags.get(f.record["Arn"].as_str().unwrap_or_default());
                    flow["Versions"] = json!(f.versions.iter().map(|v| v.0).collect::<Vec<_>>());
                    flow
                })
                .collect::<Vec<_>>()
        );
        record["EmailAddresses"] = json!(instance.email_addresses.values().collect::<Vec<_>>());
        record["PhoneNumbers"] =
            json!(world.connect.phone_numbers.values().filter(|n| n["TargetArn"] == arn).collect::<Vec<_>>());
        let connect = out.entry("connect").or_insert_with(|| json!({ "instances": [] }));
        if let Some(list) = connect["instances"].as_array_mut() {
            list.push(record);
        }
    }
    for domain in world.profiles.domains.values() {
        let out = slot(&mut places, &domain.account_id, &domain.region);
        let record = json!({
            "DomainName": domain.record["DomainName"],
            "DefaultExpirationDays": domain.record["DefaultExpirationDays"],
            "Tags": world.tags.get(&domain.arn()),
            "ObjectTypes": domain.object_types.keys().collect::<Vec<_>>(),
            "Integrations": domain.integrations.values().collect::<Vec<_>>(),
            "SegmentDefinitions": domain.segments.keys().collect::<Vec<_>>(),
            "ProfileCount": domain.profiles.len(),
            "ObjectCount": domain.profiles.values().map(|p| p.objects.len()).sum::<usize>(),
        });
        let profiles = out.entry("profiles").or_insert_with(|| json!({ "domains": [] }));
        if let Some(list) = profiles["domains"].as_array_mut() {
            list.push(record);
        }
    }
    for kb in world.qconnect.knowledge_bases.values() {
        let out = slot(&mut places, &kb.account_id, &kb.region);
        let mut record = kb.record.clone();
        record["tags"] = world.tags.get(kb.record["knowledgeBaseArn"].as_str().unwrap_or_default());
        record["messageTemplates"] = json!(
            kb.templates
                .values()
                .map(|t| {
                    json!({
                        "name": t.latest["name"], "messageTemplateId": t.latest["messageTemplateId"],
                        "channelSubtype": t.latest["channelSubtype"], "versions": t.versions.len(),
                        "activeVersionNumber": t.active,
                        "tags": world.tags.get(t.latest["messageTemplateArn"].as_str().unwrap_or_default()),
                    })
                })
                .collect::<Vec<_>>()
        );
        let qconnect = out.entry("qconnect").or_insert_with(|| json!({ "knowledge_bases": [] }));
        if let Some(list) = qconnect["knowledge_bases"].as_array_mut() {
            list.push(record);
        }
    }
    for campaign in world.campaigns.campaigns.values() {
        let out = slot(&mut places, &campaign.account_id, &campaign.region);
        let mut record = campaign.record.clone();
        record["state"] = json!(campaign.state);
        record["tags"] = world.tags.get(campaign.record["arn"].as_str().unwrap_or_default());
        let list = out.entry("campaigns").or_insert_with(|| json!([]));
        if let Some(list) = list.as_array_mut() {
            list.push(record);
        }
    }
    json!({ "now": now.to_string(), "accounts": places })
}
