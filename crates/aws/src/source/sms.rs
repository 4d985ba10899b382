//! End User Messaging SMS and voice v2 (account-level): phone numbers, sender IDs, pools with their
//! origination identities, opt-out lists with their opted-out counts, configuration sets and
//! registrations.

use aws_config::SdkConfig;
use pinshift_core::estate::ResourceKind;
use serde_json::Value;

use crate::source::read::{Collector, pages, text};

pub(crate) async fn read(config: &SdkConfig, out: &mut Collector<'_>) {
    let sms = aws_sdk_pinpointsmsvoicev2::Client::new(config);
    pages!(
        out,
        ResourceKind::PhoneNumber,
        "sms-voice:DescribePhoneNumbers",
        "PhoneNumbers",
        |t| sms.describe_phone_numbers().set_next_token(t),
        |n| {
            out.record(ResourceKind::PhoneNumber, text(&n, "PhoneNumberId"), "", n["PhoneNumber"].as_str(), n.clone())
        }
    );
    pages!(
        out,
        ResourceKind::SenderId,
        "sms-voice:DescribeSenderIds",
        "SenderIds",
        |t| sms.describe_sender_ids().set_next_token(t),
        |s| {
            let id = format!("{}/{}", text(&s, "SenderId"), text(&s, "IsoCountryCode"));
            out.record(ResourceKind::SenderId, &id, "", s["SenderId"].as_str(), s.clone())
        }
    );
    let mut pools = Vec::new();
    pages!(
        out,
        ResourceKind::Pool,
        "sms-voice:DescribePools",
        "Pools",
        |t| sms.describe_pools().set_next_token(t),
        |p| pools.push(p)
    );
    for mut pool in pools {
        let id = text(&pool, "PoolId").to_owned();
        let mut members = Vec::new();
        pages!(
            out,
            ResourceKind::Pool,
            "sms-voice:ListPoolOriginationIdentities",
            "OriginationIdentities",
            |t| sms.list_pool_origination_identities().pool_id(&id).set_next_token(t),
            |m| members.push(m)
        );
        pool["OriginationIdentities"] = Value::Array(members);
        out.record(ResourceKind::Pool, &id, "", None, pool);
    }
    let mut lists = Vec::new();
    pages!(
        out,
        ResourceKind::OptOutList,
        "sms-voice:DescribeOptOutLists",
        "OptOutLists",
        |t| sms.describe_opt_out_lists().set_next_token(t),
        |l| lists.push(l)
    );
    for mut opt_out in lists {
        let name = text(&opt_out, "OptOutListName").to_owned();
        // Counted, not copied: the numbers themselves stay in the customer's account unless asked for.
        let mut count = 0u64;
        pages!(
            out,
            ResourceKind::OptOutList,
            "sms-voice:DescribeOptedOutNumbers",
            "OptedOutNumbers",
            |t| sms.describe_opted_out_numbers().opt_out_list_name(&name).max_results(100).set_next_token(t),
            |_n| count += 1
        );
        opt_out["OptedOutCount"] = Value::from(count);
        out.record(ResourceKind::OptOutList, &name, "", Some(&name), opt_out);
    }
    pages!(
        out,
        ResourceKind::SmsConfigurationSet,
        "sms-voice:DescribeConfigurationSets",
        "ConfigurationSets",
        |t| sms.describe_configuration_sets().set_next_token(t),
        |c| {
            out.record(
                ResourceKind::SmsConfigurationSet,
                text(&c, "ConfigurationSetName"),
                "",
                c["ConfigurationSetName"].as_str(),
                c.clone(),
            )
        }
    );
    pages!(
        out,
        ResourceKind::Registration,
        "sms-voice:DescribeRegistrations",
        "Registrations",
        |t| sms.describe_registrations().set_next_token(t),
        |r| {
            out.record(
                ResourceKind::Registration,
                text(&r, "RegistrationId"),
                "",
                r["RegistrationType"].as_str(),
                r.clone(),
            )
        }
    );
}
