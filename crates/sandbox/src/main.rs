//! `pinshift-sandbox serve`: runs the sandbox until interrupted.

use std::path::PathBuf;

use anyhow::Context;
use clap::{Parser, Subcommand};
use pinshift_sandbox::limits::FaultProfile;
use pinshift_sandbox::{Estate, RunningSandbox};

#[derive(Debug, Parser)]
#[command(name = "pinshift-sandbox", version, about = "A local, wire-faithful twin of the AWS APIs Pinshift calls")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve an estate on 127.0.0.1 until interrupted.
    Serve {
        /// A built-in estate name (`minimal`) or the path of an estate file.
        #[arg(long, default_value = "minimal", env = "PINSHIFT_SANDBOX_ESTATE")]
        estate: String,
        /// Port to listen on; 0 picks a free one.
        #[arg(long, default_value_t = 0)]
        port: u16,
        /// Written once listening: JSON with the endpoint, Region and account keys.
        #[arg(long)]
        ready_file: Option<PathBuf>,
        /// Injected faults: `none`, `flaky`, `slow`, `throttled`, `lossy`, `key=value,…` (seed, throttle,
        /// server_error, drop, applied_error, applied_drop, latency_ms=MIN..MAX) or JSON.
        #[arg(long, default_value = "none", env = "PINSHIFT_SANDBOX_FAULTS")]
        faults: FaultProfile,
        /// Turn off the per-operation rate quotas (on by default, as on AWS).
        #[arg(long)]
        no_quotas: bool,
        /// Pinpoint as after its end of support (2026-10-30): engagement operations answer 403
        /// ForbiddenException; apps, push, SMS, voice, OTP and phone-number validation keep working.
        #[arg(long)]
        retired_pinpoint: bool,
        /// Rehearse a customer's migration offline: serve what a scan in this engagement file read (the
        /// newest finished scan unless --scan names one) instead of --estate. Each account gets keys of its
        /// own, listed in the ready file.
        #[arg(long, value_name = "FILE", conflicts_with = "estate")]
        from_engagement: Option<PathBuf>,
        /// With --from-engagement: the scan to serve.
        #[arg(long, value_name = "ID", requires = "from_engagement")]
        scan: Option<String>,
        /// With --from-engagement: also write the estate it serves to this file (to edit, or to serve later
        /// with --estate).
        #[arg(long, value_name = "FILE", requires = "from_engagement")]
        write_estate: Option<PathBuf>,
    },
    /// Print the JSON Schema of estate files.
    Schema,
    /// Write a large generated estate (for benchmarks) as JSON.
    Generate {
        #[arg(long, default_value_t = 100)]
        projects: usize,
        /// Segments, campaigns, journeys and templates per project.
        #[arg(long, default_value_t = 200)]
        resources: usize,
        /// Endpoints across all projects.
        #[arg(long, default_value_t = 1_000_000)]
        endpoints: u64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Where to write it; stdout when absent.
        #[arg(long)]
        output: Option<PathBuf>,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_env("PINSHIFT_LOG").unwrap_or_else(|_| "info".into()))
        .init();
    let (estate, port, ready_file, faults, no_quotas, retired_pinpoint) = match Cli::parse().command {
        Command::Serve {
            estate,
            port,
            ready_file,
            faults,
            no_quotas,
            retired_pinpoint,
            from_engagement,
            scan,
            write_estate,
        } => {
            let estate = match from_engagement {
                Some(file) => rehearsal(&file, scan.as_deref(), write_estate.as_deref())?,
                None => Estate::load(&estate)?,
            };
            (estate, port, ready_file, faults, no_quotas, retired_pinpoint)
        }
        Command::Schema => {
            let json = serde_json::to_vec_pretty(&Estate::json_schema())?;
            std::io::Write::write_all(&mut std::io::stdout().lock(), &json)?;
            return Ok(());
        }
        Command::Generate { projects, resources, endpoints, seed, output } => {
            let estate = pinshift_sandbox::generate::generate(&pinshift_sandbox::generate::Shape {
                projects,
                resources,
                endpoints,
                seed,
            });
            let json = serde_json::to_vec_pretty(&estate)?;
            match output {
                Some(path) => std::fs::write(&path, json).with_context(|| format!("{}", path.display()))?,
                None => std::io::Write::write_all(&mut std::io::stdout().lock(), &json)?,
            }
            return Ok(());
        }
    };
    let sandbox = RunningSandbox::start_with(estate, port, faults).await?;
    sandbox.state.quotas.set_enabled(!no_quotas);
    if retired_pinpoint {
        sandbox.state.set_pinpoint_retired(true);
    }
    let info = sandbox.ready_info();
    if let Some(path) = ready_file {
        let tmp = path.with_extension("tmp");
        std::fs::write(&tmp, serde_json::to_vec_pretty(&info)?).with_context(|| format!("{}", tmp.display()))?;
        std::fs::rename(&tmp, &path).with_context(|| format!("{}", path.display()))?;
    }
    tracing::info!(endpoint = %sandbox.endpoint(), estate = %info["estate"], "sandbox listening");
    tokio::signal::ctrl_c().await.context("waiting for Ctrl-C")?;
    tracing::info!("stopping");
    sandbox.stop().await;
    Ok(())
}

/// The estate of a scan in an engagement file (read through pinshift-core).
#[cfg(feature = "rehearsal")]
fn rehearsal(file: &std::path::Path, scan: Option<&str>, write: Option<&std::path::Path>) -> anyhow::Result<Estate> {
    let engagement = pinshift_core::engagement::Engagement::open(file, &pinshift_core::clock::SystemClock)
        .with_context(|| format!("{}", file.display()))?;
    let json = engagement.rehearsal_estate(scan).with_context(|| format!("{}", file.display()))?;
    let text = serde_json::to_string_pretty(&json)?;
    if let Some(path) = write {
        std::fs::write(path, &text).with_context(|| format!("{}", path.display()))?;
    }
    Ok(Estate::parse(&format!("rehearsal of {}", file.display()), &text)?)
}

#[cfg(not(feature = "rehearsal"))]
fn rehearsal(_: &std::path::Path, _: Option<&str>, _: Option<&std::path::Path>) -> anyhow::Result<Estate> {
    anyhow::bail!("this pinshift-sandbox was built without the `rehearsal` feature")
}
