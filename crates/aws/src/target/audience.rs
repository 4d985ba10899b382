//! Core's `AudiencePort` over the official SDKs: profile objects through BatchPutProfileObject (ten a
//! call), the object type through PutProfileObjectType, opted-out numbers through PutOptedOutNumber,
//! suppressed addresses through PutSuppressedDestination with the client's tenant; read back through
//! GetDomain's statistics, DescribeOptedOutNumbers and ListSuppressedDestinations (paged). Exports held
//! in S3 are downloaded first (ListObjectsV2, GetObject streamed to a file).

use std::path::{Component, Path, PathBuf};

use aws_sdk_customerprofiles::types::BatchPutProfileObjectRequestItem;
use aws_sdk_sesv2::types::SuppressionListReason;
use pinshift_core::migration::audience::{AudiencePort, AudienceTarget, TargetCounts};
use pinshift_core::profile::PROFILE_OBJECT_TYPE;
use pinshift_core::{Error, Result};
use serde_json::Value;
use tokio::io::AsyncWriteExt;

use super::AwsTarget;
use super::wire::ExactBody;

impl AudiencePort for AwsTarget {
    async fn put_object_type(&self, target: &AudienceTarget, object_type: &Value) -> Result<()> {
        self.check_reaches(&format!("{}'s audience", target.client), &target.account_id)?;
        let domain = domain_of(target)?;
        let (ctx, c) = (self.ctx(&target.region), self.clients(&target.region));
        ctx.pace("profile", "PutProfileObjectType").await;
        c.profiles
            .put_profile_object_type()
            .domain_name(domain)
            .object_type_name(PROFILE_OBJECT_TYPE)
            .customize()
            .interceptor(ExactBody::of(object_type, &["DomainName", "ObjectTypeName"], None))
            .send()
            .await
            .map_err(|e| ctx.error("PutProfileObjectType", e))?;
        Ok(())
    }

    async fn put_profiles(&self, target: &AudienceTarget, objects: &[String]) -> Result<Vec<(usize, String)>> {
        self.check_reaches(&format!("{}'s audience", target.client), &target.account_id)?;
        let domain = domain_of(target)?;
        let (ctx, c) = (self.ctx(&target.region), self.clients(&target.region));
        let items = objects
            .iter()
            .enumerate()
            .map(|(i, o)| {
                BatchPutProfileObjectRequestItem::builder()
                    .id(format!("i{i}"))
                    .object(o)
                    .build()
                    .map_err(|e| ctx.build("BatchPutProfileObject", e))
            })
            .collect::<Result<Vec<_>>>()?;
        ctx.pace("profile", "BatchPutProfileObject").await;
        let got = c
            .profiles
            .batch_put_profile_object()
            .domain_name(domain)
            .object_type_name(PROFILE_OBJECT_TYPE)
            .set_items(Some(items))
            .send()
            .await
            .map_err(|e| ctx.error("BatchPutProfileObject", e))?;
        Ok(got
            .failed()
            .iter()
            .map(|f| {
                let index = f.id().trim_start_matches('i').parse().unwrap_or(0);
                (index, format!("{} {}", f.code(), f.message().unwrap_or_default()))
            })
            .collect())
    }

    async fn put_opted_out(&self, target: &AudienceTarget, number: &str) -> Result<()> {
        self.check_reaches(&format!("{}'s audience", target.client), &target.account_id)?;
        let Some(list) = &target.opt_out_list else { return Ok(()) };
        let (ctx, c) = (self.ctx(&target.region), self.clients(&target.region));
        ctx.pace("sms-voice", "PutOptedOutNumber").await;
        c.sms
            .put_opted_out_number()
            .opt_out_list_name(list)
            .opted_out_number(number)
            .send()
            .await
            .map_err(|e| ctx.error("PutOptedOutNumber", e))?;
        Ok(())
    }

    async fn put_suppressed(&self, target: &AudienceTarget, address: &str) -> Result<()> {
        self.check_reaches(&format!("{}'s audience", target.client), &target.account_id)?;
        let Some(tenant) = &target.tenant else { return Ok(()) };
        let (ctx, c) = (self.ctx(&target.region), self.clients(&target.region));
        ctx.pace("ses", "PutSuppressedDestination").await;
        // SES knows two reasons; an address whose owner opted out of everything is kept as a complaint.
        c.ses
            .put_suppressed_destination()
            .email_address(address)
            .reason(SuppressionListReason::Complaint)
            .tenant_name(tenant)
            .send()
            .await
            .map_err(|e| ctx.error("PutSuppressedDestination", e))?;
        Ok(())
    }

    async fn counts(&self, target: &AudienceTarget) -> Result<TargetCounts> {
        self.check_reaches(&format!("{}'s audience", target.client), &target.account_id)?;
        let (ctx, c) = (self.ctx(&target.region), self.clients(&target.region));
        let mut profiles = None;
        if let Some(domain) = &target.domain {
            ctx.pace("profile", "GetDomain").await;
            let domain =
                c.profiles.get_domain().domain_name(domain).send().await.map_err(|e| ctx.error("GetDomain", e))?;
            profiles = domain.stats().map(|s| s.profile_count().max(0) as u64);
        }
        let mut opted_out_numbers = None;
        if let Some(list) = &target.opt_out_list {
            let mut n = 0u64;
            let mut token = None;
            loop {
                ctx.pace("sms-voice", "DescribeOptedOutNumbers").await;
                let page = c
                    .sms
                    .describe_opted_out_numbers()
                    .opt_out_list_name(list)
                    .set_next_token(token)
                    .send()
                    .await
                    .map_err(|e| ctx.error("DescribeOptedOutNumbers", e))?;
                n += page.opted_out_numbers().len() as u64;
                token = page.next_token().map(str::to_owned);
                if token.is_none() {
                    break;
                }
            }
            opted_out_numbers = Some(n);
        }
        let mut suppressed_addresses = None;
        if let Some(tenant) = &target.tenant {
            let mut n = 0u64;
            let mut token = None;
            loop {
                ctx.pace("ses", "ListSuppressedDestinations").await;
                let page = c
                    .ses
                    .list_suppressed_destinations()
                    .tenant_name(tenant)
                    .page_size(1000)
                    .set_next_token(token)
                    .send()
                    .await
                    .map_err(|e| ctx.error("ListSuppressedDestinations", e))?;
                n += page.suppressed_destination_summaries().len() as u64;
                token = page.next_token().map(str::to_owned);
                if token.is_none() {
                    break;
                }
            }
            suppressed_addresses = Some(n);
        }
        Ok(TargetCounts { profiles, opted_out_numbers, suppressed_addresses })
    }

    async fn fetch(&self, target: &AudienceTarget, url: &str, dir: &Path) -> Result<Vec<PathBuf>> {
        let ctx = self.ctx(&target.region);
        let rest = url.strip_prefix("s3://").unwrap_or(url);
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        if bucket.is_empty() {
            return Err(Error::invalid("--from", format!("{url}: name a bucket (s3://BUCKET/PREFIX/)")));
        }
        // Custom endpoints (the sandbox, S3-compatible stores) need path-style addressing.
        let custom_endpoint = self.config.endpoint_url().is_some();
        let s3 = aws_sdk_s3::Client::from_conf(
            aws_sdk_s3::config::Builder::from(&self.config)
                .region(aws_sdk_s3::config::Region::new(target.region.clone()))
                .force_path_style(custom_endpoint)
                .build(),
        );
        let mut files = Vec::new();
        let partial_root = PathBuf::from(format!("{}.partial", dir.display()));
        let mut pages = s3.list_objects_v2().bucket(bucket).prefix(prefix).into_paginator().send();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| ctx.error("s3:ListObjectsV2", e))?;
            for object in page.contents() {
                let Some(key) = object.key() else { continue };
                let relative = key.strip_prefix(prefix).unwrap_or(key).trim_start_matches('/');
                // Keys are the customer's: nothing may land outside `dir`.
                let path = Path::new(relative);
                if relative.is_empty()
                    || key.ends_with('/')
                    || path.components().any(|c| !matches!(c, Component::Normal(_)))
                {
                    continue;
                }
                let dest = dir.join(path);
                let size = object.size().unwrap_or(-1);
                if std::fs::metadata(&dest).is_ok_and(|m| m.len() as i64 == size) {
                    files.push(dest);
                    continue;
                }
                let got =
                    s3.get_object().bucket(bucket).key(key).send().await.map_err(|e| ctx.error("s3:GetObject", e))?;
                // Written in a folder beside `dir`, then moved in: a cut download is never taken for an
                // object (nor read as a damaged piece).
                let partial = partial_root.join(path);
                for folder in [dest.parent(), partial.parent()].into_iter().flatten() {
                    tokio::fs::create_dir_all(folder)
                        .await
                        .map_err(|source| Error::Io { path: folder.into(), source })?;
                }
                let io = |source| Error::Io { path: partial.clone(), source };
                let mut file = tokio::fs::File::create(&partial).await.map_err(io)?;
                let mut body = got.body.into_async_read();
                tokio::io::copy(&mut body, &mut file).await.map_err(io)?;
                file.flush().await.map_err(io)?;
                drop(file);
                tokio::fs::rename(&partial, &dest).await.map_err(io)?;
                files.push(dest);
            }
        }
        let _ = std::fs::remove_dir_all(&partial_root);
        Ok(files)
    }
}

/// The client's profiles domain, which profile writes need.
fn domain_of(target: &AudienceTarget) -> Result<&str> {
    target.domain.as_deref().ok_or_else(|| {
        Error::invalid("client", format!("{} has no Customer Profiles domain (SES and SMS only)", target.client))
    })
}
