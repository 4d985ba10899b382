//! The audience transform at 1M and 10M endpoints (`PINSHIFT_BENCH_SIZES=1000000,10000000` by default):
//! endpoints per second and peak RSS, each size in a child process of its own so its memory is its own,
//! beside a plain Python transform of the same export (load everything, group by UserId in a dict, write
//! CSV) at the sizes it fits in memory (1M by default; `PINSHIFT_BENCH_PYTHON_MAX` raises it).
//! Prints figures; asserts nothing.
//!
//! `cargo bench -p pinshift-core --bench audience` (or `make bench-audience`)

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use pinshift_core::audience::input::discover;
use pinshift_core::audience::transform::{Options, transform};

const PIECES: usize = 8;

/// xorshift64*: deterministic, fast, good enough for test data.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const CITIES: [&str; 6] = ["Austin", "Berlin", "Lisbon", "Osaka", "Toronto", "Nairobi"];
const TIERS: [&str; 4] = ["bronze", "silver", "gold", "platinum"];
const PLATFORMS: [&str; 3] = ["ios", "android", "web"];

/// Writes `n` endpoints over `PIECES` gzip pieces as an export job would (about two endpoints per user, one
/// in ten without a UserId, one in twenty opted out, one in ten inactive).
fn generate(dir: &Path, n: u64) {
    std::fs::create_dir_all(dir).expect("mkdir");
    std::thread::scope(|s| {
        for piece in 0..PIECES as u64 {
            s.spawn(move || {
                let file = std::fs::File::create(dir.join(format!("part-{piece:05}.gz"))).expect("create");
                let mut w = std::io::BufWriter::new(flate2::write::GzEncoder::new(file, flate2::Compression::fast()));
                let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ (piece + 1));
                let mut i = piece;
                while i < n {
                    let user = rng.below(n / 2 + 1);
                    let channel = match rng.below(10) {
                        0..=4 => "EMAIL",
                        5..=7 => "SMS",
                        8 => "GCM",
                        _ => "APNS",
                    };
                    let address = match channel {
                        "EMAIL" => format!("user{user}.{}@example.com", rng.below(3)),
                        "SMS" => format!("+1206{:07}", rng.below(10_000_000)),
                        _ => format!("{:016x}{:016x}", rng.next(), rng.next()),
                    };
                    let user_part = if rng.below(10) == 0 {
                        String::new()
                    } else {
                        format!(
                            r#","User":{{"UserId":"user-{user}","UserAttributes":{{"FirstName":["Name{}"],"LastName":["Family{}"],"tier":["{}"]}}}}"#,
                            user % 997,
                            user % 1013,
                            TIERS[(user % 4) as usize]
                        )
                    };
                    writeln!(
                        w,
                        r#"{{"Id":"ep-{i:012}","ChannelType":"{channel}","Address":"{address}","EndpointStatus":"{}","OptOut":"{}","EffectiveDate":"2026-05-{:02}T10:00:00.000Z","CreationDate":"2025-01-01T00:00:00.000Z","ApplicationId":"3a1b2c3d4e5f60718293a4b5c6d7e8f9","CohortId":"{}","Attributes":{{"interests":["travel","music"],"source":["app"]}},"Demographic":{{"Platform":"{}","Locale":"en_US","AppVersion":"4.2.{}","Timezone":"America/Chicago"}},"Location":{{"City":"{}","Country":"US","PostalCode":"{:05}","Latitude":30.27,"Longitude":-97.74}},"Metrics":{{"visits":{},"spend":{}.5}}{user_part}}}"#,
                        if rng.below(10) == 0 { "INACTIVE" } else { "ACTIVE" },
                        if rng.below(20) == 0 { "ALL" } else { "NONE" },
                        1 + rng.below(28),
                        rng.below(100),
                        PLATFORMS[rng.below(3) as usize],
                        rng.below(9),
                        CITIES[rng.below(6) as usize],
                        rng.below(99_999),
                        rng.below(50),
                        rng.below(500),
                    )
                    .expect("write");
                    i += PIECES as u64;
                }
                let file = w.into_inner().map_err(|e| e.into_error()).expect("flush").finish().expect("finish");
                // On disk before the clock starts: the transform is not measured against their writeback.
                file.sync_all().expect("sync");
            });
        }
    });
}

fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

/// The child: transforms one export and prints `endpoints seconds rss_mb profiles`.
fn child(export: &Path, out: &Path) {
    let (pieces, _) = discover(&[export.to_owned()]).expect("discover");
    let started = Instant::now();
    let read_done = std::sync::Mutex::new(None);
    let result = transform(&pieces, out, &Options::default(), &|p| {
        if let pinshift_core::audience::transform::Progress::Group { .. } = p {
            read_done.lock().expect("lock").get_or_insert_with(|| started.elapsed().as_secs_f64());
        }
    })
    .expect("transform");
    let seconds = started.elapsed().as_secs_f64();
    let rec = result.reconciliation;
    assert!(rec.holds(), "the reconciliation does not hold: {rec:#?}");
    let read = read_done.lock().expect("lock").unwrap_or(seconds);
    eprintln!("  read pass {read:.2} s, group pass {:.2} s", seconds - read);
    println!("{} {seconds} {} {}", rec.endpoints_read, peak_rss_mb(), rec.profiles);
}

fn python_plain(export: &Path, out: &Path) -> Option<(f64, f64)> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/audience_plain.py");
    let started = Instant::now();
    let output = std::process::Command::new("python3").arg(script).arg(export).arg(out).output().ok()?;
    if !output.status.success() {
        eprintln!("python: {}", String::from_utf8_lossy(&output.stderr));
        return None;
    }
    let seconds = started.elapsed().as_secs_f64();
    let rss: f64 = String::from_utf8_lossy(&output.stdout).trim().parse().ok()?;
    Some((seconds, rss))
}

fn main() {
    // `PINSHIFT_BENCH_GENERATE=DIR:N` only writes an export (for profiling the child alone).
    if let Some((dir, n)) = std::env::var("PINSHIFT_BENCH_GENERATE").ok().as_deref().and_then(|v| v.split_once(':')) {
        generate(Path::new(dir), n.parse().expect("N"));
        return;
    }
    if let (Ok(export), Ok(out)) = (std::env::var("PINSHIFT_BENCH_EXPORT"), std::env::var("PINSHIFT_BENCH_OUT")) {
        child(Path::new(&export), Path::new(&out));
        return;
    }
    let sizes: Vec<u64> = std::env::var("PINSHIFT_BENCH_SIZES")
        .unwrap_or_else(|_| "1000000,10000000".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let python_max: u64 =
        std::env::var("PINSHIFT_BENCH_PYTHON_MAX").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000_000);
    let base: PathBuf = std::env::var("PINSHIFT_BENCH_DIR").map_or_else(|_| std::env::temp_dir(), PathBuf::from);
    let work = tempfile::Builder::new().prefix("pinshift-audience-bench-").tempdir_in(base).expect("tempdir");
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!("audience transform, {cores} cores, {PIECES} gzip pieces per export");
    println!(
        "{:>12}  {:>14}  {:>10}  {:>12}  {:>11}  {:>12}",
        "endpoints", "transform", "seconds", "endpoints/s", "peak RSS", "profiles"
    );
    for n in sizes {
        let export = work.path().join(format!("export-{n}"));
        let started = Instant::now();
        generate(&export, n);
        let gz: u64 =
            std::fs::read_dir(&export).expect("dir").map(|e| e.expect("e").metadata().expect("m").len()).sum();
        eprintln!(
            "generated {n} endpoints ({:.0} MB gzip) in {:.1} s",
            gz as f64 / 1e6,
            started.elapsed().as_secs_f64()
        );
        let out = work.path().join(format!("out-{n}"));
        let run = std::process::Command::new(std::env::current_exe().expect("exe"))
            .env("PINSHIFT_BENCH_EXPORT", &export)
            .env("PINSHIFT_BENCH_OUT", &out)
            .stderr(std::process::Stdio::inherit())
            .output()
            .expect("the transform child");
        let text = String::from_utf8_lossy(&run.stdout);
        let fields: Vec<f64> = text.split_whitespace().filter_map(|f| f.parse().ok()).collect();
        if let [endpoints, seconds, rss, profiles] = fields[..] {
            println!(
                "{:>12}  {:>14}  {seconds:>10.2}  {:>12.0}  {:>8.0} MB  {profiles:>12}",
                endpoints as u64,
                "pinshift",
                endpoints / seconds,
                rss
            );
        } else {
            eprintln!("the transform failed: {}{}", text, String::from_utf8_lossy(&run.stderr));
        }
        let _ = std::fs::remove_dir_all(&out);
        if n <= python_max {
            let csv = work.path().join(format!("python-{n}.csv"));
            match python_plain(&export, &csv) {
                Some((seconds, rss)) => println!(
                    "{:>12}  {:>14}  {seconds:>10.2}  {:>12.0}  {rss:>8.0} MB  {:>12}",
                    n,
                    "plain python",
                    n as f64 / seconds,
                    "-"
                ),
                None => println!("{n:>12}  {:>14}  (python3 not available or failed)", "plain python"),
            }
            let _ = std::fs::remove_file(&csv);
        } else {
            println!(
                "{n:>12}  {:>14}  not run: it holds every endpoint in memory (PINSHIFT_BENCH_PYTHON_MAX)",
                "plain python"
            );
        }
        let _ = std::fs::remove_dir_all(&export);
    }
}
