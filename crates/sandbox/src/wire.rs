//! AWS error shapes per wire protocol.

use axum::body::Body;
use axum::http::{HeaderValue, Response, StatusCode};

/// The wire protocols the sandbox speaks; each renders errors its own way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// awsQuery (STS): form-encoded requests, XML responses with a service namespace.
    Query { xmlns: &'static str },
    /// restJson1 (Pinpoint, SES v2, Connect, …): `x-amzn-ErrorType` header and a JSON message under the
    /// key the service's error shapes use (`Message` plus `RequestID` for Pinpoint, `message` for SES v2).
    RestJson { message_key: &'static str },
    /// awsJson1_0 (SMS-voice v2): JSON body with `__type`.
    Json10,
    /// REST-XML (S3): `<Error><Code>…` bodies.
    RestXml,
}

/// An error as AWS would answer it.
#[derive(Debug, Clone)]
pub struct ServiceError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    /// awsQuery's `<Type>`: the caller's fault (`Sender`) or the service's (`Receiver`).
    pub sender_fault: bool,
}

impl ServiceError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ServiceError { status, code, message: message.into(), sender_fault: status.is_client_error() }
    }

    pub fn render(&self, protocol: Protocol, request_id: &str) -> Response<Body> {
        let (content_type, body) = match protocol {
            Protocol::Query { xmlns } => (
                "text/xml",
                format!(
                    "<ErrorResponse xmlns=\"{xmlns}\">\n  <Error>\n    <Type>{}</Type>\n    <Code>{}</Code>\n    \
                     <Message>{}</Message>\n  </Error>\n  <RequestId>{request_id}</RequestId>\n</ErrorResponse>\n",
                    if self.sender_fault { "Sender" } else { "Receiver" },
                    self.code,
                    xml_escape(&self.message)
                ),
            ),
            Protocol::RestJson { message_key } => {
                let mut body = serde_json::Map::new();
                body.insert(message_key.to_owned(), self.message.clone().into());
                if message_key == "Message" {
                    body.insert("RequestID".to_owned(), request_id.into());
                }
                ("application/json", serde_json::Value::Object(body).to_string())
            }
            Protocol::RestXml => return crate::services::s3::render_error(self, request_id),
            Protocol::Json10 => (
                "application/x-amz-json-1.0",
                serde_json::json!({ "__type": self.code, "Message": self.message }).to_string(),
            ),
        };
        let mut response = Response::new(Body::from(body));
        *response.status_mut() = self.status;
        let headers = response.headers_mut();
        headers.insert("content-type", HeaderValue::from_static(content_type));
        if let Ok(id) = HeaderValue::from_str(request_id) {
            headers.insert("x-amzn-requestid", id);
        }
        if matches!(protocol, Protocol::RestJson { .. }) {
            headers.insert("x-amzn-errortype", HeaderValue::from_static(self.code));
        }
        response
    }
}

pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}
