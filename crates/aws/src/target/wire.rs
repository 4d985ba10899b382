//! Requests sent exactly as the graph wrote them, and responses read as AWS sent them.
//!
//! The graph's request bodies are already in each service's wire shape (the translations write them that
//! way, and the sandbox checks them against the service models). For the deeply nested ones — segment
//! groups, campaign channel configurations, template content unions, object type keys — rebuilding every
//! member through the SDK's typed builders would be a second, lossy copy of the model. So those calls are
//! made with the official client as usual (URI, path members, signing, retries, typed output) and an
//! interceptor that puts the request's own JSON in the body before it is signed. Reads that compare
//! settings keep the response body as sent, in the same shape as the request.

use std::sync::{Arc, Mutex};

use aws_sdk_connect::config::interceptors::{
    AfterDeserializationInterceptorContextRef, BeforeTransmitInterceptorContextMut,
};
use aws_sdk_connect::config::{ConfigBag, Intercept, RuntimeComponents};
use serde_json::{Map, Value, json};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// The request body as JSON: the graph's request without the members the URI carries, plus the
/// idempotency token where the operation takes one. Attach with `.customize().interceptor(…)`.
#[derive(Debug, Clone)]
pub struct ExactBody(Arc<Vec<u8>>);

impl ExactBody {
    /// `request` without `in_path`, with `token` as `token_member` when given.
    pub fn of(request: &Value, in_path: &[&str], token: Option<(&str, &str)>) -> ExactBody {
        let mut body: Map<String, Value> = request.as_object().cloned().unwrap_or_default();
        for member in in_path {
            body.remove(*member);
        }
        if let Some((member, token)) = token {
            body.insert(member.to_owned(), json!(token));
        }
        ExactBody(Arc::new(serde_json::to_vec(&Value::Object(body)).unwrap_or_default()))
    }
}

impl Intercept for ExactBody {
    fn name(&self) -> &'static str {
        "PinshiftExactBody"
    }

    fn modify_before_signing(
        &self,
        context: &mut BeforeTransmitInterceptorContextMut<'_>,
        _: &RuntimeComponents,
        _: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let request = context.request_mut();
        *request.body_mut() = self.0.as_ref().clone().into();
        request.headers_mut().insert("content-length", self.0.len().to_string());
        request.headers_mut().insert("content-type", "application/json");
        Ok(())
    }
}

/// Keeps one response body as AWS sent it.
#[derive(Debug, Clone, Default)]
pub struct Response(Arc<Mutex<Option<Vec<u8>>>>);

impl Response {
    /// The body as JSON (`Null` when there was none).
    pub fn json(&self) -> Value {
        let body = self.0.lock().map(|mut b| b.take()).unwrap_or(None);
        body.and_then(|b| serde_json::from_slice(&b).ok()).unwrap_or(Value::Null)
    }
}

impl Intercept for Response {
    fn name(&self) -> &'static str {
        "PinshiftResponse"
    }

    fn read_after_deserialization(
        &self,
        context: &AfterDeserializationInterceptorContextRef<'_>,
        _: &RuntimeComponents,
        _: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if let (Some(bytes), Ok(mut slot)) = (context.response().body().bytes(), self.0.lock()) {
            *slot = Some(bytes.to_vec());
        }
        Ok(())
    }
}

/// The members of `value` named in `keep` (what a comparison looks at).
pub fn only(value: &Value, keep: &[&str]) -> Value {
    Value::Object(keep.iter().filter_map(|k| value.get(*k).map(|v| ((*k).to_owned(), v.clone()))).collect())
}

/// A string-to-string map member as tags.
pub fn tag_map(value: &Value) -> std::collections::BTreeMap<String, String> {
    value.as_object().into_iter().flatten().filter_map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_owned()))).collect()
}

/// The request's tags (`Tags` or `tags`, a map) as the SDKs' `HashMap`.
pub fn tags(request: &Value) -> Option<std::collections::HashMap<String, String>> {
    let map = request.get("Tags").or_else(|| request.get("tags"))?;
    Some(tag_map(map).into_iter().collect())
}
