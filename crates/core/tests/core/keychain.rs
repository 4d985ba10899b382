//! The real OS keychain. On Linux this needs a Secret Service: `make test` runs the suite inside a private
//! dbus session with an unlocked, throwaway gnome-keyring. Outside one (`PINSHIFT_TEST_KEYCHAIN` unset)
//! these tests say so and pass without asserting, so a plain `cargo test` on a laptop never touches the
//! user's real keychain.

use pinshift_core::connections::{ConnectionKind, NewConnection, SecretState};
use pinshift_core::engagement::Engagement;
use pinshift_core::secrets::{KeychainStore, SecretStore, Sensitive};

use crate::clock;

#[allow(clippy::print_stderr)] // says why the test asserts nothing outside `make test`
fn throwaway_keychain() -> Option<KeychainStore> {
    if std::env::var_os("PINSHIFT_TEST_KEYCHAIN").is_none() {
        eprintln!("skipping: PINSHIFT_TEST_KEYCHAIN is not set (run through `make test`)");
        return None;
    }
    Some(KeychainStore::with_service(format!("pinshift-test-{}", uuid::Uuid::new_v4())))
}

#[test]
fn secrets_round_trip_through_the_os_keychain() {
    let Some(store) = throwaway_keychain() else {
        return;
    };
    let key = "engagement/conn";
    assert!(store.get(key).expect("get").is_none());
    store.set(key, &Sensitive::new("s3cr3t-value".into())).expect("set");
    assert_eq!(store.get(key).expect("get").expect("present").expose(), "s3cr3t-value");
    store.delete(key).expect("delete");
    assert!(store.get(key).expect("get").is_none());
}

#[test]
fn connections_keep_their_secret_in_the_os_keychain() {
    let Some(store) = throwaway_keychain() else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let e = Engagement::create(&dir.path().join("k.pinshift"), None, &clock()).expect("create");
    let new = NewConnection {
        name: "prod".into(),
        kind: ConnectionKind::AccessKey { access_key_id: "AKIAEXAMPLE000000002".into() },
        region: None,
    };
    e.add_connection(&new, Some(&Sensitive::new("keychain-secret-1234".into())), &store, &clock()).expect("add");
    assert_eq!(e.list_connections(&store).expect("list")[0].secret, SecretState::Present);
    let stored = store.get(&format!("{}/prod", e.id())).expect("get").expect("in keychain");
    assert_eq!(stored.expose(), "keychain-secret-1234");
    e.remove_connection("prod", &store).expect("remove");
    assert!(store.get(&format!("{}/prod", e.id())).expect("get").is_none());
}
