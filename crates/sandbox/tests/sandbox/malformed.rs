//! Malformed requests on the wire (what no SDK would send): AWS-style errors, promptly, never a panic or
//! a hang. Requests are signed with aws-sigv4 and sent over a raw socket.

use std::time::{Duration, SystemTime};

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{SignableBody, SignableRequest, SigningSettings, sign};
use aws_sigv4::sign::v4;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::start;

const KEY: &str = "AKIASANDBOXCLIENTA01";
const SECRET: &str = "sandbox/client-a/secret/key/00000000001";

/// Sends a signed request; returns the status and body.
async fn signed(
    sandbox: &pinshift_sandbox::RunningSandbox,
    service: &str,
    method: &str,
    path: &str,
    extra: &[(&str, &str)],
    body: &[u8],
    secret: &str,
) -> (u16, String) {
    let host = sandbox.addr.to_string();
    let identity = Credentials::new(KEY, secret, None, None, "test").into();
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region("us-east-1")
        .name(service)
        .time(SystemTime::now())
        .settings(SigningSettings::default())
        .build()
        .expect("params")
        .into();
    let mut headers: Vec<(&str, &str)> = vec![("host", host.as_str())];
    headers.extend_from_slice(extra);
    let request =
        SignableRequest::new(method, path, headers.iter().copied(), SignableBody::Bytes(body)).expect("signable");
    let (instructions, _) = sign(request, &params).expect("sign").into_parts();
    let mut text = format!("{method} {path} HTTP/1.1\r\nconnection: close\r\ncontent-length: {}\r\n", body.len());
    for (name, value) in headers.iter() {
        text.push_str(&format!("{name}: {value}\r\n"));
    }
    for (name, value) in instructions.headers() {
        text.push_str(&format!("{name}: {value}\r\n"));
    }
    text.push_str("\r\n");
    let mut stream = tokio::net::TcpStream::connect(sandbox.addr).await.expect("connect");
    stream.write_all(text.as_bytes()).await.expect("head");
    stream.write_all(body).await.expect("body");
    let mut response = String::new();
    tokio::time::timeout(Duration::from_secs(10), stream.read_to_string(&mut response))
        .await
        .expect("no hang")
        .expect("read");
    let status = response.split(' ').nth(1).and_then(|s| s.parse().ok()).expect("status");
    (status, response.split_once("\r\n\r\n").map(|(_, b)| b.to_owned()).unwrap_or_default())
}

#[tokio::test]
async fn malformed_requests_get_aws_shaped_errors() {
    let sandbox = start().await;
    let json = [("content-type", "application/json")];

    let (status, body) = signed(&sandbox, "mobiletargeting", "POST", "/v1/apps", &json, b"{not json", SECRET).await;
    assert_eq!(status, 400);
    assert!(body.contains("not valid JSON"), "{body}");

    let (status, body) =
        signed(&sandbox, "mobiletargeting", "POST", "/v1/apps", &json, b"{\"CreateApplicationRequest\":{}}", SECRET)
            .await;
    assert_eq!(status, 400, "{body}");

    let (status, _) = signed(&sandbox, "mobiletargeting", "GET", "/v1/nowhere/at/all", &json, b"", SECRET).await;
    assert_eq!(status, 404);

    let target = [("content-type", "application/x-amz-json-1.0"), ("x-amz-target", "PinpointSMSVoiceV2.DescribePools")];
    let (status, body) = signed(&sandbox, "sms-voice", "POST", "/", &target, b"[1,2", SECRET).await;
    assert_eq!(status, 400);
    assert!(body.contains("ValidationException"), "{body}");
    let unknown = [("content-type", "application/x-amz-json-1.0"), ("x-amz-target", "PinpointSMSVoiceV2.Nope")];
    let (status, body) = signed(&sandbox, "sms-voice", "POST", "/", &unknown, b"{}", SECRET).await;
    assert_eq!(status, 400);
    assert!(body.contains("UnknownOperationException"), "{body}");
    let missing =
        [("content-type", "application/x-amz-json-1.0"), ("x-amz-target", "PinpointSMSVoiceV2.CreateOptOutList")];
    let (status, body) = signed(&sandbox, "sms-voice", "POST", "/", &missing, b"{}", SECRET).await;
    assert_eq!(status, 400);
    assert!(body.contains("OptOutListName"), "the message names the field: {body}");

    let (status, body) = signed(&sandbox, "mobiletargeting", "GET", "/v1/apps", &json, b"", "wrong-secret").await;
    assert_eq!(status, 403);
    assert!(body.contains("signature"), "{body}");

    let big = vec![b'x'; 9 * 1024 * 1024];
    let (status, _) = signed(&sandbox, "mobiletargeting", "POST", "/v1/apps", &json, &big, SECRET).await;
    assert_eq!(status, 413, "over Pinpoint's payload limit");
    sandbox.stop().await;
}

#[tokio::test]
async fn unsigned_requests_are_refused() {
    let sandbox = start().await;
    let mut stream = tokio::net::TcpStream::connect(sandbox.addr).await.expect("connect");
    stream.write_all(b"GET /v1/apps HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n").await.expect("write");
    let mut response = String::new();
    stream.read_to_string(&mut response).await.expect("read");
    assert!(response.starts_with("HTTP/1.1 403"), "{response}");
    assert!(response.contains("MissingAuthenticationToken"), "{response}");
    sandbox.stop().await;
}
