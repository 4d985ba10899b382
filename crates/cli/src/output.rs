//! Printing: data to stdout, diagnostics to stderr, colour only where the terminal and NO_COLOR allow
//! (anstream strips styles otherwise).

use std::io::Write;

use anstyle::{AnsiColor, Style};

pub const ERROR: Style = AnsiColor::Red.on_default().bold();
pub const HINT: Style = AnsiColor::Cyan.on_default().bold();
pub const LABEL: Style = Style::new().bold();

/// Prints `error: …` and, when there is one, `hint: …` to stderr.
pub fn error(message: &str, hint: Option<&str>) {
    let mut err = anstream::stderr();
    let _ = writeln!(err, "{ERROR}error:{ERROR:#} {message}");
    if let Some(hint) = hint {
        let _ = writeln!(err, "{HINT}hint:{HINT:#} {hint}");
    }
}

/// Prints a JSON value to stdout.
pub fn json(value: &impl serde::Serialize) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, value)?;
    writeln!(out)?;
    Ok(())
}

/// Prints text to stdout as it is.
pub fn text(text: &str) -> anyhow::Result<()> {
    std::io::stdout().lock().write_all(text.as_bytes())?;
    Ok(())
}

/// Prints aligned `label  value` rows to stdout.
pub fn fields(rows: &[(&str, String)]) -> anyhow::Result<()> {
    let width = rows.iter().map(|(label, _)| label.len()).max().unwrap_or(0);
    let mut out = anstream::stdout().lock();
    for (label, value) in rows {
        writeln!(out, "{LABEL}{label:<width$}{LABEL:#}  {value}")?;
    }
    Ok(())
}

/// Prints a plain table with a bold header to stdout.
pub fn table(header: &[&str], rows: &[Vec<String>]) -> anyhow::Result<()> {
    let mut widths: Vec<usize> = header.iter().map(|h| h.len()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            widths[i] = widths[i].max(cell.chars().count());
        }
    }
    let mut out = anstream::stdout().lock();
    let line = |cells: Vec<String>| -> String {
        let last = cells.len().saturating_sub(1);
        cells
            .into_iter()
            .enumerate()
            .map(|(i, c)| if i == last { c } else { format!("{c:<w$}", w = widths[i]) })
            .collect::<Vec<_>>()
            .join("  ")
    };
    writeln!(out, "{LABEL}{}{LABEL:#}", line(header.iter().map(|h| h.to_string()).collect()))?;
    for row in rows {
        writeln!(out, "{}", line(row.clone()))?;
    }
    Ok(())
}

/// A short confirmation on stderr, so stdout stays data only.
pub fn status(message: &str) {
    let _ = writeln!(anstream::stderr(), "{message}");
}
