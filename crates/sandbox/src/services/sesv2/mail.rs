//! SES v2 around the mail itself: email templates and `TestRenderEmailTemplate` (SES's Handlebars: a
//! missing value fails the render, nothing is escaped), contact lists with topics and contacts,
//! suppression at account and tenant scope (and the configuration set's suppression options), identity
//! attributes (mail-from, DKIM signing, default configuration set), tags by ARN, and sending:
//! `SendEmail` / `SendBulkEmail` with `TenantName`, where the mailbox simulator's addresses produce
//! delivery, bounce and complaint events (kept per configuration set, listed by the control API).

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::{RegionState, Where, already_exists, bad, not_found, page};
use crate::model::Call;
use crate::wire::ServiceError;

/// Templates per account and Region (not adjustable).
pub const TEMPLATES_PER_REGION: usize = 20_000;

fn rejected(message: impl Into<String>) -> ServiceError {
    ServiceError::new(axum::http::StatusCode::BAD_REQUEST, "MessageRejected", message)
}

/// The mailbox simulator: what happens to mail sent to an address.
fn simulated(address: &str) -> &'static str {
    match address.split('@').next().unwrap_or_default().split('+').next().unwrap_or_default() {
        _ if !address.ends_with("@simulator.amazonses.com") => "DELIVERY",
        "bounce" => "BOUNCE",
        "complaint" => "COMPLAINT",
        "ooto" => "DELIVERY",
        "suppressionlist" => "SUPPRESSED",
        _ => "DELIVERY",
    }
}

fn tags_of(input: &Value) -> Value {
    input.get("Tags").cloned().unwrap_or_else(|| json!([]))
}

impl RegionState {
    fn template(&self, name: &str) -> Result<&Value, ServiceError> {
        self.templates.get(name).ok_or_else(|| not_found(format!("Template {name} does not exist.")))
    }

    /// Where a suppressed address is kept for `tenant`: the tenant's own list when its scope is TENANT.
    fn suppression_scope(&self, tenant: Option<&str>) -> Option<String> {
        let tenant = tenant?;
        let scope =
            self.tenants.get(tenant)?["SuppressionAttributes"]["SuppressionScope"].as_str().unwrap_or("ACCOUNT");
        (scope == "TENANT").then(|| tenant.to_owned())
    }

    /// Renders a stored template with JSON data, by SES's rules.
    fn render(&self, name: &str, data: &str) -> Result<(String, String, String), ServiceError> {
        let template = self.template(name)?;
        let data: Value =
            serde_json::from_str(data).map_err(|e| bad(format!("TemplateData is not valid JSON: {e}")))?;
        let content = &template["TemplateContent"];
        let part = |key: &str| -> Result<String, ServiceError> {
            content[key]
                .as_str()
                .map(|t| crate::services::render::ses(t, &data).map_err(bad))
                .unwrap_or(Ok(String::new()))
        };
        Ok((part("Subject")?, part("Text")?, part("Html")?))
    }

    /// One message to one destination: checks, suppression, the simulator's event.
    fn deliver(&mut self, place: &Where<'_>, input: &Value, to: &[String], tenant: Option<&str>, message_id: &str) {
        let set = input["ConfigurationSetName"].as_str().map(str::to_owned).or_else(|| {
            let from = input["FromEmailAddress"].as_str().unwrap_or_default();
            let domain = from.rsplit('@').next().unwrap_or_default();
            self.identities
                .get(from)
                .or_else(|| self.identities.get(domain))
                .and_then(|i| i["ConfigurationSetName"].as_str().map(str::to_owned))
        });
        for address in to {
            let scope = self.suppression_scope(tenant);
            let suppressed = self.suppressed.contains_key(&(scope.clone(), address.clone()));
            let outcome = if suppressed { "SUPPRESSED" } else { simulated(address) };
            let event = match outcome {
                "SUPPRESSED" => json!({ "eventType": "Bounce", "bounce": { "bounceType": "Permanent",
                    "bounceSubType": if scope.is_some() { "OnTenantSuppressionList" } else { "OnAccountSuppressionList" } } }),
                "BOUNCE" => {
                    json!({ "eventType": "Bounce", "bounce": { "bounceType": "Permanent", "bounceSubType": "General" } })
                }
                "COMPLAINT" => json!({ "eventType": "Complaint", "complaint": { "complaintFeedbackType": "abuse" } }),
                _ => json!({ "eventType": "Delivery" }),
            };
            let mut event = event;
            event["mail"] = json!({ "messageId": message_id, "destination": [address], "timestamp": place.epoch,
                                    "source": input["FromEmailAddress"], "tenantName": tenant });
            event["configurationSet"] = json!(set);
            self.events.push(event);
            // Real recipients that bounce or complain join the account's (or tenant's) list; simulator
            // addresses never do, as SES documents.
            let reason = match outcome {
                "BOUNCE" => Some("BOUNCE"),
                "COMPLAINT" => Some("COMPLAINT"),
                _ => None,
            };
            if let Some(reason) = reason
                && !address.ends_with("@simulator.amazonses.com")
            {
                self.suppressed.insert(
                    (scope, address.clone()),
                    json!({ "EmailAddress": address, "Reason": reason, "LastUpdateTime": place.epoch }),
                );
            }
        }
    }

    /// Checks a send's sender, configuration set and tenant before anything is delivered.
    fn check_send(&self, place: &Where<'_>, input: &Value) -> Result<Option<String>, ServiceError> {
        let from = input["FromEmailAddress"].as_str().unwrap_or_default();
        let domain = from.rsplit('@').next().unwrap_or_default();
        let identity = [from, domain]
            .into_iter()
            .find(|i| self.identities.get(*i).is_some_and(|r| r["VerifiedForSendingStatus"] == true));
        let Some(identity) = identity else {
            return Err(rejected(format!(
                "Email address is not verified. The following identities failed the check in region {}: {from}",
                place.region.to_uppercase()
            )));
        };
        if self.in_sandbox {
            // In the SES sandbox every recipient must be a verified identity (or the mailbox simulator).
            let entries = input["BulkEmailEntries"].as_array().into_iter().flatten().map(|e| &e["Destination"]);
            let unverified = std::iter::once(&input["Destination"])
                .chain(entries)
                .flat_map(|d| ["ToAddresses", "CcAddresses", "BccAddresses"].map(|k| &d[k]))
                .filter_map(Value::as_array)
                .flatten()
                .filter_map(Value::as_str)
                .find(|to| {
                    !to.ends_with("@simulator.amazonses.com")
                        && !self.identities.get(*to).is_some_and(|r| r["VerifiedForSendingStatus"] == true)
                });
            if let Some(to) = unverified {
                return Err(rejected(format!(
                    "Email address is not verified. The following identities failed the check in region {}: {to}",
                    place.region.to_uppercase()
                )));
            }
        }
        if let Some(set) = input["ConfigurationSetName"].as_str()
            && !self.configuration_sets.contains_key(set)
        {
            return Err(not_found(format!("Configuration set <{set}> does not exist.")));
        }
        let Some(tenant) = input["TenantName"].as_str() else { return Ok(None) };
        let record = self.tenants.get(tenant).ok_or_else(|| not_found(format!("Tenant {tenant} does not exist.")))?;
        if record["SendingStatus"] == "DISABLED" {
            return Err(ServiceError::new(
                axum::http::StatusCode::BAD_REQUEST,
                "SendingPausedException",
                format!("Sending is disabled for tenant {tenant}."),
            ));
        }
        let arn = |kind: &str, name: &str| format!("arn:aws:ses:{}:{}:{kind}/{name}", place.region, place.account_id);
        let mut needed = vec![arn("identity", identity)];
        if let Some(set) = input["ConfigurationSetName"].as_str() {
            needed.push(arn("configuration-set", set));
        }
        if let Some(template) = input["Content"]["Template"]["TemplateName"]
            .as_str()
            .or(input["DefaultContent"]["Template"]["TemplateName"].as_str())
        {
            needed.push(arn("template", template));
        }
        for resource in needed {
            if !self.associated(tenant, &resource) {
                return Err(rejected(format!("{resource} is not associated with tenant {tenant}.")));
            }
        }
        Ok(Some(tenant.to_owned()))
    }

    /// A bulk import from S3 (CSV with a header, or JSON lines) into the account's suppression list or a
    /// contact list. It has no TenantName: per-tenant suppression has no bulk path, as on AWS.
    fn import(
        &mut self,
        place: &Where<'_>,
        input: &Value,
        s3: &crate::services::s3::S3State,
    ) -> Result<Value, ServiceError> {
        let url = input["ImportDataSource"]["S3Url"].as_str().unwrap_or_default();
        let format = input["ImportDataSource"]["DataFormat"].as_str().unwrap_or("CSV");
        let destination = &input["ImportDestination"];
        let id = uuid::Uuid::new_v4().to_string();
        let mut job = json!({
            "JobId": id, "ImportDataSource": input["ImportDataSource"], "ImportDestination": destination,
            "CreatedTimestamp": place.epoch, "JobStatus": "CREATED",
        });
        let rest = url.strip_prefix("s3://").ok_or_else(|| bad(format!("S3Url {url:?} is not an s3:// location")))?;
        let (bucket, key) = rest.split_once('/').unwrap_or((rest, ""));
        let data = s3.buckets.get(bucket).and_then(|b| b.objects.get(key)).map(|o| o.data.clone());
        let rows: Result<Vec<serde_json::Map<String, Value>>, String> = match data {
            None => Err(format!("The object {url} does not exist")),
            Some(data) if format == "JSON" => String::from_utf8_lossy(&data)
                .lines()
                .filter(|l| !l.trim().is_empty())
                .map(|l| serde_json::from_str::<serde_json::Map<String, Value>>(l).map_err(|e| e.to_string()))
                .collect(),
            Some(data) => {
                let mut reader = csv::Reader::from_reader(data.as_ref());
                let headers = reader.headers().cloned().map_err(|e| e.to_string());
                headers.and_then(|headers| {
                    reader
                        .records()
                        .map(|row| {
                            row.map(|row| {
                                headers.iter().zip(row.iter()).map(|(h, v)| (h.to_owned(), json!(v))).collect()
                            })
                            .map_err(|e| e.to_string())
                        })
                        .collect()
                })
            }
        };
        let (mut processed, mut failed) = (0u64, 0u64);
        match rows {
            Err(message) => {
                job["JobStatus"] = json!("FAILED");
                job["FailureInfo"] = json!({ "ErrorMessage": message });
            }
            Ok(rows) => {
                let suppression = destination["SuppressionListDestination"]["SuppressionListImportAction"].as_str();
                let contacts = destination["ContactListDestination"]["ContactListName"].as_str();
                for row in rows {
                    let address = row
                        .get("EMAIL")
                        .or_else(|| row.get("emailAddress"))
                        .or_else(|| row.get("EmailAddress"))
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_owned();
                    if !address.contains('@') {
                        failed += 1;
                        continue;
                    }
                    match (suppression, contacts) {
                        (Some("DELETE"), _) => {
                            self.suppressed.remove(&(None, address));
                        }
                        (Some(_), _) => {
                            let reason = row
                                .get("REASON")
                                .or_else(|| row.get("reason"))
                                .and_then(Value::as_str)
                                .unwrap_or("BOUNCE")
                                .to_uppercase();
                            if reason != "BOUNCE" && reason != "COMPLAINT" {
                                failed += 1;
                                continue;
                            }
                            self.suppressed.insert(
                                (None, address.clone()),
                                json!({ "EmailAddress": address, "Reason": reason, "LastUpdateTime": place.epoch }),
                            );
                        }
                        (None, Some(list)) => {
                            let Some((_, contacts)) = self.contact_lists.get_mut(list) else {
                                failed += 1;
                                continue;
                            };
                            contacts.entry(address.clone()).or_insert_with(|| json!({ "EmailAddress": address, "TopicPreferences": [], "UnsubscribeAll": false, "LastUpdatedTimestamp": place.epoch, "TopicDefaultPreferences": [] }));
                        }
                        (None, None) => failed += 1,
                    }
                    processed += 1;
                }
                job["JobStatus"] = json!("COMPLETED");
                job["CompletedTimestamp"] = json!(place.epoch);
            }
        }
        job["ProcessedRecordsCount"] = json!(processed);
        job["FailedRecordsCount"] = json!(failed);
        self.import_jobs.insert(id.clone(), job);
        Ok(json!({ "JobId": id }))
    }

    pub fn handle_import(
        &mut self,
        place: &Where<'_>,
        call: &Call,
        s3: &crate::services::s3::S3State,
    ) -> Option<Result<Value, ServiceError>> {
        let input = &call.input;
        Some(match call.operation.as_str() {
            "CreateImportJob" => self.import(place, input, s3),
            "GetImportJob" => {
                let id = input["JobId"].as_str().unwrap_or_default();
                self.import_jobs.get(id).cloned().ok_or_else(|| not_found(format!("Import job {id} does not exist.")))
            }
            "ListImportJobs" => {
                let kind = input["ImportDestinationType"].as_str();
                let items = self
                    .import_jobs
                    .values()
                    .filter(|j| match kind {
                        Some("SUPPRESSION_LIST") => j["ImportDestination"].get("SuppressionListDestination").is_some(),
                        Some("CONTACT_LIST") => j["ImportDestination"].get("ContactListDestination").is_some(),
                        _ => true,
                    })
                    .map(|j| json!({ "JobId": j["JobId"], "ImportDestination": j["ImportDestination"], "JobStatus": j["JobStatus"],
                                     "CreatedTimestamp": j["CreatedTimestamp"], "ProcessedRecordsCount": j["ProcessedRecordsCount"],
                                     "FailedRecordsCount": j["FailedRecordsCount"] }))
                    .collect();
                page(items, input, "ImportJobs")
            }
            _ => return None,
        })
    }

    pub fn handle_mail(&mut self, place: &Where<'_>, call: &Call) -> Option<Result<Value, ServiceError>> {
        let input = &call.input;
        let text = |member: &str| input[member].as_str().unwrap_or_default().to_owned();
        Some(match call.operation.as_str() {
            "CreateEmailTemplate" => (|| {
                let name = text("TemplateName");
                if self.templates.contains_key(&name) {
                    return Err(already_exists(format!("Template {name} already exists.")));
                }
                if self.templates.len() >= TEMPLATES_PER_REGION {
                    return Err(ServiceError::new(axum::http::StatusCode::BAD_REQUEST, "LimitExceededException", "Template limit exceeded."));
                }
                let content = &input["TemplateContent"];
                if content["Subject"].as_str().is_none() || (content["Text"].as_str().is_none() && content["Html"].as_str().is_none()) {
                    return Err(bad("TemplateContent needs a Subject and a Text or Html part"));
                }
                self.templates.insert(name.clone(), json!({
                    "TemplateName": name, "TemplateContent": content, "Tags": tags_of(input), "CreatedTimestamp": place.epoch,
                }));
                Ok(json!({}))
            })(),
            "GetEmailTemplate" => self.template(&text("TemplateName")).map(|t| {
                json!({ "TemplateName": t["TemplateName"], "TemplateContent": t["TemplateContent"], "Tags": t["Tags"] })
            }),
            "UpdateEmailTemplate" => {
                let name = text("TemplateName");
                match self.templates.get_mut(&name) {
                    Some(t) => {
                        t["TemplateContent"] = input["TemplateContent"].clone();
                        Ok(json!({}))
                    }
                    None => Err(not_found(format!("Template {name} does not exist."))),
                }
            }
            "DeleteEmailTemplate" => {
                let name = text("TemplateName");
                let arn = format!("arn:aws:ses:{}:{}:template/{name}", place.region, place.account_id);
                self.associations.retain(|(_, a), _| *a != arn);
                self.templates.remove(&name).map(|_| json!({})).ok_or_else(|| not_found(format!("Template {name} does not exist.")))
            }
            "ListEmailTemplates" => {
                let items = self.templates.values().map(|t| json!({ "TemplateName": t["TemplateName"], "CreatedTimestamp": t["CreatedTimestamp"] })).collect();
                page(items, input, "TemplatesMetadata")
            }
            "TestRenderEmailTemplate" => (|| {
                let data = text("TemplateData");
                if data.len() > 262_144 {
                    return Err(bad("TemplateData is longer than 262,144 characters"));
                }
                let (subject, text_part, html) = self.render(&text("TemplateName"), &data)?;
                let boundary = "----=_Part_sandbox";
                let mut mime = format!("Subject: {subject}\r\nMIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=\"{boundary}\"\r\n\r\n");
                if !text_part.is_empty() {
                    mime.push_str(&format!("--{boundary}\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 7bit\r\n\r\n{text_part}\r\n"));
                }
                if !html.is_empty() {
                    mime.push_str(&format!("--{boundary}\r\nContent-Type: text/html; charset=UTF-8\r\nContent-Transfer-Encoding: 7bit\r\n\r\n{html}\r\n"));
                }
                mime.push_str(&format!("--{boundary}--\r\n"));
                Ok(json!({ "RenderedTemplate": mime }))
            })(),
            "PutSuppressedDestination" => (|| {
                let tenant = input["TenantName"].as_str();
                if let Some(t) = tenant
                    && !self.tenants.contains_key(t)
                {
                    return Err(not_found(format!("Tenant {t} does not exist.")));
                }
                let address = text("EmailAddress");
                if !address.contains('@') {
                    return Err(bad(format!("{address:?} is not an email address")));
                }
                self.suppressed.insert(
                    (tenant.map(str::to_owned), address.clone()),
                    json!({ "EmailAddress": address, "Reason": input["Reason"], "LastUpdateTime": place.epoch }),
                );
                Ok(json!({}))
            })(),
            "GetSuppressedDestination" => {
                let tenant = input["TenantName"].as_str().map(str::to_owned);
                let address = text("EmailAddress");
                match self.suppressed.get(&(tenant.clone(), address.clone())) {
                    Some(found) => {
                        let mut found = found.clone();
                        if let Some(t) = tenant {
                            found["TenantName"] = json!(t);
                        }
                        Ok(json!({ "SuppressedDestination": found }))
                    }
                    None => Err(not_found(format!("Email address {address} does not exist on your suppression list."))),
                }
            }
            "DeleteSuppressedDestination" => {
                let key = (input["TenantName"].as_str().map(str::to_owned), text("EmailAddress"));
                self.suppressed
                    .remove(&key)
                    .map(|_| json!({}))
                    .ok_or_else(|| not_found(format!("Email address {} does not exist on your suppression list.", key.1)))
            }
            "ListSuppressedDestinations" => (|| {
                let tenant = input["TenantName"].as_str().map(str::to_owned);
                if let Some(t) = &tenant
                    && !self.tenants.contains_key(t)
                {
                    return Err(not_found(format!("Tenant {t} does not exist.")));
                }
                let reasons: Vec<&str> = input["Reasons"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
                let items = self
                    .suppressed
                    .iter()
                    .filter(|((t, _), _)| *t == tenant)
                    .filter(|(_, v)| reasons.is_empty() || reasons.iter().any(|r| v["Reason"] == *r))
                    .map(|(_, v)| v.clone())
                    .collect();
                page(items, input, "SuppressedDestinationSummaries")
            })(),
            "PutConfigurationSetSuppressionOptions" => {
                let name = text("ConfigurationSetName");
                match self.configuration_sets.get_mut(&name) {
                    Some((settings, _)) => {
                        let mut options = json!({});
                        for member in ["SuppressedReasons", "SuppressionScope", "ValidationOptions"] {
                            if let Some(v) = input.get(member) {
                                options[member] = v.clone();
                            }
                        }
                        settings["SuppressionOptions"] = options;
                        Ok(json!({}))
                    }
                    None => Err(not_found(format!("Configuration set <{name}> does not exist."))),
                }
            }
            "PutEmailIdentityMailFromAttributes" | "PutEmailIdentityDkimSigningAttributes" | "PutEmailIdentityConfigurationSetAttributes" => {
                let name = text("EmailIdentity");
                let exists = self.configuration_sets.contains_key(input["ConfigurationSetName"].as_str().unwrap_or_default());
                let Some(identity) = self.identities.get_mut(&name) else {
                    return Some(Err(not_found(format!("Email identity {name} does not exist."))));
                };
                match call.operation.as_str() {
                    "PutEmailIdentityMailFromAttributes" => {
                        identity["MailFromAttributes"] = json!({
                            "MailFromDomain": input["MailFromDomain"],
                            "MailFromDomainStatus": if input["MailFromDomain"].is_string() { "PENDING" } else { "SUCCESS" },
                            "BehaviorOnMxFailure": input["BehaviorOnMxFailure"].as_str().unwrap_or("USE_DEFAULT_VALUE"),
                        });
                        Ok(json!({}))
                    }
                    "PutEmailIdentityConfigurationSetAttributes" => match input["ConfigurationSetName"].as_str() {
                        Some(set) if !exists => Err(not_found(format!("Configuration set <{set}> does not exist."))),
                        Some(set) => {
                            identity["ConfigurationSetName"] = json!(set);
                            Ok(json!({}))
                        }
                        None => {
                            if let Some(object) = identity.as_object_mut() {
                                object.remove("ConfigurationSetName");
                            }
                            Ok(json!({}))
                        }
                    },
                    _ => {
                        let origin = text("SigningAttributesOrigin");
                        identity["DkimAttributes"]["SigningAttributesOrigin"] = json!(origin);
                        if origin == "EXTERNAL" {
                            identity["DkimAttributes"]["Tokens"] = json!([]);
                            identity["DkimAttributes"]["Status"] = json!("PENDING");
                        }
                        Ok(json!({ "DkimStatus": identity["DkimAttributes"]["Status"], "DkimTokens": identity["DkimAttributes"]["Tokens"] }))
                    }
                }
            }
            "CreateContactList" => (|| {
                let name = text("ContactListName");
                if self.contact_lists.contains_key(&name) {
                    return Err(already_exists(format!("List with name {name} already exists.")));
                }
                if !self.contact_lists.is_empty() {
                    return Err(ServiceError::new(axum::http::StatusCode::BAD_REQUEST, "LimitExceededException", "An account can have one contact list per Region."));
                }
                let mut list = json!({ "ContactListName": name, "Topics": input.get("Topics").cloned().unwrap_or_else(|| json!([])),
                    "Tags": tags_of(input), "CreatedTimestamp": place.epoch, "LastUpdatedTimestamp": place.epoch });
                if let Some(d) = input.get("Description") {
                    list["Description"] = d.clone();
                }
                self.contact_lists.insert(name, (list, BTreeMap::new()));
                Ok(json!({}))
            })(),
            "GetContactList" => {
                let name = text("ContactListName");
                self.contact_lists.get(&name).map(|(l, _)| l.clone()).ok_or_else(|| not_found(format!("List with name {name} does not exist.")))
            }
            "ListContactLists" => {
                let items = self.contact_lists.values().map(|(l, _)| json!({ "ContactListName": l["ContactListName"], "LastUpdatedTimestamp": l["LastUpdatedTimestamp"] })).collect();
                page(items, input, "ContactLists")
            }
            "DeleteContactList" => {
                let name = text("ContactListName");
                self.contact_lists.remove(&name).map(|_| json!({})).ok_or_else(|| not_found(format!("List with name {name} does not exist.")))
            }
            "CreateContact" => (|| {
                let name = text("ContactListName");
                let (list, contacts) = self.contact_lists.get_mut(&name).ok_or_else(|| not_found(format!("List with name {name} does not exist.")))?;
                let address = text("EmailAddress");
                if contacts.contains_key(&address) {
                    return Err(already_exists(format!("Contact already exists in list {name}.")));
                }
                let topics: Vec<String> = list["Topics"].as_array().into_iter().flatten().filter_map(|t| t["TopicName"].as_str().map(str::to_owned)).collect();
                for preference in input["TopicPreferences"].as_array().into_iter().flatten() {
                    let topic = preference["TopicName"].as_str().unwrap_or_default();
                    if !topics.iter().any(|t| t == topic) {
                        return Err(bad(format!("Topic {topic} does not exist in list {name}.")));
                    }
                }
                let mut contact = json!({ "EmailAddress": address, "TopicPreferences": input.get("TopicPreferences").cloned().unwrap_or_else(|| json!([])),
                    "UnsubscribeAll": input["UnsubscribeAll"].as_bool().unwrap_or(false), "LastUpdatedTimestamp": place.epoch,
                    "TopicDefaultPreferences": list["Topics"].as_array().into_iter().flatten().map(|t| json!({ "TopicName": t["TopicName"], "SubscriptionStatus": t["DefaultSubscriptionStatus"] })).collect::<Vec<_>>() });
                if let Some(data) = input.get("AttributesData") {
                    contact["AttributesData"] = data.clone();
                }
                contacts.insert(address, contact);
                Ok(json!({}))
            })(),
            "GetContact" => {
                let name = text("ContactListName");
                let address = text("EmailAddress");
                match self.contact_lists.get(&name).and_then(|(_, c)| c.get(&address)) {
                    Some(contact) => {
                        let mut contact = contact.clone();
                        contact["ContactListName"] = json!(name);
                        contact["CreatedTimestamp"] = contact["LastUpdatedTimestamp"].clone();
                        Ok(contact)
                    }
                    None => Err(not_found(format!("Contact {address} does not exist in list {name}."))),
                }
            }
            "ListContacts" => {
                let name = text("ContactListName");
                match self.contact_lists.get(&name) {
                    Some((_, contacts)) => {
                        let items = contacts.values().map(|c| {
                            let mut c = c.clone();
                            if let Some(object) = c.as_object_mut() {
                                object.remove("AttributesData");
                            }
                            c
                        }).collect();
                        page(items, input, "Contacts")
                    }
                    None => Err(not_found(format!("List with name {name} does not exist."))),
                }
            }
            "SendEmail" => (|| {
                let tenant = self.check_send(place, input)?;
                let destination = &input["Destination"];
                let to: Vec<String> = ["ToAddresses", "CcAddresses", "BccAddresses"]
                    .iter()
                    .flat_map(|k| destination[*k].as_array().cloned().unwrap_or_default())
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect();
                if to.is_empty() {
                    return Err(bad("Destination needs at least one address"));
                }
                if let Some(template) = input["Content"]["Template"].as_object() {
                    let name = template.get("TemplateName").and_then(Value::as_str).unwrap_or_default();
                    let data = template.get("TemplateData").and_then(Value::as_str).unwrap_or("{}");
                    if let Err(error) = self.render(name, data) {
                        if error.code == "NotFoundException" {
                            return Err(error);
                        }
                        // SES accepts the message and reports a rendering failure as an event.
                        let id = message_id();
                        self.events.push(json!({ "eventType": "Rendering Failure", "mail": { "messageId": id, "tenantName": tenant },
                            "failure": { "templateName": name, "errorMessage": error.message } }));
                        return Ok(json!({ "MessageId": id }));
                    }
                }
                let id = message_id();
                self.deliver(place, input, &to, tenant.as_deref(), &id);
                Ok(json!({ "MessageId": id }))
            })(),
            "SendBulkEmail" => (|| {
                let tenant = self.check_send(place, input)?;
                let template = &input["DefaultContent"]["Template"];
                let name = template["TemplateName"].as_str().unwrap_or_default().to_owned();
                if !self.templates.contains_key(&name) {
                    return Err(not_found(format!("Template {name} does not exist.")));
                }
                let mut results = Vec::new();
                for entry in input["BulkEmailEntries"].as_array().into_iter().flatten() {
                    let data = entry["ReplacementEmailContent"]["ReplacementTemplate"]["ReplacementTemplateData"]
                        .as_str()
                        .or(template["TemplateData"].as_str())
                        .unwrap_or("{}");
                    let to: Vec<String> = entry["Destination"]["ToAddresses"].as_array().into_iter().flatten().filter_map(|v| v.as_str().map(str::to_owned)).collect();
                    let id = message_id();
                    match self.render(&name, data) {
                        Ok(_) => {
                            self.deliver(place, input, &to, tenant.as_deref(), &id);
                            results.push(json!({ "Status": "SUCCESS", "MessageId": id }));
                        }
                        Err(error) => results.push(json!({ "Status": "MESSAGE_REJECTED", "Error": error.message })),
                    }
                }
                Ok(json!({ "BulkEmailEntryResults": results }))
            })(),
            "TagResource" | "UntagResource" | "ListTagsForResource" => (|| {
                let arn = text("ResourceArn");
                let record = self.tagged_mut(place, &arn).ok_or_else(|| not_found(format!("Resource {arn} does not exist.")))?;
                let mut tags: Vec<Value> = record["Tags"].as_array().cloned().unwrap_or_default();
                match call.operation.as_str() {
                    "TagResource" => {
                        for tag in input["Tags"].as_array().into_iter().flatten() {
                            tags.retain(|t| t["Key"] != tag["Key"]);
                            tags.push(tag.clone());
                        }
                    }
                    "UntagResource" => {
                        let keys: Vec<&Value> = input["TagKeys"].as_array().into_iter().flatten().collect();
                        tags.retain(|t| !keys.contains(&&t["Key"]));
                    }
                    _ => return Ok(json!({ "Tags": tags })),
                }
                record["Tags"] = json!(tags);
                Ok(json!({}))
            })(),
            _ => return None,
        })
    }

    /// The record (holding `Tags`) of an SES resource by ARN.
    fn tagged_mut(&mut self, place: &Where<'_>, arn: &str) -> Option<&mut Value> {
        let prefix = format!("arn:aws:ses:{}:{}:", place.region, place.account_id);
        let (kind, name) = arn.strip_prefix(&prefix)?.split_once('/')?;
        match kind {
            "identity" => self.identities.get_mut(name),
            "configuration-set" => self.configuration_sets.get_mut(name).map(|(s, _)| s),
            "template" => self.templates.get_mut(name),
            "contact-list" => self.contact_lists.get_mut(name).map(|(l, _)| l),
            "tenant" => {
                let tenant = name.split('/').next().unwrap_or_default();
                self.tenants.get_mut(tenant)
            }
            _ => None,
        }
    }
}

fn message_id() -> String {
    format!("0100{}-{}-000000", uuid::Uuid::new_v4().simple(), uuid::Uuid::new_v4().simple())
}
