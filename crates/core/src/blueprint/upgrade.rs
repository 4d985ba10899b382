//! Saved blueprints of older formats, read as this build's. Format 1 kept some tenancy parts as the
//! sentences Pinshift printed (event destinations, sender IDs, message templates, communication limits,
//! campaign channels, what is not created, analytics); format 2 types them. Those sentences came from a
//! handful of fixed patterns, so the upgrade reads them back exactly and refuses anything else by name.

use serde_json::{Map, Value, json};

use crate::{Error, Result};

/// Upgrades a format-1 blueprint document to format 2. `what` names the document in errors.
pub fn from_format_1(mut doc: Value, what: &str) -> Result<Value> {
    let fail = |field: String, text: &str| {
        Error::invalid(
            what,
            format!("format-1 field {field} holds {text:?}, which no Pinshift wrote: it cannot be upgraded"),
        )
    };
    let clients = doc.get_mut("clients").and_then(Value::as_array_mut).ok_or_else(|| fail("clients".into(), ""))?;
    for (i, client) in clients.iter_mut().enumerate() {
        let at = |field: &str| format!("clients[{i}].{field}");
        for service in ["ses", "sms"] {
            for (j, place) in array_mut(client, service).iter_mut().enumerate() {
                let destinations = strings(&place["event_destinations"]);
                let mut typed = Vec::new();
                for (k, text) in destinations.iter().enumerate() {
                    let field = at(&format!("{service}[{j}].event_destinations[{k}]"));
                    typed.push(destination(text, service == "sms").ok_or_else(|| fail(field, text))?);
                }
                place["event_destinations"] = Value::Array(typed);
                for (k, pool) in array_mut(place, "pools").iter_mut().enumerate() {
                    let mut senders = Vec::new();
                    for (l, text) in strings(&pool["sender_ids"]).iter().enumerate() {
                        let field = at(&format!("{service}[{j}].pools[{k}].sender_ids[{l}]"));
                        let (id, country) = parenthesised(text).ok_or_else(|| fail(field, text))?;
                        senders.push(json!({ "sender_id": id, "iso_country_code": country }));
                    }
                    pool["sender_ids"] = Value::Array(senders);
                }
            }
        }
        let connect = &mut client["connect"];
        for (j, campaign) in array_mut(connect, "campaigns").iter_mut().enumerate() {
            let mut channels = Vec::new();
            for (k, text) in strings(&campaign["channels"]).iter().enumerate() {
                let channel = match text.as_str() {
                    "email" => "email",
                    "sms" => "sms",
                    "telephony" => "telephony",
                    "push (custom action)" => "push",
                    "custom action" => "custom",
                    _ => return Err(fail(at(&format!("connect.campaigns[{j}].channels[{k}]")), text)),
                };
                channels.push(json!(channel));
            }
            campaign["channels"] = Value::Array(channels);
        }
        let mut templates = Vec::new();
        for (j, text) in strings(&connect["message_templates"]).iter().enumerate() {
            let (name, channel) =
                parenthesised(text).ok_or_else(|| fail(at(&format!("connect.message_templates[{j}]")), text))?;
            templates.push(json!({ "name": name, "channel": channel }));
        }
        connect["message_templates"] = Value::Array(templates);
        let mut limits = Vec::new();
        for (j, text) in strings(&connect["communication_limits"]).iter().enumerate() {
            limits.push(limit(text).ok_or_else(|| fail(at(&format!("connect.communication_limits[{j}]")), text))?);
        }
        connect["communication_limits"] = Value::Array(limits);
        let mut not_created = Vec::new();
        for (j, text) in strings(&connect["not_created"]).iter().enumerate() {
            let parsed = text
                .strip_prefix("campaign ")
                .and_then(|rest| rest.split_once(": "))
                .map(|(name, reason)| json!({ "kind": "campaign", "name": name, "reason": reason }));
            not_created.push(parsed.ok_or_else(|| fail(at(&format!("connect.not_created[{j}]")), text))?);
        }
        connect["not_created"] = Value::Array(not_created);
        let mut analytics = Vec::new();
        for (j, route) in client["analytics"].as_array().cloned().unwrap_or_default().iter().enumerate() {
            let source = route["source"].as_str().unwrap_or_default();
            let typed = if let Some(arn) = source.strip_prefix("Pinpoint event stream → ") {
                Some(json!({ "kind": "event_stream", "stream_arn": arn }))
            } else if let Some(n) = source.strip_suffix(" KPI windows (90 days)").and_then(|n| n.parse::<u32>().ok()) {
                Some(json!({ "kind": "kpi_archive", "windows": n }))
            } else if source == "email engagement" {
                Some(json!({ "kind": "email_metrics" }))
            } else {
                None
            };
            analytics.push(typed.ok_or_else(|| fail(at(&format!("analytics[{j}].source")), source))?);
        }
        client["analytics"] = Value::Array(analytics);
    }
    doc["format"] = json!(2);
    Ok(doc)
}

fn array_mut<'a>(value: &'a mut Value, key: &str) -> &'a mut Vec<Value> {
    if !value[key].is_array() {
        value[key] = Value::Array(Vec::new());
    }
    match &mut value[key] {
        Value::Array(items) => items,
        _ => unreachable!("set to an array above"),
    }
}

fn strings(value: &Value) -> Vec<String> {
    value.as_array().into_iter().flatten().filter_map(|v| v.as_str().map(str::to_owned)).collect()
}

/// `NAME (X)` → (`NAME`, `X`).
fn parenthesised(text: &str) -> Option<(String, String)> {
    let (name, rest) = text.rsplit_once(" (")?;
    Some((name.to_owned(), rest.strip_suffix(')')?.to_owned()))
}

/// `3 per recipient per 7 days (JourneyLimits.TimeframeCap)`
fn limit(text: &str) -> Option<Value> {
    let (count, rest) = text.split_once(" per recipient per ")?;
    let (days, field) = parenthesised(rest)?;
    let days = days.strip_suffix(" days").or_else(|| days.strip_suffix(" day"))?;
    Some(json!({
        "max_count_per_recipient": count.parse::<u32>().ok()?,
        "frequency_days": days.parse::<u32>().ok()?,
        "source_field": field,
    }))
}

/// The sentences format 1 wrote for event destinations.
fn destination(text: &str, sms: bool) -> Option<Value> {
    let typed = |name: &str, target: Value, existing: bool, reason: &str| {
        let mut map = Map::new();
        map.insert("name".into(), json!(name));
        map.insert("target".into(), target);
        map.insert("existing".into(), json!(existing));
        map.insert("reason".into(), json!(reason));
        Some(Value::Object(map))
    };
    if let Some(rest) = text.strip_prefix("events: Firehose into ") {
        let arn = rest.strip_suffix(" (the project's event stream)")?;
        let target = if arn.contains(":kinesis:") {
            json!({ "kind": "kinesis_stream", "stream_arn": arn })
        } else {
            json!({ "kind": "firehose", "delivery_stream_arn": arn })
        };
        return typed("pinshift-firehose", target, false, "the project's event stream");
    }
    if text == "events: EventBridge (default bus), for reputation findings and sending status" {
        return typed(
            "pinshift-eventbridge",
            json!({ "kind": "event_bridge" }),
            false,
            "reputation findings and sending status (AWS's BPO guidance)",
        );
    }
    if sms && text == "events: CloudWatch Logs (TEXT_* events)" {
        // Format 1 named CloudWatch Logs here while its CloudFormation created an SNS topic; format 2 says
        // what is created.
        return typed(
            "pinshift-sns",
            json!({ "kind": "sns" }),
            false,
            "delivery receipts for the client's own consumers",
        );
    }
    let (name, rest) = text.split_once(": ")?;
    if rest == "Pinpoint (replace: it stops working)" {
        return typed(name, json!({ "kind": "pinpoint", "application_arn": "" }), true, "");
    }
    let target = if let Some(arn) = rest.strip_prefix("Firehose ") {
        json!({ "kind": "firehose", "delivery_stream_arn": arn })
    } else if let Some(arn) = rest.strip_prefix("SNS ") {
        json!({ "kind": "sns", "topic_arn": arn })
    } else if let Some(arn) = rest.strip_prefix("EventBridge ") {
        json!({ "kind": "event_bridge", "event_bus_arn": arn })
    } else if let Some(arn) = rest.strip_prefix("CloudWatch Logs ") {
        json!({ "kind": "cloud_watch_logs", "log_group_arn": arn })
    } else {
        return None;
    };
    typed(name, target, true, "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_sentence_format_1_wrote_reads_back_typed() {
        assert_eq!(
            limit("5 per recipient per 7 days (JourneyLimits.TimeframeCap)"),
            Some(
                json!({"max_count_per_recipient": 5, "frequency_days": 7, "source_field": "JourneyLimits.TimeframeCap"})
            )
        );
        assert_eq!(
            limit("2 per recipient per 1 day (Limits.Daily)").map(|v| v["frequency_days"].clone()),
            Some(json!(1))
        );
        assert_eq!(parenthesised("BLUEBIRD (GB)"), Some(("BLUEBIRD".into(), "GB".into())));
        let firehose = destination("firehose: Firehose arn:aws:firehose:us-east-1:1:deliverystream/x", false);
        assert_eq!(firehose.as_ref().map(|d| d["existing"].clone()), Some(json!(true)));
        let stream = destination(
            "events: Firehose into arn:aws:kinesis:us-east-1:1:stream/k (the project's event stream)",
            true,
        );
        assert_eq!(stream.map(|d| d["target"]["kind"].clone()), Some(json!("kinesis_stream")));
        assert!(destination("something else", false).is_none());
    }
}
