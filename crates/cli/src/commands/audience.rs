//! `pinshift audience`: endpoint exports into profile objects, opt-outs and suppressions, accounted for.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use pinshift_core::audience::input::discover;
use pinshift_core::audience::transform::{self, Options, Progress, Reconciliation};

use crate::args::AudienceCommand;
use crate::output;

pub fn run(command: AudienceCommand, json: bool) -> anyhow::Result<()> {
    match command {
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
                return output::json(&serde_json::json!({
                    "out": result.dir,
                    "profile_files": result.profile_files,
                    "reconciliation": rec,
                }));
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
            Ok(())
        }
    }
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
