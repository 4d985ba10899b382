//! AWS error shapes per wire protocol.

use axum::body::Body;
use axum::http::{HeaderValue, Response, StatusCode};

/// The wire protocols the sandbox speaks; each renders errors its own way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// awsQuery (STS): form-encoded requests, XML responses with a service namespace.
    Query { xmlns: &'static str },
    /// restJson1 (Pinpoint, SES v2, Connect, …): `x-amzn-ErrorType` header and a JSON body shaped as the
    /// service's error shapes are.
    RestJson(&'static RestStyle),
    /// awsJson1_0 (SMS-voice v2): JSON body with `__type`.
    Json10,
    /// REST-XML (S3): `<Error><Code>…` bodies.
    RestXml,
}

/// How one restJson1 service words its errors: the key of the message in the body, whether the request id
/// travels in the body too (Pinpoint's `RequestID`), and its codes for refusals the pipeline decides.
#[derive(Debug, PartialEq, Eq)]
pub struct RestStyle {
    pub message_key: &'static str,
    pub request_id_in_body: bool,
    /// IAM said no.
    pub denied: &'static str,
    /// Over the rate: code and HTTP status (the models disagree: Q in Connect's is a 400).
    pub throttled: (&'static str, u16),
    /// An injected server failure.
    pub server_error: &'static str,
}

/// An error as AWS would answer it.
#[derive(Debug, Clone)]
pub struct ServiceError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    /// awsQuery's `<Type>`: the caller's fault (`Sender`) or the service's (`Receiver`).
    pub sender_fault: bool,
    /// Further members of the error shape (Campaigns' `state`, Connect's `Reason`, Q in Connect's
    /// `resourceName`), for the JSON protocols.
    pub extra: Vec<(String, serde_json::Value)>,
}

impl ServiceError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ServiceError {
            status,
            code,
            message: message.into(),
            sender_fault: status.is_client_error(),
            extra: Vec::new(),
        }
    }

    /// Adds a member of the error shape beside the message.
    pub fn with(mut self, key: &str, value: impl Into<serde_json::Value>) -> Self {
        self.extra.push((key.to_owned(), value.into()));
        self
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
            Protocol::RestJson(style) => {
                let mut body = serde_json::Map::new();
                body.insert(style.message_key.to_owned(), self.message.clone().into());
                for (key, value) in &self.extra {
                    body.insert(key.clone(), value.clone());
                }
                if style.request_id_in_body {
                    body.insert("RequestID".to_owned(), request_id.into());
                }
                ("application/json", serde_json::Value::Object(body).to_string())
            }
            Protocol::RestXml => return crate::services::s3::render_error(self, request_id),
            Protocol::Json10 => {
                let mut body = serde_json::json!({ "__type": self.code, "Message": self.message });
                for (key, value) in &self.extra {
                    body[key] = value.clone();
                }
                ("application/x-amz-json-1.0", body.to_string())
            }
        };
        let mut response = Response::new(Body::from(body));
        *response.status_mut() = self.status;
        let headers = response.headers_mut();
        headers.insert("content-type", HeaderValue::from_static(content_type));
        if let Ok(id) = HeaderValue::from_str(request_id) {
            headers.insert("x-amzn-requestid", id);
        }
        if matches!(protocol, Protocol::RestJson(_)) {
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
