//! Estate files: what the sandbox serves. This first version declares accounts, their IAM user's access
//! key and the roles other accounts may assume; Pinpoint and SMS resources come with the source side.

use std::path::Path;

use serde::{Deserialize, Serialize};

/// The estates compiled into the binary, by name.
const BUILT_IN: &[(&str, &str)] = &[("minimal", include_str!("../estates/minimal.json"))];

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Estate {
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// The default Region announced in the ready file.
    pub region: String,
    pub accounts: Vec<Account>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Account {
    pub name: String,
    pub account_id: String,
    /// The IAM user that owns the access key.
    pub user: String,
    pub access_key_id: String,
    pub secret_access_key: String,
    #[serde(default)]
    pub roles: Vec<Role>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Role {
    pub name: String,
    /// Accounts whose principals may assume the role; empty means only this account.
    #[serde(default)]
    pub trusted_accounts: Vec<String>,
    /// When set, AssumeRole must pass exactly this external id.
    #[serde(default)]
    pub external_id: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum EstateError {
    #[error("{file}: {source}")]
    Read { file: String, source: std::io::Error },
    #[error("{file}: at {path}: {message}")]
    Invalid { file: String, path: String, message: String },
    #[error("unknown estate {0:?}: name a built-in estate ({1}) or a path to an estate file")]
    Unknown(String, String),
}

impl Estate {
    /// A built-in estate by name, or an estate file by path.
    pub fn load(name_or_path: &str) -> Result<Estate, EstateError> {
        if let Some((name, text)) = BUILT_IN.iter().find(|(name, _)| *name == name_or_path) {
            return Estate::parse(&format!("<built-in {name}>"), text);
        }
        let path = Path::new(name_or_path);
        if !path.exists() {
            let names: Vec<&str> = BUILT_IN.iter().map(|(name, _)| *name).collect();
            return Err(EstateError::Unknown(name_or_path.to_owned(), names.join(", ")));
        }
        let text = std::fs::read_to_string(path)
            .map_err(|source| EstateError::Read { file: path.display().to_string(), source })?;
        Estate::parse(&path.display().to_string(), &text)
    }

    /// Parses estate JSON; errors name the file and the path of the bad field.
    pub fn parse(file: &str, text: &str) -> Result<Estate, EstateError> {
        let deserializer = &mut serde_json::Deserializer::from_str(text);
        let estate: Estate = serde_path_to_error::deserialize(deserializer).map_err(|error| {
            let path = error.path().to_string();
            EstateError::Invalid { file: file.to_owned(), path, message: error.into_inner().to_string() }
        })?;
        estate.validate(file)?;
        Ok(estate)
    }

    fn validate(&self, file: &str) -> Result<(), EstateError> {
        let invalid = |path: String, message: &str| EstateError::Invalid {
            file: file.to_owned(),
            path,
            message: message.to_owned(),
        };
        let mut keys = std::collections::HashSet::new();
        for (i, account) in self.accounts.iter().enumerate() {
            if account.account_id.len() != 12 || !account.account_id.chars().all(|c| c.is_ascii_digit()) {
                return Err(invalid(format!("accounts[{i}].account_id"), "an account id is 12 digits"));
            }
            if !keys.insert(account.access_key_id.as_str()) {
                return Err(invalid(format!("accounts[{i}].access_key_id"), "access key ids must be unique"));
            }
        }
        Ok(())
    }

    pub fn account_by_key(&self, access_key_id: &str) -> Option<&Account> {
        self.accounts.iter().find(|a| a.access_key_id == access_key_id)
    }

    pub fn account_by_id(&self, account_id: &str) -> Option<&Account> {
        self.accounts.iter().find(|a| a.account_id == account_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_estates_parse() {
        for (name, _) in BUILT_IN {
            Estate::load(name).expect(name);
        }
    }

    #[test]
    fn a_bad_field_is_named_with_its_path() {
        let text = r#"{"name":"x","region":"us-east-1","accounts":[{"name":"a","account_id":"1","user":"u",
            "access_key_id":"AKIA1","secret_access_key":"s","roles":[{"name":"r","external_id":7}]}]}"#;
        let error = Estate::parse("estate.json", text).expect_err("bad");
        let message = error.to_string();
        assert!(message.starts_with("estate.json: at accounts[0].roles[0].external_id"), "{message}");
    }
}
