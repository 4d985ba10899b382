//! The Q in Connect writer: the MESSAGE_TEMPLATES knowledge base of an instance, its message templates
//! (email, SMS, push; sent exactly as translated) and each template's first version, created and
//! activated — read, created and removed through aws-sdk-qconnect.

use std::collections::BTreeMap;

use aws_sdk_qconnect::Client;
use aws_sdk_qconnect::error::ProvideErrorMetadata;
use aws_sdk_qconnect::types as t;
use pinshift_core::Result;
use pinshift_core::blueprint::graph::TargetResource;
use pinshift_core::migration::plan::{Created, Found, Observed};
use pinshift_core::migration::verify::Rendering;
use pinshift_core::target::TargetKind;
use serde_json::{Map, Value, json};

use super::wire::{ExactBody, Response, only, tags};
use super::{Ctx, s};

pub fn supports(kind: TargetKind) -> bool {
    matches!(kind, TargetKind::KnowledgeBase | TargetKind::MessageTemplate | TargetKind::MessageTemplateVersion)
}

fn not_found<E: ProvideErrorMetadata>(error: &aws_sdk_qconnect::error::SdkError<E>) -> bool {
    error.code() == Some("ResourceNotFoundException")
}

fn ids(pairs: &[(&str, Value)]) -> Map<String, Value> {
    pairs.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect()
}

/// The template members a comparison looks at (the rest is bookkeeping AWS adds).
const TEMPLATE_SETTINGS: &[&str] = &["channelSubtype", "content", "defaultAttributes"];

async fn knowledge_base(ctx: &Ctx<'_>, q: &Client, name: &str) -> Result<Option<t::KnowledgeBaseSummary>> {
    let mut pages = q.list_knowledge_bases().into_paginator().send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| ctx.error("ListKnowledgeBases", e))?;
        if let Some(kb) = page.knowledge_base_summaries().iter().find(|kb| kb.name() == name) {
            return Ok(Some(kb.clone()));
        }
    }
    Ok(None)
}

async fn template(ctx: &Ctx<'_>, q: &Client, kb: &str, name: &str) -> Result<Option<t::MessageTemplateSummary>> {
    let mut pages = q.list_message_templates().knowledge_base_id(kb).into_paginator().send();
    while let Some(page) = pages.next().await {
        let page = match page {
            Ok(page) => page,
            Err(e) if not_found(&e) => return Ok(None),
            Err(e) => return Err(ctx.error("ListMessageTemplates", e)),
        };
        if let Some(t) = page.message_template_summaries().iter().find(|t| t.name() == name) {
            return Ok(Some(t.clone()));
        }
    }
    Ok(None)
}

pub async fn observe(ctx: &Ctx<'_>, q: &Client, resource: &TargetResource, request: &Value) -> Result<Observed> {
    match resource.kind {
        TargetKind::KnowledgeBase => {
            ctx.pace("wisdom", "ListKnowledgeBases").await;
            let name = s(request, "name").unwrap_or_default();
            Ok(match knowledge_base(ctx, q, &name).await? {
                Some(kb) => Observed::Present(Found {
                    arn: Some(kb.knowledge_base_arn().to_owned()),
                    identifiers: ids(&[("knowledgeBaseId", json!(kb.knowledge_base_id()))]),
                    tags: kb.tags().map(|t| t.clone().into_iter().collect()).unwrap_or_default(),
                    settings: json!({ "knowledgeBaseType": kb.knowledge_base_type().as_str() }),
                    ..Found::default()
                }),
                None => Observed::Absent,
            })
        }
        TargetKind::MessageTemplate => {
            ctx.pace("wisdom", "ListMessageTemplates").await;
            let kb = s(request, "knowledgeBaseId").unwrap_or_default();
            let name = s(request, "name").unwrap_or_default();
            let Some(summary) = template(ctx, q, &kb, &name).await? else { return Ok(Observed::Absent) };
            ctx.pace("wisdom", "GetMessageTemplate").await;
            let raw = Response::default();
            q.get_message_template()
                .knowledge_base_id(&kb)
                .message_template_id(summary.message_template_id())
                .customize()
                .interceptor(raw.clone())
                .send()
                .await
                .map_err(|e| ctx.error("GetMessageTemplate", e))?;
            let data = raw.json()["messageTemplate"].clone();
            Ok(Observed::Present(Found {
                arn: Some(summary.message_template_arn().to_owned()),
                identifiers: ids(&[("messageTemplateId", json!(summary.message_template_id()))]),
                tags: summary.tags().map(|t| t.clone().into_iter().collect()).unwrap_or_default(),
                settings: only(&data, TEMPLATE_SETTINGS),
                ..Found::default()
            }))
        }
        TargetKind::MessageTemplateVersion => {
            ctx.pace("wisdom", "ListMessageTemplateVersions").await;
            let kb = s(request, "knowledgeBaseId").unwrap_or_default();
            let id = s(request, "messageTemplateId").unwrap_or_default();
            let mut pages = q
                .list_message_template_versions()
                .knowledge_base_id(&kb)
                .message_template_id(&id)
                .into_paginator()
                .send();
            while let Some(page) = pages.next().await {
                let page = match page {
                    Ok(page) => page,
                    Err(e) if not_found(&e) => return Ok(Observed::Absent),
                    Err(e) => return Err(ctx.error("ListMessageTemplateVersions", e)),
                };
                if let Some(v) = page.message_template_version_summaries().iter().find(|v| v.is_active()) {
                    return Ok(Observed::Present(Found {
                        arn: Some(v.message_template_arn().to_owned()),
                        identifiers: ids(&[("versionNumber", json!(v.version_number()))]),
                        ..Found::default()
                    }));
                }
            }
            Ok(Observed::Absent)
        }
        other => Err(ctx.unsupported("observe", other)),
    }
}

pub async fn create(
    ctx: &Ctx<'_>,
    q: &Client,
    resource: &TargetResource,
    request: &Value,
    token: &str,
) -> Result<Created> {
    ctx.pace("wisdom", resource.kind.operation()).await;
    match resource.kind {
        TargetKind::KnowledgeBase => {
            let got = q
                .create_knowledge_base()
                .set_name(s(request, "name"))
                .knowledge_base_type(t::KnowledgeBaseType::MessageTemplates)
                .set_description(s(request, "description"))
                .set_tags(tags(request))
                .client_token(token)
                .send()
                .await
                .map_err(|e| ctx.error("CreateKnowledgeBase", e))?;
            let kb = got.knowledge_base().ok_or_else(|| ctx.build("CreateKnowledgeBase", "no knowledge base"))?;
            Ok(Created {
                arn: Some(kb.knowledge_base_arn().to_owned()),
                identifiers: ids(&[("knowledgeBaseId", json!(kb.knowledge_base_id()))]),
                ..Created::default()
            })
        }
        TargetKind::MessageTemplate => {
            let body = ExactBody::of(request, &["knowledgeBaseId"], Some(("clientToken", token)));
            let got = q
                .create_message_template()
                .set_knowledge_base_id(s(request, "knowledgeBaseId"))
                .customize()
                .interceptor(body)
                .send()
                .await
                .map_err(|e| ctx.error("CreateMessageTemplate", e))?;
            let data = got.message_template().ok_or_else(|| ctx.build("CreateMessageTemplate", "no template"))?;
            Ok(Created {
                arn: Some(data.message_template_arn().to_owned()),
                identifiers: ids(&[("messageTemplateId", json!(data.message_template_id()))]),
                ..Created::default()
            })
        }
        TargetKind::MessageTemplateVersion => {
            let (kb, id) = (s(request, "knowledgeBaseId"), s(request, "messageTemplateId"));
            // An unchanged template's version call answers the version it made before: safe to repeat.
            let got = q
                .create_message_template_version()
                .set_knowledge_base_id(kb.clone())
                .set_message_template_id(id.clone())
                .send()
                .await
                .map_err(|e| ctx.error("CreateMessageTemplateVersion", e))?;
            let data = got.message_template().ok_or_else(|| ctx.build("CreateMessageTemplateVersion", "no version"))?;
            let number = data.version_number().unwrap_or(1);
            ctx.pace("wisdom", "ActivateMessageTemplate").await;
            q.activate_message_template()
                .set_knowledge_base_id(kb)
                .set_message_template_id(id)
                .version_number(number)
                .send()
                .await
                .map_err(|e| ctx.error("ActivateMessageTemplate", e))?;
            Ok(Created {
                arn: Some(data.message_template_arn().to_owned()),
                identifiers: ids(&[("versionNumber", json!(number))]),
                ..Created::default()
            })
        }
        other => Err(ctx.unsupported("create", other)),
    }
}

pub async fn delete(
    ctx: &Ctx<'_>,
    q: &Client,
    resource: &TargetResource,
    request: &Value,
    found: &Found,
) -> Result<()> {
    let id = |member: &str| found.identifiers.get(member).and_then(Value::as_str).map(str::to_owned);
    match resource.kind {
        TargetKind::KnowledgeBase => {
            ctx.pace("wisdom", "DeleteKnowledgeBase").await;
            q.delete_knowledge_base()
                .set_knowledge_base_id(id("knowledgeBaseId"))
                .send()
                .await
                .map(|_| ())
                .map_err(|e| ctx.error("DeleteKnowledgeBase", e))
        }
        TargetKind::MessageTemplate => {
            ctx.pace("wisdom", "DeleteMessageTemplate").await;
            q.delete_message_template()
                .set_knowledge_base_id(s(request, "knowledgeBaseId"))
                .set_message_template_id(id("messageTemplateId"))
                .send()
                .await
                .map(|_| ())
                .map_err(|e| ctx.error("DeleteMessageTemplate", e))
        }
        // The version goes with its template; what a rollback of the version alone undoes is its activation.
        TargetKind::MessageTemplateVersion => {
            ctx.pace("wisdom", "DeactivateMessageTemplate").await;
            let number = found.identifiers.get("versionNumber").and_then(Value::as_i64).unwrap_or(1);
            q.deactivate_message_template()
                .set_knowledge_base_id(s(request, "knowledgeBaseId"))
                .set_message_template_id(s(request, "messageTemplateId"))
                .version_number(number)
                .send()
                .await
                .map(|_| ())
                .map_err(|e| ctx.error("DeactivateMessageTemplate", e))
        }
        other => Err(ctx.unsupported("delete", other)),
    }
}

/// Pinpoint's push field names by Q in Connect's.
const PUSH_PARTS: &[(&str, &str)] = &[
    ("title", "Title"),
    ("body", "Body"),
    ("url", "Url"),
    ("sound", "Sound"),
    ("imageUrl", "ImageUrl"),
    ("imageIconUrl", "ImageIconUrl"),
    ("smallImageIconUrl", "SmallImageIconUrl"),
    ("mediaUrl", "MediaUrl"),
    ("rawContent", "RawContent"),
];

/// A message template rendered by Q in Connect (`RenderMessageTemplate`) with `attributes`, its content
/// read back into the parts Pinpoint names (`Subject`, `TextPart`, `HtmlPart`, `Body`, `APNS.Title` …).
pub async fn render(
    ctx: &Ctx<'_>,
    q: &Client,
    request: &Value,
    found: &Found,
    attributes: &Value,
) -> Result<Rendering> {
    ctx.pace("wisdom", "RenderMessageTemplate").await;
    let kb = s(request, "knowledgeBaseId").unwrap_or_default();
    let id = found.identifiers.get("messageTemplateId").and_then(Value::as_str).unwrap_or_default().to_owned();
    let raw = Response::default();
    let sent = q
        .render_message_template()
        .knowledge_base_id(&kb)
        .message_template_id(&id)
        .customize()
        .interceptor(ExactBody::of(&json!({ "attributes": attributes }), &[], None))
        .interceptor(raw.clone())
        .send()
        .await;
    match sent {
        Ok(_) => {}
        Err(e) if e.code() == Some("ValidationException") => {
            return Ok(Err(e.message().unwrap_or("Q in Connect refused the attributes").to_owned()));
        }
        Err(e) => return Err(ctx.error("RenderMessageTemplate", e)),
    }
    Ok(Ok(content_parts(&raw.json()["content"])))
}

/// A template's content as Pinpoint names its parts.
pub fn content_parts(content: &Value) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let text = |v: &Value| v.as_str().map(str::to_owned).or_else(|| v["content"].as_str().map(str::to_owned));
    let mut put = |name: String, v: &Value| {
        if let Some(t) = text(v) {
            out.insert(name, t);
        }
    };
    let email = &content["email"];
    put("Subject".into(), &email["subject"]);
    put("TextPart".into(), &email["body"]["plainText"]);
    put("HtmlPart".into(), &email["body"]["html"]);
    put("Body".into(), &content["sms"]["body"]["plainText"]);
    for (platform, pinpoint) in [("apns", "APNS"), ("fcm", "GCM"), ("adm", "ADM"), ("baidu", "Baidu")] {
        for (key, field) in PUSH_PARTS {
            put(format!("{pinpoint}.{field}"), &content["push"][platform][key]);
        }
    }
    out
}
