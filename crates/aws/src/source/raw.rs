//! Keeping the raw payload: an interceptor attached to one call copies the response body as AWS sent it,
//! so the estate stores exactly that beside the fields Pinshift reads from the SDK's typed output. It also
//! names each request's operation for client-side pacing.

use std::sync::{Arc, Mutex};

use aws_sdk_pinpoint::config::interceptors::{
    AfterDeserializationInterceptorContextRef, BeforeTransmitInterceptorContextMut,
};
use aws_sdk_pinpoint::config::{ConfigBag, Intercept, RuntimeComponents};
use aws_smithy_runtime_api::client::orchestrator::Metadata;

/// Captures one response body. Attach a fresh one to each call with `.customize().interceptor(…)`.
#[derive(Debug, Clone, Default)]
pub struct RawCapture(Arc<Mutex<Option<Vec<u8>>>>);

impl RawCapture {
    /// The captured body as JSON (`Null` when there was none, or it was not JSON).
    pub fn json(&self) -> serde_json::Value {
        let body = self.0.lock().map(|mut b| b.take()).unwrap_or(None);
        body.and_then(|b| serde_json::from_slice(&b).ok()).unwrap_or(serde_json::Value::Null)
    }
}

impl Intercept for RawCapture {
    fn name(&self) -> &'static str {
        "PinshiftRawCapture"
    }

    /// Names the operation for the pacing HTTP client ([`crate::source::pace`]), after signing: the header is
    /// removed again before the request leaves.
    fn modify_before_transmit(
        &self,
        context: &mut BeforeTransmitInterceptorContextMut<'_>,
        _: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        if let Some(metadata) = cfg.load::<Metadata>() {
            let tag = format!("{}:{}", metadata.service(), metadata.name());
            context.request_mut().headers_mut().insert(crate::source::pace::OPERATION_HEADER, tag);
        }
        Ok(())
    }

    fn read_after_deserialization(
        &self,
        context: &AfterDeserializationInterceptorContextRef<'_>,
        _: &RuntimeComponents,
        _: &mut ConfigBag,
    ) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        if let (Some(bytes), Ok(mut slot)) = (context.response().body().bytes(), self.0.lock()) {
            *slot = Some(bytes.to_vec());
        }
        Ok(())
    }
}
