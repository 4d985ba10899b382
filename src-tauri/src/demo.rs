//! "Try the demo estate": the sandbox (Pinshift's local twin of the AWS APIs) runs inside the app with the
//! demo BPO estate, and an engagement in the app's data folder connects to it — so a newcomer sees the
//! whole product with no AWS account. The sandbox lives as long as the app; each start gets a new port,
//! which the demo connection's endpoint follows.

use pinshift_core::clock::SystemClock;
use pinshift_core::connections::{ConnectionKind, NewConnection};
use pinshift_core::engagement::{Engagement, EngagementInfo};
use pinshift_core::secrets::{SecretStore, Sensitive};
use pinshift_core::{Error, Result};
use pinshift_sandbox::{Estate, RunningSandbox};

/// The demo engagement's file name in the app's data folder.
pub const FILE: &str = "demo.pinshift";
/// The connection the demo engagement scans through: the BPO's own account in the demo estate.
pub const CONNECTION: &str = "demo-bpo";
const ACCOUNT: &str = "northwind";

/// The running sandbox and the runtime that serves it.
#[derive(Debug)]
pub struct Demo {
    sandbox: RunningSandbox,
    estate: Estate,
    _runtime: tokio::runtime::Runtime,
}

impl Demo {
    pub fn start() -> Result<Demo> {
        let estate = Estate::load("demo").map_err(|e| Error::Internal(format!("the demo estate: {e}")))?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("pinshift-demo-sandbox")
            .enable_all()
            .build()
            .map_err(|e| Error::Internal(format!("the demo sandbox's runtime: {e}")))?;
        let sandbox = runtime
            .block_on(RunningSandbox::start(estate.clone(), 0))
            .map_err(|e| Error::Internal(format!("the demo sandbox did not start: {e}")))?;
        tracing::info!(endpoint = %sandbox.endpoint(), "demo sandbox started");
        Ok(Demo { sandbox, estate, _runtime: runtime })
    }

    /// Opens (or creates) the demo engagement in `data_dir` with its connection pointed at this sandbox.
    pub fn engagement(&self, data_dir: &std::path::Path, secrets: &dyn SecretStore) -> Result<Engagement> {
        std::fs::create_dir_all(data_dir).map_err(|source| Error::Io { path: data_dir.to_owned(), source })?;
        let path = data_dir.join(FILE);
        let engagement = if path.exists() {
            Engagement::open(&path, &SystemClock)?
        } else {
            Engagement::create(&path, Some("Demo BPO"), &SystemClock)?
        };
        let account = self
            .estate
            .accounts
            .iter()
            .find(|a| a.name == ACCOUNT)
            .ok_or_else(|| Error::Internal("the demo estate has no northwind account".into()))?;
        let known = engagement.list_connections(secrets)?.into_iter().any(|c| c.name == CONNECTION);
        if !known {
            let new = NewConnection {
                name: CONNECTION.into(),
                kind: ConnectionKind::AccessKey { access_key_id: account.access_key_id.clone() },
                region: Some("us-east-1".into()),
            };
            let secret = Sensitive::new(account.secret_access_key.clone());
            engagement.add_connection(&new, Some(&secret), secrets, &SystemClock)?;
        }
        engagement.set_connection_endpoint(CONNECTION, Some(&self.sandbox.endpoint()))?;
        Ok(engagement)
    }
}

/// Starts the demo (once per app run) and opens its engagement; returns its path and info.
pub fn open(
    demo: &std::sync::Mutex<Option<Demo>>,
    data_dir: &std::path::Path,
    secrets: &dyn SecretStore,
) -> Result<(std::path::PathBuf, EngagementInfo)> {
    let mut demo = demo.lock().map_err(|_| Error::Internal("demo lock poisoned".into()))?;
    if demo.is_none() {
        *demo = Some(Demo::start()?);
    }
    let demo = demo.as_ref().ok_or_else(|| Error::Internal("the demo sandbox is not running".into()))?;
    let engagement = demo.engagement(data_dir, secrets)?;
    Ok((engagement.path().to_owned(), engagement.info()?))
}
