use pinshift_core::ErrorCode;
use pinshift_core::connections::{BaseCredentials, ConnectionKind, NewConnection, SecretState};
use pinshift_core::engagement::Engagement;
use pinshift_core::secrets::{MemoryStore, SecretStore, Sensitive};

use crate::clock;

fn engagement(dir: &tempfile::TempDir) -> Engagement {
    Engagement::create(&dir.path().join("e.pinshift"), None, &clock()).expect("create")
}

fn keys(name: &str) -> NewConnection {
    NewConnection {
        name: name.into(),
        kind: ConnectionKind::AccessKey { access_key_id: "AKIAEXAMPLE000000001".into() },
        region: Some("eu-west-1".into()),
    }
}

fn secret() -> Sensitive<String> {
    Sensitive::new("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY".into())
}

#[test]
fn access_key_secret_goes_to_the_store_never_to_the_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = MemoryStore::new();
    let e = engagement(&dir);
    e.add_connection(&keys("prod"), Some(&secret()), &store, &clock()).expect("add");

    let listed = e.list_connections(&store).expect("list");
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].secret, SecretState::Present);
    let json = serde_json::to_string(&listed).expect("json");
    assert!(!json.contains("bPxRfiCYEXAMPLEKEY"), "listing leaks the secret: {json}");

    drop(e);
    for entry in std::fs::read_dir(dir.path()).expect("dir") {
        let bytes = std::fs::read(entry.expect("entry").path()).expect("read");
        assert!(!bytes.windows(18).any(|w| w == b"bPxRfiCYEXAMPLEKEY"), "the secret reached the engagement file");
    }
}

#[test]
fn a_secret_from_another_machine_shows_as_missing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let e = engagement(&dir);
    e.add_connection(&keys("prod"), Some(&secret()), &MemoryStore::new(), &clock()).expect("add");
    let elsewhere = MemoryStore::new();
    assert_eq!(e.list_connections(&elsewhere).expect("list")[0].secret, SecretState::Missing);
    let error = e.resolve_connection("prod", &elsewhere).expect_err("no secret");
    assert_eq!(error.code(), ErrorCode::SecretMissing);
}

#[test]
fn assume_role_chains_resolve_to_their_base_credentials_in_order() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = MemoryStore::new();
    let e = engagement(&dir);
    e.add_connection(&keys("hub"), Some(&secret()), &store, &clock()).expect("hub");
    let role = |name: &str, source: &str, arn: &str| NewConnection {
        name: name.into(),
        kind: ConnectionKind::AssumeRole {
            source: source.into(),
            role_arn: arn.into(),
            external_id: Some("pinshift-ext-1".into()),
        },
        region: None,
    };
    e.add_connection(&role("audit", "hub", "arn:aws:iam::111111111111:role/Audit"), None, &store, &clock())
        .expect("audit");
    e.add_connection(&role("client-a", "audit", "arn:aws:iam::222222222222:role/Scan"), None, &store, &clock())
        .expect("client-a");

    let resolved = e.resolve_connection("client-a", &store).expect("resolve");
    let arns: Vec<_> = resolved.roles.iter().map(|r| r.role_arn.as_str()).collect();
    assert_eq!(arns, ["arn:aws:iam::111111111111:role/Audit", "arn:aws:iam::222222222222:role/Scan"]);
    assert_eq!(resolved.region.as_deref(), Some("eu-west-1"), "the Region is inherited from the source");
    match resolved.base {
        BaseCredentials::AccessKey { access_key_id, secret_access_key } => {
            assert_eq!(access_key_id, "AKIAEXAMPLE000000001");
            assert_eq!(secret_access_key.expose(), secret().expose());
        }
        other => panic!("unexpected base {other:?}"),
    }

    let error = e.remove_connection("hub", &store).expect_err("hub is in use");
    assert!(error.to_string().contains("audit"), "{error}");
}

#[test]
fn removing_a_connection_removes_its_secret() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = MemoryStore::new();
    let e = engagement(&dir);
    e.add_connection(&keys("prod"), Some(&secret()), &store, &clock()).expect("add");
    let key = format!("{}/prod", e.id());
    assert!(store.get(&key).expect("get").is_some());
    e.remove_connection("prod", &store).expect("remove");
    assert!(store.get(&key).expect("get").is_none());
    assert!(e.list_connections(&store).expect("list").is_empty());
    assert_eq!(e.remove_connection("prod", &store).expect_err("gone").code(), ErrorCode::NotFound);
}

#[test]
fn bad_input_names_the_field_and_stores_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = MemoryStore::new();
    let e = engagement(&dir);
    let cases: Vec<(NewConnection, Option<Sensitive<String>>, &str)> = vec![
        (NewConnection { name: "has space".into(), ..keys("x") }, Some(secret()), "name"),
        (keys("nosecret"), None, "secret access key"),
        (
            NewConnection {
                name: "k".into(),
                kind: ConnectionKind::AccessKey { access_key_id: "short".into() },
                region: None,
            },
            Some(secret()),
            "access key id",
        ),
        (NewConnection { region: Some("mars-1".into()), ..keys("r") }, Some(secret()), "region"),
        (
            NewConnection {
                name: "role".into(),
                kind: ConnectionKind::AssumeRole {
                    source: "missing".into(),
                    role_arn: "arn:aws:iam::111111111111:role/X".into(),
                    external_id: None,
                },
                region: None,
            },
            None,
            "source connection",
        ),
        (
            NewConnection { name: "p".into(), kind: ConnectionKind::Profile { profile: "dev".into() }, region: None },
            Some(secret()),
            "secret",
        ),
    ];
    for (new, secret, field) in cases {
        let error = e.add_connection(&new, secret.as_ref(), &store, &clock()).expect_err("must refuse");
        assert_eq!(error.code(), ErrorCode::InvalidInput, "{error}");
        assert!(error.to_string().starts_with(&format!("invalid {field}")), "{field}: {error}");
    }
    assert!(e.list_connections(&store).expect("list").is_empty());
}

#[test]
fn duplicate_names_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = MemoryStore::new();
    let e = engagement(&dir);
    let profile =
        NewConnection { name: "dev".into(), kind: ConnectionKind::Profile { profile: "dev".into() }, region: None };
    e.add_connection(&profile, None, &store, &clock()).expect("add");
    assert_eq!(e.add_connection(&profile, None, &store, &clock()).expect_err("dup").code(), ErrorCode::AlreadyExists);
}
