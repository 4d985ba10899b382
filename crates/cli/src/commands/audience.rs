//! `pinshift audience`: endpoint exports into profile objects, opt-outs and suppressions, accounted for.

use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use pinshift_core::audience::input::discover;
use pinshift_core::audience::transform::{self, Options, Progress, Reconciliation};
use pinshift_core::clock::SystemClock;
use pinshift_core::engagement::lease::LeaseRequest;
use pinshift_core::migration::audience::{self as load, AudienceSource, LoadEvent, LoadRequest, LoadSummary};

use crate::args::AudienceCommand;
use crate::commands::{migrate, open_engagement};
use crate::{EXIT_CANCELLED, output};

fn bar(json: bool) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(
        Some(0),
        if json { ProgressDrawTarget::hidden() } else { ProgressDrawTarget::stderr() },
    );
    bar.set_style(
        ProgressStyle::with_template("{spinner} {elapsed} [{bar:30}] {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar
}

pub fn run(engagement: Option<&Path>, command: AudienceCommand, json: bool) -> anyhow::Result<ExitCode> {
    match command {
        AudienceCommand::Load {
            client,
            from,
            exclude_inactive,
            accept_problems,
            connection,
            version,
            concurrency,
            take_over,
        } => {
            let engagement = open_engagement(engagement)?;
            let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
            rt.block_on(async {
                let version = migrate::version_of(&engagement, version)?;
                let graph = migrate::graph(&engagement, version)?;
                let (from, exclude_inactive, accept_problems) = if from.is_empty() {
                    let source = load::sources(&engagement, version, std::slice::from_ref(&client))?
                        .remove(&client)
                        .ok_or_else(|| {
                            pinshift_core::Error::invalid(
                                "--from",
                                format!(
                                    "no audience source recorded for {client}: pass --from PATH (files, folders or \
                                     s3://BUCKET/PREFIX/), or record one with `pinshift audience source`"
                                ),
                            )
                        })?;
                    if !json {
                        output::status(&format!("From {} ({})", source.from.join(", "), source.origin));
                    }
                    (
                        source.from.iter().map(std::path::PathBuf::from).collect(),
                        exclude_inactive || source.exclude_inactive,
                        accept_problems.or(source.accept_problems),
                    )
                } else {
                    let source = AudienceSource {
                        client: client.clone(),
                        from: absolute(&from)?,
                        exclude_inactive,
                        accept_problems: accept_problems.clone(),
                        set_at: None,
                        origin: "recorded".into(),
                    };
                    engagement.set_audience_source(&source, &SystemClock)?;
                    (source.from.iter().map(std::path::PathBuf::from).collect(), exclude_inactive, accept_problems)
                };
                let (target, account, _) = migrate::target(&engagement, connection.as_deref()).await?;
                let cancel = Arc::new(AtomicBool::new(false));
                let lease = LeaseRequest::new("audience load").take_over(take_over);
                let _lease = engagement.acquire_lease(&lease, Arc::new(SystemClock), Some(cancel.clone()))?;
                let on_ctrl_c = cancel.clone();
                tokio::spawn(async move {
                    if tokio::signal::ctrl_c().await.is_ok() {
                        output::status("Stopping after the calls in flight…");
                        on_ctrl_c.store(true, Ordering::Relaxed);
                    }
                });
                if !json {
                    output::status(&format!("Loading {client}'s audience into account {account}"));
                }
                let bar = bar(json);
                let request =
                    LoadRequest { client, from, exclude_inactive, accept_problems, concurrency, skip_loaded: false };
                let summary = load::load(
                    &engagement,
                    &graph,
                    &request,
                    &target,
                    &SystemClock,
                    &|event| match event {
                        LoadEvent::Transform(Progress::Read { bytes, total, endpoints }) => {
                            bar.set_length(total);
                            bar.set_position(bytes);
                            bar.set_message(format!("transforming: {endpoints} endpoints read"));
                        }
                        LoadEvent::Transform(Progress::Group { done, total, profiles }) => {
                            bar.set_length(total);
                            bar.set_position(done);
                            bar.set_message(format!("transforming: {profiles} profiles"));
                        }
                        LoadEvent::Part { part, done, total } => {
                            bar.set_length(total);
                            bar.set_position(done);
                            bar.set_message(part);
                        }
                    },
                    &cancel,
                )
                .await;
                bar.finish_and_clear();
                let summary = summary?;
                if json {
                    output::json(&summary)?;
                } else {
                    print_load(&summary)?;
                }
                if summary.state == "stopped" {
                    output::status("Stopped: run the same command again to go on where it stopped");
                    return Ok(ExitCode::from(EXIT_CANCELLED));
                }
                Ok(ExitCode::SUCCESS)
            })
        }
        AudienceCommand::Source { client, from, exclude_inactive, accept_problems, clear, version } => {
            let engagement = open_engagement(engagement)?;
            if let (Some(client), true) = (&client, clear) {
                let had = engagement.clear_audience_source(client)?;
                output::status(&if had {
                    format!("{client}: recorded audience source forgotten")
                } else {
                    format!("{client}: no audience source was recorded")
                });
                return Ok(ExitCode::SUCCESS);
            }
            if let (Some(client), false) = (&client, from.is_empty()) {
                let paths: Vec<std::path::PathBuf> = from.iter().map(std::path::PathBuf::from).collect();
                let source = AudienceSource {
                    client: client.clone(),
                    from: absolute(&paths)?,
                    exclude_inactive,
                    accept_problems,
                    set_at: None,
                    origin: "recorded".into(),
                };
                let source = engagement.set_audience_source(&source, &SystemClock)?;
                if json {
                    return output::json(&source).map(|()| ExitCode::SUCCESS);
                }
                output::status(&format!(
                    "{client}: audience source {}{}; `pinshift migrate apply` loads it once the client is applied",
                    source.from.join(", "),
                    if source.exclude_inactive { " (inactive endpoints excluded)" } else { "" }
                ));
                return Ok(ExitCode::SUCCESS);
            }
            let version = migrate::version_of(&engagement, version)?;
            let graph = migrate::graph(&engagement, version)?;
            let mut clients: Vec<String> = graph
                .resources
                .iter()
                .flat_map(|r| r.clients.iter().cloned())
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect();
            if let Some(c) = &client {
                clients.retain(|x| x == c);
            }
            let sources = load::sources(&engagement, version, &clients)?;
            if json {
                return output::json(&sources).map(|()| ExitCode::SUCCESS);
            }
            let rows: Vec<Vec<String>> = clients
                .iter()
                .map(|c| match sources.get(c) {
                    Some(s) => vec![
                        c.clone(),
                        s.from.join(", "),
                        s.origin.clone(),
                        if s.exclude_inactive { "excluded" } else { "kept" }.into(),
                    ],
                    None => {
                        vec![c.clone(), "none: runs do not load this audience".into(), String::new(), String::new()]
                    }
                })
                .collect();
            output::table(&["CLIENT", "AUDIENCE SOURCE", "ORIGIN", "INACTIVE"], &rows)?;
            Ok(ExitCode::SUCCESS)
        }
        AudienceCommand::Clean { client } => {
            let engagement = open_engagement(engagement)?;
            let removed = load::clean(&engagement, client.as_deref())?;
            if json {
                return output::json(&removed).map(|()| ExitCode::SUCCESS);
            }
            if removed.is_empty() {
                output::status("No audience work folders to delete");
            }
            for dir in &removed {
                output::status(&format!("Deleted {}", dir.display()));
            }
            Ok(ExitCode::SUCCESS)
        }
        AudienceCommand::Reconcile { client, connection } => {
            let engagement = open_engagement(engagement)?;
            let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
            rt.block_on(async {
                let (target, account, _) = migrate::target(&engagement, connection.as_deref()).await?;
                let (out, elsewhere) = load::reconcile(&engagement, &account, client.as_deref(), &target).await?;
                for l in &elsewhere {
                    output::status(&format!(
                        "{}: its audience is in account {}, not {account}: reconcile it with a connection to it",
                        l.client, l.target.account_id
                    ));
                }
                if json {
                    output::json(&out)?;
                } else {
                    for l in &out {
                        print_load(l)?;
                    }
                }
                Ok(if out.iter().all(|l| l.holds) { ExitCode::SUCCESS } else { ExitCode::from(1) })
            })
        }
        AudienceCommand::Transform { from, out, exclude_inactive, client, workers } => {
            let (pieces, skipped) = discover(&from)?;
            for s in &skipped {
                output::status(&format!("Skipped {}: {}", s.path.display(), s.reason));
            }
            if pieces.is_empty() {
                anyhow::bail!(pinshift_core::Error::invalid("--from", "no endpoint export pieces found there"));
            }
            let total: u64 = pieces.iter().map(|p| p.bytes).sum();
            if !json {
                output::status(&format!(
                    "Transforming {} piece(s), {:.1} MB, into {}",
                    pieces.len(),
                    total as f64 / 1e6,
                    out.display()
                ));
            }
            let bar = ProgressBar::with_draw_target(
                Some(total),
                if json { ProgressDrawTarget::hidden() } else { ProgressDrawTarget::stderr() },
            );
            bar.set_style(
                ProgressStyle::with_template("{spinner} {elapsed} [{bar:30}] {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar())
                    .progress_chars("=> "),
            );
            let started = std::time::Instant::now();
            let options = Options { exclude_inactive, workers, client, partitions: None };
            let result = transform::transform(&pieces, &out, &options, &|p| match p {
                Progress::Read { bytes, total, endpoints } => {
                    bar.set_length(total);
                    bar.set_position(bytes);
                    bar.set_message(format!("reading: {endpoints} endpoints"));
                }
                Progress::Group { done, total, profiles } => {
                    bar.set_length(total);
                    bar.set_position(done);
                    bar.set_message(format!("grouping: {profiles} profiles"));
                }
            });
            bar.finish_and_clear();
            let result = result?;
            let rec = &result.reconciliation;
            if json {
                output::json(&serde_json::json!({
                    "out": result.dir,
                    "profile_files": result.profile_files,
                    "reconciliation": rec,
                }))?;
                return Ok(ExitCode::SUCCESS);
            }
            print_reconciliation(rec)?;
            output::status(&format!(
                "{} endpoints in {:.1} s; files in {}: profiles/, object-type.json, {}, {}, {}, {}, {}",
                rec.endpoints_read,
                started.elapsed().as_secs_f64(),
                result.dir.display(),
                transform::NUMBERS_FILE,
                transform::SUPPRESSED_FILE,
                transform::EXCLUDED_FILE,
                transform::PROBLEMS_FILE,
                transform::RECONCILIATION_FILE
            ));
            if rec.has_problems() {
                output::status(&format!(
                    "{} line(s) could not be read and {} piece(s) break before their end: each is named in {} \
                     (file, line). Everything else was transformed; a load refuses this input until you fix it \
                     or accept the loss.",
                    rec.unreadable_lines,
                    rec.damaged_pieces,
                    out.join(transform::PROBLEMS_FILE).display()
                ));
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Local paths made absolute (a run may start from another folder); `s3://` URLs as they are.
fn absolute(paths: &[std::path::PathBuf]) -> anyhow::Result<Vec<String>> {
    paths
        .iter()
        .map(|p| {
            if load::is_s3(p) {
                return Ok(p.to_string_lossy().into_owned());
            }
            let full =
                std::fs::canonicalize(p).map_err(|source| pinshift_core::Error::Io { path: p.clone(), source })?;
            Ok(full.to_string_lossy().into_owned())
        })
        .collect()
}

/// A load: the transform's reconciliation, then what was written and what the target holds.
fn print_load(l: &LoadSummary) -> anyhow::Result<()> {
    output::status(&format!("{} — load {} ({}){}", l.client, l.id, l.state, if l.resumed { ", resumed" } else { "" }));
    print_reconciliation(&l.reconciliation)?;
    let held = |n: Option<u64>| n.map_or_else(|| "not read".to_owned(), |n| n.to_string());
    let counts = l.counts.clone().unwrap_or_default();
    let rows = vec![
        vec![
            "profiles".into(),
            l.reconciliation.profiles.to_string(),
            l.profiles_written.to_string(),
            held(counts.profiles),
            match &l.target.domain {
                Some(domain) => {
                    format!("domain {domain}{}", if l.target.shared_domain { " (shared: whole domain)" } else { "" })
                }
                None => "none: the client is on SES and SMS only (no Customer Profiles)".into(),
            },
        ],
        vec![
            "opted-out numbers".into(),
            l.reconciliation.opt_outs.sms_numbers.to_string(),
            l.opted_out_written.to_string(),
            held(counts.opted_out_numbers),
            l.target.opt_out_list.clone().map_or_else(|| "no opt-out list".into(), |n| format!("opt-out list {n}")),
        ],
        vec![
            "suppressed addresses".into(),
            l.reconciliation.opt_outs.email_addresses.to_string(),
            l.suppressed_written.to_string(),
            held(counts.suppressed_addresses),
            l.target.tenant.clone().map_or_else(|| "no SES tenant".into(), |t| format!("tenant {t}")),
        ],
    ];
    output::table(&["", "TRANSFORMED", "WRITTEN", "IN THE TARGET", "WHERE"], &rows)?;
    for n in &l.not_carried {
        output::status(&format!("Not carried: {n}"));
    }
    output::status(&format!(
        "The transform is kept in {} for resuming: it holds the client's addresses — `pinshift audience clean \
         --client {}` deletes it once the client is reconciled",
        l.work_dir.display(),
        l.client
    ));
    if l.profiles_failed > 0 {
        output::status(&format!("{} profile objects were refused by Customer Profiles", l.profiles_failed));
    }
    if l.state == "finished" {
        output::status(if l.holds {
            "The load reconciles: every endpoint accounted for, every profile, opt-out and suppression written and held"
        } else {
            "The load does NOT reconcile: see the rows above"
        });
    }
    Ok(())
}

/// Every endpoint read, by channel: where it went.
fn print_reconciliation(rec: &Reconciliation) -> anyhow::Result<()> {
    let mut rows: Vec<Vec<String>> = rec
        .by_channel
        .iter()
        .map(|(channel, c)| {
            vec![
                channel.clone(),
                c.read.to_string(),
                c.in_profiles.to_string(),
                c.invalid_address.to_string(),
                c.inactive_excluded.to_string(),
                c.duplicate.to_string(),
                c.opted_out.to_string(),
            ]
        })
        .collect();
    rows.push(vec![
        "all".into(),
        rec.endpoints_read.to_string(),
        rec.in_profiles.to_string(),
        rec.invalid_address.to_string(),
        rec.inactive_excluded.to_string(),
        rec.duplicate.to_string(),
        rec.by_channel.values().map(|c| c.opted_out).sum::<u64>().to_string(),
    ]);
    output::table(
        &["CHANNEL", "READ", "IN PROFILES", "INVALID ADDRESS", "INACTIVE (EXCLUDED)", "DUPLICATE", "OPTED OUT"],
        &rows,
    )?;
    output::status(&format!(
        "{} profiles ({} of one endpoint without a UserId); {} opted-out numbers for the SMS opt-out list \
         (from {} endpoints), {} addresses for the tenant's suppression list (from {} endpoints){}",
        rec.profiles,
        rec.profiles_without_user_id,
        rec.opt_outs.sms_numbers,
        rec.opt_outs.sms_endpoints,
        rec.opt_outs.email_addresses,
        rec.opt_outs.email_endpoints,
        if rec.opt_outs.invalid > 0 {
            format!("; {} opted-out endpoints have no valid address to carry", rec.opt_outs.invalid)
        } else {
            String::new()
        }
    ));
    if !rec.renamed_attributes.is_empty() {
        let names: Vec<String> = rec.renamed_attributes.iter().map(|(a, b)| format!("{a} → {b}")).collect();
        output::status(&format!("Attributes renamed for Customer Profiles: {}", names.join(", ")));
    }
    if rec.truncated_values > 0 {
        output::status(&format!("{} values were cut to Customer Profiles' 255 characters", rec.truncated_values));
    }
    output::status(if rec.holds() {
        "Reconciliation holds: every endpoint read is in a profile or excluded for the reason stated"
    } else {
        "Reconciliation does NOT hold: report this as a bug, with reconciliation.json"
    });
    Ok(())
}
