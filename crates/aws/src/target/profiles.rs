//! The Customer Profiles writer: the domain (with its explicit default expiry), the object type endpoints
//! are loaded into, the domain's integration with the Connect instance, and the segment definitions the
//! segment translations wrote (sent exactly as translated) — read, created and removed through
//! aws-sdk-customerprofiles.

use aws_sdk_customerprofiles::Client;
use aws_sdk_customerprofiles::error::ProvideErrorMetadata;
use pinshift_core::Result;
use pinshift_core::blueprint::graph::TargetResource;
use pinshift_core::migration::plan::{Created, Found, Observed};
use pinshift_core::migration::verify::SegmentSize;
use pinshift_core::target::TargetKind;
use serde_json::{Map, Value, json};

use super::wire::{ExactBody, Response, only, tag_map, tags};
use super::{Ctx, s};

pub fn supports(kind: TargetKind) -> bool {
    matches!(
        kind,
        TargetKind::ProfilesDomain
            | TargetKind::ProfileObjectType
            | TargetKind::ProfilesIntegration
            | TargetKind::SegmentDefinition
    )
}

fn not_found<E: ProvideErrorMetadata>(error: &aws_sdk_customerprofiles::error::SdkError<E>) -> bool {
    error.code() == Some("ResourceNotFoundException")
}

/// Customer Profiles answers no ARN for a domain; this is the one AWS documents (and IAM policies name).
fn domain_arn(ctx: &Ctx<'_>, domain: &str) -> String {
    format!("arn:aws:profile:{}:{}:domains/{domain}", ctx.region, ctx.account_id)
}

fn ids(domain: &str) -> Map<String, Value> {
    Map::from_iter([("DomainName".to_owned(), json!(domain))])
}

/// The object type members a comparison looks at.
const OBJECT_TYPE_SETTINGS: &[&str] = &["ExpirationDays", "AllowProfileCreation", "Fields", "Keys"];
/// The segment definition members a comparison looks at.
const SEGMENT_SETTINGS: &[&str] = &["DisplayName", "SegmentGroups", "SegmentSqlQuery"];

pub async fn observe(ctx: &Ctx<'_>, p: &Client, resource: &TargetResource, request: &Value) -> Result<Observed> {
    let domain = s(request, "DomainName").unwrap_or_default();
    match resource.kind {
        TargetKind::ProfilesDomain => {
            ctx.pace("profile", "GetDomain").await;
            match p.get_domain().domain_name(&domain).send().await {
                Ok(got) => Ok(Observed::Present(Found {
                    arn: Some(domain_arn(ctx, &domain)),
                    identifiers: ids(&domain),
                    tags: got.tags().map(|t| t.clone().into_iter().collect()).unwrap_or_default(),
                    settings: json!({ "DefaultExpirationDays": got.default_expiration_days() }),
                    ..Found::default()
                })),
                Err(e) if not_found(&e) => Ok(Observed::Absent),
                Err(e) => Err(ctx.error("GetDomain", e)),
            }
        }
        TargetKind::ProfileObjectType => {
            ctx.pace("profile", "GetProfileObjectType").await;
            let name = s(request, "ObjectTypeName").unwrap_or_default();
            let raw = Response::default();
            match p
                .get_profile_object_type()
                .domain_name(&domain)
                .object_type_name(&name)
                .customize()
                .interceptor(raw.clone())
                .send()
                .await
            {
                Ok(_) => {
                    let body = raw.json();
                    Ok(Observed::Present(Found {
                        arn: Some(format!("{}/object-types/{name}", domain_arn(ctx, &domain))),
                        identifiers: Map::from_iter([("ObjectTypeName".to_owned(), json!(name))]),
                        tags: tag_map(&body["Tags"]),
                        settings: only(&body, OBJECT_TYPE_SETTINGS),
                        ..Found::default()
                    }))
                }
                Err(e) if not_found(&e) => Ok(Observed::Absent),
                Err(e) => Err(ctx.error("GetProfileObjectType", e)),
            }
        }
        TargetKind::ProfilesIntegration => {
            ctx.pace("profile", "GetIntegration").await;
            let uri = s(request, "Uri").unwrap_or_default();
            match p.get_integration().domain_name(&domain).uri(&uri).send().await {
                Ok(got) => Ok(Observed::Present(Found {
                    arn: Some(got.uri().to_owned()),
                    identifiers: ids(&domain),
                    tags: got.tags().map(|t| t.clone().into_iter().collect()).unwrap_or_default(),
                    settings: json!({ "ObjectTypeName": got.object_type_name() }),
                    ..Found::default()
                })),
                Err(e) if not_found(&e) => Ok(Observed::Absent),
                Err(e) => Err(ctx.error("GetIntegration", e)),
            }
        }
        TargetKind::SegmentDefinition => {
            ctx.pace("profile", "GetSegmentDefinition").await;
            let name = s(request, "SegmentDefinitionName").unwrap_or_default();
            let raw = Response::default();
            match p
                .get_segment_definition()
                .domain_name(&domain)
                .segment_definition_name(&name)
                .customize()
                .interceptor(raw.clone())
                .send()
                .await
            {
                Ok(got) => {
                    let body = raw.json();
                    Ok(Observed::Present(Found {
                        arn: Some(got.segment_definition_arn().to_owned()),
                        identifiers: Map::from_iter([("SegmentDefinitionName".to_owned(), json!(name))]),
                        tags: tag_map(&body["Tags"]),
                        settings: only(&body, SEGMENT_SETTINGS),
                        ..Found::default()
                    }))
                }
                Err(e) if not_found(&e) => Ok(Observed::Absent),
                Err(e) => Err(ctx.error("GetSegmentDefinition", e)),
            }
        }
        other => Err(ctx.unsupported("observe", other)),
    }
}

pub async fn create(ctx: &Ctx<'_>, p: &Client, resource: &TargetResource, request: &Value) -> Result<Created> {
    ctx.pace("profile", resource.kind.operation()).await;
    let domain = s(request, "DomainName").unwrap_or_default();
    match resource.kind {
        TargetKind::ProfilesDomain => {
            let days = request["DefaultExpirationDays"].as_i64().unwrap_or(366) as i32;
            p.create_domain()
                .domain_name(&domain)
                .default_expiration_days(days)
                .set_tags(tags(request))
                .send()
                .await
                .map_err(|e| ctx.error("CreateDomain", e))?;
            Ok(Created { arn: Some(domain_arn(ctx, &domain)), identifiers: ids(&domain), ..Created::default() })
        }
        TargetKind::ProfileObjectType => {
            let name = s(request, "ObjectTypeName").unwrap_or_default();
            p.put_profile_object_type()
                .domain_name(&domain)
                .object_type_name(&name)
                .customize()
                .interceptor(ExactBody::of(request, &["DomainName", "ObjectTypeName"], None))
                .send()
                .await
                .map_err(|e| ctx.error("PutProfileObjectType", e))?;
            Ok(Created {
                arn: Some(format!("{}/object-types/{name}", domain_arn(ctx, &domain))),
                identifiers: Map::from_iter([("ObjectTypeName".to_owned(), json!(name))]),
                ..Created::default()
            })
        }
        TargetKind::ProfilesIntegration => {
            let got = p
                .put_integration()
                .domain_name(&domain)
                .set_uri(s(request, "Uri"))
                .set_object_type_name(s(request, "ObjectTypeName"))
                .set_tags(tags(request))
                .send()
                .await
                .map_err(|e| ctx.error("PutIntegration", e))?;
            Ok(Created { arn: Some(got.uri().to_owned()), identifiers: ids(&domain), ..Created::default() })
        }
        TargetKind::SegmentDefinition => {
            let name = s(request, "SegmentDefinitionName").unwrap_or_default();
            let got = p
                .create_segment_definition()
                .domain_name(&domain)
                .segment_definition_name(&name)
                .customize()
                .interceptor(ExactBody::of(request, &["DomainName", "SegmentDefinitionName"], None))
                .send()
                .await
                .map_err(|e| ctx.error("CreateSegmentDefinition", e))?;
            Ok(Created {
                arn: got.segment_definition_arn().map(str::to_owned),
                identifiers: Map::from_iter([("SegmentDefinitionName".to_owned(), json!(name))]),
                ..Created::default()
            })
        }
        other => Err(ctx.unsupported("create", other)),
    }
}

pub async fn delete(ctx: &Ctx<'_>, p: &Client, resource: &TargetResource, request: &Value) -> Result<()> {
    let domain = s(request, "DomainName");
    match resource.kind {
        TargetKind::ProfilesDomain => {
            ctx.pace("profile", "DeleteDomain").await;
            p.delete_domain().set_domain_name(domain).send().await.map(|_| ()).map_err(|e| ctx.error("DeleteDomain", e))
        }
        TargetKind::ProfileObjectType => {
            ctx.pace("profile", "DeleteProfileObjectType").await;
            p.delete_profile_object_type()
                .set_domain_name(domain)
                .set_object_type_name(s(request, "ObjectTypeName"))
                .send()
                .await
                .map(|_| ())
                .map_err(|e| ctx.error("DeleteProfileObjectType", e))
        }
        TargetKind::ProfilesIntegration => {
            ctx.pace("profile", "DeleteIntegration").await;
            p.delete_integration()
                .set_domain_name(domain)
                .set_uri(s(request, "Uri"))
                .send()
                .await
                .map(|_| ())
                .map_err(|e| ctx.error("DeleteIntegration", e))
        }
        TargetKind::SegmentDefinition => {
            ctx.pace("profile", "DeleteSegmentDefinition").await;
            p.delete_segment_definition()
                .set_domain_name(domain)
                .set_segment_definition_name(s(request, "SegmentDefinitionName"))
                .send()
                .await
                .map(|_| ())
                .map_err(|e| ctx.error("DeleteSegmentDefinition", e))
        }
        other => Err(ctx.unsupported("delete", other)),
    }
}

/// How often and how long a segment estimate is polled.
const ESTIMATE_POLL: std::time::Duration = std::time::Duration::from_secs(1);
const ESTIMATE_READS: u32 = 120;

/// The size of the segment definition `request` created: an estimate of its groups
/// (`CreateSegmentEstimate`, then `GetSegmentEstimate` until it finished) and the domain's profile count.
pub async fn estimate(ctx: &Ctx<'_>, p: &Client, request: &Value) -> Result<SegmentSize> {
    let domain = s(request, "DomainName").unwrap_or_default();
    ctx.pace("profile", "GetDomain").await;
    let stats = p.get_domain().domain_name(&domain).send().await.map_err(|e| ctx.error("GetDomain", e))?;
    let profiles = stats.stats().map(|s| s.profile_count().max(0) as u64);
    let query = match (request.get("SegmentGroups"), request.get("SegmentSqlQuery")) {
        (Some(groups), _) => json!({ "SegmentQuery": groups }),
        (None, Some(sql)) => json!({ "SegmentSqlQuery": sql }),
        (None, None) => {
            return Ok(SegmentSize {
                profiles,
                failure: Some("the definition has no query".into()),
                ..Default::default()
            });
        }
    };
    ctx.pace("profile", "CreateSegmentEstimate").await;
    let started = p
        .create_segment_estimate()
        .domain_name(&domain)
        .customize()
        .interceptor(ExactBody::of(&query, &[], None))
        .send()
        .await
        .map_err(|e| ctx.error("CreateSegmentEstimate", e))?;
    let id = started.estimate_id().unwrap_or_default().to_owned();
    for _ in 0..ESTIMATE_READS {
        ctx.pace("profile", "GetSegmentEstimate").await;
        let got = p
            .get_segment_estimate()
            .domain_name(&domain)
            .estimate_id(&id)
            .send()
            .await
            .map_err(|e| ctx.error("GetSegmentEstimate", e))?;
        match got.status().map(|s| s.as_str()) {
            Some("SUCCEEDED") => {
                let estimate = got.estimate().and_then(|e| e.trim().parse::<u64>().ok());
                return Ok(SegmentSize { estimate, profiles, failure: None });
            }
            Some("FAILED") => {
                let why = got.message().unwrap_or("the estimate failed").to_owned();
                return Ok(SegmentSize { estimate: None, profiles, failure: Some(why) });
            }
            _ => tokio::time::sleep(ESTIMATE_POLL).await,
        }
    }
    Ok(SegmentSize { estimate: None, profiles, failure: Some("the estimate did not finish in two minutes".into()) })
}
