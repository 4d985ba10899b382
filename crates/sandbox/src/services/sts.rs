//! AWS STS over awsQuery: GetCallerIdentity and AssumeRole.

use std::collections::HashMap;

use axum::http::StatusCode;

use crate::state::{Principal, Session, State};
use crate::wire::{Protocol, ServiceError, xml_escape};

pub const PROTOCOL: Protocol = Protocol::Query { xmlns: "https://sts.amazonaws.com/doc/2011-06-15/" };

/// The operation a form-encoded STS request names.
pub fn action(body: &[u8]) -> String {
    form_urlencoded::parse(body).find(|(k, _)| k == "Action").map(|(_, v)| v.into_owned()).unwrap_or_default()
}

/// Handles one STS request; returns the XML body.
pub fn handle(state: &State, principal: &Principal, body: &[u8]) -> Result<String, ServiceError> {
    let params: HashMap<String, String> = form_urlencoded::parse(body).into_owned().collect();
    let action = params.get("Action").cloned().unwrap_or_default();
    match action.as_str() {
        "GetCallerIdentity" => Ok(get_caller_identity(principal)),
        "AssumeRole" => assume_role(state, principal, &params),
        "" => Err(ServiceError::new(StatusCode::BAD_REQUEST, "MissingAction", "Missing Action")),
        other => Err(ServiceError::new(
            StatusCode::BAD_REQUEST,
            "InvalidAction",
            format!("Could not find operation {other} for version 2011-06-15"),
        )),
    }
}

fn envelope(action: &str, result: &str) -> String {
    format!(
        "<{action}Response xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n  <{action}Result>\n{result}  \
         </{action}Result>\n  <ResponseMetadata>\n    <RequestId>{}</RequestId>\n  </ResponseMetadata>\n</{action}Response>\n",
        uuid::Uuid::new_v4()
    )
}

fn get_caller_identity(principal: &Principal) -> String {
    envelope(
        "GetCallerIdentity",
        &format!(
            "    <Arn>{}</Arn>\n    <UserId>{}</UserId>\n    <Account>{}</Account>\n",
            xml_escape(&principal.arn),
            xml_escape(&principal.user_id),
            principal.account_id
        ),
    )
}

fn assume_role(state: &State, principal: &Principal, params: &HashMap<String, String>) -> Result<String, ServiceError> {
    let required = |name: &str| {
        params.get(name).cloned().ok_or_else(|| {
            ServiceError::new(
                StatusCode::BAD_REQUEST,
                "ValidationError",
                format!("1 validation error detected: Value null at '{name}' failed to satisfy constraint: Member must not be null"),
            )
        })
    };
    let role_arn = required("RoleArn")?;
    let session_name = required("RoleSessionName")?;
    let duration: u64 = params.get("DurationSeconds").and_then(|d| d.parse().ok()).unwrap_or(3600);
    let denied = || {
        ServiceError::new(
            StatusCode::FORBIDDEN,
            "AccessDenied",
            format!("User: {} is not authorized to perform: sts:AssumeRole on resource: {role_arn}", principal.arn),
        )
    };
    // arn:aws:iam::<account>:role/<name>
    let parts: Vec<&str> = role_arn.splitn(6, ':').collect();
    let (account_id, role_name) = match parts.as_slice() {
        ["arn", _, "iam", "", account, resource] => match resource.strip_prefix("role/") {
            Some(name) => (*account, name.rsplit('/').next().unwrap_or(name)),
            None => return Err(denied()),
        },
        _ => {
            return Err(ServiceError::new(
                StatusCode::BAD_REQUEST,
                "ValidationError",
                format!("{role_arn} is invalid"),
            ));
        }
    };
    let mut world = state.world();
    let account = world.estate.account_by_id(account_id).ok_or_else(denied)?;
    let role = account.roles.iter().find(|r| r.name == role_name).ok_or_else(denied)?;
    let trusted = if role.trusted_accounts.is_empty() {
        principal.account_id == account.account_id
    } else {
        role.trusted_accounts.contains(&principal.account_id)
    };
    if !trusted || role.external_id.as_ref().is_some_and(|id| params.get("ExternalId") != Some(id)) {
        return Err(denied());
    }

    let session = Session::issue(
        Principal {
            account_id: account.account_id.clone(),
            arn: format!("arn:aws:sts::{}:assumed-role/{}/{}", account.account_id, role.name, session_name),
            user_id: format!("{}:{session_name}", role_id(&account.account_id, &role.name)),
            deny: role.deny.clone(),
        },
        duration,
    );
    let body = envelope(
        "AssumeRole",
        &format!(
            "    <AssumedRoleUser>\n      <Arn>{}</Arn>\n      <AssumedRoleId>{}</AssumedRoleId>\n    </AssumedRoleUser>\n    \
             <Credentials>\n      <AccessKeyId>{}</AccessKeyId>\n      <SecretAccessKey>{}</SecretAccessKey>\n      \
             <SessionToken>{}</SessionToken>\n      <Expiration>{}</Expiration>\n    </Credentials>\n    \
             <PackedPolicySize>0</PackedPolicySize>\n",
            xml_escape(&session.principal.arn),
            xml_escape(&session.principal.user_id),
            session.access_key_id,
            session.secret_access_key,
            session.session_token,
            session.expiration()
        ),
    );
    world.sessions.insert(session.access_key_id.clone(), session);
    Ok(body)
}

/// A stable role id (AROA…) derived from the role, like AWS's unique ids.
fn role_id(account_id: &str, role: &str) -> String {
    let digest: u64 = format!("{account_id}/{role}")
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
    format!("AROA{digest:016X}")
}
