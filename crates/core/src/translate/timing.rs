//! When messages may go out, in Outbound Campaigns v2's terms: quiet time becomes open hours (its
//! complement), journey open hours and closed days become daily hours and restricted periods, Pinpoint's
//! time zones become IANA ones, caps become communication limits, ISO 8601 durations become seconds.

use serde_json::{Map, Value, json};

use super::{Loss, Severity};

pub const DAYS: [&str; 7] = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"];

fn minutes(hhmm: &str) -> Option<u32> {
    let (h, m) = hhmm.trim().split_once(':')?;
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60).then_some(h * 60 + m)
}

fn iso_time(m: u32) -> String {
    format!("T{:02}:{:02}", m / 60, m % 60)
}

/// Pinpoint's `QuietTime {Start, End}` (local `HH:MM`, may wrap midnight) as the open hours of every day.
pub fn open_hours_from_quiet_time(quiet: &Value, at: &str, losses: &mut Vec<Loss>) -> Option<Value> {
    let (start, end) = (quiet.get("Start")?.as_str()?, quiet.get("End")?.as_str()?);
    let (Some(s), Some(e)) = (minutes(start), minutes(end)) else {
        losses.push(Loss::new(
            Severity::Loss,
            "QuietTime",
            at,
            format!("quiet time {start}–{end} is not HH:MM–HH:MM; no open hours set"),
        ));
        return None;
    };
    if s == e {
        losses.push(Loss::new(
            Severity::Warning,
            "QuietTime",
            at,
            format!("quiet time {start}–{end} is empty; no open hours set"),
        ));
        return None;
    }
    let last = 23 * 60 + 59;
    let ranges: Vec<Value> = if s > e {
        // quiet over midnight (21:00–08:00): open from its end to its start
        vec![json!({"startTime": iso_time(e), "endTime": iso_time(s)})]
    } else {
        let mut r = Vec::new();
        if s > 0 {
            r.push(json!({"startTime": iso_time(0), "endTime": iso_time(s)}));
        }
        if e < last {
            r.push(json!({"startTime": iso_time(e), "endTime": iso_time(last)}));
        }
        r
    };
    let daily: Map<String, Value> = DAYS.iter().map(|d| ((*d).to_owned(), Value::Array(ranges.clone()))).collect();
    Some(json!({"openHours": {"dailyHours": daily}}))
}

/// A journey's `OpenHours` for one channel (`{MONDAY: [{StartTime, EndTime}]}`) as daily hours.
pub fn daily_hours(days: &Value) -> Option<Value> {
    let mut out = Map::new();
    for (day, ranges) in days.as_object()? {
        let list: Vec<Value> = ranges
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|r| {
                let (s, e) = (minutes(r.get("StartTime")?.as_str()?)?, minutes(r.get("EndTime")?.as_str()?)?);
                Some(json!({"startTime": iso_time(s), "endTime": iso_time(e)}))
            })
            .collect();
        out.insert(day.to_ascii_uppercase(), Value::Array(list));
    }
    Some(json!({"dailyHours": out}))
}

/// A journey's `ClosedDays` for one channel as restricted periods (whole days: times are dropped).
pub fn restricted_periods(days: &Value, at: &str, losses: &mut Vec<Loss>) -> Option<Value> {
    let mut list = Vec::new();
    for d in days.as_array()? {
        let (Some(start), Some(end)) =
            (d.get("StartDateTime").and_then(Value::as_str), d.get("EndDateTime").and_then(Value::as_str))
        else {
            continue;
        };
        let day = |s: &str| s.get(..10).unwrap_or(s).to_owned();
        let partial = |s: &str| s.len() > 10 && !s[10..].trim_start_matches('T').starts_with("00:00");
        if partial(start) || partial(end) {
            losses.push(Loss::new(
                Severity::Warning,
                "ClosedDays",
                at,
                format!("closed period {start}–{end} is set to whole days: restricted periods have no times"),
            ));
        }
        let mut period = json!({"startDate": day(start), "endDate": day(end)});
        if let Some(n) = d.get("Name").and_then(Value::as_str) {
            period["name"] = Value::String(n.chars().take(127).collect());
        }
        list.push(period);
    }
    (!list.is_empty()).then(|| json!({"restrictedPeriodList": list}))
}

/// Pinpoint's time zone (`UTC`, `UTC+01`, `UTC-05:30`, or an IANA name) as an IANA name.
pub fn iana_zone(zone: &str, at: &str, losses: &mut Vec<Loss>) -> Option<String> {
    let z = zone.trim();
    if z.contains('/') || z == "UTC" || z == "GMT" {
        return Some(z.to_owned());
    }
    let offset = z.strip_prefix("UTC").or_else(|| z.strip_prefix("GMT"));
    if let Some(o) = offset {
        let (sign, rest) = match o.chars().next() {
            Some('+') => (1, &o[1..]),
            Some('-') => (-1, &o[1..]),
            _ => (0, o),
        };
        let (h, m) = rest.split_once(':').unwrap_or((rest, "00"));
        if let (Ok(h), Ok(m)) = (h.parse::<i32>(), m.parse::<i32>())
            && m == 0
            && (0..=14).contains(&h)
            && sign != 0
        {
            // Etc/GMT zones count the other way: UTC-05 is Etc/GMT+5
            losses.push(Loss::new(
                Severity::Note,
                "Timezone",
                at,
                format!(
                    "{zone} becomes Etc/GMT{}{h}, a fixed offset without daylight saving",
                    if sign > 0 { "-" } else { "+" }
                ),
            ));
            return Some(format!("Etc/GMT{}{h}", if sign > 0 { "-" } else { "+" }));
        }
    }
    losses.push(
        Loss::new(
            Severity::Warning,
            "Timezone",
            at,
            format!("{zone} has no IANA equivalent; the campaign's default time zone is left unset"),
        )
        .suggest("choose the IANA zone (e.g. Asia/Kolkata) by hand"),
    );
    None
}

/// Seconds in an ISO 8601 duration (`P2D`, `PT1H30M`); `None` for years or months, which vary.
pub fn duration_seconds(iso: &str) -> Option<u64> {
    let rest = iso.trim().strip_prefix('P')?;
    let (date, time) = rest.split_once('T').unwrap_or((rest, ""));
    let mut total = 0u64;
    let mut read = |part: &str, units: &[(char, u64)]| -> Option<()> {
        let mut n = String::new();
        for c in part.chars() {
            if c.is_ascii_digit() {
                n.push(c);
            } else {
                let (_, secs) = units.iter().find(|(u, _)| *u == c)?;
                total += n.parse::<u64>().ok()? * secs;
                n.clear();
            }
        }
        n.is_empty().then_some(())
    };
    read(date, &[('W', 604_800), ('D', 86_400)])?;
    read(time, &[('H', 3_600), ('M', 60), ('S', 1)])?;
    Some(total)
}

/// A communication limit rule: at most `count` messages per recipient every `days` days.
pub fn limit(count: u64, days: u64) -> Value {
    json!({"maxCountPerRecipient": count, "frequency": days, "unit": "DAY"})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quiet_time_becomes_open_hours() {
        let mut l = Vec::new();
        let open =
            open_hours_from_quiet_time(&json!({"Start": "21:00", "End": "08:00"}), "QuietTime", &mut l).expect("open");
        assert_eq!(open["openHours"]["dailyHours"]["MONDAY"], json!([{"startTime": "T08:00", "endTime": "T21:00"}]));
        assert_eq!(open["openHours"]["dailyHours"].as_object().map(|m| m.len()), Some(7));
        let open =
            open_hours_from_quiet_time(&json!({"Start": "01:00", "End": "05:00"}), "QuietTime", &mut l).expect("open");
        assert_eq!(
            open["openHours"]["dailyHours"]["SUNDAY"],
            json!([{"startTime": "T00:00", "endTime": "T01:00"}, {"startTime": "T05:00", "endTime": "T23:59"}])
        );
        assert!(open_hours_from_quiet_time(&json!({"Start": "25:00", "End": "05:00"}), "QuietTime", &mut l).is_none());
        assert_eq!(l.len(), 1, "the bad one is reported");
    }

    #[test]
    fn zones_and_durations() {
        let mut l = Vec::new();
        assert_eq!(iana_zone("UTC-05", "Schedule.Timezone", &mut l).as_deref(), Some("Etc/GMT+5"));
        assert_eq!(iana_zone("America/Chicago", "Schedule.Timezone", &mut l).as_deref(), Some("America/Chicago"));
        assert_eq!(iana_zone("UTC+05:30", "Schedule.Timezone", &mut l), None);
        assert!(l.iter().any(|x| x.severity == Severity::Warning));
        assert_eq!(duration_seconds("P2D"), Some(172_800));
        assert_eq!(duration_seconds("PT1H30M"), Some(5_400));
        assert_eq!(duration_seconds("P1M"), None, "months vary");
        assert_eq!(duration_seconds("P30D"), Some(2_592_000));
    }

    #[test]
    fn closed_days_become_whole_day_periods() {
        let mut l = Vec::new();
        let r = restricted_periods(&json!([{"Name": "Thanksgiving", "StartDateTime": "2026-11-26T00:00:00", "EndDateTime": "2026-11-27T12:00:00"}]), "ClosedDays.EMAIL", &mut l)
            .expect("periods");
        assert_eq!(
            r["restrictedPeriodList"][0],
            json!({"name": "Thanksgiving", "startDate": "2026-11-26", "endDate": "2026-11-27"})
        );
        assert_eq!(l.len(), 1, "the half day is reported");
    }
}
