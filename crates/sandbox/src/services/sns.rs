//! Amazon SNS over awsQuery (signing name `sns`): the topics a migration creates for a client's SMS events.
//! CreateTopic (idempotent on the name when attributes and tags are the same, as on AWS), GetTopicAttributes,
//! SetTopicAttributes, ListTopics (100 per page), DeleteTopic (no error for a topic that is not there) and
//! the tag operations. Nothing is published: the sandbox keeps what a migration leaves behind.

use std::collections::{BTreeMap, HashMap};

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::wire::{Protocol, ServiceError, xml_escape};

pub const SIGNING_NAME: &str = "sns";
pub const PROTOCOL: Protocol = Protocol::Query { xmlns: XMLNS };
const XMLNS: &str = "http://sns.amazonaws.com/doc/2010-03-31/";
/// ListTopics' page size on AWS.
const PAGE: usize = 100;

#[derive(Debug, Clone, Default)]
struct Topic {
    attributes: BTreeMap<String, String>,
    tags: BTreeMap<String, String>,
}

/// Topics per (account, Region), by name.
#[derive(Debug, Clone, Default)]
pub struct SnsState {
    topics: BTreeMap<(String, String), BTreeMap<String, Topic>>,
}

/// The operation a form-encoded SNS request names.
pub fn action(body: &[u8]) -> String {
    form_urlencoded::parse(body).find(|(k, _)| k == "Action").map(|(_, v)| v.into_owned()).unwrap_or_default()
}

fn invalid(message: impl Into<String>) -> ServiceError {
    ServiceError::new(StatusCode::BAD_REQUEST, "InvalidParameter", message)
}

fn not_found() -> ServiceError {
    ServiceError::new(StatusCode::NOT_FOUND, "NotFound", "Topic does not exist")
}

fn resource_not_found() -> ServiceError {
    ServiceError::new(StatusCode::NOT_FOUND, "ResourceNotFound", "Resource does not exist")
}

/// awsQuery's flattened members: `Prefix.member.N.Field` (or `Prefix.entry.N.key|value` for maps), in N order.
fn indexed(params: &HashMap<String, String>, prefix: &str, field: &str) -> BTreeMap<u32, String> {
    params
        .iter()
        .filter_map(|(k, v)| {
            let rest = k.strip_prefix(prefix)?;
            let (n, f) = rest.split_once('.').map_or((rest, ""), |(n, f)| (n, f));
            (f == field).then(|| n.parse::<u32>().ok().map(|n| (n, v.clone()))).flatten()
        })
        .collect()
}

fn pairs(params: &HashMap<String, String>, prefix: &str, key: &str, value: &str) -> BTreeMap<String, String> {
    let keys = indexed(params, prefix, key);
    let values = indexed(params, prefix, value);
    keys.into_iter().map(|(n, k)| (k, values.get(&n).cloned().unwrap_or_default())).collect()
}

fn tags_of(params: &HashMap<String, String>) -> BTreeMap<String, String> {
    pairs(params, "Tags.member.", "Key", "Value")
}

fn envelope(action: &str, result: &str) -> String {
    // The model wraps every result but SetTopicAttributes' and DeleteTopic's (botocore expects the element).
    let body = match result {
        "" if matches!(action, "SetTopicAttributes" | "DeleteTopic") => String::new(),
        "" => format!("  <{action}Result/>\n"),
        _ => format!("  <{action}Result>\n{result}  </{action}Result>\n"),
    };
    format!(
        "<{action}Response xmlns=\"{XMLNS}\">\n{body}  <ResponseMetadata>\n    <RequestId>{}</RequestId>\n  \
         </ResponseMetadata>\n</{action}Response>\n",
        uuid::Uuid::new_v4()
    )
}

fn entries(map: &BTreeMap<String, String>) -> String {
    map.iter()
        .map(|(k, v)| format!("      <entry><key>{}</key><value>{}</value></entry>\n", xml_escape(k), xml_escape(v)))
        .collect()
}

fn tag_members(tags: &BTreeMap<String, String>) -> String {
    tags.iter()
        .map(|(k, v)| format!("      <member><Key>{}</Key><Value>{}</Value></member>\n", xml_escape(k), xml_escape(v)))
        .collect()
}

impl SnsState {
    fn place(&mut self, account_id: &str, region: &str) -> &mut BTreeMap<String, Topic> {
        self.topics.entry((account_id.to_owned(), region.to_owned())).or_default()
    }

    /// The topic an ARN names in this place, if it is one of this place's.
    fn named<'a>(account_id: &str, region: &str, arn: &'a str) -> Option<&'a str> {
        let prefix = format!("arn:aws:sns:{region}:{account_id}:");
        arn.strip_prefix(&prefix).filter(|n| !n.is_empty() && !n.contains(':'))
    }

    /// Every topic with its attributes and tags, per (account, Region): the control API's snapshot.
    pub fn snapshot(&self) -> BTreeMap<(String, String), Value> {
        self.topics
            .iter()
            .map(|(place, topics)| {
                let all: Vec<Value> = topics
                    .iter()
                    .map(|(name, t)| json!({ "Name": name, "Attributes": t.attributes, "Tags": t.tags }))
                    .collect();
                (place.clone(), json!(all))
            })
            .collect()
    }

    /// Handles one SNS request; returns the XML body.
    pub fn handle(&mut self, account_id: &str, region: &str, body: &[u8]) -> Result<String, ServiceError> {
        let params: HashMap<String, String> = form_urlencoded::parse(body).into_owned().collect();
        let action = params.get("Action").cloned().unwrap_or_default();
        let text = |name: &str| params.get(name).cloned().unwrap_or_default();
        let arn_of = |name: &str| format!("arn:aws:sns:{region}:{account_id}:{name}");
        match action.as_str() {
            "CreateTopic" => {
                let name = text("Name");
                let valid = !name.is_empty()
                    && name.len() <= 256
                    && name
                        .trim_end_matches(".fifo")
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
                if !valid {
                    return Err(invalid(
                        "Invalid parameter: Topic Name: names are 1-256 letters, digits, hyphens and underscores",
                    ));
                }
                let mut attributes = pairs(&params, "Attributes.entry.", "key", "value");
                if let Some(policy) = attributes.get("Policy")
                    && serde_json::from_str::<Value>(policy).is_err()
                {
                    return Err(invalid("Invalid parameter: Policy Error: the policy is not valid JSON"));
                }
                let tags = tags_of(&params);
                let arn = arn_of(&name);
                let topics = self.place(account_id, region);
                if let Some(existing) = topics.get(&name) {
                    let same_attributes = attributes.iter().all(|(k, v)| existing.attributes.get(k) == Some(v));
                    if !same_attributes || (!tags.is_empty() && tags != existing.tags) {
                        return Err(invalid(
                            "Invalid parameter: Attributes Reason: Topic already exists with different attributes",
                        ));
                    }
                } else {
                    attributes.insert("TopicArn".into(), arn.clone());
                    attributes.insert("Owner".into(), account_id.to_owned());
                    attributes.entry("DisplayName".into()).or_default();
                    attributes.insert("SubscriptionsConfirmed".into(), "0".into());
                    attributes.insert("SubscriptionsPending".into(), "0".into());
                    attributes.insert("SubscriptionsDeleted".into(), "0".into());
                    topics.insert(name, Topic { attributes, tags });
                }
                Ok(envelope("CreateTopic", &format!("    <TopicArn>{}</TopicArn>\n", xml_escape(&arn))))
            }
            "GetTopicAttributes" | "SetTopicAttributes" => {
                let arn = text("TopicArn");
                let name = Self::named(account_id, region, &arn).ok_or_else(not_found)?.to_owned();
                let topic = self.place(account_id, region).get_mut(&name).ok_or_else(not_found)?;
                if action == "GetTopicAttributes" {
                    let result = format!("    <Attributes>\n{}    </Attributes>\n", entries(&topic.attributes));
                    return Ok(envelope("GetTopicAttributes", &result));
                }
                let attribute = text("AttributeName");
                const SETTABLE: [&str; 6] =
                    ["Policy", "DisplayName", "DeliveryPolicy", "KmsMasterKeyId", "TracingConfig", "SignatureVersion"];
                if !SETTABLE.contains(&attribute.as_str()) {
                    return Err(invalid(format!("Invalid parameter: AttributeName {attribute:?} cannot be set")));
                }
                topic.attributes.insert(attribute, text("AttributeValue"));
                Ok(envelope("SetTopicAttributes", ""))
            }
            "ListTopics" => {
                let topics = self.place(account_id, region);
                let start: usize = match params.get("NextToken") {
                    Some(token) => token.parse().map_err(|_| invalid("Invalid parameter: NextToken"))?,
                    None => 0,
                };
                let names: Vec<&String> = topics.keys().collect();
                let page: String = names
                    .iter()
                    .skip(start)
                    .take(PAGE)
                    .map(|n| format!("      <member><TopicArn>{}</TopicArn></member>\n", xml_escape(&arn_of(n))))
                    .collect();
                let next = if start + PAGE < names.len() {
                    format!("    <NextToken>{}</NextToken>\n", start + PAGE)
                } else {
                    String::new()
                };
                Ok(envelope("ListTopics", &format!("    <Topics>\n{page}    </Topics>\n{next}")))
            }
            "DeleteTopic" => {
                let arn = text("TopicArn");
                if let Some(name) = Self::named(account_id, region, &arn).map(str::to_owned) {
                    self.place(account_id, region).remove(&name);
                }
                Ok(envelope("DeleteTopic", ""))
            }
            "TagResource" | "UntagResource" | "ListTagsForResource" => {
                let arn = text("ResourceArn");
                let name = Self::named(account_id, region, &arn).ok_or_else(resource_not_found)?.to_owned();
                let topic = self.place(account_id, region).get_mut(&name).ok_or_else(resource_not_found)?;
                match action.as_str() {
                    "TagResource" => {
                        let tags = tags_of(&params);
                        if topic.tags.len() + tags.keys().filter(|k| !topic.tags.contains_key(*k)).count() > 50 {
                            return Err(ServiceError::new(
                                StatusCode::BAD_REQUEST,
                                "TagLimitExceeded",
                                "Could not complete request: tag quota of per resource exceeded",
                            ));
                        }
                        topic.tags.extend(tags);
                        Ok(envelope("TagResource", ""))
                    }
                    "UntagResource" => {
                        for key in indexed(&params, "TagKeys.member.", "").values() {
                            topic.tags.remove(key);
                        }
                        Ok(envelope("UntagResource", ""))
                    }
                    _ => Ok(envelope(
                        "ListTagsForResource",
                        &format!("    <Tags>\n{}    </Tags>\n", tag_members(&topic.tags)),
                    )),
                }
            }
            "" => Err(ServiceError::new(StatusCode::BAD_REQUEST, "MissingAction", "Missing Action")),
            other => Err(ServiceError::new(
                StatusCode::BAD_REQUEST,
                "InvalidAction",
                format!("The action {other} is not valid for this web service (the Pinshift sandbox serves topics)"),
            )),
        }
    }
}
