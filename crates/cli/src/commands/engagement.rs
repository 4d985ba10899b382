//! `pinshift init` and `pinshift info`.

use std::path::Path;

use pinshift_core::clock::SystemClock;
use pinshift_core::engagement::Engagement;

use crate::output;

pub fn init(file: &Path, name: Option<&str>, json: bool) -> anyhow::Result<()> {
    let engagement = Engagement::create(file, name, &SystemClock)?;
    let info = engagement.info()?;
    if json {
        return output::json(&info);
    }
    output::status(&format!("Created engagement {:?} at {}", info.name, info.path));
    output::status(&format!(
        "Next: pinshift --engagement {} connection add NAME --profile PROFILE",
        shell_quote(&info.path)
    ));
    Ok(())
}

pub fn info(file: &Path, check: bool, json: bool) -> anyhow::Result<()> {
    let engagement = Engagement::open(file, &SystemClock)?;
    let info = engagement.info()?;
    let problems = if check { Some(engagement.integrity_problems()?) } else { None };
    if json {
        let mut value = serde_json::to_value(&info)?;
        if let Some(problems) = &problems {
            value["integrity_problems"] = serde_json::json!(problems);
        }
        output::json(&value)?;
    } else {
        let mut rows = vec![
            ("Engagement", info.name.clone()),
            ("File", info.path.clone()),
            ("Id", info.id.clone()),
            ("Created", format!("{} by Pinshift {}", info.created_at, info.created_by_version)),
            ("Schema", format!("version {}", info.schema_version)),
            ("Size", human_bytes(info.size_bytes)),
            ("Connections", info.connections.to_string()),
        ];
        if let Some(problems) = &problems {
            let verdict = if problems.is_empty() { "ok".to_owned() } else { format!("{} problem(s)", problems.len()) };
            rows.push(("Integrity", verdict));
        }
        output::fields(&rows)?;
    }
    if let Some(problems) = problems.filter(|p| !p.is_empty()) {
        return Err(pinshift_core::Error::Corrupt { path: file.to_owned(), detail: problems.join("; ") }.into());
    }
    Ok(())
}

fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["B", "KiB", "MiB", "GiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 { format!("{bytes} B") } else { format!("{value:.1} {}", UNITS[unit]) }
}

fn shell_quote(path: &str) -> String {
    if path.chars().all(|c| c.is_ascii_alphanumeric() || "/._-".contains(c)) {
        path.to_owned()
    } else {
        format!("'{}'", path.replace('\'', r"'\''"))
    }
}
