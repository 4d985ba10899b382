//! `pinshift migrate plan|apply|resume|rollback|gate` and `pinshift journal show|verify|export`: core's
//! runs over pinshift-aws's target writers.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use pinshift_aws::target::AwsTarget;
use pinshift_core::blueprint::graph::TargetGraph;
use pinshift_core::clock::{Clock, SystemClock};
use pinshift_core::engagement::Engagement;
use pinshift_core::engagement::lease::LeaseRequest;
use pinshift_core::migration::journal::{ExportFormat, JournalFilter, export, verify_rows};
use pinshift_core::migration::plan::{Action, Step};
use pinshift_core::migration::run::{self, RunEvent, RunProgress, RunRequest};
use pinshift_core::migration::verify::{self, Check, SegmentState, Verdict, VerifyRequest};
use pinshift_core::migration::waves::{Wave, Waves};

use super::connection::keychain;
use crate::output;

/// What `apply` and `rollback` act on, as the user named it.
#[derive(Debug)]
pub struct Scope {
    pub clients: Vec<String>,
    pub version: Option<u32>,
    pub connection: Option<String>,
    /// The user confirmed writing to the account.
    pub yes: bool,
    /// Take the engagement's lease from a process that did not release it.
    pub take_over: bool,
    /// Read again this often while steps wait for AWS or a third party (apply only).
    pub poll: Option<Duration>,
}

/// The target side of a connection, and the account it reaches.
pub(crate) async fn target(
    engagement: &Engagement,
    connection: Option<&str>,
) -> anyhow::Result<(AwsTarget, String, String)> {
    let name = match connection {
        Some(name) => name.to_owned(),
        None => {
            let all = engagement.list_connections(&keychain())?;
            match all.as_slice() {
                [only] => only.name.clone(),
                [] => anyhow::bail!(pinshift_core::Error::invalid("connection", "this engagement has no connection")),
                _ => anyhow::bail!(pinshift_core::Error::invalid(
                    "connection",
                    "this engagement has several connections: name the target's with --connection NAME"
                )),
            }
        }
    };
    let resolved = engagement.resolve_connection(&name, &keychain())?;
    let (config, identity) = pinshift_aws::identity::connect(&resolved).await?;
    let mut target = AwsTarget::new(config, &identity.account, &name);
    // An account whose quotas AWS raised (or the sandbox) is paced faster: PINSHIFT_TARGET_RATE_SCALE=4.
    if let Ok(scale) = std::env::var("PINSHIFT_TARGET_RATE_SCALE") {
        let scale: f64 = scale.parse().map_err(|_| {
            pinshift_core::Error::invalid("PINSHIFT_TARGET_RATE_SCALE", format!("{scale:?} is not a number"))
        })?;
        target = target.with_rate_scale(scale);
    }
    Ok((target, identity.account, name))
}

/// Says which steps another account holds (a connection reaches one account).
fn elsewhere_note(elsewhere: &std::collections::BTreeMap<String, u32>) {
    for (account, steps) in elsewhere {
        output::status(&format!(
            "{steps} steps of these clients are in account {account}: run again with a connection to it (--connection NAME)"
        ));
    }
}

/// Says where the account cannot send to anyone yet (SES production access, the SMS sandbox) and what a
/// person does about it; the places that are ready in one line each.
fn readiness_note(readiness: &[pinshift_core::migration::plan::Readiness]) {
    for r in readiness {
        let place = format!("{} in {} {}", r.service.label(), r.account_id, r.region);
        match &r.todo {
            Some(todo) if !r.ready => output::status(&format!("Not ready to send: {place}: {}. {todo}", r.detail)),
            _ => output::status(&format!("Ready to send: {place}: {}", r.detail)),
        }
    }
}

/// `3 h 20 min`, `12 min`, `40 s`.
fn duration_words(seconds: f64) -> String {
    let s = seconds.ceil() as u64;
    match s {
        0..60 => format!("{s} s"),
        60..3600 => format!("{} min", s.div_ceil(60)),
        _ => format!("{} h {} min", s / 3600, (s % 3600) / 60),
    }
}

/// Asks on the terminal (answer `yes`); `false` without one (scripts pass --yes).
fn confirmed(what: &str) -> anyhow::Result<bool> {
    use std::io::{BufRead, IsTerminal, Write};
    if !std::io::stdin().is_terminal() {
        return Ok(false);
    }
    let mut err = std::io::stderr();
    write!(err, "{}. Type yes to go on: ", capitalised(what))?;
    err.flush()?;
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    Ok(answer.trim().eq_ignore_ascii_case("yes"))
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().collect::<String>() + chars.as_str()).unwrap_or_default()
}

pub(crate) fn version_of(engagement: &Engagement, version: Option<u32>) -> anyhow::Result<u32> {
    match version {
        Some(v) => Ok(v),
        None => engagement.blueprint_versions()?.last().map(|v| v.version).ok_or_else(|| {
            pinshift_core::Error::invalid(
                "version",
                "no saved blueprint version: save one with `pinshift blueprint save`",
            )
            .into()
        }),
    }
}

pub(crate) fn graph(engagement: &Engagement, version: u32) -> anyhow::Result<TargetGraph> {
    Ok(pinshift_core::migration::plan::run_graph(engagement, version, SystemClock.now())?)
}

/// What a step does, and what it still waits for once it exists.
fn step_word(step: &Step) -> String {
    match &step.waiting {
        Some(w) => format!("{} — waiting: {}", action_word(&step.action), w.what),
        None => action_word(&step.action),
    }
}

/// The DNS records steps wait for, under the step they are for.
fn print_records<'a>(steps: impl Iterator<Item = &'a Step>) {
    for step in steps {
        let Some(w) = step.waiting.as_ref().filter(|w| !w.records.is_empty()) else { continue };
        output::status(&format!("Publish these DNS records for {} {}:", step.kind.label(), step.name));
        for r in &w.records {
            output::status(&format!("  {:<5} {}  →  {}", r.record_type, r.name, r.value));
        }
    }
}

fn action_word(action: &Action) -> String {
    match action {
        Action::Create => "create".into(),
        Action::Adopt => "adopt".into(),
        Action::Differs { members } => format!("differs ({}): decide", members.join(", ")),
        Action::Done => "done".into(),
        Action::Gate { instructions } => format!("gate: {instructions}"),
        Action::Waiting { on } => format!("waiting: {on}"),
        Action::Blocked { on } => format!("blocked on {on}"),
        Action::NotAutomated => "not automated in this build".into(),
    }
}

pub async fn plan(
    engagement: &Engagement,
    clients: &[String],
    version: Option<u32>,
    connection: Option<&str>,
    json: bool,
) -> anyhow::Result<()> {
    let version = version_of(engagement, version)?;
    let graph = graph(engagement, version)?;
    let (target, account, _) = target(engagement, connection).await?;
    let plan = run::plan(engagement, &graph, version, &account, clients, &target).await?;
    if json {
        return output::json(&plan);
    }
    let rows: Vec<Vec<String>> = plan
        .steps
        .iter()
        .map(|s| vec![s.clients.join(","), s.kind.label().to_owned(), s.name.clone(), step_word(s)])
        .collect();
    output::table(&["CLIENT", "KIND", "NAME", "ACTION"], &rows)?;
    print_records(plan.steps.iter());
    output::status(&format!(
        "Version {version} in account {account}: {} to create, {} to adopt, {} differ, {} gates, {} wait for AWS or \
         a third party, {} not automated",
        plan.count(|a| *a == Action::Create),
        plan.count(|a| *a == Action::Adopt),
        plan.count(|a| matches!(a, Action::Differs { .. })),
        plan.count(|a| matches!(a, Action::Gate { .. })),
        plan.steps.iter().filter(|s| matches!(s.action, Action::Waiting { .. }) || s.waiting.is_some()).count(),
        plan.count(|a| *a == Action::NotAutomated),
    ));
    readiness_note(&plan.readiness);
    for a in &plan.audience {
        let who = match &a.load_from {
            Some(s) => format!("apply loads them from {} ({})", s.from.join(", "), s.origin),
            None => format!(
                "apply does not load them (no source: `pinshift audience source --client {} --from PATH`); \
                 `pinshift audience load` writes them",
                a.client
            ),
        };
        if a.uncounted {
            output::status(&format!(
                "Audience of {}: {who}; its size is known once transformed (`pinshift audience transform` counts it \
                 locally)",
                a.client
            ));
            continue;
        }
        output::status(&format!(
            "Audience of {} (from {}): {} endpoints → {} profiles, {} opted-out numbers, {} suppressed addresses; \
             {who}, by {}: about {} at AWS's rates{}",
            a.client,
            a.source,
            a.endpoints,
            a.profiles,
            a.opted_out_numbers,
            a.suppressed_addresses,
            a.method,
            duration_words(a.seconds),
            a.last_load.as_ref().map(|l| format!("; last load {l}")).unwrap_or_default()
        ));
    }
    elsewhere_note(&plan.elsewhere);
    Ok(())
}

struct Printer {
    json: bool,
}

impl RunProgress for Printer {
    fn report(&self, event: RunEvent) {
        if self.json {
            return;
        }
        match event {
            RunEvent::Step { done, total, step } => {
                output::status(&format!("[{done}/{total}] {} {}: {}", step.kind.label(), step.name, step_word(&step)));
                print_records(std::iter::once(&step));
            }
            RunEvent::Audience { client, part, done, total } if done == total && total > 0 => {
                output::status(&format!("Audience of {client}: {part}: {done} of {total}"))
            }
            RunEvent::Checked { done, total, kind, name, check, .. } => {
                output::status(&format!("[{done}/{total}] {} {name}: {}", kind.label(), check_word(check)))
            }
            _ => {}
        }
    }
}

/// Apply (or resume) a run under the engagement's lease; Ctrl-C stops it between steps.
async fn drive(
    engagement: &Engagement,
    graph: &TargetGraph,
    record: &run::RunRecord,
    target: &AwsTarget,
    take_over: bool,
    poll: Option<Duration>,
    json: bool,
) -> anyhow::Result<()> {
    let cancel = Arc::new(AtomicBool::new(false));
    let lease = LeaseRequest::new("migration run").take_over(take_over);
    let _lease = engagement.acquire_lease(&lease, Arc::new(SystemClock), Some(cancel.clone()))?;
    let on_ctrl_c = cancel.clone();
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            output::status("Stopping after the current step…");
            on_ctrl_c.store(true, Ordering::Relaxed);
        }
    });
    let printer = Printer { json };
    let mut summary = run::apply(engagement, graph, record, target, &SystemClock, &cancel, &printer).await?;
    // With --poll, passes repeat while steps wait for AWS or a third party (each pass is journaled).
    while let Some(every) = poll
        && summary.waiting > 0
        && summary.state == "finished"
    {
        if !json {
            output::status(&format!(
                "{} steps wait for AWS or a third party; reading the target again in {}s (Ctrl-C stops)",
                summary.waiting,
                every.as_secs()
            ));
        }
        let until = std::time::Instant::now() + every;
        while std::time::Instant::now() < until && !cancel.load(Ordering::Relaxed) {
            tokio::time::sleep(Duration::from_millis(200).min(every)).await;
        }
        if cancel.load(Ordering::Relaxed) {
            break;
        }
        summary = run::apply(engagement, graph, record, target, &SystemClock, &cancel, &printer).await?;
    }
    if json {
        return output::json(&summary);
    }
    output::status(&format!(
        "Run {} {}: {} created, {} adopted, {} already done, {} differ, {} at gates, {} wait for AWS or a third \
         party, {} blocked, {} not automated, {} failed",
        summary.run_id,
        summary.state,
        summary.created,
        summary.adopted,
        summary.done,
        summary.differs,
        summary.gates,
        summary.waiting,
        summary.blocked,
        summary.not_automated,
        summary.failed
    ));
    for a in &summary.audiences {
        output::status(&format!("  Audience of {}: {}: {}", a.client, a.outcome.replace('_', " "), a.detail));
    }
    for error in &summary.errors {
        output::status(&format!("  {error}"));
    }
    elsewhere_note(&summary.elsewhere);
    if summary.state == "failed" {
        anyhow::bail!("some steps failed; fix the cause and run `pinshift migrate resume`");
    }
    Ok(())
}

pub async fn apply(
    engagement: &Engagement,
    scope: Scope,
    allow_unsigned: Option<String>,
    wait: Duration,
    json: bool,
) -> anyhow::Result<()> {
    let version = version_of(engagement, scope.version)?;
    let graph = graph(engagement, version)?;
    let (target, account, connection) = target(engagement, scope.connection.as_deref()).await?;
    let target = target.with_wait(wait);
    let request =
        RunRequest { version, clients: scope.clients, connection, account_id: account.clone(), allow_unsigned };
    if !scope.yes {
        let who = if request.clients.is_empty() { "every client".to_owned() } else { request.clients.join(", ") };
        let what = format!("this writes to AWS account {account} for {who} (version {version})");
        if !confirmed(&what)? {
            anyhow::bail!(pinshift_core::Error::invalid("confirmation", format!("{what}: pass --yes to confirm")));
        }
    }
    let record = engagement.start_run(&request, &graph, &SystemClock)?;
    drive(engagement, &graph, &record, &target, scope.take_over, scope.poll, json).await
}

pub async fn resume(
    engagement: &Engagement,
    take_over: bool,
    wait: Duration,
    poll: Option<Duration>,
    json: bool,
) -> anyhow::Result<()> {
    let record = engagement
        .open_run()?
        .ok_or_else(|| pinshift_core::Error::invalid("run", "no run to resume: every run has finished"))?;
    let graph = graph(engagement, record.version)?;
    let (target, account, _) = target(engagement, Some(&record.connection)).await?;
    let target = target.with_wait(wait);
    if account != record.account_id {
        anyhow::bail!(pinshift_core::Error::invalid(
            "connection",
            format!(
                "run {} wrote to account {}, but {:?} now reaches {account}",
                record.id, record.account_id, record.connection
            )
        ));
    }
    drive(engagement, &graph, &record, &target, take_over, poll, json).await
}

pub async fn rollback(
    engagement: &Engagement,
    scope: Scope,
    step: Option<&str>,
    include_connect_instances: bool,
    json: bool,
) -> anyhow::Result<()> {
    let last = engagement.runs()?.into_iter().last().ok_or_else(|| {
        pinshift_core::Error::invalid("run", "nothing to roll back: this engagement has no migration run")
    })?;
    let graph = graph(engagement, last.version)?;
    let (target, account, _) = target(engagement, scope.connection.as_deref().or(Some(&last.connection))).await?;
    if !scope.yes {
        let what = format!("this deletes what Pinshift created in AWS account {account}");
        if !confirmed(&what)? {
            anyhow::bail!(pinshift_core::Error::invalid("confirmation", format!("{what}: pass --yes to confirm")));
        }
    }
    let cancel = Arc::new(AtomicBool::new(false));
    let lease = LeaseRequest::new("rollback").take_over(scope.take_over);
    let _lease = engagement.acquire_lease(&lease, Arc::new(SystemClock), Some(cancel.clone()))?;
    let summary = run::rollback(
        engagement,
        &graph,
        &scope.clients,
        step,
        include_connect_instances,
        &target,
        &SystemClock,
        &cancel,
    )
    .await?;
    if json {
        return output::json(&summary);
    }
    output::status(&format!("Rollback {}: {} deleted", summary.run_id, summary.deleted));
    for kept in &summary.kept {
        output::status(&format!("  kept {kept}"));
    }
    for failed in &summary.failed {
        output::status(&format!("  failed {failed}"));
    }
    if !summary.failed.is_empty() {
        anyhow::bail!("some deletions failed; run the rollback again once the cause is fixed");
    }
    Ok(())
}

pub fn confirm_gate(engagement: &Engagement, step: &str, by: &str, json: bool) -> anyhow::Result<()> {
    let last = engagement.runs()?.into_iter().last();
    let version = match &last {
        Some(run) => run.version,
        None => version_of(engagement, None)?,
    };
    let graph = graph(engagement, version)?;
    let Some(resource) = graph.resources.iter().find(|r| r.id == step) else {
        anyhow::bail!(pinshift_core::Error::invalid(
            "step",
            format!("no step {step:?} in blueprint version {version} (`pinshift migrate plan --json` lists the steps)")
        ));
    };
    if resource.gate.is_none() {
        anyhow::bail!(pinshift_core::Error::invalid(
            "step",
            format!("{step} has no gate: a run applies it without a person")
        ));
    }
    // A gate met before the first run (a quota increase asked for early) is journaled on its own.
    let run_id = last.map_or_else(|| "gates".to_owned(), |r| r.id);
    let row = engagement.confirm_gate(&run_id, step, by, &SystemClock)?;
    if json {
        return output::json(&row);
    }
    output::status(&format!("Gate {step} confirmed by {by}; `pinshift migrate resume` or the next apply goes on"));
    Ok(())
}

pub fn journal_show(
    engagement: &Engagement,
    client: Option<String>,
    run: Option<String>,
    json: bool,
) -> anyhow::Result<()> {
    let rows = engagement.journal_rows(&JournalFilter { run_id: run, client, step: None })?;
    if json {
        return output::json(&rows);
    }
    let table: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                r.seq.to_string(),
                r.at.clone(),
                r.run_id.clone(),
                r.phase.clone(),
                r.outcome.clone().unwrap_or_default(),
                r.step.clone().unwrap_or_default(),
                r.error_code.clone().unwrap_or_default(),
            ]
        })
        .collect();
    output::table(&["SEQ", "AT", "RUN", "PHASE", "OUTCOME", "STEP", "ERROR"], &table)
}

pub fn journal_verify(engagement: &Engagement, json: bool) -> anyhow::Result<()> {
    let check = engagement.journal_verify()?;
    if json {
        output::json(&check)?;
    } else if check.broken.is_none() {
        output::status(&format!("The journal's chain holds ({} rows)", check.rows));
    }
    if let Some(broken) = &check.broken {
        anyhow::bail!(pinshift_core::Error::Corrupt {
            path: engagement.path().to_owned(),
            detail: format!("the journal's chain breaks at row {}: {}", broken.seq, broken.reason),
        });
    }
    Ok(())
}

pub fn journal_export(engagement: &Engagement, format: &str, out: Option<&std::path::Path>) -> anyhow::Result<()> {
    let rows = engagement.journal_rows(&JournalFilter::default())?;
    debug_assert!(verify_rows(&rows).rows == rows.len() as i64);
    let bytes = export(&rows, ExportFormat::parse(format)?)?;
    match out {
        Some(path) => {
            std::fs::write(path, bytes).map_err(|source| pinshift_core::Error::Io { path: path.to_owned(), source })?;
            output::status(&format!("Wrote {} journal rows to {}", rows.len(), path.display()));
            Ok(())
        }
        None => output::text(&String::from_utf8_lossy(&bytes)),
    }
}

fn check_word(check: Check) -> String {
    match check {
        Check::Differs | Check::Missing | Check::Untagged | Check::Failed => check.label().to_uppercase(),
        _ => check.label().to_owned(),
    }
}

fn verdict_word(verdict: Verdict) -> String {
    match verdict {
        Verdict::Differs => verdict.label().to_uppercase(),
        _ => verdict.label().to_owned(),
    }
}

/// `clients` plus the clients of `wave`, if one is named.
pub fn with_wave(
    engagement: &Engagement,
    mut clients: Vec<String>,
    wave: Option<&str>,
    version: Option<u32>,
) -> anyhow::Result<Vec<String>> {
    let Some(wave) = wave else { return Ok(clients) };
    let version = version_of(engagement, version)?;
    let blueprint = engagement.blueprint_version(version)?;
    for client in engagement.waves(&blueprint.assessment)?.clients_of(wave)? {
        if !clients.contains(&client) {
            clients.push(client);
        }
    }
    Ok(clients)
}

pub async fn verify(
    engagement: &Engagement,
    clients: &[String],
    version: Option<u32>,
    connection: Option<&str>,
    json: bool,
) -> anyhow::Result<()> {
    let last = engagement.runs()?.into_iter().last();
    let version = match (version, &last) {
        (Some(v), _) => v,
        (None, Some(run)) => run.version,
        (None, None) => anyhow::bail!(pinshift_core::Error::invalid(
            "run",
            "nothing to verify: no migration run has applied anything yet (`pinshift migrate apply`)"
        )),
    };
    let graph = graph(engagement, version)?;
    let connection = connection.or(last.as_ref().map(|r| r.connection.as_str()));
    let (target, account, _) = target(engagement, connection).await?;
    let request = VerifyRequest { version, clients: clients.to_vec(), account_id: account.clone() };
    let result = verify::verify(engagement, &graph, &request, &target, &SystemClock, &Printer { json }).await?;
    if json {
        output::json(&result)?;
    } else {
        print_verification(&result, &account)?;
    }
    if result.clients.iter().any(|c| c.verdict == Verdict::Differs) {
        anyhow::bail!(pinshift_core::Error::invalid(
            "verify",
            "some clients' target resources differ from the blueprint version (listed above): decide, fix and verify again"
        ));
    }
    Ok(())
}

fn print_verification(result: &verify::Verification, account: &str) -> anyhow::Result<()> {
    let rows: Vec<Vec<String>> = result
        .clients
        .iter()
        .map(|c| {
            let segments_waiting = c.segments.iter().filter(|s| s.state == SegmentState::AwaitingAudience).count();
            vec![
                c.client.clone(),
                verdict_word(c.verdict),
                format!("{}/{}/{}", c.counts.matching, c.counts.present, c.counts.expected),
                format!("{}/{}", c.counts.templates_identical, c.counts.templates),
                if segments_waiting > 0 {
                    format!("{} (audience not loaded)", c.counts.segments)
                } else {
                    c.counts.segments.to_string()
                },
            ]
        })
        .collect();
    output::table(&["CLIENT", "VERDICT", "MATCH/PRESENT/EXPECTED", "RENDERS SAME", "SEGMENTS"], &rows)?;
    for c in &result.clients {
        for r in c.resources.iter().filter(|r| !matches!(r.check, Check::Matches)) {
            // Not applied: the detail says why (a gate, what it waits for); otherwise the check, then why.
            let said = match (r.check, r.detail.is_empty()) {
                (Check::NotApplied, false) => r.detail.clone(),
                (_, true) => check_word(r.check),
                (_, false) => format!("{} — {}", check_word(r.check), r.detail),
            };
            output::status(&format!("  {} {} {}: {said}", c.client, r.kind.label(), r.name));
        }
        for t in c.templates.iter().filter(|t| t.identical < t.endpoints) {
            if t.losses > 0 && t.cannot_render == 0 {
                output::status(&format!(
                    "  {} template {}: renders differ as its {} accepted translation loss(es) said",
                    c.client, t.template, t.losses
                ));
                continue;
            }
            for e in &t.examples {
                output::status(&format!(
                    "  {} template {} ({}, {}): {}",
                    c.client, t.template, e.endpoint, e.part, e.diff
                ));
            }
        }
        for s in c.segments.iter().filter(|s| s.state == SegmentState::Differs) {
            output::status(&format!("  {} segment {}: {}", c.client, s.name, s.note));
        }
        if let Some(a) = &c.audience {
            let said = match a.state.as_str() {
                "loaded" => format!(
                    "loaded ({}): {} endpoints, {} profiles, {} opted-out numbers, {} suppressed addresses — the target holds them",
                    a.load.as_deref().unwrap_or_default(),
                    a.endpoints_read,
                    a.profiles_written,
                    a.opted_out_written,
                    a.suppressed_written
                ),
                _ => a.note.clone(),
            };
            output::status(&format!("  {} audience: {said}", c.client));
        }
    }
    let mut readiness: Vec<_> = result.clients.iter().flat_map(|c| c.readiness.iter().cloned()).collect();
    readiness.sort_by(|a, b| (a.service, &a.account_id, &a.region).cmp(&(b.service, &b.account_id, &b.region)));
    readiness.dedup();
    readiness_note(&readiness);
    output::status(&format!("Verification {} of account {account} stored; `pinshift report` includes it", result.id));
    elsewhere_note(&result.elsewhere);
    Ok(())
}

/// A change to the engagement's waves.
#[derive(Debug)]
pub enum WaveChange {
    Accept,
    Set { name: String, clients: Vec<String>, pilot: bool },
    Remove { name: String },
}

pub fn waves(
    engagement: &Engagement,
    change: Option<WaveChange>,
    version: Option<u32>,
    json: bool,
) -> anyhow::Result<()> {
    let version = version_of(engagement, version)?;
    let blueprint = engagement.blueprint_version(version)?;
    let assessment = &blueprint.assessment;
    if let Some(change) = change {
        let current: Waves = engagement.waves(assessment)?;
        let mut waves: Vec<Wave> = current.waves;
        match change {
            WaveChange::Accept => {}
            WaveChange::Set { name, clients, pilot } => {
                for w in &mut waves {
                    w.clients.retain(|c| !clients.contains(c));
                    if pilot {
                        w.pilot = false;
                    }
                }
                let wave = Wave { name: name.clone(), pilot, clients };
                match waves.iter().position(|w| w.name == name) {
                    Some(i) => waves[i] = wave,
                    None if pilot => waves.insert(0, wave),
                    None => waves.push(wave),
                }
                if pilot && let Some(i) = waves.iter().position(|w| w.name == name) {
                    let wave = waves.remove(i);
                    waves.insert(0, wave);
                }
                waves.retain(|w| !w.clients.is_empty());
            }
            WaveChange::Remove { name } => {
                let before = waves.len();
                waves.retain(|w| w.name != name);
                if waves.len() == before {
                    anyhow::bail!(pinshift_core::Error::invalid("wave", format!("no wave {name:?} to remove")));
                }
            }
        }
        engagement.save_waves(&waves, assessment, &SystemClock)?;
    }
    let waves = engagement.waves(assessment)?;
    let states = engagement.client_states(assessment)?;
    if json {
        return output::json(&serde_json::json!({ "waves": waves, "clients": states }));
    }
    let rows: Vec<Vec<String>> = states
        .iter()
        .map(|s| {
            vec![
                s.wave.clone().unwrap_or_else(|| "(none)".into()),
                s.client.clone(),
                s.stage.label().to_owned(),
                s.verdict.map(verdict_word).unwrap_or_default(),
                s.since.as_deref().map(pinshift_core::report::minutes).unwrap_or_default(),
            ]
        })
        .collect();
    output::table(&["WAVE", "CLIENT", "STATUS", "VERIFY", "SINCE"], &rows)?;
    if waves.saved {
        output::status("Saved waves; change them with --set NAME --clients A,B [--pilot] or --remove NAME");
    } else {
        output::status("Proposed waves (nothing saved yet; --accept saves them):");
        for reason in &waves.reasons {
            output::status(&format!("  {reason}"));
        }
    }
    Ok(())
}
