//! Pinshift's tags on resources it adopts (`TargetKind::ResourceTags`): the `TagResource` of the
//! resource's own service, chosen by its ARN (SES v2 and SMS v2 resources are the ones the graph adopts).
//! A tag step is there when every tag it asks for, but the run's, is on the resource; undoing it removes
//! the keys it added and puts back the values it replaced (recorded with the step), never a tag the
//! customer had.

use std::collections::BTreeMap;

use pinshift_core::blueprint::graph::TargetResource;
use pinshift_core::migration::plan::{Created, Found, Observed, RUN_TAG};
use pinshift_core::target::TargetKind;
use pinshift_core::{Error, Result};
use serde_json::{Map, Value, json};

use super::{Ctx, s};

pub fn supports(kind: TargetKind) -> bool {
    kind == TargetKind::ResourceTags
}

/// The service a resource's ARN names (`arn:aws:ses:…` → `ses`).
fn service(arn: &str) -> &str {
    arn.split(':').nth(2).unwrap_or_default()
}

/// The tags a request asks for.
fn wanted(request: &Value) -> BTreeMap<String, String> {
    request["Tags"].as_array().into_iter().flatten().filter_map(|t| Some((s(t, "Key")?, s(t, "Value")?))).collect()
}

fn unsupported(arn: &str) -> Error {
    Error::invalid("tags", format!("{arn}: Pinshift does not tag resources of this service yet"))
}

/// The resource's tags now.
async fn current(
    ctx: &Ctx<'_>,
    ses: &aws_sdk_sesv2::Client,
    sms: &aws_sdk_pinpointsmsvoicev2::Client,
    arn: &str,
) -> Result<BTreeMap<String, String>> {
    match service(arn) {
        "ses" => {
            ctx.pace("ses", "ListTagsForResource").await;
            let got = ses
                .list_tags_for_resource()
                .resource_arn(arn)
                .send()
                .await
                .map_err(|e| ctx.error("ListTagsForResource", e))?;
            Ok(got.tags().iter().map(|t| (t.key().to_owned(), t.value().to_owned())).collect())
        }
        "sms-voice" => {
            ctx.pace("sms-voice", "ListTagsForResource").await;
            let got = sms
                .list_tags_for_resource()
                .resource_arn(arn)
                .send()
                .await
                .map_err(|e| ctx.error("ListTagsForResource", e))?;
            Ok(got.tags().iter().map(|t| (t.key().to_owned(), t.value().to_owned())).collect())
        }
        _ => Err(unsupported(arn)),
    }
}

pub async fn observe(
    ctx: &Ctx<'_>,
    ses: &aws_sdk_sesv2::Client,
    sms: &aws_sdk_pinpointsmsvoicev2::Client,
    request: &Value,
) -> Result<Observed> {
    let arn = s(request, "ResourceArn").unwrap_or_default();
    let have = current(ctx, ses, sms, &arn).await?;
    let tagged = wanted(request).iter().filter(|(k, _)| k.as_str() != RUN_TAG).all(|(k, v)| have.get(k) == Some(v));
    Ok(if tagged {
        Observed::Present(Found { arn: Some(arn), tags: have, settings: json!({}), ..Found::default() })
    } else {
        Observed::Absent
    })
}

pub async fn create(
    ctx: &Ctx<'_>,
    ses: &aws_sdk_sesv2::Client,
    sms: &aws_sdk_pinpointsmsvoicev2::Client,
    _resource: &TargetResource,
    request: &Value,
) -> Result<Created> {
    let arn = s(request, "ResourceArn").unwrap_or_default();
    let tags = wanted(request);
    // What was there before, so that undoing this removes only the keys it added and puts back the
    // values it replaced.
    let before = current(ctx, ses, sms, &arn).await?;
    let added: Vec<&String> = tags.keys().filter(|k| !before.contains_key(*k)).collect();
    let replaced: BTreeMap<&String, &String> =
        before.iter().filter(|(k, v)| tags.get(*k).is_some_and(|new| new != *v)).collect();
    let identifiers =
        Map::from_iter([("TagKeysAdded".to_owned(), json!(added)), ("TagsReplaced".to_owned(), json!(replaced))]);
    write(ctx, ses, sms, &arn, &tags).await?;
    Ok(Created { arn: Some(arn), identifiers, ..Created::default() })
}

/// Sets `tags` on the resource.
async fn write(
    ctx: &Ctx<'_>,
    ses: &aws_sdk_sesv2::Client,
    sms: &aws_sdk_pinpointsmsvoicev2::Client,
    arn: &str,
    tags: &BTreeMap<String, String>,
) -> Result<()> {
    match service(arn) {
        "ses" => {
            ctx.pace("ses", "TagResource").await;
            let list = tags
                .iter()
                .filter_map(|(k, v)| aws_sdk_sesv2::types::Tag::builder().key(k).value(v).build().ok())
                .collect();
            ses.tag_resource()
                .resource_arn(arn)
                .set_tags(Some(list))
                .send()
                .await
                .map_err(|e| ctx.error("TagResource", e))?;
        }
        "sms-voice" => {
            ctx.pace("sms-voice", "TagResource").await;
            let list = tags
                .iter()
                .filter_map(|(k, v)| aws_sdk_pinpointsmsvoicev2::types::Tag::builder().key(k).value(v).build().ok())
                .collect();
            sms.tag_resource()
                .resource_arn(arn)
                .set_tags(Some(list))
                .send()
                .await
                .map_err(|e| ctx.error("TagResource", e))?;
        }
        _ => return Err(unsupported(arn)),
    }
    Ok(())
}

pub async fn delete(
    ctx: &Ctx<'_>,
    ses: &aws_sdk_sesv2::Client,
    sms: &aws_sdk_pinpointsmsvoicev2::Client,
    request: &Value,
    found: &Found,
) -> Result<()> {
    let arn = s(request, "ResourceArn").unwrap_or_default();
    let added: Vec<String> = found
        .identifiers
        .get("TagKeysAdded")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|k| k.as_str().map(str::to_owned))
        .collect();
    let replaced: BTreeMap<String, String> = found
        .identifiers
        .get("TagsReplaced")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter_map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_owned())))
        .collect();
    if !replaced.is_empty() {
        write(ctx, ses, sms, &arn, &replaced).await?;
    }
    if added.is_empty() {
        return Ok(());
    }
    match service(&arn) {
        "ses" => {
            ctx.pace("ses", "UntagResource").await;
            ses.untag_resource()
                .resource_arn(&arn)
                .set_tag_keys(Some(added))
                .send()
                .await
                .map(|_| ())
                .map_err(|e| ctx.error("UntagResource", e))
        }
        "sms-voice" => {
            ctx.pace("sms-voice", "UntagResource").await;
            sms.untag_resource()
                .resource_arn(&arn)
                .set_tag_keys(Some(added))
                .send()
                .await
                .map(|_| ())
                .map_err(|e| ctx.error("UntagResource", e))
        }
        _ => Err(unsupported(&arn)),
    }
}

/// Any target resource's tags, read by its ARN through its own service's `ListTagsForResource` (verify
/// reads back what a create tagged where the service's own read leaves tags out).
pub(super) async fn read(ctx: &Ctx<'_>, c: &super::Clients, arn: &str) -> Result<BTreeMap<String, String>> {
    let map = |tags: Option<&std::collections::HashMap<String, String>>| {
        tags.map(|t| t.iter().map(|(k, v)| (k.clone(), v.clone())).collect()).unwrap_or_default()
    };
    match service(arn) {
        "ses" | "sms-voice" => current(ctx, &c.ses, &c.sms, arn).await,
        "connect" => {
            ctx.pace("connect", "ListTagsForResource").await;
            let got = c.connect.list_tags_for_resource().resource_arn(arn).send().await;
            Ok(map(got.map_err(|e| ctx.error("ListTagsForResource", e))?.tags()))
        }
        "profile" => {
            let got = c.profiles.list_tags_for_resource().resource_arn(arn).send().await;
            Ok(map(got.map_err(|e| ctx.error("ListTagsForResource", e))?.tags()))
        }
        "connect-campaigns" => {
            let got = c.campaigns.list_tags_for_resource().arn(arn).send().await;
            Ok(map(got.map_err(|e| ctx.error("ListTagsForResource", e))?.tags()))
        }
        "wisdom" => {
            let got = c.qconnect.list_tags_for_resource().resource_arn(arn).send().await;
            Ok(map(got.map_err(|e| ctx.error("ListTagsForResource", e))?.tags()))
        }
        "sns" => super::sns::tags(ctx, &c.sns, arn).await,
        _ => Err(unsupported(arn)),
    }
}
