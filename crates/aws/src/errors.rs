//! SDK errors to core errors: AWS's own error code where AWS answered, "unreachable" where it did not.

use aws_sdk_sts::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use pinshift_core::Error;

/// Converts an SDK failure of `operation` for `connection`.
pub fn from_sdk<E, R>(operation: &str, connection: &str, error: SdkError<E, R>) -> Error
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: std::fmt::Debug,
{
    let detail = DisplayErrorContext(&error).to_string();
    match &error {
        SdkError::ServiceError(_) | SdkError::ResponseError(_) => Error::Aws {
            operation: operation.to_owned(),
            code: error.code().unwrap_or("Unknown").to_owned(),
            message: error.message().unwrap_or(&detail).to_owned(),
        },
        SdkError::TimeoutError(_) => Error::AwsUnreachable { operation: operation.to_owned(), detail },
        SdkError::DispatchFailure(failure) if failure.is_io() || failure.is_timeout() => {
            Error::AwsUnreachable { operation: operation.to_owned(), detail }
        }
        // Credential resolution (profiles, SSO, assumed roles) fails before anything is sent.
        _ => Error::Credentials { name: connection.to_owned(), detail },
    }
}
