//! Core's `AudiencePort` over the official SDKs: profile objects through BatchPutProfileObject (ten a
//! call), the object type through PutProfileObjectType, opted-out numbers through PutOptedOutNumber,
//! suppressed addresses through PutSuppressedDestination with the client's tenant; read back through
//! GetDomain's statistics, DescribeOptedOutNumbers and ListSuppressedDestinations (paged).

use aws_sdk_customerprofiles::types::BatchPutProfileObjectRequestItem;
use aws_sdk_sesv2::types::SuppressionListReason;
use pinshift_core::Result;
use pinshift_core::migration::audience::{AudiencePort, AudienceTarget, TargetCounts};
use pinshift_core::profile::PROFILE_OBJECT_TYPE;
use serde_json::Value;

use super::AwsTarget;
use super::wire::ExactBody;

impl AudiencePort for AwsTarget {
    async fn put_object_type(&self, target: &AudienceTarget, object_type: &Value) -> Result<()> {
        self.check_reaches(&format!("{}'s audience", target.client), &target.account_id)?;
        let (ctx, c) = (self.ctx(&target.region), self.clients(&target.region));
        ctx.pace("profile", "PutProfileObjectType").await;
        c.profiles
            .put_profile_object_type()
            .domain_name(&target.domain)
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
            .domain_name(&target.domain)
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
        ctx.pace("profile", "GetDomain").await;
        let domain =
            c.profiles.get_domain().domain_name(&target.domain).send().await.map_err(|e| ctx.error("GetDomain", e))?;
        let profiles = domain.stats().map(|s| s.profile_count().max(0) as u64);
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
}
