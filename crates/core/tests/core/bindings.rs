use std::path::PathBuf;

/// The committed TypeScript bindings must match the Rust types; a stale file fails here.
#[test]
fn committed_bindings_are_current() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let path = root.join(pinshift_core::bindings::BINDINGS_PATH);
    let generated = pinshift_core::bindings::typescript();
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::write(&path, &generated).expect("write bindings");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(committed == generated, "{} is stale: run `make bindings` and commit the result", path.display());
}
