//! Errors, and the stable codes by which front ends branch on them.
//!
//! Every error knows its [`ErrorCode`] and, where there is one, a hint saying what the user can do. The
//! CLI prints `error: …` / `hint: …`; the desktop sends an [`ErrorPayload`] across IPC. Front ends branch
//! on the code, never on the message text.

use std::path::PathBuf;

use serde::Serialize;
use ts_rs::TS;

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Stable, machine-readable error codes. Add one only when a consumer branches on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// A file, connection or other named thing does not exist.
    NotFound,
    /// Creating something that exists already (files are never overwritten).
    AlreadyExists,
    /// The file is not a Pinshift engagement file (not SQLite, or another application's database).
    NotAnEngagement,
    /// The engagement file is damaged.
    Corrupt,
    /// The engagement file was written by a newer Pinshift; this build refuses to touch it.
    NewerSchema,
    /// The user gave a value Pinshift cannot accept; the message names the field.
    InvalidInput,
    /// The OS keychain cannot be reached (no Secret Service, locked keychain, …).
    KeychainUnavailable,
    /// A connection needs a secret that is not in this machine's keychain.
    SecretMissing,
    /// AWS (or the sandbox) refused or failed a call.
    Aws,
    /// The user cancelled.
    Cancelled,
    /// Another job (here or in another process) holds the engagement's lease; the message names it.
    Locked,
    /// Anything else: a bug or an environment problem; the message says which.
    Internal,
}

/// What crosses the IPC boundary for a failed command: `{ code, message, hint }`.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ErrorPayload {
    pub code: ErrorCode,
    pub message: String,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

/// Core's error type.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{} does not exist", path.display())]
    FileNotFound { path: PathBuf },

    #[error("{} already exists", path.display())]
    FileExists { path: PathBuf },

    #[error("{} is not a Pinshift engagement file: {detail}", path.display())]
    NotAnEngagement { path: PathBuf, detail: String },

    #[error("{} is damaged: {detail}", path.display())]
    Corrupt { path: PathBuf, detail: String },

    #[error(
        "{} was written by a newer Pinshift (schema version {found}); this build understands up to version {supported}",
        path.display()
    )]
    NewerSchema { path: PathBuf, found: u32, supported: u32 },

    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },

    #[error("invalid {field}: {reason}")]
    InvalidInput { field: String, reason: String },

    #[error("a connection named {name:?} already exists")]
    ConnectionExists { name: String },

    #[error("no connection named {name:?}")]
    ConnectionNotFound { name: String },

    #[error("connection {name:?} is the source of {dependents}")]
    ConnectionInUse { name: String, dependents: String },

    #[error("the OS keychain is not available: {detail}")]
    KeychainUnavailable { detail: String },

    #[error("the secret of connection {name:?} is not in this machine's keychain")]
    SecretMissing { name: String },

    #[error("AWS {operation} failed: {code}: {message}")]
    Aws { operation: String, code: String, message: String },

    #[error("could not reach AWS for {operation}: {detail}")]
    AwsUnreachable { operation: String, detail: String },

    #[error("could not load credentials for connection {name:?}: {detail}")]
    Credentials { name: String, detail: String },

    #[error("{} is busy: {holder} has held it since {since}", path.display())]
    Locked { path: PathBuf, holder: String, since: String, expires: String },

    #[error("engagement storage: {0}")]
    Storage(#[from] rusqlite::Error),

    #[error("{0}")]
    Internal(String),
}

impl Error {
    pub fn invalid(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Error::InvalidInput { field: field.into(), reason: reason.into() }
    }

    pub fn code(&self) -> ErrorCode {
        match self {
            Error::FileNotFound { .. } | Error::ConnectionNotFound { .. } => ErrorCode::NotFound,
            Error::FileExists { .. } | Error::ConnectionExists { .. } => ErrorCode::AlreadyExists,
            Error::NotAnEngagement { .. } => ErrorCode::NotAnEngagement,
            Error::Corrupt { .. } => ErrorCode::Corrupt,
            Error::NewerSchema { .. } => ErrorCode::NewerSchema,
            Error::InvalidInput { .. } | Error::ConnectionInUse { .. } => ErrorCode::InvalidInput,
            Error::KeychainUnavailable { .. } => ErrorCode::KeychainUnavailable,
            Error::SecretMissing { .. } => ErrorCode::SecretMissing,
            Error::Aws { .. } | Error::AwsUnreachable { .. } | Error::Credentials { .. } => ErrorCode::Aws,
            Error::Locked { .. } => ErrorCode::Locked,
            Error::Io { .. } | Error::Storage(_) | Error::Internal(_) => ErrorCode::Internal,
        }
    }

    /// What the user can do about it, in plain words.
    pub fn hint(&self) -> Option<String> {
        let hint = match self {
            Error::FileNotFound { .. } => "check the path, or create a new engagement with `pinshift init <file>`",
            Error::FileExists { .. } => {
                "Pinshift never overwrites a file: choose another name, or open the existing engagement"
            }
            Error::NotAnEngagement { .. } => "open a file created by `pinshift init` (usually *.pinshift)",
            Error::Corrupt { .. } => {
                "the file was left untouched; restore it from a copy or backup, or create a new engagement"
            }
            Error::NewerSchema { .. } => "install the Pinshift version that wrote this file, or a newer one",
            Error::ConnectionExists { .. } => "choose another name, or remove the old connection first",
            Error::ConnectionNotFound { .. } => "`pinshift connection list` shows the connections of this engagement",
            Error::ConnectionInUse { .. } => "remove the connections that assume a role through it first",
            Error::KeychainUnavailable { .. } => {
                "unlock the OS keychain (on Linux: a running Secret Service such as gnome-keyring), \
                 or use an AWS profile connection instead of stored keys"
            }
            Error::SecretMissing { .. } => {
                "keychain entries stay on the machine where they were added: add the connection's keys again here"
            }
            Error::Locked { expires, .. } => {
                return Some(format!(
                    "wait for it to finish; if that process is gone (killed, or its machine is off), its lease lapses \
                     at {expires}, or take it over now (`--take-over`, or Take over in the desktop)"
                ));
            }
            Error::Aws { code, .. } => return aws_hint(code),
            Error::AwsUnreachable { .. } => {
                "check the network, proxy and Region; AWS_ENDPOINT_URL, if set, must point at a reachable endpoint"
            }
            Error::Credentials { .. } => {
                "for a profile, check ~/.aws/config (for SSO run `aws sso login --profile NAME`); \
                 for a role, check the source connection and the role's trust policy"
            }
            Error::InvalidInput { .. } | Error::Io { .. } | Error::Storage(_) | Error::Internal(_) => return None,
        };
        Some(hint.to_owned())
    }

    /// `Some` when the failure says AWS refused the call (not a network or local problem).
    pub fn aws_code(&self) -> Option<&str> {
        match self {
            Error::Aws { code, .. } => Some(code),
            _ => None,
        }
    }

    pub fn payload(&self) -> ErrorPayload {
        ErrorPayload { code: self.code(), message: self.to_string(), hint: self.hint() }
    }
}

fn aws_hint(code: &str) -> Option<String> {
    let hint = match code {
        "InvalidClientTokenId" | "UnrecognizedClientException" => {
            "AWS does not know this access key id: check it, or whether it was deactivated"
        }
        "SignatureDoesNotMatch" | "InvalidSignatureException" => {
            "the secret access key does not match the key id: remove the connection and add it again"
        }
        "ExpiredToken" | "ExpiredTokenException" | "RequestExpired" => {
            "the credentials have expired: refresh them (SSO: `aws sso login`) and check the system clock"
        }
        "AccessDenied" | "AccessDeniedException" => {
            "the principal lacks a permission: give the customer's admin the policy Pinshift generates"
        }
        "ThrottlingException" | "TooManyRequestsException" | "Throttling" => "AWS is throttling: wait and retry",
        _ => return None,
    };
    Some(hint.to_owned())
}
