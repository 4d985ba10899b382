//! AWS service models (botocore's `service-2.json`) as the sandbox's routing table and input parser for
//! REST-JSON services: the HTTP method and URI template pick the operation; each input member is read from
//! the path, query string, a header or the JSON body exactly where the model places it. Handlers then
//! work on plain JSON named as the model names it.

use std::collections::HashMap;
use std::sync::OnceLock;

use axum::http::{HeaderMap, Method, StatusCode};
use serde_json::{Map, Value};

use crate::wire::ServiceError;

/// One service model, with its operations compiled into routes.
#[derive(Debug)]
pub struct ServiceModel {
    pub raw: Value,
    routes: Vec<Route>,
    /// JSON protocols write timestamps without an explicit format as epoch seconds; XML and query ones
    /// as ISO 8601 strings.
    epoch_timestamps: bool,
}

#[derive(Debug)]
struct Route {
    method: Method,
    segments: Vec<Segment>,
    operation: String,
    literal_count: usize,
    /// An older form of the operation that official SDKs still send: body members travel in the query
    /// string under their member names.
    members_in_query: bool,
}

fn compile(uri: &str) -> Vec<Segment> {
    uri.split('?')
        .next()
        .unwrap_or("")
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| match s.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(label) => Segment::Label(label.trim_end_matches('+').to_owned()),
            None => Segment::Literal(s.to_owned()),
        })
        .collect()
}

#[derive(Debug)]
enum Segment {
    Literal(String),
    Label(String),
}

/// A request matched to an operation and parsed into the operation's input shape.
#[derive(Debug)]
pub struct Call {
    pub operation: String,
    /// The input as JSON, keyed by the model's member names.
    pub input: Value,
    /// The HTTP status the operation answers on success.
    pub status: StatusCode,
}

impl ServiceModel {
    pub fn parse(json: &str) -> Result<ServiceModel, serde_json::Error> {
        let raw: Value = serde_json::from_str(json)?;
        let mut routes = Vec::new();
        if let Some(operations) = raw["operations"].as_object() {
            for (name, op) in operations {
                let (Some(method), Some(uri)) = (op["http"]["method"].as_str(), op["http"]["requestUri"].as_str())
                else {
                    continue;
                };
                let Ok(method) = method.parse::<Method>() else { continue };
                let segments = compile(uri);
                let literal_count = segments.iter().filter(|s| matches!(s, Segment::Literal(_))).count();
                routes.push(Route {
                    method,
                    segments,
                    operation: name.clone(),
                    literal_count,
                    members_in_query: false,
                });
            }
        }
        // Most specific first: a literal beats a label at the same position.
        routes.sort_by(|a, b| b.literal_count.cmp(&a.literal_count).then_with(|| a.operation.cmp(&b.operation)));
        let epoch_timestamps = matches!(raw["metadata"]["protocol"].as_str(), Some("rest-json" | "json"));
        Ok(ServiceModel { raw, routes, epoch_timestamps })
    }

    /// Also accepts `operation` at `method` + `uri` with its body members in the query string (for SDKs
    /// generated from an older revision of the model).
    pub fn with_alias(mut self, operation: &str, method: Method, uri: &str) -> Self {
        let segments = compile(uri);
        let literal_count = segments.iter().filter(|s| matches!(s, Segment::Literal(_))).count();
        self.routes.push(Route {
            method,
            segments,
            operation: operation.to_owned(),
            literal_count,
            members_in_query: true,
        });
        self.routes.sort_by(|a, b| b.literal_count.cmp(&a.literal_count).then_with(|| a.operation.cmp(&b.operation)));
        self
    }

    pub fn shape(&self, name: &str) -> &Value {
        &self.raw["shapes"][name]
    }

    pub fn operation(&self, name: &str) -> &Value {
        &self.raw["operations"][name]
    }

    /// [`ServiceModel::parse_call`] for a request's parts.
    pub fn parse_request(&self, parts: &axum::http::request::Parts, body: &[u8]) -> Result<Call, ServiceError> {
        self.parse_call(&parts.method, parts.uri.path(), parts.uri.query(), &parts.headers, body)
    }

    /// Keeps only the members `shape` declares, so a response carries exactly its shape's members.
    pub fn project(&self, mut value: Value, shape: &str) -> Value {
        if let (Some(object), Some(members)) = (value.as_object_mut(), self.shape(shape)["members"].as_object()) {
            object.retain(|key, _| members.contains_key(key));
        }
        value
    }

    /// Finds the operation for `method` + `path` and parses the request into its input shape.
    pub fn parse_call(
        &self,
        method: &Method,
        path: &str,
        query: Option<&str>,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Result<Call, ServiceError> {
        let parts: Vec<String> = path
            .split('/')
            .filter(|s| !s.is_empty())
            .map(|s| percent_encoding::percent_decode_str(s).decode_utf8_lossy().into_owned())
            .collect();
        let mut path_allowed = false;
        let mut matched = None;
        for route in &self.routes {
            if route.segments.len() != parts.len() {
                continue;
            }
            let mut labels = HashMap::new();
            let fits = route.segments.iter().zip(&parts).all(|(segment, part)| match segment {
                Segment::Literal(literal) => literal == part,
                Segment::Label(label) => {
                    labels.insert(label.as_str(), part.as_str());
                    true
                }
            });
            if !fits {
                continue;
            }
            path_allowed = true;
            if route.method == *method {
                matched = Some((route, labels));
                break;
            }
        }
        let Some((route, labels)) = matched else {
            return Err(if path_allowed {
                ServiceError::new(StatusCode::METHOD_NOT_ALLOWED, "MethodNotAllowedException", "Method not allowed")
            } else {
                ServiceError::new(StatusCode::NOT_FOUND, "NotFoundException", "Resource not found")
            });
        };

        let op = self.operation(&route.operation);
        let status = op["http"]["responseCode"]
            .as_u64()
            .and_then(|code| StatusCode::from_u16(code as u16).ok())
            .unwrap_or(StatusCode::OK);
        let mut input = Map::new();
        let query: Vec<(String, String)> =
            query.map(|q| form_urlencoded::parse(q.as_bytes()).into_owned().collect()).unwrap_or_default();
        if let Some(input_shape) = op["input"]["shape"].as_str() {
            let shape = self.shape(input_shape);
            let payload = shape["payload"].as_str();
            let body_json: Option<Value> = if body.is_empty() {
                None
            } else {
                Some(
                    serde_json::from_slice(body)
                        .map_err(|e| bad_request(format!("The request body is not valid JSON: {e}")))?,
                )
            };
            let members = shape["members"].as_object().cloned().unwrap_or_default();
            for (member, spec) in &members {
                let location_name = spec["locationName"].as_str().unwrap_or(member);
                let value = match spec["location"].as_str() {
                    Some("uri") => labels.get(location_name).map(|v| Value::String((*v).to_owned())),
                    Some("querystring") => {
                        let values: Vec<Value> = query
                            .iter()
                            .filter(|(k, _)| k == location_name)
                            .map(|(_, v)| Value::String(v.clone()))
                            .collect();
                        let is_list = self.shape(spec["shape"].as_str().unwrap_or(""))["type"] == "list";
                        match (values.len(), is_list) {
                            (0, _) => None,
                            (_, true) => Some(Value::Array(values)),
                            _ => values.into_iter().next(),
                        }
                    }
                    Some("header") => {
                        headers.get(location_name).and_then(|v| v.to_str().ok()).map(|v| Value::String(v.to_owned()))
                    }
                    _ if route.members_in_query => query.iter().find(|(k, _)| k == member).map(|(_, v)| {
                        match self.shape(spec["shape"].as_str().unwrap_or(""))["type"].as_str() {
                            Some("integer" | "long") => {
                                v.parse::<i64>().map(Value::from).unwrap_or_else(|_| Value::String(v.clone()))
                            }
                            Some("boolean") => Value::Bool(v == "true"),
                            _ => Value::String(v.clone()),
                        }
                    }),
                    _ if payload == Some(member.as_str()) => body_json.clone(),
                    _ => body_json.as_ref().and_then(|b| b.get(location_name)).cloned(),
                };
                if let Some(value) = value {
                    input.insert(member.clone(), value);
                }
            }
            if let Some(required) = shape["required"].as_array() {
                for name in required.iter().filter_map(Value::as_str) {
                    if !input.contains_key(name) {
                        return Err(bad_request(format!("Missing required parameter {name}")));
                    }
                }
            }
            if let Some(payload) = payload {
                self.check_required(&input[payload], self.shape_name(&members, payload), payload)?;
            }
        }
        Ok(Call { operation: route.operation.clone(), input: Value::Object(input), status })
    }

    fn shape_name<'a>(&self, members: &'a Map<String, Value>, member: &str) -> &'a str {
        members.get(member).and_then(|m| m["shape"].as_str()).unwrap_or("")
    }

    /// AWS validates required members of the payload structure too (one level deep here: the messages
    /// name the field like AWS's "Missing required field X").
    fn check_required(&self, value: &Value, shape: &str, path: &str) -> Result<(), ServiceError> {
        let shape = self.shape(shape);
        if shape["type"] != "structure" {
            return Ok(());
        }
        let Some(object) = value.as_object() else {
            return Err(bad_request(format!("{path} must be a JSON object")));
        };
        for name in shape["required"].as_array().into_iter().flatten().filter_map(Value::as_str) {
            if object.get(name).is_none_or(Value::is_null) {
                return Err(bad_request(format!("Missing required field {path}.{name}")));
            }
        }
        Ok(())
    }
}

pub fn bad_request(message: impl Into<String>) -> ServiceError {
    ServiceError::new(StatusCode::BAD_REQUEST, "BadRequestException", message)
}

pub fn not_found(message: impl Into<String>) -> ServiceError {
    ServiceError::new(StatusCode::NOT_FOUND, "NotFoundException", message)
}

impl ServiceModel {
    /// Checks `value` (an operation's output payload) against the model: every member known, of the
    /// declared JSON type, required members present. Returns the problems found, each with its path.
    pub fn check_output(&self, operation: &str, value: &Value) -> Vec<String> {
        let mut problems = Vec::new();
        let op = self.operation(operation);
        let Some(output) = op["output"]["shape"].as_str() else { return problems };
        let output_shape = self.shape(output);
        match output_shape["payload"].as_str() {
            Some(payload) => {
                let shape = output_shape["members"][payload]["shape"].as_str().unwrap_or("");
                self.check(value, shape, payload, &mut problems);
            }
            None => self.check(value, output, output, &mut problems),
        }
        problems
    }

    /// Checks any JSON value against a named shape (estate files use the request shapes).
    pub fn check_shape(&self, value: &Value, shape_name: &str, path: &str) -> Vec<String> {
        let mut problems = Vec::new();
        self.check(value, shape_name, path, &mut problems);
        problems
    }

    fn check(&self, value: &Value, shape_name: &str, path: &str, problems: &mut Vec<String>) {
        let shape = self.shape(shape_name);
        let ok = match shape["type"].as_str().unwrap_or("") {
            "structure" => {
                let Some(object) = value.as_object() else {
                    problems.push(format!("{path}: expected an object, got {value}"));
                    return;
                };
                let members = shape["members"].as_object().cloned().unwrap_or_default();
                let by_wire_name: HashMap<&str, &Value> =
                    members.iter().map(|(name, m)| (m["locationName"].as_str().unwrap_or(name), m)).collect();
                for (key, item) in object {
                    match by_wire_name.get(key.as_str()) {
                        Some(member) => {
                            self.check(item, member["shape"].as_str().unwrap_or(""), &format!("{path}.{key}"), problems)
                        }
                        None => problems.push(format!("{path}.{key}: not a member of {shape_name}")),
                    }
                }
                for required in shape["required"].as_array().into_iter().flatten().filter_map(Value::as_str) {
                    let wire = members[required]["locationName"].as_str().unwrap_or(required);
                    if !object.contains_key(wire) {
                        problems.push(format!("{path}.{wire}: required by {shape_name} but missing"));
                    }
                }
                true
            }
            "list" => match value.as_array() {
                Some(items) => {
                    let member = shape["member"]["shape"].as_str().unwrap_or("");
                    for (i, item) in items.iter().enumerate() {
                        self.check(item, member, &format!("{path}[{i}]"), problems);
                    }
                    true
                }
                None => false,
            },
            "map" => match value.as_object() {
                Some(entries) => {
                    let member = shape["value"]["shape"].as_str().unwrap_or("");
                    for (key, item) in entries {
                        self.check(item, member, &format!("{path}.{key}"), problems);
                    }
                    true
                }
                None => false,
            },
            "string" | "blob" => match value.as_str() {
                Some(text) => match shape["enum"].as_array() {
                    Some(allowed) if !allowed.iter().any(|a| a == text) => {
                        problems.push(format!("{path}: {text:?} is not one of {shape_name}'s values"));
                        true
                    }
                    _ => true,
                },
                None => false,
            },
            "integer" | "long" => value.is_i64() || value.is_u64(),
            "double" | "float" => value.is_number(),
            "boolean" => value.is_boolean(),
            "timestamp" => match shape["timestampFormat"].as_str() {
                Some("unixTimestamp") => value.is_number(),
                None if self.epoch_timestamps => value.is_number(),
                // An ISO 8601 date-time needs its offset: AWS refuses one without, and the SDKs could not
                // read it back.
                Some("iso8601") => value.as_str().is_some_and(|t| t.parse::<jiff::Timestamp>().is_ok()),
                _ => value.is_string(),
            },
            other => {
                problems.push(format!("{path}: the model's type {other:?} for {shape_name} is not checked"));
                true
            }
        };
        if !ok {
            problems.push(format!("{path}: {value} is not a {} ({shape_name})", shape["type"]));
        }
    }
}

impl ServiceModel {
    /// `value` with only what `shape` holds, at every depth (members matched by name or wire name and
    /// written under their wire name; nulls dropped): an AWS response turned into the request that would make it (a rehearsal estate's
    /// entries are responses a scan kept).
    pub fn keep_members(&self, value: &Value, shape_name: &str) -> Value {
        let shape = self.shape(shape_name);
        match (shape["type"].as_str().unwrap_or(""), value) {
            ("structure", Value::Object(object)) => {
                let members = shape["members"].as_object().cloned().unwrap_or_default();
                let mut out = Map::new();
                for (name, member) in &members {
                    let wire = member["locationName"].as_str().unwrap_or(name);
                    if let Some(item) = object.get(name).or_else(|| object.get(wire)).filter(|v| !v.is_null()) {
                        out.insert(wire.to_owned(), self.keep_members(item, member["shape"].as_str().unwrap_or("")));
                    }
                }
                Value::Object(out)
            }
            ("list", Value::Array(items)) => {
                let member = shape["member"]["shape"].as_str().unwrap_or("");
                Value::Array(items.iter().map(|i| self.keep_members(i, member)).collect())
            }
            ("map", Value::Object(entries)) => {
                let member = shape["value"]["shape"].as_str().unwrap_or("");
                Value::Object(entries.iter().map(|(k, v)| (k.clone(), self.keep_members(v, member))).collect())
            }
            _ => value.clone(),
        }
    }

    /// Validates a request body against an operation's input shape the way the service would before
    /// acting on it: required members, JSON types, enums, lengths and ranges (`min`/`max`) and patterns.
    /// Returns the problems, each with its path. Members the model places in the URI, query string or
    /// headers are validated like the body's.
    pub fn validate_input(&self, operation: &str, value: &Value) -> Vec<String> {
        let mut problems = Vec::new();
        match self.operation(operation)["input"]["shape"].as_str() {
            Some(shape) => self.validate(value, shape, operation, &mut problems),
            None if self.operation(operation).is_null() => {
                problems.push(format!("{operation}: not an operation of this model"))
            }
            None => {}
        }
        problems
    }

    fn validate(&self, value: &Value, shape_name: &str, path: &str, problems: &mut Vec<String>) {
        let shape = self.shape(shape_name);
        let bounds = |n: f64, what: &str, problems: &mut Vec<String>| {
            if let Some(min) = shape["min"].as_f64()
                && n < min
            {
                problems.push(format!("{path}: {what} {n} is below the minimum {min} ({shape_name})"));
            }
            if let Some(max) = shape["max"].as_f64()
                && n > max
            {
                problems.push(format!("{path}: {what} {n} is above the maximum {max} ({shape_name})"));
            }
        };
        match (shape["type"].as_str().unwrap_or(""), value) {
            ("structure", Value::Object(object)) => {
                let members = shape["members"].as_object().cloned().unwrap_or_default();
                for (key, item) in object {
                    match members.get(key) {
                        Some(member) => self.validate(
                            item,
                            member["shape"].as_str().unwrap_or(""),
                            &format!("{path}.{key}"),
                            problems,
                        ),
                        None => problems.push(format!("{path}.{key}: not a member of {shape_name}")),
                    }
                }
                for required in shape["required"].as_array().into_iter().flatten().filter_map(Value::as_str) {
                    if object.get(required).is_none_or(Value::is_null) {
                        problems.push(format!("{path}.{required}: required by {shape_name} but missing"));
                    }
                }
                if shape["union"].as_bool() == Some(true) && object.len() != 1 {
                    problems
                        .push(format!("{path}: a union ({shape_name}) takes exactly one member, not {}", object.len()));
                }
            }
            ("list", Value::Array(items)) => {
                bounds(items.len() as f64, "length", problems);
                let member = shape["member"]["shape"].as_str().unwrap_or("");
                for (i, item) in items.iter().enumerate() {
                    self.validate(item, member, &format!("{path}[{i}]"), problems);
                }
            }
            ("map", Value::Object(entries)) => {
                bounds(entries.len() as f64, "size", problems);
                let key_shape = shape["key"]["shape"].as_str().unwrap_or("");
                let value_shape = shape["value"]["shape"].as_str().unwrap_or("");
                for (key, item) in entries {
                    self.validate(&Value::String(key.clone()), key_shape, &format!("{path}.<key {key}>"), problems);
                    self.validate(item, value_shape, &format!("{path}.{key}"), problems);
                }
            }
            ("string", Value::String(text)) => {
                if let Some(allowed) = shape["enum"].as_array() {
                    if !allowed.iter().any(|a| a == text) {
                        problems.push(format!("{path}: {text:?} is not one of {shape_name}'s values"));
                    }
                    return;
                }
                bounds(text.chars().count() as f64, "length", problems);
                if let Some(pattern) = shape["pattern"].as_str()
                    && let Some(false) = pattern_matches(pattern, text)
                {
                    problems.push(format!("{path}: {text:?} does not match {shape_name}'s pattern {pattern}"));
                }
            }
            ("integer" | "long", Value::Number(n)) if n.is_i64() || n.is_u64() => {
                bounds(n.as_f64().unwrap_or(0.0), "value", problems)
            }
            ("double" | "float", Value::Number(n)) => bounds(n.as_f64().unwrap_or(0.0), "value", problems),
            ("boolean", Value::Bool(_))
            | ("timestamp", Value::String(_) | Value::Number(_))
            | ("blob", Value::String(_)) => {}
            (kind, value) => problems.push(format!("{path}: {value} is not a {kind} ({shape_name})")),
        }
    }
}

/// Whether `text` matches a model pattern (Java regex syntax); `None` when the pattern is one Rust's regex
/// engine cannot compile (look-arounds), which is then not checked.
fn pattern_matches(pattern: &str, text: &str) -> Option<bool> {
    use std::sync::Mutex;
    static CACHE: OnceLock<Mutex<HashMap<String, Option<regex::Regex>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    let mut cache = crate::state::lock(cache);
    let compiled = cache.entry(pattern.to_owned()).or_insert_with(|| regex::Regex::new(pattern).ok());
    compiled.as_ref().map(|r| r.is_match(text))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::services::pinpoint::model;

    #[test]
    fn routes_pick_the_most_specific_operation() {
        let headers = HeaderMap::new();
        let call = model().parse_call(&Method::GET, "/v1/apps/abc/channels/email", None, &headers, b"").expect("route");
        assert_eq!(call.operation, "GetEmailChannel");
        assert_eq!(call.input["ApplicationId"], "abc");
        let call = model()
            .parse_call(&Method::GET, "/v1/apps/abc/segments", Some("page-size=5&token=x"), &headers, b"")
            .expect("route");
        assert_eq!(
            (call.operation.as_str(), &call.input["PageSize"], &call.input["Token"]),
            ("GetSegments", &json_str("5"), &json_str("x"))
        );
    }

    fn json_str(s: &str) -> Value {
        Value::String(s.to_owned())
    }

    #[test]
    fn malformed_requests_get_aws_style_errors() {
        let headers = HeaderMap::new();
        let error = model().parse_call(&Method::POST, "/v1/apps", None, &headers, b"{not json").expect_err("bad json");
        assert_eq!((error.status, error.code), (StatusCode::BAD_REQUEST, "BadRequestException"));
        let error = model()
            .parse_call(&Method::POST, "/v1/apps/x/segments", None, &headers, b"[1]")
            .expect_err("not an object");
        assert_eq!(error.code, "BadRequestException");
        let error = model().parse_call(&Method::GET, "/v1/nothing/here", None, &headers, b"").expect_err("no route");
        assert_eq!(error.status, StatusCode::NOT_FOUND);
        let error = model().parse_call(&Method::PATCH, "/v1/apps", None, &headers, b"").expect_err("method");
        assert_eq!(error.status, StatusCode::METHOD_NOT_ALLOWED);
    }

    #[test]
    fn inputs_are_validated_with_lengths_ranges_enums_and_patterns() {
        let model = crate::services::sesv2::model();
        assert!(model.validate_input("CreateTenant", &serde_json::json!({ "TenantName": "acme" })).is_empty());
        let problems =
            model.validate_input("CreateTenant", &serde_json::json!({ "Tags": [{ "Key": "" }], "Bogus": 1 }));
        assert!(problems.iter().any(|p| p.contains("TenantName: required")), "{problems:?}");
        assert!(problems.iter().any(|p| p.contains("Bogus: not a member")), "{problems:?}");
        assert!(problems.iter().any(|p| p.contains("Tags[0].Value: required")), "{problems:?}");
        let days = crate::services::profiles::model()
            .validate_input("CreateDomain", &serde_json::json!({ "DomainName": "d", "DefaultExpirationDays": 5000 }));
        assert!(days.iter().any(|p| p.contains("above the maximum")), "{days:?}");
    }

    #[test]
    fn outputs_are_checked_against_the_model() {
        let good =
            serde_json::json!({ "Id": "a", "Arn": "arn", "Name": "n", "CreationDate": "2026-01-01T00:00:00.000Z" });
        assert!(model().check_output("GetApp", &good).is_empty());
        let bad = serde_json::json!({ "Id": "a", "Arn": "arn", "CreationDate": 1767225600, "Bogus": 1 });
        let problems = model().check_output("GetApp", &bad);
        assert!(problems.iter().any(|p| p.contains("CreationDate")), "{problems:?}");
        assert!(problems.iter().any(|p| p.contains("Bogus")), "{problems:?}");
        assert!(problems.iter().any(|p| p.contains("Name: required")), "{problems:?}");
    }
}
