//! The `pinshift` command-line tool: a thin front end over pinshift-core and pinshift-aws.

mod args;
mod commands;
mod output;

use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;

use crate::args::{Cli, Command, ConnectionCommand, EstateCommand, IamPolicyCommand, JournalCommand, MigrateCommand};
use crate::commands::{
    audience, blueprint, connection, engagement, estate, migrate, open_engagement, report, scan, translate,
};

fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::env::var_os("NO_COLOR").is_none())
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_env("PINSHIFT_LOG").unwrap_or_else(|_| {
            // The SDK's credential chain logs every fallback it tries (IMDS on a laptop, …) as a warning;
            // Pinshift reports the failure that matters itself.
            "warn,aws_config::imds=off,aws_config::meta::credentials=error".into()
        }))
        .init();
    match run(cli) {
        Ok(code) => code,
        // `pinshift … | head` closing the pipe early is not an error worth a message.
        Err(error) if is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            match error.downcast_ref::<pinshift_core::Error>() {
                Some(core) => output::error(&core.to_string(), core.hint().as_deref()),
                None => output::error(&format!("{error:#}"), None),
            }
            ExitCode::FAILURE
        }
    }
}

/// Exit code of a scan that finished but could not read everything.
pub const EXIT_GAPS: u8 = 3;
/// Exit code of a scan stopped by Ctrl-C (what it read is kept).
pub const EXIT_CANCELLED: u8 = 130;

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let json = cli.json;
    let runtime = || tokio::runtime::Builder::new_multi_thread().enable_all().build();
    let ok = |result: anyhow::Result<()>| result.map(|()| ExitCode::SUCCESS);
    match cli.command {
        Command::Init { file, name } => ok(engagement::init(&file, name.as_deref(), json)),
        Command::Info { file, check } => {
            let file = file
                .or(cli.engagement)
                .ok_or_else(|| pinshift_core::Error::invalid("engagement", "name the file: pinshift info FILE"))?;
            ok(engagement::info(&file, check, json))
        }
        Command::Connection(command) => {
            let engagement = open_engagement(cli.engagement.as_deref())?;
            ok(match command {
                ConnectionCommand::Add(args) => connection::add(&engagement, args, json),
                ConnectionCommand::List => connection::list(&engagement, json),
                ConnectionCommand::Test { name, region } => {
                    runtime()?.block_on(connection::test(&engagement, &name, region.as_deref(), json))
                }
                ConnectionCommand::Remove { name } => connection::remove(&engagement, &name, json),
            })
        }
        Command::Scan { from_dump: Some(dir), resume, take_over, .. } => {
            let engagement = open_engagement(cli.engagement.as_deref())?;
            runtime()?.block_on(scan::from_dump(&engagement, &dir, resume, take_over, json))
        }
        Command::Scan { connections, regions, concurrency, resume, take_over, from_dump: None, audience } => {
            let engagement = open_engagement(cli.engagement.as_deref())?;
            let request = pinshift_core::scan::request::ScanRequest {
                connections,
                regions,
                audience: audience.settings(),
                concurrency: Some(concurrency),
                resume,
                take_over,
            };
            runtime()?.block_on(scan::run(&engagement, request, json))
        }
        Command::DumpCommands { regions } => {
            for region in &regions {
                pinshift_core::connections::validate_region(region)?;
            }
            let regions: Vec<String> = if regions.is_empty() {
                pinshift_core::scan::PINPOINT_REGIONS.iter().map(|r| (*r).to_owned()).collect()
            } else {
                regions
            };
            ok(output::text(&pinshift_core::dump::commands(&regions)))
        }
        Command::IamPolicy(IamPolicyCommand::Scan { audience_bucket, audience_role, audience_prefix }) => {
            match (audience_bucket, audience_role) {
                (Some(bucket), Some(role_arn)) => {
                    let settings =
                        pinshift_core::scan::audience::ExportSettings { bucket, prefix: audience_prefix, role_arn };
                    settings.validate()?;
                    ok(output::json(&pinshift_core::policy::audience_policy(&settings)))
                }
                _ => ok(output::json(&pinshift_core::policy::scan_policy())),
            }
        }
        Command::Assess { scan, client, rules } => {
            if rules {
                return ok(blueprint::assess_rules(json));
            }
            let engagement = open_engagement(cli.engagement.as_deref())?;
            ok(blueprint::assess(&engagement, scan.as_deref(), client.as_deref(), json))
        }
        Command::Report { format, out, version, scan, force } => {
            let engagement = open_engagement(cli.engagement.as_deref())?;
            ok(report::write(&engagement, &format, &out, version, scan.as_deref(), force, json))
        }
        Command::IamPolicy(IamPolicyCommand::Migrate { scan }) => {
            let engagement = open_engagement(cli.engagement.as_deref())?;
            let (blueprint, _) = engagement.current_blueprint(scan.as_deref())?;
            // The exports audience loads download: recorded sources, and the scan's own exports.
            let clients: Vec<String> = blueprint.clients.iter().map(|c| c.client.clone()).collect();
            let mut urls: Vec<String> = engagement.audience_sources()?.into_values().flat_map(|s| s.from).collect();
            if let Some(version) = engagement.blueprint_versions()?.last() {
                let sources = pinshift_core::migration::audience::sources(&engagement, version.version, &clients)?;
                urls.extend(sources.into_values().flat_map(|s| s.from));
            }
            let policy = pinshift_core::policy::migrate_policy(&blueprint);
            ok(output::json(&pinshift_core::policy::with_export_reads(policy, &urls)))
        }
        Command::Translate(command) => {
            let engagement = open_engagement(cli.engagement.as_deref())?;
            ok(translate::run(&engagement, command, json))
        }
        Command::Blueprint(command) => {
            let engagement = open_engagement(cli.engagement.as_deref())?;
            ok(blueprint::run(&engagement, command, json))
        }
        Command::Migrate(command) => {
            let engagement = open_engagement(cli.engagement.as_deref())?;
            let rt = runtime()?;
            ok(match command {
                MigrateCommand::Plan { clients, version, connection, wave } => {
                    let clients = migrate::with_wave(&engagement, clients, wave.as_deref(), version)?;
                    rt.block_on(migrate::plan(&engagement, &clients, version, connection.as_deref(), json))
                }
                MigrateCommand::Verify { clients, wave, version, connection } => {
                    let clients = migrate::with_wave(&engagement, clients, wave.as_deref(), version)?;
                    rt.block_on(migrate::verify(&engagement, &clients, version, connection.as_deref(), json))
                }
                MigrateCommand::Waves { accept, set, clients, pilot, remove, version } => {
                    let change = match (accept, set, remove) {
                        (true, _, _) => Some(migrate::WaveChange::Accept),
                        (_, Some(name), _) => Some(migrate::WaveChange::Set { name, clients, pilot }),
                        (_, _, Some(name)) => Some(migrate::WaveChange::Remove { name }),
                        _ => None,
                    };
                    migrate::waves(&engagement, change, version, json)
                }
                MigrateCommand::Apply {
                    clients,
                    wave,
                    version,
                    connection,
                    yes,
                    allow_unsigned,
                    reason,
                    take_over,
                    wait,
                    poll,
                } => {
                    let unsigned = if allow_unsigned { reason } else { None };
                    let clients = migrate::with_wave(&engagement, clients, wave.as_deref(), version)?;
                    let poll = poll.map(Duration::from_secs);
                    let scope = migrate::Scope { clients, version, connection, yes, take_over, poll };
                    rt.block_on(migrate::apply(&engagement, scope, unsigned, Duration::from_secs(wait), json))
                }
                MigrateCommand::Resume { take_over, wait, poll } => {
                    let poll = poll.map(Duration::from_secs);
                    rt.block_on(migrate::resume(&engagement, take_over, Duration::from_secs(wait), poll, json))
                }
                MigrateCommand::Rollback { clients, step, include_connect_instances, connection, yes, take_over } => {
                    let scope = migrate::Scope { clients, version: None, connection, yes, take_over, poll: None };
                    rt.block_on(migrate::rollback(&engagement, scope, step.as_deref(), include_connect_instances, json))
                }
                MigrateCommand::Gate { step, by } => migrate::confirm_gate(&engagement, &step, &by, json),
            })
        }
        Command::Audience(command) => audience::run(cli.engagement.as_deref(), command, json),
        Command::Journal(command) => {
            let engagement = open_engagement(cli.engagement.as_deref())?;
            ok(match command {
                JournalCommand::Show { client, run } => migrate::journal_show(&engagement, client, run, json),
                JournalCommand::Verify => migrate::journal_verify(&engagement, json),
                JournalCommand::Export { format, out } => migrate::journal_export(&engagement, &format, out.as_deref()),
            })
        }
        Command::Estate(command) => {
            let engagement = open_engagement(cli.engagement.as_deref())?;
            ok(match command {
                EstateCommand::List => estate::list(&engagement, json),
                EstateCommand::Show { scan, kind } => estate::show(&engagement, scan.as_deref(), kind.as_deref(), json),
                EstateCommand::Export { scan, output } => {
                    estate::export(&engagement, scan.as_deref(), output.as_deref())
                }
                EstateCommand::Diff { before, after, kind } => {
                    estate::diff(&engagement, &before, after.as_deref(), kind.as_deref(), json)
                }
            })
        }
    }
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause.downcast_ref::<std::io::Error>().is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
            || cause
                .downcast_ref::<serde_json::Error>()
                .is_some_and(|e| e.io_error_kind() == Some(std::io::ErrorKind::BrokenPipe))
    })
}
