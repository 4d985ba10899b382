//! How long assessing, deriving tenancies and the target graph, and reporting take for a large BPO estate
//! (benches/common/estate.rs). Prints figures; asserts nothing (speed is measured, not tested).
//!
//! `cargo bench -p pinshift-core --bench blueprint`

#![allow(clippy::print_stdout, clippy::unwrap_used)]

use std::time::Instant;

use pinshift_core::blueprint::TenancyChoices;
use pinshift_core::report::{Format, ReportInput, render};

#[path = "common/estate.rs"]
mod estate;

use estate::{CLIENTS, estate};

fn main() {
    let records = estate();
    println!("estate: {CLIENTS} clients, {} records", records.len());
    let started = Instant::now();
    let blueprint = pinshift_core::blueprint::build("bench", &records, &TenancyChoices::default(), &[]).unwrap();
    let built = started.elapsed();
    println!(
        "assess + tenancy + translations + graph + quotas + decisions: {:.0} ms ({} findings, {} attributions, {} decisions)",
        built.as_secs_f64() * 1000.0,
        blueprint.assessment.findings.len(),
        blueprint.assessment.attributions.len(),
        blueprint.decisions.len()
    );
    let started = Instant::now();
    let placements = blueprint.clients.iter().map(|c| c.placement()).collect();
    let translations = pinshift_core::translate::estate::translate_clients(
        &blueprint.assessment,
        &records,
        placements,
        jiff::Timestamp::UNIX_EPOCH,
    );
    println!(
        "of which translating every client's templates, segments, campaigns and journeys: {:.0} ms ({} translations)",
        started.elapsed().as_secs_f64() * 1000.0,
        translations.values().map(|t| t.summaries().len()).sum::<usize>()
    );
    let started = Instant::now();
    let graph = pinshift_core::blueprint::graph::derive_with(&blueprint, &records, &translations).unwrap();
    println!(
        "target graph from the translations: {:.0} ms ({} resources, {} shared, {} waiting for a person)",
        started.elapsed().as_secs_f64() * 1000.0,
        graph.resources.len(),
        graph.resources.iter().filter(|r| r.shared()).count(),
        graph.resources.iter().filter(|r| r.gate.is_some()).count()
    );
    let input = ReportInput {
        engagement: "Bench BPO",
        generated_at: "2026-11-23T00:00:00Z",
        blueprint: &blueprint,
        version: None,
        sign_offs: &[],
        records: &records,
        migration: None,
    };
    for format in Format::ALL {
        let started = Instant::now();
        let files = render(&input, format).unwrap();
        let bytes: usize = files.iter().map(|f| f.bytes.len()).sum();
        println!(
            "report {:<14} {:>6.0} ms  {:>3} file(s)  {:>6.1} MiB",
            format.as_str(),
            started.elapsed().as_secs_f64() * 1000.0,
            files.len(),
            bytes as f64 / 1_048_576.0
        );
    }
}
