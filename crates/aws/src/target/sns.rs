//! The SNS writer: the topic a client's SMS events go to when it has no stream of its own, created with
//! the policy that lets End User Messaging publish to it and Pinshift's tags — read (GetTopicAttributes,
//! ListTagsForResource), created (CreateTopic, idempotent on the name) and removed (DeleteTopic) through
//! aws-sdk-sns.

use std::collections::BTreeMap;

use aws_sdk_sns::Client;
use aws_sdk_sns::error::ProvideErrorMetadata;
use aws_sdk_sns::types as t;
use pinshift_core::Result;
use pinshift_core::blueprint::graph::TargetResource;
use pinshift_core::migration::plan::{Created, Found, Observed};
use pinshift_core::target::TargetKind;
use serde_json::{Map, Value, json};

use super::{Ctx, s};

pub fn supports(kind: TargetKind) -> bool {
    kind == TargetKind::SnsTopic
}

/// The topic's ARN: SNS names topics by account, Region and name.
fn arn(ctx: &Ctx<'_>, resource: &TargetResource, name: &str) -> String {
    format!("arn:aws:sns:{}:{}:{name}", resource.region, ctx.account_id)
}

fn ids(arn: &str) -> Map<String, Value> {
    let mut map = Map::new();
    map.insert("TopicArn".into(), json!(arn));
    map
}

/// The attributes a request sets (`Attributes: {Name: value}`).
fn attributes(request: &Value) -> BTreeMap<String, String> {
    request["Attributes"]
        .as_object()
        .into_iter()
        .flatten()
        .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_owned())))
        .collect()
}

pub async fn observe(ctx: &Ctx<'_>, sns: &Client, resource: &TargetResource, request: &Value) -> Result<Observed> {
    let name = s(request, "Name").unwrap_or_default();
    let arn = arn(ctx, resource, &name);
    ctx.pace("sns", "GetTopicAttributes").await;
    let got = match sns.get_topic_attributes().topic_arn(&arn).send().await {
        Ok(got) => got,
        Err(e) if e.code() == Some("NotFound") => return Ok(Observed::Absent),
        Err(e) => return Err(ctx.error("GetTopicAttributes", e)),
    };
    let have = got.attributes().cloned().unwrap_or_default();
    // Only what the request sets is compared (AWS adds its own: Owner, subscription counts …).
    let settings: Map<String, Value> =
        attributes(request).keys().filter_map(|k| Some((k.clone(), json!(have.get(k)?)))).collect();
    ctx.pace("sns", "ListTagsForResource").await;
    let tags = sns
        .list_tags_for_resource()
        .resource_arn(&arn)
        .send()
        .await
        .map_err(|e| ctx.error("ListTagsForResource", e))?;
    Ok(Observed::Present(Found {
        arn: Some(arn.clone()),
        identifiers: ids(&arn),
        tags: tags.tags().iter().map(|t| (t.key().to_owned(), t.value().to_owned())).collect(),
        settings: json!({ "Name": name, "Attributes": settings }),
        ..Found::default()
    }))
}

pub async fn create(ctx: &Ctx<'_>, sns: &Client, resource: &TargetResource, request: &Value) -> Result<Created> {
    let name = s(request, "Name").unwrap_or_default();
    let tags = request["Tags"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|tag| {
            t::Tag::builder()
                .key(s(tag, "Key").unwrap_or_default())
                .value(s(tag, "Value").unwrap_or_default())
                .build()
                .map_err(|e| ctx.build("CreateTopic", e))
        })
        .collect::<Result<Vec<_>>>()?;
    ctx.pace("sns", "CreateTopic").await;
    let made = sns
        .create_topic()
        .name(&name)
        .set_attributes(Some(attributes(request).into_iter().collect()))
        .set_tags(Some(tags))
        .send()
        .await
        .map_err(|e| ctx.error("CreateTopic", e))?;
    let arn = made.topic_arn().map_or_else(|| arn(ctx, resource, &name), str::to_owned);
    Ok(Created { arn: Some(arn.clone()), identifiers: ids(&arn), ..Created::default() })
}

pub async fn delete(ctx: &Ctx<'_>, sns: &Client, resource: &TargetResource, request: &Value) -> Result<()> {
    let name = s(request, "Name").unwrap_or_default();
    ctx.pace("sns", "DeleteTopic").await;
    sns.delete_topic()
        .topic_arn(arn(ctx, resource, &name))
        .send()
        .await
        .map(|_| ())
        .map_err(|e| ctx.error("DeleteTopic", e))
}

/// A topic's tags by its ARN (verify's read-back).
pub async fn tags(ctx: &Ctx<'_>, sns: &Client, arn: &str) -> Result<BTreeMap<String, String>> {
    ctx.pace("sns", "ListTagsForResource").await;
    let got =
        sns.list_tags_for_resource().resource_arn(arn).send().await.map_err(|e| ctx.error("ListTagsForResource", e))?;
    Ok(got.tags().iter().map(|t| (t.key().to_owned(), t.value().to_owned())).collect())
}
