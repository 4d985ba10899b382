//! Connections: named ways to reach a customer's AWS accounts.
//!
//! A connection is one of
//! - an **access key pair**: the key id is kept in the engagement file, the secret only in the OS keychain
//!   under `<engagement id>/<connection name>`;
//! - an **AWS profile** name, resolved by the standard AWS chain (config files, SSO, credential process);
//! - a **role to assume** from another connection (role ARN, optional external id), so one set of
//!   credentials can reach many accounts.
//!
//! Core stores and resolves connections; calling AWS with them is `pinshift-aws`'s job.

use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::clock::Clock;
use crate::engagement::Engagement;
use crate::secrets::{SecretStore, Sensitive};
use crate::{Error, Result};

/// How a connection reaches AWS. Contains no secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ConnectionKind {
    AccessKey {
        access_key_id: String,
    },
    Profile {
        profile: String,
    },
    AssumeRole {
        /// The connection whose credentials call `sts:AssumeRole`.
        source: String,
        role_arn: String,
        #[ts(optional)]
        #[serde(default, skip_serializing_if = "Option::is_none")]
        external_id: Option<String>,
    },
}

/// A connection to add. An access-key connection also needs its secret, passed separately as
/// [`Sensitive`].
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct NewConnection {
    pub name: String,
    #[serde(flatten)]
    pub kind: ConnectionKind,
    /// Default Region for calls that need one (STS, single-Region scans).
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
}

/// Whether a connection's secret is in this machine's keychain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SecretState {
    Present,
    /// Added on another machine, or removed from the keychain by hand.
    Missing,
    /// Profiles and roles keep no secret of their own.
    NotNeeded,
    /// The keychain could not be asked.
    Unknown,
}

/// One row of `pinshift connection list`; never carries a secret.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ConnectionSummary {
    pub name: String,
    #[serde(flatten)]
    pub kind: ConnectionKind,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Where its AWS calls go when not the standard endpoints (e.g. the local sandbox).
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub endpoint_url: Option<String>,
    pub secret: SecretState,
    pub created_at: String,
}

impl ConnectionKind {
    /// A short label for tables: `access-key`, `profile`, `assume-role`.
    pub fn label(&self) -> &'static str {
        match self {
            ConnectionKind::AccessKey { .. } => "access-key",
            ConnectionKind::Profile { .. } => "profile",
            ConnectionKind::AssumeRole { .. } => "assume-role",
        }
    }

    /// The non-secret detail shown beside the label.
    pub fn detail(&self) -> String {
        match self {
            ConnectionKind::AccessKey { access_key_id } => access_key_id.clone(),
            ConnectionKind::Profile { profile } => profile.clone(),
            ConnectionKind::AssumeRole { source, role_arn, external_id } => match external_id {
                Some(_) => format!("{role_arn} via {source} (with external id)"),
                None => format!("{role_arn} via {source}"),
            },
        }
    }
}

/// A connection with everything needed to build AWS credentials: the base credentials and the roles to
/// assume from them, in order.
#[derive(Debug, Clone)]
pub struct ResolvedConnection {
    pub name: String,
    pub base: BaseCredentials,
    pub roles: Vec<RoleHop>,
    pub region: Option<String>,
    /// An endpoint every AWS call goes to instead of the standard ones (the first along the chain).
    pub endpoint_url: Option<String>,
}

#[derive(Debug, Clone)]
pub enum BaseCredentials {
    AccessKey { access_key_id: String, secret_access_key: Sensitive<String> },
    Profile { profile: String },
}

#[derive(Debug, Clone)]
pub struct RoleHop {
    pub role_arn: String,
    pub external_id: Option<String>,
    /// The session name AWS records in CloudTrail.
    pub session_name: String,
}

/// The account and principal a connection authenticates as (STS GetCallerIdentity).
#[derive(Debug, Clone, Serialize, TS)]
pub struct CallerIdentity {
    pub connection: String,
    pub account: String,
    pub arn: String,
    pub user_id: String,
}

/// Longest chain of roles assumed one from another; AWS itself allows chaining but caps sessions at 1h.
const MAX_ROLE_CHAIN: usize = 5;

fn secret_key(engagement: &Engagement, name: &str) -> String {
    format!("{}/{}", engagement.id(), name)
}

impl Engagement {
    /// Adds a connection. `secret` is required for access keys and refused for other kinds.
    pub fn add_connection(
        &self,
        new: &NewConnection,
        secret: Option<&Sensitive<String>>,
        secrets: &dyn SecretStore,
        clock: &dyn Clock,
    ) -> Result<ConnectionSummary> {
        validate_name("name", &new.name)?;
        if let Some(region) = &new.region {
            validate_region(region)?;
        }
        if self.find_connection(&new.name)?.is_some() {
            return Err(Error::ConnectionExists { name: new.name.clone() });
        }
        let (access_key_id, profile, source, role_arn, external_id) = match &new.kind {
            ConnectionKind::AccessKey { access_key_id } => {
                validate_access_key_id(access_key_id)?;
                let secret = secret.ok_or_else(|| Error::invalid("secret access key", "it is required"))?;
                validate_secret(secret)?;
                (Some(access_key_id.as_str()), None, None, None, None)
            }
            ConnectionKind::Profile { profile } => {
                validate_profile(profile)?;
                (None, Some(profile.as_str()), None, None, None)
            }
            ConnectionKind::AssumeRole { source, role_arn, external_id } => {
                if self.find_connection(source)?.is_none() {
                    return Err(Error::invalid(
                        "source connection",
                        format!("no connection named {source:?} in this engagement"),
                    ));
                }
                validate_role_arn(role_arn)?;
                if let Some(external_id) = external_id {
                    validate_external_id(external_id)?;
                }
                (None, None, Some(source.as_str()), Some(role_arn.as_str()), external_id.as_deref())
            }
        };
        if secret.is_some() && access_key_id.is_none() {
            return Err(Error::invalid("secret", "only access-key connections store a secret"));
        }

        let created_at = crate::clock::rfc3339(clock.now());
        let tx = self.write_transaction()?;
        tx.execute(
            "INSERT INTO connection (name, kind, access_key_id, profile, source_connection, role_arn, external_id, region, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                new.name,
                kind_column(&new.kind),
                access_key_id,
                profile,
                source,
                role_arn,
                external_id,
                new.region,
                created_at
            ],
        )?;
        // The secret goes to the keychain before the row commits: a keychain failure leaves nothing behind.
        if let Some(secret) = secret {
            secrets.set(&secret_key(self, &new.name), secret)?;
        }
        tx.commit()?;
        tracing::info!(connection = %new.name, kind = new.kind.label(), "connection added");
        Ok(ConnectionSummary {
            name: new.name.clone(),
            kind: new.kind.clone(),
            region: new.region.clone(),
            endpoint_url: None,
            secret: if secret.is_some() { SecretState::Present } else { SecretState::NotNeeded },
            created_at,
        })
    }

    /// All connections, sorted by name, with whether each secret is present in `secrets`.
    pub fn list_connections(&self, secrets: &dyn SecretStore) -> Result<Vec<ConnectionSummary>> {
        let mut stmt = self.conn().prepare(
            "SELECT name, kind, access_key_id, profile, source_connection, role_arn, external_id, region, created_at,
                    endpoint_url
             FROM connection ORDER BY name",
        )?;
        let rows = stmt.query_map([], row_to_stored)?;
        let mut out = Vec::new();
        for row in rows {
            let (name, kind, region, created_at, endpoint_url) = row?;
            let kind = kind.map_err(|detail| Error::Corrupt { path: self.path().to_owned(), detail })?;
            let secret = match kind {
                ConnectionKind::AccessKey { .. } => match secrets.get(&secret_key(self, &name)) {
                    Ok(Some(_)) => SecretState::Present,
                    Ok(None) => SecretState::Missing,
                    Err(error) => {
                        tracing::warn!(connection = %name, %error, "keychain not readable");
                        SecretState::Unknown
                    }
                },
                _ => SecretState::NotNeeded,
            };
            out.push(ConnectionSummary { name, kind, region, endpoint_url, secret, created_at });
        }
        Ok(out)
    }

    /// Points a connection's AWS calls at `endpoint_url` (`None`: the standard endpoints again).
    pub fn set_connection_endpoint(&self, name: &str, endpoint_url: Option<&str>) -> Result<()> {
        if let Some(url) = endpoint_url {
            validate_endpoint_url(url)?;
        }
        let changed = self
            .conn()
            .execute("UPDATE connection SET endpoint_url = ?2 WHERE name = ?1", params![name, endpoint_url])?;
        if changed == 0 {
            return Err(Error::ConnectionNotFound { name: name.to_owned() });
        }
        Ok(())
    }

    /// Removes a connection and its keychain secret. Refused while another connection assumes a role
    /// through it.
    pub fn remove_connection(&self, name: &str, secrets: &dyn SecretStore) -> Result<()> {
        let Some((kind, _, _)) = self.find_connection(name)? else {
            return Err(Error::ConnectionNotFound { name: name.to_owned() });
        };
        let mut stmt = self.conn().prepare("SELECT name FROM connection WHERE source_connection = ?1 ORDER BY name")?;
        let dependents: Vec<String> = stmt.query_map([name], |row| row.get(0))?.collect::<rusqlite::Result<_>>()?;
        if !dependents.is_empty() {
            return Err(Error::ConnectionInUse { name: name.to_owned(), dependents: dependents.join(", ") });
        }
        if matches!(kind, ConnectionKind::AccessKey { .. }) {
            secrets.delete(&secret_key(self, name))?;
        }
        self.conn().execute("DELETE FROM connection WHERE name = ?1", [name])?;
        tracing::info!(connection = %name, "connection removed");
        Ok(())
    }

    /// Everything needed to build credentials for `name`, following assume-role sources to their base.
    pub fn resolve_connection(&self, name: &str, secrets: &dyn SecretStore) -> Result<ResolvedConnection> {
        let mut roles = Vec::new();
        let mut region = None;
        let mut endpoint_url = None;
        let mut current = name.to_owned();
        loop {
            let Some((kind, own_region, own_endpoint)) = self.find_connection(&current)? else {
                return Err(Error::ConnectionNotFound { name: current });
            };
            region = region.or(own_region);
            endpoint_url = endpoint_url.or(own_endpoint);
            match kind {
                ConnectionKind::AssumeRole { source, role_arn, external_id } => {
                    if roles.len() >= MAX_ROLE_CHAIN {
                        return Err(Error::invalid(
                            "connection",
                            format!("{name:?} chains more than {MAX_ROLE_CHAIN} roles"),
                        ));
                    }
                    roles.push(RoleHop { role_arn, external_id, session_name: format!("pinshift-{current}") });
                    current = source;
                }
                ConnectionKind::Profile { profile } => {
                    roles.reverse();
                    return Ok(ResolvedConnection {
                        name: name.to_owned(),
                        base: BaseCredentials::Profile { profile },
                        roles,
                        region,
                        endpoint_url,
                    });
                }
                ConnectionKind::AccessKey { access_key_id } => {
                    let secret_access_key = secrets
                        .get(&secret_key(self, &current))?
                        .ok_or_else(|| Error::SecretMissing { name: current.clone() })?;
                    roles.reverse();
                    return Ok(ResolvedConnection {
                        name: name.to_owned(),
                        base: BaseCredentials::AccessKey { access_key_id, secret_access_key },
                        roles,
                        region,
                        endpoint_url,
                    });
                }
            }
        }
    }

    fn find_connection(&self, name: &str) -> Result<Option<Found>> {
        let row = self
            .conn()
            .query_row(
                "SELECT name, kind, access_key_id, profile, source_connection, role_arn, external_id, region, created_at,
                        endpoint_url
                 FROM connection WHERE name = ?1",
                [name],
                row_to_stored,
            )
            .optional()?;
        match row {
            None => Ok(None),
            Some((_, kind, region, _, endpoint_url)) => {
                let kind = kind.map_err(|detail| Error::Corrupt { path: self.path().to_owned(), detail })?;
                Ok(Some((kind, region, endpoint_url)))
            }
        }
    }
}

/// A stored connection's kind, Region and endpoint.
type Found = (ConnectionKind, Option<String>, Option<String>);

type StoredRow = (String, std::result::Result<ConnectionKind, String>, Option<String>, String, Option<String>);

fn row_to_stored(row: &rusqlite::Row<'_>) -> rusqlite::Result<StoredRow> {
    let name: String = row.get(0)?;
    let kind: String = row.get(1)?;
    let missing = |column: &str| format!("connection {name:?} has no {column}");
    let parsed = match kind.as_str() {
        "access_key" => row
            .get::<_, Option<String>>(2)?
            .map(|access_key_id| ConnectionKind::AccessKey { access_key_id })
            .ok_or_else(|| missing("access key id")),
        "profile" => row
            .get::<_, Option<String>>(3)?
            .map(|profile| ConnectionKind::Profile { profile })
            .ok_or_else(|| missing("profile")),
        "assume_role" => match (row.get::<_, Option<String>>(4)?, row.get::<_, Option<String>>(5)?) {
            (Some(source), Some(role_arn)) => {
                Ok(ConnectionKind::AssumeRole { source, role_arn, external_id: row.get(6)? })
            }
            _ => Err(missing("source or role ARN")),
        },
        other => Err(format!("connection {name:?} has unknown kind {other:?}")),
    };
    Ok((name, parsed, row.get(7)?, row.get(8)?, row.get(9)?))
}

fn kind_column(kind: &ConnectionKind) -> &'static str {
    match kind {
        ConnectionKind::AccessKey { .. } => "access_key",
        ConnectionKind::Profile { .. } => "profile",
        ConnectionKind::AssumeRole { .. } => "assume_role",
    }
}

fn validate_name(field: &str, name: &str) -> Result<()> {
    let ok = (1..=64).contains(&name.len())
        && name.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if ok {
        Ok(())
    } else {
        Err(Error::invalid(
            field,
            format!("{name:?}: use 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit"),
        ))
    }
}

fn validate_access_key_id(id: &str) -> Result<()> {
    if (16..=128).contains(&id.len()) && id.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()) {
        Ok(())
    } else {
        Err(Error::invalid("access key id", "expected 16 to 128 upper-case letters and digits, like AKIA…"))
    }
}

fn validate_secret(secret: &Sensitive<String>) -> Result<()> {
    let value = secret.expose();
    if value.is_empty() {
        return Err(Error::invalid("secret access key", "it is empty"));
    }
    if value.len() > 256 || value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(Error::invalid("secret access key", "it contains spaces or control characters"));
    }
    Ok(())
}

fn validate_profile(profile: &str) -> Result<()> {
    if (1..=128).contains(&profile.len()) && !profile.chars().any(|c| c.is_whitespace() || c.is_control()) {
        Ok(())
    } else {
        Err(Error::invalid("profile", "use the profile's name as in ~/.aws/config, without spaces"))
    }
}

fn validate_role_arn(arn: &str) -> Result<()> {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let ok = parts.len() == 6
        && parts[0] == "arn"
        && parts[1].starts_with("aws")
        && parts[2] == "iam"
        && parts[3].is_empty()
        && parts[4].len() == 12
        && parts[4].chars().all(|c| c.is_ascii_digit())
        && parts[5].strip_prefix("role/").is_some_and(|rest| !rest.is_empty());
    if ok {
        Ok(())
    } else {
        Err(Error::invalid("role ARN", format!("{arn:?} is not like arn:aws:iam::123456789012:role/Name")))
    }
}

fn validate_external_id(external_id: &str) -> Result<()> {
    let ok = (2..=1224).contains(&external_id.len())
        && external_id.chars().all(|c| c.is_ascii_alphanumeric() || "+=,.@:/-_".contains(c));
    if ok { Ok(()) } else { Err(Error::invalid("external id", "use 2 to 1224 letters, digits or +=,.@:/-_")) }
}

/// Region names look like `us-east-1`, `ap-southeast-2`, `us-gov-west-1`.
/// An endpoint URL: `http://` or `https://`, a host, no spaces or credentials.
pub fn validate_endpoint_url(url: &str) -> Result<()> {
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"));
    let host = rest.map(|r| r.split('/').next().unwrap_or_default()).unwrap_or_default();
    let ok = !host.is_empty() && !host.contains('@') && !url.chars().any(char::is_whitespace) && url.len() <= 512;
    if ok { Ok(()) } else { Err(Error::invalid("endpoint URL", format!("{url:?} is not like https://host[:port]"))) }
}

pub fn validate_region(region: &str) -> Result<()> {
    let parts: Vec<&str> = region.split('-').collect();
    let ok = parts.len() >= 3
        && parts.first().is_some_and(|p| p.len() == 2 && p.chars().all(|c| c.is_ascii_lowercase()))
        && parts.last().is_some_and(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
        && parts[1..parts.len() - 1].iter().all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase()));
    if ok { Ok(()) } else { Err(Error::invalid("region", format!("{region:?} is not a Region name like us-east-1"))) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_are_checked() {
        for ok in ["us-east-1", "ap-southeast-2", "us-gov-west-1", "eu-central-1"] {
            assert!(validate_region(ok).is_ok(), "{ok}");
        }
        for bad in ["useast1", "US-EAST-1", "us-east-", "us--1", ""] {
            assert!(validate_region(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn role_arns_are_checked() {
        assert!(validate_role_arn("arn:aws:iam::123456789012:role/PinshiftScan").is_ok());
        assert!(validate_role_arn("arn:aws-us-gov:iam::123456789012:role/path/Name").is_ok());
        assert!(validate_role_arn("arn:aws:iam::12345:role/X").is_err());
        assert!(validate_role_arn("arn:aws:s3:::bucket").is_err());
    }
}
