//! Amazon S3 (REST-XML, path-style addressing), the subset export and import jobs need: CreateBucket,
//! PutObject, GetObject (with ranges), HeadObject, ListObjectsV2 and DeleteObject. Buckets live in one
//! global namespace, as on AWS. Bodies sent with `aws-chunked` content encoding (the SDKs' streaming
//! checksums) are decoded.

use std::collections::BTreeMap;

use axum::body::Body;
use axum::http::{HeaderValue, Method, Response, StatusCode};
use bytes::Bytes;
use md5::{Digest, Md5};

use crate::wire::{ServiceError, xml_escape};

pub const SIGNING_NAME: &str = "s3";

#[derive(Debug, Clone)]
pub struct Object {
    pub data: Bytes,
    pub etag: String,
    pub last_modified: std::time::SystemTime,
    pub content_type: String,
}

#[derive(Debug, Clone)]
pub struct Bucket {
    pub owner: String,
    pub region: String,
    pub objects: BTreeMap<String, Object>,
}

#[derive(Debug, Default, Clone)]
pub struct S3State {
    pub buckets: BTreeMap<String, Bucket>,
}

/// S3's errors are XML with the code in the body.
pub fn render_error(error: &ServiceError, request_id: &str) -> Response<Body> {
    let body = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{}</Code><Message>{}</Message><RequestId>{request_id}</RequestId></Error>",
        error.code,
        xml_escape(&error.message)
    );
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = error.status;
    response.headers_mut().insert("content-type", HeaderValue::from_static("application/xml"));
    if let Ok(id) = HeaderValue::from_str(request_id) {
        response.headers_mut().insert("x-amz-request-id", id);
    }
    response
}

fn error(status: StatusCode, code: &'static str, message: impl Into<String>) -> ServiceError {
    ServiceError::new(status, code, message)
}

fn no_bucket(bucket: &str) -> ServiceError {
    error(StatusCode::NOT_FOUND, "NoSuchBucket", format!("The specified bucket does not exist: {bucket}"))
}

/// The operation name for the call log, from method, path and query.
pub fn operation(method: &Method, path: &str, query: Option<&str>) -> &'static str {
    let has_key = path.trim_start_matches('/').split_once('/').is_some_and(|(_, k)| !k.is_empty());
    match (method.as_str(), has_key) {
        ("PUT", false) => "CreateBucket",
        ("GET", false) if query.is_some_and(|q| q.contains("list-type=2")) => "ListObjectsV2",
        ("GET", false) => "ListObjects",
        ("PUT", true) => "PutObject",
        ("GET", true) => "GetObject",
        ("HEAD", true) => "HeadObject",
        ("DELETE", true) => "DeleteObject",
        ("HEAD", false) => "HeadBucket",
        ("DELETE", false) => "DeleteBucket",
        _ => "Unknown",
    }
}

impl S3State {
    /// Writes an object directly (export jobs use this); creates nothing if the bucket is missing.
    pub fn put(&mut self, bucket: &str, key: &str, data: Bytes, content_type: &str) -> Result<(), ServiceError> {
        let bucket = self.buckets.get_mut(bucket).ok_or_else(|| no_bucket(bucket))?;
        let etag = format!("\"{:x}\"", Md5::digest(&data));
        bucket.objects.insert(
            key.to_owned(),
            Object { data, etag, last_modified: std::time::SystemTime::now(), content_type: content_type.to_owned() },
        );
        Ok(())
    }

    pub fn handle(
        &mut self,
        account_id: &str,
        region: &str,
        request: &axum::http::request::Parts,
        body: Bytes,
    ) -> Result<Response<Body>, ServiceError> {
        let (method, path, query, headers) =
            (&request.method, request.uri.path(), request.uri.query(), &request.headers);
        let trimmed = path.trim_start_matches('/');
        let (bucket, key) = match trimmed.split_once('/') {
            Some((b, k)) => (b.to_owned(), percent_encoding::percent_decode_str(k).decode_utf8_lossy().into_owned()),
            None => (trimmed.to_owned(), String::new()),
        };
        if bucket.is_empty() {
            return Err(error(
                StatusCode::NOT_IMPLEMENTED,
                "NotImplemented",
                "ListBuckets is not served by the sandbox",
            ));
        }
        let params: Vec<(String, String)> =
            query.map(|q| form_urlencoded::parse(q.as_bytes()).into_owned().collect()).unwrap_or_default();
        let param = |name: &str| params.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
        match (operation(method, path, query), key.is_empty()) {
            ("CreateBucket", _) => {
                if let Some(existing) = self.buckets.get(&bucket) {
                    return Err(if existing.owner == account_id {
                        error(
                            StatusCode::CONFLICT,
                            "BucketAlreadyOwnedByYou",
                            "Your previous request to create the named bucket succeeded and you already own it.",
                        )
                    } else {
                        error(
                            StatusCode::CONFLICT,
                            "BucketAlreadyExists",
                            "The requested bucket name is not available.",
                        )
                    });
                }
                let valid = (3..=63).contains(&bucket.len())
                    && bucket.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.');
                if !valid {
                    return Err(error(
                        StatusCode::BAD_REQUEST,
                        "InvalidBucketName",
                        "The specified bucket is not valid.",
                    ));
                }
                self.buckets.insert(
                    bucket.clone(),
                    Bucket { owner: account_id.to_owned(), region: region.to_owned(), objects: BTreeMap::new() },
                );
                let mut response = Response::new(Body::empty());
                response.headers_mut().insert(
                    "location",
                    HeaderValue::from_str(&format!("/{bucket}")).unwrap_or(HeaderValue::from_static("/")),
                );
                Ok(response)
            }
            ("PutObject", _) => {
                let data = if headers
                    .get("content-encoding")
                    .and_then(|v| v.to_str().ok())
                    .is_some_and(|v| v.contains("aws-chunked"))
                {
                    decode_chunked(&body)?
                } else {
                    body
                };
                let content_type = headers
                    .get("content-type")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("binary/octet-stream")
                    .to_owned();
                self.put(&bucket, &key, data, &content_type)?;
                let etag = self.buckets[&bucket].objects[&key].etag.clone();
                let mut response = Response::new(Body::empty());
                response
                    .headers_mut()
                    .insert("etag", HeaderValue::from_str(&etag).unwrap_or(HeaderValue::from_static("\"\"")));
                Ok(response)
            }
            ("GetObject", _) | ("HeadObject", _) => {
                let found = self.buckets.get(&bucket).ok_or_else(|| no_bucket(&bucket))?;
                let object = found
                    .objects
                    .get(&key)
                    .ok_or_else(|| error(StatusCode::NOT_FOUND, "NoSuchKey", "The specified key does not exist."))?;
                let total = object.data.len();
                let (status, start, end) = match headers.get("range").and_then(|v| v.to_str().ok()) {
                    Some(range) => {
                        let (start, end) = parse_range(range, total).ok_or_else(|| {
                            error(
                                StatusCode::RANGE_NOT_SATISFIABLE,
                                "InvalidRange",
                                "The requested range is not satisfiable",
                            )
                        })?;
                        (StatusCode::PARTIAL_CONTENT, start, end)
                    }
                    None => (StatusCode::OK, 0, total.saturating_sub(1)),
                };
                let slice = if total == 0 { Bytes::new() } else { object.data.slice(start..=end) };
                let length = slice.len();
                let body = if *method == Method::HEAD { Body::empty() } else { Body::from(slice) };
                let mut response = Response::new(body);
                *response.status_mut() = status;
                let h = response.headers_mut();
                h.insert("etag", HeaderValue::from_str(&object.etag).unwrap_or(HeaderValue::from_static("\"\"")));
                h.insert("content-length", HeaderValue::from(length));
                h.insert("accept-ranges", HeaderValue::from_static("bytes"));
                if let Ok(v) = HeaderValue::from_str(&object.content_type) {
                    h.insert("content-type", v);
                }
                if let Ok(v) = HeaderValue::from_str(&httpdate::fmt_http_date(object.last_modified)) {
                    h.insert("last-modified", v);
                }
                if status == StatusCode::PARTIAL_CONTENT
                    && let Ok(v) = HeaderValue::from_str(&format!("bytes {start}-{end}/{total}"))
                {
                    h.insert("content-range", v);
                }
                Ok(response)
            }
            ("DeleteObject", _) => {
                let found = self.buckets.get_mut(&bucket).ok_or_else(|| no_bucket(&bucket))?;
                found.objects.remove(&key);
                let mut response = Response::new(Body::empty());
                *response.status_mut() = StatusCode::NO_CONTENT;
                Ok(response)
            }
            ("ListObjectsV2", _) => {
                let found = self.buckets.get(&bucket).ok_or_else(|| no_bucket(&bucket))?;
                let prefix = param("prefix").unwrap_or_default();
                let max_keys: usize = param("max-keys").and_then(|m| m.parse().ok()).unwrap_or(1000).clamp(1, 1000);
                let after = param("continuation-token").or_else(|| param("start-after")).unwrap_or_default();
                let matching: Vec<(&String, &Object)> = found
                    .objects
                    .iter()
                    .filter(|(k, _)| k.starts_with(&prefix) && k.as_str() > after.as_str())
                    .collect();
                let page = &matching[..matching.len().min(max_keys)];
                let truncated = matching.len() > page.len();
                let mut xml = format!(
                    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>{}</Name><Prefix>{}</Prefix><KeyCount>{}</KeyCount><MaxKeys>{max_keys}</MaxKeys><IsTruncated>{truncated}</IsTruncated>",
                    xml_escape(&bucket),
                    xml_escape(&prefix),
                    page.len()
                );
                for (key, object) in page {
                    let modified = jiff::Timestamp::try_from(object.last_modified)
                        .map(|t| t.strftime("%Y-%m-%dT%H:%M:%S%.3fZ").to_string())
                        .unwrap_or_default();
                    xml.push_str(&format!(
                        "<Contents><Key>{}</Key><LastModified>{modified}</LastModified><ETag>{}</ETag><Size>{}</Size><StorageClass>STANDARD</StorageClass></Contents>",
                        xml_escape(key),
                        xml_escape(&object.etag),
                        object.data.len()
                    ));
                }
                if truncated && let Some((last, _)) = page.last() {
                    xml.push_str(&format!("<NextContinuationToken>{}</NextContinuationToken>", xml_escape(last)));
                }
                xml.push_str("</ListBucketResult>");
                let mut response = Response::new(Body::from(xml));
                response.headers_mut().insert("content-type", HeaderValue::from_static("application/xml"));
                Ok(response)
            }
            ("HeadBucket", _) => {
                self.buckets.get(&bucket).ok_or_else(|| no_bucket(&bucket))?;
                Ok(Response::new(Body::empty()))
            }
            (other, _) => Err(error(
                StatusCode::NOT_IMPLEMENTED,
                "NotImplemented",
                format!("the Pinshift sandbox does not serve S3 {other}"),
            )),
        }
    }
}

/// `bytes=a-b`, `bytes=a-`, `bytes=-n` → inclusive byte positions.
fn parse_range(range: &str, total: usize) -> Option<(usize, usize)> {
    let spec = range.strip_prefix("bytes=")?;
    let (start, end) = spec.split_once('-')?;
    if total == 0 {
        return None;
    }
    let (start, end) = match (start.trim(), end.trim()) {
        ("", suffix) => {
            let n: usize = suffix.parse().ok()?;
            (total.saturating_sub(n), total - 1)
        }
        (s, "") => (s.parse().ok()?, total - 1),
        (s, e) => (s.parse().ok()?, e.parse::<usize>().ok()?.min(total - 1)),
    };
    (start <= end && start < total).then_some((start, end))
}

/// Decodes `aws-chunked` bodies: `<hex size>[;chunk-signature=…]\r\n<data>\r\n … 0\r\n<trailers>\r\n\r\n`.
fn decode_chunked(body: &[u8]) -> Result<Bytes, ServiceError> {
    let invalid = || error(StatusCode::BAD_REQUEST, "IncompleteBody", "The aws-chunked body is malformed");
    let mut out = Vec::with_capacity(body.len());
    let mut rest = body;
    loop {
        let line_end = rest.windows(2).position(|w| w == b"\r\n").ok_or_else(invalid)?;
        let header = std::str::from_utf8(&rest[..line_end]).map_err(|_| invalid())?;
        let size = usize::from_str_radix(header.split(';').next().unwrap_or("").trim(), 16).map_err(|_| invalid())?;
        rest = &rest[line_end + 2..];
        if size == 0 {
            return Ok(Bytes::from(out));
        }
        if rest.len() < size + 2 {
            return Err(invalid());
        }
        out.extend_from_slice(&rest[..size]);
        rest = &rest[size + 2..];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_follow_rfc_7233() {
        assert_eq!(parse_range("bytes=0-9", 100), Some((0, 9)));
        assert_eq!(parse_range("bytes=90-", 100), Some((90, 99)));
        assert_eq!(parse_range("bytes=-10", 100), Some((90, 99)));
        assert_eq!(parse_range("bytes=95-200", 100), Some((95, 99)));
        assert_eq!(parse_range("bytes=100-", 100), None);
    }

    #[test]
    fn aws_chunked_bodies_decode() {
        let body = b"5;chunk-signature=abc\r\nhello\r\n6\r\n world\r\n0\r\nx-amz-checksum-crc32:abc=\r\n\r\n";
        assert_eq!(decode_chunked(body).expect("decode"), Bytes::from_static(b"hello world"));
        assert!(decode_chunked(b"zz\r\n").is_err());
    }
}
