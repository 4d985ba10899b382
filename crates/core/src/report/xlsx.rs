//! The XLSX workbook: a summary sheet, then one sheet per table (clients, findings, decisions,
//! attributions, inventory, KPI archive), each with a bold frozen header, filters and sized columns.

use rust_xlsxwriter::{Format, Workbook, XlsxError};

use super::csv_files::tables;
use super::{ReportInput, Summary};
use crate::assess::Fit;
use crate::{Error, Result};

/// Columns written as numbers (the rest stay text: account ids and phone numbers must not lose digits).
const NUMERIC: &[&str] = &[
    "findings",
    "effort",
    "emails sent (90 d)",
    "bounce rate",
    "complaint rate",
    "value",
    "losses",
    "warnings",
    "notes",
    "transformed",
    "written",
    "held",
    "endpoints read",
    "in profiles",
    "invalid address",
    "inactive excluded",
    "duplicate",
    "opted out",
];

fn fail(e: XlsxError) -> Error {
    Error::Internal(format!("writing the XLSX report: {e}"))
}

pub fn render(input: &ReportInput) -> Result<Vec<u8>> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let title = Format::new().set_bold().set_font_size(16);
    let summary = Summary::of(input);

    let sheet = book.add_worksheet().set_name("Summary").map_err(fail)?;
    sheet
        .write_string_with_format(0, 0, format!("Pinpoint migration blueprint — {}", summary.engagement), &title)
        .map_err(fail)?;
    sheet.write_string(1, 0, summary.deadline()).map_err(fail)?;
    let rows: Vec<(&str, String)> = vec![
        ("Generated", summary.generated_at.clone()),
        ("Scan", summary.scan_id.clone()),
        ("Blueprint version", summary.version.map_or("current (not saved)".into(), |v| v.to_string())),
        ("Clients", summary.clients.to_string()),
        ("Signed off", summary.signed_off.to_string()),
        ("Projects", summary.projects.to_string()),
        ("Resources", summary.resources.to_string()),
        ("Findings", summary.findings.to_string()),
        ("— Moves as is", summary.by_fit.get(&Fit::Direct).copied().unwrap_or(0).to_string()),
        ("— Moves with changes", summary.by_fit.get(&Fit::Transform).copied().unwrap_or(0).to_string()),
        ("— Needs redesign", summary.by_fit.get(&Fit::Rethink).copied().unwrap_or(0).to_string()),
        ("— No successor", summary.by_fit.get(&Fit::NoSuccessor).copied().unwrap_or(0).to_string()),
        ("Effort (points)", summary.effort.to_string()),
        ("Open decisions", summary.open_decisions.to_string()),
        ("Decisions made", summary.decided.to_string()),
    ];
    for (i, (label, value)) in rows.iter().enumerate() {
        let row = i as u32 + 3;
        sheet.write_string_with_format(row, 0, *label, &bold).map_err(fail)?;
        match value.parse::<f64>() {
            Ok(n) if !label.starts_with("Scan") => sheet.write_number(row, 1, n).map_err(fail)?,
            _ => sheet.write_string(row, 1, value).map_err(fail)?,
        };
    }
    sheet.set_column_width(0, 24).map_err(fail)?;
    sheet.set_column_width(1, 40).map_err(fail)?;

    for (name, header, rows) in tables(input) {
        let title = if name == "kpis" { "KPIs".to_owned() } else { capitalise(name) };
        let sheet = book.add_worksheet().set_name(title).map_err(fail)?;
        let mut widths: Vec<usize> = header.iter().map(|h| h.len() + 2).collect();
        for (col, h) in header.iter().enumerate() {
            sheet.write_string_with_format(0, col as u16, *h, &bold).map_err(fail)?;
        }
        for (r, row) in rows.iter().enumerate() {
            for (col, cell) in row.iter().enumerate() {
                let (r, c) = (r as u32 + 1, col as u16);
                match cell.parse::<f64>() {
                    Ok(n) if NUMERIC.contains(&header[col]) => sheet.write_number(r, c, n).map_err(fail)?,
                    _ => sheet.write_string(r, c, cell).map_err(fail)?,
                };
                widths[col] = widths[col].max(cell.chars().count().min(60));
            }
        }
        for (col, w) in widths.iter().enumerate() {
            sheet.set_column_width(col as u16, *w as f64 + 1.0).map_err(fail)?;
        }
        sheet.set_freeze_panes(1, 0).map_err(fail)?;
        sheet.autofilter(0, 0, rows.len() as u32, header.len().saturating_sub(1) as u16).map_err(fail)?;
    }
    book.save_to_buffer().map_err(fail)
}

fn capitalise(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
