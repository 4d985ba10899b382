//! SigV4 verification: the sandbox recomputes each request's signature with the `aws-sigv4` crate (the
//! signer the Rust SDK itself uses) from the secret it knows for the access key, and answers like AWS when
//! the key is unknown, the signature differs or the request is too old.

use std::time::{Duration, SystemTime};

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{
    PercentEncodingMode, SignableBody, SignableRequest, SigningSettings, UriPathNormalizationMode, sign,
};
use aws_sigv4::sign::v4;
use axum::http::{HeaderMap, Method, StatusCode, Uri};

use crate::wire::ServiceError;

/// The parsed `Authorization` header.
#[derive(Debug, Clone)]
pub struct Authorization {
    pub access_key_id: String,
    pub date: String,
    pub region: String,
    pub service: String,
    pub signed_headers: Vec<String>,
    pub signature: String,
}

/// AWS rejects requests whose time is more than 15 minutes off.
const MAX_SKEW: Duration = Duration::from_secs(15 * 60);

pub fn parse_authorization(headers: &HeaderMap) -> Result<Authorization, ServiceError> {
    let missing = || {
        ServiceError::new(
            StatusCode::FORBIDDEN,
            "MissingAuthenticationToken",
            "Request is missing Authentication Token",
        )
    };
    let value = headers.get("authorization").and_then(|v| v.to_str().ok()).ok_or_else(missing)?;
    let rest = value.strip_prefix("AWS4-HMAC-SHA256 ").ok_or_else(|| {
        ServiceError::new(StatusCode::BAD_REQUEST, "IncompleteSignature", "Only AWS4-HMAC-SHA256 is supported")
    })?;
    let mut credential = None;
    let mut signed_headers = None;
    let mut signature = None;
    for part in rest.split(',') {
        let part = part.trim();
        if let Some(v) = part.strip_prefix("Credential=") {
            credential = Some(v);
        } else if let Some(v) = part.strip_prefix("SignedHeaders=") {
            signed_headers = Some(v);
        } else if let Some(v) = part.strip_prefix("Signature=") {
            signature = Some(v);
        }
    }
    let incomplete = |what: &str| {
        ServiceError::new(
            StatusCode::BAD_REQUEST,
            "IncompleteSignature",
            format!("Authorization header requires '{what}' parameter."),
        )
    };
    let credential = credential.ok_or_else(|| incomplete("Credential"))?;
    let scope: Vec<&str> = credential.split('/').collect();
    if scope.len() != 5 || scope[4] != "aws4_request" {
        return Err(incomplete("Credential"));
    }
    Ok(Authorization {
        access_key_id: scope[0].to_owned(),
        date: scope[1].to_owned(),
        region: scope[2].to_owned(),
        service: scope[3].to_owned(),
        signed_headers: signed_headers
            .ok_or_else(|| incomplete("SignedHeaders"))?
            .split(';')
            .map(str::to_owned)
            .collect(),
        signature: signature.ok_or_else(|| incomplete("Signature"))?.to_owned(),
    })
}

/// Checks the request's signature against `secret` (and `session_token` for temporary credentials).
pub fn verify(
    auth: &Authorization,
    secret: &str,
    session_token: Option<&str>,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<(), ServiceError> {
    let amz_date = headers.get("x-amz-date").and_then(|v| v.to_str().ok()).ok_or_else(|| {
        ServiceError::new(StatusCode::BAD_REQUEST, "IncompleteSignature", "x-amz-date header is required")
    })?;
    let time = parse_amz_date(amz_date).ok_or_else(|| {
        ServiceError::new(StatusCode::BAD_REQUEST, "IncompleteSignature", "x-amz-date is not yyyyMMddTHHmmssZ")
    })?;
    let now = SystemTime::now();
    let skew = now.duration_since(time).or_else(|_| time.duration_since(now)).unwrap_or_default();
    if skew > MAX_SKEW {
        return Err(ServiceError::new(
            StatusCode::FORBIDDEN,
            "SignatureDoesNotMatch",
            format!("Signature expired: {amz_date} is now earlier or later than 15 minutes from the server time."),
        ));
    }

    let signed: Vec<(&str, &str)> = auth
        .signed_headers
        .iter()
        .filter(|name| name.as_str() != "x-amz-security-token" && name.as_str() != "x-amz-date")
        .flat_map(|name| {
            headers.get_all(name.as_str()).iter().filter_map(move |v| v.to_str().ok().map(|v| (name.as_str(), v)))
        })
        .collect();
    let body = match headers.get("x-amz-content-sha256").and_then(|v| v.to_str().ok()) {
        Some(hash) => SignableBody::Precomputed(hash.to_owned()),
        None => SignableBody::Bytes(body),
    };

    let mut settings = SigningSettings::default();
    settings.excluded_headers = None;
    if auth.service == "s3" {
        settings.percent_encoding_mode = PercentEncodingMode::Single;
        settings.uri_path_normalization_mode = UriPathNormalizationMode::Disabled;
    }
    let identity = Credentials::new(
        auth.access_key_id.clone(),
        secret.to_owned(),
        session_token.map(str::to_owned),
        None,
        "sandbox",
    )
    .into();
    let internal = |what: String| ServiceError::new(StatusCode::INTERNAL_SERVER_ERROR, "InternalFailure", what);
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(&auth.region)
        .name(&auth.service)
        .time(time)
        .settings(settings)
        .build()
        .map_err(|e| internal(e.to_string()))?
        .into();
    let path_and_query = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
    let request = SignableRequest::new(method.as_str(), path_and_query, signed.into_iter(), body)
        .map_err(|e| internal(e.to_string()))?;
    let (_, expected) = sign(request, &params).map_err(|e| internal(e.to_string()))?.into_parts();
    if expected != auth.signature {
        return Err(ServiceError::new(
            StatusCode::FORBIDDEN,
            "SignatureDoesNotMatch",
            "The request signature we calculated does not match the signature you provided. Check your AWS \
             Secret Access Key and signing method. Consult the service documentation for details.",
        ));
    }
    Ok(())
}

fn parse_amz_date(value: &str) -> Option<SystemTime> {
    let dt = jiff::civil::DateTime::strptime("%Y%m%dT%H%M%SZ", value).ok()?;
    let ts = dt.to_zoned(jiff::tz::TimeZone::UTC).ok()?.timestamp();
    Some(SystemTime::from(ts))
}
