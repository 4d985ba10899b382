//! Secrets: the [`Sensitive`] wrapper and the [`SecretStore`] port.
//!
//! Secrets only ever live in the OS keychain ([`KeychainStore`]) or, in tests, in memory
//! ([`MemoryStore`]). They are write-only across IPC: front ends hand a secret in, and only ever get back
//! whether one is present.

use std::collections::HashMap;
use std::fmt;
use std::sync::Mutex;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::{Error, Result};

/// A value that must never be logged, printed or serialised.
///
/// `Debug` and `Display` print `<redacted>`; `Serialize` fails, so a secret that strays into a report, an
/// IPC response or a log record is an error instead of a leak. `Deserialize` works, so a secret can be
/// *received* (for example from the desktop's connection form).
#[derive(Clone, PartialEq, Eq)]
pub struct Sensitive<T>(T);

impl<T> Sensitive<T> {
    pub fn new(value: T) -> Self {
        Sensitive(value)
    }

    /// The secret itself. Call this only where the value is handed to the keychain or to a signer.
    pub fn expose(&self) -> &T {
        &self.0
    }

    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> fmt::Debug for Sensitive<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl<T> fmt::Display for Sensitive<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl<T> Serialize for Sensitive<T> {
    fn serialize<S: Serializer>(&self, _serializer: S) -> Result<S::Ok, S::Error> {
        Err(serde::ser::Error::custom("refusing to serialise a secret"))
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Sensitive<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize(deserializer).map(Sensitive)
    }
}

/// Where secrets are kept. Keys are opaque strings chosen by the caller (see
/// [`crate::connections`] for the naming scheme).
pub trait SecretStore: Send + Sync + fmt::Debug {
    fn set(&self, key: &str, secret: &Sensitive<String>) -> Result<()>;
    fn get(&self, key: &str) -> Result<Option<Sensitive<String>>>;
    /// Removes the secret; removing an absent secret is not an error.
    fn delete(&self, key: &str) -> Result<()>;
}

/// The OS keychain through the `keyring` crate: Secret Service on Linux, Keychain on macOS, Credential
/// Manager on Windows.
#[derive(Debug, Clone)]
pub struct KeychainStore {
    service: String,
}

impl KeychainStore {
    /// The store Pinshift uses; all entries share the service name `pinshift`.
    pub fn new() -> Self {
        Self::with_service("pinshift")
    }

    /// A store under another service name, so tests never touch a user's real entries.
    pub fn with_service(service: impl Into<String>) -> Self {
        KeychainStore { service: service.into() }
    }

    fn entry(&self, key: &str) -> Result<keyring::Entry> {
        keyring::Entry::new(&self.service, key).map_err(keychain_error)
    }
}

impl Default for KeychainStore {
    fn default() -> Self {
        Self::new()
    }
}

fn keychain_error(error: keyring::Error) -> Error {
    match error {
        keyring::Error::PlatformFailure(inner) | keyring::Error::NoStorageAccess(inner) => {
            Error::KeychainUnavailable { detail: inner.to_string() }
        }
        other => Error::KeychainUnavailable { detail: other.to_string() },
    }
}

impl SecretStore for KeychainStore {
    fn set(&self, key: &str, secret: &Sensitive<String>) -> Result<()> {
        self.entry(key)?.set_password(secret.expose()).map_err(keychain_error)
    }

    fn get(&self, key: &str) -> Result<Option<Sensitive<String>>> {
        match self.entry(key)?.get_password() {
            Ok(secret) => Ok(Some(Sensitive::new(secret))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(error) => Err(keychain_error(error)),
        }
    }

    fn delete(&self, key: &str) -> Result<()> {
        match self.entry(key)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(error) => Err(keychain_error(error)),
        }
    }
}

/// Secrets in memory, for tests and for throwaway sessions.
#[derive(Debug, Default)]
pub struct MemoryStore {
    secrets: Mutex<HashMap<String, String>>,
}

impl MemoryStore {
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> Result<std::sync::MutexGuard<'_, HashMap<String, String>>> {
        self.secrets.lock().map_err(|_| Error::Internal("secret store lock poisoned".into()))
    }
}

impl SecretStore for MemoryStore {
    fn set(&self, key: &str, secret: &Sensitive<String>) -> Result<()> {
        self.lock()?.insert(key.to_owned(), secret.expose().clone());
        Ok(())
    }

    fn get(&self, key: &str) -> Result<Option<Sensitive<String>>> {
        Ok(self.lock()?.get(key).cloned().map(Sensitive::new))
    }

    fn delete(&self, key: &str) -> Result<()> {
        self.lock()?.remove(key);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sensitive_redacts_debug_and_display() {
        let secret = Sensitive::new("hunter2".to_owned());
        assert_eq!(format!("{secret:?}"), "<redacted>");
        assert_eq!(format!("{secret}"), "<redacted>");
        #[derive(Debug)]
        #[allow(dead_code)]
        struct Holder {
            secret: Sensitive<String>,
        }
        assert!(!format!("{:?}", Holder { secret }).contains("hunter2"));
    }

    #[test]
    fn sensitive_refuses_to_serialise_but_can_be_received() {
        let secret = Sensitive::new("hunter2".to_owned());
        let error = serde_json::to_string(&secret).expect_err("serialising a secret must fail");
        assert!(error.to_string().contains("refusing"));
        let received: Sensitive<String> = serde_json::from_str("\"s3cr3t\"").expect("deserialise");
        assert_eq!(received.expose(), "s3cr3t");
    }

    #[test]
    fn memory_store_round_trips_and_deletes() {
        let store = MemoryStore::new();
        assert!(store.get("k").expect("get").is_none());
        store.set("k", &Sensitive::new("v".into())).expect("set");
        assert_eq!(store.get("k").expect("get").expect("present").expose(), "v");
        store.delete("k").expect("delete");
        store.delete("k").expect("deleting twice is fine");
        assert!(store.get("k").expect("get").is_none());
    }
}
