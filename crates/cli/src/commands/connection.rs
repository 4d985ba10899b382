//! `pinshift connection add|list|test|remove`.

use std::io::{IsTerminal, Read};

use pinshift_core::clock::SystemClock;
use pinshift_core::connections::{ConnectionKind, NewConnection, SecretState};
use pinshift_core::engagement::Engagement;
use pinshift_core::secrets::{KeychainStore, Sensitive};

use crate::args::AddConnection;
use crate::output;

/// The OS keychain. `PINSHIFT_KEYCHAIN_SERVICE` renames the service, so tests never see real entries.
pub fn keychain() -> KeychainStore {
    match std::env::var("PINSHIFT_KEYCHAIN_SERVICE") {
        Ok(service) if !service.is_empty() => KeychainStore::with_service(service),
        _ => KeychainStore::new(),
    }
}

pub fn add(engagement: &Engagement, args: AddConnection, json: bool) -> anyhow::Result<()> {
    let kind = match (args.access_key_id, args.profile, args.role_arn, args.source) {
        (Some(access_key_id), None, None, None) => ConnectionKind::AccessKey { access_key_id },
        (None, Some(profile), None, None) => ConnectionKind::Profile { profile },
        (None, None, Some(role_arn), Some(source)) => {
            ConnectionKind::AssumeRole { source, role_arn, external_id: args.external_id }
        }
        _ => {
            return Err(pinshift_core::Error::invalid(
                "connection",
                "give exactly one of --access-key-id, --profile or --role-arn with --source",
            )
            .into());
        }
    };
    if let Some(url) = &args.endpoint_url {
        pinshift_core::connections::validate_endpoint_url(url)?;
    }
    if let ConnectionKind::Profile { profile } = &kind {
        pinshift_aws::config::check_profile(&args.name, profile)?;
    }
    let secret = match &kind {
        ConnectionKind::AccessKey { access_key_id } => Some(read_secret(access_key_id)?),
        _ => None,
    };
    let new = NewConnection { name: args.name, kind, region: args.region };
    let mut summary = engagement.add_connection(&new, secret.as_ref(), &keychain(), &SystemClock)?;
    if let Some(url) = &args.endpoint_url {
        engagement.set_connection_endpoint(&summary.name, Some(url))?;
        summary.endpoint_url = Some(url.clone());
    }
    if json {
        return output::json(&summary);
    }
    let stored = if secret.is_some() { " (secret stored in the OS keychain)" } else { "" };
    output::status(&format!("Added connection {:?}: {}{stored}", summary.name, summary.kind.label()));
    output::status(&format!("Check it with: pinshift connection test {}", summary.name));
    Ok(())
}

/// Reads the secret access key from the terminal (without echo) or, when stdin is not a terminal, from
/// stdin. Never from the command line, where it would land in shell history and process listings.
fn read_secret(access_key_id: &str) -> anyhow::Result<Sensitive<String>> {
    let secret = if std::io::stdin().is_terminal() {
        rpassword::prompt_password(format!("Secret access key for {access_key_id}: "))?
    } else {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text)?;
        text
    };
    Ok(Sensitive::new(secret.trim().to_owned()))
}

pub fn list(engagement: &Engagement, json: bool) -> anyhow::Result<()> {
    let connections = engagement.list_connections(&keychain())?;
    if json {
        return output::json(&connections);
    }
    if connections.is_empty() {
        output::status("No connections yet. Add one with: pinshift connection add NAME --profile PROFILE");
        return Ok(());
    }
    let rows: Vec<Vec<String>> = connections
        .iter()
        .map(|c| {
            let secret = match c.secret {
                SecretState::Present => "in keychain",
                SecretState::Missing => "MISSING",
                SecretState::NotNeeded => "-",
                SecretState::Unknown => "keychain unavailable",
            };
            vec![
                c.name.clone(),
                c.kind.label().to_owned(),
                secret.to_owned(),
                c.region.clone().unwrap_or_else(|| "-".into()),
                match &c.endpoint_url {
                    Some(url) => format!("{} → {url}", c.kind.detail()),
                    None => c.kind.detail(),
                },
            ]
        })
        .collect();
    output::table(&["NAME", "KIND", "SECRET", "REGION", "DETAIL"], &rows)
}

pub async fn test(engagement: &Engagement, name: &str, region: Option<&str>, json: bool) -> anyhow::Result<()> {
    if let Some(region) = region {
        pinshift_core::connections::validate_region(region)?;
    }
    let resolved = engagement.resolve_connection(name, &keychain())?;
    let identity = pinshift_aws::identity::caller_identity(&resolved, region).await?;
    if json {
        return output::json(&identity);
    }
    output::fields(&[
        ("Connection", identity.connection),
        ("Account", identity.account),
        ("ARN", identity.arn),
        ("User id", identity.user_id),
    ])
}

pub fn remove(engagement: &Engagement, name: &str, json: bool) -> anyhow::Result<()> {
    engagement.remove_connection(name, &keychain())?;
    if json {
        return output::json(&serde_json::json!({ "removed": name }));
    }
    output::status(&format!("Removed connection {name:?} and its keychain secret"));
    Ok(())
}
